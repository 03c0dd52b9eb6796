/* estimate — the pipeline: resolve sparsity, let models count actions,
 * price them with memtech, add leakage over the latency, and derive the
 * metrics. Totals are sums of the breakdown, by construction. */
#include "estimator/estimator.h"
#include "memtech/memtech.h"
#include "models/models.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Energy and area of an adder / multiplier / comparator of a given operand
 * width and number format (README "Modelling contract"):
 *   float: Horowitz's FP16 units (FP32 at 32 bits and more), linear in
 *          width for other widths (an approximation);
 *   int:   Horowitz's integer units: adds linear in width from the 32-bit
 *          add (8-bit: 0.025 against the table's 0.03 pJ), multiplies ∝
 *          width² from the 8-bit multiply (32-bit: 3.2 against 3.1 pJ);
 * compares are 16-bit subtracts, linear in width, either way. */
typedef struct {
    double add, mul, cmp;
} op_costs;

static double int_mul_scale(int bits) { return (bits / 8.0) * (bits / 8.0); }

static op_costs ops_for_bits(int bits, snnex_arith ar, double node, double vdd)
{
    op_costs c;
    if (ar == SNNEX_ARITH_INT) {
        c.add = memtech_logic_energy_J(MEMTECH_OP_INT32_ADD, node, vdd) * bits / 32.0;
        c.mul = memtech_logic_energy_J(MEMTECH_OP_INT8_MUL, node, vdd) * int_mul_scale(bits);
    } else if (bits >= 32) {
        c.add = memtech_logic_energy_J(MEMTECH_OP_FP32_ADD, node, vdd) * bits / 32.0;
        c.mul = memtech_logic_energy_J(MEMTECH_OP_FP32_MUL, node, vdd) * bits / 32.0;
    } else {
        c.add = memtech_logic_energy_J(MEMTECH_OP_FP16_ADD, node, vdd) * bits / 16.0;
        c.mul = memtech_logic_energy_J(MEMTECH_OP_FP16_MUL, node, vdd) * bits / 16.0;
    }
    c.cmp = memtech_logic_energy_J(MEMTECH_OP_CMP16, node, vdd) * bits / 16.0;
    return c;
}

/* Unit areas at one node (m²): per bit of an integer or FP16 adder and a
 * comparator, an 8-bit integer, FP16 and FP32 multiplier, a flip-flop and a
 * gate equivalent. Each is a pow() in memtech; sweeps keep the node of the
 * last call per thread. */
typedef struct {
    double node, add_int, add_fp, cmp, mul_int8, mul_fp16, mul_fp32, ff, ge;
} unit_areas;

static const unit_areas *unit_areas_at(double node)
{
    static _Thread_local unit_areas u = {-1, 0, 0, 0, 0, 0, 0, 0, 0};
    if (u.node != node)
        u = (unit_areas){node,
                         memtech_logic_area_m2(MEMTECH_OP_INT32_ADD, node) / 32.0,
                         memtech_logic_area_m2(MEMTECH_OP_FP16_ADD, node) / 16.0,
                         memtech_logic_area_m2(MEMTECH_OP_CMP16, node) / 16.0,
                         memtech_logic_area_m2(MEMTECH_OP_INT8_MUL, node),
                         memtech_logic_area_m2(MEMTECH_OP_FP16_MUL, node),
                         memtech_logic_area_m2(MEMTECH_OP_FP32_MUL, node),
                         memtech_ff_area_m2(node),
                         memtech_ge_area_m2(node)};
    return &u;
}

/* Raw cell area of one logic block of the inventory: flip-flops, adders
 * and comparators (linear in width), multipliers and other gates. Adders
 * and multipliers follow the number format as their energies do; the
 * controllers' counters are integer whatever the datapath. */
static double block_area_m2(const models_logic_block *b, snnex_arith ar, int integer, const unit_areas *u)
{
    if (integer)
        ar = SNNEX_ARITH_INT;
    double add1, mul;
    if (ar == SNNEX_ARITH_INT) {
        add1 = u->add_int;
        mul = u->mul_int8 * int_mul_scale((int)b->mul_w);
    } else {
        int wide = b->mul_w >= 32;
        add1 = u->add_fp;
        mul = (wide ? u->mul_fp32 : u->mul_fp16) * b->mul_w / (wide ? 32.0 : 16.0);
    }
    return b->ff * u->ff + b->add_bits * add1 + b->n_mul * mul + b->cmp_bits * u->cmp + b->ge * u->ge;
}

/* Layout: placed cells and macros take 1.1× their area within a core
 * (McPAT macro/placement overhead), and the die 1.2× its cores and
 * buffers (McPAT chip overhead: I/O, pads, PLL); overheads/README.md §4. */
#define LAYOUT_OVERHEAD 1.1
#define CHIP_OVERHEAD 1.2

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
    memtech_flavor fl = (memtech_flavor)m->flavor;
    if (m->flavor == SNNEX_FLAVOR_PROCESS)
        memtech_process_defaults((memtech_process)chip->process, &fl, NULL);
    a = (memtech_array){(memtech_kind)m->tech, fl, chip->node_nm, m->capacity_bytes,
                       m->width_bits, m->banks, chip->mem_vdd_V, chip->temperature_K};
    if (m->tech == SNNEX_MEM_SCM && a.vdd_V == 0)
        a.vdd_V = chip->vdd_V; /* latches of the logic library: on the logic supply unless mem_vdd_V says */
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
    /* the per-core memories, then the global buffer (slot SNNEX_N_CMEM) */
    const snnex_calib *cal = &cfg->calib;
    memtech_cost mc[SNNEX_N_CMEM + 1];
    snnex_status st;
    for (int m = 0; m <= SNNEX_N_CMEM; m++) {
        const snnex_mem *mem = m < SNNEX_N_CMEM ? &chip->core_mem[m] : &chip->global_buf;
        if ((st = mem_cost(mem, m, chip, &mc[m], m < SNNEX_N_CMEM ? cmem_keys[m] : "chip.global_buffer", cfg->path,
                           err)))
            return st;
        /* a standard-cell memory is logic cells: placed at the calibrated
         * utilisation, leaking with the logic's global scale */
        if (mem->tech == SNNEX_MEM_SCM) {
            mc[m].area_m2 /= cal->utilisation;
            mc[m].leakage_W *= cal->leak_scale;
        }
    }

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

    /* area: memories and the logic inventory (placed at the calibrated
     * utilisation), with the layout overheads */
    double node = chip->node_nm, vdd = chip->vdd_V;
    models_logic inv;
    models_logic_inventory(cfg, &inv);
    double blk_area[MODELS_N_LOGIC], logic_raw = 0;
    const unit_areas *ua = unit_areas_at(node);
    for (int b = 0; b < MODELS_N_LOGIC; b++) {
        blk_area[b] = block_area_m2(&inv.blk[b], chip->arith, b == MODELS_LOGIC_CTRL, ua);
        logic_raw += blk_area[b];
    }
    double placed = LAYOUT_OVERHEAD * chip->cores / cal->utilisation;
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        res->area_m2[SNNEX_COMP_WEIGHT_MEM + m] = LAYOUT_OVERHEAD * mc[m].area_m2 * chip->cores;
    res->area_m2[SNNEX_COMP_GLOBAL_BUF] = LAYOUT_OVERHEAD * mc[SNNEX_N_CMEM].area_m2;
    for (int b = MODELS_LOGIC_FP; b <= MODELS_LOGIC_NEURON; b++)
        res->area_m2[SNNEX_COMP_COMPUTE] += placed * blk_area[b];
    res->area_m2[SNNEX_COMP_NOC] = placed * blk_area[MODELS_LOGIC_ROUTER];
    res->area_m2[SNNEX_COMP_CONTROL] = placed * (blk_area[MODELS_LOGIC_MEMPORT] + blk_area[MODELS_LOGIC_CTRL]);
    double inside = 0;
    for (int c = 0; c < SNNEX_N_COMP; c++)
        inside += res->area_m2[c];
    res->area_core_m2 = (inside - res->area_m2[SNNEX_COMP_GLOBAL_BUF]) / chip->cores;
    res->area_io_m2 = (CHIP_OVERHEAD - 1) * inside;
    res->area_chip_m2 = res->area_total_m2 = inside + res->area_io_m2;

    if (!mch.feasible) {
        res->feasible = 0;
        snprintf(res->reason, sizeof res->reason, "%s", mch.reason);
        return SNNEX_OK;
    }
    res->feasible = 1;

    /* dynamic energy */
    op_costs oc = ops_for_bits(cfg->train.membrane_bits, chip->arith, node, vdd);
    op_costs og = ops_for_bits(cfg->train.grad_bits, chip->arith, node, vdd);
    double pitch = chip->core_pitch_m > 0 ? chip->core_pitch_m : sqrt(res->area_core_m2);
    double e_data = 0.5 * memtech_ff_data_energy_J(node, vdd); /* ASSUMED: a written register bit toggles half the time (random data) */
    /* a control event: ctrl_ge gate-equivalent operations of a state
     * machine, or one instruction of a processor: 50x the adder's energy
     * (Asanovic et al.: the adder is 1/50 of a RISC add instruction's
     * energy, the rest fetch, register file, pipeline and control;
     * overheads.csv adder_share_of_risc_add_instruction_energy) */
    double e_ctrl = chip->control == SNNEX_CTRL_CPU ? 50.0 * memtech_logic_energy_J(MEMTECH_OP_INT32_ADD, node, vdd)
                                                    : cal->ctrl_ge * memtech_ge_energy_J(node, vdd);
    double noc_J_bit_hop = memtech_router_energy_J_per_bit(node, vdd) +
                           memtech_wire_energy_J_per_bit_m(node, vdd) * pitch;
    double hit = 1.0 - 64.0 / dram->row_bytes; /* streaming: one miss per row of 64-byte bursts */
    double dyn_total = 0, dram_dyn = 0;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            const snnex_counts *c = &res->counts[l][e];
            double *E = res->energy_J[l][e];
            const op_costs *o = e == SNNEX_ENG_FP ? &oc : &og;
            /* arithmetic, and the lanes' registers each issue writes */
            E[SNNEX_COMP_COMPUTE] = c->acc * o->add + c->mac * (o->add + o->mul) + c->mul * o->mul + c->add * o->add +
                                    c->cmp * o->cmp + models_lane_issues(cfg, c, e) * inv.blk[e].ff * e_data;
            E[SNNEX_COMP_CONTROL] = models_control_events(cfg, c, e) * e_ctrl;
            for (int m = 0; m < SNNEX_N_CMEM; m++)
                E[SNNEX_COMP_WEIGHT_MEM + m] = c->mem_rd_bits[m] * mc[m].read_energy_J / chip->core_mem[m].width_bits +
                                               c->mem_wr_bits[m] * mc[m].write_energy_J / chip->core_mem[m].width_bits;
            E[SNNEX_COMP_GLOBAL_BUF] =
                c->mem_rd_bits[SNNEX_MEM_GLOBAL] * mc[SNNEX_N_CMEM].read_energy_J / chip->global_buf.width_bits +
                c->mem_wr_bits[SNNEX_MEM_GLOBAL] * mc[SNNEX_N_CMEM].write_energy_J / chip->global_buf.width_bits;
            E[SNNEX_COMP_DRAM] = memtech_dram_energy_J(dram, c->mem_rd_bits[SNNEX_MEM_DRAM], 0, hit) +
                                 memtech_dram_energy_J(dram, c->mem_wr_bits[SNNEX_MEM_DRAM], 1, hit);
            E[SNNEX_COMP_NOC] = c->noc_bit_hops * noc_J_bit_hop;
            for (int k = 0; k < SNNEX_COMP_CLOCK; k++)
                dyn_total += E[k];
            dyn_total += E[SNNEX_COMP_CONTROL];
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
    /* real-time pacing: a sensor delivers one time step per tick, samples
     * one after another; the chip idles (leaks, clocks its controllers,
     * keeps DRAM in background) until the next tick */
    res->t_work_s = res->latency_s;
    res->t_realtime_s = cfg->train.timestep_s * cfg->train.T * cfg->train.batch;
    if (res->t_realtime_s > res->latency_s)
        res->latency_s = res->t_realtime_s, strcpy(res->bound, "realtime");

    /* clock: every flip-flop of the inventory × its clock energy × (1 +
     * k_tree) per clocked cycle, on every core. With clock gating an
     * engine's lanes (and the neuron unit with FP) are clocked in the
     * cycles they work and keep the gates' residual otherwise; memory
     * ports while the memories are busy, the router while its busiest
     * link is; the controllers always (they sequence). Asynchronous logic
     * has no clock: every block latches only in its busy cycles (the
     * controllers with the busiest engine), k_tree then standing for the
     * handshake wiring. Engine blocks are
     * charged to their engine; shared blocks, like leakage, to every
     * layer × engine in proportion to its on-chip dynamic energy. */
    double cyc_total = res->latency_s * f;
    double e_clk = memtech_ff_clock_energy_J(node, vdd) * (1 + cal->k_tree) * chip->cores;
    double resid = chip->asynchronous ? 0.0 : chip->clock_gating ? memtech_clock_gate_residual() : 1.0;
    const double eng_cyc[SNNEX_N_ENG] = {mch.cycles_fp, mch.cycles_bp, mch.cycles_wg, mch.cycles_opt};
#define CLOCKED(active) (fmin(cyc_total, (active)) + resid * fmax(0, cyc_total - (active)))
    double clk_eng[SNNEX_N_ENG], eng_dyn[SNNEX_N_ENG] = {0};
    for (int e = 0; e < SNNEX_N_ENG; e++) {
        clk_eng[e] = inv.blk[e].ff * e_clk * CLOCKED(eng_cyc[e]);
        for (int l = 0; l < nl; l++)
            for (int k = 0; k < SNNEX_COMP_CLOCK; k++)
                eng_dyn[e] += k == SNNEX_COMP_DRAM ? 0 : res->energy_J[l][e][k];
    }
    clk_eng[SNNEX_ENG_FP] += inv.blk[MODELS_LOGIC_NEURON].ff * e_clk * CLOCKED(mch.cycles_fp);
    double clk_shared = inv.blk[MODELS_LOGIC_MEMPORT].ff * e_clk * CLOCKED(mch.mem_cycles) +
                        inv.blk[MODELS_LOGIC_ROUTER].ff * e_clk * CLOCKED(t_noc * f) +
                        inv.blk[MODELS_LOGIC_CTRL].ff * e_clk *
                            (chip->asynchronous ? CLOCKED(fmax(fmax(mch.cycles_fp, mch.cycles_bp), fmax(mch.cycles_wg, mch.cycles_opt))) : cyc_total);
#undef CLOCKED
    /* an engine with no dynamic energy but clocked flip-flops: on its first layer */
    for (int e = 0; e < SNNEX_N_ENG; e++)
        if (eng_dyn[e] <= 0 && nl > 0)
            res->energy_J[0][e][SNNEX_COMP_CLOCK] = clk_eng[e];

    /* leakage: on-chip memories (memtech, their flavour and temperature)
     * and logic (raw cell area × the process's Vt density × the global
     * scale), and DRAM background, over the latency; spread over layer ×
     * engine in proportion to their dynamic energy (on-chip) and DRAM
     * energy (background), so the breakdown sums */
    double leak_W = mc[SNNEX_N_CMEM].leakage_W;
    for (int m = 0; m < SNNEX_N_CMEM; m++)
        leak_W += mc[m].leakage_W * chip->cores;
    double leak_J = leak_W * res->latency_s;
    memtech_vt vt;
    memtech_process_defaults((memtech_process)chip->process, NULL, &vt);
    double logic_leak_J = logic_raw * chip->cores * cal->leak_scale *
                          memtech_logic_leakage_W_per_m2(vt, vdd, chip->temperature_K) * res->latency_s;
    double bg_J = dram->background_W * chip->dram_channels * res->latency_s;
    double onchip_dyn = dyn_total - dram_dyn;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            double *E = res->energy_J[l][e], dyn = E[SNNEX_COMP_CONTROL];
            for (int k = 0; k < SNNEX_COMP_CLOCK; k++)
                if (k != SNNEX_COMP_DRAM)
                    dyn += E[k];
            double share = onchip_dyn > 0 ? dyn / onchip_dyn : 0;
            if (eng_dyn[e] > 0)
                E[SNNEX_COMP_CLOCK] = clk_eng[e] * (dyn - E[SNNEX_COMP_CONTROL]) / eng_dyn[e];
            E[SNNEX_COMP_CLOCK] += clk_shared * share;
            E[SNNEX_COMP_LEAKAGE] = leak_J * share;
            E[SNNEX_COMP_LOGIC_LEAK] = logic_leak_J * share;
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
                        fp_onchip += v, fp_leak += k == SNNEX_COMP_LEAKAGE || k == SNNEX_COMP_LOGIC_LEAK ? v : 0;
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
            leak_total += res->energy_J[l][e][SNNEX_COMP_LEAKAGE] + res->energy_J[l][e][SNNEX_COMP_LOGIC_LEAK];
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
