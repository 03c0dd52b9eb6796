/* validation — the global calibration: the few coefficients no source pins
 * down (desc.h snnex_calib) fitted once over the whole validation set, in
 * log space, each inside a cited or argued range; and leave-one-chip-out
 * cross-validation (refit without chip c, predict c). Never per chip.
 *
 * The fit: least squares over every compared figure of log(estimated /
 * published) under a soft-L1 loss (below), with GSL's trust-region Levenberg–Marquardt
 * (gsl_multifit_nlinear, finite-difference Jacobian). Each coefficient is
 * a logistic function of a free parameter between the logs of its bounds,
 * so no step can leave its range; a coefficient within 1 % of a bound is
 * flagged. Three starts (the ranges' geometric middles and two corners)
 * are run and the lowest cost kept, so the result does not hinge on one
 * start. */
#include "validation/validation.h"
#include "estimator/estimator.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The ranges, each with its source or argument (README "Calibration"). */
const validation_coef validation_coefs[SNNEX_N_CALIB] = {
    {"k_tree", "clock buffers and wire, x the flip-flops' clock energy", 0.8, 4.0,
     "OpenROAD power reports of placed-and-routed ASAP7 RISC-V cores with CoreMark activity (bazel-orfs "
     "test/coremark_joule/README.md @e054f57c, Table 5): clock-network over flip-flop clock energy 0.8-1.7 for "
     "ibex, picorv32 and SERV (ungated), 3-6 for VeeR EH1 with its clock-gating network"},
    {"ctrl_ge", "gate-equivalent operations per control event", 20, 1000,
     "overheads/README.md section 2: decode/sequencer logic sized as a gate count at activity 0.1-0.2; an engine "
     "controller of 200-5,000 GE (its counters, address generators and handshake FSM)"},
    {"utilisation", "placement utilisation of logic cells", 0.34, 0.70,
     "achieved placement utilisation of open accelerator and SoC flows: gemmini systolic array 34-38 % (HighTide "
     "PR 87), Croc SoC core 44 % (overheads/README.md section 4), ternip NPU and minimax 40-71 % (HighTide PRs 171, 10)"},
    {"leak_scale", "scale on the ASAP7 logic leakage density of the Vt class", 0.25, 4.0,
     "ASAP7 TT 25 C only (overheads/README.md ASAP7 caveats): corners, temperature (several x at 85-110 C) and a "
     "library's Vt mix move it by a few x; one Vt step is 10x"},
};

int validation_coef_bound(int i, double v)
{
    return v <= validation_coefs[i].lo * 1.01 ? -1 : v >= validation_coefs[i].hi / 1.01 ? 1 : 0;
}

static double *field(snnex_calib *c, int i)
{
    double *f[SNNEX_N_CALIB] = {&c->k_tree, &c->ctrl_ge, &c->utilisation, &c->leak_scale};
    return f[i];
}

double validation_calib_get(const snnex_calib *c, int i)
{
    return *field((snnex_calib *)c, i);
}

void validation_calib_set(snnex_calib *c, int i, double v)
{
    *field(c, i) = v;
}

/* ---- the prepared set: every chip's config loaded once ----------------- */

struct validation_ctx {
    validation_set *set;
    int n_chips;
    int *chip_of;           /* figure -> chip index */
    snnex_config *cfg;      /* per chip */
    snnex_result *res;      /* scratch */
};

