/* The trainer on the network model beyond feed-forward LIF layers (issue
 * 17): BPTT through recurrent lif/if/cubalif layers, li readouts and sum
 * pools against finite differences, the forward pass against a naive
 * simulation, a recurrent net's trace against a dense recount (and traces
 * of other networks rejected), and what it cannot train rejected at the
 * layer's line. Counts and config: test_netmodel.c; the temporal data set
 * and the shipped Braille net: test_netmodel_data.c. */
#include "estimator/estimator.h"
#include "trainer/trainer.h"
#include "test_util.h"

#include <stdlib.h>

static void load(const char *src, snnex_config *cfg)
{
    snnex_err err;
    snnex_status st = snnex_config_load_string(src, "t.cfg", cfg, &err);
    if (st)
        fprintf(stderr, "\n  %s:%d: %s\n", err.file, err.line, err.msg);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
}

/* ---- the trainer ------------------------------------------------------------------- */

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
    n->beta = 0.9, n->theta = 1.0, n->alpha = 0.8, n->reset = SNNEX_RESET_SUBTRACT;
}

static void train_cfg(snnex_training *t, int T, int batch)
{
    memset(t, 0, sizeof *t);
    t->T = T, t->batch = batch, t->optimizer = SNNEX_OPT_ADAM, t->lr = 1e-2;
    t->adam_beta1 = 0.9, t->adam_beta2 = 0.999, t->adam_eps = 1e-8, t->momentum = 0.9;
    t->encoder = SNNEX_ENC_RATE, t->loss = SNNEX_LOSS_CE_COUNT;
    t->surrogate = SNNEX_SURR_FAST_SIGMOID, t->surrogate_slope = 2;
    t->du_threshold = 1e-3, t->seed = 7, t->epochs = 1;
}

/* flatten → fc hidden (neuron h, recurrent rec) → fc classes (neuron o) on
 * a 1×3×3 input */
static void rec_net(snnex_network *n, snnex_neuron h, int rec, snnex_neuron o)
{
    net_init(n, 1, 3, 3);
    add(n, SNNEX_LAYER_FLATTEN);
    snnex_layer *L = add(n, SNNEX_LAYER_FC);
    L->out_features = 5, L->neuron = h, L->recurrent = rec;
    L = add(n, SNNEX_LAYER_FC);
    L->out_features = 3, L->neuron = o;
}

static void scale_weights(trainer *t, int n_layers, double f)
{
    for (int l = 0; l < n_layers; l++)
        for (long i = 0; i < trainer_param_count(t, l); i++)
            trainer_param_set(t, l, 0, i, f * trainer_param(t, l, 0, i));
}

/* Central differences of the loss against the BPTT gradient of every
 * parameter (the recurrent matrix included): |g − fd| ≤ 1e-4·|fd| + 1e-9,
 * h = 1e-5, double precision, smooth surrogate forward, reset not detached
 * (so BPTT is the exact derivative) — the criterion of test_trainer.c. */
