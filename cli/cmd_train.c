/* cmd_train — `snnex train CFG ...`: train the config's network on its data
 * set, write the sparsity trace and checkpoints; and `snnex bench train`:
 * seconds per batch and peak memory of the two reference nets. */
#include "cli/cli.h"
#include "estimator/estimator.h"
#include "trainer/trainer.h"

#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

static int fail(snnex_err *err)
{
    snnex_err_print(err, stderr);
    return snnex_exit_code(err->status);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "snnex: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: snnex train CFG [-o TRACE] [--epochs N] [--threads N] [--save FILE] "
                    "[--resume FILE] [--limit N]\n");
    return 1;
}

static int parse_pos(const char *s, long max, long *out)
{
    return snnex_parse_long(s, out) || *out < 1 || *out > max ? -1 : 0;
}

/* ---- output paths ------------------------------------------------------------ */

/* Fail before any work (data, training) when the run could not write PATH,
 * its `what` output, given with option `opt`: PATH must not be a directory
 * or a device, and a file must be creatable in its directory. The probe
 * creates and removes a temp file there, the way the output will be
 * written (temp file, then rename); access() alone says yes to root on a
 * read-only mount. "-" is stdout when allow_stdout. */
static snnex_status check_output(const char *path, const char *what, const char *opt, int allow_stdout,
                                 snnex_err *err)
{
    if (!strcmp(path, "-")) {
        if (allow_stdout)
            return SNNEX_OK;
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "the %s cannot go to stdout; give %s a file path", what,
                             opt);
    }
    char dir[1024];
    size_t n = strlen(path);
    if (!n || n >= sizeof dir - 32)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s path is %s (got %zu characters); give a shorter path",
                             opt, n ? "too long" : "empty", n);
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "cannot write %s %s: %s; give %s a file path", what, path,
                             S_ISDIR(sb.st_mode) ? "it is a directory" : "it exists and is not a regular file",
                             opt);
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    char probe[sizeof dir + 32];
    snprintf(probe, sizeof probe, "%s/.snnex-probe-XXXXXX", dir);
    int fd = mkstemp(probe);
    if (fd < 0) {
        int e = errno;
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "cannot write %s %s: %s; %s or choose another %s", what,
                             path, strerror(e),
                             e == ENOENT || e == ENOTDIR ? "create the directory" : "make the directory writable",
                             opt);
    }
    close(fd);
    unlink(probe);
    return SNNEX_OK;
}

/* Flush and fsync an open output so a full disk shows here, with its
 * reason, and the temp file is removed instead of renamed into place. */
static snnex_status sync_out(snnex_out *o, const char *what, snnex_err *err)
{
    if (o->is_stdout)
        return fflush(o->f) ? snnex_err_set(err, SNNEX_EIO, "", 0, "cannot write the %s to stdout: %s", what,
                                            strerror(errno))
                            : SNNEX_OK;
    if (fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0)
        return SNNEX_OK;
    int e = errno;
    return snnex_err_set(err, SNNEX_EIO, o->path, 0, "cannot write %s: %s", what, strerror(e));
}

/* ---- progress line -------------------------------------------------------- */

typedef struct {
    int epochs;
    double t0;
    long done, total;            /* samples over the whole run */
    int batch;
} progress_ctx;

static void progress(void *vctx, int epoch, long batch, long batches, const trainer_stats *bs,
                     const trainer_stats *ep)
{
    progress_ctx *c = vctx;
    c->done += bs->samples;
    double el = now_s() - c->t0, rate = el > 0 ? c->done / el : 0;
    double eta = rate > 0 ? (c->total - c->done) / rate : 0;
    if (batch % 5 && batch != batches)
        return;
    fprintf(stderr, "\repoch %d/%d batch %ld/%ld loss %.4f acc %.4f %.0f samples/s ETA %d:%02d   ",
            epoch + 1, c->epochs, batch, batches, ep->loss, ep->samples ? (double)ep->correct / ep->samples : 0,
            rate, (int)(eta / 60), (int)eta % 60);
    fflush(stderr);
}

/* ---- data ------------------------------------------------------------------- */

static int dataset_is_synthetic(const snnex_training *T)
{
    return T->dataset == SNNEX_DATA_SYNTHETIC || T->dataset == SNNEX_DATA_SYNTHETIC_TEMPORAL;
}

