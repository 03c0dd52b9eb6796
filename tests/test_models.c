/* models and the estimate pipeline: mesh hop counts against brute force,
 * hand-calculated memory traffic per dataflow and loop order, property
 * tests over random configs, breakdown sums, and the seed figures. */
#include "estimator/estimator.h"
#include "memtech/memtech.h"
#include "models/models.h"
#include "test_util.h"

#include <stdlib.h>

/* ---- mesh: closed forms vs enumeration ------------------------------------ */

static void test_mesh_hops(void)
{
    for (int x = 1; x <= 7; x++)
        for (int y = 1; y <= 7; y++) {
            int n = x * y;
            double sum = 0, pairs = 0, edge = 0;
            for (int a = 0; a < n; a++) {
                /* edge port west of column 0 at row floor((y-1)/2): +1 hop */
                edge += (a % x) + abs(a / x - (y - 1) / 2) + 1;
                for (int b = 0; b < n; b++)
                    if (a != b) {
                        sum += abs(a % x - b % x) + abs(a / x - b / x);
                        pairs++;
                    }
            }
            ASSERT_CLOSE(models_mesh_mean_hops(x, y), pairs ? sum / pairs : 0, 1e-12);
            ASSERT_CLOSE(models_mesh_mean_hops_to_edge(x, y), edge / n, 1e-12);
            /* snake order: row r walks left→right when r is even */
            int lr = y - 1, lc = (y - 1) % 2 ? 0 : x - 1;
            int want = n > 1 ? lr + lc : 0;
            CU_ASSERT_EQUAL(models_mesh_snake_wrap_hops(x, y), want);
        }
}

/* ---- hand-calculated traffic on a tiny fc layer ------------------------------ */

/* fc 4→2 on one core, T=2, B=2, input density 0.5, hidden 0.5, du 0.5,
 * 16-bit weights/membrane/grad, 1-bit spikes, memories large enough.
 * S = 8 synapses, acc = 0.5·8·2·2 = 16, neuron updates 2·2·2 = 8.
 *  OS: weight reads 16·16 = 256 bits; membrane rd = wr = 8·16 = 128 bits
 *      (no per-accumulate partial sums); input spike reads 4·4·ceil(2/lanes)
 *      = 16 bits.
 *  IS: weight reads 256; membrane rd = wr = (16 + 8)·16 = 384.
 *  WS: a weight serves both samples of a step: reads = S·T·occ over the
 *      batch (1-(1-0.5)^2 = 0.75)·(B/B) = 8·2·0.75 = 12 weights = 192 bits;
 *      membrane as IS (384). */
static const char *tiny = "chip = { cores = 1; engines = { fp_lanes = 4; }; };\n"
                          "network = { input = [4, 1, 1]; layers = ( { type = \"fc\"; out = 2; } ); };\n"
                          "training = { T = 2; batch = 2; optimizer = \"sgd\"; };\n"
                          "sparsity = { input = 0.5; hidden = 0.5; du = 0.5; };\n";

static void counts_for(snnex_config *cfg, snnex_counts c[][SNNEX_N_ENG])
{
    models_sparsity sp[SNNEX_MAX_LAYERS];
    char src[16];
    models_chip ch;
    snnex_err err;
    models_sparsity_resolve(cfg, NULL, sp, src);
    CU_ASSERT_EQUAL(models_count(cfg, sp, c, &ch, &err), SNNEX_OK);
    CU_ASSERT(ch.feasible);
}

