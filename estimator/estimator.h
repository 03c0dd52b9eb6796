/* estimator — the snnex configuration (chip, network, training, mapping,
 * sparsity), loading it from libconfig files through one option table, and
 * the estimate pipeline: models count actions, memtech prices them, this
 * module multiplies and reports. */
#ifndef SNNEX_ESTIMATOR_H
#define SNNEX_ESTIMATOR_H

#include <stdio.h>
#include "common/common.h"

#define SNNEX_MAX_LAYERS 32
#define SNNEX_NAME_LEN 48
#define SNNEX_MAX_T 1024

/* ---- network ---------------------------------------------------------- */

typedef enum {
    SNNEX_LAYER_FC = 0,
    SNNEX_LAYER_CONV,
    SNNEX_LAYER_POOL,
    SNNEX_LAYER_FLATTEN
} snnex_layer_type;

typedef enum { SNNEX_POOL_AVG = 0, SNNEX_POOL_MAX } snnex_pool_kind;
typedef enum { SNNEX_RESET_SUBTRACT = 0, SNNEX_RESET_ZERO } snnex_reset;

/* One layer. By default fc/conv layers are followed by LIF neurons and
 * pool and flatten only move or reduce spikes. `lif` moves the neurons: an
 * fc/conv with lif = false outputs its synaptic currents (multi-bit, no
 * membrane), which must go straight into a pool with lif = true that pools
 * the currents and has the LIF neurons at its (smaller) output — the order
 * conv → pool → LIF of snnTorch's reference nets. Shapes are C×H×W; an fc
 * layer's input and output are C×1×1. */
typedef struct {
    char name[SNNEX_NAME_LEN];
    snnex_layer_type type;
    int out_features;            /* fc */
    int out_channels;            /* conv */
    int kernel, stride, padding; /* conv and pool (pool: kernel = window) */
    snnex_pool_kind pool;
    int lif;                     /* LIF neurons at the output: 1 yes, -1 no, 0 the type's
                                    default (fc/conv yes; pool, flatten no) */
    /* inferred by snnex_network_infer */
    int in_c, in_h, in_w;
    int out_c, out_h, out_w;
    long in_size, out_size;      /* neurons per sample */
    long weights;                /* trainable parameters (fc/conv; no bias) */
    long fanout;                 /* synapses per input neuron (fc: out; conv: approx out_c*k*k/stride^2) */
    long synapses;               /* (input, output) pairs with a weight, per sample: fc in*out, conv out_size*in_c*k*k (padding excluded) */
    int spiking;                 /* 1: LIF neurons at the output (lif resolved) */
    int line;                    /* config line that defined it */
    /* per-layer densities (config or trace); <0 means "use the default" */
    double in_density, out_density, du_density, grad_density;
} snnex_layer;

typedef struct {
    int in_c, in_h, in_w;        /* input sample shape */
    int n_layers;
    snnex_layer layers[SNNEX_MAX_LAYERS];
    double beta;                 /* membrane decay */
    double theta;                /* firing threshold */
    snnex_reset reset;
} snnex_network;

/* ---- training ---------------------------------------------------------- */

typedef enum { SNNEX_OPT_SGD = 0, SNNEX_OPT_MOMENTUM, SNNEX_OPT_ADAM } snnex_optimizer;
typedef enum { SNNEX_ENC_RATE = 0, SNNEX_ENC_DIRECT } snnex_encoder;
typedef enum { SNNEX_LOSS_CE_COUNT = 0, SNNEX_LOSS_CE_MEM, SNNEX_LOSS_MSE_COUNT, SNNEX_LOSS_CE_RATE } snnex_loss;
typedef enum { SNNEX_DATA_FMNIST = 0, SNNEX_DATA_SYNTHETIC } snnex_dataset;
typedef enum { SNNEX_SURR_FAST_SIGMOID = 0, SNNEX_SURR_ARCTAN, SNNEX_SURR_TRIANGLE } snnex_surrogate;

