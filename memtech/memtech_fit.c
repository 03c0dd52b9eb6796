/* memtech fit — loads the CACTI 7 / NVSim reference CSVs and fits the array
 * model's coefficients (memtech_internal.h) with GSL nonlinear least
 * squares on log(model) − log(reference), so every point weighs by its
 * relative error. The residual calls memtech_eval, the same function the
 * library prices with, so the fit and the model cannot drift apart.
 * Used by tools/memtech_fit.c (regenerates memtech_coef.c) and by the test
 * that checks the committed coefficients reproduce. */
#include "memtech/memtech_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- CSV loading ------------------------------------------------------- */

enum { C_TOOL, C_NODE, C_CELL, C_CAP, C_WIDTH, C_RD, C_WR, C_LEAK, C_AREA,
       C_T1, C_T2, N_COLS };

static snnex_status load_one(const char *path, int nvsim, memtech_ref_point **pts,
                             int *n, int *cap, snnex_err *err)
{
    char *buf;
    size_t len;
    snnex_status st = snnex_read_file(path, &buf, &len, err);
    if (st)
        return st;
    int line = 0;
    char *save = NULL;
    for (char *row = strtok_r(buf, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
        line++;
        size_t rl = strlen(row);
        if (rl && row[rl - 1] == '\r')
            row[rl - 1] = 0;
        if (line == 1 || !row[0])
            continue;                       /* header (column order is fixed) */
        char *f[N_COLS + 1];
        int nf = 0;
        for (char *p = row; nf <= N_COLS; ) {
            f[nf++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = 0;
            p = c + 1;
        }
        double v[N_COLS];
        int ok = nf == N_COLS;
        for (int i = C_NODE; ok && i < N_COLS; i++)
            if (i != C_CELL && snnex_parse_double(f[i], &v[i]) != 0)
                ok = 0;
        if (!ok) {
            free(buf);
            return snnex_err_set(err, SNNEX_EINVAL, path, line,
                                 "reference row must have %d numeric-valued columns "
                                 "(tool,node_nm,cell,capacity_bytes,width_bits,…)", N_COLS);
        }
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 256;
            memtech_ref_point *np = realloc(*pts, (size_t)*cap * sizeof **pts);
            if (!np) {
                free(buf);
                return snnex_err_set(err, SNNEX_ENOMEM, path, line, "out of memory");
            }
            *pts = np;
        }
        memtech_ref_point *r = &(*pts)[(*n)++];
        memset(r, 0, sizeof *r);
        snprintf(r->tool, sizeof r->tool, "%s", f[C_TOOL]);
        snprintf(r->cell, sizeof r->cell, "%s", f[C_CELL]);
        r->a.tech = strstr(f[C_CELL], "STT") ? MEMTECH_STT : MEMTECH_SRAM;
        r->a.flavor = strstr(f[C_CELL], "lop") ? MEMTECH_LOP : MEMTECH_HP;
        r->aggressive = strstr(f[C_CELL], "aggr") != NULL;
        r->a.node_nm = v[C_NODE];
        r->a.capacity_bytes = v[C_CAP];
        r->a.width_bits = (int)v[C_WIDTH];
        r->a.banks = 1;
        r->ref.read_energy_J = v[C_RD] * 1e-12;
        r->ref.write_energy_J = v[C_WR] * 1e-12;
        r->ref.leakage_W = v[C_LEAK] * 1e-3;
        r->ref.area_m2 = v[C_AREA] * 1e-6;
        r->ref.read_latency_s = v[C_T1] * 1e-9;
        /* CACTI: access_time, cycle_time; NVSim: read_latency, write_latency */
        r->ref.write_latency_s = nvsim ? v[C_T2] * 1e-9 : NAN;
        r->ref.cycle_time_s = nvsim ? NAN : v[C_T2] * 1e-9;
    }
    free(buf);
    return SNNEX_OK;
}

snnex_status memtech_ref_load(const char *dir, memtech_ref_point **pts, int *n,
                              snnex_err *err)
{
    static const struct { const char *name; int nvsim; } files[] = {
        {"cacti_subset.csv", 0}, {"nvsim_subset.csv", 1}, {"nvsim_45nm.csv", 1}};
    char path[1024];
    int cap = 0;
    *pts = NULL;
    *n = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        snnex_status st = load_one(path, files[i].nvsim, pts, n, &cap, err);
        if (st) {
            free(*pts);
            *pts = NULL;
            *n = 0;
            return st;
        }
    }
    return SNNEX_OK;
}