snnex_status validation_prepare(validation_set *set, const char *dir, validation_ctx **out, snnex_err *err)
{
    *out = NULL;
    validation_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    c->set = set;
    c->chip_of = malloc(sizeof(int) * (set->n + 1));
    c->cfg = malloc(sizeof(snnex_config) * (set->n + 1));
    c->res = malloc(sizeof(snnex_result));
    snnex_status st = SNNEX_OK;
    if (!c->chip_of || !c->cfg || !c->res) {
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        goto fail;
    }
    for (int i = 0; i < set->n; i++) {
        validation_figure *v = &set->fig[i];
        if (i > 0 && !strcmp(v->chip, set->fig[i - 1].chip)) {
            c->chip_of[i] = c->n_chips - 1;
            continue;
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(set->fig[j].chip, v->chip)) {
                st = snnex_err_set(err, SNNEX_EINVAL, set->path, v->line, "rows of chip \"%s\" must be consecutive",
                                   v->chip);
                goto fail;
            }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.cfg", dir, v->chip);
        FILE *probe = fopen(path, "r");
        if (!probe) {
            st = snnex_err_set(err, SNNEX_EINVAL, set->path, v->line, "chip \"%s\" has no config %s", v->chip, path);
            goto fail;
        }
        fclose(probe);
        if ((st = snnex_config_load(path, &c->cfg[c->n_chips], err)))
            goto fail;
        c->chip_of[i] = c->n_chips++;
    }
    *out = c;
    return SNNEX_OK;
fail:
    validation_ctx_free(c);
    return st;
}

void validation_ctx_free(validation_ctx *c)
{
    if (!c)
        return;
    free(c->chip_of);
    free(c->cfg);
    free(c->res);
    free(c);
}

int validation_ctx_chips(const validation_ctx *c)
{
    return c->n_chips;
}

/* Estimate chip k with calib and fill its figures' estimated fields (or,
 * with loo set, their loo_ fields). */
static snnex_status eval_chip(validation_ctx *c, int k, const snnex_calib *calib, int loo, snnex_err *err)
{
    snnex_config *cfg = &c->cfg[k];
    cfg->calib = *calib;
    snnex_status st = snnex_estimate(cfg, NULL, c->res, err);
    if (st)
        return st;
    if (!c->res->feasible)
        return snnex_err_set(err, SNNEX_EINVAL, cfg->path, 0, "the chip's design is infeasible: %s", c->res->reason);
    for (int i = 0; i < c->set->n; i++)
        if (c->chip_of[i] == k)
            validation_compare(&c->set->fig[i], c->res, loo);
    return SNNEX_OK;
}

snnex_status validation_eval(validation_ctx *c, const snnex_calib *calib, snnex_err *err)
{
    for (int k = 0; k < c->n_chips; k++) {
        snnex_status st = eval_chip(c, k, calib, 0, err);
        if (st)
            return st;
    }
    return SNNEX_OK;
}

/* ---- the fit -------------------------------------------------------------- */

typedef struct {
    validation_ctx *c;
    int exclude;            /* chip left out, -1 none */
    int n;                  /* residuals */
    snnex_status st;
    snnex_err err;
} fit_data;

static double logistic(double p) { return 1 / (1 + exp(-p)); }

/* Robust loss: the residual is the log error e passed through soft-L1,
 * rho(e) = 2c^2 (sqrt(1 + (e/c)^2) - 1) with c = ln 2, returned as
 * sign(e) sqrt(rho): quadratic within a factor of two, linear beyond, so a
 * chip whose figure the model cannot reach (an undefined SOP count, a
 * parallelism the description cannot express) pulls on the coefficients
 * like any other miss, not with the square of its log error. */
#define SOFT_L1_C 0.6931471805599453
static double soft_l1(double e)
{
    double q = e / SOFT_L1_C, rho = 2 * SOFT_L1_C * SOFT_L1_C * (sqrt(1 + q * q) - 1);
    return e < 0 ? -sqrt(rho) : sqrt(rho);
}

static void params_to_calib(const gsl_vector *x, snnex_calib *cal)
{
    *cal = snnex_calib_default;
    for (int i = 0; i < SNNEX_N_CALIB; i++) {
        double lo = log(validation_coefs[i].lo), hi = log(validation_coefs[i].hi);
        validation_calib_set(cal, i, exp(lo + (hi - lo) * logistic(gsl_vector_get(x, i))));
    }
}