typedef enum { SNNEX_MODE_TRAIN = 0, SNNEX_MODE_INFERENCE } snnex_mode;

typedef struct {
    snnex_mode mode;             /* train (FP+BP+WG+optimizer) or inference (FP only) */
    int T;                       /* time steps per sample */
    int batch;                   /* samples per batch */
    int spike_bits, membrane_bits, grad_bits, weight_bits, state_bits;
    snnex_optimizer optimizer;
    double lr, momentum, adam_beta1, adam_beta2, adam_eps;
    /* functional trainer settings (snnex train) */
    int epochs;
    int seed;
    snnex_encoder encoder;
    snnex_loss loss;
    snnex_surrogate surrogate;
    double surrogate_slope;
    double du_threshold;         /* |δU| above this counts as nonzero (trace) */
    snnex_dataset dataset;       /* Fashion-MNIST or the seeded synthetic set */
    char data_dir[512];
    int train_limit, test_limit; /* 0 = whole split */
} snnex_training;

/* ---- chip -------------------------------------------------------------- */

typedef enum { SNNEX_MEM_SRAM = 0, SNNEX_MEM_STT } snnex_mem_tech;
typedef enum { SNNEX_FLAVOR_HP = 0, SNNEX_FLAVOR_LOP, SNNEX_FLAVOR_LSTP } snnex_mem_flavor;

typedef struct {
    snnex_mem_tech tech;
    snnex_mem_flavor flavor;
    double capacity_bytes;
    int width_bits;
    int banks;
} snnex_mem;

/* Index of the per-core memories. */
enum {
    SNNEX_CMEM_WEIGHT = 0,
    SNNEX_CMEM_MEMBRANE,
    SNNEX_CMEM_SPIKE,
    SNNEX_CMEM_GRAD,
    SNNEX_N_CMEM
};

typedef struct {
    double node_nm;
    double vdd_V;                /* logic supply */
    double mem_vdd_V;            /* memory supply; 0 = the memory flavour's nominal */
    double temperature_K;        /* junction temperature for leakage */
    double clock_Hz;
    int cores;
    int mesh_x, mesh_y;
    int fp_lanes, bp_lanes, wg_lanes, opt_lanes;
    int skip_group;              /* operand values checked per zero-skip decision (1, 4, 16, 64) */
    int neuron_bits;             /* bits accessed per neuron update (membrane + parameters); 0 = membrane_bits */
    snnex_mem core_mem[SNNEX_N_CMEM];
    snnex_mem global_buf;
    char dram[16];               /* DRAM standard name, see memtech */
    int dram_channels;
    double noc_width_bits;       /* link width */
    double core_pitch_m;         /* distance between neighbouring cores; 0 = from area */
} snnex_chip;

/* ---- mapping ----------------------------------------------------------- */

typedef enum { SNNEX_MC_DATA_PARALLEL = 0, SNNEX_MC_PIPELINE, SNNEX_MC_OUTPUT_SPLIT } snnex_multicore;
typedef enum { SNNEX_WS = 0, SNNEX_OS, SNNEX_IS } snnex_stationarity;
typedef enum { SNNEX_TIME_MAJOR = 0, SNNEX_LAYER_MAJOR } snnex_loop_order;

typedef struct {
    snnex_multicore multicore;
    snnex_stationarity stationarity;
    snnex_loop_order loop_order;
    int overlap_engines;         /* FP/BP/WG of different batches/layers run concurrently */
} snnex_mapping;

/* ---- GPU baseline ------------------------------------------------------ */

typedef struct {
    char name[32];
    double l2_bytes;
    double dram_bw_Bps;
    double peak_flops;           /* FP16 dense */
    double tdp_W;
    double bytes_per_value;      /* activations/state dtype (PyTorch default float32 = 4) */
} snnex_gpu;

/* ---- default sparsity (used when no trace is given) --------------------- */

