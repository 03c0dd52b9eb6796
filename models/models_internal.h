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

/* ---- what the counting files share (counts.c, recurrent.c) ---------------- */

/* Per-core working sets, capacities and the shares that fit on chip. */
typedef struct {
    double need[SNNEX_N_CMEM];   /* working set per core (bits) that can spill */
    double must[SNNEX_N_CMEM];   /* per-core state that must fit */
    double cap[SNNEX_N_CMEM];
    double f[SNNEX_N_CMEM];      /* on-chip fraction */
    double gb_need, gb_cap, f_gb;
} spill_t;

static inline double frac(double cap, double need) { return need <= cap ? 1.0 : cap / need; }

/* Send bits to the level below the core memories: global buffer (share
 * f_gb) and DRAM (the rest). */
static inline void to_next(snnex_counts *c, const spill_t *sp, double bits, int wr)
{
    double *a = wr ? c->mem_wr_bits : c->mem_rd_bits;
    a[SNNEX_MEM_GLOBAL] += bits * sp->f_gb;
    a[SNNEX_MEM_DRAM] += bits * (1 - sp->f_gb);
}

/* bits to core memory m, the part that does not fit goes below */
static inline void to_mem(snnex_counts *c, const spill_t *sp, int m, double bits, int wr)
{
    double *a = wr ? c->mem_wr_bits : c->mem_rd_bits;
    a[m] += bits * sp->f[m];
    to_next(c, sp, bits * (1 - sp->f[m]), wr);
}

static inline double ceil_div(double a, double b) { return ceil(a / b - 1e-9); }

/* Bits of a neuron's state read and written per update: the neuron word
 * plus, for cubalif, its synaptic current (a membrane-wide word). */
static inline double neuron_state_bits(const snnex_config *cfg, const snnex_layer *L)
{
    return neuron_word_bits(cfg) + (snnex_neuron_state_words(L->neuron) - 1) * (double)cfg->train.membrane_bits;
}

/* Operations per neuron and time step of each neuron model (README
 * "Modelling contract"). FP: lif U = βU + I (1 mul, 1 add, 1 compare); if
 * U = U + I (1 add, 1 compare); cubalif I = αI + x, U = βU + I (2 mul,
 * 2 add, 1 compare); li U = βU + I (1 mul, 1 add, no threshold). BP: lif
 * δU = σ'(U)·g + β·δU[t+1] (2 mul, 1 MAC); if the same with β = 1 (2 mul,
 * 1 add); cubalif also δI = δU + α·δI[t+1] (2 mul, 2 MAC); li δU = g +
 * β·δU[t+1] (1 MAC, no surrogate). */
typedef struct {
    double fp_mul, fp_add, fp_cmp;
    double bp_mul, bp_mac, bp_add;
} models_neuron_ops;

static inline models_neuron_ops models_neuron_ops_of(snnex_neuron n)
{
    static const models_neuron_ops o[] = {
        /* lif */ {1, 1, 1, 2, 1, 0},
        /* if */ {0, 1, 1, 2, 0, 1},
        /* cubalif */ {2, 2, 1, 2, 2, 0},
        /* li */ {1, 1, 0, 0, 1, 0},
    };
    return o[(unsigned)n < 4 ? n : 0];
}

/* Add to fp and bp what N neuron updates of model n do beyond lif's (the
 * counting code counts lif's; for lif this adds zeros). */
void models_neuron_extra(snnex_counts *fp, snnex_counts *bp, snnex_neuron n, double N);

/* The recurrent matrix of a recurrent fc layer (recurrent.c): FP, BP, WG
 * counts, memory traffic and busiest-core cycles, and its mesh traffic
 * when the layer is split over cores. */
typedef struct {
    const snnex_config *cfg;
    const spill_t *s;
    double mbs;                  /* micro-batch */
    int layer_major, train;
} models_rec_ctx;

void models_count_recurrent(const models_rec_ctx *x, const snnex_layer *L, const models_sparsity *z,
                            const models_placement *p, snnex_counts *fp, snnex_counts *bp, snnex_counts *wg,
                            double cyc[3], double *noc_bcast_bits, double *noc_stage_bits);

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
