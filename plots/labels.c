/* plots/labels.c — what makes a gnuplot figure readable and hoverable:
 * labels placed so that none covers another or a marker, gnuplot's SVG
 * hypertext turned into plain SVG <title> tooltips (no script), and the
 * helpers that inline a figure and text into an HTML page. */
#include "plots/plots.h"
#include "plots/plots_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* characters (UTF-8 code points) in s */
static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

double pl_frac(double v, double lo, double hi, int lg)
{
    if (lg)
        return v > 0 && lo > 0 ? log(v / lo) / log(hi / lo) : -1;
    return hi > lo ? (v - lo) / (hi - lo) : 0.5;
}

static double unfrac(double u, double lo, double hi, int lg)
{
    return lg ? lo * pow(hi / lo, u) : lo + u * (hi - lo);
}

typedef struct {
    double x0, y0, x1, y1;
} box;

static int overlap(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

long plot_place_labels(const plot_frame *fr, long n, const double *x, const double *y, const char *const *text,
                       long nobs, const double *ox, const double *oy, FILE *out, long counts[4])
{
    static const struct {
        double dx, dy;
        int align; /* 0 left, 1 right, 2 centre */
    } cand[] = {{8, 0, 0},   {-8, 0, 1},   {0, 12, 2},  {0, -12, 2},  {6, 10, 0},   {6, -10, 0},
                {-6, 10, 1},  {-6, -10, 1}, {14, 0, 0},  {-14, 0, 1}, {8, 15, 0},   {8, -15, 0},
                {-8, 15, 1},  {-8, -15, 1}, {0, 24, 2},  {0, -24, 2}, {6, 26, 0},   {6, -26, 0},
                {-6, 26, 1},  {-6, -26, 1}, {22, 0, 0},  {-22, 0, 1}, {8, 36, 0},   {8, -36, 0},
                {-8, 36, 1},  {-8, -36, 1}, {0, 40, 2},  {0, -40, 2}};
    const int ncand = (int)(sizeof cand / sizeof cand[0]);
    double pl = fr->w * fr->l, pr = fr->w * fr->r, pb = fr->h * fr->b, pt = fr->h * fr->t;
    double *px = malloc((size_t)(n ? n : 1) * 2 * sizeof *px);
    box *placed = malloc((size_t)(n ? n : 1) * sizeof *placed);
    long np = 0, skipped = 0;
    counts[0] = counts[1] = counts[2] = counts[3] = 0;
    if (!px || !placed) {
        free(px), free(placed);
        return -1;
    }
    for (long i = 0; i < n; i++) {
        px[2 * i] = pl + (pr - pl) * pl_frac(x[i], fr->xlo, fr->xhi, fr->xlog);
        px[2 * i + 1] = pb + (pt - pb) * pl_frac(y[i], fr->ylo, fr->yhi, fr->ylog);
    }
    /* rows are written per alignment so each block is one gnuplot clause */
    char *chosen = calloc((size_t)(n ? n : 1), 1), *far = calloc((size_t)(n ? n : 1), 1);
    box *where = malloc((size_t)(n ? n : 1) * sizeof *where);
    if (!chosen || !where || !far) {
        free(px), free(placed), free(chosen), free(where), free(far);
        return -1;
    }
    for (long i = 0; i < n; i++) {
        if (!text[i] || !*text[i])
            continue;
        double tw = fr->char_w * (double)u8len(text[i]), th = fr->char_h;
        int ok = -1;
        box bx = {0, 0, 0, 0};
        for (int c = 0; c < ncand && ok < 0; c++) {
            double ax = px[2 * i] + cand[c].dx, ay = px[2 * i + 1] + cand[c].dy;
            bx.y0 = ay - th / 2, bx.y1 = ay + th / 2;
            bx.x0 = cand[c].align == 0 ? ax : cand[c].align == 1 ? ax - tw : ax - tw / 2;
            bx.x1 = bx.x0 + tw;
            if (bx.x0 < pl + 2 || bx.x1 > pr - 2 || bx.y0 < pb + 2 || bx.y1 > pt - 2)
                continue;
            int clash = 0;
            /* a gap of about a character between labels, so "1–3" and
             * "6,7" side by side do not read as "1–36,7" */
            box wide = {bx.x0 - fr->char_w, bx.y0 - 1, bx.x1 + fr->char_w, bx.y1 + 1};
            for (long j = 0; j < np && !clash; j++)
                clash = overlap(&wide, &placed[j]);
            for (long j = 0; j < n && !clash; j++) {
                box m = {px[2 * j] - 7, px[2 * j + 1] - 6, px[2 * j] + 7, px[2 * j + 1] + 6};
                clash = overlap(&bx, &m);
            }
            for (long j = 0; j < nobs && !clash; j++) {
                double qx = pl + (pr - pl) * pl_frac(ox[j], fr->xlo, fr->xhi, fr->xlog);
                double qy = pb + (pt - pb) * pl_frac(oy[j], fr->ylo, fr->yhi, fr->ylog);
                box m = {qx - 7, qy - 6, qx + 7, qy + 6};
                clash = overlap(&bx, &m);
            }
            if (!clash)
                ok = c;
        }
        if (ok < 0) {
            skipped++;
            continue;
        }
        placed[np++] = bx;
        chosen[i] = (char)(1 + cand[ok].align);
        far[i] = fabs(cand[ok].dy) >= 24 || fabs(cand[ok].dx) >= 20;
        where[i] = bx;
    }
    for (int a = 0; a < 3; a++)
        for (long i = 0; i < n; i++) {
            if (chosen[i] != 1 + a)
                continue;
            const box *bx = &where[i];
            double ax = a == 0 ? bx->x0 : a == 1 ? bx->x1 : (bx->x0 + bx->x1) / 2, ay = (bx->y0 + bx->y1) / 2;
            double dx = unfrac((ax - pl) / (pr - pl), fr->xlo, fr->xhi, fr->xlog);
            double dy = unfrac((ay - pb) / (pt - pb), fr->ylo, fr->yhi, fr->ylog);
            fprintf(out, "%.9g,%.9g,\"", dx, dy);
            for (const char *t = text[i]; *t; t++)
                fputc(*t == '"' ? '\'' : *t, out);
            fprintf(out, "\",%c", "lrc"[a]);
            if (far[i]) {
                /* a label placed away from its marker gets a leader line
                 * from the marker to the text's nearest edge: columns 5-8 */
                double ey = a == 2 ? (bx->y0 > px[2 * i + 1] ? bx->y0 : bx->y1) : ay;
                fprintf(out, ",%.9g,%.9g,%.9g,%.9g", x[i], y[i], dx,
                        unfrac((ey - pb) / (pt - pb), fr->ylo, fr->yhi, fr->ylog));
                counts[3]++;
            }
            fputc('\n', out);
            counts[a]++;
        }
    free(px), free(placed), free(chosen), free(where), free(far);
    return skipped;
}

void plot_label_clauses(FILE *g, const char *qfile, const long counts[4], const char *font)
{
    static const char *const just[3] = {"left", "right", "center"};
    if (counts[3]) /* leader lines of the labels placed away from their markers */
        fprintf(g, ", \\\n  %s using 5:6:($7-$5):($8-$6) with vectors nohead lw 0.6 lc rgb '#888888' notitle", qfile);
    for (int a = 0; a < 3; a++)
        if (counts[a])
            fprintf(g, ", \\\n  %s using (strcol(4) eq '%c' ? $1 : NaN):2:3 with labels %s font '%s' "
                       "tc rgb '#222222' notitle",
                    qfile, "lrc"[a], just[a], font);
}

void plot_html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* gnuplot 5.4's svg terminal writes a hypertext point as
 *   <g onmousemove="gnuplot_svg.showHypertext(evt,'TEXT')" onmouseout="gnuplot_svg.hideHypertext()"><title> </title>
 * whose handlers need its gnuplot_svg.js. Each becomes
 *   <g class="hover" data-n="K"><title>TIP</title>
 * where TEXT is "hK" and TIP is tips[K] (escaped), which browsers show on
 * hover without any script. */
#define HT_OPEN "<g onmousemove=\"gnuplot_svg.showHypertext(evt,'h"
#define HT_CLOSE "')\" onmouseout=\"gnuplot_svg.hideHypertext()\"><title> </title>"

snnex_status plot_svg_tooltips(const char *in, const char *out, long n, const char *const *tips, long *found,
                               snnex_err *err)
{
    char *s = NULL;
    size_t len;
    snnex_status st = snnex_read_file(in, &s, &len, err);
    if (st)
        return snnex_err_set(err, SNNEX_EIO, in, 0, "cannot read the figure gnuplot wrote");
    snnex_out o;
    if ((st = snnex_out_open(&o, out, err))) {
        free(s);
        return st;
    }
    *found = 0;
    const char *p = s;
    for (;;) {
        const char *h = strstr(p, HT_OPEN);
        if (!h) {
            fputs(p, o.f);
            break;
        }
        fwrite(p, 1, (size_t)(h - p), o.f);
        char *end;
        long k = strtol(h + strlen(HT_OPEN), &end, 10);
        if (strncmp(end, HT_CLOSE, strlen(HT_CLOSE)) || k < 0 || k >= n) {
            /* not ours: keep it as written */
            fputs(HT_OPEN, o.f);
            p = h + strlen(HT_OPEN);
            continue;
        }
        fprintf(o.f, "<g class=\"hover\" data-n=\"%ld\"><title>", k);
        plot_html_text(o.f, tips[k] ? tips[k] : "");
        fputs("</title>", o.f);
        (*found)++;
        p = end + strlen(HT_CLOSE);
    }
    free(s);
    return snnex_out_commit(&o, err);
}

snnex_status plot_html_svg(FILE *f, const char *path, const char *prefix, snnex_err *err)
{
    char *s = NULL;
    size_t len;
    if (snnex_read_file(path, &s, &len, err))
        return snnex_err_set(err, SNNEX_EIO, path, 0, "cannot read the figure: %s", strerror(errno));
    char *p = strstr(s, "<svg");
    if (!p) {
        free(s);
        return snnex_err_set(err, SNNEX_EIO, path, 0, "not an SVG figure (no <svg> element)");
    }
    /* gnuplot's ids (gnuplot_canvas, gpPt0, ...) are the same in every
     * figure: prefix them so two figures on one page do not collide */
    static const char *const refs[] = {"id=\"", "id='", "href='#", "href=\"#", "url(#"};
    while (*p) {
        int hit = -1;
        for (int r = 0; r < 5 && hit < 0; r++)
            if (!strncmp(p, refs[r], strlen(refs[r])) && (r > 1 || p == s || p[-1] == ' ' || p[-1] == '\t'))
                hit = r;
        if (hit >= 0) {
            fprintf(f, "%s%s-", refs[hit], prefix);
            p += strlen(refs[hit]);
        } else
            fputc(*p++, f);
    }
    fputc('\n', f);
    free(s);
    return SNNEX_OK;
}