typedef struct {
    double input;                /* density of spikes entering the first layer */
    double hidden;               /* density of spikes leaving spiking layers */
    double du;                   /* fraction of δU above threshold */
    double grad;                 /* density of the gradient passed down */
} snnex_density;


/* ---- system: several chips training together --------------------------- */

typedef enum { SNNEX_SYS_SINGLE = 0, SNNEX_SYS_DATA_PARALLEL, SNNEX_SYS_FEDERATED } snnex_system_mode;
typedef enum { SNNEX_ALLREDUCE_RING = 0, SNNEX_ALLREDUCE_AGGREGATOR } snnex_allreduce;
typedef enum { SNNEX_AGG_HOST = 0, SNNEX_AGG_WORKER } snnex_aggregator;

/* `workers` identical chips (each with its own DRAM) and the link between
 * a worker and the aggregator. single: one chip, today's estimate;
 * data_parallel: each worker trains a batch, then the gradients are
 * all-reduced; federated: each worker trains local_batches batches, then
 * FedAvg. */
typedef struct {
    snnex_system_mode mode;
    int workers;
    char link[24];               /* a memtech link standard, or "custom" */
    double link_energy_J_per_bit;/* > 0 overrides the standard's (required for custom) */
    double link_bandwidth_bps;   /* > 0 overrides the standard's (required for custom) */
    double link_latency_s;       /* > 0 overrides the standard's */
    int link_shared;             /* 1 one medium for all workers, -1 a link each, 0 the standard's (custom: a link each) */
    snnex_allreduce allreduce;   /* data_parallel */
    int local_batches;           /* federated; 0 = not given (1) */
    int update_bits;             /* federated upload; 0 = not given (training.formats.weight_bits) */
    snnex_aggregator aggregator;
    int overlap;                 /* communication hidden behind local training */
    int idle_power_gated;        /* workers leak nothing while they wait (else on-chip leakage) */
} snnex_system;

/* ---- sparsity trace ---------------------------------------------------- */

/* Tile sizes g at which occupancy is recorded. */
#define SNNEX_TRACE_NG 4
extern const int snnex_trace_g[SNNEX_TRACE_NG]; /* {1, 4, 16, 64} */

/* What the trainer measured for one layer at one time step, averaged over
 * the recorded batches. Densities are fractions in [0, 1]. Layers without
 * neurons or weights (flatten, a pool with lif = false) have du_* = 0
 * (nothing to skip). An fc/conv with lif = false outputs currents: its
 * out_density (and its pool's in_density and in_tile) counts nonzero
 * currents, which are dense (every current has a bias: 1.0 in practice),
 * and its du_* are the density of the gradient of its currents. */
typedef struct {
    double in_density;           /* nonzero input spikes (or currents) */
    double out_density;          /* output spikes (spiking layers) or values */
    double du_exact;             /* δU != 0 */
    double du_thr;               /* |δU| > training.du_threshold */
    double grad_density;         /* nonzero gradient passed to the layer below */
    double in_tile[SNNEX_TRACE_NG];  /* share of aligned g-groups of input spikes with a nonzero */
    double du_tile[SNNEX_TRACE_NG];  /* same for δU above threshold */
} snnex_trace_point;

typedef struct {
    int n_layers, T;
    char signature[256];         /* snnex_network_signature of the net */
    double du_threshold;
    long batches;                /* batches averaged */
    snnex_encoder encoder;       /* input encoding it was recorded with ("# encoder="; absent = rate) */
    int encoder_line;            /* line of "# encoder=" in the file (0 = absent or not read) */
    char path[512];              /* file it was read from ("" when not read) */
    snnex_trace_point *p;        /* [layer * T + t] */
} snnex_trace;

/* A short string identifying the network shape and T, e.g.
 * "in=1x28x28;flatten;fc800;fc10;T=25". A layer whose LIF neurons are not
 * where its type puts them by default is marked: an fc/conv with lif = false
 * "conv12k5s1p0-lif", a pool with lif = true "maxpool2s2+lif". Returns buf. */
char *snnex_network_signature(const snnex_network *net, int T, char *buf, size_t len);

