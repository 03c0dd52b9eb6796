/* plots/plots.c — gnuplot figures of a sweep directory. C reads the CSVs
 * once (column positions, value ranges for log scales, per-technology
 * fronts), writes a gnuplot script per figure next to it (DIR/NAME.gp) and
 * runs gnuplot; each figure goes to a temporary name and is renamed when
 * gnuplot succeeded, so a failed plot leaves no half-written file. Every
 * path and name in a script is one quoted gnuplot literal (plot_gp_quote),
 * so a directory name is never read as gnuplot or shell syntax. */
#include "plots/plots.h"
#include "sweeps/sweeps.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXCOL 128
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

typedef struct {
    int ncol;
    char names[MAXCOL][64];
} csv_head;

/* Split a CSV line in place (quotes handled); returns the field count. */
static int split(char *s, char **f, int max)
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
            s += strcspn(s, ",\n");
        }
        if (*s != ',') {
            *s = 0;
            break;
        }
        *s++ = 0;
    }
    return n;
}

static int col(const csv_head *h, const char *name)
{
    for (int i = 0; i < h->ncol; i++)
        if (!strcmp(h->names[i], name))
            return i;
    return -1;
}

/* Display scale and unit of a metric, from its SI name. */
static void unit_of(const char *m, double *scale, char *label, size_t len)
{
    const char *u = strrchr(m, '_');
    *scale = 1;
    if (u && !strcmp(u, "_J"))
        *scale = 1e6, snprintf(label, len, "%.*s (µJ)", (int)(u - m), m);
    else if (u && !strcmp(u, "_s"))
        *scale = 1e3, snprintf(label, len, "%.*s (ms)", (int)(u - m), m);
    else if (u && !strcmp(u, "_m2"))
        *scale = 1e6, snprintf(label, len, "%.*s (mm²)", (int)(u - m), m);
    else if (u && !strcmp(u, "_W"))
        snprintf(label, len, "%.*s (W)", (int)(u - m), m);
    else if (strstr(m, "dram_bytes"))
        *scale = 1e-6, snprintf(label, len, "%s (MB)", m);
    else if (strstr(m, "tflops_per_w"))
        snprintf(label, len, "%s (TFLOPS/W)", m);
    else if (strstr(m, "pj_per_sop"))
        snprintf(label, len, "%s (pJ/SOP)", m);
    else if (u && !strcmp(u, "_pct"))
        snprintf(label, len, "%.*s (%%)", (int)(u - m), m);
    else
        snprintf(label, len, "%s", m);
    for (char *p = label; *p && *p != ' '; p++)
        if (*p == '_')
            *p = ' ';
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

static FILE *open_script(const char *dir, const char *name, const char *fmt, char *script, char *out, char *tmp,
                         snnex_err *err)
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
    if (!strcmp(fmt, "png"))
        fprintf(f, "set terminal pngcairo size 1100,750 enhanced font 'Sans,11'\n");
    else
        fprintf(f, "set terminal svg size 1100,750 enhanced font 'Sans,11' background rgb 'white'\n");
    fprintf(f, "set output %s\nset datafile separator ','\nset grid lc rgb '#dddddd'\n", q(qt, tmp));
    return f;
}

static void append(char *files, size_t len, const char *name)
{
    if (files) {
        size_t n = strlen(files);
        snprintf(files + n, len - n, "%s\n", name);
    }
}

/* Plot position of a value along an axis, as a fraction of the data span
 * (log axes in decades). */
typedef struct {
    double lo, hi;
    int log;
} axis_span;

static double axis_pos(const axis_span *a, double v)
{
    if (a->log)
        return v > 0 ? log(v / a->lo) / log(a->hi / a->lo) : 0;
    return a->hi > a->lo ? (v - a->lo) / (a->hi - a->lo) : 0;
}

/* Append to the growing buffer *key (length *len, capacity *cap) the
 * gnuplot line `set label ID 'TEXT' at screen 0.635, screen Y ...STYLE`,
 * with quotes and backslashes in TEXT blanked so the string stays one
 * gnuplot literal. Returns -1 when out of memory. */
