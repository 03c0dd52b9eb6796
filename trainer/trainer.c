/* trainer — the public trainer API: building the engine from an
 * snnex_network, batches and epochs, evaluation, the sparsity trace and
 * checkpoints. The arithmetic lives in engine_impl_internal.h. */
#include "trainer/trainer_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cblas.h>
#include <sys/stat.h>
#include <unistd.h>

struct trainer {
    tr_net net;
    int f64;
    void *eng;
    int epochs_done;
    int record_on;
    int last_n;                  /* samples of the last backward pass (probe) */
    char sig[256];
};

#define ENG(t, fn, ...) ((t)->f64 ? tr_eng_##fn##_f64(__VA_ARGS__) : tr_eng_##fn##_f32(__VA_ARGS__))

/* Key of the rate encoder for evaluation (never an epoch number). */
#define EVAL_KEY 0x5e5a1ULL

void trainer_opts_default(trainer_opts *o)
{
    memset(o, 0, sizeof *o);
    o->reset_detach = 1;
    o->conv_gemm = -1;
}

static long div_up(long a, long b)
{
    return (a + b - 1) / b;
}

/* Translate the inferred network into the engine's layer table. */
static snnex_status build_net(tr_net *n, const snnex_network *net, int conv_gemm, const char *file,
                              snnex_err *err)
{
    n->n_layers = net->n_layers;
    n->in_c = net->in_c, n->in_h = net->in_h, n->in_w = net->in_w;
    n->in_size = (long)net->in_c * net->in_h * net->in_w;
    int binary = n->encoder == SNNEX_ENC_RATE && !n->smooth, below = 0;
    for (int l = 0; l < net->n_layers; l++) {
        const snnex_layer *S = &net->layers[l];
        tr_layer *L = &n->L[l];
        L->type = S->type;
        L->ic = S->in_c, L->ih = S->in_h, L->iw = S->in_w;
        L->oc = S->out_c, L->oh = S->out_h, L->ow = S->out_w;
        L->in_size = S->in_size, L->out_size = S->out_size;
        L->k = S->kernel, L->s = S->stride > 0 ? S->stride : 1, L->p = S->padding;
        L->pool_max = S->pool == SNNEX_POOL_MAX;
        L->trainable = S->type == SNNEX_LAYER_FC || S->type == SNNEX_LAYER_CONV;
        L->lif = S->spiking;
        L->in_current = l > 0 && net->layers[l - 1].weights > 0 && !net->layers[l - 1].spiking;
        L->grad_below = below;
        L->in_binary = binary;
        L->d = S->type == SNNEX_LAYER_CONV && S->dilation > 1 ? S->dilation : 1;
        L->ngroups = S->type == SNNEX_LAYER_CONV && S->groups > 1 ? S->groups : 1;
        L->pool_sum = S->pool == SNNEX_POOL_SUM;
        L->neuron = S->spiking ? S->neuron : SNNEX_NEURON_LIF;
        L->beta = snnex_layer_beta(net, S), L->theta = snnex_layer_theta(net, S), L->alpha = snnex_layer_alpha(net, S);
        if (S->type == SNNEX_LAYER_POOL && S->padding)
            return snnex_err_set(err, SNNEX_EINVAL, file, S->line,
                                 "layer %s: the trainer's pool takes no padding", S->name);
        if (L->trainable) {
            L->out_binary = L->lif && !n->smooth; /* no LIF: currents, not a list */
            L->nlog = L->nw = S->weights - S->rec_weights;
            L->nrec = S->rec_weights;
            if (S->type == SNNEX_LAYER_FC) {
                L->nblk = (int)div_up(L->out_size, TR_OB);
                L->nb = (int)L->out_size;
                L->rec_off = (long)L->nblk * (L->in_size + 1) * TR_OB; /* + bias row */
                L->nw_store = L->rec_off + L->nrec;
            } else {
                L->nb = L->oc;
                L->nw = (long)L->k * L->k * L->ic * L->oc; /* dense, groups masked */
                L->nw_store = L->nw + L->nb;
                /* im2col + GEMM does in_c·k²·out_c multiply-adds per output
                 * position whatever the input density, at several times the
                 * rate of the scatter; below 64 columns GEMM runs poorly */
                L->gemm = conv_gemm >= 0 ? conv_gemm : (long)L->ic * L->k * L->k >= 64;
            }
            below = 1;
        } else if (L->lif) {
            L->out_binary = !n->smooth;
        } else {
            L->out_binary = S->type == SNNEX_LAYER_POOL && !L->pool_max ? 0 : binary;
        }
        if (L->in_size > (1L << 30) || L->out_size > (1L << 30))
            return snnex_err_set(err, SNNEX_EINVAL, file, S->line, "layer %s is too large for the trainer",
                                 S->name);
        for (int g = 0; g < SNNEX_TRACE_NG; g++) {
            L->groups[g] = div_up(L->in_size, snnex_trace_g[g]);
            L->ogroups[g] = div_up(L->out_size, snnex_trace_g[g]);
        }
        binary = L->out_binary;
    }
    const snnex_layer *last = &net->layers[net->n_layers - 1];
    if (last->spiking && last->neuron == SNNEX_NEURON_LI && n->loss != SNNEX_LOSS_CE_MEM)
        return snnex_err_set(err, SNNEX_EINVAL, file, last->line,
                             "layer %s: an li readout has no spikes to count, so training.loss must be "
                             "\"ce_membrane\" (got a spike-count loss); set training.loss = \"ce_membrane\"",
                             last->name);
    if (last->type != SNNEX_LAYER_FC || last->out_features != n->classes)
        return snnex_err_set(err, SNNEX_EINVAL, file, last->line,
                             "the last layer must be fc with out = %d (one neuron per class) to train; "
                             "got %s", n->classes, last->name);
    return SNNEX_OK;
}