static void grad_check(const snnex_network *net, const snnex_training *tc, double wscale, int conv_gemm)
{
    trainer_opts o;
    trainer_opts_default(&o);
    o.f64 = 1, o.smooth = 1, o.reset_detach = 0, o.threads = 1, o.conv_gemm = conv_gemm;
    trainer *t;
    snnex_err err;
    int classes = net->layers[net->n_layers - 1].out_features;
    snnex_status st = trainer_alloc(&t, net, tc, classes, &o, &err);
    if (st)
        fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_FATAL(st == SNNEX_OK);
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
            if (!(fabs(g[i] - fd) <= 1e-4 * fabs(fd) + 1e-9) && bad++ < 5)
                fprintf(stderr, "\n  layer %d p[%ld]: bptt %.10g fd %.10g", l, i, g[i], fd);
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

/* Through the recurrence: lif, if and cubalif recurrent hidden layers, both
 * resets, the losses; an li readout with ce_membrane; per-layer β/θ/α. The
 * recurrent matrix's 25 parameters are among those checked. */
static void test_grad_recurrent(void)
{
    static const snnex_neuron hid[] = {SNNEX_NEURON_LIF, SNNEX_NEURON_IF, SNNEX_NEURON_CUBALIF};
    static const snnex_loss losses[] = {SNNEX_LOSS_CE_COUNT, SNNEX_LOSS_CE_MEM, SNNEX_LOSS_MSE_COUNT,
                                        SNNEX_LOSS_CE_RATE};
    for (int v = 0; v < 12; v++) {
        snnex_network net;
        snnex_training tc;
        rec_net(&net, hid[v % 3], 1, v % 4 == 3 ? SNNEX_NEURON_CUBALIF : SNNEX_NEURON_LIF);
        net.reset = v / 6 ? SNNEX_RESET_ZERO : SNNEX_RESET_SUBTRACT;
        train_cfg(&tc, 5, 3);
        tc.loss = losses[v % 4];
        tc.surrogate = v % 2 ? SNNEX_SURR_ARCTAN : SNNEX_SURR_FAST_SIGMOID;
        tc.encoder = v % 5 == 1 ? SNNEX_ENC_DIRECT : SNNEX_ENC_RATE;
        grad_check(&net, &tc, 3.0, -1);
    }
    /* li readout (ce_membrane), recurrent cubalif with its own β, θ, α */
    for (int v = 0; v < 2; v++) {
        snnex_network net;
        snnex_training tc;
        rec_net(&net, SNNEX_NEURON_CUBALIF, 1, SNNEX_NEURON_LI);
        net.layers[1].beta = 0.7, net.layers[1].theta = 0.8, net.layers[1].alpha = 0.5;
        net.layers[2].beta = 0.6;
        net.reset = v ? SNNEX_RESET_ZERO : SNNEX_RESET_SUBTRACT;
        train_cfg(&tc, 6, 3);
        tc.loss = SNNEX_LOSS_CE_MEM;
        grad_check(&net, &tc, 3.0, -1);
    }
}

/* Sum pools: conv(k3 p1) → sum pool 2 → flatten → fc, and the neurons
 * after the pool (conv lif = false → sum pool lif = true, if neurons). */
static void test_grad_sum_pool(void)
{
    for (int v = 0; v < 2; v++) {
        snnex_network net;
        snnex_training tc;
        net_init(&net, 2, 6, 6);
        snnex_layer *L = add(&net, SNNEX_LAYER_CONV);
        L->out_channels = 3, L->kernel = 3, L->padding = 1, L->lif = v ? -1 : 0;
        L = add(&net, SNNEX_LAYER_POOL);
        L->kernel = 2, L->stride = 2, L->pool = SNNEX_POOL_SUM, L->lif = v ? 1 : 0;
        L->neuron = v ? SNNEX_NEURON_IF : SNNEX_NEURON_LIF;
        add(&net, SNNEX_LAYER_FLATTEN);
        add(&net, SNNEX_LAYER_FC)->out_features = 3;
        train_cfg(&tc, 4, 3);
        tc.encoder = v ? SNNEX_ENC_RATE : SNNEX_ENC_DIRECT;
        grad_check(&net, &tc, 1.0, v);
    }
}

/* Conv dilation and groups on both conv paths (scatter, im2col + GEMM):
 * conv(4 → 4 channels, k3, dilation 2, padding 2, groups 2, stride 1 or 2)
 * → conv(4 → 2, k2, groups 1 or 2, dilation 1 or 2) → flatten → fc 3 on
 * 4×7×7 (the second conv's input gradient goes through the dilation); the first
 * conv's parameters are [oc][ic/groups][ky][kx]: 4·2·9 = 72 weights + 4
 * biases. */
static void test_grad_dilation_groups(void)
{
    for (int v = 0; v < 4; v++) {
        snnex_network net;
        snnex_training tc;
        net_init(&net, 4, 7, 7);
        snnex_layer *L = add(&net, SNNEX_LAYER_CONV);
        L->out_channels = 4, L->kernel = 3, L->padding = 2, L->dilation = 2, L->groups = 2;
        L->stride = v / 2 ? 2 : 1;
        L = add(&net, SNNEX_LAYER_CONV);
        L->out_channels = 2, L->kernel = 2, L->groups = v % 2 ? 2 : 1, L->dilation = 1 + v % 2;
        add(&net, SNNEX_LAYER_FLATTEN);
        add(&net, SNNEX_LAYER_FC)->out_features = 3;
        train_cfg(&tc, 4, 3);
        tc.encoder = v % 2 ? SNNEX_ENC_RATE : SNNEX_ENC_DIRECT;
        trainer *t;
        snnex_err err;
        CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, 3, NULL, &err) == SNNEX_OK);
        CU_ASSERT_EQUAL(trainer_param_count(t, 0), 4 * 2 * 9 + 4);
        trainer_free(t);
        grad_check(&net, &tc, 2.0, v % 2);
    }
}

