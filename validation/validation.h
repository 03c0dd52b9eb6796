/* validation — published chip figures (validation/chips.csv), one config
 * per chip (validation/<chip>.cfg), and the comparison of each figure with
 * the estimate: relative error per figure and summary statistics.
 *
 * chips.csv columns (header required, RFC-4180 quoting):
 *   chip,figure,unit,published,metric,year,node_nm,conditions,source
 * metric names the estimator output the figure is compared with (one of
 * snnex_metric_names) or "-" for a figure that is recorded but not
 * comparable (a config input such as on-chip memory, or a figure whose
 * definition the model does not produce, such as real-time power). The
 * unit converts the SI metric to the published unit (see
 * validation_unit_scale). */
#ifndef SNNEX_VALIDATION_H
#define SNNEX_VALIDATION_H

#include <stdio.h>
#include "common/common.h"

#define VALIDATION_NAME_LEN 48

/* One published figure (one row of chips.csv) and, after validation_run,
 * its estimate. */
typedef struct {
    char chip[VALIDATION_NAME_LEN];
    char figure[VALIDATION_NAME_LEN];
    char unit[24];
    char metric[VALIDATION_NAME_LEN];  /* estimator metric or "-" */
    double published;                  /* in unit */
    int year;
    double node_nm;
    char conditions[512];
    char source[256];
    int line;                          /* line in chips.csv */
    /* filled by validation_run */
    int compared;                      /* 1: estimated and rel_error valid */
    int efficiency;                    /* 1: an energy-efficiency figure (pJ/SOP, TOPS/W ...) */
    double estimated;                  /* in unit */
    double rel_error;                  /* (estimated - published) / published */
    char reason[256];                  /* what dominates the estimate */
} validation_figure;

typedef struct {
    char path[512];
    int n;
    validation_figure *fig;
} validation_set;

/* Summary statistics of a run. Ratios are estimated / published. */
typedef struct {
    int n_figures, n_compared, n_efficiency;
    int n_chips, n_chips_within_2x;    /* chips whose efficiency figures all lie within 2x */
    double median_abs_rel_eff;         /* median |rel_error| over efficiency figures */
    double median_abs_rel_all;         /* median |rel_error| over all compared figures */
    double share_within_2x;            /* compared figures with 0.5 <= ratio <= 2 */
    int worst;                         /* index of the largest |log ratio|, -1 if none */
} validation_summary;

/* Read chips.csv. Errors are FILE:LINE (missing column, bad number, unknown
 * metric or unit). */
snnex_status validation_load(const char *path, validation_set *set, snnex_err *err);
void validation_free(validation_set *set);

/* SI value of one unit of `unit` for `metric`'s quantity: estimated_in_unit
 * = metric / scale. Returns 0 (and *scale) or -1 for an unsupported unit. */
int validation_unit_scale(const char *unit, double *scale);

/* Is unit an energy-efficiency unit (pJ/SOP, TFLOPS/W, TOPS/W, GSOPS/W)? */
int validation_is_efficiency_unit(const char *unit);

/* Estimate every chip of set with dir/<chip>.cfg and fill the estimated
 * fields. A missing or bad config is an error naming its FILE:LINE. */
snnex_status validation_run(validation_set *set, const char *dir, snnex_err *err);

/* Statistics over the filled set. */
void validation_summarize(const validation_set *set, validation_summary *s);

/* Write the comparison: format "table", "csv" (columns
 * chip,figure,unit,published,estimated,rel_error,conditions,source) or
 * "markdown" (the README table). */
snnex_status validation_write(const validation_set *set, const char *format, FILE *f, snnex_err *err);

/* Write the gnuplot data and script for the log-log parity plot into dir
 * (which must exist) and run gnuplot (pngcairo) to make
 * dir/validation_parity.png. Errors: SNNEX_EINVAL for a directory name a
 * gnuplot script cannot hold (control characters) or a file that cannot be
 * created there, SNNEX_EIO when gnuplot is missing or fails. */
snnex_status validation_plot(const validation_set *set, const char *dir, snnex_err *err);

/* Write dir/report.html: one self-contained page (no network, no script)
 * with the summary, the parity plot as inline SVG from gnuplot (hovering a
 * marker shows the chip, figure, values, conditions and source; also
 * written as dir/validation_parity.svg) and the table of every figure.
 * Errors as validation_plot's. */
snnex_status validation_report(const validation_set *set, const char *dir, snnex_err *err);

#endif
