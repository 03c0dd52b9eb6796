/* plots/plots.c — gnuplot figures of a sweep directory. C reads the CSVs
 * (column positions, the front's distinct designs and their numbers, value
 * ranges, per-technology fronts), chooses units and axis ranges that fit
 * the data, places the labels, writes a gnuplot script per figure next to
 * it (DIR/NAME.gp) with its data files and runs gnuplot; each figure goes
 * to a temporary name and is renamed when gnuplot succeeded, so a failed
 * plot leaves no half-written file. Every terminal is noenhanced and every
 * path and name in a script is one quoted gnuplot literal (plot_gp_quote),
 * so no user string is read as gnuplot, shell or markup syntax. */
#include "plots/plots.h"
#include "plots/plots_internal.h"
#include "sweeps/sweeps.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QLEN 2700 /* a quoted path: 1300 bytes, each possibly doubled */

/* s as a gnuplot literal in buf (QLEN bytes); '' (empty) when s cannot be
 * one (control character), so a script never holds a broken literal.
 * plot_sweep rejects such a directory before writing any script. */
static const char *q(char *buf, const char *s)
{
    if (plot_gp_quote(buf, QLEN, s))
        snprintf(buf, QLEN, "''");
    return buf;
}

/* "1–4,7,9": sorted numbers with runs as ranges; at most about 18
 * characters ("1,3,…(12)" when longer: the first items and the count). */
static void compress(const long *v, long n, char *out, size_t len)
{
    size_t k = 0;
    out[0] = 0;
    for (long i = 0; i < n && k < len;) {
        long j = i;
        while (j + 1 < n && v[j + 1] == v[j] + 1)
            j++;
        if (j >= i + 2)
            k += (size_t)snprintf(out + k, len - k, "%s%ld–%ld", i ? "," : "", v[i], v[j]);
        else {
            k += (size_t)snprintf(out + k, len - k, "%s%ld", i ? "," : "", v[i]);
            if (j > i)
                k += (size_t)snprintf(out + k, len - k, ",%ld", v[j]);
        }
        i = j + 1;
    }
    if (k > 18) {
        snprintf(out, len, "%ld,…(%ld)", v[0], n);
    }
}

/* ---- scripts ------------------------------------------------------------ */

static FILE *open_script(const char *dir, const char *name, const char *fmt, int w, int h, char *script, char *out,
                         char *tmp, snnex_err *err)
{
    snprintf(script, 1200, "%s/%s.gp", dir, name);
    snprintf(out, 1200, "%s/%s.%s", dir, name, fmt);
    snprintf(tmp, 1300, "%s/.%s.tmp.%s", dir, name, fmt);
    FILE *f = fopen(script, "w");
    if (!f) {
        snnex_err_set(err, SNNEX_EIO, script, 0, "cannot write: %s", strerror(errno));
        return NULL;
    }
    char qt[QLEN];
    fprintf(f, "# %s.gp, written by snnex plot: run gnuplot on it from the directory snnex plot ran in\n", name);
    if (!strcmp(fmt, "png"))
        fprintf(f, "set terminal pngcairo size %d,%d noenhanced font 'Sans,11'\n", w, h);
    else
        fprintf(f, "set terminal svg size %d,%d noenhanced font 'Sans,11' background rgb 'white'\n", w, h);
    fprintf(f, "set output %s\nset datafile separator ','\nset grid lc rgb '#dddddd'\n", q(qt, tmp));
    return f;
}

static snnex_status run_gnuplot(const char *script, const char *out_tmp, const char *out, snnex_err *err)
{
    snnex_status st = plot_gnuplot(script, err);
    if (!st && rename(out_tmp, out) != 0)
        st = snnex_err_set(err, SNNEX_EIO, out, 0, "cannot write: %s", strerror(errno));
    if (st)
        remove(out_tmp);
    return st;
}

/* svg: the hypertext points become <title> tooltips (plot_svg_tooltips) */
static snnex_status run_svg(const char *script, const char *tmp, const char *out, long n, const char *const *tips,
                            snnex_err *err)
{
    snnex_status st = plot_gnuplot(script, err);
    long found = 0;
    if (!st)
        st = plot_svg_tooltips(tmp, out, n, tips, &found, err);
    remove(tmp);
    if (!st && found == 0 && n > 0)
        st = snnex_err_set(err, SNNEX_EIO, script, 0,
                           "gnuplot wrote no hypertext points (expected %ld); needs gnuplot 5.4's svg terminal", n);
    return st;
}