snnex_status trainer_alloc(trainer **out, const snnex_network *net, const snnex_training *tr,
                           int classes, const trainer_opts *opts, snnex_err *err)
{
    *out = NULL;
    trainer_opts def;
    if (!opts) {
        trainer_opts_default(&def);
        opts = &def;
    }
    if (classes < 2 || classes > 1024)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "classes must be 2..1024 (got %d)", classes);
    if (tr->T < 1 || tr->batch < 1)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "training.T and training.batch must be positive");
    snnex_network copy = *net;
    snnex_status st = snnex_network_infer(&copy, "", err);
    if (st)
        return st;
    trainer *t = calloc(1, sizeof *t);
    if (!t)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    tr_net *n = &t->net;
    n->T = tr->T, n->batch = tr->batch, n->classes = classes;
    n->beta = net->beta, n->theta = net->theta, n->reset = net->reset;
    n->reset_detach = opts->reset_detach, n->smooth = opts->smooth, n->threads = opts->threads;
    n->surrogate = tr->surrogate, n->slope = tr->surrogate_slope, n->loss = tr->loss;
    n->encoder = tr->encoder, n->optimizer = tr->optimizer;
    n->lr = tr->lr, n->momentum = tr->momentum;
    n->b1 = tr->adam_beta1, n->b2 = tr->adam_beta2, n->eps = tr->adam_eps;
    n->seed = (uint64_t)tr->seed;
    n->du_threshold = tr->du_threshold;
    t->f64 = opts->f64;
    st = build_net(n, &copy, opts->conv_gemm, "", err);
    if (st) {
        free(t);
        return st;
    }
    snnex_network_signature(&copy, tr->T, t->sig, sizeof t->sig);
    n->cnt = calloc((size_t)n->n_layers * n->T * TRC_N, sizeof *n->cnt);
    if (!n->cnt) {
        free(t);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    /* Threads come from OpenMP; BLAS calls run inside those threads. */
    openblas_set_num_threads(1);
    t->eng = t->f64 ? tr_eng_new_f64(n, err) : tr_eng_new_f32(n, err);
    if (!t->eng) {
        free(n->cnt);
        free(t);
        return err ? err->status : SNNEX_ENOMEM;
    }
    ENG(t, init, t->eng);
    *out = t;
    return SNNEX_OK;
}