static void test_dataflows(void)
{
    snnex_config cfg;
    snnex_err err;
    static snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(tiny, "tiny.cfg", &cfg, &err), SNNEX_OK);
    cfg.map.stationarity = SNNEX_OS;
    counts_for(&cfg, c);
    const snnex_counts *fp = &c[0][SNNEX_ENG_FP];
    ASSERT_CLOSE(fp->acc, 16, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_WEIGHT], 256, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE], 128, 1e-12);
    ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE], 128, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_SPIKE], 16, 1e-12);
    cfg.map.stationarity = SNNEX_IS;
    counts_for(&cfg, c);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_WEIGHT], 256, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE], 384, 1e-12);
    cfg.map.stationarity = SNNEX_WS;
    counts_for(&cfg, c);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_WEIGHT], 192, 1e-12);
    ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE], 384, 1e-12);
    /* chip.neuron_bits: a 64-bit neuron word (membrane + parameters) is read
     * and written per update: IS membrane rd = wr = (16 + 8)·64 = 1536 bits;
     * the BPTT history (time-major, to the global buffer) stays 16-bit:
     * 2 neurons·2 steps·2 samples·16 = 128 bits written below the core */
    cfg.chip.neuron_bits = 64;
    cfg.map.stationarity = SNNEX_IS;
    counts_for(&cfg, c);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE], 1536, 1e-12);
    ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_CMEM_MEMBRANE], 1536, 1e-12);
    ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_MEM_GLOBAL], 128 + 16, 1e-12);
    /* a word narrower than the membrane is the membrane (16 bits) */
    cfg.chip.neuron_bits = 8;
    counts_for(&cfg, c);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_MEMBRANE], 384, 1e-12);
}

/* Pipeline placement, 4 cores, 1 KiB membrane memories: fc 16→1024 needs
 * ceil(1024·16 / 8192) = 2 cores for one sample's membranes, fc 1024→10
 * one. The 1 core left goes by synapses (16384 vs 10240: shares 0.615 and
 * 0.385, largest remainder to the first): 3 + 1. (Synapses alone would
 * give 2 + 2, and the first layer's membranes would not fit.) */
static void test_pipeline_placement(void)
{
    snnex_config cfg;
    snnex_err err;
    const char *src = "chip = { cores = 4; memories = { membrane = { capacity_KiB = 1.0; }; }; };\n"
                      "network = { input = [16, 1, 1]; layers = ( { type = \"fc\"; out = 1024; },"
                      " { type = \"fc\"; out = 10; } ); };\n"
                      "training = { T = 2; batch = 2; optimizer = \"sgd\"; };\n"
                      "mapping = { multicore = \"pipeline\"; };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(src, "pipe.cfg", &cfg, &err), SNNEX_OK);
    models_placement pl[SNNEX_MAX_LAYERS];
    models_place(&cfg, pl);
    CU_ASSERT_EQUAL(pl[0].cores, 3);
    CU_ASSERT_EQUAL(pl[1].cores, 1);
    static snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    counts_for(&cfg, c); /* feasible */
}

/* The tiny net, output-stationary, time-major. */
static void tiny_os_time_major(snnex_config *cfg)
{
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(tiny, "tiny.cfg", cfg, &err), SNNEX_OK);
    cfg->map.stationarity = SNNEX_OS;
    cfg->map.loop_order = SNNEX_TIME_MAJOR;
}

/* Loop order: time-major streams the BPTT history (U: 2·2·2 values of 16
 * bits = 128 bits; s_in: 4·2·2 = 16 bits) below the cores — to the global
 * buffer, which is large enough; layer-major keeps it in the membrane and
 * spike memories. */
static void test_loop_order(void)
{
    snnex_config cfg;
    static snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    tiny_os_time_major(&cfg);
    counts_for(&cfg, c);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].mem_wr_bits[SNNEX_MEM_GLOBAL], 128 + 16, 1e-12);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].mem_wr_bits[SNNEX_MEM_DRAM], 0, 1e-12);
    cfg.map.loop_order = SNNEX_LAYER_MAJOR;
    counts_for(&cfg, c);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].mem_wr_bits[SNNEX_MEM_GLOBAL], 0, 1e-12);
    /* membrane writes: 8 updates + 8 history values, 16 bits each */
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].mem_wr_bits[SNNEX_CMEM_MEMBRANE], 256, 1e-12);
}