/* The two conv paths are separate code (scatter of nonzero inputs' taps;
 * im2col + GEMM): with dilation and groups they compute the same loss and
 * gradients for the same parameters. */
static void test_conv_paths_agree(void)
{
    snnex_network net;
    snnex_training tc;
    net_init(&net, 4, 9, 9);
    snnex_layer *L = add(&net, SNNEX_LAYER_CONV);
    L->out_channels = 6, L->kernel = 3, L->padding = 1, L->dilation = 3, L->groups = 2, L->stride = 2;
    L = add(&net, SNNEX_LAYER_CONV);
    L->out_channels = 4, L->kernel = 2, L->dilation = 2, L->groups = 2;
    add(&net, SNNEX_LAYER_FLATTEN);
    add(&net, SNNEX_LAYER_FC)->out_features = 3;
    train_cfg(&tc, 4, 3);
    trainer *t[2];
    snnex_err err;
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(3, 4, 9, 9, 3, 4, 0, &d, &err) == SNNEX_OK);
    int idx[3] = {0, 1, 2};
    double loss[2];
    for (int g = 0; g < 2; g++) {
        trainer_opts o;
        trainer_opts_default(&o);
        o.f64 = 1, o.conv_gemm = g, o.threads = 2;
        CU_ASSERT_FATAL(trainer_alloc(&t[g], &net, &tc, 3, &o, &err) == SNNEX_OK);
        scale_weights(t[g], 4, 3.0);
        CU_ASSERT_FATAL(trainer_loss_grad(t[g], &d, idx, 3, 0, &loss[g], &err) == SNNEX_OK);
    }
    ASSERT_CLOSE(loss[0], loss[1], 1e-12);
    CU_ASSERT(fabs(loss[0] - log(3.0)) > 1e-3);
    int bad = 0;
    double gmax = 0;
    for (int l = 0; l < 4; l++)
        for (long i = 0; i < trainer_param_count(t[0], l); i++) {
            double a = trainer_param(t[0], l, 1, i), b = trainer_param(t[1], l, 1, i);
            bad += fabs(a - b) > 1e-10 * (fabs(a) + 1e-6);
            gmax = fabs(a) > gmax ? fabs(a) : gmax;
        }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(gmax > 1e-6);
    trainer_data_free(&d);
    trainer_free(t[0]), trainer_free(t[1]);
}

/* Weights across groups are not parameters and stay zero through
 * training: after Adam steps, a trainer given only the logical parameters
 * computes the same loss (both conv paths). */
