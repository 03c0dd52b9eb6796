/* The network model beyond feed-forward LIF layers (issue 17): recurrent
 * fc, neuron models (if, cubalif, li), sum pooling, conv dilation and
 * groups — their shapes, config keys and errors, hand-calculated action
 * counts and trace signatures. The trainer's side: test_netmodel_train.c. */
#include "estimator/estimator.h"
#include "models/models.h"
#include "test_util.h"

#include <stdlib.h>

static snnex_counts C[SNNEX_MAX_LAYERS][SNNEX_N_ENG];

static void load(const char *src, snnex_config *cfg)
{
    snnex_err err;
    snnex_status st = snnex_config_load_string(src, "t.cfg", cfg, &err);
    if (st)
        fprintf(stderr, "\n  %s:%d: %s\n", err.file, err.line, err.msg);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
}

static void counts_for(snnex_config *cfg, models_sparsity *sp)
{
    char src[16];
    models_chip ch;
    snnex_err err;
    models_sparsity_resolve(cfg, NULL, sp, src);
    CU_ASSERT_EQUAL(models_count(cfg, sp, C, &ch, &err), SNNEX_OK);
    CU_ASSERT(ch.feasible);
}

/* the error a config gets: its line and whether the message has want */
static void expect_error(const char *src, int line, const char *want)
{
    snnex_config cfg;
    snnex_err err;
    CU_ASSERT_EQUAL(snnex_config_load_string(src, "bad.cfg", &cfg, &err), SNNEX_EINVAL);
    if (!strstr(err.msg, want) || err.line != line)
        fprintf(stderr, "\n  want line %d '%s', got %d: %s\n", line, want, err.line, err.msg);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
}

/* ---- recurrent fc: shapes and hand-calculated counts ---------------------- */

/* fc 4→3 with recurrent = true on one core, T = 3, B = 2, densities 0.5
 * (input, hidden = the layer's own spikes, δU), skip group 1 (occ =
 * density), input-stationary (weight reads per accumulate), SGD.
 *   S = 4·3 = 12 feed-forward synapses, R = 3·3 = 9 recurrent weights,
 *   steps T·B = 6, steps with a previous step Tm = (T-1)·B = 4, N = 3.
 *   FP acc = 0.5·12·6 + 0.5·9·4 = 36 + 18 = 54; neuron updates 3·6 = 18
 *      (1 mul, 1 add, 1 compare each); dense_equiv = 72 + 36 = 108;
 *      flops = 54 + 2·18 = 90, dense 108 + 36 = 144;
 *      weight reads 54·16 = 864 bits; s[t-1] reads 3·4·1 = 12 bits on top
 *      of the input's 4·6·1 = 24.
 *   BP (first weight layer: no g_in) mul 2·18 = 36, MAC 18 + 0.5·9·4 = 36,
 *      dense_equiv 18 + 36 = 54, flops 2·36 + 36 = 108.
 *   WG acc = 0.25·12·6 + 0.25·9·4 = 18 + 9 = 27, dense_equiv 108.
 *   OPT (SGD, 1 mul + 1 add per weight): 12 + 9 = 21 each. */
static const char *rec_cfg = "chip = { cores = 1; engines = { fp_lanes = 4; }; };\n"
                             "network = { input = [4, 1, 1];\n"
                             "  layers = ( { type = \"fc\"; out = 3; recurrent = true; } ); };\n"
                             "training = { T = 3; batch = 2; optimizer = \"sgd\"; };\n"
                             "mapping = { stationarity = \"input\"; };\n"
                             "sparsity = { input = 0.5; hidden = 0.5; du = 0.5; };\n";

