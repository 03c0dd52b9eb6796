/* Tests of the trainer: BPTT gradients against central finite differences
 * (fc and conv nets, every loss, both resets, smooth surrogate forward in
 * double precision), the forward pass against a naive LIF simulation,
 * trace densities against a dense recount, byte-identical traces for the
 * same seed (any thread count), checkpoints, data-file errors, a short
 * training run whose loss falls, and the CLI's errors. */
#include "tests/test_util.h"
#include "trainer/trainer.h"

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

/* Central differences of the loss against the BPTT gradient of every
 * weight: |g − fd| ≤ 1e-4·|fd| + 1e-9 (h = 1e-5, double precision, smooth
 * surrogate forward, reset not detached so BPTT is the exact derivative). */
static void grad_check(const snnex_network *net, const snnex_training *tc, double wscale)
{
    trainer_opts o;
    trainer_opts_default(&o);
    o.f64 = 1, o.smooth = 1, o.reset_detach = 0, o.threads = 1;
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
    static const snnex_loss losses[] = {SNNEX_LOSS_CE_COUNT, SNNEX_LOSS_CE_MEM, SNNEX_LOSS_MSE_COUNT};
    static const snnex_surrogate surr[] = {SNNEX_SURR_FAST_SIGMOID, SNNEX_SURR_ARCTAN, SNNEX_SURR_TRIANGLE};
    for (int li = 0; li < 3; li++)
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
            grad_check(&net, &tc, 3.0);
        }
}

static void test_grad_conv(void)
{
    for (int v = 0; v < 3; v++) {
        snnex_network net;
        snnex_training tc;
        conv_net(&net, v == 1 ? SNNEX_POOL_AVG : SNNEX_POOL_MAX, v == 2);
        net.reset = v == 1 ? SNNEX_RESET_ZERO : SNNEX_RESET_SUBTRACT;
        train_cfg(&tc, 4, 3);
        tc.surrogate_slope = 2;
        tc.encoder = v == 2 ? SNNEX_ENC_RATE : SNNEX_ENC_DIRECT;
        tc.loss = v == 1 ? SNNEX_LOSS_CE_MEM : SNNEX_LOSS_CE_COUNT;
        grad_check(&net, &tc, 2.0);
    }
}


/* ---- training-mode forward and BPTT against a naive dense simulation ---------- */

/* fc 16 → H → C with binary spikes, subtract reset detached, fast sigmoid:
 * the sparse gather, spike-gated weight gradient and blocked weights must
 * give the plain loops' spikes, loss and gradients (double precision). */
static void test_naive_fc(void)
{
    enum { B = 3, T = 6, NI = 16, H = 40, C = 3 };
    snnex_network net;
    snnex_training tc;
    fc_net(&net, 4, H, C);
    train_cfg(&tc, T, B);
    tc.surrogate_slope = 25;
    trainer_opts o;
    trainer_opts_default(&o);
    o.f64 = 1, o.threads = 2;
    trainer *t;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, C, &o, &err) == SNNEX_OK);
    scale_weights(t, net.n_layers, 4.0);
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(B, 1, 4, 4, C, 5, 0, &d, &err) == SNNEX_OK);
    int idx[B] = {0, 1, 2};
    double loss;
    CU_ASSERT_FATAL(trainer_loss_grad(t, &d, idx, B, 0, &loss, &err) == SNNEX_OK);
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
    const double beta = net.beta, th = net.theta, k = tc.surrogate_slope;
    double want_loss = 0, spikes = 0;
    memset(g1, 0, sizeof g1);
    memset(g2, 0, sizeof g2);
    for (int b = 0; b < B; b++) {
        for (int tt = 0; tt < T; tt++) {
            trainer_probe(t, 0, 1, b, tt, x[b][tt], &err);
            trainer_probe(t, 0, 2, b, tt, probe[b][tt], &err);
        }
        double z[C] = {0};
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
                z[c] += U2[b][tt][c] > th;
            }
        }
        double mx = z[0], sum = 0, dz[C];
        for (int c = 1; c < C; c++)
            mx = z[c] > mx ? z[c] : mx;
        for (int c = 0; c < C; c++)
            sum += exp(z[c] - mx);
        int y = d.y[b];
        want_loss += (-(z[y] - mx) + log(sum)) / B;
        for (int c = 0; c < C; c++)
            dz[c] = (exp(z[c] - mx) / sum - (c == y)) / B;
        memset(d1, 0, sizeof d1);
        memset(d2, 0, sizeof d2);
        for (int tt = T - 1; tt >= 0; tt--) {
            for (int c = 0; c < C; c++) {
                double a = 1 + k * fabs(U2[b][tt][c] - th);
                d2[tt][c] = dz[c] / (a * a) + beta * d2[tt + 1][c];
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

static const CU_TestInfo tests[] = {
    {"training-mode spikes, loss and BPTT gradients = naive simulation", test_naive_fc},
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
