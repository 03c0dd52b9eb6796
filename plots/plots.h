/* plots — figures of a sweep directory drawn with gnuplot: the Pareto
 * front over all feasible points, the energy breakdown of the front's
 * designs, and SRAM vs STT-MRAM fronts. Scripts are written next to the
 * figures (DIR/NAME.gp) so a user can restyle them. */
#ifndef SNNEX_PLOTS_H
#define SNNEX_PLOTS_H

#include <stddef.h>
#include "common/common.h"

/* Draw the figures of sweep directory dir (points.csv, pareto.csv) in
 * format "png" or "svg". Writes DIR/pareto_front.FMT, DIR/breakdown.FMT
 * and, when the sweep has a chip.memories.weight.tech axis,
 * DIR/memtech_fronts.FMT. The names of the files written are listed, one
 * a line, in files (may be NULL). Errors: SNNEX_EINVAL for a directory
 * that is not a sweep, SNNEX_EIO when gnuplot is missing or fails. */
snnex_status plot_sweep(const char *dir, const char *format, char *files, size_t files_len, snnex_err *err);

#endif
