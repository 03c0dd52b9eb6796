/* estimator — loading the snnex configuration (the description of
 * desc/desc.h: chip, network, training, mapping, sparsity) from libconfig
 * files through one option table, and the estimate pipeline: models count
 * actions, memtech prices them, this module multiplies and reports. It
 * includes desc/desc.h, so its users get the description types too. */
#ifndef SNNEX_ESTIMATOR_H
#define SNNEX_ESTIMATOR_H

#include <stdio.h>
#include "common/common.h"
#include "desc/desc.h"

/* ---- results ----------------------------------------------------------- */

/* Components of the energy breakdown. */
enum {
    SNNEX_COMP_COMPUTE = 0,      /* arithmetic (accumulates, MACs, neuron updates) */
    SNNEX_COMP_WEIGHT_MEM,       /* per-core memories, indexed like core_mem */
    SNNEX_COMP_MEMBRANE_MEM,
    SNNEX_COMP_SPIKE_MEM,
    SNNEX_COMP_GRAD_MEM,
    SNNEX_COMP_GLOBAL_BUF,
    SNNEX_COMP_DRAM,
    SNNEX_COMP_NOC,
    SNNEX_COMP_CLOCK,            /* flip-flop clock pins, clock buffers and wire (k_tree) */
    SNNEX_COMP_CONTROL,          /* engine controllers: address generation, decode, handshakes */
    SNNEX_COMP_LEAKAGE,          /* on-chip memory leakage (first static component) */
    SNNEX_COMP_LOGIC_LEAK,       /* logic leakage */
    SNNEX_N_COMP
};

typedef struct {
    int feasible;
    char reason[256];            /* why not feasible */
    char tile_source[16];        /* "trace" or "density" */
    int n_layers;
    snnex_counts counts[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    double energy_J[SNNEX_MAX_LAYERS][SNNEX_N_ENG][SNNEX_N_COMP];
    double area_m2[SNNEX_N_COMP]; /* placed, incl. the core layout overhead (clock and leakage: 0;
                                     control: memory ports and controllers) */
    double area_io_m2;           /* the die beyond its cores and buffer: I/O, pads, PLL */
    /* totals and metrics (SI units) */
    double energy_total_J;       /* per batch */
    double energy_per_sample_J;
    double energy_onchip_J;      /* everything but DRAM */
    double area_total_m2;        /* the chip: cores, global buffer and the chip overhead (= area_chip_m2) */
    double area_core_m2;         /* one core: its memories, datapath, logic and router */
    double area_chip_m2;         /* the die: cores, global buffer, I/O, pads, PLL */
    double latency_s;            /* per batch */
    char bound[16];              /* what sets latency: compute|memory|dram|noc|realtime */
    double power_W;
    double flops, flops_dense;
    double sops;                 /* synaptic operations (FP accumulates) */
    double tflops_per_w_effective, tflops_per_w_dense; /* on-chip energy (DRAM excluded) */
    double tflops_per_w_system;  /* effective FLOPs over all energy incl. DRAM */
    double tflops_per_w_dynamic; /* effective FLOPs over on-chip dynamic energy (no leakage, no DRAM) */
    double t_compute_s, t_mem_s, t_dram_s, t_noc_s; /* the four latency bounds of the work */
    double t_realtime_s;         /* T × batch × training.timestep (0 = unpaced): the wall-time floor */
    double t_work_s;             /* the slowest of the four: the time the chip is busy */
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

#endif
