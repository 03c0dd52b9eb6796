/* cli — the snnex program: one function per subcommand. Each returns the
 * process exit status (0 ok, 1 bad input, 2 internal failure). */
#ifndef SNNEX_CLI_H
#define SNNEX_CLI_H

#include <stddef.h>
#include "common/common.h"

int cli_cmd_estimate(int argc, char **argv);
int cli_cmd_train(int argc, char **argv);
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_plot(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);
int cli_cmd_mem(int argc, char **argv);
int cli_cmd_bench(int argc, char **argv);
int cli_cmd_import(int argc, char **argv);
int cli_cmd_help(int argc, char **argv);

/* snnex plot mem (cli/cmd_mem.c) */
int cli_plot_mem(int argc, char **argv);

/* bench parts, one per module that has a throughput figure */
int cli_bench_estimate(int argc, char **argv);
int cli_bench_train(int argc, char **argv);
int cli_bench_sweep(int argc, char **argv);

/* Print a subcommand's help to stdout; returns 0, or 1 for unknown names. */
int cli_print_help(const char *cmd);

/* Shipped data (cli/paths.c). The directory holding file, tried in order:
 * tree relative to the current directory (run from the source tree),
 * EXE/../share/snnex/share (an installed snnex: make install puts
 * PREFIX/bin/snnex next to PREFIX/share/snnex), EXE/../tree (the build
 * tree's program, e.g. build/snnex, run from elsewhere); EXE is the
 * directory of the running program. Writes the directory into out (n
 * bytes); returns 0, or -1 when none holds file. E.g.
 * cli_find_data("configs", "configs", "seed20.cfg", dir, sizeof dir). */
int cli_find_data(const char *tree, const char *share, const char *file, char *out, size_t n);

/* mkdir -p: create dir and its missing parents; then dir must be a
 * writable directory. SNNEX_EINVAL (an output path the user gave that
 * cannot be used) with err filled otherwise. */
snnex_status cli_mkdir_p(const char *dir, snnex_err *err);


#endif