static void test_recurrent_counts(void)
{
    snnex_config cfg;
    models_sparsity sp[SNNEX_MAX_LAYERS];
    load(rec_cfg, &cfg);
    const snnex_layer *L = &cfg.net.layers[0];
    CU_ASSERT_EQUAL(L->recurrent, 1);
    CU_ASSERT_EQUAL(L->synapses, 12);
    CU_ASSERT_EQUAL(L->rec_weights, 9);
    CU_ASSERT_EQUAL(L->weights, 21);
    counts_for(&cfg, sp);
    const snnex_counts *fp = &C[0][SNNEX_ENG_FP], *bp = &C[0][SNNEX_ENG_BP];
    const snnex_counts *wg = &C[0][SNNEX_ENG_WG], *op = &C[0][SNNEX_ENG_OPT];
    ASSERT_CLOSE(fp->acc, 54, 1e-12);
    ASSERT_CLOSE(fp->neuron, 18, 1e-12);
    ASSERT_CLOSE(fp->mul, 18, 1e-12);
    ASSERT_CLOSE(fp->cmp, 18, 1e-12);
    ASSERT_CLOSE(fp->dense_equiv, 108, 1e-12);
    ASSERT_CLOSE(fp->flops, 90, 1e-12);
    ASSERT_CLOSE(fp->flops_dense, 144, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_WEIGHT], 864, 1e-12);
    ASSERT_CLOSE(fp->mem_rd_bits[SNNEX_CMEM_SPIKE], 24 + 12, 1e-12);
    ASSERT_CLOSE(bp->mul, 36, 1e-12);
    ASSERT_CLOSE(bp->mac, 36, 1e-12);
    ASSERT_CLOSE(bp->dense_equiv, 54, 1e-12);
    ASSERT_CLOSE(bp->flops, 108, 1e-12);
    ASSERT_CLOSE(wg->acc, 27, 1e-12);
    ASSERT_CLOSE(wg->dense_equiv, 108, 1e-12);
    ASSERT_CLOSE(op->mul, 21, 1e-12);
    ASSERT_CLOSE(op->add, 21, 1e-12);

    /* inference: FP only, the same FP accumulates */
    cfg.train.mode = SNNEX_MODE_INFERENCE;
    counts_for(&cfg, sp);
    ASSERT_CLOSE(fp->acc, 54, 1e-12);
    ASSERT_CLOSE(bp->mac, 0, 1e-12);
    ASSERT_CLOSE(wg->acc, 0, 1e-12);
}

/* The same layer split over 4 cores (output split, 2×2 mesh): BP reduces
 * the partial W_recᵀ·δU sums over the cores, N·grad_bits per step with a
 * previous step to the 3 others: 3·4·16·3 = 576 bit-hops more than the
 * layer without recurrence (memories large: nothing else of the
 * recurrence leaves the cores, and the first layer sends no g_in). */
static void test_recurrent_mesh(void)
{
    snnex_config a, b;
    models_sparsity sp[SNNEX_MAX_LAYERS];
    load(rec_cfg, &a);
    a.chip.cores = 4, a.chip.mesh_x = 2, a.chip.mesh_y = 2;
    a.map.multicore = SNNEX_MC_OUTPUT_SPLIT;
    b = a;
    b.net.layers[0].recurrent = 0;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_network_infer(&b.net, "t.cfg", &err), SNNEX_OK);
    counts_for(&a, sp);
    double with = C[0][SNNEX_ENG_BP].noc_bit_hops;
    counts_for(&b, sp);
    double without = C[0][SNNEX_ENG_BP].noc_bit_hops;
    ASSERT_CLOSE(with - without, 576, 1e-9);
}

/* GPU baseline (models/gpu.c): a recurrent fc also reads s[t-1], writes
 * and reads W_rec·s[t-1] (FP: 3 values of N per sample and step) and
 * writes and reads the gradient of s[t-1] (BP: 2), float32: (3 + 2)·3·2·4
 * = 120 bytes per step, 360 over T = 3; its 9 weights add optimizer
 * traffic (SGD: W rd+wr, ∇W: 3·9·4 = 108 bytes). W stays in L2. */
static void test_recurrent_gpu(void)
{
    snnex_config a, b;
    models_sparsity sp[SNNEX_MAX_LAYERS];
    char src[16];
    snnex_err err;
    load(rec_cfg, &a);
    b = a;
    b.net.layers[0].recurrent = 0;
    CU_ASSERT_FATAL(snnex_network_infer(&b.net, "t.cfg", &err) == SNNEX_OK);
    models_sparsity_resolve(&a, NULL, sp, src);
    ASSERT_CLOSE(models_gpu_dram_bytes(&a, sp) - models_gpu_dram_bytes(&b, sp), 360 + 108, 1e-12);
}

