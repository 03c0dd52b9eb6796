/* config_table — THE option table of snnex configs: key, type, unit,
 * bounds, default and one-line doc for every setting. Parsing, validation,
 * defaults, `snnex help config` and sweeps (snnex_config_set) all read it. */
#include "estimator/config_internal.h"
#include "memtech/memtech.h"

#include <stddef.h>

#define CH(f) offsetof(snnex_config, chip.f)
#define TR(f) offsetof(snnex_config, train.f)
#define MP(f) offsetof(snnex_config, map.f)
#define GP(f) offsetof(snnex_config, gpu.f)
#define DN(f) offsetof(snnex_config, density.f)
#define NT(f) offsetof(snnex_config, net.f)
#define SY(f) offsetof(snnex_config, system.f)

static const char *const tech_names[] = {"sram", "stt", "scm", NULL};
static const char *const flavor_names[] = {"hp", "lop", "lstp", "process", NULL};
static const char *const process_names[] = {"bulk_lp", "bulk_hp", "fdsoi", "finfet", NULL};
static const char *const arith_names[] = {"float", "int", NULL};
static const char *const control_names[] = {"fsm", "cpu", NULL};
static const char *const reset_names[] = {"subtract", "zero", NULL};
static const char *const opt_names[] = {"sgd", "momentum", "adam", NULL};
static const char *const enc_names[] = {"rate", "direct", NULL};
static const char *const loss_names[] = {"ce_count", "ce_membrane", "mse_count", "ce_rate", NULL};
static const char *const surr_names[] = {"fast_sigmoid", "arctan", "triangle", NULL};
static const char *const mc_names[] = {"data_parallel", "pipeline", "output_split", NULL};
static const char *const st_names[] = {"weight", "output", "input", NULL};
static const char *const lo_names[] = {"time_major", "layer_major", NULL};
static const char *const ds_names[] = {"fashion-mnist", "synthetic", "synthetic_temporal", NULL};
static const char *const mode_names[] = {"train", "inference", NULL};
static const char *const layer_names[] = {"fc", "conv", "pool", "flatten", NULL};
static const char *const pool_names[] = {"avg", "max", "sum", NULL};
static const char *const neuron_names[] = {"lif", "if", "cubalif", "li", NULL};
static const char *const sysmode_names[] = {"single", "data_parallel", "federated", NULL};
static const char *const allreduce_names[] = {"ring", "aggregator", NULL};
static const char *const agg_names[] = {"host", "worker", NULL};

/* One memory: tech, flavor, capacity, word width, banks. */
#define MEM_OPTS(prefix, field, cap_def, width_def, banks_def, what)                          \
    {prefix ".tech", OPT_ENUM, "", 0, 0, "sram", "technology of the " what " (sram | stt | scm = standard-cell latch array, placed like logic)",     \
     CH(field.tech), 1, tech_names},                                                          \
    {prefix ".flavor", OPT_ENUM, "", 0, 0, "process",                                        \
     "device flavour of the " what " (hp = high performance, lop = low operating power, lstp = low standby power, process = chip.process's default)", \
     CH(field.flavor), 1, flavor_names},                                                      \
    {prefix ".capacity_KiB", OPT_DOUBLE, "KiB", 0, 1048576, cap_def,                          \
     "capacity of the " what " (0 = none on chip)", CH(field.capacity_bytes), 1024.0, NULL},   \
    {prefix ".width_bits", OPT_INT, "bit", 8, 4096, width_def,                                \
     "word width of one access to the " what, CH(field.width_bits), 1, NULL},                 \
    {prefix ".banks", OPT_INT, "", 1, 1024, banks_def, "independent banks of the " what,      \
     CH(field.banks), 1, NULL}

