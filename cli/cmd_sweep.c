/* cli/cmd_sweep.c — snnex sweep (run a design-space sweep), snnex plot
 * (draw a sweep directory with gnuplot; `plot mem` goes to cmd_mem.c) and
 * snnex bench sweep. */
#include "cli/cli.h"
#include "plots/plots.h"
#include "sweeps/sweeps.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef SNNEX_MPI
#include <mpi.h>
#endif

int cli_plot_mem(int argc, char **argv);
#pragma weak cli_plot_mem

static int fail(const snnex_err *err)
{
    snnex_err_print(err, stderr);
    return snnex_exit_code(err->status);
}

#define SWEEP_USAGE "usage: snnex sweep CFG -o DIR [--threads N] [--resume] [--points-out all|feasible|none]\n"

static int usage_err(const char *msg)
{
    fprintf(stderr, "snnex: error: %s\n" SWEEP_USAGE, msg);
    return 1;
}

static void print_summary(const sweep_spec *sp, const sweep_summary *s, const sweep_opts *opt)
{
    const char *dir = opt->out_dir;
    if (s->already_done) {
        printf("sweep %s: already complete in %s (%llu points, %llu feasible, %ld on the Pareto front); nothing "
               "to do\n",
               sp->cfg_path, dir, (unsigned long long)s->points, (unsigned long long)s->feasible, s->front);
        return;
    }
    printf("sweep %s: %llu points (%s), %llu feasible, %ld on the Pareto front, %.2f s (%.0f points/s)\n",
           sp->cfg_path, (unsigned long long)s->points,
           sp->sampling == SWEEP_GRID ? "grid" : sp->sampling == SWEEP_RANDOM ? "random sample" : "Latin hypercube",
           (unsigned long long)s->feasible, s->front, s->seconds, s->seconds > 0 ? s->points / s->seconds : 0.0);
    printf("sparsity: %s\n", sp->has_trace ? sp->trace_path : "densities from the config (no trace)");
    for (int k = 0; k < sp->n_obj && s->front > 0; k++)
        printf("best %s %-26s %.4g (point %llu)\n", sp->obj[k].maximize ? "max" : "min", sp->obj[k].metric,
               s->best[k], (unsigned long long)s->best_index[k]);
    if (opt->points_out == SWEEP_OUT_NONE)
        printf("wrote %s/pareto.csv (no points.csv: --points-out none)\n", dir);
    else
        printf("wrote %s/points.csv%s, %s/pareto.csv\n", dir,
               opt->points_out == SWEEP_OUT_FEASIBLE ? " (feasible rows)" : "", dir);
}

int cli_cmd_sweep(int argc, char **argv)
{
    const char *cfg = NULL;
    sweep_opts opt = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            opt.out_dir = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            long t;
            if (snnex_parse_long(argv[++i], &t) || t < 1 || t > 1024)
                return usage_err("--threads must be an integer between 1 and 1024");
            opt.threads = (int)t;
        } else if (!strcmp(argv[i], "--resume"))
            opt.resume = 1;
        else if (!strcmp(argv[i], "--points-out") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(v, "all"))
                opt.points_out = SWEEP_OUT_ALL;
            else if (!strcmp(v, "feasible"))
                opt.points_out = SWEEP_OUT_FEASIBLE;
            else if (!strcmp(v, "none"))
                opt.points_out = SWEEP_OUT_NONE;
            else {
                fprintf(stderr, "snnex: error: --points-out must be all, feasible or none (got %s)\n" SWEEP_USAGE, v);
                return 1;
            }
        } else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--threads") || !strcmp(argv[i], "--points-out"))
            return usage_err(!strcmp(argv[i], "-o")          ? "-o needs a directory"
                             : !strcmp(argv[i], "--threads") ? "--threads needs a number"
                                                             : "--points-out needs all, feasible or none");
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "snnex: error: unknown option %s\n" SWEEP_USAGE, argv[i]);
            return 1;
        }
        else if (!cfg)
            cfg = argv[i];
        else
            return usage_err("more than one config given");
    }
    if (!cfg || !opt.out_dir)
        return usage_err(!cfg ? "no sweep config given" : "no output directory given (-o DIR)");
    int rank = 0;
#ifdef SNNEX_MPI
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
    opt.progress = rank == 0 && isatty(2);
    sweep_spec *sp = calloc(1, sizeof *sp);
    snnex_err err;
    sweep_summary sum;
    int rc = 0;
    if (!sp)
        rc = 2;
    else if (sweep_spec_load(cfg, sp, &err) != SNNEX_OK || sweep_run(sp, &opt, &sum, &err) != SNNEX_OK)
        rc = rank == 0 ? fail(&err) : snnex_exit_code(err.status);
    else if (rank == 0) {
        /* DIR/sweep_config: the config's absolute path, for snnex report */
        char path[1100], abs[PATH_MAX];
        snprintf(path, sizeof path, "%s/sweep_config", opt.out_dir);
        snnex_out o;
        if (snnex_out_open(&o, path, &err) == SNNEX_OK) {
            fprintf(o.f, "%s\n", realpath(cfg, abs) ? abs : cfg);
            if (snnex_out_commit(&o, &err) != SNNEX_OK)
                rc = fail(&err);
        } else
            rc = fail(&err);
        if (!rc)
            print_summary(sp, &sum, &opt);
    }
    if (sp)
        sweep_spec_free(sp);
    free(sp);