/* Direct encoding on the tiny net (OS, time-major, 1 core): the 8-bit pixels
 * are multiplied, not accumulated: FP 16 MACs (0.5·8·2·2), flops 2·16 +
 * 2·8 = 48 (rate: 16 + 16 = 32); input reads 4·4 values × 8 bits = 128
 * (rate 16); no input history below the core: the global buffer gets the U
 * history alone (128 bits; rate 128 + 16); WG 0.5·0.5·8·4 = 8 MACs, reading
 * the pixels' one copy from the spike memory every step: 4·2·2 × 8 = 128
 * bits (rate: 16 bits of s_in history from the global buffer). */
static void test_direct_encoding(void)
{
    snnex_config cfg;
    static snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    tiny_os_time_major(&cfg);
    const snnex_counts *fp = &c[0][SNNEX_ENG_FP], *wg = &c[0][SNNEX_ENG_WG];
    counts_for(&cfg, c);
    ASSERT_CLOSE(fp->flops, 32, 1e-12);
    ASSERT_CLOSE(wg->acc, 8, 1e-12);
    ASSERT_CLOSE(wg->mem_rd_bits[SNNEX_MEM_GLOBAL], 16, 1e-12);
    cfg.train.encoder = SNNEX_ENC_DIRECT;
    counts_for(&cfg, c);
    ASSERT_CLOSE(fp->mac, 16, 1e-12);
    ASSERT_CLOSE(fp->acc, 0, 1e-12);
    ASSERT_CLOSE(fp->flops, 48, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_SPIKE], 128, 1e-12);
    ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_MEM_GLOBAL], 128, 1e-12);
    ASSERT_CLOSE(wg->mac, 8, 1e-12);
    ASSERT_CLOSE(wg->acc, 0, 1e-12);
    ASSERT_CLOSE(wg->flops, 16, 1e-12);
    ASSERT_CLOSE(wg->mem_rd_bits[SNNEX_CMEM_SPIKE], 128, 1e-12);
    ASSERT_CLOSE(wg->mem_rd_bits[SNNEX_MEM_GLOBAL], 0, 1e-12);
}

/* An infeasible point says why: conv1 of the VGG net holds 64·32·32
 * membrane potentials per sample, split over 20 cores = 3277 × 2 B = 6.4 KiB
 * per core for one sample, more than a 0.25 KiB membrane memory. */
