/* plots — figures of a sweep directory drawn with gnuplot: the Pareto
 * front over all feasible points, the energy breakdown of the front's
 * designs, and SRAM vs STT-MRAM fronts. Scripts are written next to the
 * figures (DIR/NAME.gp) so a user can restyle them. Also the two helpers
 * every gnuplot figure of snnex uses: quoting a string for a script, and
 * running gnuplot on a script without a shell. */
#ifndef SNNEX_PLOTS_H
#define SNNEX_PLOTS_H

#include <stddef.h>
#include "common/common.h"

/* Draw the figures of sweep directory dir (points.csv, pareto.csv) in
 * format "png" or "svg". Writes DIR/pareto_front.FMT, DIR/breakdown.FMT
 * and, when the sweep has a chip.memories.weight.tech axis,
 * DIR/memtech_fronts.FMT. The names of the files written are listed, one
 * a line, in files (may be NULL). Errors: SNNEX_EINVAL for a directory
 * that is not a sweep or cannot be written (or whose name holds a control
 * character), SNNEX_EIO when gnuplot is missing or fails. */
snnex_status plot_sweep(const char *dir, const char *format, char *files, size_t files_len, snnex_err *err);

/* Write s into out (n bytes) as one gnuplot single-quoted string literal:
 * 'TEXT' with each ' doubled. Inside single quotes gnuplot substitutes
 * nothing (no backslash escapes, `command`, @macro or $variable), so any
 * other byte, UTF-8 included, stays literal. Returns 0, or -1 when s holds
 * a control character such as a newline (a script line cannot hold it) or
 * the literal does not fit. */
int plot_gp_quote(char *out, size_t n, const char *s);

/* Run `gnuplot SCRIPT` as a child process (posix_spawnp: PATH lookup, no
 * shell), stdin from /dev/null, stdout and stderr captured. Errors, all
 * SNNEX_EIO with file = script: gnuplot not found on PATH; gnuplot exited
 * non-zero (the message holds the exit status and the first lines of its
 * output); gnuplot killed by a signal. */
snnex_status plot_gnuplot(const char *script, snnex_err *err);

#endif
