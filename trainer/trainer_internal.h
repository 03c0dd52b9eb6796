/* trainer internals shared by trainer.c (API, epochs, checkpoints, trace)
 * and the two instantiations of the compute engine (engine_f32.c,
 * engine_f64.c, both from engine_impl_internal.h). */
#ifndef SNNEX_TRAINER_INTERNAL_H
#define SNNEX_TRAINER_INTERNAL_H

#include <stdint.h>
#include "trainer/trainer.h"

/* Output features per weight block of an fc layer: weights are stored as
 * [block][in + 1][TR_OB] (row `in` holds the biases) so a block stays in L2
 * while every sample of the batch gathers from it. Conv weights are
 * [ky][kx][ic][oc] followed by the oc biases. */
#define TR_OB 32

/* Trace counters per (layer, t). */
enum {
    TRC_IN = 0, TRC_OUT, TRC_DU, TRC_DUT, TRC_GRAD,
    TRC_IN_TILE,                        /* + g index */
    TRC_DU_TILE = TRC_IN_TILE + SNNEX_TRACE_NG,
    TRC_N = TRC_DU_TILE + SNNEX_TRACE_NG
};

/* One layer as the engine sees it. Activations are stored channel-last
 * (H×W×C) per sample; traces count tiles in C×H×W order. */
typedef struct {
    snnex_layer_type type;
    int trainable;               /* fc/conv: weights */
    int lif;                     /* LIF neurons at the output (u holds membrane, then δU) */
    int in_current;              /* pool: the input is the layer below's currents (its u:
                                    dense, then the currents' gradient) instead of a list */
    int ic, ih, iw, oc, oh, ow;
    long in_size, out_size;
    int k, s, p;                 /* conv/pool kernel, stride, padding */
    int d, ngroups;              /* conv dilation and channel groups (1, 1: a plain conv) */
    int pool_max;
    int pool_sum;                /* sum pool: avg without the 1/k² */
    snnex_neuron neuron;         /* the model of the neurons at the output (lif set) */
    double beta, theta, alpha;   /* their parameters (the network's unless the layer gives them) */
    long nw;                     /* stored feed-forward weights (conv with groups: the dense
                                    k²·ic·oc, those across groups held at zero) */
    long nlog;                   /* logical feed-forward weights (trainer_param order) */
    long nrec;                   /* recurrent fc: out·out weights W_rec, stored [source][target]
                                    from rec_off (after the fc blocks); logical order (PyTorch's
                                    Linear(out, out).weight) [target][source], after the biases */
    long rec_off;
    int nb;                      /* biases (one per output feature / channel) */
    long nw_store;               /* stored weights (fc: padded blocks) */
    int nblk;                    /* fc: output blocks of TR_OB */
    int grad_below;              /* a trainable layer below needs our input gradient */
    int gemm;                    /* conv: forward and weight gradient by im2col + GEMM */
    int in_binary, out_binary;   /* values are 0/1 */
    long groups[SNNEX_TRACE_NG]; /* tiles of the input (in) ... */
    long ogroups[SNNEX_TRACE_NG];/* ... and of the output neurons (δU) */
} tr_layer;

typedef struct {
    int n_layers;
    tr_layer L[SNNEX_MAX_LAYERS];
    int T, batch, classes;
    int in_c, in_h, in_w;
    long in_size;
    double beta, theta;
    snnex_reset reset;
    int reset_detach, smooth, threads;
    snnex_surrogate surrogate;
    double slope;
    snnex_loss loss;
    snnex_encoder encoder;
    snnex_optimizer optimizer;
    double lr, momentum, b1, b2, eps;
    uint64_t seed;
    double du_threshold;
    /* trace */
    int recording;
    long rec_samples, rec_batches;
    long *cnt;                   /* [layer][t][TRC_N] */
} tr_net;

/* The engine interface, instantiated for float and double. run() does the
 * forward pass of samples idx[0..n) and, when backward, the gradients;
 * it fills the mean loss and the number of correct predictions. */
#define TR_ENGINE_DECL(S)                                                          \
    void *tr_eng_new_##S(tr_net *net, snnex_err *err);                             \
    void tr_eng_free_##S(void *e);                                                 \
    void tr_eng_init_##S(void *e);                                                 \
    void tr_eng_run_##S(void *e, const trainer_data *d, const int *idx, int n,     \
                        uint64_t key, int backward, double *loss, long *correct);  \
    void tr_eng_update_##S(void *e);                                               \
    double tr_eng_get_##S(const void *e, int l, int which, long i);                \
    void tr_eng_set_##S(void *e, int l, int which, long i, double v);              \
    void tr_eng_set_step_##S(void *e, long step);                                  \
    long tr_eng_step_##S(const void *e);                                           \
    void tr_eng_probe_##S(const void *e, int what, int l, int b, int t, double *out);
TR_ENGINE_DECL(f32)
TR_ENGINE_DECL(f64)

/* splitmix64 finaliser: the counter-based generator behind every random
 * draw (init, encoder, shuffling, synthetic data). */
static inline uint64_t tr_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform double in [0, 1) from a 64-bit draw. */
static inline double tr_unif(uint64_t r)
{
    return (double)(r >> 11) * (1.0 / 9007199254740992.0);
}

#endif