/* Pipeline placement counts a recurrent layer's out² synapses as work: 4
 * cores, fc 16→64 and fc 64→10, one core each for their neuron state, the
 * 2 others by synapses with the largest remainder. Without recurrence
 * 1024 : 640 → wants 1.23 and 0.77 → 2 + 2 cores; with fc1 recurrent
 * (1024 + 4096 = 5120) : 640 → 1.78 and 0.22 → 3 + 1. */
static void test_recurrent_placement(void)
{
    const char *src = "chip = { cores = 4; };\n"
                      "network = { input = [16, 1, 1]; layers = ( { type = \"fc\"; out = 64; recurrent = %s; },"
                      " { type = \"fc\"; out = 10; } ); };\n"
                      "training = { T = 2; batch = 2; optimizer = \"sgd\"; };\n"
                      "mapping = { multicore = \"pipeline\"; };\n";
    static const int want[2][2] = {{2, 2}, {3, 1}};
    for (int r = 0; r < 2; r++) {
        char buf[1024];
        snprintf(buf, sizeof buf, src, r ? "true" : "false");
        snnex_config cfg;
        load(buf, &cfg);
        models_placement pl[SNNEX_MAX_LAYERS];
        models_place(&cfg, pl);
        CU_ASSERT_EQUAL(pl[0].cores, want[r][0]);
        CU_ASSERT_EQUAL(pl[1].cores, want[r][1]);
    }
}

/* ---- neuron models --------------------------------------------------------- */

/* fc 4→2, T = 2, B = 2, one core, input-stationary, densities 0.5:
 * S = 8, acc = 0.5·8·4 = 16, neuron updates N = 2·2·2 = 8. Per model
 * (README "Modelling contract"): FP mul/add/cmp, BP mul/MAC/add; FLOPs
 * FP = acc + mul + add, BP = 2·MAC + mul + add. */
static void neuron_cfg(snnex_config *cfg, const char *neuron)
{
    char src[1024];
    snprintf(src, sizeof src,
             "chip = { cores = 1; engines = { fp_lanes = 4; }; };\n"
             "network = { input = [4, 1, 1]; layers = ( { type = \"fc\"; out = 2; neuron = \"%s\"; } ); };\n"
             "training = { T = 2; batch = 2; optimizer = \"sgd\"; };\n"
             "mapping = { stationarity = \"input\"; };\n"
             "sparsity = { input = 0.5; hidden = 0.5; du = 0.5; };\n",
             neuron);
    load(src, cfg);
}

