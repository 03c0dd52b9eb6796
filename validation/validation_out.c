/* validation_out — the comparison as a human table, CSV or the README's
 * markdown table, and the log-log parity plot (gnuplot, pngcairo; run and
 * quoted by the plots module, so any directory name is safe). */
#include "validation/validation.h"
#include "plots/plots.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A relative error in whole percent, never "-0". */
static double pct(double rel)
{
    double p = round(100 * rel);
    return p == 0 ? 0.0 : p;
}

/* CSV field: quoted when it holds a comma, quote or newline. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_summary(const validation_set *set, const validation_summary *s, const char *prefix, FILE *f)
{
    fprintf(f, "%s%d figures, %d compared (%d energy-efficiency figures over %d chips)\n", prefix, s->n_figures,
            s->n_compared, s->n_efficiency, s->n_chips);
    fprintf(f, "%smedian |rel. error|: %.1f %% on energy-efficiency figures (pJ/SOP, TFLOPS/W), %.1f %% on all\n",
            prefix, 100 * s->median_abs_rel_eff, 100 * s->median_abs_rel_all);
    fprintf(f, "%swithin 2x: %.0f %% of compared figures; %d of %d chips on their efficiency figures\n", prefix,
            100 * s->share_within_2x, s->n_chips_within_2x, s->n_chips);
    if (set->has_loo) {
        fprintf(f, "%sleave-one-chip-out (calibration refitted without the chip): median |rel. error| %.1f %% on "
                   "energy-efficiency figures, %.1f %% on area figures, %.1f %% on all; %d efficiency figure%s outside 2x\n",
                prefix, 100 * s->loo_median_abs_rel_eff, 100 * s->loo_median_abs_rel_other,
                100 * s->loo_median_abs_rel_all, s->n_loo_eff_outside_2x, s->n_loo_eff_outside_2x == 1 ? "" : "s");
        fprintf(f, "%sin-sample median |rel. error| on area figures: %.1f %%\n", prefix, 100 * s->median_abs_rel_other);
    }
    fprintf(f, "%sglobal calibration (estimator/calib_coef.c, `make calibrate`):\n", prefix);
    for (int i = 0; i < SNNEX_N_CALIB; i++) {
        const validation_coef *c = &validation_coefs[i];
        double v = validation_calib_get(&snnex_calib_default, i);
        int b = validation_coef_bound(i, v);
        fprintf(f, "%s  %-11s = %-8.4g range %g-%g%s  (%s)\n", prefix, c->name, v, c->lo, c->hi,
                v < c->lo || v > c->hi ? "  OUTSIDE RANGE" : b < 0 ? "  AT LOWER BOUND" : b > 0 ? "  AT UPPER BOUND" : "",
                c->what);
    }
    if (s->worst >= 0) {
        const validation_figure *w = &set->fig[s->worst];
        fprintf(f, "%sworst: %s %s, estimated %.4g vs published %.4g %s (%.2fx): %s\n", prefix, w->chip, w->figure,
                w->estimated, w->published, w->unit, w->estimated / w->published, w->reason);
    }
}

snnex_status validation_write(const validation_set *set, const char *format, FILE *f, snnex_err *err)
{
    validation_summary s;
    validation_summarize(set, &s);
    if (!strcmp(format, "csv")) {
        fprintf(f, "chip,figure,unit,published,estimated,rel_error,loo_estimated,loo_rel_error,conditions,source\n");
        for (int i = 0; i < set->n; i++) {
            const validation_figure *v = &set->fig[i];
            csv_field(f, v->chip), fputc(',', f);
            csv_field(f, v->figure), fputc(',', f);
            csv_field(f, v->unit), fputc(',', f);
            fprintf(f, "%.6g,", v->published);
            if (v->compared)
                fprintf(f, "%.6g,%.6g,", v->estimated, v->rel_error);
            else
                fprintf(f, ",,");
            if (v->compared && set->has_loo)
                fprintf(f, "%.6g,%.6g,", v->loo_estimated, v->loo_rel_error);
            else
                fprintf(f, ",,");
            csv_field(f, v->conditions), fputc(',', f);
            csv_field(f, v->source), fputc('\n', f);
        }
    } else if (!strcmp(format, "table")) {
        fprintf(f, "%-11s %-26s %-9s %10s %10s %9s %7s %10s %9s  %s\n", "chip", "figure", "unit", "published",
                "estimated", "rel.err", "ratio", "LOO est.", "LOO err", "estimate dominated by");
        for (int i = 0; i < set->n; i++) {
            const validation_figure *v = &set->fig[i];
            if (v->compared) {
                fprintf(f, "%-11s %-26s %-9s %10.4g %10.4g %+8.1f%% %6.2fx ", v->chip, v->figure, v->unit,
                        v->published, v->estimated, 100 * v->rel_error, v->estimated / v->published);
                if (set->has_loo)
                    fprintf(f, "%10.4g %+8.1f%%", v->loo_estimated, 100 * v->loo_rel_error);
                else
                    fprintf(f, "%10s %9s", "-", "-");
                fprintf(f, "  %s\n", v->reason);
            } else
                fprintf(f, "%-11s %-26s %-9s %10.4g %10s %9s %7s %10s %9s  (recorded, not estimated)\n", v->chip,
                        v->figure, v->unit, v->published, "-", "-", "-", "-", "-");
        }
        fprintf(f, "\n");
        write_summary(set, &s, "", f);
    } else if (!strcmp(format, "markdown")) {
        fprintf(f, "| chip | figure | unit | published | estimated | error | leave-one-out | LOO error | conditions |\n");
        fprintf(f, "|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < set->n; i++) {
            const validation_figure *v = &set->fig[i];
            if (!v->compared)
                continue;
            fprintf(f, "| %s | %s | %s | %.4g | %.4g | %+.0f %% | ", v->chip, v->figure, v->unit, v->published,
                    v->estimated, pct(v->rel_error));
            if (set->has_loo)
                fprintf(f, "%.4g | %+.0f %% | ", v->loo_estimated, pct(v->loo_rel_error));
            else
                fprintf(f, "- | - | ");
            for (const char *c = v->conditions; *c; c++)
                fputs(*c == '|' ? "\\|" : *c == '\n' ? " " : (char[2]){*c, 0}, f);
            fprintf(f, " |\n");
        }
        fprintf(f, "\n");
        write_summary(set, &s, "- ", f);
    } else {
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "unknown format \"%s\"; use table, csv or markdown", format);
    }
    return SNNEX_OK;
}

/* "odin, energy/SOP incremental": chip and figure in words */
static void point_label(const validation_figure *v, char *out, size_t n)
{
    char w[VALIDATION_NAME_LEN + 16];
    const char *f = v->figure;
    if (!strncmp(f, "energy_per_sop", 14))
        snprintf(w, sizeof w, "energy/SOP%s", f + 14);
    else if (!strncmp(f, "tflops_per_w", 12))
        snprintf(w, sizeof w, "TFLOPS/W%s", f + 12);
    else
        snprintf(w, sizeof w, "%s", f);
    for (char *p = w; *p; p++)
        if (*p == '_')
            *p = ' ';
    snprintf(out, n, "%s, %s", v->chip, w);
}

