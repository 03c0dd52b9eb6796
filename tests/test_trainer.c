/* Tests of the trainer: BPTT gradients against central finite differences
 * (fc and conv nets, every loss, both resets, smooth surrogate forward in
 * double precision), the forward pass against a naive LIF simulation,
 * trace densities against a dense recount, byte-identical traces for the
 * same seed (any thread count), checkpoints, data-file errors, a short
 * training run whose loss falls, and the CLI's errors. */
#include "tests/test_util.h"
#include "trainer/trainer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

/* ---- helpers ----------------------------------------------------------------- */

static snnex_layer *add(snnex_network *n, snnex_layer_type type)
{
    snnex_layer *L = &n->layers[n->n_layers];
    memset(L, 0, sizeof *L);
    L->type = type;
    L->stride = 1;
    snprintf(L->name, sizeof L->name, "l%d", n->n_layers);
    n->n_layers++;
    return L;
}

static void net_init(snnex_network *n, int c, int h, int w)
{
    memset(n, 0, sizeof *n);
    n->in_c = c, n->in_h = h, n->in_w = w;
    n->beta = 0.9, n->theta = 1.0, n->reset = SNNEX_RESET_SUBTRACT;
}

static void fc_net(snnex_network *n, int in_side, int hidden, int classes)
{
    net_init(n, 1, in_side, in_side);
    add(n, SNNEX_LAYER_FLATTEN);
    add(n, SNNEX_LAYER_FC)->out_features = hidden;
    add(n, SNNEX_LAYER_FC)->out_features = classes;
}

/* conv(k3 p1) → pool 2 → conv(k2) → flatten → fc classes on 2×6×6 input. */
static void conv_net(snnex_network *n, snnex_pool_kind pool, int stride2)
{
    net_init(n, 2, 6, 6);
    snnex_layer *L = add(n, SNNEX_LAYER_CONV);
    L->out_channels = 3, L->kernel = 3, L->padding = 1, L->stride = stride2 ? 2 : 1;
    L = add(n, SNNEX_LAYER_POOL);
    L->kernel = stride2 ? 1 : 2, L->stride = stride2 ? 1 : 2, L->pool = pool;
    L = add(n, SNNEX_LAYER_CONV);
    L->out_channels = 4, L->kernel = 2;
    add(n, SNNEX_LAYER_FLATTEN);
    add(n, SNNEX_LAYER_FC)->out_features = 3;
}

/* The reference order on 2×8×8 input: conv(k3 p1, no LIF) → pool 2 of the
 * currents → LIF → conv(k3 p1, no LIF) → pool 2 → LIF → flatten → fc. */
static void conv_pool_lif_net(snnex_network *n, snnex_pool_kind pool)
{
    net_init(n, 2, 8, 8);
    for (int i = 0; i < 2; i++) {
        snnex_layer *L = add(n, SNNEX_LAYER_CONV);
        L->out_channels = 3 + i, L->kernel = 3, L->padding = 1, L->lif = -1;
        L = add(n, SNNEX_LAYER_POOL);
        L->kernel = 2, L->stride = 2, L->pool = pool, L->lif = 1;
    }
    add(n, SNNEX_LAYER_FLATTEN);
    add(n, SNNEX_LAYER_FC)->out_features = 3;
}

static void train_cfg(snnex_training *t, int T, int batch)
{
    memset(t, 0, sizeof *t);
    t->T = T, t->batch = batch, t->optimizer = SNNEX_OPT_ADAM, t->lr = 1e-2;
    t->adam_beta1 = 0.9, t->adam_beta2 = 0.999, t->adam_eps = 1e-8, t->momentum = 0.9;
    t->encoder = SNNEX_ENC_RATE, t->loss = SNNEX_LOSS_CE_COUNT;
    t->surrogate = SNNEX_SURR_FAST_SIGMOID, t->surrogate_slope = 5;
    t->du_threshold = 1e-3, t->seed = 7, t->epochs = 1;
}

/* Scale every weight (tiny nets need more input current to be active). */
static void scale_weights(trainer *t, int n_layers, double f)
{
    for (int l = 0; l < n_layers; l++)
        for (long i = 0; i < trainer_param_count(t, l); i++)
            trainer_param_set(t, l, 0, i, f * trainer_param(t, l, 0, i));
}

/* A trainer for the spike-path tests: 2 threads, 3 classes, weights ×3 so
 * that the small nets spike. */
static trainer *spiking_trainer(const snnex_network *net, const snnex_training *tc)
{
    trainer_opts o;
    trainer_opts_default(&o);
    o.threads = 2;
    trainer *t;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&t, net, tc, 3, &o, &err) == SNNEX_OK);
    scale_weights(t, net->n_layers, 3.0);
    return t;
}

/* Central differences of the loss against the BPTT gradient of every
 * weight: |g − fd| ≤ 1e-4·|fd| + 1e-9 (h = 1e-5, double precision, smooth
 * surrogate forward, reset not detached so BPTT is the exact derivative). */
static void grad_check(const snnex_network *net, const snnex_training *tc, double wscale, int conv_gemm)
{
    trainer_opts o;
    trainer_opts_default(&o);
    o.f64 = 1, o.smooth = 1, o.reset_detach = 0, o.threads = 1, o.conv_gemm = conv_gemm;
    trainer *t;
    snnex_err err;
    int classes = net->layers[net->n_layers - 1].out_features;
    CU_ASSERT_FATAL(trainer_alloc(&t, net, tc, classes, &o, &err) == SNNEX_OK);
    scale_weights(t, net->n_layers, wscale);
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(4, net->in_c, net->in_h, net->in_w, classes, 3, 0, &d, &err) == SNNEX_OK);
    int idx[3] = {0, 1, 2};
    double loss;
    CU_ASSERT_FATAL(trainer_loss_grad(t, &d, idx, 3, 0, &loss, &err) == SNNEX_OK);
    int checked = 0, bad = 0;
    double gmax = 0;
    for (int l = 0; l < net->n_layers; l++) {
        long np = trainer_param_count(t, l);
        double *g = malloc((size_t)(np ? np : 1) * sizeof *g);
        for (long i = 0; i < np; i++)
            g[i] = trainer_param(t, l, 1, i);
        for (long i = 0; i < np; i++) {
            const double h = 1e-5;
            double w0 = trainer_param(t, l, 0, i), lp, lm;
            trainer_param_set(t, l, 0, i, w0 + h);
            trainer_loss(t, &d, idx, 3, 0, &lp, &err);
            trainer_param_set(t, l, 0, i, w0 - h);
            trainer_loss(t, &d, idx, 3, 0, &lm, &err);
            trainer_param_set(t, l, 0, i, w0);
            double fd = (lp - lm) / (2 * h);
            gmax = fabs(fd) > gmax ? fabs(fd) : gmax;
            if (!(fabs(g[i] - fd) <= 1e-4 * fabs(fd) + 1e-9)) {
                if (bad++ < 5)
                    fprintf(stderr, "\n  layer %d w[%ld]: bptt %.10g fd %.10g", l, i, g[i], fd);
            }
            checked++;
        }
        free(g);
    }
    CU_ASSERT(bad == 0);
    CU_ASSERT(checked > 20);
    CU_ASSERT(gmax > 1e-6); /* the check is not vacuous */
    trainer_data_free(&d);
    trainer_free(t);
}

/* ---- gradient checks --------------------------------------------------------------- */

