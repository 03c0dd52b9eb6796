/* test_plots — the gnuplot figures and the data the program ships, run as
 * a user would: paths with quotes, spaces, $, backslash, backquotes and
 * UTF-8 plot without running anything they spell; gnuplot missing, failing
 * or killed is told apart (exit 2), a bad directory is exit 1; validate -o
 * makes its directory; plot mem and bench estimate work from a directory
 * outside the source tree, for build/snnex and for an installed snnex.
 * The program is run by fork/exec with an argv (no shell), so the odd names
 * reach it byte for byte. */
#include "plots/plots.h"
#include "test_util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#ifndef SNNEX_BUILD
#define SNNEX_BUILD "build"
#endif

/* snprintf; a too-long path shows up as a failed assertion downstream */
__attribute__((format(printf, 3, 4))) static void fmt(char *b, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, n, f, ap);
    va_end(ap);
}

static char repo[PATH_MAX], bin[PATH_MAX], scratch[] = "/tmp/snnex_tp_XXXXXX";

/* A directory name with every character the brief lists: ', ", space, $,
 * backslash, a backquoted command, @macro and UTF-8 (é, µ). Were it pasted
 * into a shell command or an unquoted gnuplot string, it would run
 * `touch INJECTED` / `touch BQ`. */
static const char *const NASTY = "inj';touch INJECTED;'$HOME \"q\" \\b `touch BQ` @x é µ";

/* Run prog with argv in directory cwd, PATH replaced by path when not
 * NULL; stdout and stderr are captured into malloc'ed strings (caller
 * frees; either may be NULL). Returns the exit status, 128 + signal when
 * killed, -1 when it could not run. */