static void test_groups_stay_grouped(void)
{
    for (int gemm = 0; gemm < 2; gemm++) {
        snnex_network net;
        snnex_training tc;
        net_init(&net, 4, 6, 6);
        snnex_layer *L = add(&net, SNNEX_LAYER_CONV);
        L->out_channels = 4, L->kernel = 3, L->padding = 1, L->groups = 2;
        add(&net, SNNEX_LAYER_FLATTEN);
        add(&net, SNNEX_LAYER_FC)->out_features = 3;
        train_cfg(&tc, 4, 4);
        tc.encoder = SNNEX_ENC_DIRECT;
        trainer_opts o;
        trainer_opts_default(&o);
        o.f64 = 1, o.conv_gemm = gemm;
        trainer *a, *b;
        snnex_err err;
        CU_ASSERT_FATAL(trainer_alloc(&a, &net, &tc, 3, &o, &err) == SNNEX_OK);
        tc.seed = 99;
        CU_ASSERT_FATAL(trainer_alloc(&b, &net, &tc, 3, &o, &err) == SNNEX_OK);
        trainer_data d;
        CU_ASSERT_FATAL(trainer_data_synthetic(8, 4, 6, 6, 3, 2, 0, &d, &err) == SNNEX_OK);
        int idx[4] = {0, 1, 2, 3};
        trainer_stats st;
        scale_weights(a, 3, 3.0);
        for (int k = 0; k < 3; k++)
            CU_ASSERT(trainer_step(a, &d, idx, 4, 0, &st, &err) == SNNEX_OK);
        for (int l = 0; l < 3; l++)
            for (long i = 0; i < trainer_param_count(a, l); i++)
                trainer_param_set(b, l, 0, i, trainer_param(a, l, 0, i));
        double la, lb;
        CU_ASSERT(trainer_loss(a, &d, idx, 4, 0, &la, &err) == SNNEX_OK);
        CU_ASSERT(trainer_loss(b, &d, idx, 4, 0, &lb, &err) == SNNEX_OK);
        ASSERT_CLOSE(la, lb, 1e-12);
        CU_ASSERT(fabs(la - log(3.0)) > 1e-3); /* the outputs spike: the check is not vacuous */
        trainer_data_free(&d);
        trainer_free(a), trainer_free(b);
    }
}

/* The forward pass equals a naive simulation of the model in trainer.h
 * (binary spikes, double precision): a recurrent cubalif hidden layer
 * (I = αI + W·x + b + W_rec·s[t-1], U = βU + I − θ·s[t-1], s = U > θ) and
 * an li readout (U = βU + W·s + b) whose summed membrane is the
 * ce_membrane logit. */