static snnex_status load_data(const snnex_config *cfg, int classes, long limit, trainer_data *tr,
                              trainer_data *te, snnex_err *err)
{
    const snnex_training *T = &cfg->train;
    long ltr = limit ? limit : T->train_limit, lte = limit ? limit : T->test_limit;
    if (T->dataset == SNNEX_DATA_SYNTHETIC_TEMPORAL) { /* one frame per step */
        const snnex_network *n = &cfg->net;
        snnex_status s = trainer_data_synthetic_temporal((int)(ltr ? ltr : 2048), n->in_c, n->in_h, n->in_w, T->T,
                                                         classes, T->seed, 0, tr, err);
        if (!s)
            s = trainer_data_synthetic_temporal((int)(lte ? lte : 512), n->in_c, n->in_h, n->in_w, T->T, classes,
                                                T->seed, 1, te, err);
        return s;
    }
    if (dataset_is_synthetic(T)) {
        const snnex_network *n = &cfg->net;
        snnex_status s = trainer_data_synthetic((int)(ltr ? ltr : 2048), n->in_c, n->in_h, n->in_w, classes,
                                                T->seed, 0, tr, err);
        if (!s)
            s = trainer_data_synthetic((int)(lte ? lte : 512), n->in_c, n->in_h, n->in_w, classes, T->seed, 1, te,
                                       err);
        return s;
    }
    snnex_status s = trainer_data_load_fmnist(T->data_dir, 0, ltr, tr, err);
    if (!s)
        s = trainer_data_load_fmnist(T->data_dir, 1, lte, te, err);
    return s;
}

/* ---- snnex train --------------------------------------------------------------- */

int cli_cmd_train(int argc, char **argv)
{
    const char *cfg_path = NULL, *trace_path = NULL, *save = NULL, *resume = NULL;
    long epochs = 0, threads = 0, limit = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "-o") || !strcmp(a, "--save") || !strcmp(a, "--resume") || !strcmp(a, "--epochs") ||
            !strcmp(a, "--threads") || !strcmp(a, "--limit")) {
            if (!has)
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "-o"))
                trace_path = v;
            else if (!strcmp(a, "--save"))
                save = v;
            else if (!strcmp(a, "--resume"))
                resume = v;
            else if (!strcmp(a, "--epochs") && parse_pos(v, 10000, &epochs))
                return usage_error("--epochs must be an integer 1..10000 (got '%s')", v);
            else if (!strcmp(a, "--threads") && parse_pos(v, 1024, &threads))
                return usage_error("--threads must be an integer 1..1024 (got '%s')", v);
            else if (!strcmp(a, "--limit") && parse_pos(v, 1L << 30, &limit))
                return usage_error("--limit must be a positive integer (got '%s')", v);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!cfg_path) {
            cfg_path = a;
        } else {
            return usage_error("unexpected argument '%s' (one config file only)", a);
        }
    }
    if (!cfg_path)
        return usage_error("%s", "missing the config file");

    snnex_err err;
    snnex_err_clear(&err);
    /* Every output before any work: a bad path is bad input (exit 1), not
     * a failure after hours of training. */
    if (trace_path && save && !strcmp(trace_path, save))
        return usage_error("-o and --save name the same file ('%s'); give them different paths", save);
    if ((trace_path && check_output(trace_path, "trace", "-o", 1, &err)) ||
        (save && check_output(save, "checkpoint", "--save", 0, &err)))
        return fail(&err);
    snnex_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return 2;
    int rc = 0;
    trainer *t = NULL;
    trainer_data dtr = {0}, dte = {0};
    snnex_trace tr = {0};
    if (snnex_config_load(cfg_path, cfg, &err)) {
        rc = fail(&err);
        goto out;
    }
    if (epochs)
        cfg->train.epochs = (int)epochs;
    const snnex_layer *last = &cfg->net.layers[cfg->net.n_layers - 1];
    int classes = last->type == SNNEX_LAYER_FC ? last->out_features : 10;
    trainer_opts opts;
    trainer_opts_default(&opts);
    opts.threads = (int)threads;
    if (trainer_alloc(&t, &cfg->net, &cfg->train, classes, &opts, &err)) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", cfg_path);
        rc = fail(&err);
        goto out;
    }
    if (resume && trainer_load(t, resume, &err)) {
        rc = fail(&err);
        goto out;
    }
    int first = trainer_epochs_done(t), total = cfg->train.epochs;
    if (first >= total) {
        snnex_err_set(&err, SNNEX_EINVAL, resume, 0,
                      "checkpoint has already trained %d epoch%s; ask for more with --epochs N (N > %d)", first,
                      first == 1 ? "" : "s", first);
        rc = fail(&err);
        goto out;
    }
    if (load_data(cfg, classes, limit, &dtr, &dte, &err)) {
        rc = fail(&err);
        goto out;
    }
    progress_ctx pc = {total, now_s(), 0, (long)(total - first) * dtr.n, cfg->train.batch};
    int tty = isatty(2);
    double t0 = now_s();
    trainer_stats st = {0, 0, 0};
    for (int e = first; e < total; e++) {
        trainer_trace_record(t, e == total - 1); /* the trace describes the last epoch */
        if (trainer_train_epoch(t, &dtr, e, tty ? progress : NULL, &pc, &st, &err)) {
            rc = fail(&err);
            goto out;
        }
        if (save && trainer_save(t, save, &err)) {
            rc = fail(&err);
            goto out;
        }
    }
    double train_s = now_s() - t0;
    if (tty)
        fputc('\n', stderr);
    trainer_stats ev;
    if (trainer_evaluate(t, &dte, &ev, &err)) {
        rc = fail(&err);
        goto out;
    }
    if (trace_path) {
        snnex_out o;
        if (snnex_trace_alloc(&tr, &cfg->net, cfg->train.T, &err) || trainer_trace_fill(t, &tr, &err)) {
            rc = fail(&err);
            goto out;
        }
        if (snnex_out_open(&o, trace_path, &err)) {
            err.status = SNNEX_EIO; /* the path passed check_output: it failed during the run */
            rc = fail(&err);
            goto out;
        }
        if (snnex_trace_write(&tr, &cfg->net, o.f, &err) || sync_out(&o, "trace", &err)) {
            snnex_out_abort(&o);
            rc = fail(&err);
            goto out;
        }
        if (snnex_out_commit(&o, &err)) {
            rc = fail(&err);
            goto out;
        }
    }
    printf("epochs=%d\n", total);
    printf("train_loss=%.6f\n", st.loss);
    printf("train_accuracy=%.4f\n", st.samples ? (double)st.correct / st.samples : 0.0);
    printf("test_loss=%.6f\n", ev.loss);
    printf("test_accuracy=%.4f\n", ev.samples ? (double)ev.correct / ev.samples : 0.0);
    printf("train_seconds=%.2f\n", train_s);