/* Allocate a zeroed trace for net and T. */
snnex_status snnex_trace_alloc(snnex_trace *tr, const snnex_network *net, int T, snnex_err *err);
void snnex_trace_free(snnex_trace *tr);

/* Write the versioned CSV (format in README "Sparsity trace"). */
snnex_status snnex_trace_write(const snnex_trace *tr, const snnex_network *net,
                               FILE *f, snnex_err *err);

/* Read a trace and check it matches net and T; errors are FILE:LINE. The
 * file must end with a newline (a row cut mid-number is otherwise
 * indistinguishable from a whole one). */
snnex_status snnex_trace_read(const char *path, const snnex_network *net, int T,
                              snnex_trace *tr, snnex_err *err);

/* ---- the whole configuration ------------------------------------------- */

typedef struct {
    char path[512];              /* file it was loaded from */
    snnex_chip chip;
    snnex_network net;
    snnex_training train;
    snnex_mapping map;
    snnex_gpu gpu;
    snnex_density density;
    snnex_system system;
} snnex_config;

/* Check that tr was recorded with cfg's training.encoder (a rate-encoded
 * trace does not describe a direct-encoded network's first layer); the
 * error names the trace's "# encoder=" line. snnex_estimate calls it. */
snnex_status snnex_trace_check_config(const snnex_trace *tr, const snnex_config *cfg, snnex_err *err);

/* ---- results ----------------------------------------------------------- */

/* Engines and components of the energy breakdown. */
enum { SNNEX_ENG_FP = 0, SNNEX_ENG_BP, SNNEX_ENG_WG, SNNEX_ENG_OPT, SNNEX_N_ENG };
enum {
    SNNEX_COMP_COMPUTE = 0,      /* arithmetic (accumulates, MACs, neuron updates) */
    SNNEX_COMP_WEIGHT_MEM,       /* per-core memories, indexed like core_mem */
    SNNEX_COMP_MEMBRANE_MEM,
    SNNEX_COMP_SPIKE_MEM,
    SNNEX_COMP_GRAD_MEM,
    SNNEX_COMP_GLOBAL_BUF,
    SNNEX_COMP_DRAM,
    SNNEX_COMP_NOC,
    SNNEX_COMP_LEAKAGE,
    SNNEX_N_COMP
};

/* Action counts of one engine on one layer for one batch (all T steps). */
typedef struct {
    double acc;                  /* spike-gated accumulates (FP synaptic ops, WG adds) */
    double mac;                  /* multiply-accumulates (BP FP16) */
    double mul;                  /* multiplies outside MACs */
    double add;                  /* other adds (optimizer, pooling) */
    double cmp;                  /* compares (threshold, max-pool) */
    double neuron;               /* neuron updates (LIF state update) */
    double dense_equiv;          /* ops if nothing were skipped (same unit as the op above) */
    double flops;                /* FLOPs counted for efficiency (effective) */
    double flops_dense;          /* FLOPs dense-equivalent */
    double mem_rd_bits[SNNEX_N_CMEM + 2];  /* core memories, global buffer, DRAM */
    double mem_wr_bits[SNNEX_N_CMEM + 2];
    double noc_bit_hops;         /* bits × hops on the mesh */
    double noc_bit_m;            /* bits × metres of wire */
} snnex_counts;

#define SNNEX_MEM_GLOBAL SNNEX_N_CMEM       /* index into mem_*_bits */
#define SNNEX_MEM_DRAM (SNNEX_N_CMEM + 1)

