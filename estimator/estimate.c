/* estimate — the pipeline: resolve sparsity, let models count actions,
 * price them with memtech, add leakage over the latency, and derive the
 * metrics. Totals are sums of the breakdown, by construction. */
#include "estimator/estimator.h"
#include "memtech/memtech.h"
#include "models/models.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Energy of an add / multiply / compare at the given operand width: the
 * FP16 or FP32 entries of memtech, linear in width for other widths (an
 * approximation; documented in README). */
typedef struct {
    double add, mul, cmp;
} op_costs;

static op_costs ops_for_bits(int bits, double node, double vdd)
{
    op_costs c;
    if (bits >= 32) {
        c.add = memtech_logic_energy_J(MEMTECH_OP_FP32_ADD, node, vdd) * bits / 32.0;
        c.mul = memtech_logic_energy_J(MEMTECH_OP_FP32_MUL, node, vdd) * bits / 32.0;
    } else {
        c.add = memtech_logic_energy_J(MEMTECH_OP_FP16_ADD, node, vdd) * bits / 16.0;
        c.mul = memtech_logic_energy_J(MEMTECH_OP_FP16_MUL, node, vdd) * bits / 16.0;
    }
    c.cmp = memtech_logic_energy_J(MEMTECH_OP_CMP16, node, vdd) * bits / 16.0;
    return c;
}

/* Price memory m (number slot of the chip's memories, named by what,
 * e.g. "chip.memories.weight", in an error) into c. */
static snnex_status mem_cost(const snnex_mem *m, int slot, const snnex_chip *chip, memtech_cost *c,
                             const char *what, const char *path, snnex_err *err)
{
    if (m->capacity_bytes == 0) { /* no such memory on the chip */
        memset(c, 0, sizeof *c);
        return SNNEX_OK;
    }
    memtech_array a;
    memset(&a, 0, sizeof a); /* padding too: the cache compares bytes */
    a = (memtech_array){(memtech_kind)m->tech, (memtech_flavor)m->flavor, chip->node_nm, m->capacity_bytes,
                       m->width_bits, m->banks, chip->mem_vdd_V, chip->temperature_K};
    /* Sweeps price the same few memories again and again: a small
     * per-thread cache of recent arrays (exact key match) skips memtech.
     * Each slot's last entry is tried first: most slots keep their memory
     * from one point to the next. */
    enum { NCACHE = 16 };
    static _Thread_local struct { memtech_array a; memtech_cost c; } cache[NCACHE];
    static _Thread_local int ncached, next, last[SNNEX_N_CMEM + 1];
    for (int k = -1; k < ncached; k++) {
        int i = k < 0 ? last[slot] : k;
        if (i < ncached && memcmp(&cache[i].a, &a, sizeof a) == 0) {
            *c = cache[i].c;
            last[slot] = i;
            return SNNEX_OK;
        }
    }
    snnex_err e;
    if (memtech_array_cost(&a, c, &e) != SNNEX_OK)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "%s: %s", what, e.msg);
    cache[next].a = a;
    cache[next].c = *c;
    last[slot] = next;
    next = (next + 1) % NCACHE;
    if (ncached < NCACHE)
        ncached++;
    return SNNEX_OK;
}

static const char *const cmem_keys[SNNEX_N_CMEM] = {"chip.memories.weight", "chip.memories.membrane",
                                                    "chip.memories.spike", "chip.memories.gradient"};