static void append(char *files, size_t len, const char *name)
{
    if (files) {
        size_t n = strlen(files);
        snprintf(files + n, len - n, "%s\n", name);
    }
}

/* the sweep directory's last path component, for titles */
static void base_name(const char *dir, char *out, size_t n)
{
    char d[1100];
    snprintf(d, sizeof d, "%s", dir);
    size_t l = strlen(d);
    while (l > 1 && d[l - 1] == '/')
        d[--l] = 0;
    const char *s = strrchr(d, '/');
    snprintf(out, n, "%.200s", s && s[1] ? s + 1 : d);
}

/* tooltip of design i */
static char *tip_of(const pl_front *t, long i, const int *shown, const pl_unit_t *mu)
{
    size_t cap = 2048, k = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    k += (size_t)snprintf(s + k, cap - k, "design %ld\n", t->num[i]);
    for (int c = 0; c < t->ncol && k < cap; c++)
        if (pl_is_axis(t, c)) {
            const char *dot = strrchr(t->names[c], '.');
            k += (size_t)snprintf(s + k, cap - k, "%s: %s\n", dot ? dot + 1 : t->names[c], pl_field(t, i, c));
        }
    for (int j = 0; shown[j] >= 0 && k < cap; j++) {
        int c = shown[j];
        k += (size_t)snprintf(s + k, cap - k, "%s: %.4g%s%s\n", mu[c].words, atof(pl_field(t, i, c)) * mu[c].scale,
                              mu[c].unit[0] ? " " : "", mu[c].unit);
    }
    if (k && k < cap && s[k - 1] == '\n')
        s[k - 1] = 0;
    return s;
}

/* ---- the figures --------------------------------------------------------- */

#define KEY_ROWS 30
#define SVG_CLOUD 20000 /* grey points of points.csv an SVG front holds at most */

/* 2. energy per sample of the front's first nl designs (those the key
 * lists, numbered as there), by component and by engine */
