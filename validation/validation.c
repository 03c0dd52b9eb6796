/* validation — load the published chip figures, estimate each chip with its
 * config, compare, and summarise. Output formats and the parity plot are in
 * validation_out.c. */
#include "validation/validation.h"
#include "estimator/estimator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Units a figure may be published in, with the SI value of one unit.
 * Efficiency units are those the fidelity target is about. */
static const struct {
    const char *unit;
    double scale;
    int efficiency;
} units[] = {
    {"pJ/SOP", 1.0, 1},      /* metric pj_per_sop is already in pJ */
    {"TFLOPS/W", 1.0, 1},    /* metrics tflops_per_w_* are already TFLOPS/W */
    {"TOPS/W", 1.0, 1},
    {"mm2", 1e-6, 0},
    {"m2", 1.0, 0},
    {"W", 1.0, 0},
    {"mW", 1e-3, 0},
    {"uW", 1e-6, 0},
    {"J", 1.0, 0},
    {"uJ", 1e-6, 0},
    {"nJ", 1e-9, 0},
    {"s", 1.0, 0},
    {"ms", 1e-3, 0},
    {"%", 1.0, 0},
    {"B", 1.0, 0},
};
#define N_UNITS (sizeof units / sizeof units[0])

/* Per-SOP figures whose published scope is narrower than the estimator's
 * pj_per_sop (FP-engine on-chip energy) or pj_per_sop_dynamic (the same
 * without leakage), computed here from the FP engine's energy breakdown:
 *   pj_per_sop_core      one core alone: no NoC (leakage included), for
 *                        figures that exclude the interconnect (SENECA);
 *   pj_per_sop_synaptic  the synaptic op alone, dynamic: weight read, the
 *                        accumulation into the neuron state (membrane
 *                        memory), the FP arithmetic (the neuron update's
 *                        compares are in it: a few % of it in the shipped
 *                        set) and the clock and control of the pipeline
 *                        that does it; no leakage, NoC or spike memory
 *                        (Loihi's per-op table, from SDF+SPICE of the
 *                        clocked pipeline). */
static const struct {
    const char *name;
    unsigned comps; /* bit k: component k counts */
} scoped[] = {
    {"pj_per_sop_core", ~(1u << SNNEX_COMP_NOC | 1u << SNNEX_COMP_DRAM)},
    {"pj_per_sop_synaptic", 1u << SNNEX_COMP_COMPUTE | 1u << SNNEX_COMP_WEIGHT_MEM | 1u << SNNEX_COMP_MEMBRANE_MEM |
                                1u << SNNEX_COMP_CLOCK | 1u << SNNEX_COMP_CONTROL},
};
#define N_SCOPED (int)(sizeof scoped / sizeof scoped[0])

static int scoped_metric(const char *metric)
{
    for (int i = 0; i < N_SCOPED; i++)
        if (!strcmp(metric, scoped[i].name))
            return i;
    return -1;
}

/* The FP engine's energy in the scope's components per SOP, in pJ. */
static double scoped_value(const snnex_result *r, int k)
{
    double e = 0;
    for (int l = 0; l < r->n_layers; l++)
        for (int c = 0; c < SNNEX_N_COMP; c++)
            if (scoped[k].comps >> c & 1u)
                e += r->energy_J[l][SNNEX_ENG_FP][c];
    return r->sops > 0 ? e / r->sops * 1e12 : 0;
}

int validation_unit_scale(const char *unit, double *scale)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (!strcmp(unit, units[i].unit)) {
            *scale = units[i].scale;
            return 0;
        }
    return -1;
}

int validation_is_efficiency_unit(const char *unit)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (!strcmp(unit, units[i].unit))
            return units[i].efficiency;
    return 0;
}

/* ---- CSV --------------------------------------------------------------- */

#define N_COLS 9
static const char *const col_names[N_COLS] = {"chip", "figure", "unit", "published", "metric",
                                              "year", "node_nm", "conditions", "source"};

/* Split one CSV record starting at *p (RFC 4180: quoted fields may hold
 * commas, doubled quotes and newlines). Fields are written NUL-terminated
 * into buf; *p advances past the record and *lines counts the newlines it
 * consumed. Returns the number of fields, or -1 for an unterminated quote. */