static void test_neuron_counts(void)
{
    static const struct {
        const char *name;
        double fmul, fadd, fcmp, fflops, bmul, bmac, badd, bflops, spike_wr, hist_wr;
    } want[] = {
        /* lif: U = βU + I; δU = σ'·g + β·δU' */
        {"lif", 8, 8, 8, 16 + 16, 16, 8, 0, 2 * 8 + 16, 8, 128 + 16},
        /* if: U = U + I; δU = σ'·g + δU' */
        {"if", 0, 8, 8, 16 + 8, 16, 0, 8, 16 + 8, 8, 128 + 16},
        /* cubalif: I = αI + x, U = βU + I; δU, δI = δU + α·δI'; history
         * of both words: 2·(2·2·2·16) = 256 bits + input spikes 4·4 = 16 */
        {"cubalif", 16, 16, 8, 16 + 32, 16, 16, 0, 2 * 16 + 16, 8, 256 + 16},
        /* li: U = βU + I, no threshold, no spike written; δU = g + β·δU' */
        {"li", 8, 8, 0, 16 + 16, 0, 8, 0, 2 * 8, 0, 128 + 16},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        snnex_config cfg;
        models_sparsity sp[SNNEX_MAX_LAYERS];
        neuron_cfg(&cfg, want[i].name);
        counts_for(&cfg, sp);
        const snnex_counts *fp = &C[0][SNNEX_ENG_FP], *bp = &C[0][SNNEX_ENG_BP];
        ASSERT_CLOSE(fp->acc, 16, 1e-12);
        ASSERT_CLOSE(fp->neuron, 8, 1e-12);
        ASSERT_CLOSE(fp->mul, want[i].fmul, 1e-12);
        ASSERT_CLOSE(fp->add, want[i].fadd, 1e-12);
        ASSERT_CLOSE(fp->cmp, want[i].fcmp, 1e-12);
        ASSERT_CLOSE(fp->flops, want[i].fflops, 1e-12);
        ASSERT_CLOSE(bp->mul, want[i].bmul, 1e-12);
        ASSERT_CLOSE(bp->mac, want[i].bmac, 1e-12);
        ASSERT_CLOSE(bp->add, want[i].badd, 1e-12);
        ASSERT_CLOSE(bp->flops, want[i].bflops, 1e-12);
        ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_CMEM_SPIKE], want[i].spike_wr, 1e-12);
        /* time-major BPTT history goes to the global buffer */
        ASSERT_CLOSE(fp->mem_wr_bits[SNNEX_MEM_GLOBAL], want[i].hist_wr, 1e-12);
    }
    /* cubalif reads and writes two state words per update: membrane rd =
     * (16 partial sums + 8 updates)·16 + 8·16 (the current) = 512 bits */
    snnex_config cfg;
    models_sparsity sp[SNNEX_MAX_LAYERS];
    neuron_cfg(&cfg, "cubalif");
    counts_for(&cfg, sp);
    ASSERT_CLOSE(C[0][SNNEX_ENG_FP].mem_rd_bits[SNNEX_CMEM_MEMBRANE], 512, 1e-12);
    ASSERT_CLOSE(C[0][SNNEX_ENG_FP].mem_wr_bits[SNNEX_CMEM_MEMBRANE], 512, 1e-12);
    /* li: no surrogate gates δU, so without a trace its density is 1 */
    neuron_cfg(&cfg, "li");
    counts_for(&cfg, sp);
    ASSERT_CLOSE(sp[0].du, 1, 1e-12);
}

/* Per-layer parameters fall back to network.neuron; if has β = 1. */
static void test_neuron_params(void)
{
    snnex_config cfg;
    load("network = { input = [4, 1, 1]; neuron = { beta = 0.8; theta = 2.0; alpha = 0.7; };\n"
         "  layers = ( { type = \"fc\"; out = 3; neuron = \"cubalif\"; beta = 0.5; alpha = 0.25; },\n"
         "             { type = \"fc\"; out = 3; neuron = \"if\"; theta = 0.5; },\n"
         "             { type = \"fc\"; out = 2; } ); };\n",
         &cfg);
    const snnex_network *n = &cfg.net;
    ASSERT_CLOSE(snnex_layer_beta(n, &n->layers[0]), 0.5, 0);
    ASSERT_CLOSE(snnex_layer_alpha(n, &n->layers[0]), 0.25, 0);
    ASSERT_CLOSE(snnex_layer_theta(n, &n->layers[0]), 2.0, 0);
    ASSERT_CLOSE(snnex_layer_beta(n, &n->layers[1]), 1.0, 0);
    ASSERT_CLOSE(snnex_layer_theta(n, &n->layers[1]), 0.5, 0);
    ASSERT_CLOSE(snnex_layer_beta(n, &n->layers[2]), 0.8, 0);
    ASSERT_CLOSE(snnex_layer_alpha(n, &n->layers[2]), 0.7, 0);
    CU_ASSERT_EQUAL(snnex_neuron_state_words(n->layers[0].neuron), 2);
    CU_ASSERT_EQUAL(snnex_neuron_state_words(n->layers[1].neuron), 1);
}

/* ---- sum pool ---------------------------------------------------------------- */