static int run_in(const char *cwd, const char *path, char *const argv[], char **out, char **errs)
{
    char of[] = "/tmp/snnex_tp_oXXXXXX", ef[] = "/tmp/snnex_tp_eXXXXXX";
    int fo = mkstemp(of), fe = mkstemp(ef);
    if (fo < 0 || fe < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fo, 1);
        dup2(fe, 2);
        if (chdir(cwd) != 0)
            _exit(126);
        if (path)
            setenv("PATH", path, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    char **dst[2] = {out, errs};
    const char *names[2] = {of, ef};
    for (int i = 0; i < 2; i++) {
        if (dst[i]) {
            FILE *f = fopen(names[i], "rb");
            size_t cap = 1 << 16, n = 0, r;
            char *b = malloc(cap);
            while (f && (r = fread(b + n, 1, cap - n - 1, f)) > 0)
                if ((n += r) + 1 >= cap)
                    b = realloc(b, cap *= 2);
            b[n] = 0;
            if (f)
                fclose(f);
            *dst[i] = b;
        }
        remove(names[i]);
    }
    close(fo);
    close(fe);
    if (pid < 0)
        return -1;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
}

static int exists(const char *dir, const char *name)
{
    char p[2048];
    fmt(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

/* dir/name is a PNG of w x h pixels: the 8-byte PNG signature, then the
 * IHDR chunk with width and height big-endian (PNG spec, section 5.3 and
 * 11.2.2). */
static int is_png(const char *dir, const char *name, unsigned w, unsigned h)
{
    char p[2048];
    unsigned char b[24];
    fmt(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (!f)
        return 0;
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    unsigned gw = (unsigned)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
    unsigned gh = (unsigned)b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
    return n == 24 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8) && !memcmp(b + 12, "IHDR", 4) && gw == w && gh == h;
}

/* dir/name is a whole SVG document of the given width. */
static int is_svg(const char *dir, const char *name, const char *width)
{
    char p[2048], *s = NULL;
    size_t n;
    snnex_err e;
    fmt(p, sizeof p, "%s/%s", dir, name);
    if (snnex_read_file(p, &s, &n, &e))
        return 0;
    char w[64];
    fmt(w, sizeof w, "width=\"%s\"", width);
    int ok = strstr(s, "<svg") && strstr(s, w) && strstr(s, "</svg>");
    free(s);
    return ok;
}

static int has_gnuplot(void)
{
    if (system("command -v gnuplot >/dev/null 2>&1") == 0)
        return 1;
    fprintf(stderr, "\n  gnuplot not installed: test skipped\n");
    return 0;
}

/* scratch/NAME: a new directory */
static void sub(char *out, size_t n, const char *name)
{
    fmt(out, n, "%s/%s", scratch, name);
    mkdir(out, 0777);
}

/* A random sample of 12 designs of seed20: 3 core counts x SRAM/STT x 3
 * clocks (a weight-tech axis, so memtech_fronts is drawn too). */
static void write_sweep_cfg(const char *dir)
{
    char p[2048];
    fmt(p, sizeof p, "%s/rand.cfg", dir);
    FILE *f = fopen(p, "w");
    fprintf(f,
            "@include \"%s/configs/seed20.cfg\"\n"
            "sweep = {\n"
            "  axes = (\n"
            "    { keys = [\"chip.cores\", \"chip.mesh\"]; values = ( (4, \"2x2\"), (16, \"4x4\"), (64, \"8x8\") ); },\n"
            "    { key = \"chip.memories.weight.tech\"; values = [\"sram\", \"stt\"]; },\n"
            "    { key = \"chip.clock_MHz\"; log = [200.0, 800.0]; steps = 3; }\n"
            "  );\n"
            "  sampling = { method = \"random\"; points = 12; seed = 1; };\n"
            "  objectives = ( \"min energy_per_sample_J\", \"min latency_s\", \"min area_m2\" );\n"
            "};\n",
            repo);
    fclose(f);
}

/* ---- issue 14.4: no shell, every path one gnuplot literal --------------- */

static void test_odd_sweep_dir(void)
{
    char w[1024], d[2048];
    sub(w, sizeof w, "sweep");
    write_sweep_cfg(w);
    char *sweep[] = {bin, "sweep", "rand.cfg", "-o", (char *)NASTY, NULL};
    CU_ASSERT_EQUAL_FATAL(run_in(w, NULL, sweep, NULL, NULL), 0);
    if (!has_gnuplot())
        return;
    char *out = NULL, *err = NULL;
    char *plot[] = {bin, "plot", (char *)NASTY, NULL};
    CU_ASSERT_EQUAL(run_in(w, NULL, plot, &out, &err), 0);
    if (err && *err)
        fprintf(stderr, "\n  stderr: %s\n", err);
    /* the files written are listed, one a line (plots.h) */
    fmt(d, sizeof d, "%s/pareto_front.png\n%s/breakdown.png\n%s/memtech_fronts.png\n", NASTY, NASTY, NASTY);
    CU_ASSERT(out && !strcmp(out, d));
    free(out), free(err);
    fmt(d, sizeof d, "%s/%s", w, NASTY);
    /* sizes from plots.c: set terminal pngcairo size 1100,750 */
    CU_ASSERT(is_png(d, "pareto_front.png", 1100, 750));
    CU_ASSERT(is_png(d, "breakdown.png", 1100, 750));
    CU_ASSERT(is_png(d, "memtech_fronts.png", 1100, 750));
    char *svg[] = {bin, "plot", (char *)NASTY, "--format", "svg", NULL};
    CU_ASSERT_EQUAL(run_in(w, NULL, svg, NULL, NULL), 0);
    CU_ASSERT(is_svg(d, "pareto_front.svg", "1100"));
    CU_ASSERT(is_svg(d, "breakdown.svg", "1100"));
    CU_ASSERT(is_svg(d, "memtech_fronts.svg", "1100"));
    /* nothing the name spells ran, no temporary figure is left */
    CU_ASSERT(!exists(w, "INJECTED"));
    CU_ASSERT(!exists(w, "BQ"));
    CU_ASSERT(!exists(d, ".pareto_front.tmp.png"));
    /* the script holds the name as one single-quoted literal with the '
     * doubled (gnuplot 5.4 manual, "Strings") */
    char gp[8192], *s = NULL;
    size_t n;
    snnex_err e;
    fmt(gp, sizeof gp, "%s/pareto_front.gp", d);
    CU_ASSERT_FATAL(snnex_read_file(gp, &s, &n, &e) == SNNEX_OK);
    CU_ASSERT(strstr(s, "plot 'inj'';touch INJECTED;''$HOME \"q\" \\b `touch BQ` @x é µ/points.csv' skip 1") != NULL);
    free(s);
}

static void test_quote(void)
{
    char b[64];
    /* gnuplot single-quoted string: '' stands for one ' */
    CU_ASSERT(plot_gp_quote(b, sizeof b, "it's \"$x\" \\ `y` é") == 0 && !strcmp(b, "'it''s \"$x\" \\ `y` é'"));
    CU_ASSERT(plot_gp_quote(b, sizeof b, "") == 0 && !strcmp(b, "''"));
    /* a script line cannot hold a newline: refused, not broken */
    CU_ASSERT(plot_gp_quote(b, sizeof b, "a\nb") == -1);
    CU_ASSERT(plot_gp_quote(b, sizeof b, "a\rb") == -1);
    /* "''''" + quotes = 6 bytes + NUL: fits in 7, not in 6 */
    CU_ASSERT(plot_gp_quote(b, 7, "''") == 0 && !strcmp(b, "''''''"));
    CU_ASSERT(plot_gp_quote(b, 6, "''") == -1);
    /* a real gnuplot reads the literal back as the original string */
    if (!has_gnuplot())
        return;
    char gp[1024], *s = NULL, q[256];
    const char *text = "it's \"$x\" \\ `touch BQ` @y é";
    fmt(gp, sizeof gp, "%s/quote.gp", scratch);
    CU_ASSERT_FATAL(plot_gp_quote(q, sizeof q, text) == 0);
    FILE *f = fopen(gp, "w");
    fprintf(f, "set print '-'\nprint %s\n", q);
    fclose(f);
    char *argv[] = {"/bin/sh", "-c", "gnuplot quote.gp", NULL};
    CU_ASSERT_EQUAL(run_in(scratch, NULL, argv, &s, NULL), 0);
    char want[300];
    fmt(want, sizeof want, "%s\n", text);
    CU_ASSERT(s && !strcmp(s, want));
    CU_ASSERT(!exists(scratch, "BQ"));
    free(s);
}

/* A fake gnuplot in scratch/NAME: a shell script with body. */
static void fake_gnuplot(char *dir, size_t n, const char *name, const char *body)
{
    char p[2048];
    sub(dir, n, name);
    fmt(p, sizeof p, "%s/gnuplot", dir);
    FILE *f = fopen(p, "w");
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(p, 0755);
}

static void test_gnuplot_failures(void)
{
    char w[1024], d[2048], fake[1024], path[2048];
    sub(w, sizeof w, "fail");
    write_sweep_cfg(w);
    char *sweep[] = {bin, "sweep", "rand.cfg", "-o", "s", NULL};
    CU_ASSERT_EQUAL_FATAL(run_in(w, NULL, sweep, NULL, NULL), 0);
    fmt(d, sizeof d, "%s/s", w);
    char *plot[] = {bin, "plot", "s", NULL}, *err = NULL;

    /* not installed: PATH holds no gnuplot (exec fails with ENOENT) */
    sub(fake, sizeof fake, "empty");
    CU_ASSERT_EQUAL(run_in(w, fake, plot, NULL, &err), 2);
    CU_ASSERT(err && strstr(err, "s/pareto_front.gp: error: gnuplot not found on PATH; install gnuplot"));
    free(err);

    /* installed, exits non-zero: its status and output, not "not found" */
    fake_gnuplot(fake, sizeof fake, "exit3", "echo 'line 3: undefined variable: foo' >&2; exit 3");
    fmt(path, sizeof path, "%s:/usr/bin:/bin", fake);
    CU_ASSERT_EQUAL(run_in(w, path, plot, NULL, &err), 2);
    CU_ASSERT(err && strstr(err, "s/pareto_front.gp: error: gnuplot failed on this script (exit status 3); "
                                 "its output:\nline 3: undefined variable: foo\n"));
    CU_ASSERT(err && !strstr(err, "not found"));
    free(err);
    CU_ASSERT(!exists(d, "pareto_front.png"));
    CU_ASSERT(!exists(d, ".pareto_front.tmp.png"));

    /* killed by a signal (SIGKILL = 9 on Linux) */
    fake_gnuplot(fake, sizeof fake, "killed", "kill -9 $$");
    fmt(path, sizeof path, "%s:/usr/bin:/bin", fake);
    CU_ASSERT_EQUAL(run_in(w, path, plot, NULL, &err), 2);
    CU_ASSERT(err && strstr(err, "s/pareto_front.gp: error: gnuplot was killed by signal 9"));
    free(err);

    /* validate --plot: the same runner */
    fake_gnuplot(fake, sizeof fake, "exit3v", "echo 'bad terminal' >&2; exit 3");
    fmt(path, sizeof path, "%s:/usr/bin:/bin", fake);
    char *val[] = {bin, "validate", "-o", "v", "--plot", NULL};
    CU_ASSERT_EQUAL(run_in(w, path, val, NULL, &err), 2);
    CU_ASSERT(err && strstr(err, "v/validation_parity.gp: error: gnuplot failed on this script (exit status 3); "
                                 "its output:\nbad terminal\n"));
    free(err);
    fmt(d, sizeof d, "%s/v", w);
    CU_ASSERT(!exists(d, "validation_parity.png"));
    CU_ASSERT(!exists(d, ".validation_parity.tmp.png"));

    /* a directory that is not a sweep: bad input, exit 1 */
    char *bad[] = {bin, "plot", "nosuchdir", NULL};
    CU_ASSERT_EQUAL(run_in(w, NULL, bad, NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "nosuchdir/pareto.csv: error: cannot read"));
    free(err);
}

/* ---- validate -o makes its directory ------------------------------------ */

static void test_validate_outdir(void)
{
    char w[1024], d[2048], o[2048], set[PATH_MAX + 16];
    sub(w, sizeof w, "val");
    fmt(o, sizeof o, "new/%s/deeper", NASTY);
    fmt(set, sizeof set, "%s/validation", repo);
    char *val[] = {bin, "validate", "--dir", set, "-o", o, "--plot", NULL}, *err = NULL;
    int gp = has_gnuplot();
    if (!gp)
        val[6] = NULL;
    CU_ASSERT_EQUAL(run_in(w, NULL, val, NULL, &err), 0);
    if (err && *err)
        fprintf(stderr, "\n  stderr: %s\n", err);
    free(err);
    fmt(d, sizeof d, "%s/%s", w, o);
    CU_ASSERT(exists(d, "validation.csv"));
    CU_ASSERT(exists(d, "validation.md"));
    /* validation_out.c: set terminal pngcairo size 900,720 */
    if (gp)
        CU_ASSERT(is_png(d, "validation_parity.png", 900, 720));
    CU_ASSERT(!exists(w, "INJECTED"));
    CU_ASSERT(!exists(w, "BQ"));
    /* a path through a regular file: bad input, exit 1, nothing written */
    fmt(d, sizeof d, "%s/file", w);
    FILE *f = fopen(d, "w");
    fclose(f);
    char *bad[] = {bin, "validate", "--dir", set, "-o", "file/out", NULL}, *out = NULL;
    CU_ASSERT_EQUAL(run_in(w, NULL, bad, &out, &err), 1);
    CU_ASSERT(err && strstr(err, "file/out: error: cannot create directory (Not a directory)"));
    CU_ASSERT(out && !*out);
    free(out), free(err);
}

/* ---- shipped data found outside the source tree ------------------------ */

/* plot mem (default -o out/plots) and bench estimate with prog run from
 * directory cwd. */
static void plot_mem_and_bench(const char *prog, const char *cwd)
{
    char d[2048], *out = NULL, *err = NULL;
    char *pm[] = {(char *)prog, "plot", "mem", NULL};
    CU_ASSERT_EQUAL(run_in(cwd, NULL, pm, &out, &err), 0);
    if (err && *err)
        fprintf(stderr, "\n  %s plot mem: %s\n", prog, err);
    CU_ASSERT(out && !strcmp(out, "out/plots/mem_read_energy.png\nout/plots/mem_area.png\n"));
    free(out), free(err);
    fmt(d, sizeof d, "%s/out/plots", cwd);
    /* cmd_mem.c: pngcairo size 800,560 */
    CU_ASSERT(is_png(d, "mem_read_energy.png", 800, 560));
    CU_ASSERT(is_png(d, "mem_area.png", 800, 560));
    /* each figure has a title, and no text is read as enhanced markup */
    {
        char p[2100], *g = NULL;
        size_t n;
        snnex_err e;
        fmt(p, sizeof p, "%s/mem_plot.gp", d);
        CU_ASSERT(snnex_read_file(p, &g, &n, &e) == SNNEX_OK);
        CU_ASSERT(g && strstr(g, "set title 'Memory read energy vs capacity") &&
                  strstr(g, "set title 'Memory array area vs capacity"));
        CU_ASSERT(g && strstr(g, "pngcairo size 800,560 noenhanced") && !strstr(g, "^2"));
        free(g);
    }
    char *be[] = {(char *)prog, "bench", "estimate", NULL};
    CU_ASSERT_EQUAL(run_in(cwd, NULL, be, &out, &err), 0);
    CU_ASSERT(out && strstr(out, "bench=estimate config=") && strstr(out, "/seed20.cfg\nestimates_per_second="));
    if (err && *err)
        fprintf(stderr, "\n  %s bench estimate: %s\n", prog, err);
    free(out), free(err);
    /* bench sweep's default is the shipped seed20_sweep.cfg (was
     * configs/seed20_sweep.cfg relative to the current directory) */
    char *bs[] = {(char *)prog, "bench", "sweep", "--points", "2000", "--threads", "1", NULL};
    CU_ASSERT_EQUAL(run_in(cwd, NULL, bs, &out, &err), 0);
    CU_ASSERT(out && strstr(out, "/seed20_sweep.cfg\nthreads=1\npoints=2000\n"));
    if (err && *err)
        fprintf(stderr, "\n  %s bench sweep: %s\n", prog, err);
    free(out), free(err);
}

static void test_outside_tree(void)
{
    if (access("../shared/reference/memtech/cacti_subset.csv", R_OK) != 0) {
        fprintf(stderr, "\n  ../shared/reference/memtech missing: test skipped\n");
        return;
    }
    if (!has_gnuplot())
        return;
    /* build/snnex from elsewhere: data next to the build tree */
    char w[1024], prefix[PATH_MAX], cmd[8192], prog[2048];
    sub(w, sizeof w, "elsewhere");
    plot_mem_and_bench(bin, w);
    /* installed: PREFIX/share/snnex, from a directory with nothing in it */
    sub(prefix, sizeof prefix, "prefix");
    fmt(cmd, sizeof cmd, "make -s --no-print-directory install BUILD=%s PREFIX=%s >/dev/null 2>&1",
             SNNEX_BUILD, prefix);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    fmt(prog, sizeof prog, "%s/share/snnex/reference/memtech", prefix);
    CU_ASSERT(exists(prog, "cacti_subset.csv") && exists(prog, "nvsim_subset.csv") && exists(prog, "nvsim_45nm.csv") &&
              exists(prog, "README.md"));
    fmt(prog, sizeof prog, "%s/bin/snnex", prefix);
    sub(w, sizeof w, "elsewhere2");
    plot_mem_and_bench(prog, w);
    /* no reference points anywhere: say how to point at them */
    fmt(cmd, sizeof cmd, "rm -rf %s/share/snnex/reference", prefix);
    CU_ASSERT_EQUAL(system(cmd), 0);
    char *pm[] = {prog, "plot", "mem", "-o", "x", NULL}, *err = NULL;
    CU_ASSERT_EQUAL(run_in(w, NULL, pm, NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "pass --ref DIR"));
    free(err);
    CU_ASSERT(!exists(w, "x"));
}

/* the options the tests above use are in the help (main.c), which
 * `snnex plot mem --help` prints too */
static void test_help(void)
{
    char *out = NULL;
    char *h[] = {bin, "plot", "mem", "--help", NULL};
    CU_ASSERT_EQUAL(run_in(scratch, NULL, h, &out, NULL), 0);
    CU_ASSERT(out && strstr(out, "snnex plot mem [--format png|svg] [-o DIR] [--ref DIR]\n"));
    CU_ASSERT(out && strstr(out, "PREFIX/share/snnex/reference/memtech"));
    free(out);
    char *v[] = {bin, "help", "validate", NULL};
    CU_ASSERT_EQUAL(run_in(scratch, NULL, v, &out, NULL), 0);
    CU_ASSERT(out && strstr(out, "(DIR is made if\n                 missing, like mkdir -p)"));
    free(out);
}

int main(void)
{
    if (!getcwd(repo, sizeof repo) || !realpath(SNNEX_BIN, bin) || !mkdtemp(scratch))
        return 2;
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("plots", NULL, NULL);
    CU_add_test(s, "gnuplot literal quoting", test_quote);
    CU_add_test(s, "sweep dir with ' \" space $ \\ ` UTF-8: figures, nothing injected", test_odd_sweep_dir);
    CU_add_test(s, "gnuplot missing / failing / killed: exit 2, told apart", test_gnuplot_failures);
    CU_add_test(s, "validate -o makes its directory", test_validate_outdir);
    CU_add_test(s, "plot mem, bench estimate and bench sweep outside the tree, built and installed", test_outside_tree);
    CU_add_test(s, "help documents plot mem --ref and validate -o", test_help);
    int rc = test_finish();
    char cmd[PATH_MAX + 16];
    fmt(cmd, sizeof cmd, "rm -rf %s", scratch);
    if (system(cmd) != 0)
        rc = rc ? rc : 2;
    return rc;
}
