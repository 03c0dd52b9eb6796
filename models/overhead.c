/* models — the logic a core holds besides its memories, counted from the
 * chip description (lanes, widths, neuron word, memory ports, mesh ports),
 * and the control events its engine controllers issue. Counts only:
 * flip-flops, arithmetic units (as operand bits) and other gates (as NAND2
 * gate equivalents); memtech prices them, the estimator multiplies.
 *
 * Per core (W weight, M membrane, G gradient, S optimizer-state bits, N the
 * neuron word, k the skip group):
 *   FP lane   W + 2M + k flip-flops (weight and accumulator operands, the
 *             result register, the spike group); an M-bit adder; a k-input
 *             zero-detect (k GE);
 *   BP lane   2G + W + M (gradient in and out, weight, membrane or
 *             surrogate operand); a G-bit multiplier and adder; k GE;
 *   WG lane   2G + k (gradient operand, accumulator, spike group); a G-bit
 *             adder;
 *   OPT lane  2W + G + S·(optimizer state values) (weight in and out,
 *             gradient, moments); a G-bit multiplier and adder;
 *   neuron    per FP lane (the latency model runs neuron updates on the FP
 *             lanes): 2N (the neuron word in and out); an M-bit multiplier
 *             (leak) and threshold comparator (the add is the lane's);
 *   memory    per core memory present: its address register and a data
 *   ports     register each way (log2(words) + 2·width); a bank select
 *             mux of width·(banks − 1) 2:1 muxes at 2 GE each (ASSUMED: a
 *             MUX2 is about two NAND2 areas);
 *   router    with more than one core: 5 ports × a 2-entry input FIFO of
 *             the link width; a 5×5 crossbar, each output a 5:1 mux = 4
 *             MUX2 per bit (8 GE);
 *   control   per engine present, one counter per loop level (time step,
 *             layer, sample, neuron, synapse), each as wide as its
 *             largest extent needs, with its incrementer and terminal
 *             compare; a programmable core (chip.engines.control = cpu)
 *             also holds an embedded RISC-V core, 26.6 kGE (lowRISC Ibex
 *             "small", RV32IMC, Yosys: github.com/lowRISC/ibex README,
 *             configuration table), in its gates.
 * Training chips have all four engines; inference chips (training.mode =
 * inference) only FP. */
#include "models/models_internal.h"

#include <string.h>

static double bits_for(double extent)
{
    return extent > 1 ? ceil(log2(extent)) : 1;
}

void models_logic_inventory(const snnex_config *cfg, models_logic *inv)
{
    memset(inv, 0, sizeof *inv);
    const snnex_chip *ch = &cfg->chip;
    const snnex_training *tr = &cfg->train;
    const snnex_network *net = &cfg->net;
    const double W = tr->weight_bits, M = tr->membrane_bits, G = tr->grad_bits, S = tr->state_bits;
    const double N = neuron_word_bits(cfg), k = ch->skip_group;
    const int train = tr->mode == SNNEX_MODE_TRAIN;
    models_logic_block *b = inv->blk;

    /* {ff, add_bits, cmp_bits, n_mul, mul_w, ge} */
    b[MODELS_LOGIC_FP] = (models_logic_block){ch->fp_lanes * (W + 2 * M + k), ch->fp_lanes * M, 0, 0, 0,
                                              ch->fp_lanes * k};
    if (train) {
        b[MODELS_LOGIC_BP] = (models_logic_block){ch->bp_lanes * (2 * G + W + M), ch->bp_lanes * G, 0,
                                                  ch->bp_lanes, G, ch->bp_lanes * k};
        b[MODELS_LOGIC_WG] = (models_logic_block){ch->wg_lanes * (2 * G + k), ch->wg_lanes * G, 0, 0, 0, 0};
        b[MODELS_LOGIC_OPT] = (models_logic_block){ch->opt_lanes * (2 * W + G + S * opt_state_values(tr->optimizer)),
                                                   ch->opt_lanes * G, 0, ch->opt_lanes, G, 0};
    }
    b[MODELS_LOGIC_NEURON] = (models_logic_block){ch->fp_lanes * 2 * N, 0, ch->fp_lanes * M, ch->fp_lanes, M, 0};

    for (int m = 0; m < SNNEX_N_CMEM; m++) {
        const snnex_mem *mem = &ch->core_mem[m];
        if (mem->capacity_bytes <= 0 || (!train && m == SNNEX_CMEM_GRAD))
            continue;
        double words = mem->capacity_bytes * 8 / mem->width_bits;
        b[MODELS_LOGIC_MEMPORT].ff += bits_for(words) + 2.0 * mem->width_bits;
        b[MODELS_LOGIC_MEMPORT].ge += 2.0 * mem->width_bits * (mem->banks - 1);
    }
    if (ch->cores > 1) {
        b[MODELS_LOGIC_ROUTER].ff = 5 * 2 * ch->noc_width_bits;
        b[MODELS_LOGIC_ROUTER].ge = 5 * 8 * ch->noc_width_bits;
    }

    /* loop counters: time step, layer, sample, neuron, synapse */
    double neurons = 1, fanin = 1;
    for (int l = 0; l < net->n_layers; l++) {
        const snnex_layer *L = &net->layers[l];
        neurons = fmax(neurons, (double)L->out_size);
        if (L->weights > 0 && L->out_size > 0)
            fanin = fmax(fanin, (double)L->synapses / (double)L->out_size);
    }
    double cbits = bits_for(tr->T) + bits_for(net->n_layers) + bits_for(tr->batch) + bits_for(neurons) +
                   bits_for(fanin);
    if (ch->control == SNNEX_CTRL_CPU)
        b[MODELS_LOGIC_CTRL].ge += MODELS_CPU_GE;
    for (int e = 0; e < SNNEX_N_ENG; e++) {
        if (!train && e != SNNEX_ENG_FP)
            continue;
        inv->ctrl_engines++;
        b[MODELS_LOGIC_CTRL].ff += cbits;
        b[MODELS_LOGIC_CTRL].add_bits += cbits;
        b[MODELS_LOGIC_CTRL].cmp_bits += cbits;
    }
}

double models_lane_issues(const snnex_config *cfg, const snnex_counts *c, int e)
{
    const snnex_chip *ch = &cfg->chip;
    const int lanes[SNNEX_N_ENG] = {ch->fp_lanes, ch->bp_lanes, ch->wg_lanes, ch->opt_lanes};
    return (c->acc + c->mac + c->mul + c->add + c->cmp) / lanes[e];
}

/* One event per word an engine reads or writes in a core memory or the
 * global buffer (an address to generate, a request to hand shake) and one
 * per issue of its lanes. */
double models_control_events(const snnex_config *cfg, const snnex_counts *c, int e)
{
    const snnex_chip *ch = &cfg->chip;
    double ev = 0;
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        ev += (c->mem_rd_bits[m] + c->mem_wr_bits[m]) / ch->core_mem[m].width_bits;
    ev += (c->mem_rd_bits[SNNEX_MEM_GLOBAL] + c->mem_wr_bits[SNNEX_MEM_GLOBAL]) / ch->global_buf.width_bits;
    return ev + models_lane_issues(cfg, c, e);
}