static void test_infeasible(void)
{
    snnex_config cfg;
    snnex_err err;
    snnex_result *r = malloc(sizeof *r);
    CU_ASSERT_EQUAL_FATAL(snnex_config_load("configs/vgg_cifar10.cfg", &cfg, &err), SNNEX_OK);
    CU_ASSERT_EQUAL_FATAL(snnex_config_set(&cfg, "chip.memories.membrane.capacity_KiB", "0.25", &err), SNNEX_OK);
    CU_ASSERT_EQUAL(snnex_estimate(&cfg, NULL, r, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(r->feasible, 0);
    CU_ASSERT(strstr(r->reason, "membrane") != NULL);
    CU_ASSERT(strstr(r->reason, "one sample") != NULL);
    free(r);
}

/* ---- properties over random configs ------------------------------------------ */

/* ---- logic inventory and the terms it prices -------------------------------- */

/* The tiny net's chip (1 core, FP 4 lanes, BP/WG 64, optimizer 16, 16-bit
 * formats, skip group 1, SGD, default memories), counted by hand from the
 * inventory rules in models/overhead.c:
 *   FP lanes  4 x (W + 2M + k) = 4 x 49 = 196 flip-flops, 4 x 16 adder bits, 4 GE
 *   BP lanes  64 x (2G + W + M) = 4096, 64 x 16 adder bits, 64 multipliers, 64 GE
 *   WG lanes  64 x (2G + k) = 2112, 64 x 16 adder bits
 *   OPT lanes 16 x (2W + G + 0 state) = 768, 16 x 16 adder bits, 16 multipliers
 *   neuron    per FP lane 2N = 32 -> 128, 4 x 16 comparator bits, 4 multipliers
 *   ports     weight 256 KiB/64 b = 32768 words: 15 + 128; membrane and
 *             gradient 128 KiB: 14 + 128 each; spike 32 KiB: 12 + 128 -> 567;
 *             bank muxes 2 x 64 x (banks - 1): 384 + 128 + 0 + 128 = 640 GE
 *   router    none (one core)
 *   control   per engine log2 counters: T 2 -> 1, layers 1 -> 1, batch 2 -> 1,
 *             neurons 2 -> 1, fan-in 4 -> 2 = 6 bits; 4 engines -> 24 */
static void test_logic_inventory(void)
{
    snnex_config cfg;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(tiny, "tiny.cfg", &cfg, &err), SNNEX_OK);
    models_logic inv;
    models_logic_inventory(&cfg, &inv);
    const double ff[MODELS_N_LOGIC] = {196, 4096, 2112, 768, 128, 567, 0, 24};
    const double add[MODELS_N_LOGIC] = {64, 1024, 1024, 256, 0, 0, 0, 24};
    const double nmul[MODELS_N_LOGIC] = {0, 64, 0, 16, 4, 0, 0, 0};
    const double ge[MODELS_N_LOGIC] = {4, 64, 0, 0, 0, 640, 0, 0};
    for (int b = 0; b < MODELS_N_LOGIC; b++) {
        ASSERT_CLOSE(inv.blk[b].ff, ff[b], 1e-12);
        ASSERT_CLOSE(inv.blk[b].add_bits, add[b], 1e-12);
        ASSERT_CLOSE(inv.blk[b].n_mul, nmul[b], 1e-12);
        ASSERT_CLOSE(inv.blk[b].ge, ge[b], 1e-12);
    }
    ASSERT_CLOSE(inv.blk[MODELS_LOGIC_NEURON].cmp_bits, 64, 1e-12);
    ASSERT_CLOSE(inv.blk[MODELS_LOGIC_CTRL].cmp_bits, 24, 1e-12);
    CU_ASSERT_EQUAL(inv.ctrl_engines, 4);
    /* inference: FP only, its controller alone; a second core adds the
     * router: 5 ports x 2 entries x 128 bits, 5 x 8 GE per bit */
    cfg.train.mode = SNNEX_MODE_INFERENCE;
    models_logic_inventory(&cfg, &inv);
    CU_ASSERT(inv.blk[MODELS_LOGIC_BP].ff == 0 && inv.blk[MODELS_LOGIC_WG].ff == 0 && inv.blk[MODELS_LOGIC_OPT].ff == 0);
    CU_ASSERT_EQUAL(inv.ctrl_engines, 1);
    ASSERT_CLOSE(inv.blk[MODELS_LOGIC_MEMPORT].ff, 567 - 142, 1e-12); /* no gradient memory */
    cfg.chip.cores = 2, cfg.chip.mesh_x = 2, cfg.chip.mesh_y = 1;
    models_logic_inventory(&cfg, &inv);
    ASSERT_CLOSE(inv.blk[MODELS_LOGIC_ROUTER].ff, 1280, 1e-12);
    ASSERT_CLOSE(inv.blk[MODELS_LOGIC_ROUTER].ge, 5120, 1e-12);
    /* a processor adds its 26.6 kGE core */
    cfg.chip.control = SNNEX_CTRL_CPU;
    models_logic_inventory(&cfg, &inv);
    ASSERT_CLOSE(inv.blk[MODELS_LOGIC_CTRL].ge, 26600, 1e-12);
}

static double comp_total(const snnex_result *r, int k)
{
    double e = 0;
    for (int l = 0; l < r->n_layers; l++)
        for (int g = 0; g < SNNEX_N_ENG; g++)
            e += r->energy_J[l][g][k];
    return e;
}

/* Clock, control, leakage and area of the tiny chip against the prices
 * (memtech) times the inventory, by hand. */
static void test_overhead_terms(void)
{
    snnex_config cfg;
    snnex_err err;
    static snnex_result r, r2;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(tiny, "tiny.cfg", &cfg, &err), SNNEX_OK);
    const double nff = 196 + 4096 + 2112 + 768 + 128 + 567 + 24;
    const double eff = memtech_ff_clock_energy_J(cfg.chip.node_nm, cfg.chip.vdd_V) * (1 + cfg.calib.k_tree);
    /* no clock gating: every flip-flop every cycle of the latency */
    cfg.chip.clock_gating = 0;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r, &err), SNNEX_OK);
    double cycles = r.latency_s * cfg.chip.clock_Hz;
    ASSERT_CLOSE(comp_total(&r, SNNEX_COMP_CLOCK), nff * eff * cycles, 1e-9);
    /* gating saves, asynchronous logic saves more (no idle residual) */
    cfg.chip.clock_gating = 1;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r2, &err), SNNEX_OK);
    double gated = comp_total(&r2, SNNEX_COMP_CLOCK);
    CU_ASSERT(gated < comp_total(&r, SNNEX_COMP_CLOCK));
    /* ... but never below the residual of every flip-flop idle */
    CU_ASSERT(gated >= nff * eff * cycles * memtech_clock_gate_residual());
    cfg.chip.asynchronous = 1;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r, &err), SNNEX_OK);
    CU_ASSERT(comp_total(&r, SNNEX_COMP_CLOCK) < gated);
    cfg.chip.asynchronous = 0;
    /* control: fsm events x ctrl_ge x E_GE; a processor 50 x the int32 add
     * per event, the same events */
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r, &err), SNNEX_OK);
    double ev = 0;
    for (int e = 0; e < SNNEX_N_ENG; e++)
        ev += models_control_events(&cfg, &r.counts[0][e], e);
    double e_ge = memtech_ge_energy_J(cfg.chip.node_nm, cfg.chip.vdd_V);
    ASSERT_CLOSE(comp_total(&r, SNNEX_COMP_CONTROL), ev * cfg.calib.ctrl_ge * e_ge, 1e-9);
    cfg.chip.control = SNNEX_CTRL_CPU;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r2, &err), SNNEX_OK);
    ASSERT_CLOSE(comp_total(&r2, SNNEX_COMP_CONTROL),
                 ev * 50 * memtech_logic_energy_J(MEMTECH_OP_INT32_ADD, cfg.chip.node_nm, cfg.chip.vdd_V), 1e-9);
    cfg.chip.control = SNNEX_CTRL_FSM;
    /* area: the die is 1.2 x (cores + buffer); a core its components / cores */
    double inside = 0;
    for (int k = 0; k < SNNEX_N_COMP; k++)
        inside += r.area_m2[k];
    ASSERT_CLOSE(r.area_chip_m2, 1.2 * inside, 1e-12);
    ASSERT_CLOSE(r.area_total_m2, r.area_chip_m2, 1e-12);
    ASSERT_CLOSE(r.area_io_m2, 0.2 * inside, 1e-12);
    ASSERT_CLOSE(r.area_core_m2, (inside - r.area_m2[SNNEX_COMP_GLOBAL_BUF]) / cfg.chip.cores, 1e-12);
    CU_ASSERT(r.area_m2[SNNEX_COMP_CONTROL] > 0);
    /* utilisation: logic area scales as its inverse, memories not */
    double logic = r.area_m2[SNNEX_COMP_COMPUTE];
    cfg.calib.utilisation *= 0.5;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r2, &err), SNNEX_OK);
    ASSERT_CLOSE(r2.area_m2[SNNEX_COMP_COMPUTE], 2 * logic, 1e-12);
    ASSERT_CLOSE(r2.area_m2[SNNEX_COMP_WEIGHT_MEM], r.area_m2[SNNEX_COMP_WEIGHT_MEM], 1e-12);
    cfg.calib.utilisation *= 2;
    /* logic leakage ∝ leak_scale */
    cfg.calib.leak_scale *= 3;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r2, &err), SNNEX_OK);
    ASSERT_CLOSE(comp_total(&r2, SNNEX_COMP_LOGIC_LEAK), 3 * comp_total(&r, SNNEX_COMP_LOGIC_LEAK), 1e-9);
}