/* ---- fitting ----------------------------------------------------------- */

/* Norm minimised on log errors. The reference tools re-optimise their
 * organisation point by point, so their outputs step; a smooth model
 * cannot follow a step, and least squares would let the few step points
 * carry large errors. Σ|r|^4 spreads the error more evenly (closer to
 * minimax) at a small cost in median. */
#define LP_NORM 2.0
/* The test bound is |model/ref − 1| <= 35 % for every point; least squares
 * alone lets one or two step points exceed it, so residuals outside
 * [log 0.69, log 1.31] get a steep extra cost (a soft minimax constraint). */
#define HINGE_K 3.0
#define HINGE_S 0.02
#define HINGE_HI 0.27     /* log(1.31) */
#define HINGE_LO (-0.37)  /* log(0.69) */

enum { Q_RD, Q_WR, Q_AREA, Q_LAT, Q_CYC, Q_WLAT, Q_LEAK };

typedef struct { double *p; int is_log; } fit_param;

typedef struct {
    memtech_coef *k;
    const fit_param *par;
    int npar;
    const memtech_ref_point **pts;
    int n;
    const int *q;
    int nq;
    double p;          /* minimise Σ|r|^p (p = 2: least squares) */
    int hinge;         /* add the soft bound */
} fit_ctx;

static double quantity(const memtech_cost *c, int q)
{
    switch (q) {
    case Q_RD: return c->read_energy_J;
    case Q_WR: return c->write_energy_J;
    case Q_AREA: return c->area_m2;
    case Q_LAT: return c->read_latency_s;
    case Q_CYC: return c->cycle_time_s;
    case Q_WLAT: return c->write_latency_s;
    default: return c->leakage_W;
    }
}

static void unpack(const fit_ctx *fc, const gsl_vector *x)
{
    for (int i = 0; i < fc->npar; i++) {
        double v = gsl_vector_get(x, (size_t)i);
        *fc->par[i].p = fc->par[i].is_log ? exp(v) : v;
    }
}

/* max(0, x) smoothed over HINGE_S: the penalty stays differentiable, so the
 * trust-region solver converges to one point whatever the BLAS kernel
 * rounds (a kinked max(0, x) left it at kernel-dependent kinks). */
static double softplus(double x)
{
    double z = x / HINGE_S;
    return HINGE_S * (z > 30 ? z : log1p(exp(z)));
}

static int resid(const gsl_vector *x, void *data, gsl_vector *r)
{
    const fit_ctx *fc = data;
    unpack(fc, x);
    for (int i = 0; i < fc->n; i++) {
        memtech_cost c;
        const memtech_ref_point *pt = fc->pts[i];
        memtech_eval(fc->k, &pt->a, &c);
        for (int j = 0; j < fc->nq; j++) {
            double m = quantity(&c, fc->q[j]);
            if (fc->q[j] == Q_LEAK && pt->a.tech == MEMTECH_STT)   /* NVSim: ungated */
                m /= fmin(1.0, MEMTECH_STT_POWERED_BITS / (pt->a.capacity_bytes * 8.0));
            double d = log(fmax(m, 1e-300)) - log(quantity(&pt->ref, fc->q[j]));
            if (fc->p != 2.0)
                d = copysign(pow(fabs(d), fc->p / 2.0), d);
            /* soft bound: steep extra cost outside [HINGE_LO, HINGE_HI] */
            if (fc->hinge)
                d += HINGE_K * (softplus(d - HINGE_HI) - softplus(HINGE_LO - d));
            gsl_vector_set(r, (size_t)(i * fc->nq + j), d);
        }
    }
    return GSL_SUCCESS;
}

/* Select points: tool prefix, technology, node (0 = any), and not the
 * aggressive STT cell. */