const snnex_opt snnex_opts[] = {
    /* technology */
    /* the node range is the memory model's (memtech.h): a config outside it
     * is rejected at its line, and help shows the same bounds */
    {"chip.node_nm", OPT_DOUBLE, "nm", MEMTECH_NODE_MIN_NM, MEMTECH_NODE_MAX_NM, "28", "CMOS technology node",
     CH(node_nm), 1, NULL},
    {"chip.vdd_V", OPT_DOUBLE, "V", 0.3, 1.5, "0.9", "core supply voltage", CH(vdd_V), 1, NULL},
    {"chip.mem_vdd_V", OPT_DOUBLE, "V", 0, 1.5, "0",
     "supply of the on-chip memories (0 = nominal of their flavour: CACTI ITRS table)", CH(mem_vdd_V), 1, NULL},
    {"chip.temperature_K", OPT_DOUBLE, "K", 300, 400, "300",
     "junction temperature for memory and logic leakage (300 K: room temperature, where published figures are measured)",
     CH(temperature_K), 1, NULL},
    {"chip.process", OPT_ENUM, "", 0, 0, "bulk_lp",
     "process class: default memory flavour and logic Vt (bulk_lp: lstp memories, regular-Vt logic; bulk_hp: hp, low-Vt; "
     "fdsoi: lstp, regular-Vt; finfet: lop, regular-Vt)", CH(process), 1, process_names},
    {"chip.clock_gating", OPT_BOOL, "", 0, 1, "true",
     "engines are clocked only in cycles they work; an idle gated block keeps 9.3 % of its clock energy (the clock gates)",
     CH(clock_gating), 1, NULL},
    {"chip.asynchronous", OPT_BOOL, "", 0, 1, "false",
     "clockless (asynchronous, handshake) logic: registers latch only in cycles with work, no idle clock; clock_MHz is "
     "then the event rate the logic sustains", CH(asynchronous), 1, NULL},
    {"chip.engines.arithmetic", OPT_ENUM, "", 0, 0, "float",
     "number format of the engines' adders and multipliers (float: FP16/FP32 units; int: integer units)", CH(arith), 1,
     arith_names},
    {"chip.engines.control", OPT_ENUM, "", 0, 0, "fsm",
     "engine sequencing (fsm: hard-wired state machines; cpu: an embedded processor runs the event loop, an "
     "instruction per control event at 50x an integer add, plus a 26.6 kGE core)", CH(control), 1, control_names},
    {"chip.clock_MHz", OPT_DOUBLE, "MHz", 1, 5000, "500", "core clock", CH(clock_Hz), 1e6, NULL},
    /* cores */
    {"chip.cores", OPT_INT, "", 1, 4096, "20", "number of cores", CH(cores), 1, NULL},
    {"chip.mesh", OPT_INT2, "", 1, 4096, "squarest",
     "2D mesh shape [x, y], x*y = cores (default: the most square factorisation of cores, 20 -> [4, 5])",
     CH(mesh_x), 1, NULL},
    {"chip.engines.fp_lanes", OPT_INT, "", 1, 65536, "64", "feed-forward engine lanes (accumulates per cycle)", CH(fp_lanes), 1, NULL},
    {"chip.engines.bp_lanes", OPT_INT, "", 1, 65536, "64", "back-propagation engine lanes (FP16 MACs per cycle)", CH(bp_lanes), 1, NULL},
    {"chip.engines.wg_lanes", OPT_INT, "", 1, 65536, "64", "weight-gradient engine lanes (accumulates per cycle)", CH(wg_lanes), 1, NULL},
    {"chip.engines.opt_lanes", OPT_INT, "", 1, 65536, "16", "optimizer lanes (weight updates per cycle)", CH(opt_lanes), 1, NULL},
    {"chip.neuron_bits", OPT_INT, "bit", 0, 1024, "0",
     "bits read and written per neuron update: membrane plus the per-neuron parameters stored with it (0 = membrane_bits)",
     CH(neuron_bits), 1, NULL},
    {"chip.engines.skip_group", OPT_INT, "", 1, 64, "1",
     "operand values per zero-skip decision (1 = per value; traces record 1, 4, 16, 64)", CH(skip_group), 1, NULL},
    /* memories */
    MEM_OPTS("chip.memories.weight", core_mem[SNNEX_CMEM_WEIGHT], "256", "64", "4", "per-core weight memory"),
    MEM_OPTS("chip.memories.membrane", core_mem[SNNEX_CMEM_MEMBRANE], "128", "64", "2", "per-core membrane-potential memory (BPTT history)"),
    MEM_OPTS("chip.memories.spike", core_mem[SNNEX_CMEM_SPIKE], "32", "64", "1", "per-core spike memory"),
    MEM_OPTS("chip.memories.gradient", core_mem[SNNEX_CMEM_GRAD], "128", "64", "2", "per-core gradient memory (weight gradients, δU)"),
    MEM_OPTS("chip.global_buffer", global_buf, "2048", "256", "8", "shared global buffer"),
    {"chip.dram", OPT_STRING, "", 0, sizeof(((snnex_chip *)0)->dram), "LPDDR4",
     "DRAM standard (see snnex mem --tech dram --list)", CH(dram), 1, NULL},
    {"chip.dram_channels", OPT_INT, "", 1, 64, "2", "DRAM channels", CH(dram_channels), 1, NULL},
    {"chip.noc_width_bits", OPT_DOUBLE, "bit", 8, 4096, "128", "mesh link width", CH(noc_width_bits), 1, NULL},
    {"chip.core_pitch_mm", OPT_DOUBLE, "mm", 0, 100, "0",
     "distance between neighbouring cores (0 = sqrt of core area)", CH(core_pitch_m), 1e-3, NULL},
    /* network */
    {"network.input", OPT_INT3, "", 1, 1 << 20, NULL, "input sample shape [channels, height, width]", NT(in_c), 1, NULL},
    {"network.neuron.beta", OPT_DOUBLE, "", 0, 1, "0.95", "LIF membrane decay β", NT(beta), 1, NULL},
    {"network.neuron.theta", OPT_DOUBLE, "", 1e-9, 1e6, "1.0", "LIF firing threshold θ", NT(theta), 1, NULL},
    {"network.neuron.alpha", OPT_DOUBLE, "", 0, 1, "0.9", "CubaLIF synaptic-current decay α (layers with neuron = \"cubalif\")", NT(alpha), 1, NULL},
    {"network.neuron.reset", OPT_ENUM, "", 0, 0, "subtract", "reset after a spike (subtract|zero)", NT(reset), 1, reset_names},
    {"network.nir", OPT_STRING, "", 0, sizeof(((snnex_config *)0)->nir_path), "",
     "read the input and layers from this NIR file (relative to the config; replaces input and layers)",
     offsetof(snnex_config, nir_path), 1, NULL},
    {"network.nir_dt_ms", OPT_DOUBLE, "ms", 0, 1e6, "0",
     "time step of the NIR network: beta = exp(-dt/tau) (0 = the file's metadata dt)", offsetof(snnex_config, nir_dt_s),
     1e-3, NULL},
    {"network.layers", OPT_LAYERS, "", 1, SNNEX_MAX_LAYERS, NULL,
     "list of layer groups (see the layer keys below)", NT(layers), 1, NULL},
    /* training */
    {"training.mode", OPT_ENUM, "", 0, 0, "train",
     "train (FP, BP, WG, optimizer, BPTT history) or inference (FP only; for inference chips)", TR(mode), 1, mode_names},
    {"training.T", OPT_INT, "steps", 1, SNNEX_MAX_T, "25", "time steps per sample", TR(T), 1, NULL},
    {"training.batch", OPT_INT, "", 1, 65536, "128", "samples per batch", TR(batch), 1, NULL},
    {"training.timestep_us", OPT_DOUBLE, "us", 0, 1e9, "0",
     "real-time pacing: wall time of one time step (a sensor tick); every sample's T steps take at least T ticks, "
     "one sample after another, and leakage, idle clocking and DRAM background run for the whole time (0 = as fast as the chip runs)",
     TR(timestep_s), 1e-6, NULL},
    {"training.formats.spike_bits", OPT_INT, "bit", 1, 8, "1", "bits per stored spike", TR(spike_bits), 1, NULL},
    {"training.formats.membrane_bits", OPT_INT, "bit", 4, 32, "16", "bits per membrane potential", TR(membrane_bits), 1, NULL},
    {"training.formats.grad_bits", OPT_INT, "bit", 4, 32, "16", "bits per gradient value", TR(grad_bits), 1, NULL},
    {"training.formats.weight_bits", OPT_INT, "bit", 1, 32, "16", "bits per weight (1: binary)", TR(weight_bits), 1, NULL},
    {"training.formats.state_bits", OPT_INT, "bit", 4, 32, "16", "bits per optimizer state value", TR(state_bits), 1, NULL},
    {"training.optimizer", OPT_ENUM, "", 0, 0, "adam", "optimizer (sgd|momentum|adam)", TR(optimizer), 1, opt_names},
    {"training.lr", OPT_DOUBLE, "", 1e-9, 10, "5e-4", "learning rate", TR(lr), 1, NULL},
    {"training.momentum", OPT_DOUBLE, "", 0, 0.999999, "0.9", "momentum (momentum optimizer)", TR(momentum), 1, NULL},
    {"training.adam_beta1", OPT_DOUBLE, "", 0, 0.999999, "0.9", "Adam β1", TR(adam_beta1), 1, NULL},
    {"training.adam_beta2", OPT_DOUBLE, "", 0, 0.999999, "0.999", "Adam β2", TR(adam_beta2), 1, NULL},
    {"training.adam_eps", OPT_DOUBLE, "", 1e-12, 1, "1e-8", "Adam ε", TR(adam_eps), 1, NULL},
    {"training.epochs", OPT_INT, "", 1, 10000, "1", "epochs (snnex train)", TR(epochs), 1, NULL},
    {"training.seed", OPT_INT, "", 0, 2147483647, "1", "random seed (init, encoding, shuffling)", TR(seed), 1, NULL},
    {"training.encoder", OPT_ENUM, "", 0, 0, "rate", "input encoding (rate = Bernoulli spikes, direct = analog current)", TR(encoder), 1, enc_names},
    {"training.loss", OPT_ENUM, "", 0, 0, "ce_count", "loss (ce_count|ce_membrane|mse_count|ce_rate)", TR(loss), 1, loss_names},
    {"training.surrogate", OPT_ENUM, "", 0, 0, "fast_sigmoid", "surrogate gradient (fast_sigmoid|arctan|triangle)", TR(surrogate), 1, surr_names},
    {"training.surrogate_slope", OPT_DOUBLE, "", 1e-3, 1e4, "25", "surrogate slope k", TR(surrogate_slope), 1, NULL},
    {"training.du_threshold", OPT_DOUBLE, "", 0, 1e3, "1e-3", "|δU| above this counts as nonzero in traces", TR(du_threshold), 1, NULL},
    {"training.dataset", OPT_ENUM, "", 0, 0, "fashion-mnist", "data set: fashion-mnist | synthetic (seeded static images) | synthetic_temporal (seeded sequences: classes differ only in when each input is active; for recurrent nets)", TR(dataset), 1, ds_names},
    {"training.data_dir", OPT_STRING, "", 0, sizeof(((snnex_training *)0)->data_dir),
     "/usr/share/datasets/fashion-mnist", "directory of the gz IDX files", TR(data_dir), 1, NULL},
    {"training.train_limit", OPT_INT, "", 0, 1 << 30, "0", "use only the first N training samples (0 = all)", TR(train_limit), 1, NULL},
    {"training.test_limit", OPT_INT, "", 0, 1 << 30, "0", "use only the first N test samples (0 = all)", TR(test_limit), 1, NULL},
    /* mapping */
    {"mapping.multicore", OPT_ENUM, "", 0, 0, "data_parallel",
     "how layers go onto cores (data_parallel|pipeline|output_split)", MP(multicore), 1, mc_names},
    {"mapping.stationarity", OPT_ENUM, "", 0, 0, "weight", "per-core dataflow (weight|output|input)", MP(stationarity), 1, st_names},
    {"mapping.loop_order", OPT_ENUM, "", 0, 0, "time_major",
     "SNN loop order (time_major = all layers per step, layer_major = all steps per layer)", MP(loop_order), 1, lo_names},
    {"mapping.overlap_engines", OPT_BOOL, "", 0, 1, "true", "FP, BP and WG engines run concurrently", MP(overlap_engines), 1, NULL},
    /* GPU baseline (A100 40GB SXM4: NVIDIA datasheet and Ampere whitepaper,
     * shared/reference/chips/chips.csv rows A100) */
    {"gpu.name", OPT_STRING, "", 0, sizeof(((snnex_gpu *)0)->name), "A100", "GPU of the baseline", GP(name), 1, NULL},
    {"gpu.l2_MiB", OPT_DOUBLE, "MiB", 0, 4096, "40", "GPU L2 cache (A100: 40 MB, whitepaper)", GP(l2_bytes), 1048576.0, NULL},
    {"gpu.dram_bw_GBps", OPT_DOUBLE, "GB/s", 1, 1e5, "1555", "GPU DRAM bandwidth (A100 40GB: 1555 GB/s, datasheet)", GP(dram_bw_Bps), 1e9, NULL},
    {"gpu.peak_TFLOPS", OPT_DOUBLE, "TFLOPS", 0.1, 1e5, "312", "GPU dense FP16 peak (A100: 312, datasheet)", GP(peak_flops), 1e12, NULL},
    {"gpu.tdp_W", OPT_DOUBLE, "W", 1, 1e4, "400", "GPU board power (A100 SXM4: 400 W, datasheet)", GP(tdp_W), 1, NULL},
    {"gpu.bytes_per_value", OPT_DOUBLE, "B", 1, 8, "4",
     "bytes per activation/state value on the GPU (PyTorch/snnTorch default float32)", GP(bytes_per_value), 1, NULL},
    /* densities used without a trace */
    {"sparsity.input", OPT_DOUBLE, "", 0, 1, "0.29", "density of input spikes into the first layer", DN(input), 1, NULL},
    {"sparsity.hidden", OPT_DOUBLE, "", 0, 1, "0.07", "density of spikes leaving spiking layers", DN(hidden), 1, NULL},
    {"sparsity.du", OPT_DOUBLE, "", 0, 1, "0.03", "fraction of δU above training.du_threshold", DN(du), 1, NULL},
    {"sparsity.grad", OPT_DOUBLE, "", 0, 1, "1.0", "density of the gradient passed down", DN(grad), 1, NULL},
    /* several chips training together (estimator/system.c, models/system.c;
     * links: memtech/link.c). local_batches and update_bits default to a
     * word: stored 0 = not given, so a data_parallel config that gives
     * them is an error wherever they were set (file, --set, sweep). */
    {"system.mode", OPT_ENUM, "", 0, 0, "single",
     "single (one chip) | data_parallel (gradient all-reduce every batch) | federated (FedAvg every local_batches)",
     SY(mode), 1, sysmode_names},
    {"system.workers", OPT_INT, "", 1, 65536, "1", "identical worker chips, each with its own DRAM (single: 1)",
     SY(workers), 1, NULL},
    {"system.link", OPT_STRING, "", 0, sizeof(((snnex_system *)0)->link), "PCIe4",
     "link between a worker and the aggregator: a standard (listed below) or \"custom\"", SY(link), 1, NULL},
    {"system.link_energy_pJ_per_bit", OPT_DOUBLE, "pJ/bit", 0, 1e9, "0",
     "link energy per payload bit, both ends (0 = the standard's; required for custom)", SY(link_energy_J_per_bit),
     1e-12, NULL},
    {"system.link_bandwidth_Gbps", OPT_DOUBLE, "Gbit/s", 0, 1e6, "0",
     "link payload bandwidth, one direction (0 = the standard's; required for custom)", SY(link_bandwidth_bps), 1e9,
     NULL},
    {"system.link_latency_us", OPT_DOUBLE, "us", 0, 1e9, "0", "fixed latency of one transfer (0 = the standard's)",
     SY(link_latency_s), 1e-6, NULL},
    {"system.link_shared", OPT_BOOL3, "", 0, 1, "the standard's",
     "one medium for all workers (a radio channel: transfers take turns) or a link each (custom: a link each)",
     SY(link_shared), 1, NULL},
    {"system.allreduce", OPT_ENUM, "", 0, 0, "ring",
     "data_parallel: ring all-reduce among the workers, or through the aggregator", SY(allreduce), 1, allreduce_names},
    {"system.local_batches", OPT_INT, "", 1, 1000000, "federated: 1",
     "federated: batches each worker trains per round (data_parallel and single take none)", SY(local_batches), 1,
     NULL},
    {"system.update_bits", OPT_INT, "bit", 1, 32, "weight_bits",
     "federated: bits per value of the uploaded update (8 or 16 compress it)", SY(update_bits), 1, NULL},
    {"system.aggregator", OPT_ENUM, "", 0, 0, "host",
     "who averages: a host with a port per worker, or one of the workers (over its one link)", SY(aggregator), 1,
     agg_names},
    {"system.overlap", OPT_BOOL, "", 0, 1, "false",
     "communication overlaps local training: a round takes max(training, link) instead of their sum", SY(overlap), 1,
     NULL},
    {"system.idle_power_gated", OPT_BOOL, "", 0, 1, "false",
     "workers power-gate while they wait for the link and the aggregator (else their on-chip memories leak)",
     SY(idle_power_gated), 1, NULL},
};
const int snnex_n_opts = sizeof snnex_opts / sizeof snnex_opts[0];

