/* models — per-layer, per-engine action counts for one training batch:
 * working sets and spills, memory and NoC traffic, busiest-core cycles
 * (placement.c places the layers, noc.c and latency.c total the mesh and
 * the cycles, gpu.c is the GPU baseline). Units: counts of operations,
 * bits, bit-hops, cycles.
 *
 * Conventions (README "Modelling contract" documents them for users):
 *  - S = synapses per sample of a layer (fc: in*out; conv: (output pixel,
 *    tap) pairs inside the input), N_in/N_out neurons per sample, B batch,
 *    T steps. Counts are totals over the chip; cycles are for the busiest
 *    core.
 *  - FP: one accumulate per (nonzero input spike, synapse): acc =
 *    occ_in*S*T*B; one LIF update per neuron per step (U = βU + I: 1 mul +
 *    1 add; 1 compare).
 *  - BP: per neuron per step δU = σ'(U)·g + β·δU[t+1]: 2 mul (σ' and its
 *    product) + 1 MAC; g_in = Wᵀ·δU skipping zero δU tiles: occ_du*S*T*B
 *    MACs, not done for the first weight layer (nothing below needs it).
 *  - WG: ∇W += δU ⊗ s_in, spike-gated and skipping zero δU: occ_du*occ_in*
 *    S*T*B accumulates (independence of the two operands assumed).
 *  - OPT per weight per batch: SGD 1 mul + 1 add; momentum 2+2; Adam 6+4
 *    (sqrt and divide counted as multiplies).
 *  - FLOPs: accumulate 1, MAC 2, mul 1, add 1; compares are not FLOPs.
 *  - LIF neurons after a pool (an fc/conv with lif = false, then a pool with
 *    lif = true): the fc/conv accumulates as above but updates no neurons;
 *    its currents (membrane_bits wide) stay in the membrane memory where
 *    they were accumulated, and BP reads their gradient (no surrogate, no
 *    δU carry). The pool reads them (dense), compares (max) or adds (avg)
 *    every window value, and runs the LIF update, BPTT history and δU of
 *    its out_size neurons; a max pool also keeps, per neuron and step, the
 *    window position of the maximum (ceil(log2 k²) bits) to route the
 *    gradient in BP.
 *  - Direct encoding (training.encoder = "direct"): the input is the 8-bit
 *    pixels (the IDX bytes, as read from DRAM below), the same at every
 *    step. Up to the first weight layer, values are MODELS_PIXEL_BITS wide
 *    instead of spike_bits; that layer's FP and WG multiply them (MACs,
 *    skipping zero pixels: in_density is the nonzero-pixel share) and its
 *    input needs no BPTT history (the one copy serves every step).
 */
#include "models/models_internal.h"

#include <math.h>
#include <string.h>

/* width of an input pixel, as read from DRAM and, with direct encoding, as
 * fed to the first weight layer: Fashion-MNIST/MNIST IDX images are
 * unsigned bytes (LeCun et al., the IDX format; trainer/data.c reads them) */
#define MODELS_PIXEL_BITS 8.0

/* Bits of a value entering layer l (leaving layer l - 1): pixels up to the
 * first weight layer first_w with direct encoding, else spikes. */
static double in_bits(const snnex_config *cfg, int first_w, int l)
{
    return cfg->train.encoder == SNNEX_ENC_DIRECT && l <= first_w ? MODELS_PIXEL_BITS : cfg->train.spike_bits;
}

/* Bits per neuron and step a max pool with LIF neurons keeps for BP: which
 * of the k² window values was the maximum. */
static double argmax_bits(const snnex_layer *L)
{
    return L->type == SNNEX_LAYER_POOL && L->spiking && L->pool == SNNEX_POOL_MAX
               ? ceil(log2(fmax(2, (double)L->kernel * L->kernel)))
               : 0;
}

/* ---- counting -------------------------------------------------------------- */