static int select_pts(const memtech_ref_point *all, int n, const char *tool,
                      memtech_kind tech, double node_nm, const memtech_ref_point **out)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (strncmp(all[i].tool, tool, strlen(tool)) == 0 && all[i].a.tech == tech &&
            !all[i].aggressive && (node_nm == 0 || all[i].a.node_nm == node_nm))
            out[m++] = &all[i];
    return m;
}

static snnex_status run_fit(const char *name, memtech_coef *k, const fit_param *par,
                            int npar, const memtech_ref_point **pts, int n,
                            const int *q, int nq, double p, FILE *report, snnex_err *err)
{
    fit_ctx fc = {k, par, npar, pts, n, q, nq, p, 0};
    size_t nr = (size_t)n * (size_t)nq;
    if (nr <= (size_t)npar)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "fit %s: %zu residuals for %d parameters; the reference "
                             "CSVs are missing rows", name, nr, npar);
    gsl_vector *x = gsl_vector_alloc((size_t)npar);
    for (int i = 0; i < npar; i++)
        gsl_vector_set(x, (size_t)i, par[i].is_log ? log(*par[i].p) : *par[i].p);
    gsl_multifit_nlinear_fdf fdf = {0};
    fdf.f = resid;
    fdf.n = nr;
    fdf.p = (size_t)npar;
    fdf.params = &fc;
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    /* SVD: a coefficient whose term the data barely sees (log-parameter far
     * negative) leaves a near-zero Jacobian column, which QR handles badly */
    fp.solver = gsl_multifit_nlinear_solver_svd;
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, nr, (size_t)npar);
    /* phase 1: plain least squares from the starting point; phase 2: from
     * there, with the soft bound (it only moves points that violate it) */
    int info = 0, st = GSL_SUCCESS;
    for (int phase = 0; phase < 2 && (st == GSL_SUCCESS || st == GSL_EMAXITER); phase++) {
        fc.hinge = phase > 0;
        if (phase)
            gsl_vector_memcpy(x, gsl_multifit_nlinear_position(w));
        gsl_multifit_nlinear_init(x, &fdf, w);
        st = gsl_multifit_nlinear_driver(2000, 1e-12, 1e-12, 0.0, NULL, NULL, &info, w);
    }
    gsl_vector *r = gsl_multifit_nlinear_residual(w);
    double ss = 0;
    for (size_t i = 0; i < nr; i++)
        ss += gsl_vector_get(r, i) * gsl_vector_get(r, i);
    unpack(&fc, gsl_multifit_nlinear_position(w));
    if (report)
        fprintf(report, "fit %-14s %3d points x %d quantities, %2d parameters, "
                "L%g log error %.4f, %zu iterations, status %s\n", name, n, nq, npar, p,
                pow(ss / (double)nr, 1.0 / p), gsl_multifit_nlinear_niter(w), gsl_strerror(st));
    gsl_multifit_nlinear_free(w);
    gsl_vector_free(x);
    if (st != GSL_SUCCESS && st != GSL_EMAXITER)
        return snnex_err_set(err, SNNEX_EINTERNAL, "", 0, "fit %s failed: %s", name,
                             gsl_strerror(st));
    return SNNEX_OK;
}

/* STT section: NVSim was forced to 64 Kbit subarrays (-ForceBank so that
 * every subarray holds 64 Kbit; shared/reference/memtech/README.md), so
 * its section size is not fitted. */
#define STT_SUB_BITS 65536.0

/* Starting point: order-of-magnitude values read off the 32 nm CSV rows
 * (e.g. ~0.02 pJ/bit read at 4 KiB, ~1 pJ/bit at 4 MiB; ~75 nW/bit hp
 * leakage; a wordline section of ~10^5–10^6 bits). The fit only needs them
 * to land in the right basin. */