static void test_grad_fc(void)
{
    static const snnex_loss losses[] = {SNNEX_LOSS_CE_COUNT, SNNEX_LOSS_CE_MEM, SNNEX_LOSS_MSE_COUNT,
                                        SNNEX_LOSS_CE_RATE};
    static const snnex_surrogate surr[] = {SNNEX_SURR_FAST_SIGMOID, SNNEX_SURR_ARCTAN, SNNEX_SURR_TRIANGLE};
    for (int li = 0; li < 4; li++)
        for (int reset = 0; reset < 2; reset++) {
            snnex_network net;
            snnex_training tc;
            fc_net(&net, 4, 6, 3);
            net.reset = reset ? SNNEX_RESET_ZERO : SNNEX_RESET_SUBTRACT;
            train_cfg(&tc, 5, 3);
            tc.loss = losses[li];
            tc.surrogate = surr[(li + reset) % 3];
            tc.surrogate_slope = tc.surrogate == SNNEX_SURR_TRIANGLE ? 0.5 : 2;
            tc.encoder = li == 1 ? SNNEX_ENC_DIRECT : SNNEX_ENC_RATE;
            grad_check(&net, &tc, 3.0, -1);
        }
}

/* Every variant with both conv paths (scatter of nonzero inputs; im2col +
 * GEMM). */
static void test_grad_conv(void)
{
    for (int v = 0; v < 6; v++) {
        snnex_network net;
        snnex_training tc;
        int k = v % 3;
        conv_net(&net, k == 1 ? SNNEX_POOL_AVG : SNNEX_POOL_MAX, k == 2);
        net.reset = k == 1 ? SNNEX_RESET_ZERO : SNNEX_RESET_SUBTRACT;
        train_cfg(&tc, 4, 3);
        tc.surrogate_slope = 2;
        tc.encoder = k == 2 ? SNNEX_ENC_RATE : SNNEX_ENC_DIRECT;
        tc.loss = k == 1 ? SNNEX_LOSS_CE_MEM : k == 2 ? SNNEX_LOSS_MSE_COUNT : SNNEX_LOSS_CE_COUNT;
        grad_check(&net, &tc, 2.0, v / 3);
    }
    /* LIF neurons after the pools (conv → pool of the currents → LIF): max
     * and avg pools, both conv paths, both resets */
    for (int v = 0; v < 4; v++) {
        snnex_network net;
        snnex_training tc;
        conv_pool_lif_net(&net, v % 2 ? SNNEX_POOL_AVG : SNNEX_POOL_MAX);
        net.reset = v / 2 ? SNNEX_RESET_ZERO : SNNEX_RESET_SUBTRACT;
        train_cfg(&tc, 4, 3);
        tc.surrogate_slope = 2;
        tc.encoder = v / 2 ? SNNEX_ENC_RATE : SNNEX_ENC_DIRECT;
        tc.loss = v == 1 ? SNNEX_LOSS_MSE_COUNT : v == 2 ? SNNEX_LOSS_CE_RATE : SNNEX_LOSS_CE_COUNT;
        grad_check(&net, &tc, 2.0, v % 2);
    }
    /* one input channel (the scatter path's single-channel weight gradient),
     * stride 1 and 2 with padding */
    for (int st = 1; st <= 2; st++) {
        snnex_network net;
        snnex_training tc;
        net_init(&net, 1, 7, 7);
        snnex_layer *L = add(&net, SNNEX_LAYER_CONV);
        L->out_channels = 5, L->kernel = 3, L->padding = 1, L->stride = st;
        add(&net, SNNEX_LAYER_FLATTEN);
        add(&net, SNNEX_LAYER_FC)->out_features = 3;
        train_cfg(&tc, 4, 3);
        tc.surrogate_slope = 2;
        tc.encoder = st == 1 ? SNNEX_ENC_DIRECT : SNNEX_ENC_RATE;
        grad_check(&net, &tc, 2.0, 0);
    }
}


/* A forward pass must not depend on what the previous backward pass left in
 * scratch buffers: the loss of batch A is the same before and after a
 * backward pass on batch B (conv net with max pools, binary spikes, 2
 * threads; weights not updated). Regression: the max pool's dense scratch
 * was also lif_backward's carry, so stale δU values became pooled spikes. */
static void test_forward_no_stale_state(void)
{
    snnex_network net;
    snnex_training tc;
    conv_net(&net, SNNEX_POOL_MAX, 0);
    train_cfg(&tc, 6, 4);
    trainer *t = spiking_trainer(&net, &tc);
    snnex_err err;
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(8, 2, 6, 6, 3, 5, 0, &d, &err) == SNNEX_OK);
    int a[4] = {0, 1, 2, 3}, b[4] = {4, 5, 6, 7};
    double l0, l1, lb;
    CU_ASSERT_FATAL(trainer_loss(t, &d, a, 4, 0, &l0, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_loss_grad(t, &d, b, 4, 0, &lb, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_loss(t, &d, a, 4, 0, &l1, &err) == SNNEX_OK);
    CU_ASSERT(l1 == l0); /* same weights, same input spikes: the same loss, bit for bit */
    trainer_data_free(&d);
    trainer_free(t);
}

/* ---- training-mode forward and BPTT against a naive dense simulation ---------- */

#define NAIVE_SLOPE 25.0

/* Setup of the naive-simulation tests: double precision, 2 threads, binary
 * spikes, fast sigmoid of slope NAIVE_SLOPE, weights scaled by wscale; one
 * forward and backward pass on the first B (≤ 8) synthetic samples. */
static trainer *naive_run(const snnex_network *net, int T, int B, int classes, double wscale, snnex_loss lossfn,
                          trainer_data *d, double *loss)
{
    snnex_training tc;
    train_cfg(&tc, T, B);
    tc.surrogate_slope = NAIVE_SLOPE;
    tc.loss = lossfn;
    trainer_opts o;
    trainer_opts_default(&o);
    o.f64 = 1, o.threads = 2;
    trainer *t;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&t, net, &tc, classes, &o, &err) == SNNEX_OK);
    scale_weights(t, net->n_layers, wscale);
    CU_ASSERT_FATAL(trainer_data_synthetic(B, net->in_c, net->in_h, net->in_w, classes, 5, 0, d, &err) == SNNEX_OK);
    int idx[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    CU_ASSERT_FATAL(trainer_loss_grad(t, d, idx, B, 0, loss, &err) == SNNEX_OK);
    return t;
}

/* fc 16 → H → C with binary spikes, subtract reset detached, fast sigmoid:
 * the sparse gather, spike-gated weight gradient and blocked weights must
 * give the plain loops' spikes, loss and gradients (double precision), for
 * cross-entropy on the spike counts (ce_count) and at every step (ce_rate,
 * snnTorch's ce_rate_loss: mean over t of CE(softmax(s[t]), y)). */