/* input 1×4×4, pool k2 → 1×2×2 (16 window reads), flatten, fc 4→2; T = 2,
 * B = 2, input density 0.5. FP: 0.5·16·4 = 32 adds (sum and avg) or
 * compares (max); BP routes 16·4 = 64 gradient values: avg scales them
 * (64 FLOPs), sum copies them (0), as max routes them. */
static void test_sum_pool_counts(void)
{
    static const char *kinds[] = {"sum", "avg", "max"};
    static const double fadd[] = {32, 32, 0}, fcmp[] = {0, 0, 32}, fflops[] = {32, 32, 0}, bflops[] = {0, 64, 0};
    for (int i = 0; i < 3; i++) {
        char src[1024];
        snprintf(src, sizeof src,
                 "chip = { cores = 1; };\n"
                 "network = { input = [1, 4, 4]; layers = ( { type = \"pool\"; kernel = 2; pool = \"%s\"; },\n"
                 "  { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n"
                 "training = { T = 2; batch = 2; optimizer = \"sgd\"; };\n"
                 "sparsity = { input = 0.5; hidden = 0.5; du = 0.5; };\n",
                 kinds[i]);
        snnex_config cfg;
        models_sparsity sp[SNNEX_MAX_LAYERS];
        load(src, &cfg);
        CU_ASSERT_EQUAL(cfg.net.layers[0].synapses, 16);
        counts_for(&cfg, sp);
        ASSERT_CLOSE(C[0][SNNEX_ENG_FP].add, fadd[i], 1e-12);
        ASSERT_CLOSE(C[0][SNNEX_ENG_FP].cmp, fcmp[i], 1e-12);
        ASSERT_CLOSE(C[0][SNNEX_ENG_FP].flops, fflops[i], 1e-12);
        ASSERT_CLOSE(C[0][SNNEX_ENG_BP].add, 64, 1e-12);
        ASSERT_CLOSE(C[0][SNNEX_ENG_BP].flops, bflops[i], 1e-12);
    }
}

/* ---- conv dilation and groups -------------------------------------------------- */

/* input 4×8×8, conv 6 channels, kernel 3, dilation 2 (extent 5), groups 2:
 * weights (4/2)·6·3² = 108. Padding 0: output 4×4, every tap inside:
 * synapses 6·2·(4·3)·(4·3) = 1728. Padding 2: output 8×8; taps inside the
 * input per dimension, i = o - 2 + 2r for o = 0..7, r = 0..2: 2, 2, 3, 3,
 * 3, 3, 2, 2 = 20; synapses 6·2·20·20 = 4800. */
static void test_conv_dilation_groups(void)
{
    snnex_config cfg;
    load("network = { input = [4, 8, 8]; layers = ( { type = \"conv\"; channels = 6; kernel = 3;\n"
         "  dilation = 2; groups = 2; }, { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n",
         &cfg);
    const snnex_layer *L = &cfg.net.layers[0];
    CU_ASSERT_EQUAL(L->out_h, 4);
    CU_ASSERT_EQUAL(L->out_w, 4);
    CU_ASSERT_EQUAL(L->weights, 108);
    CU_ASSERT_EQUAL(L->synapses, 1728);
    load("network = { input = [4, 8, 8]; layers = ( { type = \"conv\"; channels = 6; kernel = 3;\n"
         "  dilation = 2; groups = 2; padding = 2; }, { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n",
         &cfg);
    CU_ASSERT_EQUAL(L->out_h, 8);
    CU_ASSERT_EQUAL(L->weights, 108);
    CU_ASSERT_EQUAL(L->synapses, 4800);
}

/* ---- config errors ---------------------------------------------------------------- */