static void test_naive_recurrent(void)
{
    enum { B = 3, T = 8, NI = 9, H = 5, C = 3 };
    snnex_network net;
    snnex_training tc;
    rec_net(&net, SNNEX_NEURON_CUBALIF, 1, SNNEX_NEURON_LI);
    net.layers[2].beta = 0.7;
    train_cfg(&tc, T, B);
    tc.loss = SNNEX_LOSS_CE_MEM;
    trainer_opts o;
    trainer_opts_default(&o);
    o.f64 = 1, o.threads = 2;
    trainer *t;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, C, &o, &err) == SNNEX_OK);
    scale_weights(t, 3, 3.0);
    CU_ASSERT_EQUAL(trainer_param_count(t, 1), H * NI + H + H * H);
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(B, 1, 3, 3, C, 5, 0, &d, &err) == SNNEX_OK);
    int idx[B] = {0, 1, 2};
    double loss;
    CU_ASSERT_FATAL(trainer_loss_grad(t, &d, idx, B, 0, &loss, &err) == SNNEX_OK);
    const double a = net.alpha, be = net.beta, th = net.theta, b2 = 0.7;
    double want = 0, spikes = 0;
    int bad = 0;
    for (int b = 0; b < B; b++) {
        double I[H] = {0}, U[H] = {0}, s[H] = {0}, U2[C] = {0}, z[C] = {0};
        for (int tt = 0; tt < T; tt++) {
            double x[NI], probe[H], sn[H];
            trainer_probe(t, 0, 1, b, tt, x, &err);
            trainer_probe(t, 0, 2, b, tt, probe, &err);
            for (int h = 0; h < H; h++) {
                double X = trainer_param(t, 1, 0, H * NI + h);
                for (int i = 0; i < NI; i++)
                    X += trainer_param(t, 1, 0, (long)h * NI + i) * x[i];
                for (int j = 0; j < H; j++)
                    X += trainer_param(t, 1, 0, H * NI + H + (long)h * H + j) * s[j];
                I[h] = tt ? a * I[h] + X : X;
                U[h] = tt ? be * U[h] + I[h] - th * s[h] : I[h];
            }
            for (int h = 0; h < H; h++) {
                sn[h] = U[h] > th;
                bad += sn[h] != probe[h];
                spikes += sn[h];
                s[h] = sn[h];
            }
            for (int c = 0; c < C; c++) {
                double X = trainer_param(t, 2, 0, C * H + c);
                for (int h = 0; h < H; h++)
                    X += trainer_param(t, 2, 0, (long)c * H + h) * s[h];
                U2[c] = tt ? b2 * U2[c] + X : X;
                z[c] += U2[c];
            }
        }
        double mx = z[0], sum = 0;
        for (int c = 1; c < C; c++)
            mx = z[c] > mx ? z[c] : mx;
        for (int c = 0; c < C; c++)
            sum += exp(z[c] - mx);
        want += (log(sum) - (z[d.y[b]] - mx)) / B;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(spikes > 0.05 * B * T * H && spikes < 0.95 * B * T * H); /* the recurrence has work */
    ASSERT_CLOSE(loss, want, 1e-12);
    trainer_data_free(&d);
    trainer_free(t);
}

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

/* A recurrent cubalif net's trace equals a recount from the probed values
 * of the same batch: input and output spike densities and tiles, and the
 * density of the gradient of the input currents (δI for cubalif: what the
 * weight engines use) exactly and above the threshold. Binary spikes. */