#ifdef SNNEX_MPI
    MPI_Finalize();
#endif
    return rc;
}

int cli_cmd_plot(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "mem")) {
        if (!cli_plot_mem) {
            fprintf(stderr, "snnex: error: 'plot mem' is not built into this snnex\n");
            return 2;
        }
        return cli_plot_mem(argc - 1, argv + 1);
    }
    const char *dir = NULL, *fmt = "png";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmt = argv[++i];
        else if (!strcmp(argv[i], "--format")) {
            fprintf(stderr, "snnex: error: --format needs png or svg\nusage: snnex plot DIR [--format png|svg]\n");
            return 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "snnex: error: unknown option %s\nusage: snnex plot DIR [--format png|svg]\n", argv[i]);
            return 1;
        } else
            dir = argv[i];
    }
    if (!dir || (strcmp(fmt, "png") && strcmp(fmt, "svg"))) {
        fprintf(stderr, "snnex: error: %s\nusage: snnex plot DIR [--format png|svg]\n",
                !dir ? "no sweep directory given" : "--format must be png or svg");
        return 1;
    }
    snnex_err err;
    char files[4096];
    if (plot_sweep(dir, fmt, files, sizeof files, &err) != SNNEX_OK)
        return fail(&err);
    printf("%s", files);
    return 0;
}

/* Removes the bench's scratch directory: the files the sweep wrote in it
 * (no subdirectories), then the directory. No shell. */
static int remove_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char path[4400];
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    return rmdir(dir);
}

/* Runs the shipped sweep's design space, sampled by a Latin hypercube to
 * --points points (default 10^6: the grid itself is too small to time; the
 * continuous capacity axis makes nearly every point a new design), into a
 * temporary directory, and reports its throughput with files written and
 * fsync'ed and the Pareto front kept: what a user's sweep costs. */
int cli_bench_sweep(int argc, char **argv)
{
    /* the shipped sweep from any directory (source tree, install) */
    char shipped_dir[4200], shipped[4300];
    if (cli_find_data("configs", "configs", "seed20_sweep.cfg", shipped_dir, sizeof shipped_dir) == 0)
        snprintf(shipped, sizeof shipped, "%s/seed20_sweep.cfg", shipped_dir);
    else
        snprintf(shipped, sizeof shipped, "configs/seed20_sweep.cfg");
    const char *cfg = shipped;
    int threads = 0;
    long points = 1000000;
    for (int i = 1; i < argc; i++) {
        long v;
        int is_threads = !strcmp(argv[i], "--threads");
        if (is_threads || !strcmp(argv[i], "--points")) {
            if (i + 1 >= argc || snnex_parse_long(argv[i + 1], &v) || v < 1 || (is_threads && v > 1024)) {
                fprintf(stderr,
                        "snnex: error: %s must be %s (got %s)\n"
                        "usage: snnex bench sweep [CFG] [--points N] [--threads N]\n",
                        argv[i], is_threads ? "an integer between 1 and 1024" : "a positive integer",
                        i + 1 < argc ? argv[i + 1] : "nothing");
                return 1;
            }
            i++;
            if (is_threads)
                threads = (int)v;
            else
                points = v;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "snnex: error: unknown option %s\nusage: snnex bench sweep [CFG] [--points N] [--threads N]\n",
                    argv[i]);
            return 1;
        } else
            cfg = argv[i];
    }
    char dir[] = "/tmp/snnex_bench_sweepXXXXXX";
    if (!mkdtemp(dir)) {
        perror("snnex: error: mkdtemp");
        return 2;
    }
    sweep_spec *sp = calloc(1, sizeof *sp);
    sweep_opts opt = {0};
    opt.out_dir = dir;
    opt.threads = threads;
    snnex_err err;
    sweep_summary sum;
    int rc = 0;
#ifdef SNNEX_MPI
    MPI_Init(NULL, NULL);
#endif
    if (!sp)
        rc = 2;
    else if (sweep_spec_load(cfg, sp, &err) != SNNEX_OK ||
             sweep_resample(sp, SWEEP_LHS, (uint64_t)points, 1, &err) != SNNEX_OK ||
             sweep_run(sp, &opt, &sum, &err) != SNNEX_OK)
        rc = fail(&err);
    else
        printf("bench=sweep config=%s\nthreads=%d\npoints=%llu\nfeasible=%llu\nfront=%ld\nseconds=%.3f\n"
               "points_per_second=%.0f\n",
               cfg, threads ? threads : omp_get_max_threads(), (unsigned long long)sum.points,
               (unsigned long long)sum.feasible, sum.front, sum.seconds, sum.points / sum.seconds);
#ifdef SNNEX_MPI
    MPI_Finalize();
#endif
    if (remove_scratch(dir) != 0)
        fprintf(stderr, "snnex: warning: could not remove %s: %s\n", dir, strerror(errno));
    if (sp)
        sweep_spec_free(sp);
    free(sp);
    return rc;
}