static void naive_fc(snnex_loss lossfn)
{
    enum { B = 3, T = 6, NI = 16, H = 40, C = 3 };
    snnex_network net;
    fc_net(&net, 4, H, C);
    trainer_data d;
    double loss;
    trainer *t = naive_run(&net, T, B, C, 4.0, lossfn, &d, &loss);
    snnex_err err;
    static double x[B][T][NI], U1[B][T][H], U2[B][T][C], s1[B][T][H], probe[B][T][H];
    static double W1[H][NI], W2[C][H], g1[H][NI], g2[C][H], d1[T + 1][H], d2[T + 1][C];
    static double b1[H], b2[C], gb1[H], gb2[C];
    for (int h = 0; h < H; h++)
        b1[h] = trainer_param(t, 1, 0, (long)H * NI + h);
    for (int c = 0; c < C; c++)
        b2[c] = trainer_param(t, 2, 0, (long)C * H + c);
    memset(gb1, 0, sizeof gb1);
    memset(gb2, 0, sizeof gb2);
    for (int h = 0; h < H; h++)
        for (int i = 0; i < NI; i++)
            W1[h][i] = trainer_param(t, 1, 0, (long)h * NI + i);
    for (int c = 0; c < C; c++)
        for (int h = 0; h < H; h++)
            W2[c][h] = trainer_param(t, 2, 0, (long)c * H + h);
    const double beta = net.beta, th = net.theta, k = NAIVE_SLOPE;
    double want_loss = 0, spikes = 0;
    memset(g1, 0, sizeof g1);
    memset(g2, 0, sizeof g2);
    for (int b = 0; b < B; b++) {
        for (int tt = 0; tt < T; tt++) {
            trainer_probe(t, 0, 1, b, tt, x[b][tt], &err);
            trainer_probe(t, 0, 2, b, tt, probe[b][tt], &err);
        }
        double z[C] = {0}, s2[T][C];
        for (int tt = 0; tt < T; tt++) {
            for (int h = 0; h < H; h++) {
                double I = b1[h], p = tt ? U1[b][tt - 1][h] : 0;
                for (int i = 0; i < NI; i++)
                    I += W1[h][i] * x[b][tt][i];
                U1[b][tt][h] = beta * p + I - (p > th ? th : 0);
                s1[b][tt][h] = U1[b][tt][h] > th;
                spikes += s1[b][tt][h];
                CU_ASSERT(s1[b][tt][h] == probe[b][tt][h]);
            }
            for (int c = 0; c < C; c++) {
                double I = b2[c], p = tt ? U2[b][tt - 1][c] : 0;
                for (int h = 0; h < H; h++)
                    I += W2[c][h] * s1[b][tt][h];
                U2[b][tt][c] = beta * p + I - (p > th ? th : 0);
                z[c] += s2[tt][c] = U2[b][tt][c] > th;
            }
        }
        /* dz[t][c] = dL/ds[t][c]: the same for every t for ce_count */
        const int y = d.y[b], rate = lossfn == SNNEX_LOSS_CE_RATE;
        double dz[T][C];
        for (int tt = 0; tt < T; tt++) {
            const double *v = rate ? s2[tt] : z, n = rate ? (double)T * B : B;
            double mx = v[0], sum = 0;
            for (int c = 1; c < C; c++)
                mx = v[c] > mx ? v[c] : mx;
            for (int c = 0; c < C; c++)
                sum += exp(v[c] - mx);
            if (rate || tt == 0)
                want_loss += (-(v[y] - mx) + log(sum)) / n;
            for (int c = 0; c < C; c++)
                dz[tt][c] = (exp(v[c] - mx) / sum - (c == y)) / n;
        }
        memset(d1, 0, sizeof d1);
        memset(d2, 0, sizeof d2);
        for (int tt = T - 1; tt >= 0; tt--) {
            for (int c = 0; c < C; c++) {
                double a = 1 + k * fabs(U2[b][tt][c] - th);
                d2[tt][c] = dz[tt][c] / (a * a) + beta * d2[tt + 1][c];
                gb2[c] += d2[tt][c];
                for (int h = 0; h < H; h++)
                    g2[c][h] += d2[tt][c] * s1[b][tt][h];
            }
            for (int h = 0; h < H; h++) {
                double gs = 0, a = 1 + k * fabs(U1[b][tt][h] - th);
                for (int c = 0; c < C; c++)
                    gs += W2[c][h] * d2[tt][c];
                d1[tt][h] = gs / (a * a) + beta * d1[tt + 1][h];
                gb1[h] += d1[tt][h];
                for (int i = 0; i < NI; i++)
                    g1[h][i] += d1[tt][h] * x[b][tt][i];
            }
        }
    }
    CU_ASSERT(spikes > 0.05 * B * T * H); /* the hidden layer is active */
    ASSERT_CLOSE(loss, want_loss, 1e-12);
    int bad = 0;
    for (int h = 0; h < H; h++)
        for (int i = 0; i < NI; i++)
            bad += fabs(trainer_param(t, 1, 1, (long)h * NI + i) - g1[h][i]) > 1e-9 * (fabs(g1[h][i]) + 1e-6);
    for (int c = 0; c < C; c++)
        for (int h = 0; h < H; h++)
            bad += fabs(trainer_param(t, 2, 1, (long)c * H + h) - g2[c][h]) > 1e-9 * (fabs(g2[c][h]) + 1e-6);
    for (int h = 0; h < H; h++)
        bad += fabs(trainer_param(t, 1, 1, (long)H * NI + h) - gb1[h]) > 1e-9 * (fabs(gb1[h]) + 1e-6);
    for (int c = 0; c < C; c++)
        bad += fabs(trainer_param(t, 2, 1, (long)C * H + c) - gb2[c]) > 1e-9 * (fabs(gb2[c]) + 1e-6);
    CU_ASSERT(bad == 0);
    trainer_data_free(&d);
    trainer_free(t);
}

static void test_naive_fc(void)
{
    naive_fc(SNNEX_LOSS_CE_COUNT);
    naive_fc(SNNEX_LOSS_CE_RATE);
}

/* conv(no LIF) → max pool of the currents → LIF, binary spikes: the pool's
 * output spikes equal a plain simulation (conv currents, window maxima, LIF
 * on the pooled currents), and the gradient of the conv currents is nonzero
 * only at each window's first maximum. */
static void test_naive_pool_lif(void)
{
    enum { B = 3, T = 6, OC = 2, IS = 6, CS = 4, PS = 2 };
    snnex_network net;
    net_init(&net, 1, IS, IS);
    snnex_layer *L = add(&net, SNNEX_LAYER_CONV);
    L->out_channels = OC, L->kernel = 3, L->lif = -1;
    L = add(&net, SNNEX_LAYER_POOL);
    L->kernel = 2, L->stride = 2, L->pool = SNNEX_POOL_MAX, L->lif = 1;
    add(&net, SNNEX_LAYER_FLATTEN);
    add(&net, SNNEX_LAYER_FC)->out_features = 3;
    trainer_data d;
    double loss;
    trainer *t = naive_run(&net, T, B, 3, 3.0, SNNEX_LOSS_CE_COUNT, &d, &loss);
    snnex_err err;
    CU_ASSERT(trainer_probe(t, 0, 1, 0, 0, NULL, &err) == SNNEX_EINVAL); /* currents are gone */
    double x[IS * IS], s[OC * PS * PS], g[OC * CS * CS], I[OC][CS][CS], U[OC][PS][PS];
    int bad = 0, off_max = 0;
    double spikes = 0, grads = 0;
    for (int b = 0; b < B; b++) {
        memset(U, 0, sizeof U);
        for (int tt = 0; tt < T; tt++) {
            trainer_probe(t, 0, 0, b, tt, x, &err);
            trainer_probe(t, 0, 2, b, tt, s, &err);
            trainer_probe(t, 1, 0, b, tt, g, &err);
            for (int c = 0; c < OC; c++)
                for (int y = 0; y < CS; y++)
                    for (int xx = 0; xx < CS; xx++) {
                        double a = trainer_param(t, 0, 0, OC * 9 + c); /* bias */
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++)
                                a += trainer_param(t, 0, 0, c * 9 + ky * 3 + kx) * x[(y + ky) * IS + xx + kx];
                        I[c][y][xx] = a;
                    }
            for (int c = 0; c < OC; c++)
                for (int py = 0; py < PS; py++)
                    for (int px = 0; px < PS; px++) {
                        int my = 2 * py, mx = 2 * px; /* first maximum, taps in (ky, kx) order */
                        for (int ky = 0; ky < 2; ky++)
                            for (int kx = 0; kx < 2; kx++)
                                if (I[c][2 * py + ky][2 * px + kx] > I[c][my][mx])
                                    my = 2 * py + ky, mx = 2 * px + kx;
                        double p = U[c][py][px];
                        U[c][py][px] = net.beta * p + I[c][my][mx] - (p > net.theta ? net.theta : 0);
                        double sp = U[c][py][px] > net.theta;
                        spikes += sp;
                        bad += sp != s[(c * PS + py) * PS + px];
                        for (int ky = 0; ky < 2; ky++)
                            for (int kx = 0; kx < 2; kx++) {
                                int y = 2 * py + ky, xx = 2 * px + kx;
                                double gv = g[(c * CS + y) * CS + xx];
                                grads += gv != 0;
                                off_max += gv != 0 && (y != my || xx != mx);
                            }
                    }
        }
    }
    CU_ASSERT(bad == 0);
    CU_ASSERT(off_max == 0);
    CU_ASSERT(spikes > 0.05 * B * T * OC * PS * PS); /* the pooled neurons are active */
    CU_ASSERT(grads > 0);
    trainer_data_free(&d);
    trainer_free(t);
}

