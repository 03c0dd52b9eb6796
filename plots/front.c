/* plots/front.c — the data side of the sweep figures: pareto.csv read once
 * into one entry per distinct design with its number, the objectives, each
 * metric in words with a unit chosen for its values, and axis ranges
 * fitted to the data (plots_internal.h). */
#include "plots/plots_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int pl_split(char *s, char **f, int max)
{
    int n = 0;
    while (n < max) {
        if (*s == '"') {
            char *w = ++s;
            f[n++] = w;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"')
                    s++;
                *w++ = *s++;
            }
            if (*s)
                s++;
            *w = 0;
        } else {
            f[n++] = s;
            s += strcspn(s, ",\r\n");
        }
        if (*s != ',') {
            *s = 0;
            break;
        }
        *s++ = 0;
    }
    return n;
}

/* ---- units and words ---------------------------------------------------- */

static const struct {
    const char *col, *words;
} WORDS[] = {
    {"energy_per_sample_J", "energy per sample"},
    {"energy_J", "energy per batch"},
    {"energy_onchip_J", "on-chip energy per batch"},
    {"area_m2", "chip area"},
    {"latency_s", "latency per batch"},
    {"power_W", "power"},
    {"tflops_per_w_effective", "TFLOPS/W, effective"},
    {"tflops_per_w_dense", "TFLOPS/W, dense-equivalent"},
    {"tflops_per_w_system", "TFLOPS/W, with DRAM"},
    {"tflops_per_w_dynamic", "TFLOPS/W, dynamic energy only"},
    {"pj_per_sop", "energy per synaptic op"},
    {"pj_per_sop_dynamic", "dynamic energy per synaptic op"},
    {"dram_bytes", "DRAM traffic per batch"},
    {"gpu_dram_bytes", "GPU DRAM traffic per batch"},
    {"dram_reduction_vs_gpu_pct", "DRAM traffic saved vs the GPU"},
    {"energy_per_round_J", "energy per round"},
    {"latency_per_round_s", "time per round"},
    {"comm_share", "link share of the energy"},
};