void trainer_free(trainer *t)
{
    if (!t)
        return;
    if (t->f64)
        tr_eng_free_f64(t->eng);
    else
        tr_eng_free_f32(t->eng);
    free(t->net.cnt);
    free(t);
}

static snnex_status check_batch(const trainer *t, const trainer_data *d, const int *idx, int n,
                                snnex_err *err)
{
    const tr_net *N = &t->net;
    if (n < 1 || n > N->batch)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "batch of %d samples (allowed 1..%d)", n, N->batch);
    if ((long)d->c * d->h * d->w != N->in_size || d->c != N->in_c || d->h != N->in_h)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "data samples are %dx%dx%d but network.input is [%d, %d, %d]", d->c, d->h, d->w,
                             N->in_c, N->in_h, N->in_w);
    if (d->classes > N->classes)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "data has %d classes, the network outputs %d",
                             d->classes, N->classes);
    for (int i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= d->n)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "sample index %d out of range", idx[i]);
    return SNNEX_OK;
}

static uint64_t epoch_key(int epoch)
{
    return tr_mix64(0xe90c0000ULL + (uint64_t)epoch);
}

/* One forward pass over a batch, with BPTT gradients when grad is set
 * (recording sparsity then when recording is on). */
static snnex_status run_batch(trainer *t, const trainer_data *d, const int *idx, int n, int epoch, int grad,
                              double *loss, long *correct, snnex_err *err)
{
    snnex_status s = check_batch(t, d, idx, n, err);
    if (s)
        return s;
    if (grad)
        t->net.recording = t->record_on;
    ENG(t, run, t->eng, d, idx, n, epoch_key(epoch), grad, loss, correct);
    if (grad) {
        t->net.recording = 0;
        t->last_n = n;
    }
    return SNNEX_OK;
}

snnex_status trainer_step(trainer *t, const trainer_data *d, const int *idx, int n, int epoch,
                          trainer_stats *st, snnex_err *err)
{
    double loss;
    long correct;
    snnex_status s = run_batch(t, d, idx, n, epoch, 1, &loss, &correct, err);
    if (s)
        return s;
    ENG(t, update, t->eng);
    if (st) {
        st->loss = loss;
        st->correct = correct;
        st->samples = n;
    }
    return SNNEX_OK;
}

snnex_status trainer_loss_grad(trainer *t, const trainer_data *d, const int *idx, int n, int epoch,
                               double *loss, snnex_err *err)
{
    long correct;
    return run_batch(t, d, idx, n, epoch, 1, loss, &correct, err);
}

snnex_status trainer_loss(trainer *t, const trainer_data *d, const int *idx, int n, int epoch,
                          double *loss, snnex_err *err)
{
    long correct;
    return run_batch(t, d, idx, n, epoch, 0, loss, &correct, err);
}