/* ---- trace densities against a dense recount ------------------------------------ */

static long tiles_of(const double *v, long n, int g, double thr)
{
    long cnt = 0;
    for (long s0 = 0; s0 < n; s0 += g) {
        int any = 0;
        for (long i = s0; i < n && i < s0 + g; i++)
            any |= fabs(v[i]) > thr;
        cnt += any;
    }
    return cnt;
}

/* Nonzero pattern (C×H×W) of the currents conv2 of conv_pool_lif_net
 * passes to pool2 when only its centre tap of input channel 0 is left and
 * its biases are zero: channel oc is nonzero where pool1's channel 0
 * spiked. */
static void conv2_currents_nz(const trainer *t, int b, int tt, double *out)
{
    double s1[3 * 4 * 4];
    snnex_err err;
    CU_ASSERT_FATAL(trainer_probe(t, 0, 2, b, tt, s1, &err) == SNNEX_OK);
    for (int oc = 0; oc < 4; oc++)
        for (int p = 0; p < 16; p++)
            out[oc * 16 + p] = s1[p] != 0;
}

/* Conv nets (2 channels, so C×H×W tile order matters), binary spikes:
 * every density and tile occupancy of the trace equals a recount from the
 * dense probed values of the same batch. With the neurons after the pools
 * (pool_lif), the currents a conv passes to its pool cannot be probed after
 * the backward pass; they are recorded as the conv's output and the pool's
 * input alike: conv1's are all nonzero (every current has a bias), conv2
 * keeps one tap and no bias so that its currents have zeros (and tiles
 * without a nonzero) where pool1's channel 0 did not spike. */
static void trace_recount(int pool_lif)
{
    enum { B = 3, T = 4 };
    snnex_network net;
    snnex_training tc;
    if (pool_lif)
        conv_pool_lif_net(&net, SNNEX_POOL_MAX);
    else
        conv_net(&net, SNNEX_POOL_MAX, 0);
    train_cfg(&tc, T, B);
    tc.surrogate_slope = 25;
    trainer *t = spiking_trainer(&net, &tc);
    snnex_err err;
    if (pool_lif) { /* conv2 (4 out, 3 in, 3x3): keep w[oc][0][1][1] = 1, biases 0; conv1 quieter */
        for (long i = 0; i < trainer_param_count(t, 2); i++)
            trainer_param_set(t, 2, 0, i, i < 4 * 27 && i % 27 == 4 ? 1.0 : 0.0);
        for (long i = 0; i < trainer_param_count(t, 0); i++)
            trainer_param_set(t, 0, 0, i, trainer_param(t, 0, 0, i) / 3);
    }
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(B, 2, net.in_h, net.in_w, 3, 9, 0, &d, &err) == SNNEX_OK);
    int idx[B] = {0, 1, 2};
    double loss;
    trainer_trace_record(t, 1);
    CU_ASSERT_FATAL(trainer_loss_grad(t, &d, idx, B, 0, &loss, &err) == SNNEX_OK);
    snnex_trace tr;
    CU_ASSERT_FATAL(snnex_trace_alloc(&tr, &net, T, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_trace_fill(t, &tr, &err) == SNNEX_OK);
    CU_ASSERT(tr.batches == 1);
    ASSERT_CLOSE(tr.du_threshold, 1e-3, 1e-12);
    snnex_network inf = net;
    CU_ASSERT_FATAL(snnex_network_infer(&inf, "", &err) == SNNEX_OK);
    double v[512];
    double active = 0;
    for (int l = 0; l < inf.n_layers; l++) {
        const snnex_layer *L = &inf.layers[l];
        int cur_out = L->weights && !L->spiking, cur_in = l > 0 && inf.layers[l - 1].weights &&
                                                           !inf.layers[l - 1].spiking;
        for (int tt = 0; tt < T; tt++) {
            const snnex_trace_point *p = &tr.p[l * T + tt];
            double in = 0, out = 0, du = 0, dut = 0, intile[4] = {0}, dutile[4] = {0};
            for (int b = 0; b < B; b++) {
                if (cur_in && l == 3) {
                    CU_ASSERT(trainer_probe(t, 0, l, b, tt, v, &err) == SNNEX_EINVAL);
                    conv2_currents_nz(t, b, tt, v);
                    for (long i = 0; i < L->in_size; i++)
                        in += v[i] != 0;
                    for (int g = 0; g < 4; g++)
                        intile[g] += tiles_of(v, L->in_size, snnex_trace_g[g], 0);
                } else if (cur_in) {
                    CU_ASSERT(trainer_probe(t, 0, l, b, tt, v, &err) == SNNEX_EINVAL);
                    in += L->in_size;
                    for (int g = 0; g < 4; g++)
                        intile[g] += (L->in_size + snnex_trace_g[g] - 1) / snnex_trace_g[g];
                } else {
                    CU_ASSERT_FATAL(trainer_probe(t, 0, l, b, tt, v, &err) == SNNEX_OK);
                    for (long i = 0; i < L->in_size; i++)
                        in += v[i] != 0;
                    for (int g = 0; g < 4; g++)
                        intile[g] += tiles_of(v, L->in_size, snnex_trace_g[g], 0);
                }
                if (cur_out && l == 2) {
                    conv2_currents_nz(t, b, tt, v);
                    for (long i = 0; i < L->out_size; i++)
                        out += v[i] != 0;
                } else if (cur_out) {
                    out += L->out_size;
                } else if (l + 1 < inf.n_layers) {
                    trainer_probe(t, 0, l + 1, b, tt, v, &err);
                    for (long i = 0; i < L->out_size; i++)
                        out += v[i] != 0;
                }
                if (L->weights || L->spiking) {
                    trainer_probe(t, 1, l, b, tt, v, &err);
                    for (long i = 0; i < L->out_size; i++) {
                        du += v[i] != 0;
                        dut += fabs(v[i]) > (double)(float)(1e-3 / B); /* per-sample δU > 1e-3, float like the engine */
                    }
                    for (int g = 0; g < 4; g++)
                        dutile[g] += tiles_of(v, L->out_size, snnex_trace_g[g], (double)(float)(1e-3 / B));
                }
            }
            ASSERT_CLOSE(p->in_density, in / (B * L->in_size), 1e-12);
            if (l + 1 < inf.n_layers)
                ASSERT_CLOSE(p->out_density, out / (B * L->out_size), 1e-12);
            ASSERT_CLOSE(p->du_exact, du / (B * L->out_size), 1e-12);
            ASSERT_CLOSE(p->du_thr, dut / (B * L->out_size), 1e-12);
            for (int g = 0; g < 4; g++) {
                long groups = (L->in_size + snnex_trace_g[g] - 1) / snnex_trace_g[g];
                long ogroups = (L->out_size + snnex_trace_g[g] - 1) / snnex_trace_g[g];
                ASSERT_CLOSE(p->in_tile[g], intile[g] / (B * groups), 1e-12);
                ASSERT_CLOSE(p->du_tile[g], dutile[g] / (B * ogroups), 1e-12);
            }
            CU_ASSERT(p->grad_density >= 0 && p->grad_density <= 1);
            if (l == 0)
                CU_ASSERT(p->grad_density == 0); /* nothing below the first layer */
            active += p->out_density;
        }
    }
    CU_ASSERT(active > 0);
    if (pool_lif) { /* at t = 0 conv2's currents have zeros, and 4-tiles without a nonzero */
        CU_ASSERT(tr.p[3 * T].in_density > 0 && tr.p[3 * T].in_density < 0.9);
        CU_ASSERT(tr.p[3 * T].in_tile[1] < 1);
    }
    snnex_trace_free(&tr);
    trainer_data_free(&d);
    trainer_free(t);
}