static void initial(memtech_coef *k)
{
    memset(k, 0, sizeof *k);
    k->a_delay[0] = k->a_delay[1] = 1.0;
    k->sub_bits[0] = 262144;   /* a quarter of a 1 Mbit array */
    k->sub_bits[1] = STT_SUB_BITS;
    k->b_stt = MEMTECH_B_STT_PRIOR;
    for (int t = 0; t < 2; t++)
        for (int f = 0; f < 2; f++) {
            memtech_tech_coef *c = t ? &k->stt[f] : &k->sram[f];
            c->gamma_rd = c->gamma_wr = 0.65;
            c->rd[0] = c->wr[0] = 1e-15;
            c->rd[1] = c->wr[1] = 5e-18;
            c->rd[2] = c->wr[2] = 1e-17;
            c->rd[3] = c->wr[3] = 1e-15;
            c->area[0] = 0.8;
            c->area[1] = 10;
            c->area[2] = 100;
            c->leak[0] = f ? 1e-8 : 7e-8;
            c->leak[1] = 0;
            c->lat[0] = c->cyc[0] = c->wlat[0] = 1e-10;
            c->lat[1] = c->cyc[1] = c->wlat[1] = 4e-13;
        }
}

#define PL(x) {&(x), 1}
#define PR(x) {&(x), 0}

static snnex_status lono_report(const memtech_ref_point *all, int n, FILE *f,
                                snnex_err *err);

snnex_status memtech_fit_run(const char *dir, memtech_coef *k, FILE *report,
                             snnex_err *err)
{
    memtech_ref_point *all;
    int n_all;
    snnex_status st = memtech_ref_load(dir, &all, &n_all, err);
    if (st)
        return st;
    st = memtech_fit_points(all, n_all, 0, k, report, err);
    if (!st && report) {
        memtech_fit_report(k, all, n_all, report);
        st = lono_report(all, n_all, report, err);
    }
    free(all);
    return st;
}