static void test_trace_recount_recurrent(void)
{
    enum { B = 3, T = 6 };
    snnex_network net;
    snnex_training tc;
    rec_net(&net, SNNEX_NEURON_CUBALIF, 1, SNNEX_NEURON_LIF);
    train_cfg(&tc, T, B);
    tc.surrogate_slope = 25;
    trainer_opts o;
    trainer_opts_default(&o);
    o.threads = 2;
    trainer *t;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, 3, &o, &err) == SNNEX_OK);
    scale_weights(t, 3, 3.0);
    trainer_data d;
    CU_ASSERT_FATAL(trainer_data_synthetic(B, 1, 3, 3, 3, 9, 0, &d, &err) == SNNEX_OK);
    int idx[B] = {0, 1, 2};
    double loss;
    trainer_trace_record(t, 1);
    CU_ASSERT_FATAL(trainer_loss_grad(t, &d, idx, B, 0, &loss, &err) == SNNEX_OK);
    snnex_network inf = net;
    CU_ASSERT_FATAL(snnex_network_infer(&inf, "", &err) == SNNEX_OK);
    snnex_trace tr;
    CU_ASSERT_FATAL(snnex_trace_alloc(&tr, &inf, T, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_trace_fill(t, &tr, &err) == SNNEX_OK);
    CU_ASSERT_STRING_EQUAL(tr.signature, "in=1x3x3;flatten;fc5r:cubalif;fc3;T=6");
    const double thr = (double)(float)(1e-3 / B); /* per-sample δU > 1e-3, float like the engine */
    double v[64], active = 0;
    for (int l = 0; l < inf.n_layers; l++) {
        const snnex_layer *L = &inf.layers[l];
        for (int tt = 0; tt < T; tt++) {
            const snnex_trace_point *p = &tr.p[l * T + tt];
            double in = 0, out = 0, du = 0, dut = 0, intile[4] = {0}, dutile[4] = {0};
            for (int b = 0; b < B; b++) {
                CU_ASSERT_FATAL(trainer_probe(t, 0, l, b, tt, v, &err) == SNNEX_OK);
                for (long i = 0; i < L->in_size; i++)
                    in += v[i] != 0;
                for (int g = 0; g < 4; g++)
                    intile[g] += tiles_of(v, L->in_size, snnex_trace_g[g], 0);
                if (l + 1 < inf.n_layers) {
                    trainer_probe(t, 0, l + 1, b, tt, v, &err);
                    for (long i = 0; i < L->out_size; i++)
                        out += v[i] != 0;
                }
                if (L->weights) {
                    trainer_probe(t, 1, l, b, tt, v, &err);
                    for (long i = 0; i < L->out_size; i++) {
                        du += v[i] != 0;
                        dut += fabs(v[i]) > thr;
                    }
                    for (int g = 0; g < 4; g++)
                        dutile[g] += tiles_of(v, L->out_size, snnex_trace_g[g], thr);
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
            if (l == 1)
                active += p->out_density;
        }
    }
    CU_ASSERT(active > 0);
    /* the trace is for this network only: the same shape without the
     * recurrence (or with lif neurons) is another network */
    char dir[] = "/tmp/snnex_netmodel_XXXXXX", path[128];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/rec.trace.csv", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(snnex_trace_write(&tr, &inf, f, &err) == SNNEX_OK);
    fclose(f);
    snnex_trace back;
    CU_ASSERT_EQUAL(snnex_trace_read(path, &inf, T, &back, &err), SNNEX_OK);
    snnex_trace_free(&back);
    for (int k = 0; k < 2; k++) {
        snnex_network other = inf;
        if (k == 0)
            other.layers[1].recurrent = 0;
        else
            other.layers[1].neuron = SNNEX_NEURON_LIF;
        CU_ASSERT_FATAL(snnex_network_infer(&other, "", &err) == SNNEX_OK);
        snnex_err_clear(&err);
        CU_ASSERT_EQUAL(snnex_trace_read(path, &other, T, &back, &err), SNNEX_EINVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fc5r:cubalif"));
        CU_ASSERT(err.line > 0);
    }
    remove(path);
    rmdir(dir);
    snnex_trace_free(&tr);
    trainer_data_free(&d);
    trainer_free(t);
}

/* What the trainer cannot train is rejected at the layer's line: an li
 * readout with a spike-count loss (it has no spikes to count). */
static void test_trainer_rejects(void)
{
    static const char *cases[] = {
        "network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; },\n"
        " { type = \"fc\"; out = 2; neuron = \"li\"; } ); };\n",
    };
    static const int line[] = {3};
    static const char *want[] = {"ce_membrane"};
    for (int i = 0; i < 1; i++) {
        char src[1024];
        snprintf(src, sizeof src, "%straining = { T = 2; batch = 2; dataset = \"synthetic\"; };\n", cases[i]);
        snnex_config cfg;
        load(src, &cfg);
        trainer *t = NULL;
        snnex_err err;
        snnex_err_clear(&err);
        CU_ASSERT_EQUAL(trainer_alloc(&t, &cfg.net, &cfg.train, 2, NULL, &err), SNNEX_EINVAL);
        CU_ASSERT_PTR_NULL(t);
        CU_ASSERT_EQUAL(err.line, line[i]);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want[i]));
    }
}

/* snnex train on a config the trainer cannot train (an li readout with a
 * spike-count loss): exit 1, one FILE:LINE error naming the layer, no
 * trace written. */
static void test_cli_rejects(void)
{
    char dir[] = "/tmp/snnex_netmodel_XXXXXX", cfg[128], tr[128], args[512];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(cfg, sizeof cfg, "%s/li.cfg", dir);
    snprintf(tr, sizeof tr, "%s/li.trace.csv", dir);
    FILE *f = fopen(cfg, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; },\n"
          " { type = \"fc\"; out = 2; neuron = \"li\"; } ); };\n"
          "training = { T = 2; batch = 2; dataset = \"synthetic\"; train_limit = 4; test_limit = 4; };\n",
          f);
    fclose(f);
    snprintf(args, sizeof args, "train %s -o %s", cfg, tr);
    char *out = NULL, *errs = NULL;
    CU_ASSERT_EQUAL(test_run_snnex(args, &out, &errs), 1);
    char want[256];
    snprintf(want, sizeof want, "%s:3: error: layer fc1: an li readout has no spikes to count", cfg);
    if (!strstr(errs, want))
        fprintf(stderr, "\n  got: %s\n", errs);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs, want));
    CU_ASSERT(access(tr, F_OK) != 0);
    free(out), free(errs);
    remove(cfg);
    rmdir(dir);
}

