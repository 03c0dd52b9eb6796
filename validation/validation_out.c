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
        fprintf(f, "chip,figure,unit,published,estimated,rel_error,conditions,source\n");
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
            csv_field(f, v->conditions), fputc(',', f);
            csv_field(f, v->source), fputc('\n', f);
        }
    } else if (!strcmp(format, "table")) {
        fprintf(f, "%-11s %-22s %-9s %11s %11s %9s %7s  %s\n", "chip", "figure", "unit", "published", "estimated",
                "rel.err", "ratio", "estimate dominated by");
        for (int i = 0; i < set->n; i++) {
            const validation_figure *v = &set->fig[i];
            if (v->compared)
                fprintf(f, "%-11s %-22s %-9s %11.4g %11.4g %+8.1f%% %6.2fx  %s\n", v->chip, v->figure, v->unit,
                        v->published, v->estimated, 100 * v->rel_error, v->estimated / v->published, v->reason);
            else
                fprintf(f, "%-11s %-22s %-9s %11.4g %11s %9s %7s  (recorded, not estimated)\n", v->chip, v->figure,
                        v->unit, v->published, "-", "-", "-");
        }
        fprintf(f, "\n");
        write_summary(set, &s, "", f);
    } else if (!strcmp(format, "markdown")) {
        fprintf(f, "| chip | figure | unit | published | estimated | error | conditions |\n");
        fprintf(f, "|---|---|---|---:|---:|---:|---|\n");
        for (int i = 0; i < set->n; i++) {
            const validation_figure *v = &set->fig[i];
            if (!v->compared)
                continue;
            fprintf(f, "| %s | %s | %s | %.4g | %.4g | %+.0f %% | ", v->chip, v->figure, v->unit, v->published,
                    v->estimated, 100 * v->rel_error);
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

snnex_status validation_plot(const validation_set *set, const char *dir, snnex_err *err)
{
    char dat[1024], gp[1024], png[1024], tmp[1024], qdat[2100], qtmp[2100];
    if (strlen(dir) > 900)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "output directory path too long (%zu bytes; at most 900)",
                             strlen(dir));
    snprintf(dat, sizeof dat, "%s/validation_parity.dat", dir);
    snprintf(gp, sizeof gp, "%s/validation_parity.gp", dir);
    snprintf(png, sizeof png, "%s/validation_parity.png", dir);
    snprintf(tmp, sizeof tmp, "%s/.validation_parity.tmp.png", dir);
    if (plot_gp_quote(qdat, sizeof qdat, dat) || plot_gp_quote(qtmp, sizeof qtmp, tmp))
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "directory name holds a newline or another control character, which a gnuplot "
                             "script cannot quote; choose another -o directory");
    snnex_out o;
    snnex_status st = snnex_out_open(&o, dat, err);
    if (st)
        return st;
    /* one block per unit so gnuplot gives each kind of figure its own
     * marker; x = published, y = estimated, normalised per unit by the
     * published value's geometric mean would hide scale, so plot raw */
    double lo = INFINITY, hi = 0;
    int blocks = 0;
    char seen[16][24];
    for (int i = 0; i < set->n; i++) {
        const validation_figure *v = &set->fig[i];
        if (!v->compared)
            continue;
        int k;
        for (k = 0; k < blocks && strcmp(seen[k], v->unit); k++)
            ;
        if (k == blocks && blocks < 16) {
            snprintf(seen[blocks++], sizeof seen[0], "%s", v->unit);
            if (blocks > 1)
                fprintf(o.f, "\n\n");
            fprintf(o.f, "# unit %s: published estimated chip figure\n", v->unit);
            for (int j = i; j < set->n; j++) {
                const validation_figure *u = &set->fig[j];
                if (!u->compared || strcmp(u->unit, v->unit))
                    continue;
                fprintf(o.f, "%.6g %.6g \"%s\" \"%s\"\n", u->published, u->estimated, u->chip, u->figure);
                lo = fmin(lo, fmin(u->published, u->estimated));
                hi = fmax(hi, fmax(u->published, u->estimated));
            }
        }
    }
    if ((st = snnex_out_commit(&o, err)))
        return st;
    if (blocks == 0)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "nothing to plot: no figure was compared");
    if ((st = snnex_out_open(&o, gp, err)))
        return st;
    fprintf(o.f,
            "# parity plot of snnex validate: estimated vs published, log-log,\n"
            "# diagonal and 2x bands. Regenerate with make validate-report.\n"
            "set terminal pngcairo size 900,720 font ',11'\n"
            "set output %s\n"
            "set logscale xy\nset grid\nset key top left\n"
            "set xlabel 'published (figure unit)'\nset ylabel 'estimated (same unit)'\n"
            "set title 'snnex validate: estimated vs published'\n"
            "set xrange [%g:%g]\nset yrange [%g:%g]\n",
            qtmp, lo / 3, hi * 3, lo / 3, hi * 3);
    fprintf(o.f, "plot x w l lc rgb 'black' t 'estimated = published', \\\n"
                 "  2*x w l dt 2 lc rgb 'gray40' t '2x', \\\n"
                 "  0.5*x w l dt 2 lc rgb 'gray40' notitle");
    for (int k = 0; k < blocks; k++) {
        char qunit[64];
        if (plot_gp_quote(qunit, sizeof qunit, seen[k]))
            snprintf(qunit, sizeof qunit, "''");
        fprintf(o.f, ", \\\n  %s index %d u 1:2 w p pt %d ps 1.6 t %s noenhanced, \\\n"
                     "  '' index %d u 1:2:3 w labels offset 1,0.6 font ',8' notitle",
                qdat, k, 5 + 2 * k, qunit, k);
    }
    fprintf(o.f, "\n");
    if ((st = snnex_out_commit(&o, err)))
        return st;
    /* the figure goes to a temporary name, renamed once gnuplot succeeded */
    st = plot_gnuplot(gp, err);
    if (!st && rename(tmp, png) != 0)
        st = snnex_err_set(err, SNNEX_EIO, png, 0, "cannot write: %s", strerror(errno));
    if (st)
        remove(tmp);
    return st;
}
