/* plots — figures of a sweep directory drawn with gnuplot: the Pareto
 * front over all feasible points, the energy breakdown of the front's
 * designs, and SRAM vs STT-MRAM fronts. Scripts are written next to the
 * figures (DIR/NAME.gp) so a user can restyle them. Also the two helpers
 * every gnuplot figure of snnex uses: quoting a string for a script, and
 * running gnuplot on a script without a shell. */
#ifndef SNNEX_PLOTS_H
#define SNNEX_PLOTS_H

#include <stddef.h>
#include <stdio.h>
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

/* Write DIR/report.html for sweep directory dir: one self-contained page
 * (no network, no scripts, no external fonts) with the sweep's summary
 * (config, axes, constraints, sampling, counts, best design per
 * objective), the Pareto front and the energy breakdown as inline SVG from
 * gnuplot (hovering a front design shows its number, axis values and
 * metrics) and the table of the front's designs. cfg is the sweep config
 * for the summary, or NULL: then the path recorded in DIR/sweep_config is
 * used when it is readable, else the summary says the config is unknown.
 * Draws the SVG figures first (plot_sweep). Errors as plot_sweep's;
 * SNNEX_EINVAL for a config that does not load. */
snnex_status plot_report(const char *dir, const char *cfg, snnex_err *err);

/* ---- helpers shared by every figure (plots/labels.c) ---------------- */

/* Where a plot's area is on the page, and its axes: the terminal's size in
 * pixels, the plot area's edges as screen fractions (the script fixes them
 * with `set lmargin at screen L` etc.), the axis ranges (set explicitly)
 * and the label font's average character width and line height, pixels. */
typedef struct {
    double w, h, l, r, b, t;
    double xlo, xhi, ylo, yhi;
    int xlog, ylog;
    double char_w, char_h;
} plot_frame;

/* Place label text[i] (UTF-8; NULL or "" for none) next to point (x[i],
 * y[i]) in data coordinates: to its right, left, above or below, the first
 * spot where it covers no other label, no marker of these points or of the
 * nobs further markers (ox[j], oy[j]) and stays inside the plot area. Writes one CSV row per placed label, x,y,"text",A
 * (A: l, r or c, the alignment), to out, counts[A] the rows of each; a
 * label placed away from its marker (no spot next to it was free) adds
 * mx,my,ex,ey: a leader line from the marker to the text's nearest edge,
 * counts[3] those rows.
 * Returns the number of labels that found no spot (not written), -1 when
 * out of memory. */
long plot_place_labels(const plot_frame *fr, long n, const double *x, const double *y, const char *const *text,
                       long nobs, const double *ox, const double *oy, FILE *out, long counts[4]);

/* The plot clauses (", \\\n  FILE using ... with labels ...") drawing the rows
 * plot_place_labels wrote to file qfile (a quoted gnuplot literal), one per
 * alignment that has rows (gnuplot 5.4 crashes on an empty data block),
 * and the leader lines when there are any. */
void plot_label_clauses(FILE *g, const char *qfile, const long counts[4], const char *font);

/* Copy the SVG gnuplot wrote to in (svg terminal, points drawn `with labels
 * hypertext` whose text is "hK", 0 <= K < n) to out (atomically), each
 * such point's script handlers replaced by an SVG <title> holding tips[K]:
 * a tooltip browsers show without gnuplot's JavaScript. The point's group
 * gets class="hover" data-n="K". *found: how many were replaced. */
snnex_status plot_svg_tooltips(const char *in, const char *out, long n, const char *const *tips, long *found,
                               snnex_err *err);

/* The start of a self-contained HTML page: doctype, UTF-8, the title,
 * the page's style sheet (inline) and an <h1> with the title. */
void plot_html_head(FILE *f, const char *title);

/* s with & < > " escaped for HTML text and attributes. */
void plot_html_text(FILE *f, const char *s);

/* The <svg> element of the SVG file at path, written into an HTML page,
 * every id (and reference to one) prefixed with "PREFIX-" so several
 * figures can share a page. */
snnex_status plot_html_svg(FILE *f, const char *path, const char *prefix, snnex_err *err);

#endif
