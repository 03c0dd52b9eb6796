/* desc — the description snnex estimates and trains: the chip (cores,
 * lanes, memories, mesh), the network (layers and their shapes), the
 * training setup, the mapping, the GPU baseline, the default sparsity, the
 * sparsity trace, and the action counts models fill in per engine and
 * layer; shape inference, the trace file and the names of enum values.
 * Depends on common/ only: models/, trainer/ and estimator/ (which loads a
 * description from config files) sit above it. */
#ifndef SNNEX_DESC_H
#define SNNEX_DESC_H

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

typedef enum { SNNEX_POOL_AVG = 0, SNNEX_POOL_MAX, SNNEX_POOL_SUM } snnex_pool_kind;
/* The neurons of a layer (layer key `neuron`; NIR node types LIF, IF,
 * CubaLIF, LI):
 *  - lif:     U[t] = β·U[t-1] + I[t]; spike when U ≥ θ, then reset;
 *  - if:      the same with β = 1 (no leak);
 *  - cubalif: a synaptic current state and the membrane, two state words
 *             per neuron: I[t] = α·I[t-1] + x[t], U[t] = β·U[t-1] + I[t];
 *             spike and reset as lif;
 *  - li:      leaky integrator readout U[t] = β·U[t-1] + I[t], no threshold
 *             and no spike (its output is the membrane); last layer only. */
typedef enum { SNNEX_NEURON_LIF = 0, SNNEX_NEURON_IF, SNNEX_NEURON_CUBALIF, SNNEX_NEURON_LI } snnex_neuron;
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
    snnex_neuron neuron;         /* the model of the neurons at the output (layers with neurons) */
    double beta, theta, alpha;   /* per-layer β, θ, α (cubalif's synaptic decay); 0 = not given:
                                    the network's (network.neuron.*); use snnex_layer_beta() etc. */
    int recurrent;               /* fc: its own spikes at t-1 feed back through an out×out matrix */
    int dilation, groups;        /* conv: kernel dilation (1 = dense) and channel groups (1 = full) */
    /* inferred by snnex_network_infer */
    int in_c, in_h, in_w;
    int out_c, out_h, out_w;
    long in_size, out_size;      /* neurons per sample */
    long weights;                /* trainable parameters (fc/conv; no bias), the recurrent matrix included */
    long rec_weights;            /* of which recurrent (fc with recurrent = true: out*out; else 0) */
    long fanout;                 /* synapses per input neuron (fc: out; conv: approx out_c*k*k/stride^2) */
    long synapses;               /* (input, output) pairs with a weight, per sample: fc in*out, conv
                                    out_size*(in_c/groups)*k*k (padding excluded); feed-forward only
                                    (the recurrent ones are rec_weights) */
    int spiking;                 /* 1: neurons at the output (lif resolved; an li readout has neurons
                                    but sends no spikes: check neuron) */
    int line;                    /* config line that defined it */
    /* per-layer densities (config or trace); <0 means "use the default" */
    double in_density, out_density, du_density, grad_density;
} snnex_layer;

typedef struct {
    int in_c, in_h, in_w;        /* input sample shape */
    int n_layers;
    snnex_layer layers[SNNEX_MAX_LAYERS];
    double beta;                 /* membrane decay (default of every layer) */
    double theta;                /* firing threshold */
    double alpha;                /* synaptic-current decay of cubalif neurons */
    snnex_reset reset;
} snnex_network;

/* ---- training ---------------------------------------------------------- */

typedef enum { SNNEX_OPT_SGD = 0, SNNEX_OPT_MOMENTUM, SNNEX_OPT_ADAM } snnex_optimizer;
typedef enum { SNNEX_ENC_RATE = 0, SNNEX_ENC_DIRECT } snnex_encoder;
typedef enum { SNNEX_LOSS_CE_COUNT = 0, SNNEX_LOSS_CE_MEM, SNNEX_LOSS_MSE_COUNT, SNNEX_LOSS_CE_RATE } snnex_loss;
typedef enum { SNNEX_DATA_FMNIST = 0, SNNEX_DATA_SYNTHETIC, SNNEX_DATA_SYNTHETIC_TEMPORAL } snnex_dataset;
typedef enum { SNNEX_SURR_FAST_SIGMOID = 0, SNNEX_SURR_ARCTAN, SNNEX_SURR_TRIANGLE } snnex_surrogate;

typedef enum { SNNEX_MODE_TRAIN = 0, SNNEX_MODE_INFERENCE } snnex_mode;

typedef struct {
    snnex_mode mode;             /* train (FP+BP+WG+optimizer) or inference (FP only) */
    int T;                       /* time steps per sample */
    int batch;                   /* samples per batch */
    double timestep_s;           /* real-time pacing: wall time of one time step (a tick); 0 = unpaced */
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
    snnex_dataset dataset;       /* Fashion-MNIST, the seeded synthetic set, or its temporal variant */
    char data_dir[512];
    int train_limit, test_limit; /* 0 = whole split */
} snnex_training;

/* ---- chip -------------------------------------------------------------- */