static void kib(double bits, char *buf, size_t n)
{
    double b = bits / 8;
    if (b >= 1048576)
        snprintf(buf, n, "%.1f MiB", b / 1048576);
    else
        snprintf(buf, n, "%.1f KiB", b / 1024);
}

snnex_status models_count(const snnex_config *cfg, const models_sparsity *sp,
                          snnex_counts counts[][SNNEX_N_ENG], models_chip *ch, snnex_err *err)
{
    (void)err;
    const snnex_network *net = &cfg->net;
    const snnex_training *tr = &cfg->train;
    const snnex_chip *chip = &cfg->chip;
    const int nl = net->n_layers;
    const double T = tr->T, B = tr->batch, P = chip->cores;
    const double wb = tr->weight_bits, mb = tr->membrane_bits, gb = tr->grad_bits, sb = tr->spike_bits,
                 ob = tr->state_bits;
    const double nb = neuron_word_bits(cfg);
    const int layer_major = cfg->map.loop_order == SNNEX_LAYER_MAJOR;
    const int train = tr->mode == SNNEX_MODE_TRAIN; /* inference: FP only, no BPTT state */
    const snnex_stationarity st = cfg->map.stationarity;
    models_placement pl[SNNEX_MAX_LAYERS];
    models_place(cfg, pl);
    memset(ch, 0, sizeof *ch);
    ch->feasible = 1;
    for (int l = 0; l < nl; l++)
        memset(counts[l], 0, sizeof(snnex_counts) * SNNEX_N_ENG);

    int first_w = -1;
    for (int l = 0; l < nl && first_w < 0; l++)
        if (net->layers[l].weights > 0)
            first_w = l;
    /* direct encoding: the first weight layer multiplies pixels */
    const int direct = tr->encoder == SNNEX_ENC_DIRECT;

    /* ---- pass 1: working sets per core (the busiest core) ---------------- */
    spill_t s;
    memset(&s, 0, sizeof s);
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        s.cap[m] = chip->core_mem[m].capacity_bytes * 8;
    s.gb_cap = chip->global_buf.capacity_bytes * 8;
    double w_sum = 0, w_max = 0, hist_u = 0, hist_s = 0, gw_sum = 0;
    double gw_max = 0, hist_u_max = 0, hist_s_max = 0;
    double cur_u_sum = 0, cur_u_max = 0, cur_s_sum = 0, cur_s_max = 0, du_sum = 0, du_max = 0;
    double W_total = 0;
    for (int l = 0; l < nl; l++) {
        const snnex_layer *L = &net->layers[l];
        const models_placement *p = &pl[l];
        double lpc = cfg->map.multicore == SNNEX_MC_PIPELINE ? p->layers_per_core : 1;
        double Bc = B * p->batch_share;
        double Wc = L->weights * p->split * lpc;
        double Nc = L->out_size * p->split * Bc * lpc;
        double Ic = L->in_size * Bc * lpc;
        W_total += L->weights;
        w_sum += Wc * wb, w_max = fmax(w_max, Wc * wb);
        gw_sum += Wc * gb, gw_max = fmax(gw_max, Wc * gb);
        const int cur_out = L->weights > 0 && !L->spiking, cur_in = l > 0 && net->layers[l - 1].weights > 0 &&
                                                                      !net->layers[l - 1].spiking;
        if (L->spiking) {
            /* the state words (cubalif: current and membrane) in the
             * history and in the membrane memory */
            double hb = mb * snnex_neuron_state_words(L->neuron) + argmax_bits(L), ub = neuron_state_bits(cfg, L);
            cur_u_sum += Nc * ub, cur_u_max = fmax(cur_u_max, Nc * ub);
            hist_u += Nc * T * hb, hist_u_max = fmax(hist_u_max, Nc * T * hb);
            du_sum += 2 * Nc * gb, du_max = fmax(du_max, 2 * Nc * gb);
        } else if (cur_out) {
            /* one step's currents for the pool; their gradient in BP */
            cur_u_sum += Nc * mb, cur_u_max = fmax(cur_u_max, Nc * mb);
            du_sum += Nc * gb, du_max = fmax(du_max, Nc * gb);
        }
        if (cur_out || cur_in) { /* currents are not in the spike memory */
            double sbits = (cur_in ? 0 : Ic) * in_bits(cfg, first_w, l) + (cur_out ? 0 : Nc) * in_bits(cfg, first_w, l + 1);
            cur_s_sum += sbits, cur_s_max = fmax(cur_s_max, sbits);
        } else {
            double sbits = Ic * in_bits(cfg, first_w, l) + Nc * in_bits(cfg, first_w, l + 1);
            cur_s_sum += sbits, cur_s_max = fmax(cur_s_max, sbits);
        }
        if (L->weights > 0 && !(direct && l == first_w))
            hist_s += Ic * T * sb, hist_s_max = fmax(hist_s_max, Ic * T * sb);
        if (L->rec_weights > 0) /* its own spikes, the recurrent matrix's input in WG */
            hist_s += Nc * T * sb, hist_s_max = fmax(hist_s_max, Nc * T * sb);
    }
    if (!train)
        hist_u = hist_s = du_sum = du_max = gw_sum = hist_u_max = hist_s_max = gw_max = 0;
    /* what must fit for the engines to run at all */
    /* a core holds every layer (data parallel, output split) unless the
     * pipeline gives each layer its own cores; layer-major runs one layer
     * at a time either way */
    const int one_layer = layer_major || cfg->map.multicore == SNNEX_MC_PIPELINE;
    if (cfg->map.multicore == SNNEX_MC_PIPELINE) {
        /* what a pipeline core holds over the batch is its own layer's */
        hist_u = hist_u_max, hist_s = hist_s_max, gw_sum = gw_max, w_sum = w_max;
    }
    s.must[SNNEX_CMEM_MEMBRANE] = one_layer ? cur_u_max : cur_u_sum;
    s.must[SNNEX_CMEM_SPIKE] = one_layer ? cur_s_max : cur_s_sum;
    s.must[SNNEX_CMEM_GRAD] = one_layer ? du_max : du_sum;
    static const char *const mem_names[] = {"weight", "membrane", "spike", "gradient"};
    static const char *const what[] = {"weights", "membrane state", "spike buffers", "δU buffers"};
    /* When one step's state of the core's whole batch share does not fit,
     * the core runs its samples in micro-batches of mbs samples (the
     * largest that fits); weight reuse and reloads then happen per
     * micro-batch. Infeasible only when one sample does not fit. */
    const double Bc = B * pl[0].batch_share;
    double fit = 1;
    int worst = 1;
    for (int m = 1; m < SNNEX_N_CMEM; m++)
        if (s.must[m] > 0 && s.cap[m] / s.must[m] < fit)
            fit = s.cap[m] / s.must[m], worst = m;
    const double mbs = fmin(Bc, floor(Bc * fit + 1e-9));
    if (mbs < 1) {
        char a[32], b[32];
        kib(s.must[worst] / Bc, a, sizeof a);
        kib(s.cap[worst], b, sizeof b);
        ch->feasible = 0;
        snprintf(ch->reason, sizeof ch->reason, "%s of one step of one sample need %s per core, %s memory has %s",
                 what[worst], a, mem_names[worst], b);
        return SNNEX_OK;
    }
    const double nmb = ceil(Bc / mbs - 1e-9);
    ch->micro_batch = mbs;
    for (int m = 1; m < SNNEX_N_CMEM; m++)
        s.must[m] *= mbs / Bc;
    /* what can spill: weights; BPTT history; ∇W accumulators */
    s.need[SNNEX_CMEM_WEIGHT] = one_layer ? w_max : w_sum;
    s.need[SNNEX_CMEM_MEMBRANE] = layer_major ? hist_u : s.must[SNNEX_CMEM_MEMBRANE];
    s.need[SNNEX_CMEM_SPIKE] = layer_major ? hist_s + s.must[SNNEX_CMEM_SPIKE] : s.must[SNNEX_CMEM_SPIKE];
    s.need[SNNEX_CMEM_GRAD] = gw_sum + s.must[SNNEX_CMEM_GRAD];
    for (int m = 0; m < SNNEX_N_CMEM; m++) {
        s.f[m] = frac(s.cap[m], s.need[m]);
        ch->ws_bits[m] = s.need[m];
    }
    /* weights that fit one layer but not all: reloaded once per pass */
    double w_fit_all = frac(s.cap[SNNEX_CMEM_WEIGHT], w_sum);
    /* global-buffer demand (whole chip): optimizer state, spilled data,
     * time-major BPTT history */
    double cores_eff = cfg->map.multicore == SNNEX_MC_PIPELINE ? 1 : P; /* per-core sets above are per core */
    s.gb_need = train ? W_total * opt_state_values(tr->optimizer) * ob : 0;
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        s.gb_need += (s.need[m] - fmin(s.need[m], s.cap[m])) * cores_eff;
    if (!layer_major)
        s.gb_need += (hist_u + hist_s) * cores_eff;
    s.f_gb = frac(s.gb_cap, s.gb_need);

    /* ---- pass 2: counts ------------------------------------------------------ */
    double noc_edge_bits = 0;   /* bits between cores and the GB/DRAM edge port */
    double noc_bcast_bits = 0;  /* bits every core sends to every other (output split) */
    double noc_stage_bits = 0;  /* bits between pipeline stages */
    double cyc_fp = 0, cyc_bp = 0, cyc_wg = 0, cyc_opt = 0;
    double stage_max = 0;
    for (int l = 0; l < nl; l++) {
        const snnex_layer *L = &net->layers[l];
        const models_sparsity *z = &sp[l];
        const models_placement *p = &pl[l];
        snnex_counts *fp = &counts[l][SNNEX_ENG_FP], *bp = &counts[l][SNNEX_ENG_BP];
        snnex_counts *wg = &counts[l][SNNEX_ENG_WG], *op = &counts[l][SNNEX_ENG_OPT];
        const double S = (double)L->synapses, Nin = (double)L->in_size, Nout = (double)L->out_size;
        const double steps = T * B;
        /* the share of this layer's work on the busiest core */
        const double share = p->batch_share * p->split * (cfg->map.multicore == SNNEX_MC_PIPELINE ? p->layers_per_core : 1);
        const double fan_core = (Nin > 0 ? S / Nin : 0) * p->split;
        const double fanin = Nout > 0 ? S / Nout : 0;
        double lfp = 0, lbp = 0, lwg = 0, lop = 0; /* busiest-core cycles of this layer */

        if (L->type == SNNEX_LAYER_FLATTEN)
            continue;
        if (L->type == SNNEX_LAYER_POOL) {
            /* FP: window reads of nonzero spikes; max over spikes = OR
             * (compare), avg = add. BP routes/averages the gradient. */
            /* a sum pool adds like avg, without the scaling by 1/k² (a
             * shift or folded into the next weights: not counted) */
            double ops = z->in_occ * S * steps;
            const int adds = L->pool != SNNEX_POOL_MAX;
            if (adds)
                fp->add = ops;
            else
                fp->cmp = ops;
            fp->dense_equiv = S * steps;
            fp->flops = adds ? ops : 0;
            fp->flops_dense = adds ? S * steps : 0;
            if (L->spiking) /* the currents, where the fc/conv accumulated them */
                fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE] += Nin * steps * mb;
            else
                to_mem(fp, &s, SNNEX_CMEM_SPIKE, Nin * steps * in_bits(cfg, first_w, l), 0);
            to_mem(fp, &s, SNNEX_CMEM_SPIKE, Nout * steps * in_bits(cfg, first_w, l + 1), 1);
            bp->add = Nin * steps;
            bp->dense_equiv = Nin * steps;
            /* avg scales the gradient it spreads; sum and max copy or route it */
            bp->flops = bp->flops_dense = L->pool == SNNEX_POOL_AVG ? Nin * steps : 0;
            to_mem(bp, &s, SNNEX_CMEM_GRAD, Nout * steps * gb, 0);
            to_mem(bp, &s, SNNEX_CMEM_GRAD, Nin * steps * gb, 1);
            lfp = (ops * share) / chip->fp_lanes;
            lbp = (Nin * steps * share) / chip->bp_lanes;
            if (L->spiking) {
                /* LIF neurons at the pool's output (after its FP, before
                 * its BP routing) */
                const double N = Nout * steps, hb = mb * snnex_neuron_state_words(L->neuron) + argmax_bits(L);
                const double ub = neuron_state_bits(cfg, L);
                fp->neuron = N;
                fp->mul = N;                               /* β·U */
                fp->add += N;                              /* + I */
                fp->cmp += N;                              /* U ≥ θ */
                fp->flops += 2 * N;
                fp->flops_dense += 2 * N;
                fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE] += N * ub;
                fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE] += N * ub;
                bp->mul = 2 * N;                           /* σ'(U) and σ'·g */
                bp->mac = N;                               /* + β·δU[t+1] */
                bp->neuron = N;
                bp->dense_equiv += N;
                bp->flops += 2 * bp->mac + bp->mul;
                bp->flops_dense += 2 * bp->mac + bp->mul;
                models_neuron_extra(fp, bp, L->neuron, N);
                /* BPTT history: U[t] and the maximum's window position */
                if (!train) {
                    /* inference keeps no history */
                } else if (layer_major) {
                    to_mem(fp, &s, SNNEX_CMEM_MEMBRANE, N * hb, 1);
                    to_mem(bp, &s, SNNEX_CMEM_MEMBRANE, N * hb, 0);
                } else {
                    to_next(fp, &s, N * hb, 1);
                    to_next(bp, &s, N * hb, 0);
                }
                to_mem(bp, &s, SNNEX_CMEM_GRAD, N * gb, 1); /* δU, read back to route it */
                to_mem(bp, &s, SNNEX_CMEM_GRAD, N * gb, 0);
                lfp += fp->neuron * share / chip->fp_lanes;
                lbp += (N * share * 2) / chip->bp_lanes;
            }
        } else {
            /* ---- FP ---- */
            /* neurons at this layer's output: none when it passes its
             * currents to a pool with the neurons (lif = false) */
            const double Nn = L->spiking ? Nout : 0;
            /* the spikes this layer sends to other cores: its pool's when a
             * pool follows (the neurons after a pool of currents, or a pool
             * of its spikes, reduced on the core that made them), else its
             * own */
            const int pooled = l + 1 < nl && net->layers[l + 1].type == SNNEX_LAYER_POOL;
            const double Nsp = pooled ? (double)net->layers[l + 1].out_size : lif_neurons(net, l);
            const models_sparsity *zsp = pooled ? &sp[l + 1] : z;
            double nz_in = z->in_occ * Nin * steps;      /* nonzero input (tiles) */
            /* synaptic ops: accumulates of spikes, or MACs of pixels */
            const int px = direct && l == first_w;
            const double syn = z->in_occ * S * steps, ib = in_bits(cfg, first_w, l);
            const double fl = px ? 2 : 1;                  /* FLOPs per synaptic op */
            if (px)
                fp->mac = syn;
            else
                fp->acc = syn;
            fp->neuron = Nn * steps;
            fp->mul = fp->neuron;                          /* β·U */
            fp->add = fp->neuron;                          /* + I */
            fp->cmp = fp->neuron;                          /* U ≥ θ */
            fp->dense_equiv = S * steps;
            fp->flops = fl * syn + 2 * fp->neuron;
            fp->flops_dense = fl * S * steps + 2 * fp->neuron;
            /* weight reads: per accumulate, except weight-stationary, where a
             * weight held in the lanes serves every sample of the core's
             * batch share in one step */
            double w_reads = st == SNNEX_WS
                                 ? S * T * models_tile_occupancy(z->in_occ, (int)mbs) * (B / mbs)
                                 : syn;
            to_mem(fp, &s, SNNEX_CMEM_WEIGHT, w_reads * wb, 0);
            /* partial sums: in lane registers for output-stationary; in the
             * membrane memory (read+write per accumulate) otherwise */
            double psum = st == SNNEX_OS ? 0 : syn;
            fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE] += (psum + fp->neuron) * nb;
            fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE] += (psum + fp->neuron) * nb;
            /* cubalif's second state word (0 for the others) */
            const double xb = neuron_state_bits(cfg, L) - nb, hw = mb * snnex_neuron_state_words(L->neuron);
            fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE] += fp->neuron * xb;
            fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE] += fp->neuron * xb;
            /* input spikes: read once, or once per output tile (OS) */
            double in_reads = st == SNNEX_OS ? Nin * steps * fmax(1, ceil_div(Nout * p->split, chip->fp_lanes)) * p->split
                                             : Nin * steps;
            to_mem(fp, &s, SNNEX_CMEM_SPIKE, in_reads * ib, 0);
            if (L->spiking && L->neuron != SNNEX_NEURON_LI) /* an li readout's output is its membrane */
                to_mem(fp, &s, SNNEX_CMEM_SPIKE, Nout * steps * sb, 1);
            else if (!L->spiking && st == SNNEX_OS) /* currents out of the lane registers */
                fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE] += Nout * steps * mb;
            /* BPTT history: U[t] and s_in[t] kept for BP/WG */
            if (!train) {
                /* inference keeps no history */
            } else if (layer_major) {
                to_mem(fp, &s, SNNEX_CMEM_MEMBRANE, Nn * steps * hw, 1);
                to_mem(fp, &s, SNNEX_CMEM_SPIKE, px ? 0 : Nin * steps * sb, 1);
            } else {
                to_next(fp, &s, Nn * steps * hw, 1);
                to_next(fp, &s, px ? 0 : Nin * steps * sb, 1);
            }
            /* weights that do not fit: time-major reloads the excess every
             * step; layer-major once per pass (T times if one layer alone
             * does not fit) */
            double Wbits_core = L->weights * wb * p->split;
            double excess_per_core = Wbits_core * (1 - s.f[SNNEX_CMEM_WEIGHT]);
            double passes = layer_major ? (s.f[SNNEX_CMEM_WEIGHT] < 1 ? T : (w_fit_all < 1 ? 1 : 0)) : T;
            double reload = layer_major && s.f[SNNEX_CMEM_WEIGHT] >= 1 ? Wbits_core : excess_per_core;
            /* every core holding a slice reloads it, once per micro-batch */
            double reload_bits = passes * nmb * reload *
                                 (cfg->map.multicore == SNNEX_MC_DATA_PARALLEL ? P : p->cores);
            to_next(fp, &s, reload_bits, 0);
            fp->mem_wr_bits[SNNEX_CMEM_WEIGHT] += reload_bits;
            noc_edge_bits += reload_bits;
            /* every core holding a slice of the outputs sees every nonzero
             * input of its samples and spreads its fan-out slice over the
             * lanes (a partly filled lane group still takes a cycle) */
            lfp = nz_in * p->batch_share * (share / (p->batch_share * p->split)) *
                      fmax(1, ceil_div(fan_core, chip->fp_lanes)) +
                  fp->neuron * share / chip->fp_lanes;

            /* ---- BP ---- */
            bp->mul = 2 * Nn * steps;
            bp->mac = Nn * steps;
            bp->neuron = Nn * steps;
            double gin = l > first_w ? z->du_occ * S * steps : 0;
            bp->mac += gin;
            bp->dense_equiv = (l > first_w ? S * steps : 0) + Nn * steps;
            bp->flops = 2 * bp->mac + bp->mul;
            bp->flops_dense = 2 * (bp->dense_equiv) + bp->mul;
            models_neuron_extra(fp, bp, L->neuron, Nn * steps);
            /* read U history, g (without neurons: the currents' gradient);
             * write δU */
            if (layer_major)
                to_mem(bp, &s, SNNEX_CMEM_MEMBRANE, Nn * steps * hw, 0);
            else
                to_next(bp, &s, Nn * steps * hw, 0);
            to_mem(bp, &s, SNNEX_CMEM_GRAD, Nout * steps * gb, 0);
            to_mem(bp, &s, SNNEX_CMEM_GRAD, Nn * steps * gb, 1);
            if (gin > 0) {
                double wr = st == SNNEX_WS ? S * T * (B / mbs) * models_tile_occupancy(z->du_occ, (int)mbs)
                                           : gin;
                to_mem(bp, &s, SNNEX_CMEM_WEIGHT, wr * wb, 0);
                double gp = st == SNNEX_OS ? Nin * steps : gin;
                to_mem(bp, &s, SNNEX_CMEM_GRAD, gp * gb, 1);
                if (st != SNNEX_OS)
                    to_mem(bp, &s, SNNEX_CMEM_GRAD, gp * gb, 0);
                to_next(bp, &s, reload_bits, 0);
                bp->mem_wr_bits[SNNEX_CMEM_WEIGHT] += reload_bits;
                noc_edge_bits += reload_bits;
            }
            lbp = (Nn * steps * share * 2) / chip->bp_lanes +
                  z->du_occ * Nout * steps * share * fmax(1, ceil_div(fanin, chip->bp_lanes)) * (gin > 0);

            /* ---- WG ---- */
            const double wgo = z->du_occ * z->in_occ * S * steps;
            if (px)
                wg->mac = wgo;
            else
                wg->acc = wgo;
            wg->dense_equiv = S * steps;
            wg->flops = fl * wgo;
            wg->flops_dense = fl * S * steps;
            to_mem(wg, &s, SNNEX_CMEM_GRAD, Nout * steps * gb, 0);        /* δU */
            if (layer_major || px) /* s_in history (pixels: their one copy) */
                to_mem(wg, &s, SNNEX_CMEM_SPIKE, Nin * steps * ib, 0);
            else
                to_next(wg, &s, Nin * steps * sb, 0);
            to_mem(wg, &s, SNNEX_CMEM_GRAD, wgo * gb, 0);               /* ∇W accumulators */
            to_mem(wg, &s, SNNEX_CMEM_GRAD, wgo * gb, 1);
            lwg = wgo * share / chip->wg_lanes;
            if (L->rec_weights > 0) { /* the recurrent matrix (recurrent.c) */
                const models_rec_ctx rx = {cfg, &s, mbs, layer_major, train};
                double cyc[3] = {0, 0, 0};
                models_count_recurrent(&rx, L, z, p, fp, bp, wg, cyc, &noc_bcast_bits, &noc_stage_bits);
                lfp += cyc[0], lbp += cyc[1], lwg += cyc[2];
            }

            /* ---- optimizer ---- */
            double Wn = (double)L->weights, k = opt_state_values(tr->optimizer);
            op->mul = Wn * (tr->optimizer == SNNEX_OPT_ADAM ? 6 : tr->optimizer == SNNEX_OPT_MOMENTUM ? 2 : 1);
            op->add = Wn * (tr->optimizer == SNNEX_OPT_ADAM ? 4 : tr->optimizer == SNNEX_OPT_MOMENTUM ? 2 : 1);
            op->dense_equiv = Wn;
            op->flops = op->flops_dense = op->mul + op->add;
            to_mem(op, &s, SNNEX_CMEM_WEIGHT, Wn * wb, 0);
            to_mem(op, &s, SNNEX_CMEM_WEIGHT, Wn * wb, 1);
            to_mem(op, &s, SNNEX_CMEM_GRAD, Wn * gb, 0);
            to_next(op, &s, Wn * k * ob, 0);
            to_next(op, &s, Wn * k * ob, 1);
            noc_edge_bits += 2 * Wn * k * ob;
            /* each core updates its share (data parallel: reduce-scatter) */
            lop = Wn / (cfg->map.multicore == SNNEX_MC_PIPELINE ? p->cores : P) / chip->opt_lanes;
            if (cfg->map.multicore == SNNEX_MC_DATA_PARALLEL && P > 1 && train) {
                /* ring all-reduce of ∇W along the snake: every ring link
                 * carries 2(P-1)/P of the gradient */
                double link = 2 * (P - 1) / P * Wn * gb;
                op->noc_bit_hops += link * (P - 1 + models_mesh_snake_wrap_hops(chip->mesh_x, chip->mesh_y));
                ch->noc_max_link_bits = fmax(ch->noc_max_link_bits, link);
            }
            if (cfg->map.multicore == SNNEX_MC_OUTPUT_SPLIT && P > 1) {
                /* every core's output spikes go to all cores each step
                 * (address events or a bitmap, whichever is smaller), and
                 * g_in partial sums are reduced over all cores; with the
                 * neurons after the pool, the pool's spikes */
                double addr = ceil(log2(fmax(2, Nsp)));
                double ev = fmin(Nsp * sb, zsp->out_density * Nsp * addr) * steps;
                fp->noc_bit_hops += ev * (P - 1);
                noc_bcast_bits += ev;
                if (gin > 0 && train) {
                    bp->noc_bit_hops += Nin * steps * gb * (P - 1);
                    noc_bcast_bits += Nin * steps * gb;
                }
            }
            if (cfg->map.multicore == SNNEX_MC_PIPELINE && l + 1 < nl) {
                double addr = ceil(log2(fmax(2, Nsp)));
                double ev = fmin(Nsp * sb, zsp->out_density * Nsp * addr) * steps;
                double hops = models_mesh_mean_hops(chip->mesh_x, chip->mesh_y);
                fp->noc_bit_hops += ev * hops;
                bp->noc_bit_hops += Nsp * steps * gb * hops;
                noc_stage_bits += ev + (train ? Nsp * steps * gb : 0);
            }
        }
        if (!train) {
            /* inference: the backward engines and the optimizer do nothing */
            memset(bp, 0, sizeof *bp);
            memset(wg, 0, sizeof *wg);
            memset(op, 0, sizeof *op);
            lbp = lwg = lop = 0;
        }
        if (l == first_w) {
            /* input samples come from DRAM (pixels, encoded on chip) */
            fp->mem_rd_bits[SNNEX_MEM_DRAM] += Nin * B * MODELS_PIXEL_BITS;
            noc_edge_bits += Nin * B * MODELS_PIXEL_BITS;
        }
        if (cfg->map.multicore == SNNEX_MC_PIPELINE) {
            double stage = (cfg->map.overlap_engines ? fmax(fmax(lfp, lbp), lwg) : lfp + lbp + lwg) + lop;
            stage_max = fmax(stage_max, stage);
        }
        cyc_fp += lfp, cyc_bp += lbp, cyc_wg += lwg, cyc_opt += lop;
    }

    models_noc_totals(cfg, counts, ch, noc_bcast_bits, noc_stage_bits);
    (void)noc_edge_bits;
    models_latency_cycles(cfg, counts, ch, stage_max, cyc_fp, cyc_bp, cyc_wg, cyc_opt);
    return SNNEX_OK;
}
