/* test_sweeps — sweeps and plots: Pareto front against brute force,
 * thread-count determinism, kill-and-resume equivalence, constraint
 * filtering, bad sweep configs, plot files, and 2-rank MPI equivalence
 * when build/snnex-mpi and mpirun exist. */
#include "sweeps/sweeps.h"
#include "test_util.h"

#include <sys/stat.h>

static char cwd[1024];

/* A small sweep of seed20 (5 x 3 x 2 x 2 = 60 points, chunks of 7 rows so
 * a run has 9 chunks). extra is appended inside the sweep group. */
static void write_cfg_obj(const char *path, const char *extra, const char *objectives)
{
    FILE *f = fopen(path, "w");
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\n"
               "sweep = {\n"
               "  chunk = 7;\n"
               "  axes = (\n"
               "    { keys = [\"chip.cores\", \"chip.mesh\"]; values = ( (4, \"2x2\"), (8, \"2x4\"), (16, \"4x4\"),"
               " (32, \"4x8\"), (64, \"8x8\") ); },\n"
               "    { key = \"mapping.multicore\"; values = [\"data_parallel\", \"pipeline\", \"output_split\"]; },\n"
               "    { key = \"chip.memories.weight.tech\"; values = [\"sram\", \"stt\"]; },\n"
               "    { key = \"chip.clock_MHz\"; log = [200.0, 800.0]; steps = 2; }\n"
               "  );\n"
               "  constraints = ( \"area_m2 <= 20e-6\" );\n"
               "  objectives = ( %s );\n"
               "%s};\n",
            cwd, objectives, extra);
    fclose(f);
}

static void write_cfg(const char *path, const char *extra)
{
    write_cfg_obj(path, extra, "\"min energy_per_sample_J\", \"min latency_s\", \"min area_m2\"");
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    b[*n] = 0;
    fclose(f);
    return b;
}

static int same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static int run(const char *fmt, const char *a, const char *b)
{
    char args[2048];
    snprintf(args, sizeof args, fmt, a, b);
    return test_run_snnex(args, NULL, NULL);
}

/* ---- Pareto vs brute force -------------------------------------------- */

static void pareto_random(int k)
{
    unsigned s = 12345u + (unsigned)k;
    for (int trial = 0; trial < 200; trial++) {
        long n = 1 + trial % 60;
        double *v = malloc((size_t)n * k * sizeof *v);
        unsigned char *fr = malloc((size_t)n);
        /* values from a small set: many ties and exact duplicates */
        for (long i = 0; i < n * k; i++) {
            s = s * 1103515245u + 12345u;
            v[i] = (double)((s >> 16) % (trial % 2 ? 5 : 50));
        }
        CU_ASSERT_EQUAL(sweep_pareto(v, n, k, fr), SNNEX_OK);
        for (long i = 0; i < n; i++) {
            int dominated = 0;
            for (long j = 0; j < n && !dominated; j++) {
                int le = 1, lt = 0;
                for (int d = 0; d < k; d++) {
                    le &= v[j * k + d] <= v[i * k + d];
                    lt |= v[j * k + d] < v[i * k + d];
                }
                dominated = le && lt;
            }
            CU_ASSERT_EQUAL(fr[i], !dominated);
        }
        free(v);
        free(fr);
    }
}

static void test_pareto_2d(void) { pareto_random(2); }
static void test_pareto_3d(void) { pareto_random(3); }

/* Duplicates of a nondominated point are all kept; a point equal in one
 * objective and worse in the other is dominated. */