static void test_trace_recount(void)
{
    trace_recount(0);
    trace_recount(1);
}

/* ---- determinism ---------------------------------------------------------------- */

/* Three recorded steps; returns the trace text (malloc'ed). */
/* kind 0: fc net; 1: conv net, scatter; 2: conv net, im2col + GEMM; 3:
 * conv net with the neurons after the pools. */
static char *trace_text(int threads, int kind)
{
    snnex_network net;
    snnex_training tc;
    int classes = kind ? 3 : 4;
    if (kind == 3)
        conv_pool_lif_net(&net, SNNEX_POOL_MAX);
    else if (kind)
        conv_net(&net, SNNEX_POOL_MAX, 0);
    else
        fc_net(&net, 8, 40, 4);
    train_cfg(&tc, 6, 16);
    trainer_opts o;
    trainer_opts_default(&o);
    o.threads = threads;
    o.conv_gemm = kind == 1 || kind == 2 ? kind - 1 : -1;
    trainer *t;
    snnex_err err;
    trainer_data d;
    if (trainer_alloc(&t, &net, &tc, classes, &o, &err) ||
        trainer_data_synthetic(48, net.in_c, net.in_h, net.in_w, classes, 2, 0, &d, &err))
        return NULL;
    if (kind)
        scale_weights(t, net.n_layers, 3.0);
    trainer_trace_record(t, 1);
    int idx[16];
    for (int s = 0; s < 3; s++) {
        for (int i = 0; i < 16; i++)
            idx[i] = s * 16 + i;
        trainer_step(t, &d, idx, 16, 0, NULL, &err);
    }
    snnex_trace tr;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    snnex_trace_alloc(&tr, &net, 6, &err);
    trainer_trace_fill(t, &tr, &err);
    snnex_trace_write(&tr, &net, f, &err);
    for (int l = 0; l < net.n_layers; l++) /* weights after 3 updates */
        for (long i = 0; i < trainer_param_count(t, l); i++)
            fprintf(f, "%a\n", trainer_param(t, l, 0, i));
    fclose(f);
    snnex_trace_free(&tr);
    trainer_data_free(&d);
    trainer_free(t);
    return buf;
}

static void test_deterministic(void)
{
    static const char *const sig[] = {
        "# network=in=1x8x8;flatten;fc40;fc4;T=6\n", "# network=in=2x6x6;conv3k3s1p1;maxpool2s2;conv4k2s1p0;",
        "# network=in=2x6x6;conv3k3s1p1;maxpool2s2;conv4k2s1p0;",
        "# network=in=2x8x8;conv3k3s1p1-lif;maxpool2s2+lif;conv4k3s1p1-lif;maxpool2s2+lif;flatten;fc3;T=6\n"};
    for (int kind = 0; kind < 4; kind++) {
        char *a = trace_text(2, kind), *b = trace_text(2, kind), *c = trace_text(1, kind);
        CU_ASSERT_FATAL(a && b && c);
        CU_ASSERT(strcmp(a, b) == 0); /* same seed, same threads */
        CU_ASSERT(strcmp(a, c) == 0); /* and any thread count */
        CU_ASSERT(strstr(a, sig[kind]) != NULL);
        free(a), free(b), free(c);
    }
}

/* ---- checkpoints ----------------------------------------------------------------- */

static void test_checkpoint(void)
{
    snnex_network net, other;
    snnex_training tc;
    fc_net(&net, 4, 6, 3);
    fc_net(&other, 4, 7, 3);
    train_cfg(&tc, 4, 4);
    trainer *t, *u, *w;
    snnex_err err;
    trainer_data d;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, 3, NULL, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_data_synthetic(4, 1, 4, 4, 3, 1, 0, &d, &err) == SNNEX_OK);
    int idx[4] = {0, 1, 2, 3};
    trainer_step(t, &d, idx, 4, 0, NULL, &err);
    char path[] = "/tmp/snnex_t_ckptXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    CU_ASSERT_FATAL(trainer_save(t, path, &err) == SNNEX_OK);
    tc.seed = 99; /* different init: load must overwrite it */
    CU_ASSERT_FATAL(trainer_alloc(&u, &net, &tc, 3, NULL, &err) == SNNEX_OK);
    CU_ASSERT(trainer_load(u, path, &err) == SNNEX_OK);
    int same = 1;
    for (int l = 1; l < 3; l++)
        for (long i = 0; i < trainer_param_count(t, l); i++)
            for (int which = 0; which < 4; which += which == 0 ? 2 : 1)
                same &= trainer_param(t, l, which, i) == trainer_param(u, l, which, i);
    CU_ASSERT(same);
    /* another network */
    CU_ASSERT_FATAL(trainer_alloc(&w, &other, &tc, 3, NULL, &err) == SNNEX_OK);
    CU_ASSERT(trainer_load(w, path, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "another network") != NULL);
    CU_ASSERT(strcmp(err.file, path) == 0);
    /* one flipped byte in the payload */
    FILE *f = fopen(path, "r+b");
    fseek(f, 80, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, 80, SEEK_SET);
    fputc(ch ^ 0x10, f);
    fclose(f);
    CU_ASSERT(trainer_load(u, path, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "corrupt") != NULL);
    /* not a checkpoint at all */
    f = fopen(path, "wb");
    fputs("hello", f);
    fclose(f);
    CU_ASSERT(trainer_load(u, path, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "not an snnex checkpoint") != NULL);
    remove(path);
    trainer_free(t), trainer_free(u), trainer_free(w);
    trainer_data_free(&d);
}

/* Read a whole (small) file; *n its length. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *p = malloc(1 << 20);
    *n = fread(p, 1, 1 << 20, f);
    fclose(f);
    return p;
}

/* Write p[0..n) to path with the trailing crc32 recomputed, so the
 * reader's checks behind the CRC are reached. */
static void write_with_crc(const char *path, unsigned char *p, size_t n)
{
    uint32_t crc = (uint32_t)crc32(0L, p, (uInt)(n - 4));
    memcpy(p + n - 4, &crc, 4);
    FILE *f = fopen(path, "wb");
    fwrite(p, 1, n, f);
    fclose(f);
}

/* A checkpoint with a valid CRC but hostile content is rejected with
 * EINVAL and the reason, and changes nothing in the trainer (before the
 * fix every case below but the long file loaded, or half-loaded). Layout
 * (trainer.c): magic 8, version 4, signature length 4 at 12, signature at
 * 16, then optimizer, epochs done (u32), optimizer steps (i64), trainable
 * layers (u32), per trainable layer u64 n + 3·n floats, crc 4. */