static int ends(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

pl_unit_t *pl_metric_units(const pl_front *t)
{
    pl_unit_t *mu = calloc(PL_MAXCOL, sizeof *mu);
    if (!mu)
        return NULL;
    for (int c = t->first_metric; c < t->ncol; c++) {
        double m = 0;
        for (long i = 0; i < t->n; i++)
            m = fmax(m, fabs(atof(pl_field(t, i, c))));
        pl_unit(t->names[c], m, &mu[c]);
    }
    return mu;
}

void pl_unit(const char *m, double vmax, pl_unit_t *u)
{
    const char *words = NULL;
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
        if (!strcmp(WORDS[i].col, m))
            words = WORDS[i].words;
    char w[96];
    if (words)
        snprintf(w, sizeof w, "%s", words);
    else {
        snprintf(w, sizeof w, "%s", m);
        const char *sfx[] = {"_J", "_s", "_W", "_m2", "_pct", "_bytes"};
        for (int i = 0; i < 6; i++)
            if (ends(w, sfx[i])) {
                w[strlen(w) - strlen(sfx[i])] = 0;
                break;
            }
        for (char *p = w; *p; p++)
            if (*p == '_')
                *p = ' ';
    }
    u->scale = 1;
    u->unit[0] = 0;
    char base = ends(m, "_J") ? 'J' : ends(m, "_s") ? 's' : ends(m, "_W") ? 'W' : 0;
    if (base) {
        static const char *const pre[] = {"p", "n", "µ", "m", ""};
        int e = vmax > 0 && isfinite(vmax) ? (int)floor(log10(vmax) / 3) : 0;
        e = e < -4 ? -4 : e > 0 ? 0 : e;
        u->scale = pow(10, -3 * e);
        snprintf(u->unit, sizeof u->unit, "%s%c", pre[e + 4], base);
    } else if (ends(m, "_m2"))
        u->scale = 1e6, snprintf(u->unit, sizeof u->unit, "mm²");
    else if (!strncmp(m, "pj_per_sop", 10))
        snprintf(u->unit, sizeof u->unit, "pJ");
    else if (ends(m, "_bytes")) {
        int g = vmax > 1e10;
        u->scale = g ? 1e-9 : 1e-6, snprintf(u->unit, sizeof u->unit, g ? "GB" : "MB");
    } else if (ends(m, "_pct"))
        snprintf(u->unit, sizeof u->unit, "%%");
    else if (!strcmp(m, "comm_share"))
        u->scale = 100, snprintf(u->unit, sizeof u->unit, "%%");
    snprintf(u->words, sizeof u->words, "%s", w);
    if (u->unit[0])
        snprintf(u->label, sizeof u->label, "%s (%s)", w, u->unit);
    else
        snprintf(u->label, sizeof u->label, "%s", w);
}

/* ---- the front ---------------------------------------------------------- */

void pl_front_free(pl_front *t)
{
    for (long i = 0; i < t->n; i++)
        free(t->line[i]);
    free(t->line);
    free(t->off);
    free(t->num);
    free(t->head);
    memset(t, 0, sizeof *t);
}

int pl_col(const pl_front *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (!strcmp(t->names[i], name))
            return i;
    return -1;
}

int pl_is_axis(const pl_front *t, int c)
{
    return c >= 1 && c < t->first_metric && strcmp(t->names[c], "design") && strcmp(t->names[c], "index");
}

/* FNV-1a of the axis fields of a row */
static unsigned long long axis_hash(char *const *f, const pl_front *t)
{
    unsigned long long h = 1469598103934665603ULL;
    for (int c = 0; c < t->ncol; c++) {
        if (!pl_is_axis(t, c))
            continue;
        for (const char *p = f[c]; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return h;
}

static int same_design(const pl_front *t, long i, char *const *f)
{
    for (int c = 0; c < t->ncol; c++)
        if (pl_is_axis(t, c) && strcmp(pl_field(t, i, c), f[c]))
            return 0;
    return 1;
}

snnex_status pl_front_load(const char *dir, pl_front *t, snnex_err *err)
{
    char path[1200], *line = NULL, *f[PL_MAXCOL];
    size_t cap = 0;
    memset(t, 0, sizeof *t);
    snprintf(path, sizeof path, "%s/pareto.csv", dir);
    FILE *in = fopen(path, "r");
    if (!in)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot read (%s); run snnex sweep first", strerror(errno));
    if (getline(&line, &cap, in) <= 0) {
        fclose(in);
        free(line);
        return snnex_err_set(err, SNNEX_EINVAL, path, 1, "empty file; run snnex sweep first");
    }
    t->head = line, line = NULL, cap = 0;
    t->ncol = pl_split(t->head, f, PL_MAXCOL);
    for (int i = 0; i < t->ncol; i++)
        t->names[i] = f[i];
    t->first_metric = pl_col(t, "energy_J");
    t->cdesign = pl_col(t, "design");
    if (t->first_metric < 1 || pl_col(t, "energy_per_sample_J") < 0) {
        fclose(in);
        pl_front_free(t);
        return snnex_err_set(err, SNNEX_EINVAL, path, 1,
                             "not a snnex pareto.csv (no energy_J column); run snnex sweep to make it");
    }
    /* distinct designs, by a hash table of their axis values */
    long hcap = 1024, capn = 0;
    long *tab = malloc((size_t)hcap * sizeof *tab);
    snnex_status st = tab ? SNNEX_OK : snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    for (long i = 0; tab && i < hcap; i++)
        tab[i] = -1;
    long lineno = 1;
    while (!st && getline(&line, &cap, in) > 0) {
        lineno++;
        char *copy = strdup(line);
        if (!copy) {
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
            break;
        }
        int nf = pl_split(copy, f, PL_MAXCOL);
        if (nf != t->ncol) {
            free(copy);
            st = snnex_err_set(err, SNNEX_EINVAL, path, (int)lineno,
                               "row has %d fields, the header %d; rerun the sweep", nf, t->ncol);
            break;
        }
        t->rows++;
        unsigned long long h = axis_hash(f, t);
        long slot = (long)(h % (unsigned long long)hcap);
        while (tab[slot] >= 0 && !same_design(t, tab[slot], f))
            slot = (slot + 1) % hcap;
        if (tab[slot] >= 0) { /* a design seen before: one row per design */
            free(copy);
            continue;
        }
        if (t->n == capn) {
            capn = capn ? 2 * capn : 256;
            char **nl = realloc(t->line, (size_t)capn * sizeof *nl);
            if (nl)
                t->line = nl;
            int *no = nl ? realloc(t->off, (size_t)capn * (size_t)t->ncol * sizeof *no) : NULL;
            if (no)
                t->off = no;
            long *nn = no ? realloc(t->num, (size_t)capn * sizeof *nn) : NULL;
            if (nn)
                t->num = nn;
            if (!nn) {
                free(copy);
                st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                break;
            }
        }
        t->line[t->n] = copy;
        for (int c = 0; c < t->ncol; c++)
            t->off[t->n * t->ncol + c] = (int)(f[c] - copy);
        t->num[t->n] = t->cdesign >= 0 ? atol(f[t->cdesign]) : t->n + 1;
        tab[slot] = t->n;
        t->n++;
        if (2 * t->n > hcap) { /* grow and rehash */
            long nc = 4 * hcap;
            long *nt = malloc((size_t)nc * sizeof *nt);
            if (!nt) {
                st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                break;
            }
            for (long i = 0; i < nc; i++)
                nt[i] = -1;
            for (long i = 0; i < t->n; i++) {
                char *g[PL_MAXCOL];
                for (int c = 0; c < t->ncol; c++)
                    g[c] = (char *)pl_field(t, i, c);
                long s = (long)(axis_hash(g, t) % (unsigned long long)nc);
                while (nt[s] >= 0)
                    s = (s + 1) % nc;
                nt[s] = i;
            }
            free(tab);
            tab = nt, hcap = nc;
        }
    }
    free(tab);
    free(line);
    fclose(in);
    if (!st && t->n == 0)
        st = snnex_err_set(err, SNNEX_EINVAL, path, 0, "no feasible point to plot (the front is empty); relax "
                                                       "the sweep's constraints");
    if (st)
        pl_front_free(t);
    return st;
}

void pl_objectives(const char *dir, char obj[3][64], int maxi[3], int *n)
{
    snprintf(obj[0], 64, "energy_per_sample_J"), snprintf(obj[1], 64, "latency_s"), snprintf(obj[2], 64, "area_m2");
    maxi[0] = maxi[1] = maxi[2] = 0;
    *n = 3;
    char op[1100], d[3][8], m[3][64];
    snprintf(op, sizeof op, "%s/objectives", dir);
    FILE *of = fopen(op, "r");
    if (!of)
        return;
    int k = fscanf(of, "%7s %63s %7s %63s %7s %63s", d[0], m[0], d[1], m[1], d[2], m[2]);
    fclose(of);
    if (k < 4)
        return;
    *n = k / 2;
    for (int i = 0; i < *n; i++)
        snprintf(obj[i], 64, "%s", m[i]), maxi[i] = !strcmp(d[i], "max");
    if (*n == 2) /* colour: area when the sweep has two objectives */
        snprintf(obj[2], 64, "area_m2"), maxi[2] = 0;
}

/* The range [lo, hi] of some data widened a little so no marker sits on
 * the frame; log when it spans more than 30x. */
void pl_fit(double lo, double hi, double *a, double *b, int *lg)
{
    *lg = lo > 0 && hi / lo > 30;
    if (*lg) {
        double f = pow(hi / lo, 0.06);
        *a = lo / f, *b = hi * f;
    } else {
        double pad = hi > lo ? 0.06 * (hi - lo) : fabs(hi) > 0 ? 0.05 * fabs(hi) : 1;
        *a = lo - pad, *b = hi + pad;
        if (lo >= 0 && *a < 0)
            *a = lo - pad / 3 < 0 ? 0 : lo - pad / 3;
    }
}

void pl_axis(FILE *g, char ax, double a, double b, int lg)
{
    fprintf(g, "set %crange [%.9g:%.9g]\nset format %c '%%g'\n", ax, a, b, ax);
    if (!lg)
        return;
    fprintf(g, "set logscale %c\n", ax);
    if (log10(b / a) >= 3)
        return;
    /* under three decades: ticks at 1, 2, 5 of each decade */
    fprintf(g, "set %ctics (", ax);
    int first = 1;
    for (int e = (int)floor(log10(a)); e <= (int)ceil(log10(b)); e++)
        for (int m = 1; m <= 5; m += m == 1 ? 1 : 3) {
            double v = m * pow(10, e);
            if (v >= a && v <= b)
                fprintf(g, "%s%.6g", first ? "" : ", ", v), first = 0;
        }
    fprintf(g, ")\nset mxtics 10\n");
}

void pl_axis_names(const pl_front *t, char *out, size_t len)
{
    size_t k = 0;
    out[0] = 0;
    for (int c = 0; c < t->ncol && k < len; c++)
        if (pl_is_axis(t, c)) {
            const char *dot = strrchr(t->names[c], '.');
            k += (size_t)snprintf(out + k, len - k, "%s%s", k ? ", " : "", dot ? dot + 1 : t->names[c]);
        }
}

void pl_axis_values(const pl_front *t, long i, char *out, size_t len)
{
    size_t k = 0;
    out[0] = 0;
    for (int c = 0; c < t->ncol && k < len; c++)
        if (pl_is_axis(t, c))
            k += (size_t)snprintf(out + k, len - k, "%s%s", k ? ", " : "", pl_field(t, i, c));
}

/* the metrics a tooltip and the report's table show: the objectives, then
 * a fixed list; -1 ends */
void pl_shown_metrics(const pl_front *t, char obj[3][64], int nobj, int *cols, int max)
{
    static const char *const more[] = {"energy_per_sample_J", "latency_s", "area_m2", "power_W",
                                       "tflops_per_w_effective", "pj_per_sop"};
    int n = 0;
    for (int k = 0; k < nobj + 6 && n < max - 1; k++) {
        int c = pl_col(t, k < nobj ? obj[k] : more[k - nobj]);
        int dup = c < 0;
        for (int j = 0; j < n && !dup; j++)
            dup = cols[j] == c;
        if (!dup)
            cols[n++] = c;
    }
    cols[n] = -1;
}