/* Real-time pacing (training.timestep_us): the batch lasts T x batch ticks
 * when the work is shorter; dynamic energy is unchanged, leakage grows with
 * the wall time, an asynchronous chip's clock does not (no idle clock),
 * a synchronous one's controllers keep clocking; too short a tick leaves
 * the latency to the work. */
static void test_realtime_pacing(void)
{
    snnex_config cfg;
    snnex_err err;
    static snnex_result r, p;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(tiny, "tiny.cfg", &cfg, &err), SNNEX_OK);
    cfg.chip.asynchronous = 1;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(r.t_realtime_s, 0);
    double tick = 10 * r.latency_s / (cfg.train.T * cfg.train.batch);
    cfg.train.timestep_s = tick;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &p, &err), SNNEX_OK);
    ASSERT_CLOSE(p.latency_s, 10 * r.latency_s, 1e-12);
    ASSERT_CLOSE(p.t_work_s, r.latency_s, 1e-12);
    CU_ASSERT_STRING_EQUAL(p.bound, "realtime");
    ASSERT_CLOSE(comp_total(&p, SNNEX_COMP_WEIGHT_MEM), comp_total(&r, SNNEX_COMP_WEIGHT_MEM), 1e-12);
    ASSERT_CLOSE(comp_total(&p, SNNEX_COMP_COMPUTE), comp_total(&r, SNNEX_COMP_COMPUTE), 1e-12);
    ASSERT_CLOSE(comp_total(&p, SNNEX_COMP_CLOCK), comp_total(&r, SNNEX_COMP_CLOCK), 1e-12);
    ASSERT_CLOSE(comp_total(&p, SNNEX_COMP_LOGIC_LEAK), 10 * comp_total(&r, SNNEX_COMP_LOGIC_LEAK), 1e-9);
    ASSERT_CLOSE(comp_total(&p, SNNEX_COMP_LEAKAGE), 10 * comp_total(&r, SNNEX_COMP_LEAKAGE), 1e-9);
    ASSERT_CLOSE(p.power_W, p.energy_total_J / p.latency_s, 1e-12);
    /* synchronous and clock-gated: the idle nine tenths still clock */
    cfg.chip.asynchronous = 0;
    cfg.train.timestep_s = 0;
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &r, &err), SNNEX_OK);
    cfg.train.timestep_s = 10 * r.latency_s / (cfg.train.T * cfg.train.batch);
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &p, &err), SNNEX_OK);
    CU_ASSERT(comp_total(&p, SNNEX_COMP_CLOCK) > comp_total(&r, SNNEX_COMP_CLOCK));
    /* a tick shorter than the work: real time is not kept, the work sets
     * the latency */
    cfg.train.timestep_s = 0.5 * r.latency_s / (cfg.train.T * cfg.train.batch);
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, &p, &err), SNNEX_OK);
    ASSERT_CLOSE(p.latency_s, r.latency_s, 1e-12);
    ASSERT_CLOSE(p.t_realtime_s, 0.5 * r.latency_s, 1e-9);
    CU_ASSERT_STRING_EQUAL(p.bound, r.bound);
    ASSERT_CLOSE(p.energy_total_J, r.energy_total_J, 1e-12);
}

