/* Internal to models/: what the counting files share (helpers on the
 * description, and the NoC and latency totals models_count ends with). Not
 * installed. */
#ifndef SNNEX_MODELS_INTERNAL_H
#define SNNEX_MODELS_INTERNAL_H

#include "models/models.h"

#include <math.h>

/* Bits of a neuron's word in the membrane memory, read and written on every
 * update: the membrane plus the per-neuron parameters some chips keep with
 * it (chip.neuron_bits, e.g. ODIN's 128-bit neuron word); never less than
 * the membrane. The BPTT history stores the membrane alone. */
static inline double neuron_word_bits(const snnex_config *cfg)
{
    return fmax(cfg->chip.neuron_bits, cfg->train.membrane_bits);
}

/* LIF neurons per sample that weight layer l feeds: its own, or those of
 * the pool after it when it passes currents (lif = false). */
static inline double lif_neurons(const snnex_network *net, int l)
{
    const snnex_layer *L = &net->layers[l];
    if (L->spiking)
        return (double)L->out_size;
    return l + 1 < net->n_layers && net->layers[l + 1].spiking ? (double)net->layers[l + 1].out_size : 0;
}

/* Optimizer state values kept per weight: Adam 2 (m, v), momentum 1, SGD 0. */
static inline double opt_state_values(snnex_optimizer o)
{
    return o == SNNEX_OPT_ADAM ? 2 : o == SNNEX_OPT_MOMENTUM ? 1 : 0;
}

/* Traffic to the global buffer and DRAM crosses the mesh to the edge port:
 * adds its bit-hops to every count and fills ch's NoC, global-buffer and
 * DRAM totals and the busiest link's load (noc.c). bcast_bits: bits every
 * core sends to every other (output split); stage_bits: bits between
 * pipeline stages. */
void models_noc_totals(const snnex_config *cfg, snnex_counts counts[][SNNEX_N_ENG], models_chip *ch,
                       double noc_bcast_bits, double noc_stage_bits);

/* Cycles of the busiest core (latency.c): engines from the per-engine sums
 * (or the slowest pipeline stage, stage_max, plus the fill), memories from
 * the core-memory bits over port width x banks and ch->gb_bits over the
 * global buffer's. */
void models_latency_cycles(const snnex_config *cfg, snnex_counts counts[][SNNEX_N_ENG], models_chip *ch,
                           double stage_max, double cyc_fp, double cyc_bp, double cyc_wg, double cyc_opt);

#endif