out:
    snnex_trace_free(&tr);
    trainer_data_free(&dtr);
    trainer_data_free(&dte);
    trainer_free(t);
    free(cfg);
    return rc;
}

/* ---- snnex bench train ------------------------------------------------------------ */

/* The nets of `snnex bench train --net`: the FC net, the conv net in the
 * reference order (conv → max pool of the currents → LIF, as
 * configs/fmnist_conv.cfg) and the conv net with the LIF neurons before the
 * pools (conv → LIF → max pool of the spikes). */
enum { NET_FC = 0, NET_CONV, NET_CONV_LIF_FIRST };
static const char *const bench_nets[] = {"fc", "conv", "conv-lif-first"};

/* The issue-8 reference settings: T 25, batch 128, Adam 5e-4, rate
 * encoding, fast sigmoid slope 25, β 0.95, θ 1, subtract reset. */
static void ref_net(int kind, snnex_network *n, snnex_training *t)
{
    memset(n, 0, sizeof *n);
    memset(t, 0, sizeof *t);
    n->in_c = 1, n->in_h = 28, n->in_w = 28;
    n->beta = 0.95, n->theta = 1.0, n->reset = SNNEX_RESET_SUBTRACT;
    snnex_layer *L = n->layers;
    if (kind != NET_FC) {
        int lif = kind == NET_CONV ? 1 : 0; /* 1: neurons after the pools */
        L[0].type = SNNEX_LAYER_CONV, L[0].out_channels = 12, L[0].kernel = 5, L[0].stride = 1;
        L[1].type = SNNEX_LAYER_POOL, L[1].pool = SNNEX_POOL_MAX, L[1].kernel = 2, L[1].stride = 2;
        L[2].type = SNNEX_LAYER_CONV, L[2].out_channels = 64, L[2].kernel = 5, L[2].stride = 1;
        L[3].type = SNNEX_LAYER_POOL, L[3].pool = SNNEX_POOL_MAX, L[3].kernel = 2, L[3].stride = 2;
        L[0].lif = L[2].lif = -lif, L[1].lif = L[3].lif = lif;
        L[4].type = SNNEX_LAYER_FLATTEN;
        L[5].type = SNNEX_LAYER_FC, L[5].out_features = 10;
        n->n_layers = 6;
    } else {
        L[0].type = SNNEX_LAYER_FLATTEN;
        L[1].type = SNNEX_LAYER_FC, L[1].out_features = 800;
        L[2].type = SNNEX_LAYER_FC, L[2].out_features = 10;
        n->n_layers = 3;
    }
    for (int i = 0; i < n->n_layers; i++)
        snprintf(L[i].name, sizeof L[i].name, "l%d", i);
    t->T = 25, t->batch = 128, t->optimizer = SNNEX_OPT_ADAM, t->lr = 5e-4;
    t->adam_beta1 = 0.9, t->adam_beta2 = 0.999, t->adam_eps = 1e-8, t->momentum = 0.9;
    t->encoder = SNNEX_ENC_RATE, t->loss = SNNEX_LOSS_CE_COUNT, t->surrogate = SNNEX_SURR_FAST_SIGMOID;
    t->surrogate_slope = 25, t->du_threshold = 1e-3, t->seed = 1, t->epochs = 1;
}