static int csv_record(const char **p, char *buf, size_t cap, char **fields, int max, int *lines)
{
    const char *s = *p;
    size_t n = 0;
    int nf = 0;
    fields[nf++] = buf;
    for (;;) {
        if (*s == '"') {
            s++;
            for (;;) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"') {
                    if (n + 1 < cap) buf[n++] = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    if (*s == '\n') (*lines)++;
                    if (n + 1 < cap) buf[n++] = *s;
                    s++;
                }
            }
        }
        while (*s && *s != ',' && *s != '\n' && *s != '\r') {
            if (n + 1 < cap) buf[n++] = *s;
            s++;
        }
        if (*s == ',') {
            buf[n < cap ? n : cap - 1] = 0;
            n++;
            s++;
            if (nf < max)
                fields[nf] = buf + (n < cap ? n : cap - 1);
            nf++;
            continue;
        }
        buf[n < cap ? n : cap - 1] = 0;
        if (*s == '\r') s++;
        if (*s == '\n') s++, (*lines)++;
        break;
    }
    *p = s;
    return nf;
}

static snnex_status copy_field(char *dst, size_t cap, const char *src, const char *what, const char *path,
                               int line, snnex_err *err)
{
    if (strlen(src) >= cap)
        return snnex_err_set(err, SNNEX_EINVAL, path, line, "%s is longer than %zu characters", what, cap - 1);
    strcpy(dst, src);
    return SNNEX_OK;
}

snnex_status validation_load(const char *path, validation_set *set, snnex_err *err)
{
    memset(set, 0, sizeof *set);
    snprintf(set->path, sizeof set->path, "%s", path);
    char *text;
    size_t len;
    snnex_status st = snnex_read_file(path, &text, &len, err);
    if (st)
        return st;
    char *buf = malloc(len + 2);
    int cap = 16;
    set->fig = malloc(sizeof *set->fig * cap);
    if (!buf || !set->fig) {
        free(text), free(buf);
        validation_free(set);
        return snnex_err_set(err, SNNEX_ENOMEM, path, 0, "out of memory");
    }
    const char *p = text;
    int line = 1, header = 1;
    char *f[N_COLS + 8];
    while (*p) {
        int start = line;
        if (*p == '#') { /* comment line */
            while (*p && *p != '\n')
                p++;
            if (*p)
                p++, line++;
            continue;
        }
        int nf = csv_record(&p, buf, len + 2, f, N_COLS + 8, &line);
        if (nf < 0) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, start, "unterminated quoted field");
            break;
        }
        if (nf == 1 && (!f[0][0] || f[0][0] == '#'))
            continue; /* blank or comment line */
        if (nf != N_COLS) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, start,
                               "expected %d columns (chip,figure,unit,published,metric,year,node_nm,conditions,source), got %d",
                               N_COLS, nf);
            break;
        }
        if (header) {
            for (int c = 0; c < N_COLS && !st; c++)
                if (strcmp(f[c], col_names[c]))
                    st = snnex_err_set(err, SNNEX_EINVAL, path, start, "column %d must be \"%s\" (got \"%s\")", c + 1,
                                       col_names[c], f[c]);
            if (st)
                break;
            header = 0;
            continue;
        }
        if (set->n == cap) {
            validation_figure *nfig = realloc(set->fig, sizeof *set->fig * (cap *= 2));
            if (!nfig) {
                st = snnex_err_set(err, SNNEX_ENOMEM, path, start, "out of memory");
                break;
            }
            set->fig = nfig;
        }
        validation_figure *v = &set->fig[set->n];
        memset(v, 0, sizeof *v);
        v->line = start;
        if ((st = copy_field(v->chip, sizeof v->chip, f[0], "chip", path, start, err)) ||
            (st = copy_field(v->figure, sizeof v->figure, f[1], "figure", path, start, err)) ||
            (st = copy_field(v->unit, sizeof v->unit, f[2], "unit", path, start, err)) ||
            (st = copy_field(v->metric, sizeof v->metric, f[4], "metric", path, start, err)) ||
            (st = copy_field(v->conditions, sizeof v->conditions, f[7], "conditions", path, start, err)) ||
            (st = copy_field(v->source, sizeof v->source, f[8], "source", path, start, err)))
            break;
        if (!v->chip[0] || strspn(v->chip, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(v->chip)) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, start,
                               "chip must be a lower-case name naming validation/<chip>.cfg (got \"%s\")", v->chip);
            break;
        }
        if (snnex_parse_double(f[3], &v->published) || !(v->published > 0)) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, start, "published must be a positive number (got \"%s\")", f[3]);
            break;
        }
        long year;
        if (snnex_parse_long(f[5], &year) || year < 1950 || year > 2100) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, start, "year must be an integer 1950-2100 (got \"%s\")", f[5]);
            break;
        }
        v->year = (int)year;
        if (snnex_parse_double(f[6], &v->node_nm) || !(v->node_nm > 0)) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, start, "node_nm must be a positive number (got \"%s\")", f[6]);
            break;
        }
        double scale;
        if (validation_unit_scale(v->unit, &scale)) {
            char list[256] = "";
            for (size_t i = 0; i < N_UNITS; i++)
                strcat(strcat(list, i ? "|" : ""), units[i].unit);
            st = snnex_err_set(err, SNNEX_EINVAL, path, start, "unknown unit \"%s\"; use one of %s", v->unit, list);
            break;
        }
        if (strcmp(v->metric, "-")) {
            int known = scoped_metric(v->metric) >= 0;
            for (int i = 0; snnex_metric_names[i]; i++)
                known |= !strcmp(v->metric, snnex_metric_names[i]);
            if (!known) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, start,
                                   "unknown metric \"%s\"; use \"-\", an estimator metric such as pj_per_sop, "
                                   "tflops_per_w_dense, area_core_m2, area_chip_m2, power_W, or pj_per_sop_core or pj_per_sop_synaptic",
                                   v->metric);
                break;
            }
        }
        v->efficiency = validation_is_efficiency_unit(v->unit) && strcmp(v->metric, "-");
        set->n++;
    }
    if (!st && header)
        st = snnex_err_set(err, SNNEX_EINVAL, path, 1, "empty file: expected the header %s,%s,...", col_names[0],
                           col_names[1]);
    free(text);
    free(buf);
    if (st)
        validation_free(set);
    return st;
}

