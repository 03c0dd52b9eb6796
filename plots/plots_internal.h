/* plots_internal.h — what plots.c (the sweep figures), labels.c and
 * report.c (the HTML pages) share; not part of the public header. */
#ifndef SNNEX_PLOTS_INTERNAL_H
#define SNNEX_PLOTS_INTERNAL_H

#include <stdio.h>
#include "common/common.h"

#define PL_MAXCOL 128

/* The Pareto front of a sweep directory: pareto.csv read once, one entry
 * per distinct design (same axis values = same design: a design drawn
 * twice by a sample is listed once, at its first row), numbered by the
 * file's `design` column when it has one, else 1, 2, ... in file order. */
typedef struct {
    int ncol;
    char *head;                  /* header line, split in place */
    const char *names[PL_MAXCOL];
    int first_metric;            /* column of energy_J: axes are before it */
    int cdesign;                 /* column "design", or -1 */
    long n, rows;                /* distinct designs; rows read */
    char **line;                 /* per design: its row, split in place */
    int *off;                    /* field c of design i at line[i] + off[i * ncol + c] */
    long *num;                   /* design number */
} pl_front;

snnex_status pl_front_load(const char *dir, pl_front *t, snnex_err *err);
void pl_front_free(pl_front *t);
int pl_col(const pl_front *t, const char *name);
int pl_is_axis(const pl_front *t, int c);
static inline const char *pl_field(const pl_front *t, long i, int c)
{
    return t->line[i] + t->off[i * t->ncol + c];
}
/* "cores, mesh, ..." and "32, 4x8, ..." */
void pl_axis_names(const pl_front *t, char *out, size_t len);
void pl_axis_values(const pl_front *t, long i, char *out, size_t len);
/* the objectives of DIR/objectives (default: min energy per sample, min
 * latency, min area); obj[2] is the colour (area with two objectives) */
void pl_objectives(const char *dir, char obj[3][64], int maxi[3], int *n);
/* the columns a tooltip or table row shows, -1 terminated */
void pl_shown_metrics(const pl_front *t, char obj[3][64], int nobj, int *cols, int max);

/* A metric in words with a unit chosen for its largest value: e.g.
 * energy_per_sample_J, 3.3e-5 -> "energy per sample (µJ)", scale 1e6. */
typedef struct {
    double scale;
    char words[96], unit[16], label[128];
} pl_unit_t;
void pl_unit(const char *metric, double vmax, pl_unit_t *u);
/* Units of every metric column of the front, each from its largest |value|
 * over the front's rows: a calloc'ed array of PL_MAXCOL (free it), NULL
 * when out of memory. */
pl_unit_t *pl_metric_units(const pl_front *t);

/* axis range fitted to data [lo, hi] (log when > 30x), and the gnuplot
 * lines setting it (range, %g format, log ticks at 1-2-5 under 3 decades) */
void pl_fit(double lo, double hi, double *a, double *b, int *lg);
void pl_axis(FILE *g, char ax, double a, double b, int lg);
/* fraction of the way from lo to hi (in decades when lg) */
double pl_frac(double v, double lo, double hi, int lg);

/* CSV line split in place (quoted fields handled); field count */
int pl_split(char *s, char **f, int max);

#endif