static void test_checkpoint_hostile(void)
{
    snnex_network net;
    snnex_training tc;
    fc_net(&net, 4, 6, 3); /* trainable layers 1 (16·6 + 6 = 102) and 2 (6·3 + 3 = 21) */
    train_cfg(&tc, 4, 4);
    trainer *t, *u;
    snnex_err err;
    trainer_data d;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, 3, NULL, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_data_synthetic(4, 1, 4, 4, 3, 1, 0, &d, &err) == SNNEX_OK);
    int idx[4] = {0, 1, 2, 3};
    trainer_step(t, &d, idx, 4, 0, NULL, &err);
    char dir[] = "/tmp/snnex_t_hckXXXXXX", good[600], bad[600];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(good, sizeof good, "%s/good.ckpt", dir);
    snprintf(bad, sizeof bad, "%s/bad.ckpt", dir);
    CU_ASSERT_FATAL(trainer_save(t, good, &err) == SNNEX_OK);
    size_t n;
    unsigned char *ref = slurp(good, &n), *p = malloc(n + 65536);
    uint32_t sl;
    memcpy(&sl, ref + 12, 4);
    size_t o_ep = 16 + sl + 4, o_step = o_ep + 4, o_nt = o_step + 8, o_l1 = o_nt + 4;
    size_t o_l2 = o_l1 + 8 + 3 * 102 * 4;
    CU_ASSERT_FATAL(n == o_l2 + 8 + 3 * 21 * 4 + 4);
    tc.seed = 99;
    CU_ASSERT_FATAL(trainer_alloc(&u, &net, &tc, 3, NULL, &err) == SNNEX_OK);
    double w0 = trainer_param(u, 1, 0, 0), w0_t = trainer_param(t, 1, 0, 0);
    CU_ASSERT_FATAL(w0 != w0_t);
    enum { U32, I64, U64, F32 };
    struct {
        size_t off;
        int type;
        double v;
        const char *msg;
    } cases[] = {
        {o_ep, U32, 4294967295.0, "inconsistent (4294967295 epochs done"},
        {o_step, I64, -1, "inconsistent (0 epochs done, -1 optimizer steps)"},
        {o_nt, U32, 7, "has 7 layers with weights, the config's network 2"},
        {o_l2, U64, 1152921504606846976.0, "layer 2 has 1152921504606846976 parameters, the config's 21"},
        {o_l1 + 8 + 5 * 4, F32, NAN, "layer 1 weight 5 is nan"},             /* weights start after n */
        {o_l1 + 8 + 2 * 102 * 4 + 3 * 4, F32, -1, "layer 1 optimizer state 2 3 is -1"}, /* Adam v */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        memcpy(p, ref, n);
        uint32_t u32 = (uint32_t)cases[c].v;
        int64_t i64 = (int64_t)cases[c].v;
        uint64_t u64 = (uint64_t)cases[c].v;
        float f32 = (float)cases[c].v;
        const void *src[] = {&u32, &i64, &u64, &f32};
        static const size_t len[] = {4, 8, 8, 4};
        memcpy(p + cases[c].off, src[cases[c].type], len[cases[c].type]);
        write_with_crc(bad, p, n);
        CU_ASSERT(trainer_load(u, bad, &err) == SNNEX_EINVAL);
        if (!strstr(err.msg, cases[c].msg))
            fprintf(stderr, "\n  case %zu: got '%s', want '%s'\n", c, err.msg, cases[c].msg);
        CU_ASSERT(strstr(err.msg, cases[c].msg) != NULL);
        CU_ASSERT(strcmp(err.file, bad) == 0);
        CU_ASSERT(trainer_param(u, 1, 0, 0) == w0); /* nothing was applied */
        CU_ASSERT(trainer_epochs_done(u) == 0);
    }
    /* longer than any checkpoint of this net (signature up to 255 bytes):
     * refused by its length; /dev/zero the same, without reading it all */
    memcpy(p, ref, n);
    memset(p + n, 0, 65536);
    write_with_crc(bad, p, n + 65536);
    CU_ASSERT(trainer_load(u, bad, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "longer than") != NULL);
    CU_ASSERT(trainer_load(u, "/dev/zero", &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "not an snnex checkpoint") != NULL);
    CU_ASSERT(trainer_load(u, dir, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "is a directory") != NULL);
    /* every truncation: rejected, never read past the end (ASan) */
    int all = 1;
    for (size_t cut = 0; cut < n; cut++) {
        FILE *f = fopen(bad, "wb");
        fwrite(ref, 1, cut, f);
        fclose(f);
        all &= trainer_load(u, bad, &err) == SNNEX_EINVAL;
    }
    CU_ASSERT(all);
    CU_ASSERT(trainer_param(u, 1, 0, 0) == w0);
    /* and the untouched file still loads */
    CU_ASSERT(trainer_load(u, good, &err) == SNNEX_OK);
    CU_ASSERT(trainer_param(u, 1, 0, 0) == w0_t);
    remove(good), remove(bad), rmdir(dir);
    free(ref), free(p);
    trainer_free(t), trainer_free(u);
    trainer_data_free(&d);
}

/* ---- data files ----------------------------------------------------------------------- */

/* Write an IDX pair for n 2×2 images into dir (gzip), optionally cutting
 * the image payload short by `cut` bytes. */
static void write_idx(const char *dir, int n, int cut)
{
    char p[512];
    unsigned char hdr[16] = {0, 0, 8, 3, 0, 0, 0, (unsigned char)n, 0, 0, 0, 2, 0, 0, 0, 2};
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte.gz", dir);
    gzFile g = gzopen(p, "wb");
    gzwrite(g, hdr, 16);
    for (int i = 0; i < 4 * n - cut; i++)
        gzputc(g, i * 7);
    gzclose(g);
    unsigned char lh[8] = {0, 0, 8, 1, 0, 0, 0, (unsigned char)n};
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte.gz", dir);
    g = gzopen(p, "wb");
    gzwrite(g, lh, 8);
    for (int i = 0; i < n; i++)
        gzputc(g, i % 3);
    gzclose(g);
}

static void test_data_errors(void)
{
    trainer_data d;
    snnex_err err;
    CU_ASSERT(trainer_data_load_fmnist("/nonexistent/dir", 0, 0, &d, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.file, "/nonexistent/dir/train-images-idx3-ubyte.gz") != NULL);
    CU_ASSERT(strstr(err.msg, "cannot open") != NULL);
    char dir[] = "/tmp/snnex_t_dataXXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    write_idx(dir, 5, 0);
    CU_ASSERT(trainer_data_load_fmnist(dir, 0, 0, &d, &err) == SNNEX_OK);
    CU_ASSERT(d.n == 5 && d.h == 2 && d.w == 2 && d.x[5] == 35 && d.y[4] == 1);
    trainer_data_free(&d);
    write_idx(dir, 5, 3); /* truncated pixels */
    CU_ASSERT(trainer_data_load_fmnist(dir, 0, 0, &d, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "truncated") != NULL);
    char p[600];
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte.gz", dir);
    FILE *f = fopen(p, "wb"); /* not gzip, not IDX */
    fputs("this is not an idx file at all", f);
    fclose(f);
    CU_ASSERT(trainer_data_load_fmnist(dir, 0, 0, &d, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "not an IDX file") != NULL);
    CU_ASSERT(strcmp(err.file, p) == 0);
    write_idx(dir, 5, 0);
    f = fopen(p, "r+b"); /* damage the deflate stream */
    fseek(f, 25, SEEK_SET);
    fputc(0xff, f), fputc(0x00, f), fputc(0xff, f);
    fclose(f);
    CU_ASSERT(trainer_data_load_fmnist(dir, 0, 0, &d, &err) == SNNEX_EINVAL);
    remove(p);
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte.gz", dir);
    remove(p);
    rmdir(dir);
}

/* ---- a short training run -------------------------------------------------------------- */

static void test_training_learns(void)
{
    snnex_network net;
    snnex_training tc;
    fc_net(&net, 8, 32, 4);
    train_cfg(&tc, 8, 32);
    tc.surrogate_slope = 25;
    trainer *t;
    snnex_err err;
    trainer_data d, te;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, 4, NULL, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_data_synthetic(256, 1, 8, 8, 4, 4, 0, &d, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_data_synthetic(128, 1, 8, 8, 4, 4, 1, &te, &err) == SNNEX_OK);
    trainer_stats first, last, ev;
    CU_ASSERT(trainer_train_epoch(t, &d, 0, NULL, NULL, &first, &err) == SNNEX_OK);
    for (int e = 1; e < 6; e++)
        trainer_train_epoch(t, &d, e, NULL, NULL, &last, &err);
    CU_ASSERT(trainer_epochs_done(t) == 6);
    CU_ASSERT(last.loss < 0.7 * first.loss);
    CU_ASSERT(trainer_evaluate(t, &te, &ev, &err) == SNNEX_OK);
    CU_ASSERT(ev.samples == 128);
    CU_ASSERT((double)ev.correct / ev.samples > 0.6); /* chance is 0.25 */
    trainer_data_free(&d);
    trainer_data_free(&te);
    trainer_free(t);
}