/* The parity plot in format fmt ("png" or "svg": with a tooltip per
 * figure) at DIR/validation_parity.FMT, its data and script next to it. */
static snnex_status parity(const validation_set *set, const char *dir, const char *fmt, snnex_err *err)
{
    char dat[1024], lab[1024], gp[1024], out[1024], tmp[1024], qdat[2100], qtmp[2100], qlab[2100];
    int svg = !strcmp(fmt, "svg");
    if (strlen(dir) > 900)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "output directory path too long (%zu bytes; at most 900)",
                             strlen(dir));
    snprintf(dat, sizeof dat, "%s/validation_parity.dat", dir);
    snprintf(lab, sizeof lab, "%s/validation_parity_labels.dat", dir);
    snprintf(gp, sizeof gp, "%s/validation_parity%s.gp", dir, svg ? "_svg" : "");
    snprintf(out, sizeof out, "%s/validation_parity.%s", dir, fmt);
    snprintf(tmp, sizeof tmp, "%s/.validation_parity.tmp.%s", dir, fmt);
    if (plot_gp_quote(qdat, sizeof qdat, dat) || plot_gp_quote(qtmp, sizeof qtmp, tmp) ||
        plot_gp_quote(qlab, sizeof qlab, lab))
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "directory name holds a newline or another control character, which a gnuplot "
                             "script cannot quote; choose another -o directory");
    /* one block per unit so each kind of figure has its own marker;
     * x = published, y = estimated, raw values in the figure's unit */
    double lo = INFINITY, hi = 0;
    int blocks = 0, nb[16] = {0};
    char seen[16][24];
    int *order = malloc((size_t)(set->n ? set->n : 1) * sizeof *order), no = 0;
    char **tips = calloc((size_t)(set->n ? set->n : 1), sizeof *tips);
    if (!order || !tips) {
        free(order), free(tips);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    snnex_out o;
    snnex_status st = snnex_out_open(&o, dat, err);
    if (st)
        goto done;
    fprintf(o.f, "# published,estimated,chip,figure,tooltip id; one block per unit\n");
    for (int i = 0; i < set->n; i++) {
        const validation_figure *v = &set->fig[i];
        if (!v->compared)
            continue;
        int k;
        for (k = 0; k < blocks && strcmp(seen[k], v->unit); k++)
            ;
        if (k < blocks || blocks == 16)
            continue;
        snprintf(seen[blocks++], sizeof seen[0], "%s", v->unit);
        if (blocks > 1)
            fprintf(o.f, "\n\n");
        for (int j = i; j < set->n; j++) {
            const validation_figure *u = &set->fig[j];
            if (!u->compared || strcmp(u->unit, v->unit))
                continue;
            fprintf(o.f, "%.6g,%.6g,\"%s\",\"%s\",h%d\n", u->published, u->estimated, u->chip, u->figure, j);
            lo = fmin(lo, fmin(u->published, u->estimated));
            hi = fmax(hi, fmax(u->published, u->estimated));
            order[no++] = j;
            nb[blocks - 1]++;
            char t[2048];
            snprintf(t, sizeof t,
                     "%s, %s\npublished: %.4g %s\nestimated: %.4g %s (%.2fx, %+.0f %%)\nconditions: %s\nsource: %s%s%s",
                     u->chip, u->figure, u->published, u->unit, u->estimated, u->unit, u->estimated / u->published,
                     100 * u->rel_error, u->conditions, u->source, *u->reason ? "\nestimate dominated by: " : "",
                     u->reason);
            tips[j] = strdup(t);
        }
    }
    if ((st = snnex_out_commit(&o, err)))
        goto done;
    if (blocks == 0) {
        st = snnex_err_set(err, SNNEX_EINVAL, "", 0, "nothing to plot: no figure was compared");
        goto done;
    }
    /* labels "chip, figure" placed clear of each other and the markers */
    plot_frame fr = {900, 720, 0.1, 0.97, 0.16, 0.93, lo / 3, hi * 5, lo / 3, hi * 5, 1, 1, 6.3, 12}; /* 6.3 px: DejaVu Sans mean advance at gnuplot's default size, measured on the rendered PNG */
    double *x = malloc((size_t)no * sizeof *x), *y = malloc((size_t)no * sizeof *y);
    char **txt = calloc((size_t)no, sizeof *txt);
    long counts[4] = {0, 0, 0, 0}, missed = -1;
    if (x && y && txt && (st = snnex_out_open(&o, lab, err)) == SNNEX_OK) {
        for (int k = 0; k < no; k++) {
            x[k] = set->fig[order[k]].published, y[k] = set->fig[order[k]].estimated;
            txt[k] = malloc(VALIDATION_NAME_LEN * 2 + 32);
            if (txt[k])
                point_label(&set->fig[order[k]], txt[k], VALIDATION_NAME_LEN * 2 + 32);
        }
        missed = plot_place_labels(&fr, no, x, y, (const char *const *)txt, 0, NULL, NULL, o.f, counts);
        st = snnex_out_commit(&o, err);
    }
    for (int k = 0; txt && k < no; k++)
        free(txt[k]);
    free(x), free(y), free(txt);
    if (st)
        goto done;
    if (missed < 0) {
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        goto done;
    }
    if ((st = snnex_out_open(&o, gp, err)))
        goto done;
    int n_chips = 0;
    for (int i = 0; i < set->n; i++) { /* chips with a compared figure */
        int first = set->fig[i].compared;
        for (int j = 0; j < i && first; j++)
            first = !(set->fig[j].compared && !strcmp(set->fig[j].chip, set->fig[i].chip));
        n_chips += first;
    }
    fprintf(o.f,
            "# parity plot of snnex validate: estimated vs published, log-log,\n"
            "# diagonal and 2x bands. Regenerate with make validate-report.\n"
            "set terminal %s size 900,720 noenhanced font 'Sans,11'%s\n"
            "set output %s\nset datafile separator ','\n"
            "set logscale xy\nset grid lc rgb '#dddddd'\nset format x '%%g'\nset format y '%%g'\n"
            "set lmargin at screen %g\nset rmargin at screen %g\nset bmargin at screen %g\nset tmargin at screen %g\n"
            "set key horizontal center bottom at screen 0.535, screen 0.005 box lc rgb '#aaaaaa'\n"
            "set xlabel 'published figure (its unit: pJ/SOP, TFLOPS/W or mm²)'\n"
            "set ylabel 'estimated by snnex (same unit)'\n"
            "set title 'snnex validate: estimated vs published, %d figures of %d chips'\n"
            "set xrange [%g:%g]\nset yrange [%g:%g]\n",
            svg ? "svg" : "pngcairo", svg ? " background rgb 'white'" : "", qtmp, fr.l, fr.r, fr.b, fr.t, no,
            n_chips,
            fr.xlo, fr.xhi, fr.ylo, fr.yhi);
    fprintf(o.f, "plot x w l lc rgb 'black' t 'estimated = published', \\\n"
                 "  2*x w l dt 2 lc rgb 'gray40' t '2x either way', \\\n"
                 "  0.5*x w l dt 2 lc rgb 'gray40' notitle");
    static const char *const colours[4] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7"};
    for (int k = 0; k < blocks; k++) {
        char qunit[64];
        if (plot_gp_quote(qunit, sizeof qunit, seen[k]))
            snprintf(qunit, sizeof qunit, "''");
        if (svg)
            fprintf(o.f, ", \\\n  %s index %d u 1:2:5 with labels hypertext point pt %d ps 1.2 lc rgb '%s' t %s", qdat,
                    k, 5 + 2 * k, colours[k % 4], qunit);
        else
            fprintf(o.f, ", \\\n  %s index %d u 1:2 w p pt %d ps 1.6 lc rgb '%s' t %s", qdat, k, 5 + 2 * k,
                    colours[k % 4], qunit);
    }
    plot_label_clauses(o.f, qlab, counts, ",8");
    fprintf(o.f, "\n");
    if ((st = snnex_out_commit(&o, err)))
        goto done;
    (void)nb;
    /* the figure goes to a temporary name, renamed once gnuplot succeeded */
    st = plot_gnuplot(gp, err);
    if (!st && svg) {
        long found = 0;
        st = plot_svg_tooltips(tmp, out, set->n, (const char *const *)tips, &found, err);
        if (!st && found != no)
            st = snnex_err_set(err, SNNEX_EIO, gp, 0, "gnuplot wrote %ld hypertext points, expected %d", found, no);
    } else if (!st && rename(tmp, out) != 0)
        st = snnex_err_set(err, SNNEX_EIO, out, 0, "cannot write: %s", strerror(errno));
    remove(tmp);
done:
    for (int i = 0; i < set->n; i++)
        free(tips[i]);
    free(tips);
    free(order);
    return st;
}