#define LY(f) offsetof(snnex_layer, f)
const snnex_opt snnex_layer_opts[] = {
    {"type", OPT_ENUM, "", 0, 0, NULL, "layer type (fc|conv|pool|flatten)", LY(type), 1, layer_names},
    {"name", OPT_STRING, "", 0, SNNEX_NAME_LEN, "", "layer name (default: type and index)", LY(name), 1, NULL},
    {"out", OPT_INT, "", 1, 1 << 24, NULL, "fc: output features", LY(out_features), 1, NULL},
    {"channels", OPT_INT, "", 1, 1 << 16, NULL, "conv: output channels", LY(out_channels), 1, NULL},
    {"kernel", OPT_INT, "", 1, 1024, NULL, "conv/pool: kernel (window) size", LY(kernel), 1, NULL},
    {"stride", OPT_INT, "", 1, 1024, "by type", "conv/pool: stride (default 1 for conv, kernel for pool)", LY(stride), 1, NULL},
    {"padding", OPT_INT, "", 0, 1024, "0", "conv: zero padding on each side", LY(padding), 1, NULL},
    {"pool", OPT_ENUM, "", 0, 0, "max", "pool: avg|max|sum", LY(pool), 1, pool_names},
    {"in_density", OPT_DOUBLE, "", 0, 1, "-1", "input spike density of this layer (overrides sparsity.*)", LY(in_density), 1, NULL},
    {"out_density", OPT_DOUBLE, "", 0, 1, "-1", "output spike density of this layer", LY(out_density), 1, NULL},
    {"du_density", OPT_DOUBLE, "", 0, 1, "-1", "δU density of this layer", LY(du_density), 1, NULL},
    {"grad_density", OPT_DOUBLE, "", 0, 1, "-1", "density of the gradient passed down by this layer", LY(grad_density), 1, NULL},
    {"lif", OPT_BOOL3, "", 0, 1, "by type",
     "LIF neurons at the output (fc/conv: true; pool: false). conv { lif = false; } then pool { lif = true; } "
     "pools the conv's currents and puts the neurons after the pool", LY(lif), 1, NULL},
    {"neuron", OPT_ENUM, "", 0, 0, "lif",
     "model of the layer's neurons: lif | if (no leak, β = 1) | cubalif (synaptic current + membrane, two state "
     "words) | li (leaky integrator readout, no spikes; last layer only)", LY(neuron), 1, neuron_names},
    {"beta", OPT_DOUBLE, "", 1e-6, 1, "network.neuron.beta", "this layer's membrane decay β (not for if)",
     LY(beta), 1, NULL},
    {"theta", OPT_DOUBLE, "", 1e-9, 1e6, "network.neuron.theta", "this layer's firing threshold θ", LY(theta), 1,
     NULL},
    {"alpha", OPT_DOUBLE, "", 1e-6, 1, "network.neuron.alpha", "cubalif: this layer's synaptic-current decay α",
     LY(alpha), 1, NULL},
    {"recurrent", OPT_BOOL, "", 0, 1, "false",
     "fc: the layer's own spikes at t-1 feed back through a second, out x out weight matrix", LY(recurrent), 1, NULL},
    {"dilation", OPT_INT, "", 1, 1024, "1", "conv: kernel dilation (taps d apart)", LY(dilation), 1, NULL},
    {"groups", OPT_INT, "", 1, 1 << 16, "1",
     "conv: channel groups (each output channel sees in_channels/groups inputs; must divide both)", LY(groups), 1,
     NULL},
};
const int snnex_n_layer_opts = sizeof snnex_layer_opts / sizeof snnex_layer_opts[0];

/* Which layer keys each layer type takes (bit i = snnex_layer_opts[i]). */
/* neuron, beta, theta, alpha: the layers that can have neurons */
#define NEURON_KEYS (0x2000 | 0x4000 | 0x8000 | 0x10000)
const unsigned snnex_layer_keys_allowed[4] = {
    /* fc */ 0x001 | 0x002 | 0x004 | 0xF00 | 0x1000 | NEURON_KEYS | 0x20000,
    /* conv */ 0x001 | 0x002 | 0x008 | 0x010 | 0x020 | 0x040 | 0xF00 | 0x1000 | NEURON_KEYS | 0x40000 | 0x80000,
    /* pool */ 0x001 | 0x002 | 0x010 | 0x020 | 0x080 | 0xF00 | 0x1000 | NEURON_KEYS,
    /* flatten */ 0x001 | 0x002,
};