/* ---- the command line -------------------------------------------------------------------- */

static void test_cli(void)
{
    char *out, *errs;
    CU_ASSERT(test_run_snnex("train", &out, &errs) == 1);
    CU_ASSERT(strstr(errs, "snnex: error: missing the config file") != NULL);
    free(out), free(errs);
    CU_ASSERT(test_run_snnex("train x.cfg --epochs 0", &out, &errs) == 1);
    CU_ASSERT(strstr(errs, "snnex: error: --epochs") != NULL);
    free(out), free(errs);
    CU_ASSERT(test_run_snnex("train x.cfg --bogus", &out, &errs) == 1);
    free(out), free(errs);
    char cfg[] = "/tmp/snnex_t_cfgXXXXXX";
    int fd = mkstemp(cfg);
    const char *text =
        "network = { input = [1, 8, 8];\n"
        "  layers = ( { type = \"flatten\"; }, { type = \"fc\"; out = 16; }, { type = \"fc\"; out = 4; } ); };\n"
        "training = { T = 4; batch = 16; lr = 1e-2; dataset = \"synthetic\"; train_limit = 64;\n"
        "  test_limit = 32; epochs = 1; };\n";
    CU_ASSERT(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    char args[1400], trace[600];
    snprintf(trace, sizeof trace, "%s.trace.csv", cfg);
    snprintf(args, sizeof args, "train %s -o %s --threads 2", cfg, trace);
    CU_ASSERT(test_run_snnex(args, &out, &errs) == 0);
    CU_ASSERT(strstr(out, "test_accuracy=") != NULL && strstr(out, "train_seconds=") != NULL);
    CU_ASSERT(errs[0] == 0); /* quiet when stderr is not a terminal */
    free(out), free(errs);
    FILE *f = fopen(trace, "r");
    CU_ASSERT(f != NULL);
    if (f)
        fclose(f);
    snprintf(args, sizeof args, "train %s --resume /nonexistent.ckpt", cfg);
    CU_ASSERT(test_run_snnex(args, &out, &errs) == 1);
    CU_ASSERT(strstr(errs, "/nonexistent.ckpt: error:") != NULL);
    free(out), free(errs);
    remove(trace);
    remove(cfg);
}

/* Write text to DIR/NAME; path receives the file's path. */
static void write_text(const char *dir, const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* 1 if every entry of dir (but . and ..) is one of names[0..n-1]. */
static int dir_has_only(const char *dir, const char *const *names, int n)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int ok = 1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        int known = 0;
        for (int i = 0; i < n; i++)
            known |= !strcmp(e->d_name, names[i]);
        if (!known)
            fprintf(stderr, "\n  unexpected file %s/%s\n", dir, e->d_name);
        ok &= known;
    }
    closedir(d);
    return ok;
}

/* Run SNNEX_BIN argv[1..] in a child, stdout and stderr into out/errs
 * (malloc'ed; captured in files under dir). fsize_bytes > 0 limits the
 * size its files may grow to (RLIMIT_FSIZE; SIGXFSZ ignored, so a write
 * past the limit fails with EFBIG, as on a full disk, instead of killing
 * it); cwd (if not NULL) is its working directory; env (if not NULL) is
 * one NAME=VALUE added to its environment. Killed after 300 s. Returns the
 * exit status, -1 if it did not exit. */
