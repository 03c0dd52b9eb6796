/* trainer — a functional spiking-neural-network trainer (LIF neurons, BPTT
 * with surrogate gradients) that measures the sparsity an on-chip trainer
 * would see and writes it as an snnex_trace. Forward passes gather weight
 * rows for the nonzero input spikes only; weight gradients are spike-gated;
 * dense parts use OpenBLAS; threads use OpenMP. Results depend only on the
 * seed, never on the thread count.
 *
 * Model (documented once, here):
 *   LIF     U[t] = β·U[t-1] + I[t] − θ·s[t-1]        (reset = subtract)
 *           U[t] = β·U[t-1]·(1 − s[t-1]) + I[t]     (reset = zero)
 *           s[t] = H(U[t] − θ)  (spike when U > θ), U[-1] = s[-1] = 0.
 *           Every fc and conv layer is followed by LIF neurons; pool and
 *           flatten only move or reduce values — unless the network moves
 *           the neurons (snnex_layer.lif): then the fc/conv passes its
 *           currents I[t] to a pool, which max- or avg-pools them and feeds
 *           LIF neurons at its output (conv → pool → LIF, as snnTorch's
 *           reference nets); a max pool's gradient goes to the window's
 *           first maximum current; a sum pool adds the window without the
 *           1/k² of avg.
 *           Per layer (snnex_layer.neuron, β/θ/α the layer's or the
 *           network's): if = LIF with β = 1; cubalif I[t] = α·I[t-1] + X[t]
 *           feeds the membrane in place of X[t] (BPTT: δI[t] = δU[t] +
 *           α·δI[t+1] is the gradient of X[t]); li U[t] = β·U[t-1] + X[t],
 *           no spike, no reset (last layer; needs ce_membrane). A recurrent
 *           fc adds W_rec·s[t-1] to X[t] (W_rec: out×out, its parameters
 *           after the biases in trainer_param order, [target][source], init
 *           U(±1/√out)). A conv with dilation d spaces its taps d apart;
 *           with groups g each output channel sees the in_c/g input
 *           channels of its group (PyTorch's Conv2d dilation, groups;
 *           parameters [out_c][in_c/g][k][k], init fan_in = in_c/g·k²).
 *           fc and conv layers have a
 *           bias per output feature / channel (a constant input current, as
 *           PyTorch's Linear/Conv2d); the estimator's weight counts leave
 *           biases out.
 *   BPTT    exact backprop through all T steps with the spike's derivative
 *           replaced by a surrogate σ'(x), x = U − θ, slope k:
 *             fast_sigmoid  1 / (1 + k|x|)²                  (snnTorch)
 *             arctan        (k/2) / (1 + (π/2·k·x)²)          (snnTorch atan, α = k)
 *             triangle      k·max(0, 1 − k|x|)
 *           The reset term is detached by default (as snnTorch): no gradient
 *           flows through s[t-1] in the reset. trainer_opts.reset_detach = 0
 *           keeps it (used by the gradient check).
 *   Output  the last layer must be fc with one neuron per class. Logits are
 *           the spike counts z = Σ_t s[t] (ce_count, mse_count) or the summed
 *           membrane z = Σ_t U[t] (ce_membrane); prediction = argmax z
 *           (first maximum). mse_count targets 0.8·T spikes for the true
 *           class and 0.2·T for the others (snnTorch mse_count_loss with
 *           correct_rate 0.8, incorrect_rate 0.2), mean over classes.
 *           ce_rate is snnTorch's ce_rate_loss: the cross-entropy of
 *           softmax(s[t]) against the label at every step, mean over t
 *           (prediction still argmax of the counts).
 *           All losses are means over the batch.
 *   Init    weights and biases ~ U(−1/√fan_in, +1/√fan_in), fan_in =
 *           inputs (fc) or in_channels·k² (conv): PyTorch's default for
 *           Linear/Conv2d, drawn from the seed in parameter order.
 *   Encode  rate: pixel/255 is the Bernoulli spike probability per step,
 *           drawn from a counter-based generator keyed by (seed, epoch,
 *           sample index, t); direct: pixel/255 is the input current at
 *           every step.
 *   Optim   sgd w −= lr·g; momentum v = μv + g, w −= lr·v; adam as PyTorch
 *           (bias-corrected, ε outside the square root).
 */
