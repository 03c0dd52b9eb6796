/* test_sweeps — sweeps and plots: Pareto front against brute force,
 * thread-count determinism, kill-and-resume equivalence (kill -9 at seeded
 * moments), resuming a finished sweep, a full disk and a failing pareto.csv
 * write, --points-out, continuous LHS/random sampling and one front row per
 * design, constraint filtering, bad sweep configs, plot files, and 2-rank
 * MPI equivalence when build/snnex-mpi and mpirun exist. */
#include "sweeps/sweeps.h"
#include "test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static char cwd[1024];
static char S[64] = "/tmp/snnex_sweepsXXXXXX"; /* scratch directory (mkdtemp) */

/* S/name (one of 8 rotating buffers). */
static const char *P(const char *name)
{
    static char buf[8][256];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%s/%s", S, name);
    return buf[i];
}

/* The clock axis of write_cfg_obj's sweep: a log range (continuous when
 * sampled), or two values. */
static const char *clock_axis = "log = [200.0, 800.0]; steps = 2;";

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
               "    { key = \"chip.clock_MHz\"; %s }\n"
               "  );\n"
               "  constraints = ( \"area_m2 <= 20e-6\" );\n"
               "  objectives = ( %s );\n"
               "%s};\n",
            cwd, clock_axis, objectives, extra);
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

static char *slurp_s(const char *path, size_t *n)
{
    char *b = slurp(path, n);
    return b ? b : calloc(1, 1);
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

/* Start SNNEX_BIN with argv (NULL-terminated; argv[0] is ignored) in a
 * child, stdout to /dev/null, stderr to errpath (or /dev/null). fsize > 0
 * caps the size of every file it writes (RLIMIT_FSIZE with SIGXFSZ
 * ignored: a write past it fails with EFBIG, as on a full disk). Returns
 * the pid. */
static pid_t spawn(char **argv, long fsize, const char *errpath)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        int fe = errpath ? open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644) : fd;
        dup2(fd, 1);
        dup2(fe, 2);
        if (fsize > 0) {
            struct rlimit r = {(rlim_t)fsize, (rlim_t)fsize};
            signal(SIGXFSZ, SIG_IGN);
            setrlimit(RLIMIT_FSIZE, &r);
        }
        argv[0] = (char *)SNNEX_BIN;
        execv(SNNEX_BIN, argv);
        _exit(127);
    }
    return pid;
}

/* Exit status of pid, or 128 + signal. */
static int wait_rc(pid_t pid)
{
    int s;
    if (waitpid(pid, &s, 0) != pid)
        return -1;
    return WIFEXITED(s) ? WEXITSTATUS(s) : WIFSIGNALED(s) ? 128 + WTERMSIG(s) : -1;
}

/* Has child pid not exited yet? (Leaves it to be reaped by wait_rc.) */
static int running(pid_t pid)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == 0;
}

/* "sweep CFG -o DIR [more...]" through spawn; returns the exit status. */
static int run_limited(const char *cfg, const char *dir, const char *more, long fsize, char **errs)
{
    char buf[512], *argv[16] = {"snnex", "sweep", (char *)cfg, "-o", (char *)dir};
    int n = 5;
    snprintf(buf, sizeof buf, "%s", more ? more : "");
    for (char *t = strtok(buf, " "); t && n < 15; t = strtok(NULL, " "))
        argv[n++] = t;
    argv[n] = NULL;
    char ef[] = "/tmp/snnex_ts_errXXXXXX";
    int fe = mkstemp(ef);
    close(fe);
    int rc = wait_rc(spawn(argv, fsize, ef));
    size_t len;
    if (errs)
        *errs = slurp_s(ef, &len);
    remove(ef);
    return rc;
}

/* DIR/name exists? */
static int exists_in(const char *dir, const char *name)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