static int run_child(char *const argv[], long fsize_bytes, const char *cwd, const char *env, const char *dir,
                     char **out, char **errs)
{
    char of[600], ef[600], bin[4096];
    snprintf(of, sizeof of, "%s/stdout.txt", dir);
    snprintf(ef, sizeof ef, "%s/stderr.txt", dir);
    if (!realpath(SNNEX_BIN, bin)) /* SNNEX_BIN is relative to the repo root */
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(of, O_WRONLY | O_CREAT | O_TRUNC, 0644), fe = open(ef, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || (cwd && chdir(cwd)) || (env && putenv((char *)env)))
            _exit(126);
        if (fsize_bytes > 0) {
            struct rlimit rl = {(rlim_t)fsize_bytes, (rlim_t)fsize_bytes};
            signal(SIGXFSZ, SIG_IGN);
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        alarm(300); /* a guard against a regression that trains for hours, not a timing test */
        execv(bin, argv);
        _exit(127);
    }
    int st = -1;
    waitpid(pid, &st, 0);
    char *bufs[2];
    const char *names[2] = {of, ef};
    for (int i = 0; i < 2; i++) {
        bufs[i] = calloc(1, 4097);
        FILE *f = fopen(names[i], "r");
        if (f) {
            size_t n = fread(bufs[i], 1, 4096, f);
            bufs[i][n] = 0;
            fclose(f);
        }
        remove(names[i]);
    }
    *out = bufs[0], *errs = bufs[1];
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Every output path is checked before the data are loaded or a batch is
 * trained: the config points at a data directory that does not exist, so
 * any error about the output proves the check came first (before the fix,
 * `-o /nonexistent/t.csv` loaded the data and trained, then failed with
 * "cannot create output file", and `--save` failed after epoch 1). Exit 1
 * (bad input); the message names the path and strerror's reason. */
static void test_cli_outputs_checked_first(void)
{
    char dir[] = "/tmp/snnex_t_outsXXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char cfg[600], text[1400], args[2600], want[1400], file_as_dir[700];
    snprintf(text, sizeof text,
             "network = { input = [1, 8, 8];\n"
             "  layers = ( { type = \"flatten\"; }, { type = \"fc\"; out = 16; }, { type = \"fc\"; out = 4; } ); };\n"
             "training = { T = 4; batch = 16; dataset = \"fashion-mnist\"; data_dir = \"%s/no-data\";\n"
             "  epochs = 10000; };\n",
             dir);
    write_text(dir, "t.cfg", text, cfg, sizeof cfg);
    snprintf(file_as_dir, sizeof file_as_dir, "%s/x.csv", cfg); /* the config is a file, not a directory */
    struct {
        const char *opt, *path, *what, *reason, *advice;
    } cases[] = {
        {"-o", "/nonexistent/t.csv", "trace", strerror(ENOENT), "create the directory or choose another -o"},
        {"--save", "/nonexistent/t.ckpt", "checkpoint", strerror(ENOENT),
         "create the directory or choose another --save"},
        {"-o", file_as_dir, "trace", strerror(ENOTDIR), "create the directory or choose another -o"},
        {"-o", dir, "trace", "it is a directory", "give -o a file path"},
        {"--save", dir, "checkpoint", "it is a directory", "give --save a file path"},
        {"-o", "/dev/null", "trace", "it exists and is not a regular file", "give -o a file path"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *errs;
        snprintf(args, sizeof args, "train %s %s %s", cfg, cases[i].opt, cases[i].path);
        CU_ASSERT(test_run_snnex(args, &out, &errs) == 1);
        snprintf(want, sizeof want, "snnex: error: cannot write %s %s: %s; %s\n", cases[i].what, cases[i].path,
                 cases[i].reason, cases[i].advice);
        if (strcmp(errs, want))
            fprintf(stderr, "\n  %s\n  got:  %s  want: %s", args, errs, want);
        CU_ASSERT(strcmp(errs, want) == 0); /* the one line, nothing about the data */
        CU_ASSERT(out[0] == 0);
        free(out), free(errs);
    }
    /* synthetic data, 10 000 epochs of 100 000 samples (hours): the error
     * comes at once, nothing is printed (stdout empty, no progress) */
    char cfg2[600];
    write_text(dir, "long.cfg",
               "network = { input = [1, 8, 8];\n"
               "  layers = ( { type = \"flatten\"; }, { type = \"fc\"; out = 16; }, { type = \"fc\"; out = 4; } ); };\n"
               "training = { T = 4; batch = 16; dataset = \"synthetic\"; train_limit = 100000; epochs = 10000; };\n",
               cfg2, sizeof cfg2);
    {
        char *argv[] = {SNNEX_BIN, "train", cfg2, "--save", "/nonexistent/t.ckpt", NULL};
        char *o2, *e2;
        CU_ASSERT(run_child(argv, 0, NULL, NULL, dir, &o2, &e2) == 1);
        snprintf(want, sizeof want, "snnex: error: cannot write checkpoint /nonexistent/t.ckpt: %s; create the "
                 "directory or choose another --save\n", strerror(ENOENT));
        CU_ASSERT(strcmp(e2, want) == 0);
        CU_ASSERT(o2[0] == 0);
        free(o2), free(e2);
    }
    remove(cfg2);
    /* the same file for both */
    char *out, *errs;
    snprintf(args, sizeof args, "train %s -o %s/a --save %s/a", cfg, dir, dir);
    CU_ASSERT(test_run_snnex(args, &out, &errs) == 1);
    CU_ASSERT(strstr(errs, "-o and --save name the same file") != NULL);
    free(out), free(errs);
    /* the probe leaves nothing behind */
    const char *left[] = {"t.cfg"};
    CU_ASSERT(dir_has_only(dir, left, 1));
    remove(cfg);
    rmdir(dir);
}

/* A write failing during the run (here: the file size limit, as a full
 * disk would) exits 2 with strerror's reason and the path, and leaves the
 * previous file as it was, no temp file. Before the fix the checkpoint
 * error said only "cannot write checkpoint". */
static void test_cli_write_fails(void)
{
    char dir[] = "/tmp/snnex_t_wfailXXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char cfg[600], ckpt[600], trace[600], want[800];
    write_text(dir, "t.cfg",
               "network = { input = [1, 8, 8];\n"
               "  layers = ( { type = \"flatten\"; }, { type = \"fc\"; out = 16; }, { type = \"fc\"; out = 4; } ); };\n"
               "training = { T = 4; batch = 16; dataset = \"synthetic\"; train_limit = 32; test_limit = 16;\n"
               "  epochs = 1; };\n",
               cfg, sizeof cfg);
    write_text(dir, "old.ckpt", "old checkpoint\n", ckpt, sizeof ckpt);
    write_text(dir, "old.csv", "old trace\n", trace, sizeof trace);
    /* The checkpoint of fc 64-16-4 holds 3 × (64·16 + 16 + 16·4 + 4) floats
     * = 13 296 bytes > the 4096-byte limit; the trace (~1.7 kB) fits in it. */
    char *argv1[] = {SNNEX_BIN, "train", cfg, "--save", ckpt, NULL};
    char *out, *errs;
    CU_ASSERT(run_child(argv1, 4096, NULL, NULL, dir, &out, &errs) == 2);
    snprintf(want, sizeof want, "%s: error: cannot write checkpoint: %s\n", ckpt, strerror(EFBIG));
    if (strcmp(errs, want))
        fprintf(stderr, "\n  got:  %s  want: %s", errs, want);
    CU_ASSERT(strcmp(errs, want) == 0);
    CU_ASSERT(out[0] == 0);
    free(out), free(errs);
    /* the trace: 1024 bytes is less than it needs */
    char *argv2[] = {SNNEX_BIN, "train", cfg, "-o", trace, NULL};
    CU_ASSERT(run_child(argv2, 1024, NULL, NULL, dir, &out, &errs) == 2);
    snprintf(want, sizeof want, "%s: error: cannot write trace: %s\n", trace, strerror(EFBIG));
    if (strcmp(errs, want))
        fprintf(stderr, "\n  got:  %s  want: %s", errs, want);
    CU_ASSERT(strcmp(errs, want) == 0);
    CU_ASSERT(out[0] == 0);
    free(out), free(errs);
    /* the old files are untouched and no temp file is left */
    char buf[64] = {0};
    FILE *f = fopen(ckpt, "r");
    CU_ASSERT(f && fgets(buf, sizeof buf, f) && !strcmp(buf, "old checkpoint\n"));
    if (f)
        fclose(f);
    f = fopen(trace, "r");
    CU_ASSERT(f && fgets(buf, sizeof buf, f) && !strcmp(buf, "old trace\n"));
    if (f)
        fclose(f);
    const char *left[] = {"t.cfg", "old.ckpt", "old.csv"};
    CU_ASSERT(dir_has_only(dir, left, 3));
    remove(cfg), remove(ckpt), remove(trace);
    rmdir(dir);
}

/* `snnex bench train` needs nothing from the source tree: run from a
 * scratch directory with SNNEX_DATA_DIR pointing nowhere, it falls back to
 * synthetic data and says which variable to set (before the fix the note
 * said "set training.data_dir", a config key bench does not read). */
static void test_bench_train_anywhere(void)
{
    char dir[] = "/tmp/snnex_t_benchXXXXXX", env[700];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(env, sizeof env, "SNNEX_DATA_DIR=%s/no-data", dir);
    char *argv[] = {SNNEX_BIN, "bench", "train", "--net", "fc", "--batches", "1", "--threads", "1", NULL};
    char *out, *errs, want[900];
    CU_ASSERT(run_child(argv, 0, dir, env, dir, &out, &errs) == 0);
    const char *head = "data=synthetic\nnet=fc\nthreads=1\nseconds_per_batch=";
    CU_ASSERT(strncmp(out, head, strlen(head)) == 0);
    CU_ASSERT(strstr(out, "\npeak_rss_mib=") != NULL);
    snprintf(want, sizeof want, "snnex: note: %s/no-data/train-images-idx3-ubyte.gz: cannot open data file: %s; "
             "set SNNEX_DATA_DIR to the Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist); "
             "benchmarking on synthetic 28x28 data\n", dir, strerror(ENOENT));
    if (strcmp(errs, want))
        fprintf(stderr, "\n  got:  %s  want: %s", errs, want);
    CU_ASSERT(strcmp(errs, want) == 0);
    free(out), free(errs);
    rmdir(dir);
}

static const CU_TestInfo tests[] = {
    {"trace densities = dense recount", test_trace_recount},
    {"same seed => byte-identical trace, any thread count", test_deterministic},
    {"checkpoint round trip; corrupt or other-network checkpoints rejected", test_checkpoint},
    {"checkpoints with a valid CRC but hostile content, too long, truncated", test_checkpoint_hostile},
    {"missing, truncated and corrupt data files", test_data_errors},
    {"a short synthetic training run learns", test_training_learns},
    {"snnex train: errors and a synthetic run", test_cli},
    {"snnex train: output paths checked before any work", test_cli_outputs_checked_first},
    {"snnex train: a write failing part-way exits 2, no half-written file", test_cli_write_fails},
    {"snnex bench train runs from any directory", test_bench_train_anywhere},
    {"a forward pass does not depend on the previous backward pass", test_forward_no_stale_state},
    {"training-mode spikes, loss and BPTT gradients = naive simulation", test_naive_fc},
    {"conv → pool of the currents → LIF = naive simulation", test_naive_pool_lif},
    {"BPTT gradients of a tiny fc net = finite differences", test_grad_fc},
    {"BPTT gradients of a tiny conv net = finite differences", test_grad_conv},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_SuiteInfo suites[] = {{"trainer", NULL, NULL, NULL, NULL, (CU_TestInfo *)tests}, CU_SUITE_INFO_NULL};
    if (CU_register_suites(suites) != CUE_SUCCESS)
        return 2;
    return test_finish();
}