snnex_status snnex_estimate(const snnex_config *cfg, const snnex_trace *trace, snnex_result *res,
                            snnex_err *err)
{
    const snnex_chip *chip = &cfg->chip;
    const snnex_network *net = &cfg->net;
    const int nl = net->n_layers;
    /* clear only what this network uses: the per-layer arrays are large
     * (SNNEX_MAX_LAYERS) and sweeps call this millions of times */
    memset(res, 0, offsetof(snnex_result, counts));
    memset(res->energy_J, 0, sizeof res->energy_J[0] * (size_t)nl);
    memset(res->area_m2, 0, sizeof *res - offsetof(snnex_result, area_m2));
    res->n_layers = nl;

    /* prices */
    const memtech_dram *dram = memtech_dram_find(chip->dram);
    if (!dram)
        return snnex_err_set(err, SNNEX_EINVAL, cfg->path, 0,
                             "unknown DRAM standard \"%s\" in chip.dram; see snnex mem --tech dram --list", chip->dram);
    memtech_cost mc[SNNEX_N_CMEM + 1];
    for (int m = 0; m < SNNEX_N_CMEM; m++) {
        snnex_status st = mem_cost(&chip->core_mem[m], m, chip, &mc[m], cmem_keys[m], cfg->path, err);
        if (st)
            return st;
    }
    snnex_status st = mem_cost(&chip->global_buf, SNNEX_N_CMEM, chip, &mc[SNNEX_N_CMEM], "chip.global_buffer",
                               cfg->path, err);
    if (st)
        return st;

    /* counts */
    if (trace && (st = snnex_trace_check_config(trace, cfg, err)))
        return st;
    models_sparsity sp[SNNEX_MAX_LAYERS];
    models_sparsity_resolve(cfg, trace, sp, res->tile_source);
    models_chip mch;
    st = models_count(cfg, sp, res->counts, &mch, err);
    if (st)
        return st;
    res->gpu_dram_bytes = models_gpu_dram_bytes(cfg, sp);

    /* area: memories, datapath lanes, routers (no control/wiring overhead:
     * no cited factor) */
    double node = chip->node_nm, vdd = chip->vdd_V;
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        res->area_m2[SNNEX_COMP_WEIGHT_MEM + m] = mc[m].area_m2 * chip->cores;
    res->area_m2[SNNEX_COMP_GLOBAL_BUF] = mc[SNNEX_N_CMEM].area_m2;
    double add_a = memtech_logic_area_m2(MEMTECH_OP_FP16_ADD, node);
    double mul_a = memtech_logic_area_m2(MEMTECH_OP_FP16_MUL, node);
    res->area_m2[SNNEX_COMP_COMPUTE] =
        chip->cores * (chip->fp_lanes * add_a + chip->bp_lanes * (add_a + mul_a) + chip->wg_lanes * add_a +
                       chip->opt_lanes * (add_a + mul_a));
    res->area_m2[SNNEX_COMP_NOC] = chip->cores > 1 ? chip->cores * memtech_router_area_m2(node, (int)chip->noc_width_bits) : 0;
    for (int c = 0; c < SNNEX_N_COMP; c++)
        res->area_total_m2 += res->area_m2[c];
    res->area_core_m2 = (res->area_total_m2 - res->area_m2[SNNEX_COMP_GLOBAL_BUF]) / chip->cores;
    res->area_chip_m2 = res->area_total_m2;

    if (!mch.feasible) {
        res->feasible = 0;
        snprintf(res->reason, sizeof res->reason, "%s", mch.reason);
        return SNNEX_OK;
    }
    res->feasible = 1;

    /* dynamic energy */
    op_costs oc = ops_for_bits(cfg->train.membrane_bits, node, vdd);
    op_costs og = ops_for_bits(cfg->train.grad_bits, node, vdd);
    double pitch = chip->core_pitch_m > 0 ? chip->core_pitch_m : sqrt(res->area_total_m2 / chip->cores);
    double noc_J_bit_hop = memtech_router_energy_J_per_bit(node, vdd) +
                           memtech_wire_energy_J_per_bit_m(node, vdd) * pitch;
    double hit = 1.0 - 64.0 / dram->row_bytes; /* streaming: one miss per row of 64-byte bursts */
    double dyn_total = 0, dram_dyn = 0;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            const snnex_counts *c = &res->counts[l][e];
            double *E = res->energy_J[l][e];
            const op_costs *o = e == SNNEX_ENG_FP ? &oc : &og;
            E[SNNEX_COMP_COMPUTE] = c->acc * o->add + c->mac * (o->add + o->mul) + c->mul * o->mul + c->add * o->add +
                                    c->cmp * o->cmp;
            for (int m = 0; m < SNNEX_N_CMEM; m++)
                E[SNNEX_COMP_WEIGHT_MEM + m] = c->mem_rd_bits[m] * mc[m].read_energy_J / chip->core_mem[m].width_bits +
                                               c->mem_wr_bits[m] * mc[m].write_energy_J / chip->core_mem[m].width_bits;
            E[SNNEX_COMP_GLOBAL_BUF] =
                c->mem_rd_bits[SNNEX_MEM_GLOBAL] * mc[SNNEX_N_CMEM].read_energy_J / chip->global_buf.width_bits +
                c->mem_wr_bits[SNNEX_MEM_GLOBAL] * mc[SNNEX_N_CMEM].write_energy_J / chip->global_buf.width_bits;
            E[SNNEX_COMP_DRAM] = memtech_dram_energy_J(dram, c->mem_rd_bits[SNNEX_MEM_DRAM], 0, hit) +
                                 memtech_dram_energy_J(dram, c->mem_wr_bits[SNNEX_MEM_DRAM], 1, hit);
            E[SNNEX_COMP_NOC] = c->noc_bit_hops * noc_J_bit_hop;
            for (int k = 0; k < SNNEX_COMP_LEAKAGE; k++)
                dyn_total += E[k];
            dram_dyn += E[SNNEX_COMP_DRAM];
            res->flops += c->flops;
            res->flops_dense += c->flops_dense;
            res->dram_bytes += c->mem_rd_bits[SNNEX_MEM_DRAM] / 8 + c->mem_wr_bits[SNNEX_MEM_DRAM] / 8;
            if (e == SNNEX_ENG_FP && net->layers[l].weights > 0)
                res->sops += c->acc + c->mac; /* mac: a direct-encoded first layer */
        }

    /* latency and its bound */
    double f = chip->clock_Hz;
    double compute_cyc = cfg->map.overlap_engines
                             ? fmax(fmax(mch.cycles_fp, mch.cycles_bp), mch.cycles_wg) + mch.cycles_opt
                             : mch.cycles_fp + mch.cycles_bp + mch.cycles_wg + mch.cycles_opt;
    double t_compute = compute_cyc / f, t_mem = mch.mem_cycles / f;
    double t_dram = res->dram_bytes / (dram->bandwidth_Bps * chip->dram_channels);
    double t_noc = mch.noc_max_link_bits / (chip->noc_width_bits * f);
    res->latency_s = t_compute;
    strcpy(res->bound, "compute");
    if (t_mem > res->latency_s)
        res->latency_s = t_mem, strcpy(res->bound, "memory");
    if (t_dram > res->latency_s)
        res->latency_s = t_dram, strcpy(res->bound, "dram");
    if (t_noc > res->latency_s)
        res->latency_s = t_noc, strcpy(res->bound, "noc");

    /* leakage of on-chip memories and DRAM background over the latency,
     * spread over layer × engine in proportion to their dynamic energy
     * (on-chip) and DRAM energy (background), so the breakdown sums */
    double leak_W = mc[SNNEX_N_CMEM].leakage_W;
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        leak_W += mc[m].leakage_W * chip->cores;
    double leak_J = leak_W * res->latency_s;
    double bg_J = dram->background_W * chip->dram_channels * res->latency_s;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            double *E = res->energy_J[l][e], dyn = 0;
            for (int k = 0; k < SNNEX_COMP_LEAKAGE; k++)
                if (k != SNNEX_COMP_DRAM)
                    dyn += E[k];
            double onchip_dyn = dyn_total - dram_dyn;
            E[SNNEX_COMP_LEAKAGE] = onchip_dyn > 0 ? leak_J * dyn / onchip_dyn : 0;
            E[SNNEX_COMP_DRAM] += dram_dyn > 0 ? bg_J * E[SNNEX_COMP_DRAM] / dram_dyn : 0;
        }
    if (dram_dyn <= 0 && nl > 0)
        res->energy_J[0][SNNEX_ENG_FP][SNNEX_COMP_DRAM] += bg_J;

    double onchip = 0, fp_onchip = 0, fp_leak = 0;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++)
            for (int k = 0; k < SNNEX_N_COMP; k++) {
                double v = res->energy_J[l][e][k];
                res->energy_total_J += v;
                if (k != SNNEX_COMP_DRAM) {
                    onchip += v;
                    if (e == SNNEX_ENG_FP)
                        fp_onchip += v, fp_leak += k == SNNEX_COMP_LEAKAGE ? v : 0;
                }
            }
    res->energy_onchip_J = onchip;
    res->energy_per_sample_J = res->energy_total_J / cfg->train.batch;
    res->power_W = res->latency_s > 0 ? res->energy_total_J / res->latency_s : 0;
    res->tflops_per_w_effective = onchip > 0 ? res->flops / onchip / 1e12 : 0;
    res->tflops_per_w_dense = onchip > 0 ? res->flops_dense / onchip / 1e12 : 0;
    res->tflops_per_w_system = res->energy_total_J > 0 ? res->flops / res->energy_total_J / 1e12 : 0;
    double leak_total = 0;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++)
            leak_total += res->energy_J[l][e][SNNEX_COMP_LEAKAGE];
    res->tflops_per_w_dynamic = onchip - leak_total > 0 ? res->flops / (onchip - leak_total) / 1e12 : 0;
    res->pj_per_sop = res->sops > 0 ? fp_onchip / res->sops * 1e12 : 0;
    res->pj_per_sop_dynamic = res->sops > 0 ? (fp_onchip - fp_leak) / res->sops * 1e12 : 0;
    res->dram_reduction_vs_gpu_pct =
        res->gpu_dram_bytes > 0 ? 100.0 * (1.0 - res->dram_bytes / res->gpu_dram_bytes) : 0;
    res->t_compute_s = t_compute, res->t_mem_s = t_mem, res->t_dram_s = t_dram, res->t_noc_s = t_noc;
    return snnex_system_round(cfg, res, err);
}

