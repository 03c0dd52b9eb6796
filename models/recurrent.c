/* models — what the network features beyond lif feed-forward layers add
 * to the counts: the other neuron models' operations (models_neuron_extra)
 * and the recurrent matrix of a recurrent fc layer (models_count_recurrent).
 *
 * Recurrent fc (README "Modelling contract"): the layer's own spikes s[t-1]
 * feed back through W_rec (out x out, R = out² weights). With N = out
 * neurons, B batch, T steps, the steps with a previous step are
 * Tm = (T-1)·B (nothing feeds back at t = 0):
 *  - FP: occ_out·R·Tm accumulates (spike-gated by the layer's own output
 *    spikes); weight reads per accumulate (weight-stationary: per tile of
 *    the micro-batch, as the feed-forward matrix); partial sums in the
 *    membrane memory (not output-stationary); s[t-1] read from the spike
 *    memory; s[t] kept as BPTT history for WG (training).
 *  - BP: through time, the gradient of s[t-1] gets W_recᵀ·δU[t]:
 *    occ_du·R·Tm MACs, skipping zero δU tiles (the same δU feeds the
 *    layer's own δU at t-1 through the surrogate: that is the neuron update
 *    BP already counts).
 *  - WG: ∇W_rec += δU[t] ⊗ s[t-1]: occ_du·occ_out·R·Tm accumulates.
 *  - Optimizer, weight memory, reloads: W_rec is part of the layer's
 *    weights (snnex_layer.weights includes rec_weights).
 *  - Mesh, when the layer's neurons are split over c > 1 cores: each core
 *    needs every s[t-1] of the layer (output split: the broadcast of the
 *    layer's output spikes every step already carries them; a pipeline
 *    stage of c cores: min(N·spike_bits, d_out·N·log2 N) bits per step to
 *    the c-1 other cores) and BP reduces the partial W_recᵀ·δU sums over the
 *    cores (N·grad_bits per step, to c-1 cores). */
#include "models/models_internal.h"

void models_neuron_extra(snnex_counts *fp, snnex_counts *bp, snnex_neuron n, double N)
{
    const models_neuron_ops o = models_neuron_ops_of(n);
    const double dfl = (o.fp_mul + o.fp_add - 2) * N;
    fp->mul += (o.fp_mul - 1) * N;
    fp->add += (o.fp_add - 1) * N;
    fp->cmp += (o.fp_cmp - 1) * N;
    fp->flops += dfl;
    fp->flops_dense += dfl;
    const double dbp = (2 * (o.bp_mac - 1) + (o.bp_mul - 2) + o.bp_add) * N;
    bp->mul += (o.bp_mul - 2) * N;
    bp->mac += (o.bp_mac - 1) * N;
    bp->add += o.bp_add * N;
    bp->dense_equiv += (o.bp_mac + o.bp_add - 1) * N;
    bp->flops += dbp;
    bp->flops_dense += dbp;
}