static snnex_status breakdown_figure(const char *dir, const char *fmt, const pl_front *t, long nl, const char *base,
                                     char *files, size_t files_len, snnex_err *err)
{
    char path[1200], aux[1300], script[1200], out[1200], tmp[1300], q1[QLEN], q2[QLEN];
    snnex_status st = SNNEX_OK;
    FILE *d, *g;
    {
        int ccomp[SNNEX_N_COMP], ceng[4], cb = pl_col(t, "energy_J"), cs = pl_col(t, "energy_per_sample_J");
        static const char *const engines[4] = {"E_fp_J", "E_bp_J", "E_wg_J", "E_opt_J"};
        static const char *const engine_words[4] = {"forward", "backward", "weight gradient", "optimizer"};
        int ok = cb >= 0 && cs >= 0;
        for (int c = 0; c < SNNEX_N_COMP; c++)
            ok = ok && (ccomp[c] = pl_col(t, sweep_comp_columns[c])) >= 0;
        for (int e = 0; e < 4; e++)
            ok = ok && (ceng[e] = pl_col(t, engines[e])) >= 0;
        if (!ok) {
            snprintf(path, sizeof path, "%s/pareto.csv", dir);
            st = snnex_err_set(err, SNNEX_EINVAL, path, 1, "no energy breakdown columns (E_*_J); rerun the sweep");
            return st;
        }
        /* one chip (mode single: energy_per_round_J = energy_J for every
         * design): per sample, so a bar is the design's energy per sample.
         * Several chips (system group): energy_per_sample_J is the whole
         * round's (links, aggregation, idle) over its samples, so the
         * components, one worker chip's, are shown per batch */
        int cr = pl_col(t, "energy_per_round_J"), single = 1;
        for (long i = 0; cr >= 0 && i < t->n && single; i++) {
            double r = atof(pl_field(t, i, cr)), b = atof(pl_field(t, i, cb));
            single = fabs(r - b) <= 1e-9 * fabs(b);
        }
        double emax = 0;
        for (long i = 0; i < nl; i++)
            emax = fmax(emax, atof(pl_field(t, i, single ? cs : cb)));
        pl_unit_t eu;
        pl_unit("energy_per_sample_J", emax, &eu);
        const char *per_what = single ? "energy per sample" : "energy per batch of one worker chip";
        snprintf(path, sizeof path, "%s/breakdown.dat", dir);
        d = fopen(path, "w");
        if (!d) {
            st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
            return st;
        }
        fprintf(d, "# design, %s (%s) by component (%d columns) then by engine (fp, bp, wg, opt)\n", per_what,
                eu.unit, SNNEX_N_COMP);
        for (long i = 0; i < nl; i++) {
            double eb = atof(pl_field(t, i, cb)), per = !single ? 1 : eb > 0 ? atof(pl_field(t, i, cs)) / eb : 0;
            fprintf(d, "%ld", t->num[i]);
            for (int c = 0; c < SNNEX_N_COMP; c++)
                fprintf(d, ",%.9g", atof(pl_field(t, i, ccomp[c])) * per * eu.scale);
            for (int e = 0; e < 4; e++)
                fprintf(d, ",%.9g", atof(pl_field(t, i, ceng[e])) * per * eu.scale);
            fprintf(d, "\n");
        }
        fclose(d);
        g = open_script(dir, "breakdown", fmt, 1100, 750, script, out, tmp, err);
        if (!g) {
            return err->status;
        }
        char which[128];
        if (t->n > nl)
            snprintf(which, sizeof which, "designs 1–%ld of %ld", nl, t->n);
        else
            snprintf(which, sizeof which, "all %ld designs", t->n);
        fprintf(g, "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\n"
                   "set boxwidth 0.7\nset key outside right top vertical\nset yrange [0:*]\nset format y '%%g'\n"
                   "set lmargin at screen 0.08\nset rmargin at screen 0.80\n");
        snprintf(aux, sizeof aux, "%s (%s)", per_what, eu.unit);
        fprintf(g, "set ylabel %s\n", q(q1, aux));
        fprintf(g, "set multiplot layout 2,1\n");
        snprintf(aux, sizeof aux, "%c%s of the Pareto-front designs of sweep %s (%s), by component", 'E',
                 per_what + 1, base, which);
        fprintf(g, "set title %s\nunset xlabel\n", q(q1, aux));
        snprintf(path, sizeof path, "%s/breakdown.dat", dir);
        q(q1, path);
        static const char *const colours[SNNEX_N_COMP] = {"#9467bd", "#2ca02c", "#17becf", "#bcbd22", "#8c564b",
                                                          "#1f77b4", "#d62728", "#7f7f7f", "#e377c2", "#aec7e8",
                                                          "#ff7f0e", "#ffbb78"};
        fprintf(g, "plot ");
        for (int c = 0; c < SNNEX_N_COMP; c++) {
            char name[64];
            snprintf(name, sizeof name, "%s", sweep_comp_columns[c] + 2);
            name[strlen(name) - 2] = 0;
            for (char *p = name; *p; p++)
                if (*p == '_')
                    *p = ' ';
            if (!strcmp(name, "noc"))
                snprintf(name, sizeof name, "network on chip");
            else if (!strcmp(name, "global buf"))
                snprintf(name, sizeof name, "global buffer");
            else if (!strcmp(name, "dram"))
                snprintf(name, sizeof name, "DRAM");
            fprintf(g, "%s%s using %d%s lc rgb '%s' title '%s'", c ? ", \\\n  " : "", q1, c + 2,
                    c ? "" : ":xtic(1)", colours[c], name);
        }
        fprintf(g, "\n");
        snprintf(aux, sizeof aux, "... by engine");
        fprintf(g, "set title %s\nset xlabel 'design (numbered as on the Pareto front plot and in the report)'\n",
                q(q2, aux));
        static const char *const ecol[4] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f"};
        fprintf(g, "plot ");
        for (int e = 0; e < 4; e++)
            fprintf(g, "%s%s using %d%s lc rgb '%s' title '%s'", e ? ", \\\n  " : "", q1, SNNEX_N_COMP + 2 + e,
                    e ? "" : ":xtic(1)", ecol[e], engine_words[e]);
        fprintf(g, "\nunset multiplot\n");
        fclose(g);
        if ((st = run_gnuplot(script, tmp, out, err))) {
            return st;
        }
        append(files, files_len, out);
    }
    return st;
}

