/* test_report — snnex report DIR and snnex validate --report DIR: the
 * pages are self-contained (no network, no script, no external font), the
 * front's SVG holds one tooltip element per distinct front design (a
 * design a Latin hypercube drew several times counts once), the figures
 * number designs the same way, and the pages load in headless Chromium
 * (Debian's chromium) without a console error; a screenshot of each is
 * kept in the build directory (report_sweep.png, report_validation.png).
 * Without chromium those checks are skipped with a message; .ci/run
 * installs it. Also the label placer and the SVG tooltip rewriting on
 * their own. */
#include "plots/plots.h"
#include "test_util.h"

#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#ifndef SNNEX_BUILD
#define SNNEX_BUILD "build"
#endif

__attribute__((format(printf, 3, 4))) static void fmt(char *b, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, n, f, ap);
    va_end(ap);
}

static char repo[PATH_MAX], bin[PATH_MAX], scratch[] = "/tmp/snnex_tr_XXXXXX";

/* argv run in cwd; stdout/stderr into malloc'ed strings (may be NULL) */
static int run_in(const char *cwd, char *const argv[], char **out, char **errs)
{
    char of[] = "/tmp/snnex_tr_oXXXXXX", ef[] = "/tmp/snnex_tr_eXXXXXX";
    int fo = mkstemp(of), fe = mkstemp(ef);
    if (fo < 0 || fe < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fo, 1);
        dup2(fe, 2);
        if (chdir(cwd) != 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    char **dst[2] = {out, errs};
    const char *names[2] = {of, ef};
    for (int i = 0; i < 2; i++) {
        if (dst[i]) {
            char *s = NULL;
            size_t n;
            snnex_err e;
            if (snnex_read_file(names[i], &s, &n, &e))
                s = strdup("");
            *dst[i] = s;
        }
        remove(names[i]);
    }
    close(fo);
    close(fe);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

static char *slurp(const char *dir, const char *name)
{
    char p[2048], *s = NULL;
    size_t n;
    snnex_err e;
    fmt(p, sizeof p, "%s/%s", dir, name);
    if (snnex_read_file(p, &s, &n, &e))
        return NULL;
    return s;
}

static long count(const char *s, const char *needle)
{
    long n = 0;
    for (const char *p = s; s && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static int has_tool(const char *name)
{
    char cmd[256];
    fmt(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    if (system(cmd) == 0)
        return 1;
    fprintf(stderr, "\n  %s not installed: its checks skipped (apt install %s)\n", name,
            strcmp(name, "gnuplot") ? name : "gnuplot-nox");
    return 0;
}

/* Distinct designs of DIR/pareto.csv: rows whose axis columns (between
 * "index" and "energy_J", "design" excluded) differ; counted here by
 * string comparison, independently of plots.c. */
static long distinct_designs(const char *dir, long *rows)
{
    char *s = slurp(dir, "pareto.csv");
    if (!s)
        return -1;
    char *save = NULL, *line = strtok_r(s, "\n", &save);
    int first_metric = 0, cdesign = -1, nc = 0;
    for (char *p = line, *tok; (tok = strsep(&p, ",")); nc++) {
        if (!strcmp(tok, "energy_J") && !first_metric)
            first_metric = nc;
        if (!strcmp(tok, "design"))
            cdesign = nc;
    }
    char keys[512][512];
    long n = 0;
    *rows = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char key[512] = "";
        int c = 0;
        for (char *p = line, *tok; (tok = strsep(&p, ",")) && c < first_metric; c++)
            if (c >= 1 && c != cdesign) {
                strncat(key, tok, sizeof key - strlen(key) - 2);
                strcat(key, "|");
            }
        (*rows)++;
        long j = 0;
        while (j < n && strcmp(keys[j], key))
            j++;
        if (j == n && n < 512)
            snprintf(keys[n++], sizeof keys[0], "%s", key);
    }
    free(s);
    return n;
}

/* A Latin hypercube of 40 points over 18 designs of seed20 (3 core counts
 * x SRAM/STT x 3 clocks, all discrete): designs repeat. */
static void write_cfg(const char *dir)
{
    char p[2048];
    fmt(p, sizeof p, "%s/lhs.cfg", dir);
    FILE *f = fopen(p, "w");
    fprintf(f,
            "@include \"%s/configs/seed20.cfg\"\n"
            "sweep = {\n"
            "  axes = (\n"
            "    { keys = [\"chip.cores\", \"chip.mesh\"]; values = ( (4, \"2x2\"), (16, \"4x4\"), (64, \"8x8\") ); },\n"
            "    { key = \"chip.memories.weight.tech\"; values = [\"sram\", \"stt\"]; },\n"
            "    { key = \"chip.clock_MHz\"; values = [200.0, 400.0, 800.0]; }\n"
            "  );\n"
            "  constraints = ( \"power_W <= 50\" );\n"
            "  sampling = { method = \"lhs\"; points = 40; seed = 3; };\n"
            "  objectives = ( \"min energy_per_sample_J\", \"min latency_s\", \"min area_m2\" );\n"
            "};\n",
            repo);
    fclose(f);
}

/* Load file:// URL of dir/report.html in headless Chromium: the DOM it
 * built (malloc'ed) and whether the console reported an error; a
 * screenshot to shot when not NULL. */
static char *chromium_dom(const char *dir, const char *shot, int *console_error)
{
    char url[PATH_MAX + 64], abs[PATH_MAX], arg[PATH_MAX + 32];
    if (!realpath(dir, abs))
        return NULL;
    fmt(url, sizeof url, "file://%s/report.html", abs);
    char *dom = NULL, *err = NULL;
    char *argv[] = {"chromium", "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0",
                    "--dump-dom", url, NULL};
    int rc = run_in(scratch, argv, &dom, &err);
    *console_error = rc != 0 || !err || strstr(err, "Uncaught") || strstr(err, ":CONSOLE");
    if (*console_error) { /* its console lines only (it also logs D-Bus noise) */
        fprintf(stderr, "\n  chromium on %s (exit %d):\n", url, rc);
        for (char *p = err, *line; p && (line = strsep(&p, "\n"));)
            if (strstr(line, "CONSOLE") || strstr(line, "Uncaught"))
                fprintf(stderr, "  %s\n", line);
    }
    free(err);
    if (shot) {
        fmt(arg, sizeof arg, "--screenshot=%s", shot);
        char *sv[] = {"chromium", "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
                      "--window-size=1200,2600", arg, url, NULL};
        CU_ASSERT_EQUAL(run_in(scratch, sv, NULL, NULL), 0);
    }
    return dom;
}

/* The page holds nothing fetched from elsewhere and no script. */
static void self_contained(const char *html)
{
    CU_ASSERT(html && !strstr(html, "<script"));
    CU_ASSERT(html && !strstr(html, "src=\""));
    CU_ASSERT(html && !strstr(html, "<link"));
    CU_ASSERT(html && !strstr(html, "@import"));
    CU_ASSERT(html && !strstr(html, "@font-face"));
    CU_ASSERT(html && !strstr(html, "onmousemove"));
    CU_ASSERT(html && !strstr(html, "gnuplot_svg"));
    /* every url( is a reference inside the page (gradients, clip paths) */
    for (const char *p = html; p && (p = strstr(p, "url(")); p += 4)
        CU_ASSERT(p[4] == '#');
}

/* the part of s from <figure id="ID"> to its </figure> */
static char *figure(const char *s, const char *id)
{
    char open[64];
    fmt(open, sizeof open, "<figure id=\"%s\">", id);
    const char *a = s ? strstr(s, open) : NULL, *b = a ? strstr(a, "</figure>") : NULL;
    return a && b ? strndup(a, (size_t)(b - a)) : NULL;
}

/* "set Xrange [a:b]" of a script; 0 when found */
static int range_of(const char *gp, char ax, double *a, double *b)
{
    char key[16];
    fmt(key, sizeof key, "set %crange [", ax);
    const char *p = gp ? strstr(gp, key) : NULL;
    return p && sscanf(p + strlen(key), "%lf:%lf]", a, b) == 2 ? 0 : -1;
}

/* the range [a, b] fits data [lo, hi]: holds it, and is at most 1.5x its
 * span wider (in decades on a log axis: hi/lo > 30, plots.c) */
static int fits(double a, double b, double lo, double hi)
{
    if (!(a <= lo && b >= hi))
        return 0;
    if (lo > 0 && hi / lo > 30)
        return log(b / a) <= 1.5 * log(hi / lo);
    double span = hi > lo ? hi - lo : 0.1 * fabs(hi);
    return b - a <= 1.5 * span + 1e-12;
}

static void test_sweep_report(void)
{
    char w[1024], d[2048], shot[PATH_MAX + 64];
    fmt(w, sizeof w, "%s/sweep", scratch);
    mkdir(w, 0777);
    write_cfg(w);
    char *sweep[] = {bin, "sweep", "lhs.cfg", "-o", "o_rand", NULL};
    CU_ASSERT_EQUAL_FATAL(run_in(w, sweep, NULL, NULL), 0);
    if (!has_tool("gnuplot"))
        return;
    char *out = NULL, *err = NULL;
    /* no --config: the one snnex sweep recorded in o_rand/sweep_config */
    char *rep[] = {bin, "report", "o_rand", NULL};
    CU_ASSERT_EQUAL(run_in(w, rep, &out, &err), 0);
    CU_ASSERT(out && !strcmp(out, "o_rand/report.html\n"));
    if (err && *err)
        fprintf(stderr, "\n  stderr: %s\n", err);
    free(out), free(err);
    fmt(d, sizeof d, "%s/o_rand", w);
    long rows = 0, n = distinct_designs(d, &rows);
    CU_ASSERT(n >= 2);
    fprintf(stderr, "\n  front: %ld rows in pareto.csv, %ld distinct designs\n", rows, n);
    char *html = slurp(d, "report.html");
    CU_ASSERT_FATAL(html != NULL);
    self_contained(html);
    /* the summary: config, constraints, counts (40 points: lhs.cfg) */
    CU_ASSERT(strstr(html, "/sweep/lhs.cfg</td>") != NULL);
    CU_ASSERT(strstr(html, "power_W &le; 50") != NULL);
    CU_ASSERT(strstr(html, "40 points evaluated") != NULL);
    CU_ASSERT(strstr(html, "Latin hypercube, 40 points, seed 3") != NULL);
    char want[128];
    fmt(want, sizeof want, "%ld designs on the Pareto front", n);
    CU_ASSERT(strstr(html, want) != NULL);
    /* one tooltip per distinct front design, numbered 1..n, in the front
     * figure; the table has n rows */
    char *front = figure(html, "front");
    CU_ASSERT(count(front, "<g class=\"hover\"") == n);
    CU_ASSERT(strstr(front, "<title>design 1\ncores: ") != NULL);
    fmt(want, sizeof want, "<title>design %ld\n", n);
    CU_ASSERT(strstr(front, want) != NULL);
    free(front);
    char *table = strstr(html, "<table id=\"designs\">");
    CU_ASSERT(table && count(table, "<tr><td class=\"n\">") == n);
    free(html);
    /* the breakdown has one bar per distinct design (was: one per
     * pareto.csv row, up to 25), numbered as the front */
    /* pareto.csv numbers its designs as the figures do: design = 1..n */
    char *pc = slurp(d, "pareto.csv");
    CU_ASSERT(pc && strstr(pc, ",E_opt_J,design\n"));
    CU_ASSERT(pc && strstr(pc, ",1\n"));
    free(pc);
    char *bd = slurp(d, "breakdown.dat");
    CU_ASSERT(bd && count(bd, "\n") == n + 1); /* a comment line, then n rows */
    CU_ASSERT(bd && strstr(bd, "\n1,") != NULL);
    CU_ASSERT(bd && !strncmp(bd, "# design, energy per sample (", 29));
    free(bd);
    /* no enhanced text: every terminal says noenhanced; the directory's
     * name is in the titles as written (o_rand, not o with subscript r) */
    const char *gps[] = {"pareto_front.gp", "breakdown.gp", "memtech_fronts.gp"};
    for (int i = 0; i < 3; i++) {
        char *g = slurp(d, gps[i]);
        CU_ASSERT(g && strstr(g, "set terminal svg size 1100,750 noenhanced"));
        CU_ASSERT(g && strstr(g, "sweep o_rand"));
        CU_ASSERT(g && !strstr(g, "energy_per_sample_J'")); /* axis labels in words */
        free(g);
    }
    /* the key lists each design once (set label 11.. '1: ...'); every
     * number label lies inside the plot's ranges; the ranges fit the
     * data drawn (memtech_fronts: was autoscaled to whole decades) */
    char *g = slurp(d, "pareto_front.gp");
    long keyrows = 0;
    for (const char *p = g; p && (p = strstr(p, "\nset label ")); p++) {
        long id, num;
        char c;
        if (sscanf(p + 11, "%ld '%ld%c", &id, &num, &c) == 3 && c == ':' && id >= 11)
            keyrows++;
    }
    CU_ASSERT_EQUAL(keyrows, n);
    double xa, xb, ya, yb;
    CU_ASSERT_FATAL(range_of(g, 'x', &xa, &xb) == 0 && range_of(g, 'y', &ya, &yb) == 0);
    free(g);
    char *lab = slurp(d, "pareto_labels.dat");
    int nlab = 0;
    for (char *p = lab, *line; p && (line = strsep(&p, "\n"));) {
        double x, y;
        if (sscanf(line, "%lf,%lf,", &x, &y) != 2)
            continue;
        nlab++;
        CU_ASSERT(x > xa && x < xb && y > ya && y < yb);
    }
    CU_ASSERT(nlab >= 1);
    free(lab);
    char *mg = slurp(d, "memtech_fronts.gp"), *md = slurp(d, "memtech_fronts.dat");
    CU_ASSERT_FATAL(mg && md);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (char *p = md, *line; (line = strsep(&p, "\n"));) {
        double x, y;
        if (sscanf(line, "%lf,%lf", &x, &y) == 2)
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
    }
    CU_ASSERT_FATAL(range_of(mg, 'x', &xa, &xb) == 0 && range_of(mg, 'y', &ya, &yb) == 0);
    CU_ASSERT(fits(xa, xb, x0, x1));
    CU_ASSERT(fits(ya, yb, y0, y1));
    free(mg), free(md);
    /* a range axis under sampling is continuous: the summary gives its
     * range, not the grid's steps (sweeps.h, sweep_axis.continuous) */
    {
        char p[2048];
        fmt(p, sizeof p, "%s/cont.cfg", w);
        FILE *f = fopen(p, "w");
        fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n"
                   "  axes = ( { key = \"chip.clock_MHz\"; log = [200.0, 800.0]; steps = 3; } );\n"
                   "  sampling = { method = \"random\"; points = 6; seed = 1; };\n"
                   "  objectives = ( \"min energy_per_sample_J\", \"min latency_s\" );\n};\n",
                repo);
        fclose(f);
        char *sw[] = {bin, "sweep", "cont.cfg", "-o", "cont", NULL}, *rp[] = {bin, "report", "cont", NULL};
        CU_ASSERT_EQUAL(run_in(w, sw, NULL, NULL), 0);
        CU_ASSERT_EQUAL(run_in(w, rp, NULL, NULL), 0);
        fmt(p, sizeof p, "%s/cont", w);
        char *h = slurp(p, "report.html");
        CU_ASSERT(h && strstr(h, "chip.clock_MHz: any value in [200, 800], log-uniform</li>"));
        free(h);
        /* a config that does not load: bad input, exit 1, checked before
         * any figure is drawn */
        char *bad[] = {bin, "report", "cont", "--config", "nosuch.cfg", NULL}, *e = NULL;
        remove(strcat(p, "/pareto_front.svg"));
        CU_ASSERT_EQUAL(run_in(w, bad, NULL, &e), 1);
        CU_ASSERT(e && strstr(e, "nosuch.cfg: error: cannot open file"));
        CU_ASSERT(access(p, F_OK) != 0);
        free(e);
    }
    /* several chips (system group): energy_per_sample_J is the round's
     * (links included), so the breakdown shows one worker chip's energy
     * per batch, not the chip's components scaled to the round's total */
    {
        char cfgp[PATH_MAX + 64];
        fmt(cfgp, sizeof cfgp, "%s/configs/seed20_federated_sweep.cfg", repo);
        char *sw[] = {bin, "sweep", cfgp, "-o", "fed", NULL}, *pl[] = {bin, "plot", "fed", NULL};
        CU_ASSERT_EQUAL(run_in(w, sw, NULL, NULL), 0);
        CU_ASSERT_EQUAL(run_in(w, pl, NULL, NULL), 0);
        char p[2048];
        fmt(p, sizeof p, "%s/fed", w);
        char *b = slurp(p, "breakdown.dat");
        CU_ASSERT(b && !strncmp(b, "# design, energy per batch of one worker chip (", 47));
        free(b);
    }
    if (!has_tool("chromium"))
        return;
    int bad = 1;
    fmt(shot, sizeof shot, "%s/%s/report_sweep.png", repo, SNNEX_BUILD);
    char *dom = chromium_dom(d, shot, &bad);
    CU_ASSERT(!bad);
    char *fd = figure(dom, "front");
    CU_ASSERT(fd && count(fd, "class=\"hover\"") == n);
    free(fd);
    free(dom);
    struct stat sb;
    CU_ASSERT(stat(shot, &sb) == 0 && sb.st_size > 10000);
}

static void test_validation_report(void)
{
    if (!has_tool("gnuplot"))
        return;
    char set[PATH_MAX + 16], d[2048], shot[PATH_MAX + 64];
    fmt(set, sizeof set, "%s/validation", repo);
    char *csv = NULL;
    char *val[] = {bin, "validate", "--dir", set, "--report", "vrep/deeper", "--format", "csv", NULL};
    CU_ASSERT_EQUAL_FATAL(run_in(scratch, val, &csv, NULL), 0);
    /* compared figures: CSV rows with an estimate (column 5 not empty) */
    long compared = 0;
    for (char *p = csv ? strchr(csv, '\n') : NULL; p && p[1]; p = strchr(p + 1, '\n')) {
        const char *q = p + 1;
        int commas = 0, inq = 0;
        for (; *q && *q != '\n' && commas < 4; q++)
            if (*q == '"')
                inq = !inq;
            else if (*q == ',' && !inq)
                commas++;
        compared += commas == 4 && *q != ',';
    }
    free(csv);
    CU_ASSERT(compared >= 10);
    fmt(d, sizeof d, "%s/vrep/deeper", scratch);
    char *html = slurp(d, "report.html");
    CU_ASSERT_FATAL(html != NULL);
    self_contained(html);
    char *par = figure(html, "parity");
    CU_ASSERT(count(par, "<g class=\"hover\"") == compared);
    /* a tooltip holds chip, figure, conditions and source (chips.csv) */
    CU_ASSERT(par && strstr(par, "<title>odin, energy_per_sop_incremental\npublished: 8.43 pJ/SOP\n"));
    CU_ASSERT(par && strstr(par, "\nsource: https://arxiv.org/abs/1804.07858"));
    CU_ASSERT(par && strstr(par, "\nconditions: GLOBAL energy per SOP at 0.55 V"));
    free(par);
    free(html);
    if (!has_tool("chromium"))
        return;
    int bad = 1;
    fmt(shot, sizeof shot, "%s/%s/report_validation.png", repo, SNNEX_BUILD);
    char *dom = chromium_dom(d, shot, &bad);
    CU_ASSERT(!bad);
    char *pd = figure(dom, "parity");
    CU_ASSERT(pd && count(pd, "class=\"hover\"") == compared);
    free(pd);
    free(dom);
}

/* the console check can fail: a page with a script error is caught */
static void test_console_check(void)
{
    if (!has_tool("chromium"))
        return;
    char d[2048], p[2100];
    fmt(d, sizeof d, "%s/broken", scratch);
    mkdir(d, 0777);
    fmt(p, sizeof p, "%s/report.html", d);
    FILE *f = fopen(p, "w");
    fprintf(f, "<!DOCTYPE html><html><body><script>no_such_function();</script></body></html>\n");
    fclose(f);
    int bad = 0;
    fprintf(stderr, "\n  (a console error is expected next)");
    char *dom = chromium_dom(d, NULL, &bad);
    CU_ASSERT(bad);
    free(dom);
}

/* ---- the pieces --------------------------------------------------------- */

/* Three points on one spot and one near: every label placed, none
 * overlapping another (boxes from the frame's character size). */
static void test_place_labels(void)
{
    plot_frame fr = {1000, 500, 0.1, 0.9, 0.1, 0.9, 0, 10, 0, 10, 0, 0, 6, 12};
    double x[4] = {5, 5, 5, 5.2}, y[4] = {5, 5, 5, 5};
    const char *text[4] = {"first", "second", "third", "fourth"};
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    long counts[4];
    long missed = plot_place_labels(&fr, 4, x, y, text, 0, NULL, NULL, m, counts);
    fclose(m);
    CU_ASSERT_EQUAL(missed, 0);
    CU_ASSERT_EQUAL(counts[0] + counts[1] + counts[2], 4);
    /* read back: boxes in pixels (800 px per 10 units on x, 400 on y) */
    double bx[4][4];
    int n = 0;
    for (char *p = buf, *line; n < 4 && (line = strsep(&p, "\n")) && *line; n++) {
        double dx, dy;
        char t[32], a;
        CU_ASSERT_FATAL(sscanf(line, "%lf,%lf,\"%31[^\"]\",%c", &dx, &dy, t, &a) == 4);
        double w = 6.0 * (double)strlen(t), px = 100 + 80 * dx, py = 50 + 40 * dy;
        bx[n][0] = a == 'l' ? px : a == 'r' ? px - w : px - w / 2, bx[n][1] = bx[n][0] + w;
        bx[n][2] = py - 6, bx[n][3] = py + 6;
    }
    CU_ASSERT_EQUAL(n, 4);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            CU_ASSERT(bx[i][1] <= bx[j][0] || bx[j][1] <= bx[i][0] || bx[i][3] <= bx[j][2] || bx[j][3] <= bx[i][2]);
    free(buf);
}

/* A marker that has no label of its own (an unlabelled front design)
 * still keeps labels off it: with one 12 px to the right of the point
 * (80 px per unit), the label goes left (right-aligned), else right. */
static void test_label_obstacles(void)
{
    plot_frame fr = {1000, 500, 0.1, 0.9, 0.1, 0.9, 0, 10, 0, 10, 0, 0, 6, 12};
    double x = 5, y = 5, ox = 5.15, oy = 5;
    const char *text[1] = {"12"};
    long counts[4];
    FILE *m = fopen("/dev/null", "w");
    CU_ASSERT_EQUAL(plot_place_labels(&fr, 1, &x, &y, text, 0, NULL, NULL, m, counts), 0);
    CU_ASSERT(counts[0] == 1 && counts[1] == 0);
    CU_ASSERT_EQUAL(plot_place_labels(&fr, 1, &x, &y, text, 1, &ox, &oy, m, counts), 0);
    CU_ASSERT(counts[0] == 0 && counts[1] == 1);
    fclose(m);
}

/* gnuplot 5.4's hypertext markup becomes an SVG <title>, escaped */
static void test_svg_tooltips(void)
{
    char in[2048], out[2048];
    fmt(in, sizeof in, "%s/in.svg", scratch);
    fmt(out, sizeof out, "%s/out.svg", scratch);
    FILE *f = fopen(in, "w");
    fprintf(f, "<svg>\n<g onmousemove=\"gnuplot_svg.showHypertext(evt,'h1')\" "
               "onmouseout=\"gnuplot_svg.hideHypertext()\"><title> </title>\n<use/></g>\n</svg>\n");
    fclose(f);
    const char *tips[2] = {"zero", "a<b & \"c\"\nline 2"};
    long found = 0;
    snnex_err e;
    CU_ASSERT_EQUAL(plot_svg_tooltips(in, out, 2, tips, &found, &e), SNNEX_OK);
    CU_ASSERT_EQUAL(found, 1);
    char *s = slurp(scratch, "out.svg");
    CU_ASSERT(s && !strcmp(s, "<svg>\n<g class=\"hover\" data-n=\"1\"><title>a&lt;b &amp; &quot;c&quot;\nline 2"
                              "</title>\n<use/></g>\n</svg>\n"));
    free(s);
}

int main(void)
{
    if (!getcwd(repo, sizeof repo) || !realpath(SNNEX_BIN, bin) || !mkdtemp(scratch))
        return 2;
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("report", NULL, NULL);
    CU_add_test(s, "labels placed without overlap", test_place_labels);
    CU_add_test(s, "labels keep off unlabelled markers", test_label_obstacles);
    CU_add_test(s, "gnuplot hypertext -> SVG title", test_svg_tooltips);
    CU_add_test(s, "snnex report: self-contained, one tooltip per distinct design, loads in chromium",
                test_sweep_report);
    CU_add_test(s, "validate --report: parity tooltips, loads in chromium", test_validation_report);
    CU_add_test(s, "a page with a script error is caught", test_console_check);
    int rc = test_finish();
    char cmd[PATH_MAX + 16];
    fmt(cmd, sizeof cmd, "rm -rf %s", scratch);
    if (system(cmd) != 0)
        rc = rc ? rc : 2;
    return rc;
}
