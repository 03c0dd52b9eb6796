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
#include "estimator/estimator.h"

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
    double loo_estimated, loo_rel_error; /* leave-one-chip-out: with the calibration refitted without this chip */
    char reason[256];                  /* what dominates the estimate */
} validation_figure;

typedef struct {
    char path[512];
    int n;
    validation_figure *fig;
    int has_loo;                       /* loo_* fields filled (validation_run with loo) */
} validation_set;

/* Summary statistics of a run. Ratios are estimated / published. */
typedef struct {
    int n_figures, n_compared, n_efficiency;
    int n_chips, n_chips_within_2x;    /* chips whose efficiency figures all lie within 2x */
    double median_abs_rel_eff;         /* median |rel_error| over efficiency figures */
    double median_abs_rel_all;         /* median |rel_error| over all compared figures */
    double share_within_2x;            /* compared figures with 0.5 <= ratio <= 2 */
    int worst;                         /* index of the largest |log ratio|, -1 if none */
    double median_abs_rel_other;       /* median |rel_error| over the other (area) figures */
    /* leave-one-chip-out (set->has_loo) */
    int n_loo, n_loo_eff, n_loo_area;
    double loo_median_abs_rel_eff, loo_median_abs_rel_other, loo_median_abs_rel_all;
    int n_loo_eff_outside_2x;          /* efficiency figures outside 2x in leave-one-out */
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

/* Estimate every chip of set with dir/<chip>.cfg and the committed global
 * calibration (snnex_calib_default) and fill the estimated fields; with
 * loo, also the leave-one-chip-out fields (the calibration refitted
 * without the chip, then the chip predicted). A missing or bad config is
 * an error naming its FILE:LINE. */
snnex_status validation_run(validation_set *set, const char *dir, int loo, snnex_err *err);

/* Fill v's estimated fields (or with loo its loo_ fields) from res. */
void validation_compare(validation_figure *v, const snnex_result *res, int loo);

/* ---- the global calibration (calibrate.c) ------------------------------- */

/* One coefficient of snnex_calib: name, meaning, range and its source. */
typedef struct {
    const char *name, *what;
    double lo, hi;
    const char *source;
} validation_coef;
extern const validation_coef validation_coefs[SNNEX_N_CALIB];
double validation_calib_get(const snnex_calib *c, int i);
/* Is value v of coefficient i at a bound of its range (within 1 %)? -1 low,
 * 1 high, 0 inside. */
int validation_coef_bound(int i, double v);
void validation_calib_set(snnex_calib *c, int i, double v);

typedef struct {
    snnex_calib calib;
    int at_bound[SNNEX_N_CALIB];       /* -1 at the low bound, 1 at the high, 0 inside (1 % margin) */
    double cost;                       /* sum of squared log errors */
    double rms_log;                    /* sqrt(cost / residuals) */
    int n_residuals;
} validation_fit;

/* A validation set with every chip's config loaded once. */
typedef struct validation_ctx validation_ctx;
snnex_status validation_prepare(validation_set *set, const char *dir, validation_ctx **c, snnex_err *err);
void validation_ctx_free(validation_ctx *c);
int validation_ctx_chips(const validation_ctx *c);
/* Estimate every chip with calib, filling the estimated fields. */
snnex_status validation_eval(validation_ctx *c, const snnex_calib *calib, snnex_err *err);
/* Does figure v take part in the fit (a compared metric)? */
int validation_fitted(const validation_figure *v);
/* Fit the calibration over every compared figure except those of chip
 * index `exclude` (-1: none), in log space, each coefficient inside its
 * range (GSL trust region, three starts). */
snnex_status validation_calibrate(validation_ctx *c, int exclude, validation_fit *fit, snnex_err *err);
/* Leave one chip out: for each chip, fit without it and predict it
 * (fills loo_estimated, loo_rel_error). */
snnex_status validation_loo(validation_ctx *c, snnex_err *err);

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