#ifndef SNNEX_TRAINER_H
#define SNNEX_TRAINER_H

#include "common/common.h"
#include "desc/desc.h"

/* ---- data --------------------------------------------------------------- */

/* A labelled image data set, pixels 0..255 stored C×H×W per sample — or,
 * with frames > 1, a sequence of frames C×H×W each (frame f of sample i at
 * x + (i·frames + f)·c·h·w); step t of T encodes frame ⌊t·frames/T⌋. */
typedef struct {
    int n;                       /* samples */
    int c, h, w;                 /* sample shape */
    int frames;                  /* frames per sample (0 or 1: one image for every step) */
    int classes;
    unsigned char *x;            /* n × c·h·w */
    unsigned char *y;            /* n labels in [0, classes) */
} trainer_data;

/* Load Fashion-MNIST (gz IDX files, as in the Debian package
 * dataset-fashion-mnist) from dir: split 0 = train, 1 = test (t10k). limit
 * > 0 keeps the first limit samples. Missing or corrupt files give
 * SNNEX_EINVAL with the file's path and what is wrong. */
snnex_status trainer_data_load_fmnist(const char *dir, int test_split, long limit,
                                      trainer_data *d, snnex_err *err);

/* Load one images/labels pair of gz (or plain) IDX files. */
snnex_status trainer_data_load_idx(const char *images_path, const char *labels_path,
                                   long limit, trainer_data *d, snnex_err *err);

/* A small learnable synthetic set: each class has a random prototype image
 * (seeded); samples are prototypes with seeded noise. test_split 1 draws a
 * disjoint noise stream. */
snnex_status trainer_data_synthetic(int n, int c, int h, int w, int classes,
                                    long seed, int test_split, trainer_data *d,
                                    snnex_err *err);

/* A seeded temporal set (training.dataset = "synthetic_temporal", for
 * recurrent nets; a stand-in for tactile or audio sequences such as the
 * Braille reading set): every input is active during one window of
 * ⌈frames/4⌉ frames, pixels 150..255 in it and 0 outside; each class puts
 * each input's window at its own onset (seeded). A sample shifts the whole
 * pattern by up to ±frames/16 frames and flips 5 % of its (input, frame)
 * values. Every input is active equally long in every class: only when
 * it is active tells the classes apart, so a net needs memory across steps
 * to learn them. test_split 1 draws a disjoint noise stream. */
snnex_status trainer_data_synthetic_temporal(int n, int c, int h, int w, int frames, int classes, long seed,
                                             int test_split, trainer_data *d, snnex_err *err);

void trainer_data_free(trainer_data *d);

/* ---- trainer ------------------------------------------------------------ */

typedef struct trainer trainer;

typedef struct {
    int threads;                 /* OpenMP threads; 0 = OpenMP default */
    int f64;                     /* compute in double precision (slow; checks) */
    int smooth;                  /* spikes are the smooth function whose derivative is
                                    the surrogate (real-valued, for gradient checks) */
    int reset_detach;            /* 1 = no gradient through the reset (default) */
    int conv_gemm;               /* conv forward and weight gradient: -1 = choose per
                                    layer (default: im2col + GEMM when in_c·k² ≥ 64,
                                    else scatter of the nonzero inputs), 0 = always
                                    scatter, 1 = always GEMM (for tests) */
} trainer_opts;

void trainer_opts_default(trainer_opts *o);

/* Build a trainer for net (shapes are inferred on a copy) and the training
 * settings; weights are initialised from tr->seed. classes = number of
 * output classes (the last fc's out_features must equal it). */
snnex_status trainer_alloc(trainer **out, const snnex_network *net,
                           const snnex_training *tr, int classes,
                           const trainer_opts *opts, snnex_err *err);
void trainer_free(trainer *t);

/* Per-batch or per-epoch figures. */
typedef struct {
    double loss;                 /* mean loss per sample */
    long correct;                /* correctly classified samples */
    long samples;
} trainer_stats;

/* One optimisation step on the samples idx[0..n) of d (n ≤ training.batch).
 * epoch keys the rate encoder. */