static int key_label(char **key, size_t *len, size_t *cap, long id, const char *text, double y, const char *style)
{
    size_t need = *len + strlen(text) + strlen(style) + 96;
    if (need > *cap) {
        size_t nc = *cap;
        while (nc < need)
            nc *= 2;
        char *nk = realloc(*key, nc);
        if (!nk)
            return -1;
        *key = nk, *cap = nc;
    }
    size_t at = *len + (size_t)sprintf(*key + *len, "set label %ld '", id);
    for (const char *t = text; *t; t++)
        (*key)[at++] = *t == '\'' || *t == '\\' ? ' ' : *t;
    *len = at + (size_t)sprintf(*key + at, "' at screen 0.635, screen %.4f font ',8' %snoenhanced\n", y, style);
    return 0;
}

/* Reads DIR/pareto.csv: writes DIR/pareto_labels.dat (x,y,"numbers": one
 * row per marker position, scaled like the plot's axes; designs within
 * 1.5 % of the data span of an earlier one on both axes share its label,
 * so labels do not print over each other) and returns in *key the gnuplot
 * `set label` lines of the key: a heading naming the swept keys, then
 * number: the design's axis values (columns 1 .. first_metric-1), at most
 * KEY_ROWS rows. */
#define KEY_ROWS 32
static snnex_status front_labels(const char *dir, int first_metric, int cx, int cy, double sx, double sy,
                                 const axis_span *ax, const axis_span *ay, char **key, snnex_err *err)
{
    char path[1200], row[1024], *line = NULL, *f[MAXCOL];
    size_t cap = 0, klen = 0, kcap = 4096;
    long n = 0, npos = 0;
    double *pos = NULL; /* per label: x, y, and its position along each axis */
    char **num = NULL;
    snnex_status st = SNNEX_OK;
    *key = malloc(kcap);
    if (!*key)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    (*key)[0] = 0;
    snprintf(path, sizeof path, "%s/pareto.csv", dir);
    FILE *in = fopen(path, "r");
    if (!in) {
        free(*key), *key = NULL;
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot read (%s); run snnex sweep first", strerror(errno));
    }
    if (getline(&line, &cap, in) > 0) {
        /* the key's heading: the swept keys' last names */
        int nf = split(line, f, MAXCOL);
        size_t rl = (size_t)snprintf(row, sizeof row, "#:");
        for (int i = 1; i < first_metric && i < nf && rl < sizeof row; i++) {
            const char *dot = strrchr(f[i], '.');
            rl += (size_t)snprintf(row + rl, sizeof row - rl, " %s", dot ? dot + 1 : f[i]);
        }
        if (key_label(key, &klen, &kcap, 10, row, 0.955, "tc rgb '#555555' "))
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        while (!st && getline(&line, &cap, in) > 0) {
            nf = split(line, f, MAXCOL);
            if (nf <= cx || nf <= cy || nf < first_metric)
                continue;
            double x = atof(f[cx]) * sx, y = atof(f[cy]) * sy, u = axis_pos(ax, x), v = axis_pos(ay, y);
            n++;
            if (n <= KEY_ROWS) {
                rl = (size_t)snprintf(row, sizeof row, "%ld:", n);
                for (int i = 1; i < first_metric && rl < sizeof row; i++)
                    rl += (size_t)snprintf(row + rl, sizeof row - rl, " %s", f[i]);
                if (key_label(key, &klen, &kcap, n + 10, row, 0.93 - 0.026 * (double)(n - 1), "")) {
                    st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                    break;
                }
            }
            /* (almost) the same spot as an earlier label: share it */
            long j = 0;
            while (j < npos && !(fabs(pos[4 * j + 2] - u) < 0.015 && fabs(pos[4 * j + 3] - v) < 0.015))
                j++;
            if (j == npos) {
                double *np = realloc(pos, (size_t)(npos + 1) * 4 * sizeof *np);
                char **nn = np ? realloc(num, (size_t)(npos + 1) * sizeof *nn) : NULL;
                if (np)
                    pos = np;
                if (nn)
                    num = nn;
                if (!np || !nn || !(num[npos] = calloc(1, 256))) {
                    st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                    break;
                }
                pos[4 * j] = x, pos[4 * j + 1] = y, pos[4 * j + 2] = u, pos[4 * j + 3] = v;
                npos++;
            }
            size_t l = strlen(num[j]);
            if (l < 200)
                snprintf(num[j] + l, 256 - l, "%s%ld", l ? "," : "", n);
        }
    }
    fclose(in);
    free(line);
    if (!st && n > KEY_ROWS) {
        snprintf(row, sizeof row, "... %ld more in pareto.csv", n - KEY_ROWS);
        if (key_label(key, &klen, &kcap, KEY_ROWS + 11, row, 0.93 - 0.026 * KEY_ROWS, ""))
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/pareto_labels.dat", dir);
        FILE *d = fopen(path, "w");
        if (!d)
            st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
        else {
            for (long j = 0; j < npos; j++)
                fprintf(d, "%.9g,%.9g,\"%s\"\n", pos[4 * j], pos[4 * j + 1], num[j]);
            if (fclose(d))
                st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
        }
    }
    for (long j = 0; j < npos; j++)
        free(num[j]);
    free(num);
    free(pos);
    if (st)
        free(*key), *key = NULL;
    return st;
}