snnex_status trainer_train_epoch(trainer *t, const trainer_data *d, int epoch, trainer_progress_fn progress,
                                 void *ctx, trainer_stats *st, snnex_err *err)
{
    int *perm = malloc((size_t)d->n * sizeof *perm);
    if (!perm)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    for (int i = 0; i < d->n; i++)
        perm[i] = i;
    uint64_t ks = tr_mix64(t->net.seed ^ tr_mix64(0x5f0ff1eULL + (uint64_t)epoch));
    for (int i = d->n - 1; i > 0; i--) { /* Fisher–Yates */
        int j = (int)(tr_mix64(ks + (uint64_t)i) % (uint64_t)(i + 1));
        int tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    trainer_stats ep = {0, 0, 0}, bs;
    const int B = t->net.batch;
    long nbat = div_up(d->n, B);
    snnex_status s = SNNEX_OK;
    for (long bi = 0; bi < nbat; bi++) {
        int n = (int)(d->n - bi * B < B ? d->n - bi * B : B);
        s = trainer_step(t, d, perm + bi * B, n, epoch, &bs, err);
        if (s)
            break;
        ep.loss += bs.loss * n;
        ep.correct += bs.correct;
        ep.samples += n;
        if (progress) {
            trainer_stats mean = ep;
            mean.loss = ep.loss / ep.samples;
            progress(ctx, epoch, bi + 1, nbat, &bs, &mean);
        }
    }
    free(perm);
    if (s)
        return s;
    t->epochs_done = epoch + 1;
    if (st) {
        *st = ep;
        st->loss = ep.samples ? ep.loss / ep.samples : 0;
    }
    return SNNEX_OK;
}

snnex_status trainer_evaluate(trainer *t, const trainer_data *d, trainer_stats *st, snnex_err *err)
{
    const int B = t->net.batch;
    int *idx = malloc((size_t)B * sizeof *idx);
    if (!idx)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    trainer_stats acc = {0, 0, 0};
    snnex_status s = SNNEX_OK;
    for (long b0 = 0; b0 < d->n; b0 += B) {
        int n = (int)(d->n - b0 < B ? d->n - b0 : B);
        for (int i = 0; i < n; i++)
            idx[i] = (int)(b0 + i);
        if ((s = check_batch(t, d, idx, n, err)))
            break;
        double loss;
        long correct;
        ENG(t, run, t->eng, d, idx, n, EVAL_KEY, 0, &loss, &correct);
        acc.loss += loss * n;
        acc.correct += correct;
        acc.samples += n;
    }
    free(idx);
    if (acc.samples)
        acc.loss /= acc.samples;
    if (st)
        *st = acc;
    return s;
}

long trainer_param_count(const trainer *t, int layer)
{
    if (layer < 0 || layer >= t->net.n_layers || !t->net.L[layer].trainable)
        return 0;
    return t->net.L[layer].nlog + t->net.L[layer].nb + t->net.L[layer].nrec;
}

double trainer_param(const trainer *t, int layer, int which, long i)
{
    return t->f64 ? tr_eng_get_f64(t->eng, layer, which, i) : tr_eng_get_f32(t->eng, layer, which, i);
}

void trainer_param_set(trainer *t, int layer, int which, long i, double v)
{
    ENG(t, set, t->eng, layer, which, i, v);
}

snnex_status trainer_probe(const trainer *t, int what, int layer, int sample, int step, double *out,
                           snnex_err *err)
{
    const tr_net *n = &t->net;
    if (layer < 0 || layer >= n->n_layers || sample < 0 || sample >= t->last_n || step < 0 || step >= n->T ||
        (what == 0 && n->L[layer].in_current) || (what == 1 && !n->L[layer].trainable && !n->L[layer].lif) ||
        what < 0 || what > 1)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "nothing to probe at layer %d sample %d step %d", layer,
                             sample, step);
    ENG(t, probe, t->eng, what, layer, sample, step, out);
    return SNNEX_OK;
}

int trainer_epochs_done(const trainer *t)
{
    return t->epochs_done;
}

/* ---- trace ------------------------------------------------------------------ */

void trainer_trace_record(trainer *t, int on)
{
    t->record_on = on;
}

void trainer_trace_reset(trainer *t)
{
    tr_net *n = &t->net;
    memset(n->cnt, 0, (size_t)n->n_layers * n->T * TRC_N * sizeof *n->cnt);
    n->rec_samples = n->rec_batches = 0;
}