/* The value of key= in DIR/progress, or -1. */
static long long progress_field(const char *dir, const char *key)
{
    char p[1024], line[256];
    snprintf(p, sizeof p, "%s/progress", dir);
    FILE *f = fopen(p, "r");
    long long v = -1;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl) && line[kl] == '=')
            v = strtoll(line + kl + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* Are DIR1/name and DIR2/name the same bytes, for each name given? */
static int same_outputs(const char *a, const char *b, int with_points)
{
    const char *names[] = {"pareto.csv", "objectives", "points.csv"};
    int same = 1;
    for (int i = 0; i < 2 + !!with_points; i++) {
        char x[1024], y[1024];
        snprintf(x, sizeof x, "%s/%s", a, names[i]);
        snprintf(y, sizeof y, "%s/%s", b, names[i]);
        if (!same_file(x, y)) {
            fprintf(stderr, "\n  %s differs from %s", x, y);
            same = 0;
        }
    }
    return same;
}

/* ---- Pareto vs brute force -------------------------------------------- */

static void pareto_random(int k)
{
    unsigned s = 12345u + (unsigned)k;
    for (int trial = 0; trial < 240; trial++) {
        long n = trial < 200 ? 1 + trial % 60 : 300 + trial; /* the last 40: long staircases */
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

/* A sampled sweep of seed20: 4 discrete axes (60 combinations) and the
 * clock axis given; points and chunk given. */
static void write_cfg_clock(const char *path, const char *method, long points, long chunk, const char *clock)
{
    FILE *f = fopen(path, "w");
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\n"
               "sweep = {\n"
               "  chunk = %ld;\n"
               "  axes = (\n"
               "    { keys = [\"chip.cores\", \"chip.mesh\"]; values = ( (4, \"2x2\"), (8, \"2x4\"), (16, \"4x4\"),"
               " (32, \"4x8\"), (64, \"8x8\") ); },\n"
               "    { key = \"mapping.multicore\"; values = [\"data_parallel\", \"pipeline\", \"output_split\"]; },\n"
               "    { key = \"chip.memories.weight.tech\"; values = [\"sram\", \"stt\"]; },\n"
               "    { key = \"mapping.loop_order\"; values = [\"time_major\", \"layer_major\"]; },\n"
               "    { key = \"chip.clock_MHz\"; %s }\n"
               "  );\n"
               "  constraints = ( \"area_m2 <= 20e-6\" );\n"
               "  objectives = ( \"min energy_per_sample_J\", \"min latency_s\", \"min area_m2\" );\n"
               "  sampling = { method = \"%s\"; points = %ld; seed = 7; };\n"
               "};\n",
            cwd, chunk, clock, method, points);
    fclose(f);
}

/* A sampled sweep of seed20 long enough to be killed part-way: 4 discrete
 * axes (60 combinations) and the clock as a continuous log range. */
static void write_cfg_sampled(const char *path, const char *method, long points, long chunk)
{
    write_cfg_clock(path, method, points, chunk, "log = [200.0, 800.0]; steps = 2;");
}

/* A crash (kill -9) at any moment, then --resume (killed again, and again),
 * then --resume once more after it finished: the files of an uninterrupted
 * run, byte for byte, for each --points-out. The kill moments are drawn
 * from a fixed seed as fractions of the uninterrupted run's time. */
static void kill_resume(const char *mode, int kills, unsigned *seed)
{
    char more[64], ref[256], dir[256];
    snprintf(more, sizeof more, "--threads 1 --points-out %s", mode);
    snprintf(ref, sizeof ref, "%s/kref_%s", S, mode);
    snprintf(dir, sizeof dir, "%s/kill_%s", S, mode);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CU_ASSERT_EQUAL_FATAL(run_limited(P("long.cfg"), ref, more, 0, NULL), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double full_s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    int interrupted = 0, runs = 0, rc = -1;
    snprintf(more, sizeof more, "--threads 2 --points-out %s", mode);
    while (rc != 0 && runs < kills + 4) {
        /* nothing committed yet (killed before the first progress file):
         * start over, as a user would be told to */
        int resume = exists_in(dir, "progress");
        char m2[96];
        snprintf(m2, sizeof m2, "%s%s", more, resume ? " --resume" : "");
        char *argv[16] = {"snnex", "sweep", (char *)P("long.cfg"), "-o", dir};
        int n = 5;
        for (char *t = strtok(m2, " "); t; t = strtok(NULL, " "))
            argv[n++] = t;
        argv[n] = NULL;
        pid_t pid = spawn(argv, 0, NULL);
        if (runs < kills) {
            *seed = *seed * 1103515245u + 12345u;
            double frac = ((*seed >> 8) % 1000) / 1000.0; /* [0, 1) of the full run */
            struct timespec d = {0, (long)(frac * full_s * 1e9)};
            while (d.tv_nsec >= 1000000000L)
                d.tv_sec++, d.tv_nsec -= 1000000000L;
            nanosleep(&d, NULL);
            kill(pid, SIGKILL);
        } else if (interrupted == 0 && runs < kills + 2) {
            /* no seeded moment landed part-way (they are fractions of a
             * 1-thread run's time; this machine's load decides where they
             * fall): kill as soon as a first chunk is committed and the
             * sweep is not done, so the part-way resume is always tested */
            struct timespec ms = {0, 1000000L};
            for (int w = 0; w < 20000 && progress_field(dir, "rows") <= 0 && running(pid);
                 w++)
                nanosleep(&ms, NULL);
            kill(pid, SIGKILL);
        }
        rc = wait_rc(pid);
        CU_ASSERT(rc == 0 || rc == 128 + SIGKILL);
        if (rc != 0 && progress_field(dir, "done") == 0)
            interrupted++;
        if (rc == 0 && interrupted == 0 && runs < kills + 2) {
            /* it finished before any kill landed part-way (the seeded
             * moments are fractions of a 1-thread run; these runs use 2
             * threads, and load or a sanitizer shifts the ratio): start over
             * and kill at the first committed chunk */
            char rm[512];
            snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
            CU_ASSERT_EQUAL(system(rm), 0);
            rc = -1;
            if (runs < kills)
                runs = kills - 1;
        }
        /* a killed run never leaves a points.csv or pareto.csv that is not the final one */
        if (rc != 0 && progress_field(dir, "done") != 1) {
            CU_ASSERT(!exists_in(dir, "points.csv") || progress_field(dir, "rows") == 20000);
            CU_ASSERT(!exists_in(dir, "pareto.csv") || progress_field(dir, "rows") == 20000);
        }
        runs++;
    }
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT(interrupted > 0); /* some kill landed part-way */
    CU_ASSERT(same_outputs(ref, dir, strcmp(mode, "none") != 0));
    CU_ASSERT_EQUAL(exists_in(dir, "points.csv"), strcmp(mode, "none") != 0);
    CU_ASSERT(!exists_in(dir, "points.csv.partial") && !exists_in(dir, "front.partial"));
    /* finished: resuming changes nothing */
    char *err = NULL;
    snprintf(more, sizeof more, "--resume --points-out %s", mode);
    CU_ASSERT_EQUAL(run_limited(P("long.cfg"), dir, more, 0, &err), 0);
    CU_ASSERT(same_outputs(ref, dir, strcmp(mode, "none") != 0));
    free(err);
}

static void test_kill_resume(void)
{
    /* 20,000 LHS points in 40 chunks of 500 */
    write_cfg_sampled(P("long.cfg"), "lhs", 20000, 500);
    unsigned seed = 2024;
    kill_resume("all", 5, &seed);
    kill_resume("feasible", 2, &seed);
    kill_resume("none", 2, &seed);
    /* a changed sweep refuses to resume, saying why */
    write_cfg(P("ts.cfg"), "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", P("ts.cfg"), P("chg")), 0);
    write_cfg(P("ts.cfg"), "  sampling = { method = \"random\"; points = 60; seed = 3; };\n");
    char *err = NULL;
    CU_ASSERT_EQUAL(run_limited(P("ts.cfg"), P("chg"), "--resume", 0, &err), 1);
    CU_ASSERT(err && strstr(err, "changed"));
    free(err);
    /* and so does another --points-out */
    write_cfg(P("ts.cfg"), "");
    CU_ASSERT_EQUAL(run_limited(P("ts.cfg"), P("chg"), "--resume --points-out none", 0, &err), 1);
    CU_ASSERT(err && strstr(err, "resume with --points-out all"));
    free(err);
}

/* Issue 14 #2: resuming a finished sweep rewrote every row again (3,240
 * rows for the 1,620 of seed20_sweep.cfg, its front doubled). Now it says
 * it is complete and leaves the files byte-identical; the single chunk of
 * 60 rows here (chunk 8192 > 60 points) is the case that doubled. */
static void test_resume_finished(void)
{
    FILE *f = fopen(P("fin.cfg"), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n"
               "  axes = ( { key = \"chip.cores\"; values = [4, 8, 16, 32]; },\n"
               "           { key = \"mapping.multicore\"; values = [\"data_parallel\", \"pipeline\", \"output_split\"]; } );\n"
               "  constraints = ( \"area_m2 <= 20e-6\" );\n"
               "  objectives = ( \"min energy_J\", \"min latency_s\" );\n};\n", cwd);
    fclose(f);
    CU_ASSERT_EQUAL(run("sweep %s -o %s", P("fin.cfg"), P("fin_ref")), 0);
    CU_ASSERT_EQUAL(run("sweep %s -o %s", P("fin.cfg"), P("fin")), 0);
    char *out = NULL, args[600];
    snprintf(args, sizeof args, "sweep %s -o %s --resume", P("fin.cfg"), P("fin"));
    CU_ASSERT_EQUAL(test_run_snnex(args, &out, NULL), 0);
    CU_ASSERT(out && strstr(out, "already complete"));
    free(out);
    CU_ASSERT(same_outputs(P("fin_ref"), P("fin"), 1));
    size_t n;
    char *t = slurp_s(P("fin/points.csv"), &n);
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += t[i] == '\n';
    CU_ASSERT_EQUAL(lines, 12 + 1); /* 4 x 3 points and the header */
    free(t);
    /* with --points-out feasible and none too */
    const char *modes[] = {"feasible", "none"};
    for (int i = 0; i < 2; i++) {
        char more[64], ref[256], dir[256];
        snprintf(ref, sizeof ref, "%s/fin_ref_%s", S, modes[i]);
        snprintf(dir, sizeof dir, "%s/fin_%s", S, modes[i]);
        snprintf(more, sizeof more, "--points-out %s", modes[i]);
        CU_ASSERT_EQUAL(run_limited(P("fin.cfg"), ref, more, 0, NULL), 0);
        CU_ASSERT_EQUAL(run_limited(P("fin.cfg"), dir, more, 0, NULL), 0);
        snprintf(more, sizeof more, "--points-out %s --resume", modes[i]);
        CU_ASSERT_EQUAL(run_limited(P("fin.cfg"), dir, more, 0, NULL), 0);
        CU_ASSERT(same_outputs(ref, dir, i == 0));
        CU_ASSERT_EQUAL(exists_in(dir, "points.csv"), i == 0);
    }
    char *err = NULL;
    CU_ASSERT_EQUAL(run_limited(P("fin.cfg"), P("fin_bad"), "--points-out some", 0, &err), 1);
    CU_ASSERT(err && strstr(err, "--points-out must be all, feasible or none (got some)"));
    free(err);
    /* points-out feasible: the feasible rows of the full points.csv, in order */
    char *all = slurp_s(P("fin_ref/points.csv"), &n), *feas = slurp_s(P("fin_feasible/points.csv"), &n);
    char want[65536];
    size_t w = 0;
    int nfeas = 0;
    for (char *l = all; *l;) {
        char *e = strchr(l, '\n');
        size_t len = (size_t)(e - l) + 1;
        int yes = len >= 6 && !memcmp(e - 5, ",yes,", 5); /* a feasible row has no reason */
        if (l == all || yes) {
            memcpy(want + w, l, len);
            w += len;
            nfeas += yes;
        }
        l = e + 1;
    }
    CU_ASSERT(nfeas > 0 && nfeas < 12);
    want[w] = 0;
    CU_ASSERT_STRING_EQUAL(feas, want);
    free(all);
    free(feas);
}

/* Issue 14 #3: a full disk (here: a file size limit, which fails a write
 * with EFBIG the way ENOSPC does) left a partial points.csv that looked
 * like output. Now: exit 2, a message saying what failed and to
 * --resume, no points.csv or pareto.csv, progress not done; and --resume
 * with room again gives the uninterrupted files. The 60 rows of this
 * sweep are ~14.7 kB (chunks of 7 rows, ~1.7 kB each); 6000 bytes stop it
 * in its 4th chunk. */
static void test_disk_full(void)
{
    write_cfg(P("ts.cfg"), "");
    CU_ASSERT_EQUAL(run("sweep %s -o %s", P("ts.cfg"), P("df_ref")), 0);
    char *err = NULL;
    CU_ASSERT_EQUAL(run_limited(P("ts.cfg"), P("df"), "", 6000, &err), 2);
    CU_ASSERT(err && strstr(err, "points.csv") && strstr(err, "File too large") && strstr(err, "--resume"));
    free(err);
    CU_ASSERT(!exists_in(P("df"), "points.csv"));
    CU_ASSERT(!exists_in(P("df"), "pareto.csv"));
    CU_ASSERT_EQUAL(progress_field(P("df"), "done"), 0);
    CU_ASSERT_EQUAL(run("sweep %s -o %s --resume", P("ts.cfg"), P("df")), 0);
    CU_ASSERT(same_outputs(P("df_ref"), P("df"), 1));
    /* an output directory that cannot be made is bad input (exit 1),
     * found before any point is evaluated */
    CU_ASSERT_EQUAL(run_limited(P("ts.cfg"), P("no/such/dir"), "", 0, &err), 1);
    CU_ASSERT(err && strstr(err, "cannot create the output directory"));
    free(err);
}

/* Issue 14 #2: progress said done=1 before pareto.csv and objectives were
 * written, so a failure there left a "finished" sweep without them. Two
 * objectives that every point trades off (min and max energy_J) put all 20
 * points on the front, so pareto.csv (each row plus 13 energy columns) is
 * larger than points.csv: a file size limit between the two fails
 * pareto.csv only. Then objectives fails (a directory in its place). Each
 * time: exit 2, progress not done; the last --resume completes. */
static void test_fail_at_results(void)
{
    FILE *f = fopen(P("pr.cfg"), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n"
               "  axes = ( { key = \"chip.cores\"; values = [4, 8, 16, 32, 64]; },\n"
               "           { key = \"mapping.multicore\"; values = [\"data_parallel\", \"output_split\"]; },\n"
               "           { key = \"chip.memories.weight.tech\"; values = [\"sram\", \"stt\"]; } );\n"
               "  objectives = ( \"min energy_J\", \"max energy_J\" );\n};\n", cwd);
    fclose(f);
    CU_ASSERT_EQUAL(run("sweep %s -o %s", P("pr.cfg"), P("pr_ref")), 0);
    struct stat sp, sq;
    CU_ASSERT_EQUAL_FATAL(stat(P("pr_ref/points.csv"), &sp), 0);
    CU_ASSERT_EQUAL_FATAL(stat(P("pr_ref/pareto.csv"), &sq), 0);
    CU_ASSERT_FATAL(sq.st_size > sp.st_size + 1000);
    char *err = NULL;
    CU_ASSERT_EQUAL(run_limited(P("pr.cfg"), P("pr"), "", (long)(sp.st_size + sq.st_size) / 2,
                                &err), 2);
    CU_ASSERT(err && strstr(err, "pareto.csv"));
    free(err);
    CU_ASSERT_NOT_EQUAL(progress_field(P("pr"), "done"), 1);
    CU_ASSERT(!exists_in(P("pr"), "pareto.csv"));
    CU_ASSERT_EQUAL(mkdir(P("pr/objectives"), 0777), 0);
    CU_ASSERT_EQUAL(mkdir(P("pr/objectives/x"), 0777), 0);
    CU_ASSERT_EQUAL(run_limited(P("pr.cfg"), P("pr"), "--resume", 0, &err), 2);
    CU_ASSERT(err && strstr(err, "objectives"));
    free(err);
    CU_ASSERT_NOT_EQUAL(progress_field(P("pr"), "done"), 1);
    CU_ASSERT_EQUAL(rmdir(P("pr/objectives/x")), 0);
    CU_ASSERT_EQUAL(rmdir(P("pr/objectives")), 0);
    CU_ASSERT_EQUAL(run("sweep %s -o %s --resume", P("pr.cfg"), P("pr")), 0);
    CU_ASSERT_EQUAL(progress_field(P("pr"), "done"), 1);
    CU_ASSERT(same_outputs(P("pr_ref"), P("pr"), 1));
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
    clock_axis = "values = [200.0, 800.0];"; /* all axes discrete: 60 designs */
    write_cfg("/tmp/snnex_ts_rand.cfg", extra);
    static sweep_spec sp;
    snnex_err err;
    if (sweep_spec_load("/tmp/snnex_ts_rand.cfg", &sp, &err))
        return -1;
    CU_ASSERT_EQUAL((int)sp.points, n);
    CU_ASSERT_EQUAL((int)sp.grid_points, 60);
    for (int p = 0; p < n; p++) {
        sweep_point pt;
        sweep_point_axes(&sp, (uint64_t)p, &pt);
        code[p] = 0;
        for (int j = 0; j < sp.n_axes; j++) {
            CU_ASSERT(pt.idx[j] >= 0 && pt.idx[j] < sp.axes[j].n);
            code[p] = code[p] * sp.axes[j].n + pt.idx[j];
        }
    }
    sweep_spec_free(&sp);
    clock_axis = "log = [200.0, 800.0]; steps = 2;";
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
    clock_axis = "values = [200.0, 800.0];";
    bad_cfg("  sampling = { method = \"random\"; points = 61; seed = 3; };\n", "exceeds the 60 points of the grid");
    clock_axis = "log = [200.0, 800.0]; steps = 2;";
}

/* The rows of DIR/points.csv (header skipped) split at commas into
 * fields; returns the row count. rows[i][k] points into *text. */
static int csv_rows(const char *path, char **text, char *(*rows)[32], int max)
{
    size_t n;
    *text = slurp_s(path, &n);
    int r = -1;
    for (char *l = strtok(*text, "\n"); l && r < max; l = strtok(NULL, "\n"), r++) {
        if (r < 0)
            continue;
        int k = 0;
        rows[r][k++] = l;
        for (char *c = l; *c && k < 32; c++)
            if (*c == ',')
                *c = 0, rows[r][k++] = c + 1;
    }
    return r < 0 ? 0 : r;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Issue 14 #8: LHS snapped range axes to their steps grid and repeated
 * designs (the README's example gave a 10,004-row pareto.csv of repeats).
 * A continuous axis (the clock, log [200, 800] MHz, steps = 2) is now
 * drawn continuously: 600 LHS points put exactly one clock value in each
 * of the 600 strata [200·4^(i/600), 200·4^((i+1)/600)) (values shown to 9
 * digits, so within 1e-6 of a stratum); the 60 combinations of the
 * discrete axes are each used 600 / 60 = 10 times; 30 points use 30
 * distinct combinations; random draws are continuous too and may exceed
 * the 2-step grid. Rows are the same for 1 and 2 threads. */
static void test_sampling_continuous(void)
{
    static char *rows[700][32];
    char *text;
    write_cfg_sampled(P("lhs.cfg"), "lhs", 600, 64);
    CU_ASSERT_EQUAL_FATAL(run("sweep %s -o %s --threads 1", P("lhs.cfg"), P("lhs1")), 0);
    CU_ASSERT_EQUAL(run("sweep %s -o %s --threads 2", P("lhs.cfg"), P("lhs2")), 0);
    CU_ASSERT(same_outputs(P("lhs1"), P("lhs2"), 1));
    int n = csv_rows(P("lhs1/points.csv"), &text, rows, 700);
    CU_ASSERT_EQUAL_FATAL(n, 600);
    /* columns: index, cores, mesh, multicore, tech, loop_order, clock */
    static double clk[600];
    static char *combo[600];
    static char keys[600][96];
    for (int i = 0; i < n; i++) {
        clk[i] = atof(rows[i][6]);
        snprintf(keys[i], sizeof keys[i], "%s,%s,%s,%s", rows[i][1], rows[i][3], rows[i][4], rows[i][5]);
        combo[i] = keys[i];
    }
    qsort(clk, 600, sizeof *clk, cmp_dbl);
    int in_stratum = 0;
    for (int i = 0; i < 600; i++) {
        double x = log(clk[i] / 200.0) / log(4.0) * 600;
        in_stratum += x >= i - 1e-6 && x <= i + 1 + 1e-6;
    }
    CU_ASSERT_EQUAL(in_stratum, 600);
    qsort(combo, 600, sizeof *combo, cmp_str);
    int runs_of_10 = 0;
    for (int i = 0; i < 600; i += 10)
        runs_of_10 += !strcmp(combo[i], combo[i + 9]) && (i + 10 == 600 || strcmp(combo[i + 9], combo[i + 10]));
    CU_ASSERT_EQUAL(runs_of_10, 60);
    free(text);

    write_cfg_sampled(P("lhs.cfg"), "lhs", 30, 64);
    CU_ASSERT_EQUAL_FATAL(run("sweep %s -o %s", P("lhs.cfg"), P("lhs3")), 0);
    n = csv_rows(P("lhs3/points.csv"), &text, rows, 700);
    CU_ASSERT_EQUAL_FATAL(n, 30);
    for (int i = 0; i < n; i++) {
        snprintf(keys[i], sizeof keys[i], "%s,%s,%s,%s", rows[i][1], rows[i][3], rows[i][4], rows[i][5]);
        combo[i] = keys[i];
    }
    qsort(combo, 30, sizeof *combo, cmp_str);
    for (int i = 1; i < 30; i++)
        CU_ASSERT(strcmp(combo[i - 1], combo[i]) != 0);
    free(text);

    write_cfg_sampled(P("lhs.cfg"), "random", 100, 64);
    CU_ASSERT_EQUAL_FATAL(run("sweep %s -o %s", P("lhs.cfg"), P("rnd")), 0);
    n = csv_rows(P("rnd/points.csv"), &text, rows, 700);
    CU_ASSERT_EQUAL_FATAL(n, 100);
    int inside = 0;
    for (int i = 0; i < n; i++) {
        clk[i] = atof(rows[i][6]);
        inside += clk[i] > 200 && clk[i] < 800;
    }
    qsort(clk, 100, sizeof *clk, cmp_dbl);
    for (int i = 1; i < n; i++)
        CU_ASSERT(clk[i - 1] < clk[i]);
    CU_ASSERT_EQUAL(inside, 100);
    free(text);

    /* an integer key's range: integers, each of [4, 7] in 400 / 4 = 100
     * of the 400 LHS strata */
    FILE *f = fopen(P("int.cfg"), "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n"
               "  axes = ( { key = \"chip.cores\"; linear = [4, 7]; steps = 2; } );\n"
               "  objectives = ( \"min energy_J\", \"min latency_s\" );\n"
               "  sampling = { method = \"lhs\"; points = 400; seed = 2; };\n};\n", cwd);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(run("sweep %s -o %s", P("int.cfg"), P("int")), 0);
    n = csv_rows(P("int/points.csv"), &text, rows, 700);
    CU_ASSERT_EQUAL_FATAL(n, 400);
    int count[8] = {0}, other = 0;
    for (int i = 0; i < n; i++) {
        long c;
        if (snnex_parse_long(rows[i][1], &c) == 0 && c >= 4 && c <= 7)
            count[c]++;
        else
            other++;
    }
    CU_ASSERT_EQUAL(other, 0);
    for (int c = 4; c <= 7; c++)
        CU_ASSERT_EQUAL(count[c], 100);
    free(text);
}

/* Issue 14 #8: designs that a sample draws more than once (here 300 LHS
 * points over the 60 designs of the all-discrete sweep: each 5 times) are
 * one row each in pareto.csv, and they are the designs of the grid's
 * front (all 60 designs were drawn). */
static void test_front_one_row_per_design(void)
{
    static char *rows[700][32];
    char *text, *text2;
    write_cfg_clock(P("rep.cfg"), "lhs", 300, 64, "values = [200.0, 800.0];");
    CU_ASSERT_EQUAL_FATAL(run("sweep %s -o %s", P("rep.cfg"), P("rep")), 0);
    FILE *f = fopen(P("repg.cfg"), "w");
    size_t len;
    char *cfg = slurp_s(P("rep.cfg"), &len);
    *strstr(cfg, "  sampling") = 0; /* the same sweep as a grid */
    fprintf(f, "%s};\n", cfg);
    fclose(f);
    free(cfg);
    CU_ASSERT_EQUAL_FATAL(run("sweep %s -o %s", P("repg.cfg"), P("repg")), 0);
    int n = csv_rows(P("rep/pareto.csv"), &text, rows, 700);
    static char keys[2][700][96];
    static char *a[700], *b[700];
    for (int i = 0; i < n; i++) {
        snprintf(keys[0][i], 96, "%s,%s,%s,%s,%s", rows[i][1], rows[i][3], rows[i][4], rows[i][5], rows[i][6]);
        a[i] = keys[0][i];
    }
    int m = csv_rows(P("repg/pareto.csv"), &text2, rows, 700);
    for (int i = 0; i < m; i++) {
        snprintf(keys[1][i], 96, "%s,%s,%s,%s,%s", rows[i][1], rows[i][3], rows[i][4], rows[i][5], rows[i][6]);
        b[i] = keys[1][i];
    }
    CU_ASSERT(m >= 2);
    CU_ASSERT_EQUAL(n, m);
    qsort(a, (size_t)n, sizeof *a, cmp_str);
    qsort(b, (size_t)m, sizeof *b, cmp_str);
    for (int i = 0; i < n && i < m; i++)
        CU_ASSERT_STRING_EQUAL(a[i], b[i]);
    free(text);
    free(text2);
}

/* snnex bench sweep samples the shipped grid beyond its size (a Latin
 * hypercube: random sampling cannot draw more points than the grid) */
static void test_bench_sweep(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("bench sweep --points 5000 --threads 2", &out, NULL), 0);
    CU_ASSERT(out && strstr(out, "\npoints=5000\n") && strstr(out, "\npoints_per_second="));
    free(out);
    /* issue 14: --points abc ran 1 point; non-numbers and non-positive
     * counts are refused */
    const char *bad[] = {"--points abc", "--points 0", "--points -5", "--points 12x", "--threads two"};
    for (int i = 0; i < 5; i++) {
        char args[64], *err = NULL;
        snprintf(args, sizeof args, "bench sweep %s", bad[i]);
        CU_ASSERT_EQUAL(test_run_snnex(args, &out, &err), 1);
        CU_ASSERT(err && strstr(err, "error: --") && strstr(err, "(got "));
        CU_ASSERT(out && !strstr(out, "points_per_second"));
        free(out);
        free(err);
    }
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
    /* issue 14 #7: a key on two axes (or twice in one zipped group) was
     * accepted, the later axis overriding the earlier one's value while
     * the rows showed both; refused at the line of the second */
    const char *dup[][2] = {
        {"    { key = \"chip.cores\"; values = [4, 16]; },\n    { key = \"chip.cores\"; values = [8]; }\n",
         "/tmp/snnex_ts_bad.cfg:5: error: key chip.cores is swept by two axes (axis 0 at line 4 and axis 1)"},
        {"    { keys = [\"chip.cores\", \"chip.cores\"]; values = ( (4, 8) ); }\n",
         "/tmp/snnex_ts_bad.cfg:4: error: key chip.cores appears twice in the zipped keys of axis 0"},
        {"    { keys = [\"chip.cores\", \"chip.mesh\"]; values = ( (16, \"4x4\") ); },\n"
         "    { key = \"chip.mesh\"; values = [\"2x8\"]; }\n",
         "/tmp/snnex_ts_bad.cfg:5: error: key chip.mesh is swept by two axes (axis 0 at line 4 and axis 1)"},
    };
    for (int i = 0; i < 3; i++) {
        f = fopen("/tmp/snnex_ts_bad.cfg", "w");
        fprintf(f, "@include \"%s/configs/seed20.cfg\"\nsweep = {\n  axes = (\n%s  );\n"
                   "  objectives = ( \"min energy_J\", \"min latency_s\" );\n};\n", cwd, dup[i][0]);
        fclose(f);
        CU_ASSERT_EQUAL(test_run_snnex("sweep /tmp/snnex_ts_bad.cfg -o /tmp/snnex_ts_bad", NULL, &err), 1);
        if (err && !strstr(err, dup[i][1]))
            fprintf(stderr, "\n  want \"%s\" in: %s", dup[i][1], err);
        CU_ASSERT(err && strstr(err, dup[i][1]));
        free(err);
    }
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
    /* axis labels in words with units (plots.c WORDS, pl_unit) */
    CU_ASSERT(gp && strstr(gp, "set xlabel 'TFLOPS/W, effective'") && strstr(gp, "set ylabel 'chip area (mm²)'"));
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
    CU_ASSERT(gp && strstr(gp, "set cblabel 'power (W)'"));
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
    /* issue 14 #2 under MPI: resuming the finished sweep leaves it as it is */
    CU_ASSERT_EQUAL(system("ASAN_OPTIONS=detect_leaks=0 "
                           "mpirun --allow-run-as-root --oversubscribe -n 2 " SNNEX_BIN "-mpi sweep /tmp/snnex_ts.cfg "
                           "-o /tmp/snnex_ts_m2 --resume >/dev/null 2>&1"),
                    0);
    CU_ASSERT(same_outputs("/tmp/snnex_ts_m1", "/tmp/snnex_ts_m2", 1));
    /* and a 2-rank run cut short by a full disk resumes to the same files */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -n 2 " SNNEX_BIN
             "-mpi sweep /tmp/snnex_ts.cfg -o %s --resume >/dev/null 2>&1",
             P("m3"));
    CU_ASSERT_EQUAL(run_limited("/tmp/snnex_ts.cfg", P("m3"), "", 6000, NULL), 2);
    CU_ASSERT_EQUAL(system(cmd), 0);
    CU_ASSERT(same_outputs("/tmp/snnex_ts_m1", P("m3"), 1));
}

int main(void)
{
    if (!getcwd(cwd, sizeof cwd) || !mkdtemp(S))
        return 2;
    (void)system("rm -rf /tmp/snnex_ts_*");
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("sweeps", NULL, NULL);
    CU_add_test(s, "pareto 2D vs brute force (ties, duplicates)", test_pareto_2d);
    CU_add_test(s, "pareto 3D vs brute force (ties, duplicates)", test_pareto_3d);
    CU_add_test(s, "pareto keeps every duplicate of a front point", test_pareto_duplicates);
    CU_add_test(s, "1 and 2 threads give byte-identical CSVs", test_threads_deterministic);
    CU_add_test(s, "kill -9 at seeded moments and resume gives the uninterrupted files", test_kill_resume);
    CU_add_test(s, "resuming a finished sweep leaves its files as they are", test_resume_finished);
    CU_add_test(s, "a full disk: exit 2, no points.csv, resume completes", test_disk_full);
    CU_add_test(s, "progress is done only once pareto.csv and objectives are written", test_fail_at_results);
    CU_add_test(s, "LHS and random sample range axes continuously", test_sampling_continuous);
    CU_add_test(s, "pareto.csv has one row per design", test_front_one_row_per_design);
    CU_add_test(s, "constraints filter feasible points", test_constraints);
    CU_add_test(s, "bad sweep configs give FILE:LINE errors", test_bad_configs);
    CU_add_test(s, "random sampling draws distinct grid points", test_random_distinct);
    CU_add_test(s, "bench sweep samples beyond the grid", test_bench_sweep);
    CU_add_test(s, "plots are valid PNG and SVG", test_plot);
    CU_add_test(s, "2 MPI ranks give the single-process CSVs", test_mpi);
    int rc = test_finish();
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", S); /* S: mkdtemp's name, no shell characters */
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", S);
    return rc;
}
