/* models — closed-form action counts. Given the config (network, training,
 * chip, mapping) and per-layer sparsity, count what every engine does on
 * every layer for one training batch: compute actions, bits read and
 * written at each memory level, bits moved over the mesh. Models never hold
 * an energy figure: memtech prices, the estimator multiplies. */
#ifndef SNNEX_MODELS_H
#define SNNEX_MODELS_H

#include "desc/desc.h"

/* Sparsity of one layer as the counts use it. */
typedef struct {
    double in_density;    /* input spikes */
    double out_density;   /* output spikes */
    double du;            /* δU above threshold */
    double grad;          /* gradient passed down */
    double in_occ;        /* tile occupancy of input spikes at the FP/WG skip group */
    double du_occ;        /* tile occupancy of δU at the BP/WG skip group */
} models_sparsity;

/* Fill sp[0..n_layers-1] from the trace (averaged over steps) or, when
 * trace is NULL, from the config densities; tile occupancy at group g comes
 * from the trace, or from 1-(1-d)^g (independent values) without one.
 * Writes "trace" or "density" into source (>= 8 bytes). */
void models_sparsity_resolve(const snnex_config *cfg, const snnex_trace *trace,
                             models_sparsity *sp, char *source);

/* Tile occupancy of a density d at group size g assuming independent
 * values: 1 - (1 - d)^g. */
double models_tile_occupancy(double d, int g);

/* How a mapping places one layer: over how many cores, which share of the
 * batch and of the layer's neurons each core takes. */
typedef struct {
    int cores;            /* cores the layer is spread over */
    double batch_share;   /* fraction of the batch one core processes */
    double split;         /* fraction of the layer's neurons/weights one core holds */
    int layers_per_core;  /* layers sharing a core (pipeline with few cores) */
} models_placement;

void models_place(const snnex_config *cfg, models_placement *pl);

/* Everything the estimator needs besides the per-layer counts. */
typedef struct {
    int feasible;
    char reason[256];
    double micro_batch;      /* samples a core processes at once (its batch share when all fits) */
    /* per-core peak cycles for latency (the busiest core) */
    double cycles_fp, cycles_bp, cycles_wg, cycles_opt;
    double mem_cycles;       /* busiest core memory: bits / (width × banks) */
    double gb_bits;          /* global buffer traffic (bits) */
    double dram_bits;        /* DRAM traffic (bits) */
    double noc_bit_hops;     /* total over the mesh */
    double noc_max_link_bits;/* load on the busiest link (approximation, see noc.c) */
    /* working sets for reporting (bits, worst core) */
    double ws_bits[SNNEX_N_CMEM];
} models_chip;

/* Count every engine on every layer: counts[l][e]. Returns SNNEX_OK; an
 * infeasible mapping is reported in chip->feasible/reason, not as an error. */
snnex_status models_count(const snnex_config *cfg, const models_sparsity *sp,
                          snnex_counts counts[][SNNEX_N_ENG], models_chip *chip,
                          snnex_err *err);

/* ---- logic inventory and control events (models/overhead.c) -------------- */

/* Blocks of a core's logic: the four engines' lanes (indexed like
 * SNNEX_ENG_*), the neuron-update unit, the memory ports, the router and
 * the engine controllers. */
enum {
    MODELS_LOGIC_FP = 0, MODELS_LOGIC_BP, MODELS_LOGIC_WG, MODELS_LOGIC_OPT,
    MODELS_LOGIC_NEURON, MODELS_LOGIC_MEMPORT, MODELS_LOGIC_ROUTER, MODELS_LOGIC_CTRL,
    MODELS_N_LOGIC
};

typedef struct {
    double ff;                 /* clocked state bits (flip-flops) */
    double add_bits, cmp_bits; /* adders and comparators: the sum of their operand widths */
    double n_mul, mul_w;       /* multipliers: how many, of what operand width */
    double ge;                 /* other gates (muxes, crossbar, zero-detect), NAND2 gate equivalents */
} models_logic_block;