snnex_status trainer_trace_fill(const trainer *t, snnex_trace *tr, snnex_err *err)
{
    const tr_net *n = &t->net;
    if (tr->n_layers != n->n_layers || tr->T != n->T || !tr->p)
        return snnex_err_set(err, SNNEX_EINTERNAL, "", 0, "trace was allocated for another network");
    if (!n->rec_samples)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "no batches were recorded for the trace");
    double S = (double)n->rec_samples;
    for (int l = 0; l < n->n_layers; l++) {
        const tr_layer *L = &n->L[l];
        for (int t2 = 0; t2 < n->T; t2++) {
            const long *c = n->cnt + ((long)l * n->T + t2) * TRC_N;
            snnex_trace_point *p = &tr->p[(long)l * n->T + t2];
            memset(p, 0, sizeof *p);
            p->in_density = c[TRC_IN] / (S * L->in_size);
            p->out_density = c[TRC_OUT] / (S * L->out_size);
            p->grad_density = c[TRC_GRAD] / (S * L->in_size);
            for (int g = 0; g < SNNEX_TRACE_NG; g++)
                p->in_tile[g] = c[TRC_IN_TILE + g] / (S * L->groups[g]);
            if (L->trainable || L->lif) {
                p->du_exact = c[TRC_DU] / (S * L->out_size);
                p->du_thr = c[TRC_DUT] / (S * L->out_size);
                for (int g = 0; g < SNNEX_TRACE_NG; g++)
                    p->du_tile[g] = c[TRC_DU_TILE + g] / (S * L->ogroups[g]);
            }
        }
    }
    tr->du_threshold = n->du_threshold;
    tr->batches = n->rec_batches;
    tr->encoder = n->encoder;
    return SNNEX_OK;
}

/* ---- checkpoints ------------------------------------------------------------- */

/* Layout (host byte order, x86-64 little-endian): "SNNEXCKP", u32 version,
 * u32 signature length, signature, u32 optimizer, u32 epochs done, i64
 * optimizer steps, u32 trainable layers, then per trainable layer u64 n
 * and float32 weights, state 1 (m / momentum), state 2 (v) in PyTorch
 * order; last, u32 zlib crc32 of everything before it. */
#define CKPT_MAGIC "SNNEXCKP"
#define CKPT_VERSION 1u

typedef struct {
    unsigned char *p;
    size_t n, cap;
} buf;

static int put(buf *b, const void *src, size_t len)
{
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + len)
            cap *= 2;
        unsigned char *np = realloc(b->p, cap);
        if (!np)
            return -1;
        b->p = np, b->cap = cap;
    }
    memcpy(b->p + b->n, src, len);
    b->n += len;
    return 0;
}

snnex_status trainer_save(const trainer *t, const char *path, snnex_err *err)
{
    const tr_net *n = &t->net;
    buf b = {0, 0, 0};
    uint32_t ver = CKPT_VERSION, sl = (uint32_t)strlen(t->sig), opt = (uint32_t)n->optimizer;
    uint32_t ep = (uint32_t)t->epochs_done, nt = 0;
    int64_t step = t->f64 ? tr_eng_step_f64(t->eng) : tr_eng_step_f32(t->eng);
    for (int l = 0; l < n->n_layers; l++)
        nt += n->L[l].trainable;
    int bad = put(&b, CKPT_MAGIC, 8) | put(&b, &ver, 4) | put(&b, &sl, 4) | put(&b, t->sig, sl) |
              put(&b, &opt, 4) | put(&b, &ep, 4) | put(&b, &step, 8) | put(&b, &nt, 4);
    for (int l = 0; l < n->n_layers && !bad; l++) {
        if (!n->L[l].trainable)
            continue;
        uint64_t nw = (uint64_t)trainer_param_count(t, l);
        bad |= put(&b, &nw, 8);
        for (int which = 0; which < 4 && !bad; which++) {
            if (which == 1)
                continue; /* gradients are not state */
            for (long i = 0; i < (long)nw && !bad; i++) {
                float v = (float)trainer_param(t, l, which, i);
                bad |= put(&b, &v, 4);
            }
        }
    }
    uint32_t crc = (uint32_t)crc32_z(0L, b.p, b.n);
    bad |= put(&b, &crc, 4);
    if (bad) {
        free(b.p);
        return snnex_err_set(err, SNNEX_ENOMEM, path, 0, "out of memory writing a checkpoint");
    }
    /* Temp file, flushed and fsync'ed, then renamed: a failed write (disk
     * full) leaves the previous checkpoint, never half a new one. */
    snnex_out o;
    snnex_status s = snnex_out_open(&o, path, err);
    if (s) {
        if (err) /* the caller checked the path before the run: this is a write failure */
            err->status = SNNEX_EIO;
        s = SNNEX_EIO;
    } else if (fwrite(b.p, 1, b.n, o.f) != b.n || fflush(o.f) != 0 || (!o.is_stdout && fsync(fileno(o.f)) != 0)) {
        int e = errno;
        snnex_out_abort(&o);
        s = snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write checkpoint: %s", strerror(e));
    } else {
        s = snnex_out_commit(&o, err);
    }
    free(b.p);
    return s;
}

