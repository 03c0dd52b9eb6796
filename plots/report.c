/* plots/report.c — DIR/report.html of a sweep: one self-contained page
 * (no network, no script, no external font) with the summary, the front
 * and breakdown figures as inline SVG from gnuplot (tooltips are SVG
 * <title> elements) and the table of the front's designs. */
#include "plots/plots.h"
#include "plots/plots_internal.h"
#include "sweeps/sweeps.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TABLE_MAX 2000

static const char *const CSS =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:1.5em auto;max-width:1150px;color:#222;line-height:1.4}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
    "th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "table.summary th{width:14em}.note{color:#555;font-size:0.9em}figure{margin:0}"
    "svg{max-width:100%;height:auto}td{overflow-wrap:break-word}td.src{word-break:break-all;min-width:12em}pre{white-space:pre-wrap}g.hover{cursor:help}";

void plot_html_head(FILE *f, const char *title)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    plot_html_text(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", CSS);
    plot_html_text(f, title);
    fprintf(f, "</h1>\n");
}

/* key=value of DIR/progress (written by snnex sweep); -1 when absent */
static long long progress_value(const char *dir, const char *key)
{
    char path[1200], line[256];
    snprintf(path, sizeof path, "%s/progress", dir);
    FILE *f = fopen(path, "r");
    long long v = -1;
    size_t k = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, k) && line[k] == '=')
            v = atoll(line + k + 1);
    if (f)
        fclose(f);
    return v;
}

static void row_start(FILE *f, const char *head)
{
    fprintf(f, "<tr><th>");
    plot_html_text(f, head);
    fprintf(f, "</th><td>");
}

static void summary_config(FILE *f, const sweep_spec *sp)
{
    row_start(f, "config");
    plot_html_text(f, sp->cfg_path);
    fprintf(f, "</td></tr>\n");
    row_start(f, "sparsity");
    plot_html_text(f, sp->has_trace ? sp->trace_path : "densities from the config (no trace)");
    fprintf(f, "</td></tr>\n");
    row_start(f, "sampling");
    if (sp->sampling == SWEEP_GRID)
        fprintf(f, "grid, %llu points", (unsigned long long)sp->grid_points);
    else
        fprintf(f, "%s, %llu points, seed %llu (grid: %llu points)",
                sp->sampling == SWEEP_RANDOM ? "random" : "Latin hypercube", (unsigned long long)sp->points,
                (unsigned long long)sp->seed, (unsigned long long)sp->grid_points);
    fprintf(f, "</td></tr>\n");
    row_start(f, "axes");
    fprintf(f, "<ul style=\"margin:0;padding-left:1.2em\">");
    for (int a = 0; a < sp->n_axes; a++) {
        const sweep_axis *ax = &sp->axes[a];
        fprintf(f, "<li>");
        for (int k = 0; k < ax->nkeys; k++) {
            fprintf(f, "%s", k ? " + " : "");
            plot_html_text(f, ax->keys[k]);
        }
        fprintf(f, ": ");
        if (ax->continuous && sp->sampling != SWEEP_GRID) {
            /* random and LHS sampling draw any value of a range axis */
            fprintf(f, "any value in [%g, %g]%s%s</li>", ax->from, ax->to, ax->log ? ", log-uniform" : "",
                    ax->integer ? ", integers" : "");
            continue;
        }
        for (int j = 0; j < ax->n; j++) {
            fprintf(f, "%s", j ? ", " : "");
            if (ax->nkeys > 1)
                fprintf(f, "(");
            for (int k = 0; k < ax->nkeys; k++) {
                fprintf(f, "%s", k ? " " : "");
                plot_html_text(f, ax->vals[j * ax->nkeys + k]);
            }
            if (ax->nkeys > 1)
                fprintf(f, ")");
        }
        fprintf(f, "</li>");
    }
    fprintf(f, "</ul></td></tr>\n");
    row_start(f, "constraints");
    for (int c = 0; c < sp->n_constraints; c++) {
        fprintf(f, "%s", c ? "; " : "");
        plot_html_text(f, sp->constraints[c].metric);
        fprintf(f, " %s %g", sp->constraints[c].ge ? "&ge;" : "&le;", sp->constraints[c].value);
    }
    if (!sp->n_constraints)
        fprintf(f, "none");
    fprintf(f, "</td></tr>\n");
}