snnex_status memtech_fit_points(const memtech_ref_point *all, int n_all, double node_nm,
                                memtech_coef *k, FILE *report, snnex_err *err)
{
    const memtech_ref_point **sp = malloc((size_t)(n_all > 0 ? n_all : 1) * sizeof *sp);
    const memtech_ref_point **tp = malloc((size_t)(n_all > 0 ? 2 * n_all : 1) * sizeof *tp);
    if (!sp || !tp) {
        free(sp);
        free(tp);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    int ns = select_pts(all, n_all, "CACTI", MEMTECH_SRAM, node_nm, sp);
    int nt = select_pts(all, n_all, "NVSim", MEMTECH_STT, node_nm, tp);
    /* STT delay and leakage: the 32 nm rows (below) */
    const memtech_ref_point **tp32 = tp + nt;
    int nt32 = 0;
    for (int i = 0; i < nt; i++)
        if (tp[i]->a.node_nm == MEMTECH_REF_NODE_NM)
            tp32[nt32++] = tp[i];
    initial(k);
    memtech_tech_coef *s = k->sram, *t = k->stt;
    snnex_status st = SNNEX_OK;
    static const int q_e[] = {Q_RD}, q_wr[] = {Q_WR}, q_a[] = {Q_AREA}, q_l[] = {Q_LAT},
                     q_c[] = {Q_CYC}, q_w[] = {Q_WLAT}, q_k[] = {Q_LEAK};

    /* 1. SRAM dynamic energy (CACTI, 32+65 nm jointly). The node law is
     *    not fitted (C·V² from cited tables, memtech.c). Read first: it
     *    sets the section size, which write shares; write has its own γ
     *    (its per-bit term is the data-in tree and the full-swing bitline
     *    of each written column, not the data-out tree). */
    fit_param p_se[] = {PR(s[0].gamma_rd), PR(s[1].gamma_rd), PL(k->sub_bits[0]),
        PL(s[0].rd[0]), PL(s[0].rd[1]), PL(s[0].rd[2]), PL(s[0].rd[3]),
        PL(s[1].rd[0]), PL(s[1].rd[1]), PL(s[1].rd[2]), PL(s[1].rd[3])};
    fit_param p_sw[] = {PR(s[0].gamma_wr), PR(s[1].gamma_wr),
        PL(s[0].wr[0]), PL(s[0].wr[1]), PL(s[0].wr[2]), PL(s[0].wr[3]),
        PL(s[1].wr[0]), PL(s[1].wr[1]), PL(s[1].wr[2]), PL(s[1].wr[3])};
    /* 2. SRAM area (CACTI): node law fixed at F². */
    fit_param p_sa[] = {PL(s[0].area[0]), PL(s[0].area[1]), PL(s[0].area[2]),
                        PL(s[1].area[0]), PL(s[1].area[1]), PL(s[1].area[2])};
    /* 3. SRAM access time (CACTI): one node exponent. */
    fit_param p_sl[] = {PR(k->a_delay[0]), PR(k->a_delay[1]), PL(s[0].lat[0]), PL(s[0].lat[1]),
                        PL(s[1].lat[0]), PL(s[1].lat[1])};
    fit_param p_sc[] = {PL(s[0].cyc[0]), PL(s[0].cyc[1]), PL(s[1].cyc[0]), PL(s[1].cyc[1])};
    /* 4. SRAM leakage (CACTI): per flavour a magnitude and a node exponent. */
    fit_param p_sk[] = {PL(s[0].leak[0]), PR(s[0].leak[1]), PL(s[1].leak[0]), PR(s[1].leak[1])};
    /* 5-8. STT-MRAM (NVSim 32 and 45 nm): its own γ; section size fixed
     *      (STT_SUB_BITS). Energy: its own node law (memtech.c), whose one
     *      coefficient, the periphery's exponent b_stt, is fitted with the
     *      rest on both nodes (the sense term follows NVSim's table, not
     *      fitted); with one node it stays at MEMTECH_B_STT_PRIOR. Area:
     *      F², both nodes. Delay and leakage: the SRAM node laws, fitted on
     *      the 32 nm rows only (NVSim's 45 nm read latency and leakage follow
     *      its sense-amplifier tables, which these laws do not; README). */
#define P_TE_REST PR(t[0].gamma_rd), PR(t[1].gamma_rd), PR(t[0].gamma_wr), PR(t[1].gamma_wr),   \
        PL(t[0].rd[0]), PL(t[0].rd[1]), PL(t[0].rd[2]), PL(t[0].rd[3]),                   \
        PL(t[0].wr[0]), PL(t[0].wr[1]), PL(t[0].wr[2]), PL(t[0].wr[3]),                   \
        PL(t[1].rd[0]), PL(t[1].rd[1]), PL(t[1].rd[2]), PL(t[1].rd[3]),                   \
        PL(t[1].wr[0]), PL(t[1].wr[1]), PL(t[1].wr[2]), PL(t[1].wr[3])
    fit_param p_te[] = {P_TE_REST};
    fit_param p_teb[] = {PR(k->b_stt), P_TE_REST};
#undef P_TE_REST
    static const int q_rw[] = {Q_RD, Q_WR};
    fit_param p_ta[] = {PL(t[0].area[0]), PL(t[0].area[1]), PL(t[0].area[2]),
                        PL(t[1].area[0]), PL(t[1].area[1]), PL(t[1].area[2])};
    fit_param p_tl[] = {PL(t[0].lat[0]), PL(t[0].lat[1]), PL(t[1].lat[0]), PL(t[1].lat[1])};
    fit_param p_tw[] = {PL(t[0].wlat[0]), PL(t[0].wlat[1]), PL(t[1].wlat[0]), PL(t[1].wlat[1])};
    fit_param p_tk[] = {PL(t[0].leak[0]), PL(t[1].leak[0])};

#define FIT(name, p, pts, np, q)                                                     \
    if (!st)                                                                         \
        st = run_fit(name, k, p, (int)(sizeof p / sizeof p[0]), pts, np, q,           \
                     (int)(sizeof q / sizeof q[0]), LP_NORM, report, err)
    if (ns) {   /* CACTI has no 45 nm rows */
        FIT("sram.read", p_se, sp, ns, q_e);
        FIT("sram.write", p_sw, sp, ns, q_wr);
        FIT("sram.area", p_sa, sp, ns, q_a);
    }
    if (node_nm == 0) {   /* delay and leakage node exponents need two nodes */
        FIT("sram.latency", p_sl, sp, ns, q_l);
        FIT("sram.cycle", p_sc, sp, ns, q_c);
        FIT("sram.leakage", p_sk, sp, ns, q_k);
    }
    for (int f = 0; f < 2; f++) {
        /* CACTI reports no separate write time: write latency = access time */
        s[f].wlat[0] = s[f].lat[0];
        s[f].wlat[1] = s[f].lat[1];
        /* STT periphery leakage follows the SRAM periphery's node law */
        t[f].leak[1] = s[f].leak[1];
    }
    if (nt && node_nm == 0) {
        FIT("stt.energy", p_teb, tp, nt, q_rw);
    } else if (nt) {
        FIT("stt.energy", p_te, tp, nt, q_rw);
    }
    if (nt)
        FIT("stt.area", p_ta, tp, nt, q_a);
    if (nt32) {
        FIT("stt.latency", p_tl, tp32, nt32, q_l);
        FIT("stt.wlatency", p_tw, tp32, nt32, q_w);
        FIT("stt.leakage", p_tk, tp32, nt32, q_k);
    }
#undef FIT
    free(sp);
    free(tp);
    return st;
}

/* ---- error table -------------------------------------------------------- */

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void memtech_ref_errors(const memtech_coef *k, const memtech_ref_point *pts, int n,
                        const char *tool, memtech_kind tech, double node_nm, int q,
                        double *median, double *max, int *count)
{
    double e[512];
    int m = 0;
    for (int i = 0; i < n && m < 512; i++) {
        const memtech_ref_point *p = &pts[i];
        if (strncmp(p->tool, tool, strlen(tool)) || p->a.tech != tech || p->aggressive ||
            p->a.node_nm != node_nm)
            continue;
        memtech_cost c;
        memtech_eval(k, &p->a, &c);
        double ref = quantity(&p->ref, q), mod = quantity(&c, q);
        if (q == Q_LEAK && tech == MEMTECH_STT)
            mod /= fmin(1.0, MEMTECH_STT_POWERED_BITS / (p->a.capacity_bytes * 8.0));
        if (isnan(ref))
            continue;
        e[m++] = fabs(mod / ref - 1.0);
    }
    *count = m;
    *median = *max = NAN;
    if (!m)
        return;
    qsort(e, (size_t)m, sizeof e[0], cmp_dbl);
    *median = m % 2 ? e[m / 2] : 0.5 * (e[m / 2 - 1] + e[m / 2]);
    *max = e[m - 1];
}

void memtech_fit_report(const memtech_coef *k, const memtech_ref_point *pts, int n,
                        FILE *f)
{
    static const struct { const char *tool; memtech_kind tech; double node; const char *name; }
        g[] = {{"CACTI", MEMTECH_SRAM, 32, "CACTI SRAM 32 nm"},
               {"CACTI", MEMTECH_SRAM, 65, "CACTI SRAM 65 nm"},
               {"NVSim", MEMTECH_STT, 32, "NVSim STT 32 nm"},
               {"NVSim", MEMTECH_STT, 45, "NVSim STT 45 nm"},
               {"NVSim", MEMTECH_SRAM, 32, "NVSim SRAM 32 nm (not fitted)"},
               {"NVSim", MEMTECH_SRAM, 45, "NVSim SRAM 45 nm (not fitted)"}};
    static const char *qn[] = {"read_E", "write_E", "area", "read_t", "cycle_t", "write_t",
                               "leak(ungated)"};
    fprintf(f, "relative error |model/ref - 1|: median / max (points)\n");
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        fprintf(f, "  %-30s", g[i].name);
        for (int q = Q_RD; q <= Q_LEAK; q++) {
            double med, mx;
            int cnt;
            memtech_ref_errors(k, pts, n, g[i].tool, g[i].tech, g[i].node, q, &med, &mx, &cnt);
            if (cnt)
                fprintf(f, " %s %.3f/%.3f", qn[q], med, mx);
        }
        fprintf(f, "\n");
    }
}