/* A recurrent net's checkpoint holds W_rec: a trainer loading it gets
 * every parameter back; the same shape without the recurrence rejects it
 * (another network). */
static void test_checkpoint_recurrent(void)
{
    snnex_network net, flat;
    snnex_training tc;
    rec_net(&net, SNNEX_NEURON_CUBALIF, 1, SNNEX_NEURON_LIF);
    rec_net(&flat, SNNEX_NEURON_CUBALIF, 0, SNNEX_NEURON_LIF);
    train_cfg(&tc, 4, 2);
    trainer *a, *b, *c;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&a, &net, &tc, 3, NULL, &err) == SNNEX_OK);
    tc.seed = 8; /* other initial weights */
    CU_ASSERT_FATAL(trainer_alloc(&b, &net, &tc, 3, NULL, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_alloc(&c, &flat, &tc, 3, NULL, &err) == SNNEX_OK);
    char dir[] = "/tmp/snnex_netmodel_XXXXXX", path[128];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/rec.ckpt", dir);
    CU_ASSERT_FATAL(trainer_save(a, path, &err) == SNNEX_OK);
    CU_ASSERT_EQUAL(trainer_load(b, path, &err), SNNEX_OK);
    long np = trainer_param_count(a, 1);
    CU_ASSERT_EQUAL(np, 5 * 9 + 5 + 25);
    int diff = 0;
    for (long i = 0; i < np; i++)
        diff += trainer_param(a, 1, 0, i) != trainer_param(b, 1, 0, i);
    CU_ASSERT_EQUAL(diff, 0);
    CU_ASSERT_EQUAL(trainer_load(c, path, &err), SNNEX_EINVAL);
    remove(path);
    rmdir(dir);
    trainer_free(a), trainer_free(b), trainer_free(c);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("netmodel_train", NULL, NULL);
    CU_add_test(s, "trainer rejects what it cannot train, at the layer's line", test_trainer_rejects);
    CU_add_test(s, "BPTT through recurrent lif/if/cubalif and li = finite differences", test_grad_recurrent);
    CU_add_test(s, "BPTT through sum pools = finite differences", test_grad_sum_pool);
    CU_add_test(s, "BPTT through conv dilation and groups, both conv paths = finite differences",
                test_grad_dilation_groups);
    CU_add_test(s, "weights across conv groups stay zero through training", test_groups_stay_grouped);
    CU_add_test(s, "conv scatter and im2col paths agree with dilation and groups", test_conv_paths_agree);
    CU_add_test(s, "recurrent cubalif + li readout forward = naive simulation", test_naive_recurrent);
    CU_add_test(s, "recurrent net's trace = dense recount; other networks rejected", test_trace_recount_recurrent);
    CU_add_test(s, "snnex train: what the trainer cannot train is a FILE:LINE error", test_cli_rejects);
    CU_add_test(s, "a recurrent net's checkpoint round trip; rejected by another network", test_checkpoint_recurrent);
    return test_finish();
}