const char *const snnex_metric_names[] = {
    "energy_J", "energy_per_sample_J", "energy_onchip_J", "area_m2", "area_core_m2", "area_chip_m2", "latency_s", "power_W",
    "tflops_per_w_effective", "tflops_per_w_dense", "tflops_per_w_system", "tflops_per_w_dynamic", "pj_per_sop", "pj_per_sop_dynamic", "dram_bytes",
    "gpu_dram_bytes", "dram_reduction_vs_gpu_pct", "energy_per_round_J", "latency_per_round_s", "comm_share", NULL};

int snnex_result_metric(const snnex_result *r, const char *name, double *out)
{
    const double v[] = {r->energy_total_J, r->energy_per_sample_J, r->energy_onchip_J, r->area_total_m2,
                        r->area_core_m2, r->area_chip_m2, r->latency_s, r->power_W, r->tflops_per_w_effective, r->tflops_per_w_dense,
                        r->tflops_per_w_system, r->tflops_per_w_dynamic, r->pj_per_sop, r->pj_per_sop_dynamic, r->dram_bytes, r->gpu_dram_bytes,
                        r->dram_reduction_vs_gpu_pct, r->energy_per_round_J, r->latency_per_round_s, r->comm_share};
    for (int i = 0; snnex_metric_names[i]; i++)
        if (strcmp(name, snnex_metric_names[i]) == 0) {
            *out = v[i];
            return 0;
        }
    return -1;
}