static int get(const unsigned char *p, size_t len, size_t *pos, void *dst, size_t n)
{
    if (n > len - *pos) /* *pos <= len always */
        return -1;
    memcpy(dst, p + *pos, n);
    *pos += n;
    return 0;
}

/* Bytes of this network's checkpoint with a signature of sl bytes. */
static size_t ckpt_size(const trainer *t, size_t sl)
{
    size_t n = 8 + 4 + 4 + sl + 4 + 4 + 8 + 4 + 4; /* header, crc */
    for (int l = 0; l < t->net.n_layers; l++)
        if (t->net.L[l].trainable)
            n += 8 + 3 * 4 * (size_t)trainer_param_count(t, l);
    return n;
}

/* Read at most cap + 1 bytes of path into *out (malloc'ed): a longer file
 * shows as *len = cap + 1 without being read further, so a huge file or
 * /dev/zero cannot exhaust memory. */
static snnex_status read_bounded(const char *path, size_t cap, unsigned char **out, size_t *len,
                                 snnex_err *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "is a directory; give a checkpoint file written by "
                             "snnex train --save");
    FILE *f = fopen(path, "rb");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot open file: %s", strerror(errno));
    size_t size = cap + 1 < 65536 ? cap + 1 : 65536, n = 0;
    unsigned char *p = malloc(size);
    while (p) {
        n += fread(p + n, 1, size - n, f);
        if (n < size || size == cap + 1)
            break;
        size_t grow = size <= (cap + 1) / 2 ? 2 * size : cap + 1;
        unsigned char *np = realloc(p, grow);
        if (!np)
            free(p);
        p = np, size = grow;
    }
    int bad = ferror(f), e = errno;
    fclose(f);
    if (!p)
        return snnex_err_set(err, SNNEX_ENOMEM, path, 0, "out of memory reading a checkpoint");
    if (bad) {
        free(p);
        return snnex_err_set(err, SNNEX_EIO, path, 0, "cannot read checkpoint: %s", strerror(e));
    }
    *out = p, *len = n;
    return SNNEX_OK;
}

/* Parameters of the trainable layers from p + pos on, for weight, state 1
 * and state 2 in turn. apply = 0 only checks sizes and values (so a bad
 * checkpoint changes nothing), apply = 1 sets them. */
static snnex_status ckpt_params(trainer *t, const unsigned char *p, size_t len, size_t *pos, int apply,
                                const char *path, snnex_err *err)
{
    static const char *const what[] = {"weight", "", "optimizer state 1", "optimizer state 2"};
    const tr_net *n = &t->net;
    for (int l = 0; l < n->n_layers; l++) {
        if (!n->L[l].trainable)
            continue;
        uint64_t nw;
        long want = trainer_param_count(t, l);
        if (get(p, len, pos, &nw, 8))
            return snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint ends before layer %d; it is truncated", l);
        if (nw != (uint64_t)want)
            return snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint layer %d has %llu parameters, the "
                                 "config's %ld; it is for another network", l, (unsigned long long)nw, want);
        if ((len - *pos) / 12 < nw)
            return snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint ends inside layer %d; it is truncated",
                                 l);
        for (int which = 0; which < 4; which++) {
            if (which == 1)
                continue; /* gradients are not state */
            for (long i = 0; i < want; i++) {
                float v = 0;
                get(p, len, pos, &v, 4);
                if (apply)
                    trainer_param_set(t, l, which, i, v);
                else if (!isfinite(v) || (which == 3 && v < 0)) /* Adam's v is a mean of squares */
                    return snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint layer %d %s %ld is %g; it was "
                                         "modified or written by a diverged run", l, what[which], i, (double)v);
            }
        }
    }
    return SNNEX_OK;
}