/* A memory that names no flavour takes its process's: bulk_lp prices it as
 * lstp, bulk_hp as hp, finfet as lop (memtech_process_defaults); the leaky
 * one only when the chip says bulk_hp. */
static void test_process_defaults(void)
{
    static const char *fl[] = {"lstp", "hp", "lop"};
    static const char *pr[] = {"bulk_lp", "bulk_hp", "finfet"};
    for (int i = 0; i < 3; i++) {
        char a[1024], b[1024];
        snprintf(a, sizeof a, "chip = { process = \"%s\"; cores = 1; };\n%s", pr[i], tiny + strlen("chip = { cores = 1; engines = { fp_lanes = 4; }; };\n"));
        snprintf(b, sizeof b, "chip = { process = \"%s\"; cores = 1; memories = { weight = { flavor = \"%s\"; }; "
                              "membrane = { flavor = \"%s\"; }; spike = { flavor = \"%s\"; }; gradient = { flavor = \"%s\"; }; }; "
                              "global_buffer = { flavor = \"%s\"; }; };\n%s",
                 pr[i], fl[i], fl[i], fl[i], fl[i], fl[i], tiny + strlen("chip = { cores = 1; engines = { fp_lanes = 4; }; };\n"));
        snnex_config ca, cb;
        snnex_err err;
        static snnex_result ra, rb;
        CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(a, "a.cfg", &ca, &err), SNNEX_OK);
        CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(b, "b.cfg", &cb, &err), SNNEX_OK);
        CU_ASSERT_EQUAL_FATAL(snnex_estimate(&ca, NULL, &ra, &err), SNNEX_OK);
        CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cb, NULL, &rb, &err), SNNEX_OK);
        ASSERT_CLOSE(comp_total(&ra, SNNEX_COMP_LEAKAGE), comp_total(&rb, SNNEX_COMP_LEAKAGE), 1e-12);
        CU_ASSERT(comp_total(&ra, SNNEX_COMP_LEAKAGE) > 0);
    }
}

