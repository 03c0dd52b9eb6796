/* models — the GPU baseline: DRAM (HBM) bytes of one training batch run
 * the way snnTorch/PyTorch run it, to compare the chip's DRAM traffic with. */
#include "models/models_internal.h"

/* ---- GPU baseline ---------------------------------------------------------- */

double models_gpu_dram_bytes(const snnex_config *cfg, const models_sparsity *sp)
{
    /* One training batch on a GPU the way snnTorch/PyTorch run it (per-step
     * kernels, every tensor in HBM between kernels, autograd saving what
     * the backward pass needs). Per layer with weights, per step:
     *   FP: read s_in and W (W only when all weights do not stay in L2),
     *       read U[t-1], write I, read I, write U[t] and s_out (the LIF is
     *       its own kernel); autograd keeps U[t] and s_in[t] in HBM.
     *   BP: read the saved U[t] and s_in[t], read g[t], read δU[t+1],
     *       write δU[t], write g_in (read again by the layer below), read W
     *       when not in L2; WG: read δU, s_in, read+write ∇W when ∇W does
     *       not stay in L2.
     *   Per batch: optimizer reads W, ∇W and its state, writes W and state;
     *   the input batch is read once.
     * Values are gpu.bytes_per_value wide (PyTorch default float32). No
     * sparsity is exploited: dense kernels touch every value. With the
     * neurons after a pool, the fc/conv only writes I (BP: reads the
     * gradient of I) and the pool's output runs the LIF kernel. A cubalif
     * layer also reads, writes and saves its synaptic current; a recurrent
     * fc also reads s[t-1] and writes and reads W_rec·s[t-1] (BP: the
     * gradient of s[t-1]). */
    const snnex_network *net = &cfg->net;
    const double T = cfg->train.T, B = cfg->train.batch, v = cfg->gpu.bytes_per_value;
    double W = 0;
    for (int l = 0; l < net->n_layers; l++)
        W += (double)net->layers[l].weights;
    int w_in_l2 = 2 * W * v <= cfg->gpu.l2_bytes; /* W and ∇W together */
    double bytes = 0;
    int first = 1;
    (void)sp;
    for (int l = 0; l < net->n_layers; l++) {
        const snnex_layer *L = &net->layers[l];
        double Nin = (double)L->in_size * B * v, Nout = (double)L->out_size * B * v;
        if (L->type == SNNEX_LAYER_FLATTEN)
            continue;
        if (L->type == SNNEX_LAYER_POOL) {
            bytes += T * (Nin + Nout) * 2; /* forward and backward */
            if (L->spiking) /* its LIF kernel: read I, U, write U, s; saved U, g, δU[t+1], write δU */
                bytes += T * 8 * Nout;
            continue;
        }
        double fp = Nin + Nout /* write I */ + Nout /* read I */ + Nout /* read U */ + 2 * Nout /* write U, s */;
        double bpv = Nout /* saved U */ + Nin /* saved s_in */ + Nout /* g */ + Nout /* δU[t+1] */ + Nout /* write δU */;
        if (!L->spiking) { /* currents to a pool: no LIF kernel */
            fp = Nin + Nout /* write I */;
            bpv = Nin /* saved s_in */ + Nout /* the currents' gradient */;
        }
        if (!first)
            bpv += 2 * Nin; /* write g_in, read by the layer below */
        if (L->spiking && L->neuron == SNNEX_NEURON_CUBALIF) {
            fp += 2 * Nout;  /* read and write the synaptic current */
            bpv += 2 * Nout; /* its saved value, δI[t+1] */
        }
        if (L->rec_weights > 0) {
            fp += 3 * Nout;  /* read s[t-1], write and read W_rec·s[t-1] */
            bpv += 2 * Nout; /* write and read the gradient of s[t-1] */
        }
        double wg = Nout + Nin;
        double w = w_in_l2 ? 0 : (double)L->weights * v * (1 /* FP */ + !first /* BP */ + 2 /* ∇W rd+wr */);
        bytes += T * (fp + bpv + wg + w);
        double k = opt_state_values(cfg->train.optimizer);
        bytes += (double)L->weights * v * (2 /* W rd+wr */ + 1 /* ∇W */ + 2 * k /* state rd+wr */);
        if (first)
            bytes += (double)L->in_size * B * v; /* input batch */
        first = 0;
    }
    return bytes;
}