typedef struct {
    int feasible;
    char reason[256];            /* why not feasible */
    char tile_source[16];        /* "trace" or "density" */
    int n_layers;
    snnex_counts counts[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    double energy_J[SNNEX_MAX_LAYERS][SNNEX_N_ENG][SNNEX_N_COMP];
    double area_m2[SNNEX_N_COMP];
    /* totals and metrics (SI units) */
    double energy_total_J;       /* per batch */
    double energy_per_sample_J;
    double energy_onchip_J;      /* everything but DRAM */
    double area_total_m2;
    double latency_s;            /* per batch */
    char bound[16];              /* what sets latency: compute|memory|dram|noc */
    double power_W;
    double flops, flops_dense;
    double sops;                 /* synaptic operations (FP accumulates) */
    double tflops_per_w_effective, tflops_per_w_dense; /* on-chip energy (DRAM excluded) */
    double tflops_per_w_system;  /* effective FLOPs over all energy incl. DRAM */
    double tflops_per_w_dynamic; /* effective FLOPs over on-chip dynamic energy (no leakage, no DRAM) */
    double t_compute_s, t_mem_s, t_dram_s, t_noc_s; /* the four latency bounds */
    double pj_per_sop;           /* FP-engine on-chip energy per synaptic accumulate, leakage included */
    double pj_per_sop_dynamic;   /* the same without leakage (incremental energy per SOP) */
    double dram_bytes, gpu_dram_bytes, dram_reduction_vs_gpu_pct;
    /* one round of the system (config group `system`; estimator/system.c).
     * single: the round is the batch (energy_J, latency_s), comm_share 0 and
     * energy_per_sample_J the chip's. data_parallel / federated: over all
     * workers, links and the aggregator; energy_per_sample_J is then the
     * round's energy over the samples it trains. The per-batch fields above
     * stay those of one worker chip. */
    double energy_per_round_J, latency_per_round_s, comm_share;
    double sys_samples_per_round;
    double sys_compute_energy_J;  /* workers × local batches × energy_J */
    double sys_comm_energy_J;     /* link energy */
    double sys_agg_energy_J;      /* aggregation arithmetic */
    double sys_idle_energy_J;     /* worker on-chip leakage while not computing */
    double sys_compute_s, sys_comm_s, sys_agg_s; /* local training, link, aggregation times */
    double sys_bits_per_round;    /* over all links */
    double sys_bits_per_worker;
    double sys_link_energy_J_per_bit, sys_link_bandwidth_bps, sys_link_latency_s; /* the link used */
    int sys_link_shared;          /* its workers share one medium */
} snnex_result;

/* Run the estimate: counts (models), prices (memtech), breakdown. trace may
 * be NULL (config densities). An infeasible design is SNNEX_OK with
 * res->feasible = 0 and a reason. */
snnex_status snnex_estimate(const snnex_config *cfg, const snnex_trace *trace,
                            snnex_result *res, snnex_err *err);

/* Fill the round fields of res (energy_per_round_J, latency_per_round_s,
 * comm_share, sys_*; energy_per_sample_J over the whole system) from its
 * per-batch estimate of one chip and cfg's system group. snnex_estimate
 * calls it last; mode single leaves every per-batch field as it was.
 * SNNEX_EINVAL for a link that is neither a standard nor a complete
 * custom one. */
snnex_status snnex_system_round(const snnex_config *cfg, snnex_result *res, snnex_err *err);

/* Metric by name (see snnex_metric_names). Returns 0, or -1 for an unknown
 * name. */
int snnex_result_metric(const snnex_result *res, const char *name, double *out);

/* NULL-terminated list of the metric names above, in CSV column order. */
extern const char *const snnex_metric_names[];

/* Write the result as "table", "csv" or "json". */
snnex_status snnex_result_write(const snnex_config *cfg, const snnex_result *res,
                                const char *format, FILE *f, snnex_err *err);

/* Fill cfg with the defaults of the option table (no layers). */
void snnex_config_defaults(snnex_config *cfg);

/* Load and validate a config file (with @include resolved relative to the
 * including file). On error fills err with FILE:LINE and a fix hint. */
snnex_status snnex_config_load(const char *path, snnex_config *cfg, snnex_err *err);

/* Same, from a string; name is used in messages and to resolve includes. */
snnex_status snnex_config_load_string(const char *text, const char *name,
                                      snnex_config *cfg, snnex_err *err);

/* Lower-level loading for modules whose config files carry extra top-level
 * groups (sweeps). extra_groups (NULL-terminated) are skipped by the strict
 * walk; after a successful load, hook (if any) is called with the libconfig
 * root so the caller can read them; snnex_config_src_where maps a setting
 * back to its FILE:LINE (through @include). text may be NULL (read path). */
struct config_setting_t;
typedef struct snnex_config_src snnex_config_src;
typedef snnex_status (*snnex_config_hook)(void *ud, const struct config_setting_t *root,
                                          const snnex_config_src *src, snnex_err *err);
snnex_status snnex_config_load_hook(const char *path, const char *text, snnex_config *cfg,
                                    const char *const *extra_groups, snnex_config_hook hook,
                                    void *ud, snnex_err *err);
void snnex_config_src_where(const snnex_config_src *src, const struct config_setting_t *s,
                            const char **file, int *line);

/* Infer every layer's shape; errors name the layer's config line. */
snnex_status snnex_network_infer(snnex_network *net, const char *file, snnex_err *err);

/* Cross-field checks (mesh vs cores, memories, formats...). */
snnex_status snnex_config_validate(const snnex_config *cfg, snnex_err *err);

/* Print the option table as documentation (snnex help config). */
void snnex_config_print_help(FILE *f);

/* Set one option by its key path ("chip.cores", "mapping.loop_order",
 * "network.layers[1].out", ...) from a string value, with the table's type
 * and bounds checks: snnex_setting_parse, then snnex_setting_apply.
 * Setting chip.cores also sets chip.mesh to its most square shape; a layer
 * key or network.input infers the layer shapes again. Returns SNNEX_EINVAL
 * with a message for unknown keys/bad values. */
snnex_status snnex_config_set(snnex_config *cfg, const char *key, const char *value,
                              snnex_err *err);

/* A setting parsed once and applied to many configs (sweeps apply the same
 * few values to every point): the option it sets and its value in stored
 * form. Fields are private to the estimator. */
typedef struct {
    int opt;                       /* index in the option table (layer option table when layer >= 0) */
    int layer;                     /* -1, or i of network.layers[i].KEY */
    int after;                     /* 0; 1: square mesh from chip.cores; 2: infer the layer shapes */
    union {
        int i[3];                  /* int, bool, enum; int2/int3 */
        double d;                  /* double, in SI units */
        const char *s;             /* string: points into the value given to parse */
    } v;
} snnex_setting;

/* Resolve key and parse value for cfg's network (a layer key must name one
 * of its layers), checking them as snnex_config_set does. A string value
 * is kept by pointer: it must outlive set. */
snnex_status snnex_setting_parse(snnex_setting *set, const snnex_config *cfg, const char *key,
                                 const char *value, snnex_err *err);

/* Store set into cfg, then what snnex_config_set does after (mesh, shape
 * inference). Errors only where the shapes become impossible. */
snnex_status snnex_setting_apply(snnex_config *cfg, const snnex_setting *set, snnex_err *err);

/* Apply n settings keys[i] = values[i] as one change (snnex estimate's
 * --set options): each is parsed and stored in turn, then what they imply
 * is derived once (chip.mesh from chip.cores unless chip.mesh is among
 * them, the layer shapes) and the cross-field checks run, so the order of
 * the settings does not matter. Values are copied into cfg. */
snnex_status snnex_config_set_many(snnex_config *cfg, const char *const *keys, const char *const *values, int n,
                                   snnex_err *err);

/* Is key a known option path? */
int snnex_config_has_key(const char *key);

/* Names of enum values, for printing. */
const char *snnex_layer_type_name(snnex_layer_type t);
const char *snnex_mem_tech_name(snnex_mem_tech t);
const char *snnex_multicore_name(snnex_multicore m);
const char *snnex_stationarity_name(snnex_stationarity s);
const char *snnex_loop_order_name(snnex_loop_order o);
const char *snnex_optimizer_name(snnex_optimizer o);

#endif