static void test_pareto_duplicates(void)
{
    double v[] = {1, 3, 1, 3, 2, 2, 2, 3, 3, 1, 1, 4};
    unsigned char fr[6];
    sweep_pareto(v, 6, 2, fr);
    unsigned char want[6] = {1, 1, 1, 0, 1, 0};
    for (int i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(fr[i], want[i]);
}

/* ---- runs of the program ---------------------------------------------- */

static void test_threads_deterministic(void)
{
    write_cfg("/tmp/snnex_ts.cfg", "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s --threads 1", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_t1"), 0);
    CU_ASSERT_EQUAL(run("sweep %s -o %s --threads 2", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_t2"), 0);
    CU_ASSERT(same_file("/tmp/snnex_ts_t1/points.csv", "/tmp/snnex_ts_t2/points.csv"));
    CU_ASSERT(same_file("/tmp/snnex_ts_t1/pareto.csv", "/tmp/snnex_ts_t2/pareto.csv"));
    /* 60 points plus the header */
    size_t n;
    char *t = slurp("/tmp/snnex_ts_t1/points.csv", &n);
    int lines = 0;
    for (size_t i = 0; t && i < n; i++)
        lines += t[i] == '\n';
    CU_ASSERT_EQUAL(lines, 61);
    free(t);
}

static void test_resume(void)
{
    write_cfg("/tmp/snnex_ts.cfg", "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_full"), 0);
    /* crash after 3 committed chunks, half-way through the 4th */
    CU_ASSERT_EQUAL(run("sweep %s -o %s --stop-after-chunks 3", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_kill"), 3);
    CU_ASSERT(!same_file("/tmp/snnex_ts_full/points.csv", "/tmp/snnex_ts_kill/points.csv"));
    CU_ASSERT_EQUAL(run("sweep %s -o %s --resume --threads 2", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_kill"), 0);
    CU_ASSERT(same_file("/tmp/snnex_ts_full/points.csv", "/tmp/snnex_ts_kill/points.csv"));
    CU_ASSERT(same_file("/tmp/snnex_ts_full/pareto.csv", "/tmp/snnex_ts_kill/pareto.csv"));
    /* a changed sweep refuses to resume, saying why */
    CU_ASSERT_EQUAL(run("sweep %s -o %s --stop-after-chunks 2", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_kill"), 3);
    write_cfg("/tmp/snnex_ts.cfg", "  sampling = { method = \"random\"; points = 60; seed = 3; };\n");
    char *err = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("sweep /tmp/snnex_ts.cfg -o /tmp/snnex_ts_kill --resume", NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "changed"));
    free(err);
}

/* area_m2 <= 20e-6: every feasible row meets it; no row that meets it is
 * rejected for it */
static void test_constraints(void)
{
    write_cfg("/tmp/snnex_ts.cfg", "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_c"), 0);
    FILE *f = fopen("/tmp/snnex_ts_c/points.csv", "r");
    char line[4096];
    int rows = 0, yes = 0, cut = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char *fld[64];
        int n = 0;
        fld[n++] = line;
        for (char *p = line; *p && n < 64; p++)
            if (*p == ',')
                *p = 0, fld[n++] = p + 1;
        /* index, 5 axis columns, metrics from column 6: area_m2 is the 4th metric */
        double area = atof(fld[6 + 3]);
        int feas = !strcmp(fld[n - 2], "yes");
        rows++;
        yes += feas;
        if (feas)
            CU_ASSERT(area <= 20e-6);
        if (strstr(fld[n - 1], "constraint area_m2")) {
            cut++;
            CU_ASSERT(area > 20e-6);
        }
    }
    fclose(f);
    CU_ASSERT_EQUAL(rows, 60);
    CU_ASSERT(yes > 0 && cut > 0);

    /* nothing feasible: an empty front (the header alone), exit 0, and
     * snnex plot says what to do */
    f = fopen("/tmp/snnex_ts_none.cfg", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n"
               "  axes = ( { key = \"chip.cores\"; values = [4, 8]; } );\n"
               "  constraints = ( \"area_m2 <= 1e-12\" );\n"
               "  objectives = ( \"min energy_J\", \"min latency_s\" );\n};\n", cwd);
    fclose(f);
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts_none.cfg", "/tmp/snnex_ts_none"), 0);
    size_t n;
    char *front = slurp("/tmp/snnex_ts_none/pareto.csv", &n);
    CU_ASSERT(front && !strncmp(front, "index,", 6) && strchr(front, '\n') == front + n - 1);
    free(front);
    char *err = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("plot /tmp/snnex_ts_none", NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "no feasible point to plot"));
    free(err);
}

static void bad_cfg(const char *extra, const char *want);

/* Random sampling draws distinct grid points: all 60 of the 60-point grid
 * once each when points = 60, 25 distinct ones for points = 25, a
 * different draw for another seed, and an error beyond the grid. */
static int random_draw(const char *extra, int n, int *code)
{
    write_cfg("/tmp/snnex_ts_rand.cfg", extra);
    static sweep_spec sp;
    snnex_err err;
    if (sweep_spec_load("/tmp/snnex_ts_rand.cfg", &sp, &err))
        return -1;
    CU_ASSERT_EQUAL((int)sp.points, n);
    CU_ASSERT_EQUAL((int)sp.grid_points, 60);
    for (int p = 0; p < n; p++) {
        int idx[SWEEP_MAX_AXES];
        sweep_point_axes(&sp, (uint64_t)p, idx);
        code[p] = 0;
        for (int j = 0; j < sp.n_axes; j++) {
            CU_ASSERT(idx[j] >= 0 && idx[j] < sp.axes[j].n);
            code[p] = code[p] * sp.axes[j].n + idx[j];
        }
    }
    sweep_spec_free(&sp);
    return 0;
}

static void test_random_distinct(void)
{
    int a[60], b[25], c[25];
    unsigned char seen[60] = {0};
    CU_ASSERT_EQUAL_FATAL(random_draw("  sampling = { method = \"random\"; points = 60; seed = 3; };\n", 60, a), 0);
    for (int p = 0; p < 60; p++)
        seen[a[p]]++;
    for (int g = 0; g < 60; g++)
        CU_ASSERT_EQUAL(seen[g], 1);
    CU_ASSERT_EQUAL_FATAL(random_draw("  sampling = { method = \"random\"; points = 25; seed = 3; };\n", 25, b), 0);
    CU_ASSERT_EQUAL_FATAL(random_draw("  sampling = { method = \"random\"; points = 25; seed = 4; };\n", 25, c), 0);
    memset(seen, 0, sizeof seen);
    int same = 0;
    for (int p = 0; p < 25; p++) {
        CU_ASSERT_EQUAL(seen[b[p]], 0);
        seen[b[p]] = 1;
        CU_ASSERT_EQUAL(b[p], a[p]); /* a prefix of the same permutation */
        same += b[p] == c[p];
    }
    CU_ASSERT(same < 25);
    bad_cfg("  sampling = { method = \"random\"; points = 61; seed = 3; };\n", "exceeds the 60 points of the grid");
}

/* snnex bench sweep samples the shipped grid beyond its size (a Latin
 * hypercube: random sampling cannot draw more points than the grid) */
static void test_bench_sweep(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("bench sweep --points 5000 --threads 2", &out, NULL), 0);
    CU_ASSERT(out && strstr(out, "\npoints=5000\n") && strstr(out, "\npoints_per_second="));
    free(out);
}

static void bad_cfg(const char *extra, const char *want)
{
    write_cfg("/tmp/snnex_ts_bad.cfg", extra);
    char *err = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("sweep /tmp/snnex_ts_bad.cfg -o /tmp/snnex_ts_bad", NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "/tmp/snnex_ts_bad.cfg:") && strstr(err, ": error: "));
    if (err && !strstr(err, want))
        fprintf(stderr, "\n  want \"%s\" in: %s", want, err);
    CU_ASSERT(err && strstr(err, want));
    free(err);
}

static void test_bad_configs(void)
{
    bad_cfg("  objectives2 = 1;\n", "unknown sweep setting objectives2");
    bad_cfg("  sampling = { method = \"sobol\"; };\n", "sampling.method");
    FILE *f = fopen("/tmp/snnex_ts_bad.cfg", "w");
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n  axes = ( { key = \"chip.corez\"; values = [4]; } );\n"
               "  objectives = ( \"min energy_J\", \"min latency_s\" );\n};\n", cwd);
    fclose(f);
    char *err = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("sweep /tmp/snnex_ts_bad.cfg -o /tmp/snnex_ts_bad", NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "/tmp/snnex_ts_bad.cfg:3: error: unknown config key chip.corez"));
    free(err);
    f = fopen("/tmp/snnex_ts_bad.cfg", "w");
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n  axes = ( { key = \"chip.cores\"; values = [4]; } );\n"
               "  objectives = ( \"min energy_J\", \"min joules\" );\n};\n", cwd);
    fclose(f);
    CU_ASSERT_EQUAL(test_run_snnex("sweep /tmp/snnex_ts_bad.cfg -o /tmp/snnex_ts_bad", NULL, &err), 1);
    CU_ASSERT(err && strstr(err, "/tmp/snnex_ts_bad.cfg:4: error: unknown metric joules"));
    free(err);
}

static unsigned be32(const unsigned char *p) { return (unsigned)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static void test_plot(void)
{
    write_cfg("/tmp/snnex_ts.cfg", "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_p"), 0);
    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\n  gnuplot not installed: plot test skipped\n");
        return;
    }
    CU_ASSERT_EQUAL(run("plot %s%s", "/tmp/snnex_ts_p", ""), 0);
    size_t n;
    unsigned char *png = (unsigned char *)slurp("/tmp/snnex_ts_p/pareto_front.png", &n);
    CU_ASSERT_FATAL(png && n > 24);
    CU_ASSERT(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    CU_ASSERT(memcmp(png + 12, "IHDR", 4) == 0);
    CU_ASSERT_EQUAL(be32(png + 16), 1100);  /* plots.c: size 1100,750 */
    CU_ASSERT_EQUAL(be32(png + 20), 750);
    free(png);
    struct stat st;
    CU_ASSERT_EQUAL(stat("/tmp/snnex_ts_p/breakdown.png", &st), 0);
    CU_ASSERT_EQUAL(stat("/tmp/snnex_ts_p/memtech_fronts.png", &st), 0);
    CU_ASSERT_EQUAL(run("plot %s --format svg%s", "/tmp/snnex_ts_p", ""), 0);
    char *svg = slurp("/tmp/snnex_ts_p/pareto_front.svg", &n);
    CU_ASSERT(svg && strstr(svg, "<svg") && strstr(svg, "width=\"1100\"") && strstr(svg, "</svg>"));
    free(svg);

    /* the front is drawn in the sweep's own objectives: a maximised one
     * on x, with the SRAM/STT fronts running towards large x */
    write_cfg_obj("/tmp/snnex_ts.cfg", "", "\"max tflops_per_w_effective\", \"min area_m2\"");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_p2"), 0);
    char *obj = slurp("/tmp/snnex_ts_p2/objectives", &n);
    CU_ASSERT(obj && !strcmp(obj, "max tflops_per_w_effective\nmin area_m2\n"));
    free(obj);
    CU_ASSERT_EQUAL(run("plot %s%s", "/tmp/snnex_ts_p2", ""), 0);
    char *gp = slurp("/tmp/snnex_ts_p2/pareto_front.gp", &n);
    CU_ASSERT(gp && strstr(gp, "set xlabel 'tflops per w effective (TFLOPS/W)'") && strstr(gp, "set ylabel 'area (mm²)'"));
    free(gp);
    /* every point of each technology's front: no other point of that
     * technology has higher TFLOPS/W and lower area */
    char *dat = slurp("/tmp/snnex_ts_p2/memtech_fronts.dat", &n);
    CU_ASSERT_FATAL(dat != NULL);
    double px = -1, py = -1;
    int rows = 0, mono = 1;
    for (char *l = strtok(dat, "\n"); l; l = strtok(NULL, "\n")) {
        double x, y;
        if (l[0] == '#') {
            px = py = -1;
            continue;
        }
        if (sscanf(l, "%lf,%lf", &x, &y) != 2)
            continue;
        /* the staircase is sorted by g·x, i.e. decreasing TFLOPS/W; area falls along it */
        if (px >= 0 && !(x <= px && y <= py))
            mono = 0;
        px = x, py = y, rows++;
    }
    CU_ASSERT(rows >= 2);
    CU_ASSERT(mono);
    free(dat);

    /* three objectives: the third colours the front; every front design is
     * numbered once next to its marker (designs at one spot share a label,
     * never overprinted) and listed in the key with its axis values */
    write_cfg_obj("/tmp/snnex_ts.cfg", "", "\"min energy_J\", \"min latency_s\", \"min power_W\"");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_p3"), 0);
    CU_ASSERT_EQUAL(run("plot %s%s", "/tmp/snnex_ts_p3", ""), 0);
    gp = slurp("/tmp/snnex_ts_p3/pareto_front.gp", &n);
    CU_ASSERT(gp && strstr(gp, "set cblabel 'power (W)'") && strstr(gp, "(colour: power (W))"));
    CU_ASSERT(gp && strstr(gp, "set label 11 '1: "));
    free(gp);
    char *front = slurp("/tmp/snnex_ts_p3/pareto.csv", &n);
    CU_ASSERT_FATAL(front != NULL);
    int nfront = -1;
    for (char *p = front; *p; p++)
        nfront += *p == '\n';
    free(front);
    CU_ASSERT(nfront >= 2);
    dat = slurp("/tmp/snnex_ts_p3/pareto_labels.dat", &n);
    CU_ASSERT_FATAL(dat != NULL);
    int seen[256] = {0}, labelled = 0, spots = 0;
    double xs[256], ys[256];
    for (char *l = strtok(dat, "\n"); l; l = strtok(NULL, "\n")) {
        double x, y;
        char nums[256];
        if (sscanf(l, "%lf,%lf,\"%255[^\"]\"", &x, &y, nums) != 3)
            continue;
        for (int k = 0; k < spots; k++)  /* distinct spots */
            CU_ASSERT(!(x == xs[k] && y == ys[k]));
        if (spots < 256)
            xs[spots] = x, ys[spots] = y, spots++;
        for (char *q = nums; *q;) {
            int k = (int)strtol(q, &q, 10);
            if (k >= 1 && k < 256)
                seen[k]++, labelled++;
            if (*q == ',')
                q++;
            else if (*q)
                break;
        }
    }
    free(dat);
    CU_ASSERT_EQUAL(labelled, nfront);
    for (int k = 1; k <= nfront && k < 256; k++)
        CU_ASSERT_EQUAL(seen[k], 1);
}

static void test_mpi(void)
{
    if (access(SNNEX_BIN "-mpi", X_OK) != 0 || system("command -v mpirun >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\n  " SNNEX_BIN "-mpi or mpirun missing: MPI test skipped (make mpi builds it)\n");
        return;
    }
    write_cfg("/tmp/snnex_ts.cfg", "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", "/tmp/snnex_ts.cfg", "/tmp/snnex_ts_m1"), 0);
    /* LeakSanitizer is off for the MPI run only: OpenMPI's own plugins
     * (ompi_op_base_op_select, dlopen'ed MCA components) leak at exit; the
     * sweep code is leak-checked by the single-process runs above. */
    CU_ASSERT_EQUAL(system("ASAN_OPTIONS=detect_leaks=0 "
                           "mpirun --allow-run-as-root --oversubscribe -n 2 " SNNEX_BIN "-mpi sweep /tmp/snnex_ts.cfg "
                           "-o /tmp/snnex_ts_m2 >/dev/null 2>&1"),
                    0);
    CU_ASSERT(same_file("/tmp/snnex_ts_m1/points.csv", "/tmp/snnex_ts_m2/points.csv"));
    CU_ASSERT(same_file("/tmp/snnex_ts_m1/pareto.csv", "/tmp/snnex_ts_m2/pareto.csv"));
}

int main(void)
{
    if (!getcwd(cwd, sizeof cwd))
        return 2;
    (void)system("rm -rf /tmp/snnex_ts_*");
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("sweeps", NULL, NULL);
    CU_add_test(s, "pareto 2D vs brute force (ties, duplicates)", test_pareto_2d);
    CU_add_test(s, "pareto 3D vs brute force (ties, duplicates)", test_pareto_3d);
    CU_add_test(s, "pareto keeps every duplicate of a front point", test_pareto_duplicates);
    CU_add_test(s, "1 and 2 threads give byte-identical CSVs", test_threads_deterministic);
    CU_add_test(s, "kill and resume gives the uninterrupted CSV", test_resume);
    CU_add_test(s, "constraints filter feasible points", test_constraints);
    CU_add_test(s, "bad sweep configs give FILE:LINE errors", test_bad_configs);
    CU_add_test(s, "random sampling draws distinct grid points", test_random_distinct);
    CU_add_test(s, "bench sweep samples beyond the grid", test_bench_sweep);
    CU_add_test(s, "plots are valid PNG and SVG", test_plot);
    CU_add_test(s, "2 MPI ranks give the single-process CSVs", test_mpi);
    return test_finish();
}