static int resid_f(const gsl_vector *x, void *params, gsl_vector *f)
{
    fit_data *d = params;
    snnex_calib cal;
    params_to_calib(x, &cal);
    int r = 0;
    for (int k = 0; k < d->c->n_chips; k++) {
        if (k == d->exclude)
            continue;
        if (!d->st)
            d->st = eval_chip(d->c, k, &cal, 0, &d->err);
        for (int i = 0; i < d->c->set->n; i++) {
            const validation_figure *v = &d->c->set->fig[i];
            if (d->c->chip_of[i] != k || !validation_fitted(v))
                continue;
            double e = v->compared && v->estimated > 0 ? log(v->estimated / v->published) : 0;
            gsl_vector_set(f, r++, d->st ? 0 : soft_l1(e));
        }
    }
    return GSL_SUCCESS;
}

/* Figures the fit uses: compared ones (an estimate exists for every
 * compared metric; compared is refreshed by each evaluation). */
int validation_fitted(const validation_figure *v)
{
    return strcmp(v->metric, "-") != 0;
}

snnex_status validation_calibrate(validation_ctx *c, int exclude, validation_fit *fit, snnex_err *err)
{
    memset(fit, 0, sizeof *fit);
    fit_data d = {c, exclude, 0, SNNEX_OK, {0}};
    for (int i = 0; i < c->set->n; i++)
        d.n += c->chip_of[i] != exclude && validation_fitted(&c->set->fig[i]);
    if (d.n < SNNEX_N_CALIB)
        return snnex_err_set(err, SNNEX_EINVAL, c->set->path, 0,
                             "%d compared figures: the calibration needs at least %d", d.n, SNNEX_N_CALIB);
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, d.n,
                                                                   SNNEX_N_CALIB);
    gsl_vector *x = gsl_vector_alloc(SNNEX_N_CALIB), *best = gsl_vector_alloc(SNNEX_N_CALIB);
    if (!w || !x || !best) {
        gsl_multifit_nlinear_free(w), gsl_vector_free(x), gsl_vector_free(best);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    gsl_multifit_nlinear_fdf fdf = {resid_f, NULL, NULL, (size_t)d.n, SNNEX_N_CALIB, &d, 0, 0, 0};
    static const double starts[] = {0.0, -1.5, 1.5};
    double best_cost = INFINITY;
    for (int s = 0; s < 3 && !d.st; s++) {
        gsl_vector_set_all(x, starts[s]);
        gsl_multifit_nlinear_init(x, &fdf, w);
        int info;
        gsl_multifit_nlinear_driver(300, 1e-10, 1e-12, 1e-12, NULL, NULL, &info, w);
        gsl_vector *fx = gsl_multifit_nlinear_residual(w);
        double cost;
        gsl_blas_ddot(fx, fx, &cost);
        if (!d.st && cost < best_cost - 1e-12) {
            best_cost = cost;
            gsl_vector_memcpy(best, gsl_multifit_nlinear_position(w));
        }
    }
    snnex_status st = d.st;
    if (st)
        *err = d.err;
    else {
        params_to_calib(best, &fit->calib);
        fit->cost = best_cost;
        fit->n_residuals = d.n;
        fit->rms_log = sqrt(best_cost / d.n);
        for (int i = 0; i < SNNEX_N_CALIB; i++)
            fit->at_bound[i] = validation_coef_bound(i, validation_calib_get(&fit->calib, i));
    }
    gsl_multifit_nlinear_free(w);
    gsl_vector_free(x);
    gsl_vector_free(best);
    return st;
}

snnex_status validation_loo(validation_ctx *c, snnex_err *err)
{
    for (int k = 0; k < c->n_chips; k++) {
        validation_fit fit;
        snnex_status st = validation_calibrate(c, k, &fit, err);
        if (!st)
            st = eval_chip(c, k, &fit.calib, 1, err);
        if (st)
            return st;
    }
    return SNNEX_OK;
}