void validation_free(validation_set *set)
{
    free(set->fig);
    set->fig = NULL;
    set->n = 0;
}

/* ---- running ----------------------------------------------------------- */

static const char *const comp_names[SNNEX_N_COMP] = {"compute", "weight memory", "membrane memory", "spike memory",
                                                     "gradient memory", "global buffer", "DRAM", "NoC", "clock",
                                                     "control", "memory leakage", "logic leakage"};

/* What dominates the estimate behind a metric: the largest component of the
 * FP-engine energy (pj_per_sop), of all on-chip energy (efficiency and
 * energy metrics) or of the area. */
static void explain(const snnex_result *r, const char *metric, char *out, size_t cap)
{
    double part[SNNEX_N_COMP] = {0}, total = 0;
    int is_area = !strncmp(metric, "area_", 5); /* area_m2, area_core_m2, area_chip_m2 */
    int fp_only = !strncmp(metric, "pj_per_sop", 10);
    int dynamic = !strcmp(metric, "pj_per_sop_dynamic") || !strcmp(metric, "tflops_per_w_dynamic");
    int sc = scoped_metric(metric);
    for (int k = 0; k < SNNEX_N_COMP; k++) {
        if (is_area)
            part[k] = r->area_m2[k];
        else
            for (int l = 0; l < r->n_layers; l++)
                for (int e = 0; e < SNNEX_N_ENG; e++)
                    if (!fp_only || e == SNNEX_ENG_FP)
                        part[k] += r->energy_J[l][e][k];
        if (!is_area && k == SNNEX_COMP_DRAM && strncmp(metric, "energy_J", 8) && strcmp(metric, "power_W") &&
            strcmp(metric, "tflops_per_w_system"))
            part[k] = 0; /* on-chip metrics exclude DRAM */
        if (!is_area && (k == SNNEX_COMP_LEAKAGE || k == SNNEX_COMP_LOGIC_LEAK) && dynamic)
            part[k] = 0;
        if (sc >= 0 && !(scoped[sc].comps >> k & 1u))
            part[k] = 0;
        total += part[k];
    }
    int best = 0;
    for (int k = 1; k < SNNEX_N_COMP; k++)
        if (part[k] > part[best])
            best = k;
    snprintf(out, cap, "%s %.0f %% of %s; latency bound %s", comp_names[best],
             total > 0 ? 100.0 * part[best] / total : 0.0,
             is_area ? "area" : fp_only ? "FP-engine energy" : "energy", r->bound);
}