/* 3. SRAM vs STT-MRAM weight memory: the 2-objective front of each, from
 * the feasible points' objective values tv[k] (k: 0 SRAM, 1 STT; nt[k]
 * pairs, each objective times g: fronts minimise) */
static snnex_status memtech_figure(const char *dir, const char *fmt, const char *base, char obj[3][64],
                                   const int maxi[3], double *const tv[2], const long nt[2], const pl_unit_t *mx,
                                   const pl_unit_t *my, char *files, size_t files_len, snnex_err *err)
{
    char path[1200], aux[1300], script[1200], out[1200], tmp[1300], q1[QLEN], q2[QLEN];
    snnex_status st = SNNEX_OK;
    FILE *d, *g;
    double gx = maxi[0] ? -1 : 1, gy = maxi[1] ? -1 : 1;
    {
        snprintf(path, sizeof path, "%s/memtech_fronts.dat", dir);
        d = fopen(path, "w");
        if (!d) {
            st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
            return st;
        }
        double mx0 = INFINITY, mx1 = -INFINITY, my0 = INFINITY, my1 = -INFINITY, fxm = 0, fym = 0;
        pl_unit_t ux, uy;
        for (int k = 0; k < 2; k++)
            for (long i = 0; i < nt[k]; i++)
                fxm = fmax(fxm, fabs(tv[k][2 * i])), fym = fmax(fym, fabs(tv[k][2 * i + 1]));
        /* units from the fronts' values, not the whole cloud's */
        {
            double lo0 = INFINITY, lo1 = INFINITY;
            for (int k = 0; k < 2; k++)
                for (long i = 0; i < nt[k]; i++)
                    lo0 = fmin(lo0, fabs(tv[k][2 * i])), lo1 = fmin(lo1, fabs(tv[k][2 * i + 1]));
            pl_unit(obj[0], maxi[0] ? fxm : lo0, &ux);
            pl_unit(obj[1], maxi[1] ? fym : lo1, &uy);
            (void)fxm, (void)fym;
        }
        for (int k = 0; k < 2; k++) {
            unsigned char *fm = malloc((size_t)nt[k]);
            if (!fm || sweep_pareto(tv[k], nt[k], 2, fm) != SNNEX_OK) {
                free(fm);
                fclose(d);
                st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                return st;
            }
            /* the front sorted by x for drawing as a staircase; equal
             * points once */
            fprintf(d, "# %s\n", k ? "stt" : "sram");
            double lastx = NAN, lasty = NAN;
            for (;;) {
                long best = -1;
                for (long i = 0; i < nt[k]; i++)
                    if (fm[i] == 1 && (best < 0 || tv[k][2 * i] < tv[k][2 * best]))
                        best = i;
                if (best < 0)
                    break;
                double x = gx * tv[k][2 * best] * ux.scale, y = gy * tv[k][2 * best + 1] * uy.scale;
                if (!(x == lastx && y == lasty))
                    fprintf(d, "%.9g,%.9g\n", x, y);
                lastx = x, lasty = y;
                mx0 = fmin(mx0, x), mx1 = fmax(mx1, x), my0 = fmin(my0, y), my1 = fmax(my1, y);
                fm[best] = 2;
            }
            fprintf(d, "\n\n");
            free(fm);
        }
        fclose(d);
        g = open_script(dir, "memtech_fronts", fmt, 1100, 750, script, out, tmp, err);
        if (!g) {
            return err->status;
        }
        snprintf(aux, sizeof aux, "Weight memory SRAM vs STT-MRAM, sweep %s: the Pareto front of each in %s and %s",
                 base, mx->words, my->words);
        fprintf(g, "set title %s\n", q(q1, aux));
        fprintf(g, "set xlabel %s\nset ylabel %s\n", q(q1, ux.label), q(q2, uy.label));
        double a, b;
        int lg;
        pl_fit(mx0, mx1, &a, &b, &lg);
        pl_axis(g, 'x', a, b, lg);
        pl_fit(my0, my1, &a, &b, &lg);
        pl_axis(g, 'y', a, b, lg);
        fprintf(g, "set lmargin at screen 0.09\nset rmargin at screen 0.97\nset bmargin at screen 0.15\n"
                   "set key horizontal center bottom at screen 0.53, screen 0.005 box lc rgb '#aaaaaa'\n");
        fprintf(g, "plot %s index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' notitle, "
                   "'' index 0 using 1:2 with points pt 7 ps 1.3 lc rgb '#1f77b4' title 'SRAM weights', \\\n"
                   "  '' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' notitle, "
                   "'' index 1 using 1:2 with points pt 5 ps 1.3 lc rgb '#d62728' title 'STT-MRAM weights'\n",
                q(q1, path));
        fclose(g);
        if ((st = run_gnuplot(script, tmp, out, err))) {
            return st;
        }
        append(files, files_len, out);
    }
    return st;
}