static double urand(unsigned *s) { return (rand_r(s) + 0.5) / ((double)RAND_MAX + 1); }

static void random_config(snnex_config *cfg, unsigned *seed)
{
    snnex_err err;
    CU_ASSERT_EQUAL(snnex_config_load("configs/seed20.cfg", cfg, &err), SNNEX_OK);
    static const char *cores[] = {"1", "4", "8", "16", "20", "32", "64"};
    static const char *mc[] = {"data_parallel", "pipeline", "output_split"};
    static const char *st[] = {"weight", "output", "input"};
    static const char *lo[] = {"time_major", "layer_major"};
    static const char *tech[] = {"sram", "stt"};
    static const char *dram[] = {"LPDDR4", "DDR4", "HBM2"};
    char v[32];
    snnex_config_set(cfg, "chip.cores", cores[rand_r(seed) % 7], &err);
    snnex_config_set(cfg, "mapping.multicore", mc[rand_r(seed) % 3], &err);
    snnex_config_set(cfg, "mapping.stationarity", st[rand_r(seed) % 3], &err);
    snnex_config_set(cfg, "mapping.loop_order", lo[rand_r(seed) % 2], &err);
    snnex_config_set(cfg, "chip.memories.weight.tech", tech[rand_r(seed) % 2], &err);
    snnex_config_set(cfg, "chip.dram", dram[rand_r(seed) % 3], &err);
    snprintf(v, sizeof v, "%g", 64.0 * (1 << (rand_r(seed) % 6)));
    snnex_config_set(cfg, "chip.memories.membrane.capacity_KiB", v, &err);
    snprintf(v, sizeof v, "%g", 64.0 * (1 << (rand_r(seed) % 6)));
    snnex_config_set(cfg, "chip.memories.spike.capacity_KiB", v, &err);
    snprintf(v, sizeof v, "%.3f", 0.05 + 0.9 * urand(seed));
    snnex_config_set(cfg, "sparsity.input", v, &err);
    snprintf(v, sizeof v, "%.3f", 0.01 + 0.5 * urand(seed));
    snnex_config_set(cfg, "sparsity.hidden", v, &err);
    snprintf(v, sizeof v, "%.3f", 0.01 + 0.5 * urand(seed));
    snnex_config_set(cfg, "sparsity.du", v, &err);
}