typedef enum { SNNEX_MEM_SRAM = 0, SNNEX_MEM_STT, SNNEX_MEM_SCM } snnex_mem_tech;
/* SNNEX_FLAVOR_PROCESS: the default flavour of the chip's process class
 * (chip.process; memtech_process_defaults). */
typedef enum { SNNEX_FLAVOR_HP = 0, SNNEX_FLAVOR_LOP, SNNEX_FLAVOR_LSTP, SNNEX_FLAVOR_PROCESS } snnex_mem_flavor;
/* Process class of the chip (= memtech_process): sets the default flavour
 * of its memories and the threshold flavour of its logic. */
typedef enum { SNNEX_PROC_BULK_LP = 0, SNNEX_PROC_BULK_HP, SNNEX_PROC_FDSOI, SNNEX_PROC_FINFET } snnex_process;
/* Number format of the datapath arithmetic: floating point (FP16/FP32
 * units) or integer/fixed point. */
typedef enum { SNNEX_ARITH_FLOAT = 0, SNNEX_ARITH_INT } snnex_arith;
/* How engines are sequenced: hard-wired state machines, or an embedded
 * processor running the event loop in software (SpiNNaker's ARM cores). */
typedef enum { SNNEX_CTRL_FSM = 0, SNNEX_CTRL_CPU } snnex_control;

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
    snnex_process process;       /* process class: default memory flavour and logic Vt */
    int clock_gating;            /* engines are clocked only in cycles they work (a residual when idle) */
    snnex_arith arith;           /* number format of the engines' adders and multipliers */
    snnex_control control;       /* engine sequencing: state machines or a processor */
    int asynchronous;            /* no clock: registers latch only when data passes (handshakes) */
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

/* ---- global calibration ------------------------------------------------ */

/* The few coefficients no source pins down, fitted once over the whole
 * validation set (make calibrate -> estimator/calib_coef.c); never per
 * chip, not settable from a config. Each has a cited or argued range
 * (validation/calibrate.c). */
typedef struct {
    double k_tree;               /* clock buffers and wire, as a multiple of the flip-flops' clock energy */
    double ctrl_ge;              /* gate-equivalent operations per control event (decode, sequencing) */
    double utilisation;          /* placement utilisation of logic cells */
    double leak_scale;           /* scale on the logic leakage density of the process's Vt flavour */
} snnex_calib;
#define SNNEX_N_CALIB 4
extern const snnex_calib snnex_calib_default;   /* estimator/calib_coef.c (generated) */

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
 * "conv12k5s1p0-lif", a pool with lif = true "maxpool2s2+lif". Features
 * that are not the defaults are marked too, so that the networks without
 * them keep their signatures: a recurrent fc "fc38r", a conv with dilation
 * or groups "conv8k3s1p1d2g4", a sum pool "sumpool2s2", neurons other than
 * lif ":if", ":cubalif", ":li" after the layer ("fc38r:cubalif"). Returns
 * buf. */
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
    char nir_path[512];          /* network.nir: the network is read from this NIR file ("" = from the config) */
    double nir_dt_s;             /* network.nir_dt_ms: its time step (0 = the file's metadata) */
    snnex_calib calib;           /* the global calibration (snnex_calib_default; validation refits it) */
} snnex_config;

/* Check that tr was recorded with cfg's training.encoder (a rate-encoded
 * trace does not describe a direct-encoded network's first layer); the
 * error names the trace's "# encoder=" line. snnex_estimate calls it. */
snnex_status snnex_trace_check_config(const snnex_trace *tr, const snnex_config *cfg, snnex_err *err);

/* ---- action counts ------------------------------------------------------ */

/* Engines: models count each one's actions, the estimator breaks energy
 * down by them. */
enum { SNNEX_ENG_FP = 0, SNNEX_ENG_BP, SNNEX_ENG_WG, SNNEX_ENG_OPT, SNNEX_N_ENG };

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

/* ---- shape inference and names ----------------------------------------- */

/* Infer every layer's shape; errors name the layer's config line. */
snnex_status snnex_network_infer(snnex_network *net, const char *file, snnex_err *err);

/* A layer's neuron parameters: its own when given, else the network's;
 * an if layer's β is 1. */
double snnex_layer_beta(const snnex_network *net, const snnex_layer *L);
double snnex_layer_theta(const snnex_network *net, const snnex_layer *L);
double snnex_layer_alpha(const snnex_network *net, const snnex_layer *L);

/* State words per neuron of a layer with neurons (cubalif 2: current and
 * membrane; lif, if, li 1). */
int snnex_neuron_state_words(snnex_neuron n);

/* Names of enum values, for printing. */
const char *snnex_neuron_name(snnex_neuron n);
const char *snnex_pool_name(snnex_pool_kind p);
const char *snnex_layer_type_name(snnex_layer_type t);
const char *snnex_mem_tech_name(snnex_mem_tech t);
const char *snnex_multicore_name(snnex_multicore m);
const char *snnex_stationarity_name(snnex_stationarity s);
const char *snnex_loop_order_name(snnex_loop_order o);
const char *snnex_optimizer_name(snnex_optimizer o);

#endif