/* Leave one node out: fit the energy and area on one node and print the
 * errors on the other (the node law is then a prediction): CACTI SRAM 32
 * <-> 65 nm, NVSim STT 32 <-> 45 nm (b_stt at MEMTECH_B_STT_PRIOR). */
static snnex_status lono_report(const memtech_ref_point *all, int n, FILE *f,
                                snnex_err *err)
{
    static const struct { const char *tool; memtech_kind tech; double nodes[2]; } g[2] = {
        {"CACTI", MEMTECH_SRAM, {32, 65}}, {"NVSim", MEMTECH_STT, {32, 45}}};
    static const int qs[3] = {Q_RD, Q_WR, Q_AREA};
    static const char *qn[3] = {"read_E", "write_E", "area"};
    for (int t = 0; t < 2; t++) {
        fprintf(f, "leave one node out (%s %s): median / max of |model/ref - 1|\n", g[t].tool,
                memtech_kind_name(g[t].tech));
        for (int i = 0; i < 2; i++) {
            memtech_coef k;
            snnex_status st = memtech_fit_points(all, n, g[t].nodes[i], &k, NULL, err);
            if (st)
                return st;
            fprintf(f, "  fit %g nm, predict %g nm:", g[t].nodes[i], g[t].nodes[1 - i]);
            for (int j = 0; j < 3; j++) {
                double med, mx;
                int cnt;
                memtech_ref_errors(&k, all, n, g[t].tool, g[t].tech, g[t].nodes[1 - i], qs[j],
                                   &med, &mx, &cnt);
                fprintf(f, " %s %.3f/%.3f", qn[j], med, mx);
            }
            fprintf(f, "\n");
        }
    }
    return SNNEX_OK;
}