static double total_flops(const snnex_result *r)
{
    double s = 0;
    for (int l = 0; l < r->n_layers; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++)
            s += r->counts[l][e].flops;
    return s;
}

static void test_properties(void)
{
    unsigned seed = 12345;
    snnex_config cfg, c2;
    snnex_err err;
    snnex_result *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    int checked = 0;
    for (int it = 0; it < 200; it++) {
        random_config(&cfg, &seed);
        CU_ASSERT_EQUAL_FATAL(snnex_estimate(&cfg, NULL, a, &err), SNNEX_OK);
        if (!a->feasible)
            continue;
        checked++;
        /* breakdown sums equal totals (exactly up to summation order) */
        double sum = 0;
        for (int l = 0; l < a->n_layers; l++)
            for (int e = 0; e < SNNEX_N_ENG; e++)
                for (int k = 0; k < SNNEX_N_COMP; k++)
                    sum += a->energy_J[l][e][k];
        ASSERT_CLOSE(sum, a->energy_total_J, 1e-12);
        /* more sparsity never costs more energy */
        c2 = cfg;
        c2.density.input *= 0.5, c2.density.hidden *= 0.5, c2.density.du *= 0.5;
        CU_ASSERT_EQUAL(snnex_estimate(&c2, NULL, b, &err), SNNEX_OK);
        CU_ASSERT(b->feasible);
        CU_ASSERT(b->energy_total_J <= a->energy_total_J * (1 + 1e-12));
        /* bigger buffers never raise DRAM traffic */
        c2 = cfg;
        c2.chip.global_buf.capacity_bytes *= 4;
        for (int m = 0; m < SNNEX_N_CMEM; m++)
            c2.chip.core_mem[m].capacity_bytes *= 2;
        CU_ASSERT_EQUAL(snnex_estimate(&c2, NULL, b, &err), SNNEX_OK);
        CU_ASSERT(b->feasible);
        CU_ASSERT(b->dram_bytes <= a->dram_bytes * (1 + 1e-12));
        /* more cores never lower the total ops */
        c2 = cfg;
        char v[16];
        snprintf(v, sizeof v, "%d", cfg.chip.cores * 2);
        snnex_config_set(&c2, "chip.cores", v, &err);
        CU_ASSERT_EQUAL(snnex_estimate(&c2, NULL, b, &err), SNNEX_OK);
        CU_ASSERT(total_flops(b) >= total_flops(a) * (1 - 1e-12));
    }
    CU_ASSERT(checked >= 50); /* enough feasible points to mean something */
    printf("\n  (%d feasible random configs checked)\n", checked);
    free(a);
    free(b);
}

int main(void)
{
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("models", NULL, NULL);
    CU_add_test(s, "pipeline placement: memory first, then synapses", test_pipeline_placement);
    CU_add_test(s, "mesh hop counts vs brute force", test_mesh_hops);
    CU_add_test(s, "dataflow traffic (hand-calculated)", test_dataflows);
    CU_add_test(s, "loop order traffic (hand-calculated)", test_loop_order);
    CU_add_test(s, "direct encoding: pixels are multiplied (hand-calculated)", test_direct_encoding);
    CU_add_test(s, "infeasible points carry a reason", test_infeasible);
    CU_add_test(s, "properties over random configs", test_properties);
    CU_add_test(s, "logic inventory (hand-calculated)", test_logic_inventory);
    CU_add_test(s, "clock, control, leakage and area terms (by hand)", test_overhead_terms);
    CU_add_test(s, "memories take the process's flavour", test_process_defaults);
    CU_add_test(s, "real-time pacing: wall time, leakage, idle clock", test_realtime_pacing);
    return test_finish();
}