snnex_status plot_sweep(const char *dir, const char *fmt, char *files, size_t files_len, snnex_err *err)
{
    char path[1200], aux[1300], script[1200], out[1200], tmp[1300], q1[QLEN], q2[QLEN], base[256];
    char *line = NULL, *f[PL_MAXCOL], **tips = NULL;
    size_t cap = 0;
    snnex_status st = SNNEX_OK;
    pl_front t;
    int svg = !strcmp(fmt, "svg");
    double *tv[2] = {NULL, NULL};
    if (files)
        files[0] = 0;
    if (strlen(dir) > 1000)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "sweep directory path too long (%zu bytes; at most 1000)",
                             strlen(dir));
    if (plot_gp_quote(q1, sizeof q1, dir))
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "directory name holds a newline or another control character, which a gnuplot "
                             "script cannot quote; rename the directory");
    if ((st = pl_front_load(dir, &t, err)))
        return st;
    if (access(dir, W_OK) != 0) {
        pl_front_free(&t);
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "cannot write the figures here (%s); make the directory writable or plot a copy",
                             strerror(errno));
    }
    base_name(dir, base, sizeof base);
    char obj[3][64];
    int maxi[3], nobj;
    pl_objectives(dir, obj, maxi, &nobj);
    int cx = pl_col(&t, obj[0]), cy = pl_col(&t, obj[1]), cc = pl_col(&t, obj[2]);
    if (cx < 0 || cy < 0 || cc < 0) {
        pl_front_free(&t);
        snprintf(path, sizeof path, "%s/pareto.csv", dir);
        return snnex_err_set(err, SNNEX_EINVAL, path, 1, "no %s column for the objectives in %s/objectives",
                             cx < 0 ? obj[0] : cy < 0 ? obj[1] : obj[2], dir);
    }
    int ctech = pl_col(&t, "chip.memories.weight.tech");

    /* ranges: the front, and every feasible design of points.csv when the
     * sweep wrote it (not with --points-out none) */
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY, cmin = INFINITY, cmax = -INFINITY;
    for (long i = 0; i < t.n; i++) {
        double x = atof(pl_field(&t, i, cx)), y = atof(pl_field(&t, i, cy)), c = atof(pl_field(&t, i, cc));
        xmin = fmin(xmin, x), xmax = fmax(xmax, x), ymin = fmin(ymin, y), ymax = fmax(ymax, y);
        cmin = fmin(cmin, c), cmax = fmax(cmax, c);
    }
    long nfeas = 0, nrows = 0, nt[2] = {0, 0}, capt[2] = {0, 0};
    int pcx = -1, pcy = -1, pfeas = -1, ptech = -1;
    double gx = maxi[0] ? -1 : 1, gy = maxi[1] ? -1 : 1; /* fronts below minimise g·value */
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *in = fopen(path, "r");
    if (in && getline(&line, &cap, in) > 0) {
        int n = pl_split(line, f, PL_MAXCOL);
        for (int i = 0; i < n; i++) {
            if (!strcmp(f[i], obj[0])) pcx = i;
            if (!strcmp(f[i], obj[1])) pcy = i;
            if (!strcmp(f[i], "feasible")) pfeas = i;
            if (!strcmp(f[i], "chip.memories.weight.tech")) ptech = i;
        }
        int ncols = n;
        while (pcx >= 0 && pcy >= 0 && pfeas >= 0 && getline(&line, &cap, in) > 0) {
            nrows++;
            n = pl_split(line, f, PL_MAXCOL);
            if (n != ncols || strcmp(f[pfeas], "yes"))
                continue;
            double x = atof(f[pcx]), y = atof(f[pcy]);
            xmin = fmin(xmin, x), xmax = fmax(xmax, x), ymin = fmin(ymin, y), ymax = fmax(ymax, y);
            nfeas++;
            if (ptech >= 0) {
                int k = !strcmp(f[ptech], "stt");
                if (nt[k] == capt[k]) {
                    capt[k] = capt[k] ? 2 * capt[k] : 1024;
                    double *nv = realloc(tv[k], (size_t)capt[k] * 2 * sizeof *nv);
                    if (!nv) {
                        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                        break;
                    }
                    tv[k] = nv;
                }
                tv[k][2 * nt[k]] = gx * x, tv[k][2 * nt[k] + 1] = gy * y;
                nt[k]++;
            }
        }
    }
    if (in)
        fclose(in);
    if (st)
        goto out;

    /* units: each metric's from the front's largest value, the two axes'
     * from the whole range drawn */
    pl_unit_t *mu = pl_metric_units(&t);
    if (!mu) {
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        goto out;
    }
    pl_unit(obj[0], fmax(fabs(xmin), fabs(xmax)), &mu[cx]);
    pl_unit(obj[1], fmax(fabs(ymin), fabs(ymax)), &mu[cy]);
    double sx = mu[cx].scale, sy = mu[cy].scale, sc = mu[cc].scale;
    plot_frame fr = {1100, 750, 0.08, 0.53, 0.15, 0.91, 0, 0, 0, 0, 0, 0, 5.6, 12};
    pl_fit(xmin * sx, xmax * sx, &fr.xlo, &fr.xhi, &fr.xlog);
    pl_fit(ymin * sy, ymax * sy, &fr.ylo, &fr.yhi, &fr.ylog);

    /* tooltips (svg) */
    int shown[16];
    pl_shown_metrics(&t, obj, nobj, shown, 16);
    if (svg) {
        tips = calloc((size_t)t.n, sizeof *tips);
        for (long i = 0; tips && i < t.n; i++)
            if (!(tips[i] = tip_of(&t, i, shown, mu)))
                break;
        if (!tips || (t.n && !tips[t.n - 1])) {
            free(mu);
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
            goto out;
        }
    }

    /* data: one row per design, number order */
    snprintf(path, sizeof path, "%s/pareto_front.dat", dir);
    FILE *d = fopen(path, "w");
    if (!d) {
        free(mu);
        st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
    fprintf(d, "# design,%s,%s,%s,tooltip id (scaled to the plot's units)\n", obj[0], obj[1], obj[2]);
    for (long i = 0; i < t.n; i++)
        fprintf(d, "%ld,%.9g,%.9g,%.9g,h%ld\n", t.num[i], atof(pl_field(&t, i, cx)) * sx,
                atof(pl_field(&t, i, cy)) * sy, atof(pl_field(&t, i, cc)) * sc, i);
    fclose(d);

    /* labels: the first KEY_ROWS designs (those the key lists); designs
     * within a few pixels of each other share one label "1–4" */
    long nl = t.n < KEY_ROWS ? t.n : KEY_ROWS, nlab = 0;
    double *lx = malloc((size_t)(nl + 1) * 2 * sizeof *lx);
    char **lt = calloc((size_t)nl + 1, sizeof *lt);
    long *grp = malloc((size_t)(nl + 1) * sizeof *grp), *mem = malloc((size_t)(nl + 1) * sizeof *mem);
    if (!lx || !lt || !grp || !mem) {
        free(lx), free(lt), free(grp), free(mem), free(mu);
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        goto out;
    }
    {
        double pw = fr.w * (fr.r - fr.l), ph = fr.h * (fr.t - fr.b);
        for (long i = 0; i < nl; i++)
            grp[i] = -1;
        for (long i = 0; i < nl; i++) {
            if (grp[i] >= 0)
                continue;
            double xi = atof(pl_field(&t, i, cx)) * sx, yi = atof(pl_field(&t, i, cy)) * sy;
            double ui = pw * pl_frac(xi, fr.xlo, fr.xhi, fr.xlog), vi = ph * pl_frac(yi, fr.ylo, fr.yhi, fr.ylog);
            long m = 0;
            for (long j = i; j < nl; j++) {
                if (grp[j] >= 0)
                    continue;
                double xj = atof(pl_field(&t, j, cx)) * sx, yj = atof(pl_field(&t, j, cy)) * sy;
                double uj = pw * pl_frac(xj, fr.xlo, fr.xhi, fr.xlog), vj = ph * pl_frac(yj, fr.ylo, fr.yhi, fr.ylog);
                if (fabs(uj - ui) < 9 && fabs(vj - vi) < 9)
                    grp[j] = nlab, mem[m++] = t.num[j];
            }
            /* numbers in order for the ranges */
            for (long a = 1; a < m; a++)
                for (long b = a; b > 0 && mem[b - 1] > mem[b]; b--) {
                    long s = mem[b];
                    mem[b] = mem[b - 1], mem[b - 1] = s;
                }
            lt[nlab] = malloc(64);
            if (lt[nlab])
                compress(mem, m, lt[nlab], 64);
            lx[2 * nlab] = xi, lx[2 * nlab + 1] = yi;
            nlab++;
        }
    }
    long counts[4] = {0, 0, 0, 0};
    snprintf(path, sizeof path, "%s/pareto_labels.dat", dir);
    d = fopen(path, "w");
    double *ly = malloc((size_t)(nlab + 1) * sizeof *ly), *lxx = malloc((size_t)(nlab + 1) * sizeof *lxx);
    long unplaced = 0;
    /* every front marker is an obstacle, the unlabelled ones too */
    double *ox = malloc((size_t)(t.n + 1) * sizeof *ox), *oy = malloc((size_t)(t.n + 1) * sizeof *oy);
    if (d && ly && lxx && ox && oy) {
        for (long i = 0; i < nlab; i++)
            lxx[i] = lx[2 * i], ly[i] = lx[2 * i + 1];
        for (long i = 0; i < t.n; i++)
            ox[i] = atof(pl_field(&t, i, cx)) * sx, oy[i] = atof(pl_field(&t, i, cy)) * sy;
        unplaced = plot_place_labels(&fr, nlab, lxx, ly, (const char *const *)lt, t.n, ox, oy, d, counts);
    } else
        unplaced = -1;
    free(ox), free(oy);
    for (long i = 0; i < nlab; i++)
        free(lt[i]);
    free(lt), free(lx), free(grp), free(mem), free(ly), free(lxx);
    if (!d || fclose(d) || unplaced < 0) {
        free(mu);
        st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
        goto out;
    }

    /* 1. Pareto front over all feasible points */
    FILE *g = open_script(dir, "pareto_front", fmt, 1100, 750, script, out, tmp, err);
    if (!g) {
        free(mu);
        st = err->status;
        goto out;
    }
    snprintf(path, sizeof path, "Pareto front of sweep %s: %s vs %s", base, mu[cx].words, mu[cy].words);
    fprintf(g, "set title %s\n", q(q1, path));
    fprintf(g, "set xlabel %s\nset ylabel %s\n", q(q1, mu[cx].label), q(q2, mu[cy].label));
    pl_axis(g, 'x', fr.xlo, fr.xhi, fr.xlog);
    pl_axis(g, 'y', fr.ylo, fr.yhi, fr.ylog);
    {
        double a, b;
        int lg;
        pl_fit(cmin * sc, cmax * sc, &a, &b, &lg);
        fprintf(g, "set cbrange [%.9g:%.9g]\nset format cb '%%g'\n", a, b);
    }
    fprintf(g, "set lmargin at screen %g\nset rmargin at screen %g\nset bmargin at screen %g\nset tmargin at screen %g\n",
            fr.l, fr.r, fr.b, fr.t);
    fprintf(g, "set cblabel %s offset 1.5,0\nset colorbox user origin screen 0.545, screen %g size screen 0.014, screen %g\n",
            q(q1, mu[cc].label), fr.b, fr.t - fr.b);
    fprintf(g, "set palette defined (0 '#2c7bb6', 0.5 '#fdae61', 1 '#d7191c')\n");
    fprintf(g, "set key horizontal center bottom at screen %g, screen 0.005 box lc rgb '#aaaaaa'\n",
            (fr.l + fr.r) / 2);
    /* the key of design numbers, right of the colour bar's label */
    {
        char names[1024], row[1200];
        pl_axis_names(&t, names, sizeof names);
        snprintf(row, sizeof row, "design: %s", names);
        /* the heading wrapped at ", " to lines of at most 66 characters */
        double top = 0.95;
        int lab = 1;
        for (char *p = row; *p;) {
            size_t k = strlen(p);
            if (k > 64) {
                k = 64;
                while (k > 10 && strncmp(p + k - 2, ", ", 2))
                    k--;
            }
            char part[80];
            snprintf(part, sizeof part, "%.*s", (int)k, p);
            fprintf(g, "set label %d %s at screen 0.675, screen %.4f font ',8' tc rgb '#555555'\n", lab++,
                    q(q1, part), top);
            p += k;
            top -= 0.0255;
        }
        double row0 = top;
        for (long i = 0; i < nl; i++) {
            char vals[1024];
            pl_axis_values(&t, i, vals, sizeof vals);
            snprintf(row, sizeof row, "%ld: %s", t.num[i], vals);
            if (strlen(row) > 64)
                snprintf(row + 61, sizeof row - 61, "…");
            fprintf(g, "set label %ld %s at screen 0.675, screen %.4f font ',8'\n", i + 11, q(q1, row),
                    row0 - 0.0255 * (double)i);
        }
        if (t.n > nl) {
            snprintf(row, sizeof row, "… and %ld more designs (pareto.csv, snnex report)", t.n - nl);
            fprintf(g, "set label %d %s at screen 0.675, screen %.4f font ',8' tc rgb '#555555'\n", KEY_ROWS + 11,
                    q(q1, row), row0 - 0.0255 * (double)nl);
        }
    }
    fprintf(g, "plot ");
    int first = 1;
    if (nfeas > 0) {
        snprintf(path, sizeof path, "%s/points.csv", dir);
        /* SVG holds every point drawn: beyond SVG_CLOUD rows, every k-th
         * row of points.csv only (the front is drawn whole) */
        long every = svg && nrows > SVG_CLOUD ? (nrows + SVG_CLOUD - 1) / SVG_CLOUD : 1;
        char ev[64] = "";
        if (every > 1)
            snprintf(ev, sizeof ev, " every %ld", every);
        fprintf(g, "%s skip 1%s using (strcol(%d) eq 'yes' ? $%d*%g : NaN):($%d*%g) "
                   "with points pt 7 ps 0.35 lc rgb '#c8c8c8' title '%s'",
                q(q1, path), ev, pfeas + 1, pcx + 1, sx, pcy + 1, sy,
                every > 1 ? "other feasible designs (a sample)" : "other feasible designs");
        first = 0;
    }
    snprintf(path, sizeof path, "%s/pareto_front.dat", dir);
    snprintf(aux, sizeof aux, "Pareto front (%ld designs)", t.n);
    if (svg)
        fprintf(g, "%s%s using 2:3:5:4 with labels hypertext point pt 7 ps 1.0 lc palette title %s", first ? "" : ", \\\n  ",
                q(q1, path), q(q2, aux));
    else
        fprintf(g, "%s%s using 2:3:4 with points pt 7 ps 1.3 lc palette title %s", first ? "" : ", \\\n  ",
                q(q1, path), q(q2, aux));
    snprintf(path, sizeof path, "%s/pareto_labels.dat", dir);
    plot_label_clauses(g, q(q1, path), counts, ",8");
    fprintf(g, "\n");
    fclose(g);
    st = svg ? run_svg(script, tmp, out, t.n, (const char *const *)tips, err) : run_gnuplot(script, tmp, out, err);
    if (st) {
        free(mu);
        goto out;
    }
    append(files, files_len, out);

    if ((st = breakdown_figure(dir, fmt, &t, nl, base, files, files_len, err))) {
        free(mu);
        goto out;
    }
    if (ctech >= 0 && nt[0] && nt[1])
        st = memtech_figure(dir, fmt, base, obj, maxi, tv, nt, &mu[cx], &mu[cy], files, files_len, err);
    free(mu);
out:
    if (tips)
        for (long i = 0; i < t.n; i++)
            free(tips[i]);
    free(tips);
    pl_front_free(&t);
    free(line);
    free(tv[0]);
    free(tv[1]);
    return st;
}