static void test_config_errors(void)
{
    expect_error("network = { input = [4, 8, 8];\n layers = ( { type = \"conv\"; channels = 6; kernel = 3;\n"
                 " groups = 3; }, { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n",
                 2, "groups must divide");
    expect_error("network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; neuron = \"li\"; },\n"
                 " { type = \"fc\"; out = 2; } ); };\n",
                 2, "must be the last layer");
    expect_error("network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; },\n"
                 " { type = \"fc\"; out = 2; neuron = \"if\"; beta = 0.5; } ); };\n",
                 3, "no leak");
    expect_error("network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; alpha = 0.5; },\n"
                 " { type = \"fc\"; out = 2; } ); };\n",
                 2, "cubalif");
    expect_error("network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; },\n"
                 " { type = \"fc\"; out = 2; recurrent = true; neuron = \"li\"; } ); };\n",
                 3, "recurrent");
    expect_error("network = { input = [1, 8, 8];\n layers = ( { type = \"conv\"; channels = 2; kernel = 3;\n"
                 " recurrent = true; }, { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n",
                 3, "takes no key 'recurrent'");
    expect_error("network = { input = [1, 8, 8];\n layers = ( { type = \"pool\"; kernel = 2; pool = \"median\"; },\n"
                 " { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n",
                 2, "\"sum\"");
    /* a default taken from another key is no example of a number */
    expect_error("network = { input = [4, 1, 1];\n layers = ( { type = \"fc\"; out = 3; beta = \"x\"; },\n"
                 " { type = \"fc\"; out = 2; } ); };\n",
                 2, "must be a number (got \"x\"); e.g. beta = 1.0;");
    expect_error("network = { input = [1, 8, 8];\n layers = ( { type = \"flatten\"; neuron = \"if\"; },\n"
                 " { type = \"fc\"; out = 2; } ); };\n",
                 2, "takes no key 'neuron'");
}

/* ---- trace signatures ------------------------------------------------------------- */

static void test_signature(void)
{
    snnex_config cfg;
    char buf[256];
    load("network = { input = [4, 1, 1]; layers = ( { type = \"fc\"; out = 3; recurrent = true;\n"
         " neuron = \"cubalif\"; }, { type = \"fc\"; out = 2; neuron = \"li\"; } ); };\n"
         "training = { T = 3; };\n",
         &cfg);
    snnex_network_signature(&cfg.net, 3, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "in=4x1x1;fc3r:cubalif;fc2:li;T=3");
    load("network = { input = [2, 8, 8]; layers = ( { type = \"conv\"; channels = 4; kernel = 3; padding = 1;\n"
         " dilation = 2; groups = 2; neuron = \"if\"; }, { type = \"pool\"; kernel = 2; pool = \"sum\"; },\n"
         " { type = \"flatten\"; }, { type = \"fc\"; out = 2; } ); };\n",
         &cfg);
    snnex_network_signature(&cfg.net, 25, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "in=2x8x8;conv4k3s1p1d2g2:if;sumpool2s2;flatten;fc2;T=25");
    /* without the features: the signature shipped traces carry */
    load("network = { input = [1, 28, 28]; layers = ( { type = \"flatten\"; }, { type = \"fc\"; out = 800; },\n"
         " { type = \"fc\"; out = 10; } ); };\n",
         &cfg);
    snnex_network_signature(&cfg.net, 25, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "in=1x28x28;flatten;fc800;fc10;T=25");
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("netmodel", NULL, NULL);
    CU_add_test(s, "recurrent fc: hand-calculated FP/BP/WG/OPT counts", test_recurrent_counts);
    CU_add_test(s, "recurrent fc split over cores: BP partial sums on the mesh", test_recurrent_mesh);
    CU_add_test(s, "recurrent fc in the GPU baseline's DRAM bytes", test_recurrent_gpu);
    CU_add_test(s, "pipeline placement counts the recurrent synapses", test_recurrent_placement);
    CU_add_test(s, "neuron models lif/if/cubalif/li: hand-calculated counts", test_neuron_counts);
    CU_add_test(s, "per-layer beta/theta/alpha fall back to network.neuron", test_neuron_params);
    CU_add_test(s, "sum pool counts next to avg and max", test_sum_pool_counts);
    CU_add_test(s, "conv dilation and groups: shapes, weights, synapses", test_conv_dilation_groups);
    CU_add_test(s, "config errors name the layer's line", test_config_errors);
    CU_add_test(s, "trace signature marks the new features only", test_signature);
    return test_finish();
}
