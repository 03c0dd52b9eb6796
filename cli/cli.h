/* cli — the snnex program: one function per subcommand. Each returns the
 * process exit status (0 ok, 1 bad input, 2 internal failure). */
#ifndef SNNEX_CLI_H
#define SNNEX_CLI_H

int cli_cmd_estimate(int argc, char **argv);
int cli_cmd_train(int argc, char **argv);
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_plot(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_mem(int argc, char **argv);
int cli_cmd_bench(int argc, char **argv);
int cli_cmd_help(int argc, char **argv);

/* snnex plot mem (cli/cmd_mem.c) */
int cli_plot_mem(int argc, char **argv);

/* bench parts, one per module that has a throughput figure */
int cli_bench_estimate(int argc, char **argv);
int cli_bench_train(int argc, char **argv);
int cli_bench_sweep(int argc, char **argv);

/* Print a subcommand's help to stdout; returns 0, or 1 for unknown names. */
int cli_print_help(const char *cmd);


#endif