void validation_compare(validation_figure *v, const snnex_result *res, int loo)
{
    if (!validation_fitted(v)) {
        v->compared = 0;
        return;
    }
    double si = 0, scale = 1;
    int sc = scoped_metric(v->metric);
    if (sc >= 0)
        si = scoped_value(res, sc);
    else
        snnex_result_metric(res, v->metric, &si);
    validation_unit_scale(v->unit, &scale);
    if (loo) {
        v->loo_estimated = si / scale;
        v->loo_rel_error = (v->loo_estimated - v->published) / v->published;
        return;
    }
    v->estimated = si / scale;
    v->rel_error = (v->estimated - v->published) / v->published;
    v->compared = v->estimated > 0;
    explain(res, v->metric, v->reason, sizeof v->reason);
}

snnex_status validation_run(validation_set *set, const char *dir, int loo, snnex_err *err)
{
    validation_ctx *c;
    snnex_status st = validation_prepare(set, dir, &c, err);
    if (st)
        return st;
    /* leave-one-chip-out first: it leaves the estimated fields of the last
     * refit behind, which the in-sample run then overwrites */
    if (loo && !(st = validation_loo(c, err)))
        set->has_loo = 1;
    if (!st)
        st = validation_eval(c, &snnex_calib_default, err);
    validation_ctx_free(c);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, int n)
{
    if (n == 0)
        return 0;
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

void validation_summarize(const validation_set *set, validation_summary *s)
{
    memset(s, 0, sizeof *s);
    s->worst = -1;
    s->n_figures = set->n;
    size_t sz = sizeof(double) * (set->n + 1);
    double *all = malloc(sz), *eff = malloc(sz), *loo = malloc(sz), *loo_eff = malloc(sz), *loo_area = malloc(sz),
           *area = malloc(sz);
    if (!all || !eff || !loo || !loo_eff || !loo_area || !area) {
        free(all), free(eff), free(loo), free(loo_eff), free(loo_area), free(area);
        return;
    }
    int n_area = 0;
    int within = 0;
    double worst = -1;
    for (int i = 0; i < set->n; i++) {
        const validation_figure *v = &set->fig[i];
        if (i == 0 || strcmp(v->chip, set->fig[i - 1].chip)) {
            /* a new chip: within 2x when all its efficiency figures are */
            int has = 0, ok = 1;
            for (int j = i; j < set->n && !strcmp(set->fig[j].chip, v->chip); j++)
                if (set->fig[j].compared && set->fig[j].efficiency) {
                    double r = set->fig[j].estimated / set->fig[j].published;
                    has = 1;
                    ok &= r >= 0.5 && r <= 2.0;
                }
            s->n_chips += has;
            s->n_chips_within_2x += has && ok;
        }
        if (!v->compared)
            continue;
        if (set->has_loo) {
            double rl = v->loo_estimated / v->published;
            loo[s->n_loo] = fabs(v->loo_rel_error);
            if (v->efficiency)
                loo_eff[s->n_loo_eff++] = fabs(v->loo_rel_error);
            else
                loo_area[s->n_loo_area++] = fabs(v->loo_rel_error);
            s->n_loo++;
            if (v->efficiency && !(rl >= 0.5 && rl <= 2.0))
                s->n_loo_eff_outside_2x++;
        }
        double r = v->estimated / v->published, a = fabs(v->rel_error);
        all[s->n_compared++] = a;
        if (v->efficiency)
            eff[s->n_efficiency++] = a;
        else
            area[n_area++] = a;
        within += r >= 0.5 && r <= 2.0;
        if (fabs(log(r)) > worst)
            worst = fabs(log(r)), s->worst = i;
    }
    s->share_within_2x = s->n_compared ? (double)within / s->n_compared : 0;
    s->median_abs_rel_all = median(all, s->n_compared);
    s->median_abs_rel_eff = median(eff, s->n_efficiency);
    s->median_abs_rel_other = median(area, n_area);
    s->loo_median_abs_rel_eff = median(loo_eff, s->n_loo_eff);
    s->loo_median_abs_rel_other = median(loo_area, s->n_loo_area);
    s->loo_median_abs_rel_all = median(loo, s->n_loo);
    free(all), free(eff), free(loo), free(loo_eff), free(loo_area), free(area);
}