snnex_status trainer_load(trainer *t, const char *path, snnex_err *err)
{
    const tr_net *n = &t->net;
    unsigned char *p = NULL;
    size_t len = 0, cap = ckpt_size(t, sizeof t->sig - 1);
    snnex_status s = read_bounded(path, cap, &p, &len, err);
    if (s)
        return s;
    size_t pos = 0;
    uint32_t ver, sl, opt, ep, nt, crc, want_nt = 0;
    int64_t step;
    char sig[256];
    if (len < 12 || memcmp(p, CKPT_MAGIC, 8) != 0) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "not an snnex checkpoint (bad magic); write one with "
                          "snnex train --save");
        goto out;
    }
    if (len > cap) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint is longer than %zu bytes, the most one of this "
                          "network can be; it is for another network or corrupt", cap);
        goto out;
    }
    memcpy(&crc, p + len - 4, 4);
    if ((uint32_t)crc32_z(0L, p, len - 4) != crc) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint is corrupt (crc32 mismatch); it was "
                          "truncated or modified, save it again");
        goto out;
    }
    pos = 8;
    len -= 4;
    if (get(p, len, &pos, &ver, 4) || get(p, len, &pos, &sl, 4) || sl >= sizeof sig ||
        get(p, len, &pos, sig, sl)) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint header is malformed");
        goto out;
    }
    sig[sl] = 0;
    for (uint32_t i = 0; i < sl; i++) /* printed below: no control characters */
        if (sig[i] < 0x20 || sig[i] == 0x7f)
            sig[i] = '?';
    if (ver != CKPT_VERSION) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint version %u is not supported (expected %u)",
                          ver, CKPT_VERSION);
        goto out;
    }
    if (strcmp(sig, t->sig) != 0) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint is for another network (checkpoint: %s; "
                          "config: %s)", sig, t->sig);
        goto out;
    }
    if (get(p, len, &pos, &opt, 4) || get(p, len, &pos, &ep, 4) || get(p, len, &pos, &step, 8) ||
        get(p, len, &pos, &nt, 4)) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint header is malformed");
        goto out;
    }
    if (opt != (uint32_t)n->optimizer) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint was trained with optimizer %s, the config "
                          "uses %s", snnex_optimizer_name((snnex_optimizer)opt), snnex_optimizer_name(n->optimizer));
        goto out;
    }
    /* Every epoch takes at least one optimizer step. */
    if (ep > INT_MAX || step < (int64_t)ep) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint header is inconsistent (%u epochs done, %lld "
                          "optimizer steps); it was modified, save it again", ep, (long long)step);
        goto out;
    }
    for (int l = 0; l < n->n_layers; l++)
        want_nt += n->L[l].trainable;
    if (nt != want_nt) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint has %u layers with weights, the config's "
                          "network %u; it is for another network", nt, want_nt);
        goto out;
    }
    size_t body = pos;
    if ((s = ckpt_params(t, p, len, &pos, 0, path, err)))
        goto out;
    if (pos != len) {
        s = snnex_err_set(err, SNNEX_EINVAL, path, 0, "checkpoint has %zu unexpected trailing bytes", len - pos);
        goto out;
    }
    pos = body;
    ckpt_params(t, p, len, &pos, 1, path, err);
    t->epochs_done = (int)ep;
    ENG(t, set_step, t->eng, (long)step);
out:
    free(p);
    return s;
}