static int bench_one(int kind, long batches, int threads, const trainer_data *d)
{
    snnex_network net;
    snnex_training tcfg;
    ref_net(kind, &net, &tcfg);
    trainer_opts opts;
    trainer_opts_default(&opts);
    opts.threads = threads;
    snnex_err err;
    snnex_err_clear(&err);
    trainer *t;
    if (trainer_alloc(&t, &net, &tcfg, 10, &opts, &err))
        return fail(&err);
    int idx[128];
    double t0 = 0;
    for (long b = 0; b <= batches; b++) { /* batch 0 warms up */
        if (b == 1)
            t0 = now_s();
        for (int i = 0; i < 128; i++)
            idx[i] = (int)((b * 128 + i) % d->n);
        trainer_stats st;
        if (trainer_step(t, d, idx, 128, 0, &st, &err)) {
            trainer_free(t);
            return fail(&err);
        }
    }
    double spb = (now_s() - t0) / batches;
    trainer_free(t);
    printf("net=%s\n", bench_nets[kind]);
    printf("threads=%d\n", threads ? threads : omp_get_max_threads());
    printf("seconds_per_batch=%.4f\n", spb);
    printf("peak_rss_mib=%.1f\n", peak_rss_mib());
    fflush(stdout);
    return 0;
}

int cli_bench_train(int argc, char **argv)
{
    int net = -1; /* fc and conv */
    long batches = 10, threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--net") && i + 1 < argc) {
            const char *v = argv[++i];
            for (net = NET_CONV_LIF_FIRST; net >= 0 && strcmp(v, bench_nets[net]); net--)
                ;
            if (net < 0) {
                fprintf(stderr, "snnex: error: --net must be fc, conv or conv-lif-first (got '%s')\n", v);
                return 1;
            }
        } else if (!strcmp(argv[i], "--batches") && i + 1 < argc) {
            if (parse_pos(argv[++i], 1000000, &batches)) {
                fprintf(stderr, "snnex: error: --batches must be a positive integer (got '%s')\n", argv[i]);
                return 1;
            }
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            if (parse_pos(argv[++i], 1024, &threads)) {
                fprintf(stderr, "snnex: error: --threads must be a positive integer (got '%s')\n", argv[i]);
                return 1;
            }
        } else {
            fprintf(stderr, "snnex: error: unknown bench train argument '%s'\n"
                            "usage: snnex bench train [--net fc|conv|conv-lif-first] [--batches N] "
                            "[--threads N]\n", argv[i]);
            return 1;
        }
    }
    /* Real Fashion-MNIST (the whole training split, as a training run holds
     * it) so spike densities are realistic; synthetic 28x28 if absent. */
    trainer_data d;
    snnex_err err;
    snnex_err_clear(&err);
#define BENCH_DATA_DIR "/usr/share/datasets/fashion-mnist"
    const char *dir = getenv("SNNEX_DATA_DIR") ? getenv("SNNEX_DATA_DIR") : BENCH_DATA_DIR;
    if (trainer_data_load_fmnist(dir, 0, 0, &d, &err)) {
        /* the data error's own advice (after "; ") names the config key,
         * which bench does not read */
        char *how = strstr(err.msg, "; ");
        if (how)
            *how = 0;
        fprintf(stderr, "snnex: note: %s%s%s; set SNNEX_DATA_DIR to the Fashion-MNIST directory (default "
                        BENCH_DATA_DIR "); benchmarking on synthetic 28x28 data\n", err.file, err.file[0] ? ": " : "",
                err.msg);
        if (trainer_data_synthetic((int)(batches + 1) * 128, 1, 28, 28, 10, 1, 0, &d, &err))
            return fail(&err);
        printf("data=synthetic\n");
    } else {
        printf("data=fashion-mnist\n");
    }
    int rc = 0;
    if (net < 0 || net == NET_FC)
        rc = bench_one(NET_FC, batches, (int)threads, &d);
    if (!rc && net != NET_FC)
        rc = bench_one(net < 0 ? NET_CONV : net, batches, (int)threads, &d);
    trainer_data_free(&d);
    return rc;
}