typedef struct {
    models_logic_block blk[MODELS_N_LOGIC];   /* one core */
    int ctrl_engines;          /* engines with a controller (4 training, 1 inference) */
} models_logic;

/* An embedded RISC-V core in gate equivalents: lowRISC Ibex "small"
 * (RV32IMC, 3-cycle multiplier), 26.6 kGE synthesised with Yosys
 * (github.com/lowRISC/ibex README, configuration table). */
#define MODELS_CPU_GE 26600.0

/* What one core holds, from the chip description (see overhead.c). */
void models_logic_inventory(const snnex_config *cfg, models_logic *inv);
/* Issues of engine e's lanes for the counts c: its operations (accumulates,
 * MACs, multiplies, adds, compares) over its lanes, started together. */
double models_lane_issues(const snnex_config *cfg, const snnex_counts *c, int e);
/* Control events engine e's controller issues for the counts c: one per
 * memory word accessed, one per issue of its lanes. */
double models_control_events(const snnex_config *cfg, const snnex_counts *c, int e);

/* ---- mesh ---------------------------------------------------------------- */

/* Mean XY hop count between two distinct cores chosen uniformly on an X×Y
 * mesh (closed form). */
double models_mesh_mean_hops(int x, int y);
/* Hops of the ring that closes a boustrophedon (snake) order on an X×Y
 * mesh: the distance from the last core back to the first. */
int models_mesh_snake_wrap_hops(int x, int y);
/* Mean hops from a core to the middle of the mesh's west edge, where the
 * global buffer and DRAM controller sit. */
double models_mesh_mean_hops_to_edge(int x, int y);

/* ---- GPU baseline -------------------------------------------------------- */

/* DRAM (HBM) bytes of one training batch run the way GPU frameworks run it
 * (see gpu.c for the itemisation). */
double models_gpu_dram_bytes(const snnex_config *cfg, const models_sparsity *sp);

/* ---- multi-chip rounds (models/system.c) ---------------------------------- */

/* What one exchange between workers moves and adds, beyond the chips' own
 * batches. Bits are payload bits; each bit sent is counted once (its link
 * energy covers both ends). */
typedef struct {
    double bits_per_worker;     /* sent + received by one (non-aggregating) worker */
    double bits_total;          /* over all links */
    double bits_busiest_link;   /* bits that cross the link that sets the time */
    double transfers;           /* transfers one after another on that link (each pays the fixed latency) */
    double transfers_total;     /* all transfers: one after another when the workers share one medium */
    double adds, muls;          /* aggregation arithmetic, all nodes */
    double adds_busiest, muls_busiest; /* on the busiest node */
} models_exchange;

/* Ring all-reduce of `values` values of value_bits among `workers`
 * workers: reduce-scatter + all-gather, 2(N−1) steps of V/N values. Each
 * worker sends 2(N−1)/N × V × bits; N < 2 moves nothing. */
void models_ring_allreduce(double values, int value_bits, int workers, models_exchange *x);

/* Every worker sends `values` values of up_bits to an aggregator, which
 * averages them and sends the result back at down_bits. A host aggregator
 * has a port per worker (N exchanges in parallel); an aggregating worker
 * exchanges with the N−1 others over its one link, one after another. */
void models_star_exchange(double values, int up_bits, int down_bits, int workers, int aggregator_is_worker,
                          models_exchange *x);

/* FedAvg round: weights up (at update_bits when > 0: a compressed update,
 * else weight_bits), averaged weights down at weight_bits. With a host
 * aggregator: workers × weights × (update_bits + weight_bits) bits, i.e.
 * 2 × weights × weight_bits × workers uncompressed. */
void models_fedavg(double weights, int weight_bits, int update_bits, int workers, int aggregator_is_worker,
                   models_exchange *x);

#endif