snnex_status plot_sweep(const char *dir, const char *fmt, char *files, size_t files_len, snnex_err *err)
{
    char path[1200], aux[1200], script[1200], out[1200], tmp[1300], q1[QLEN], q2[QLEN];
    csv_head h = {0};
    char *line = NULL, *f[MAXCOL];
    size_t cap = 0;
    snnex_status st = SNNEX_OK;
    if (files)
        files[0] = 0;
    if (strlen(dir) > 1000)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "sweep directory path too long (%zu bytes; at most 1000)",
                             strlen(dir));
    if (plot_gp_quote(q1, sizeof q1, dir))
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "directory name holds a newline or another control character, which a gnuplot "
                             "script cannot quote; rename the directory");
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *in = fopen(path, "r");
    if (!in)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot read (%s); is %s a snnex sweep directory?",
                             strerror(errno), dir);
    if (getline(&line, &cap, in) <= 0) {
        fclose(in);
        free(line);
        return snnex_err_set(err, SNNEX_EINVAL, path, 1, "empty file; run snnex sweep first");
    }
    h.ncol = split(line, f, MAXCOL);
    for (int i = 0; i < h.ncol; i++)
        snprintf(h.names[i], sizeof h.names[i], "%s", f[i]);
    int cfeas = col(&h, "feasible"), ctech = col(&h, "chip.memories.weight.tech");
    /* axes: the sweep's first two objectives (DIR/objectives, written by
     * snnex sweep), else energy per sample vs latency */
    char ox[64] = "energy_per_sample_J", oy[64] = "latency_s", oc[64] = "area_m2";
    double gx = 1, gy = 1; /* -1: a maximised objective (fronts below minimise g·value) */
    {
        char op[1100], d0[8], m0[64], d1[8], m1[64], d2[8], m2[64];
        snprintf(op, sizeof op, "%s/objectives", dir);
        FILE *of = fopen(op, "r");
        if (of) {
            int n = fscanf(of, "%7s %63s %7s %63s %7s %63s", d0, m0, d1, m1, d2, m2);
            if (n >= 4) {
                snprintf(ox, sizeof ox, "%s", m0), snprintf(oy, sizeof oy, "%s", m1);
                gx = strcmp(d0, "max") ? 1 : -1, gy = strcmp(d1, "max") ? 1 : -1;
            }
            if (n == 6)
                snprintf(oc, sizeof oc, "%s", m2);
            fclose(of);
        }
    }
    int cx = col(&h, ox), cy = col(&h, oy), ca = col(&h, oc);
    if (cfeas < 0 || cx < 0 || cy < 0 || ca < 0) {
        fclose(in);
        free(line);
        return snnex_err_set(err, SNNEX_EINVAL, path, 1,
                             "not a snnex sweep file (no feasible, %s, %s or %s column)", ox, oy, oc);
    }
    int first_metric = col(&h, "energy_J");
    if (access(dir, W_OK) != 0) {
        fclose(in);
        free(line);
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "cannot write the figures here (%s); make the directory writable or plot a copy",
                             strerror(errno));
    }
    /* ranges and the per-technology fronts */
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    long nfeas = 0;
    long nt[2] = {0, 0}, capt[2] = {0, 0};
    double *tv[2] = {NULL, NULL};
    while (getline(&line, &cap, in) > 0) {
        int n = split(line, f, MAXCOL);
        if (n != h.ncol || strcmp(f[cfeas], "yes"))
            continue;
        double x = atof(f[cx]), y = atof(f[cy]);
        xmin = fmin(xmin, x), xmax = fmax(xmax, x), ymin = fmin(ymin, y), ymax = fmax(ymax, y);
        nfeas++;
        if (ctech >= 0) {
            int t = !strcmp(f[ctech], "stt");
            if (nt[t] == capt[t]) {
                capt[t] = capt[t] ? 2 * capt[t] : 1024;
                double *nv = realloc(tv[t], (size_t)capt[t] * 2 * sizeof *nv);
                if (!nv) {
                    st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                    break;
                }
                tv[t] = nv;
            }
            tv[t][2 * nt[t]] = gx * x, tv[t][2 * nt[t] + 1] = gy * y;
            nt[t]++;
        }
    }
    fclose(in);
    if (st)
        goto out;
    if (nfeas == 0) {
        st = snnex_err_set(err, SNNEX_EINVAL, path, 0, "no feasible point to plot; relax the sweep's constraints");
        goto out;
    }
    double sx, sy, sa;
    char lx[96], ly[96], la[96];
    unit_of(h.names[cx], &sx, lx, sizeof lx);
    unit_of(h.names[cy], &sy, ly, sizeof ly);
    unit_of(h.names[ca], &sa, la, sizeof la);
    int logx = xmin > 0 && xmax / xmin > 30, logy = ymin > 0 && ymax / ymin > 30;
    /* the front's designs, numbered in pareto.csv order: a number next to
     * each marker (designs on the same spot share one label) and a key of
     * number -> axis values beside the plot */
    char *key = NULL;
    axis_span spx = {xmin * sx, xmax * sx, logx}, spy = {ymin * sy, ymax * sy, logy};
    if ((st = front_labels(dir, first_metric, cx, cy, sx, sy, &spx, &spy, &key, err)))
        goto out;

    /* 1. Pareto front over all feasible points */
    FILE *g = open_script(dir, "pareto_front", fmt, script, out, tmp, err);
    if (!g) {
        st = err->status;
        goto out;
    }
    snprintf(path, sizeof path, "Pareto front of %s (front highlighted; every feasible design faded)", dir);
    fprintf(g, "set title %s noenhanced\n", q(q1, path));
    fprintf(g, "set xlabel %s\nset ylabel %s\n%s%sset key top right\n", q(q1, lx), q(q2, ly),
            logx ? "set logscale x\n" : "", logy ? "set logscale y\n" : "");
    fprintf(g, "set cblabel %s\nset rmargin at screen 0.57\n"
               "set colorbox user origin screen 0.585, screen 0.12 size screen 0.015, screen 0.76\n%s",
            q(q1, la), key);
    free(key);
    snprintf(path, sizeof path, "%s/points.csv", dir);
    fprintf(g, "plot %s skip 1 using (strcol(%d) eq 'yes' ? $%d*%g : NaN):($%d*%g) "
               "with points pt 7 ps 0.4 lc rgb '#c8c8c8' title 'feasible designs', \\\n",
            q(q1, path), cfeas + 1, cx + 1, sx, cy + 1, sy);
    snprintf(path, sizeof path, "Pareto front (colour: %s)", la);
    snprintf(aux, sizeof aux, "%s/pareto.csv", dir);
    fprintf(g, "  %s skip 1 using ($%d*%g):($%d*%g):($%d*%g) with points pt 7 ps 1.3 lc palette title %s, \\\n",
            q(q1, aux), cx + 1, sx, cy + 1, sy, ca + 1, sa, q(q2, path));
    snprintf(path, sizeof path, "%s/pareto_labels.dat", dir);
    fprintf(g, "  %s using 1:2:3 with labels font ',8' offset 0.6,0.6 left tc rgb '#333333' noenhanced notitle\n",
            q(q1, path));
    fclose(g);
    if ((st = run_gnuplot(script, tmp, out, err)))
        goto out;
    append(files, files_len, out);

    /* 2. energy breakdown of the front's designs (stacked, per sample) */
    g = open_script(dir, "breakdown", fmt, script, out, tmp, err);
    if (!g) {
        st = err->status;
        goto out;
    }
    fprintf(g, "set title 'Energy per batch of the Pareto-front designs, by component'\n");
    fprintf(g, "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\n"
               "set boxwidth 0.75\nset ylabel 'energy per batch (mJ)'\nset xlabel 'design (sweep point index)'\n"
               "set xtics rotate by -45 font ',8'\nset key outside right\n");
    fprintf(g, "plot ");
    snprintf(aux, sizeof aux, "%s/pareto.csv", dir);
    q(q1, aux);
    for (int c = 0; c < SNNEX_N_COMP; c++) {
        int k = h.ncol + c;  /* pareto.csv: points.csv columns, then E_* */
        char name[64];
        snprintf(name, sizeof name, "%s", sweep_comp_columns[c] + 2);
        name[strlen(name) - 2] = 0;
        for (char *p = name; *p; p++)
            if (*p == '_')
                *p = ' ';
        static const char *const colours[SNNEX_N_COMP] = {"#9467bd", "#2ca02c", "#17becf", "#bcbd22", "#8c564b",
                                                          "#1f77b4", "#d62728", "#7f7f7f", "#ff7f0e"};
        fprintf(g, "%s%s skip 1 every ::0::24 using ($%d*1e3)%s lc rgb '%s' title '%s'", c ? ", \\\n  " : "",
                q1, k + 1, c ? "" : ":xtic(1)", colours[c], name);
    }
    fprintf(g, "\n");
    fclose(g);
    if ((st = run_gnuplot(script, tmp, out, err)))
        goto out;
    append(files, files_len, out);

    /* 3. SRAM vs STT-MRAM weight memory: 2-objective front of each */
    if (ctech >= 0 && nt[0] && nt[1]) {
        snprintf(path, sizeof path, "%s/memtech_fronts.dat", dir);
        FILE *d = fopen(path, "w");
        if (!d) {
            st = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
            goto out;
        }
        for (int t = 0; t < 2; t++) {
            unsigned char *fr = malloc((size_t)nt[t]);
            if (!fr || sweep_pareto(tv[t], nt[t], 2, fr) != SNNEX_OK) {
                free(fr);
                fclose(d);
                st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
                goto out;
            }
            /* the front sorted by x for drawing as a staircase */
            fprintf(d, "# %s\n", t ? "stt" : "sram");
            for (;;) {
                long best = -1;
                for (long i = 0; i < nt[t]; i++)
                    if (fr[i] == 1 && (best < 0 || tv[t][2 * i] < tv[t][2 * best]))
                        best = i;
                if (best < 0)
                    break;
                fprintf(d, "%.9g,%.9g\n", gx * tv[t][2 * best] * sx, gy * tv[t][2 * best + 1] * sy);
                fr[best] = 2;
            }
            fprintf(d, "\n\n");
            free(fr);
        }
        fclose(d);
        g = open_script(dir, "memtech_fronts", fmt, script, out, tmp, err);
        if (!g) {
            st = err->status;
            goto out;
        }
        snprintf(aux, sizeof aux, "Weight memory technology: Pareto fronts (%s vs %s)", h.names[cx], h.names[cy]);
        fprintf(g, "set title %s noenhanced\n", q(q1, aux));
        fprintf(g, "set xlabel %s\nset ylabel %s\n%s%sset key top right\n", q(q1, lx), q(q2, ly),
                logx ? "set logscale x\n" : "", logy ? "set logscale y\n" : "");
        fprintf(g, "plot %s index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' notitle, "
                   "'' index 0 using 1:2 with points pt 7 lc rgb '#1f77b4' title 'SRAM weights', \\\n"
                   "  '' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' notitle, "
                   "'' index 1 using 1:2 with points pt 5 lc rgb '#d62728' title 'STT-MRAM weights'\n",
                q(q1, path));
        fclose(g);
        if ((st = run_gnuplot(script, tmp, out, err)))
            goto out;
        append(files, files_len, out);
    }
out:
    free(line);
    free(tv[0]);
    free(tv[1]);
    return st;
}