/* ---- writing memtech_coef.c -------------------------------------------- */

static void write_tech(FILE *f, const char *what, const memtech_tech_coef *c)
{
    fprintf(f, "    /* %s */\n    {\n", what);
    fprintf(f, "        .gamma_rd = %.17g,\n        .gamma_wr = %.17g,\n", c->gamma_rd,
            c->gamma_wr);
    fprintf(f, "        .rd = {%.17g, %.17g, %.17g, %.17g},\n", c->rd[0], c->rd[1], c->rd[2],
            c->rd[3]);
    fprintf(f, "        .wr = {%.17g, %.17g, %.17g, %.17g},\n", c->wr[0], c->wr[1], c->wr[2],
            c->wr[3]);
    fprintf(f, "        .area = {%.17g, %.17g, %.17g},\n", c->area[0], c->area[1], c->area[2]);
    fprintf(f, "        .leak = {%.17g, %.17g},\n", c->leak[0], c->leak[1]);
    fprintf(f, "        .lat = {%.17g, %.17g},\n", c->lat[0], c->lat[1]);
    fprintf(f, "        .cyc = {%.17g, %.17g},\n", c->cyc[0], c->cyc[1]);
    fprintf(f, "        .wlat = {%.17g, %.17g},\n", c->wlat[0], c->wlat[1]);
    fprintf(f, "    },\n");
}

void memtech_coef_write_c(const memtech_coef *k, const char *how, FILE *f)
{
    fprintf(f, "/* GENERATED FILE — do not edit. Produced by `make memtech-coef`, i.e.\n"
               " *   %s\n"
               " * which fits the array model of memtech.c (memtech_eval) with GSL\n"
               " * gsl_multifit_nlinear (trust region, log-space residuals) to the CACTI 7\n"
               " * SRAM (32, 65 nm) and NVSim STT-MRAM (32, 45 nm) rows of shared/reference/memtech/\n"
               " * {cacti_subset,nvsim_subset,nvsim_45nm}.csv.\n"
               " * Units: J, m²/F², W, s; see memtech_internal.h for each field. */\n"
               "#include \"memtech/memtech_internal.h\"\n\n"
               "const memtech_coef memtech_coef_fitted = {\n", how);
    fprintf(f, "    .a_delay = {%.17g, %.17g},\n    .sub_bits = {%.17g, %.17g},\n",
            k->a_delay[0], k->a_delay[1], k->sub_bits[0], k->sub_bits[1]);
    fprintf(f, "    .b_stt = %.17g,\n", k->b_stt);
    fprintf(f, "    .sram = {\n");
    write_tech(f, "SRAM hp (CACTI itrs-hp)", &k->sram[0]);
    write_tech(f, "SRAM lop (CACTI itrs-lop)", &k->sram[1]);
    fprintf(f, "    },\n    .stt = {\n");
    write_tech(f, "STT-MRAM hp (NVSim STT-MRAM_hp)", &k->stt[0]);
    write_tech(f, "STT-MRAM lop (NVSim STT-MRAM_lop)", &k->stt[1]);
    fprintf(f, "    },\n};\n");
}