snnex_status validation_plot(const validation_set *set, const char *dir, snnex_err *err)
{
    return parity(set, dir, "png", err);
}

snnex_status validation_report(const validation_set *set, const char *dir, snnex_err *err)
{
    snnex_status st = parity(set, dir, "svg", err);
    if (st)
        return st;
    char path[1024];
    snprintf(path, sizeof path, "%s/report.html", dir);
    snnex_out o;
    if ((st = snnex_out_open(&o, path, err)))
        return st;
    FILE *f = o.f;
    plot_html_head(f, "snnex validate: estimates vs published chip figures");
    validation_summary s;
    validation_summarize(set, &s);
    fprintf(f, "<h2>Summary</h2>\n<pre>");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m) {
        write_summary(set, &s, "", m);
        fclose(m);
        plot_html_text(f, buf);
        free(buf);
    }
    fprintf(f, "</pre>\n<p class=\"note\">Set: ");
    plot_html_text(f, set->path);
    fprintf(f, ". Technology constants come only from memtech; nothing is fitted per chip.</p>\n");
    fprintf(f, "<h2>Parity plot</h2>\n<p class=\"note\">Estimated vs published, log-log, with the 2x bands. Hover a "
               "marker for the chip, the figure, its conditions and source.</p>\n<figure id=\"parity\">\n");
    snprintf(path, sizeof path, "%s/validation_parity.svg", dir);
    if ((st = plot_html_svg(f, path, "parity", err))) {
        snnex_out_abort(&o);
        return st;
    }
    fprintf(f, "</figure>\n<h2>Figures</h2>\n<table id=\"figures\">\n<tr><th>chip</th><th>figure</th><th>unit</th>"
               "<th>published</th><th>estimated</th><th>error</th><th>leave-one-out</th><th>LOO error</th>"
               "<th>conditions</th><th>source</th></tr>\n");
    for (int i = 0; i < set->n; i++) {
        const validation_figure *v = &set->fig[i];
        const char *cells[3] = {v->chip, v->figure, v->unit};
        fprintf(f, "<tr>");
        for (int c = 0; c < 3; c++) {
            fprintf(f, "<td>");
            plot_html_text(f, cells[c]);
            fprintf(f, "</td>");
        }
        fprintf(f, "<td class=\"n\">%.4g</td>", v->published);
        if (v->compared)
            fprintf(f, "<td class=\"n\">%.4g</td><td class=\"n\">%+.0f %%</td>", v->estimated, pct(v->rel_error));
        if (v->compared && set->has_loo)
            fprintf(f, "<td class=\"n\">%.4g</td><td class=\"n\">%+.0f %%</td>", v->loo_estimated, pct(v->loo_rel_error));
        else if (v->compared)
            fprintf(f, "<td>-</td><td>-</td>");
        else
            fprintf(f, "<td colspan=\"4\">recorded, not estimated</td>");
        fprintf(f, "<td>");
        plot_html_text(f, v->conditions);
        fprintf(f, "</td><td class=\"src\">");
        plot_html_text(f, v->source);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n<p class=\"note\">Written by snnex validate --report.</p>\n</body>\n</html>\n");
    return snnex_out_commit(&o, err);
}