void models_count_recurrent(const models_rec_ctx *x, const snnex_layer *L, const models_sparsity *z,
                            const models_placement *p, snnex_counts *fp, snnex_counts *bp, snnex_counts *wg,
                            double cyc[3], double *noc_bcast_bits, double *noc_stage_bits)
{
    const snnex_config *cfg = x->cfg;
    const snnex_chip *chip = &cfg->chip;
    const snnex_training *tr = &cfg->train;
    const spill_t *s = x->s;
    const double T = tr->T, B = tr->batch, P = chip->cores, mbs = x->mbs;
    const double wb = tr->weight_bits, gb = tr->grad_bits, sb = tr->spike_bits, nb = neuron_word_bits(cfg);
    const double N = (double)L->out_size, R = (double)L->rec_weights, Tm = (T - 1) * B;
    const snnex_stationarity st = cfg->map.stationarity;
    const double lpc = cfg->map.multicore == SNNEX_MC_PIPELINE ? p->layers_per_core : 1;
    const double share = p->batch_share * p->split * lpc;
    const double occ_out = models_tile_occupancy(z->out_density, chip->skip_group);

    /* ---- FP ---- */
    const double rs = occ_out * R * Tm;
    fp->acc += rs;
    fp->dense_equiv += R * Tm;
    fp->flops += rs;
    fp->flops_dense += R * Tm;
    double w_reads = st == SNNEX_WS ? R * (T - 1) * models_tile_occupancy(occ_out, (int)mbs) * (B / mbs) : rs;
    to_mem(fp, s, SNNEX_CMEM_WEIGHT, w_reads * wb, 0);
    if (st != SNNEX_OS) {
        fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE] += rs * nb;
        fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE] += rs * nb;
    }
    to_mem(fp, s, SNNEX_CMEM_SPIKE, N * Tm * sb, 0); /* s[t-1] */
    if (x->train) {                                   /* s[t], WG's input */
        if (x->layer_major)
            to_mem(fp, s, SNNEX_CMEM_SPIKE, N * T * B * sb, 1);
        else
            to_next(fp, s, N * T * B * sb, 1);
    }
    cyc[0] = occ_out * N * Tm * p->batch_share * lpc * fmax(1, ceil_div(N * p->split, chip->fp_lanes));

    /* ---- BP ---- */
    const double gr = z->du_occ * R * Tm;
    bp->mac += gr;
    bp->dense_equiv += R * Tm;
    bp->flops += 2 * gr;
    bp->flops_dense += 2 * R * Tm;
    double wr = st == SNNEX_WS ? R * (T - 1) * (B / mbs) * models_tile_occupancy(z->du_occ, (int)mbs) : gr;
    to_mem(bp, s, SNNEX_CMEM_WEIGHT, wr * wb, 0);
    double gp = st == SNNEX_OS ? N * Tm : gr;         /* partial sums of the gradient of s[t-1] */
    to_mem(bp, s, SNNEX_CMEM_GRAD, gp * gb, 1);
    if (st != SNNEX_OS)
        to_mem(bp, s, SNNEX_CMEM_GRAD, gp * gb, 0);
    cyc[1] = z->du_occ * N * Tm * share * fmax(1, ceil_div(N, chip->bp_lanes));

    /* ---- WG ---- */
    const double wgo = z->du_occ * occ_out * R * Tm;
    wg->acc += wgo;
    wg->dense_equiv += R * Tm;
    wg->flops += wgo;
    wg->flops_dense += R * Tm;
    if (x->layer_major) /* s[t-1] history (δU: the read the feed-forward WG counts) */
        to_mem(wg, s, SNNEX_CMEM_SPIKE, N * Tm * sb, 0);
    else
        to_next(wg, s, N * Tm * sb, 0);
    to_mem(wg, s, SNNEX_CMEM_GRAD, wgo * gb, 0);
    to_mem(wg, s, SNNEX_CMEM_GRAD, wgo * gb, 1);
    cyc[2] = wgo * share / chip->wg_lanes;

    /* ---- mesh, when the layer is split ---- */
    if (cfg->map.multicore == SNNEX_MC_OUTPUT_SPLIT && P > 1 && x->train) {
        bp->noc_bit_hops += N * Tm * gb * (P - 1);
        *noc_bcast_bits += N * Tm * gb;
    }
    if (cfg->map.multicore == SNNEX_MC_PIPELINE && p->cores > 1) {
        double c = p->cores, addr = ceil(log2(fmax(2, N)));
        double ev = fmin(N * sb, z->out_density * N * addr) * Tm;
        fp->noc_bit_hops += ev * (c - 1);
        *noc_stage_bits += ev;
        if (x->train) {
            bp->noc_bit_hops += N * Tm * gb * (c - 1);
            *noc_stage_bits += N * Tm * gb;
        }
    }
}