snnex_status trainer_step(trainer *t, const trainer_data *d, const int *idx, int n,
                          int epoch, trainer_stats *st, snnex_err *err);

/* Forward and backward without an update: the loss and the gradients of the
 * batch (read them with trainer_param). For gradient checks. */
snnex_status trainer_loss_grad(trainer *t, const trainer_data *d, const int *idx,
                               int n, int epoch, double *loss, snnex_err *err);

/* Forward only: the loss of a batch (no gradients, nothing recorded). */
snnex_status trainer_loss(trainer *t, const trainer_data *d, const int *idx, int n,
                          int epoch, double *loss, snnex_err *err);

/* Called after every batch of trainer_train_epoch. */
typedef void (*trainer_progress_fn)(void *ctx, int epoch, long batch, long batches,
                                    const trainer_stats *batch_st,
                                    const trainer_stats *epoch_st);

/* One epoch over d in a seeded shuffled order (the last batch may be
 * short). progress may be NULL. */
snnex_status trainer_train_epoch(trainer *t, const trainer_data *d, int epoch,
                                 trainer_progress_fn progress, void *ctx,
                                 trainer_stats *st, snnex_err *err);

/* Accuracy and mean loss on d (rate encoding uses a fixed evaluation key). */
snnex_status trainer_evaluate(trainer *t, const trainer_data *d, trainer_stats *st,
                              snnex_err *err);

/* Trainable parameter access in PyTorch order: fc [out][in], conv
 * [out_c][in_c][ky][kx], then the biases [out] / [out_c]. which: 0 weight, 1 gradient of the last batch,
 * 2/3 optimizer state (momentum or Adam m, Adam v). Layers without weights
 * have 0 parameters. */
long trainer_param_count(const trainer *t, int layer);
double trainer_param(const trainer *t, int layer, int which, long i);
void trainer_param_set(trainer *t, int layer, int which, long i, double v);

/* Values of the last batch, for tests and tools, in C×H×W order: what 0 =
 * the input of layer l (size in_c·in_h·in_w; not for a pool whose input is
 * currents: a backward pass overwrote them), 1 = δU of a layer with LIF
 * neurons (δI for cubalif), or the gradient of the output currents of an fc/conv without
 * them, after a backward pass (size out_size; of the batch-mean loss).
 * sample < batch size used, step < T. */
snnex_status trainer_probe(const trainer *t, int what, int layer, int sample, int step,
                           double *out, snnex_err *err);

/* ---- sparsity trace ------------------------------------------------------ */

/* Start (on = 1) or stop recording densities in trainer_step and
 * trainer_loss_grad. Recording
 * accumulates over every recorded sample until trainer_trace_reset. */
void trainer_trace_record(trainer *t, int on);
void trainer_trace_reset(trainer *t);

/* Fill tr (from snnex_trace_alloc for the same net and T) with the averages
 * recorded so far; tr->batches = recorded batches. Tile groups run along
 * each layer's C×H×W order. du_thr and du_tile compare the δU of each
 * sample's own loss (batch size × the δU of the batch-mean loss) with
 * training.du_threshold, so the figure does not depend on the batch size. */
snnex_status trainer_trace_fill(const trainer *t, snnex_trace *tr, snnex_err *err);

/* ---- checkpoints ---------------------------------------------------------- */

/* Save weights, optimizer state and completed epochs atomically: header
 * (magic, version, network signature), payload, zlib crc32; written to a
 * temp file, fsync'ed, renamed over path. A failed write (SNNEX_EIO, with
 * strerror's reason) leaves any previous file at path as it was. */
snnex_status trainer_save(const trainer *t, const char *path, snnex_err *err);

/* Load a checkpoint; rejects with SNNEX_EINVAL and the path, changing
 * nothing in t: a file that is not a checkpoint, longer than one of this
 * network can be (not read further), truncated, failing its crc32, for
 * another network or optimizer, or with a valid crc32 but an inconsistent
 * header (epochs, steps, layer count, layer sizes) or non-finite values. */
snnex_status trainer_load(trainer *t, const char *path, snnex_err *err);

/* Completed epochs (advanced by trainer_train_epoch, restored by load). */
int trainer_epochs_done(const trainer *t);

#endif