snnex_status plot_report(const char *dir, const char *cfg, snnex_err *err)
{
    char path[1300], base[256], recorded[1100] = "";
    snnex_status st;
    /* the config: given, else the one snnex sweep recorded */
    if (!cfg) {
        snprintf(path, sizeof path, "%s/sweep_config", dir);
        FILE *c = fopen(path, "r");
        if (c) {
            if (fgets(recorded, sizeof recorded, c))
                recorded[strcspn(recorded, "\r\n")] = 0;
            fclose(c);
        }
    }
    sweep_spec *sp = calloc(1, sizeof *sp);
    if (!sp)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    int have_spec = 0;
    char spec_note[1400] = "";
    if (cfg) {
        if ((st = sweep_spec_load(cfg, sp, err))) {
            sweep_spec_free(sp); /* as cmd_sweep does after a failed load */
            free(sp);
            return st;
        }
        have_spec = 1;
    } else if (*recorded) {
        snnex_err e2;
        if (sweep_spec_load(recorded, sp, &e2) == SNNEX_OK)
            have_spec = 1;
        else {
            sweep_spec_free(sp);
            memset(sp, 0, sizeof *sp);
            snprintf(spec_note, sizeof spec_note, "the recorded config %.300s does not load any more: %.900s", recorded,
                     e2.msg);
        }
    } else
        snprintf(spec_note, sizeof spec_note,
                 "not recorded in this directory; pass --config CFG to show the axes and constraints");
    /* the figures, after the config (bad input) was checked */
    if ((st = plot_sweep(dir, "svg", NULL, 0, err))) {
        if (have_spec)
            sweep_spec_free(sp);
        free(sp);
        return st;
    }

    pl_front t;
    if ((st = pl_front_load(dir, &t, err))) {
        if (have_spec)
            sweep_spec_free(sp);
        free(sp);
        return st;
    }
    char obj[3][64];
    int maxi[3], nobj;
    pl_objectives(dir, obj, maxi, &nobj);
    pl_unit_t *mu = pl_metric_units(&t);
    if (!mu) {
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        goto out;
    }
    snprintf(path, sizeof path, "%s/report.html", dir);
    snnex_out o;
    if ((st = snnex_out_open(&o, path, err)))
        goto out;
    FILE *f = o.f;
    {
        char d[1100];
        snprintf(d, sizeof d, "%s", dir);
        size_t l = strlen(d);
        while (l > 1 && d[l - 1] == '/')
            d[--l] = 0;
        const char *s = strrchr(d, '/');
        snprintf(base, sizeof base, "%.200s", s && s[1] ? s + 1 : d);
    }
    char title[400];
    snprintf(title, sizeof title, "snnex sweep report: %s", base);
    plot_html_head(f, title);

    fprintf(f, "<h2>Summary</h2>\n<table class=\"summary\">\n");
    row_start(f, "directory");
    plot_html_text(f, dir);
    fprintf(f, "</td></tr>\n");
    if (have_spec)
        summary_config(f, sp);
    else {
        row_start(f, "config");
        plot_html_text(f, spec_note);
        fprintf(f, "</td></tr>\n");
    }
    row_start(f, "objectives");
    for (int k = 0; k < nobj; k++) {
        const int c = pl_col(&t, obj[k]);
        fprintf(f, "%s%s ", k ? "; " : "", maxi[k] ? "max" : "min");
        plot_html_text(f, c >= 0 ? mu[c].words : obj[k]);
        fprintf(f, " (<code>");
        plot_html_text(f, obj[k]);
        fprintf(f, "</code>)");
    }
    fprintf(f, "</td></tr>\n");
    long long pts = progress_value(dir, "points"), feas = progress_value(dir, "feasible");
    row_start(f, "counts");
    if (pts >= 0)
        fprintf(f, "%lld points evaluated, ", pts);
    if (feas >= 0)
        fprintf(f, "%lld feasible, ", feas);
    fprintf(f, "%ld designs on the Pareto front", t.n);
    if (t.rows != t.n)
        fprintf(f, " (%ld rows in pareto.csv: designs drawn more than once are listed once)", t.rows);
    fprintf(f, "</td></tr>\n");
    for (int k = 0; k < nobj; k++) {
        int c = pl_col(&t, obj[k]);
        if (c < 0)
            continue;
        long best = 0;
        for (long i = 1; i < t.n; i++) {
            double v = atof(pl_field(&t, i, c)), b = atof(pl_field(&t, best, c));
            if (maxi[k] ? v > b : v < b)
                best = i;
        }
        char head[160], vals[1024];
        snprintf(head, sizeof head, "best %s", mu[c].words);
        row_start(f, head);
        pl_axis_values(&t, best, vals, sizeof vals);
        fprintf(f, "%.4g %s: design %ld (", atof(pl_field(&t, best, c)) * mu[c].scale, mu[c].unit, t.num[best]);
        plot_html_text(f, vals);
        fprintf(f, ")</td></tr>\n");
    }
    fprintf(f, "</table>\n");

    fprintf(f, "<h2>Pareto front</h2>\n<p class=\"note\">Every feasible design in grey, the front's designs "
               "coloured and numbered (the key right of the plot lists the first 30). Hover a marker of the front "
               "for the design's axis values and metrics.</p>\n<figure id=\"front\">\n");
    snprintf(path, sizeof path, "%s/pareto_front.svg", dir);
    if ((st = plot_html_svg(f, path, "front", err))) {
        snnex_out_abort(&o);
        goto out;
    }
    fprintf(f, "</figure>\n<h2>Energy of the front's designs by component and engine</h2>\n<figure id=\"breakdown\">\n");
    snprintf(path, sizeof path, "%s/breakdown.svg", dir);
    if ((st = plot_html_svg(f, path, "breakdown", err))) {
        snnex_out_abort(&o);
        goto out;
    }
    fprintf(f, "</figure>\n");
    snprintf(path, sizeof path, "%s/memtech_fronts.svg", dir);
    if (access(path, R_OK) == 0) {
        fprintf(f, "<h2>Weight memory technology</h2>\n<figure id=\"memtech\">\n");
        if ((st = plot_html_svg(f, path, "memtech", err))) {
            snnex_out_abort(&o);
            goto out;
        }
        fprintf(f, "</figure>\n");
    }

    /* the table of the front's designs */
    int shown[16];
    pl_shown_metrics(&t, obj, nobj, shown, 16);
    fprintf(f, "<h2>Designs on the Pareto front</h2>\n<table id=\"designs\">\n<tr><th>design</th>");
    for (int c = 0; c < t.ncol; c++)
        if (pl_is_axis(&t, c)) {
            const char *dot = strrchr(t.names[c], '.');
            fprintf(f, "<th title=\"");
            plot_html_text(f, t.names[c]);
            fprintf(f, "\">");
            plot_html_text(f, dot ? dot + 1 : t.names[c]);
            fprintf(f, "</th>");
        }
    for (int j = 0; shown[j] >= 0; j++) {
        fprintf(f, "<th>");
        plot_html_text(f, mu[shown[j]].label);
        fprintf(f, "</th>");
    }
    fprintf(f, "</tr>\n");
    for (long i = 0; i < t.n && i < TABLE_MAX; i++) {
        fprintf(f, "<tr><td class=\"n\">%ld</td>", t.num[i]);
        for (int c = 0; c < t.ncol; c++)
            if (pl_is_axis(&t, c)) {
                fprintf(f, "<td>");
                plot_html_text(f, pl_field(&t, i, c));
                fprintf(f, "</td>");
            }
        for (int j = 0; shown[j] >= 0; j++)
            fprintf(f, "<td class=\"n\">%.4g</td>", atof(pl_field(&t, i, shown[j])) * mu[shown[j]].scale);
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    if (t.n > TABLE_MAX)
        fprintf(f, "<p class=\"note\">The first %d of %ld designs; pareto.csv has them all.</p>\n", TABLE_MAX, t.n);
    fprintf(f, "<p class=\"note\">Written by snnex report from pareto.csv, points.csv and objectives in this "
               "directory; the figures' gnuplot scripts are next to it (*.gp).</p>\n</body>\n</html>\n");
    st = snnex_out_commit(&o, err);
out:
    free(mu);
    pl_front_free(&t);
    if (have_spec)
        sweep_spec_free(sp);
    free(sp);
    return st;
}
