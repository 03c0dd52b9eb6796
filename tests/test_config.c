/* Config loading, shape inference and the per-layer action counts of
 * snnex estimate (issue 3): hand-calculated expectations, and malformed
 * configs run through the real program (exit 1, FILE:LINE, no output). */
#include "estimator/estimator.h"
#include "models/models.h"
#include "test_util.h"

#include <sys/stat.h>

static char tmpdir[] = "/tmp/snnex_cfgXXXXXX";

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

/* A small valid config; tests append to it or replace parts. */
#define NET_FC "network = { input = [1, 28, 28]; layers = ( { type = \"flatten\"; }, { type = \"fc\"; out = 800; }, { type = \"fc\"; out = 10; } ); };\n"
#define CHIP_OK "chip = { cores = 20; mesh = [4, 5]; };\n"

static void test_load_seed(void)
{
    snnex_config cfg;
    snnex_err err;
    int st = snnex_config_load("configs/seed20.cfg", &cfg, &err);
    if (st)
        snnex_err_print(&err, stderr);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
    CU_ASSERT_EQUAL(cfg.chip.cores, 20);
    CU_ASSERT_EQUAL(cfg.chip.mesh_x * cfg.chip.mesh_y, 20);
    ASSERT_CLOSE(cfg.chip.node_nm, 28, 1e-12);
    ASSERT_CLOSE(cfg.chip.clock_Hz, 400e6, 1e-12);          /* clock_MHz = 400 → SI */
    ASSERT_CLOSE(cfg.chip.core_mem[SNNEX_CMEM_WEIGHT].capacity_bytes, 128 * 1024.0, 1e-12);
    CU_ASSERT_EQUAL(cfg.net.n_layers, 3);
    CU_ASSERT_EQUAL(cfg.train.T, 25);
    CU_ASSERT_EQUAL(cfg.train.batch, 128);
    CU_ASSERT_EQUAL(cfg.net.layers[1].in_size, 784);
    CU_ASSERT_EQUAL(cfg.net.layers[1].out_size, 800);
    CU_ASSERT_EQUAL(cfg.net.layers[1].weights, 784 * 800);
    CU_ASSERT_EQUAL(cfg.net.layers[2].weights, 800 * 10);
    /* the conv config includes the chip file from its own directory */
    st = snnex_config_load("configs/vgg_cifar10.cfg", &cfg, &err);
    if (st)
        snnex_err_print(&err, stderr);
    CU_ASSERT_EQUAL(st, SNNEX_OK);
    CU_ASSERT_EQUAL(cfg.chip.cores, 20);
}

/* Shapes of a conv net: 1x28x28 → 12C5 → 12x24x24 → MP2 → 12x12x12 →
 * 64C5 → 64x8x8 → MP2 → 64x4x4 → flatten 1024 → FC10 (issue 8 conv net). */
static void test_shapes(void)
{
    snnex_config cfg;
    snnex_err err;
    const char *txt = "network = { input = [1, 28, 28]; layers = ("
                      "{ type = \"conv\"; channels = 12; kernel = 5; },"
                      "{ type = \"pool\"; kernel = 2; },"
                      "{ type = \"conv\"; channels = 64; kernel = 5; },"
                      "{ type = \"pool\"; kernel = 2; },"
                      "{ type = \"flatten\"; },"
                      "{ type = \"fc\"; out = 10; } ); };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(txt, "conv.cfg", &cfg, &err), SNNEX_OK);
    const snnex_layer *L = cfg.net.layers;
    CU_ASSERT(L[0].out_c == 12 && L[0].out_h == 24 && L[0].out_w == 24);
    CU_ASSERT(L[1].out_c == 12 && L[1].out_h == 12 && L[1].out_w == 12);
    CU_ASSERT(L[2].out_c == 64 && L[2].out_h == 8 && L[2].out_w == 8);
    CU_ASSERT(L[3].out_c == 64 && L[3].out_h == 4 && L[3].out_w == 4);
    CU_ASSERT_EQUAL(L[4].out_size, 1024);
    CU_ASSERT_EQUAL(L[5].weights, 10240);
    CU_ASSERT_EQUAL(L[0].weights, 1 * 12 * 25);
    CU_ASSERT_EQUAL(L[2].weights, 12 * 64 * 25);
    /* no padding: every (output pixel, tap) pair is inside the input */
    CU_ASSERT_EQUAL(L[0].synapses, 12L * 24 * 24 * 25);
    /* LIF neurons after fc/conv by default; none at pools and flatten */
    for (int i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(L[i].spiking, L[i].weights > 0);
    char sig[256];
    CU_ASSERT_STRING_EQUAL(snnex_network_signature(&cfg.net, 25, sig, sizeof sig),
                           "in=1x28x28;conv12k5s1p0;maxpool2s2;conv64k5s1p0;maxpool2s2;flatten;fc10;T=25");
    /* the reference order: the neurons move behind the pools (and the
     * signature says so, so traces and checkpoints of one order are
     * rejected for the other) */
    const char *ref = "network = { input = [1, 28, 28]; layers = ("
                      "{ type = \"conv\"; channels = 12; kernel = 5; lif = false; },"
                      "{ type = \"pool\"; kernel = 2; lif = true; },"
                      "{ type = \"conv\"; channels = 64; kernel = 5; lif = false; },"
                      "{ type = \"pool\"; kernel = 2; lif = true; },"
                      "{ type = \"flatten\"; },"
                      "{ type = \"fc\"; out = 10; } ); };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(ref, "ref.cfg", &cfg, &err), SNNEX_OK);
    for (int i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(L[i].spiking, i == 1 || i == 3 || i == 5);
    CU_ASSERT_STRING_EQUAL(snnex_network_signature(&cfg.net, 25, sig, sizeof sig),
                           "in=1x28x28;conv12k5s1p0-lif;maxpool2s2+lif;conv64k5s1p0-lif;maxpool2s2+lif;flatten;fc10;T=25");
    /* a setting that takes the neurons off one pool alone is refused (its
     * conv would pass currents on to the next conv) */
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "network.layers[1].lif", "false", &err), SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "no neurons") != NULL);
    /* --set and sweep axes check a memory's capacity as the file does:
     * none (0) or at least memtech's 256 B */
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "chip.memories.weight.capacity_KiB", "0.001", &err), SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "must be 0 (none on chip) or at least 0.25 KiB") != NULL);
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "chip.memories.weight.capacity_KiB", "0", &err), SNNEX_OK);
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "chip.memories.weight.capacity_KiB", "0.25", &err), SNNEX_OK);
}

/* Counts of a config given as text, densities from its sparsity group. */
typedef struct {
    snnex_config cfg;
    models_sparsity sp[SNNEX_MAX_LAYERS];
    char src[16];
    snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    models_chip ch;
} counted;

static snnex_status count_text(const char *txt, const char *name, counted *k)
{
    snnex_err err;
    snnex_status st = snnex_config_load_string(txt, name, &k->cfg, &err);
    if (st)
        return st;
    models_sparsity_resolve(&k->cfg, NULL, k->sp, k->src);
    return models_count(&k->cfg, k->sp, k->c, &k->ch, &err);
}

/* fc 784→800, T=25, batch 128, input density 0.287 (issue 3): FP
 * accumulates = 0.287·784·800·25·128; dense-equivalent without the 0.287;
 * neuron updates 800·25·128. */
static void test_fc_counts(void)
{
    const char *txt = CHIP_OK NET_FC "sparsity = { input = 0.287; hidden = 0.07; du = 0.03; };\n";
    static counted k;
    CU_ASSERT_EQUAL_FATAL(count_text(txt, "fc.cfg", &k), SNNEX_OK);
    CU_ASSERT_STRING_EQUAL(k.src, "density");
    const snnex_counts *fp = &k.c[1][SNNEX_ENG_FP];
    ASSERT_CLOSE(fp->acc, 0.287 * 784 * 800 * 25 * 128, 1e-12);
    ASSERT_CLOSE(fp->dense_equiv, 784.0 * 800 * 25 * 128, 1e-12);
    ASSERT_CLOSE(fp->neuron, 800.0 * 25 * 128, 1e-12);
    /* fc2 sees the hidden density 0.07 */
    ASSERT_CLOSE(k.c[2][SNNEX_ENG_FP].acc, 0.07 * 800 * 10 * 25 * 128, 1e-12);
    /* BP: no input gradient for the first weight layer; fc2 passes
     * 0.03·800·10·25·128 MACs down, plus one MAC per neuron-step */
    ASSERT_CLOSE(k.c[1][SNNEX_ENG_BP].mac, 800.0 * 25 * 128, 1e-12);
    ASSERT_CLOSE(k.c[2][SNNEX_ENG_BP].mac, 0.03 * 800 * 10 * 25 * 128 + 10.0 * 25 * 128, 1e-12);
    /* WG: spike-gated and δU-gated: 0.03·0.287·784·800·25·128 */
    ASSERT_CLOSE(k.c[1][SNNEX_ENG_WG].acc, 0.03 * 0.287 * 784 * 800 * 25 * 128, 1e-12);
    ASSERT_CLOSE(k.c[1][SNNEX_ENG_WG].dense_equiv, 784.0 * 800 * 25 * 128, 1e-12);
    /* Adam: 6 mul + 4 add per weight per batch */
    ASSERT_CLOSE(k.c[1][SNNEX_ENG_OPT].mul, 6.0 * 784 * 800, 1e-12);
    ASSERT_CLOSE(k.c[1][SNNEX_ENG_OPT].add, 4.0 * 784 * 800, 1e-12);
    /* flatten does nothing */
    CU_ASSERT_EQUAL(k.c[0][SNNEX_ENG_FP].acc, 0);
}

/* conv 1x5x5 → 2 channels, k3 s2 p1: output 3x3. Valid taps per dimension
 * over the 3 output positions: o=0 rows {-1,0,1} → 2, o=1 {1,2,3} → 3,
 * o=2 {3,4,5} → 2, total 7; synapses = 2·1·7·7 = 98 (padding taps excluded),
 * weights 1·2·9 = 18. FP acc at density 0.5, T=4, B=2: 0.5·98·4·2 = 392. */
static void test_conv_counts(void)
{
    snnex_config cfg;
    snnex_err err;
    const char *txt = "chip = { cores = 1; };\n"
                      "network = { input = [1, 5, 5]; layers = ("
                      "{ type = \"conv\"; channels = 2; kernel = 3; stride = 2; padding = 1; } ); };\n"
                      "training = { T = 4; batch = 2; };\n"
                      "sparsity = { input = 0.5; hidden = 0.25; du = 0.5; };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(txt, "conv.cfg", &cfg, &err), SNNEX_OK);
    const snnex_layer *L = &cfg.net.layers[0];
    CU_ASSERT(L->out_c == 2 && L->out_h == 3 && L->out_w == 3);
    CU_ASSERT_EQUAL(L->synapses, 98);
    CU_ASSERT_EQUAL(L->weights, 18);
    models_sparsity sp[SNNEX_MAX_LAYERS];
    char src[16];
    models_sparsity_resolve(&cfg, NULL, sp, src);
    static snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    models_chip ch;
    CU_ASSERT_EQUAL_FATAL(models_count(&cfg, sp, c, &ch, &err), SNNEX_OK);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].acc, 392, 1e-12);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].dense_equiv, 784, 1e-12);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].neuron, 18.0 * 4 * 2, 1e-12);
    ASSERT_CLOSE(c[0][SNNEX_ENG_WG].acc, 0.5 * 0.5 * 98 * 4 * 2, 1e-12);
    /* skip groups of 4: occupancy 1-(1-0.5)^4 = 0.9375 replaces 0.5 */
    cfg.chip.skip_group = 4;
    models_sparsity_resolve(&cfg, NULL, sp, src);
    CU_ASSERT_EQUAL_FATAL(models_count(&cfg, sp, c, &ch, &err), SNNEX_OK);
    ASSERT_CLOSE(c[0][SNNEX_ENG_FP].acc, 0.9375 * 98 * 4 * 2, 1e-12);
}

/* LIF neurons after the pool: conv 1x6x6 → 2 channels k3 with lif = false
 * (output 2x4x4 = 32 currents), max pool 2 with lif = true (2x2x2 = 8
 * neurons), flatten, fc 3; T = 4, B = 2 (8 sample-steps), input density
 * 0.5, hidden 0.25, δU 0.5. conv: synapses 2·(4·3)² = 288, accumulates
 * 0.5·288·8 = 1152 and no neuron updates; its currents are dense (1) and
 * their gradient is δU / 4 (one value of each 2x2 window) = 0.125, so WG
 * = 0.125·0.5·288·8 = 144; the first weight layer has no BP MACs. pool:
 * 32 window values (2·2·2·4) compared every step (256) plus one threshold
 * compare per neuron-step (64); 64 neuron updates (FLOPs 2·64); membrane
 * reads 32·8 currents + 64 neuron words, 16 bits each; BP 2·64
 * multiplies and 64 MACs. fc sees the pool's spikes at 0.25: 0.25·8·3·8. */
static void test_pool_lif_counts(void)
{
    const char *txt = "chip = { cores = 1; };\n"
                      "network = { input = [1, 6, 6]; layers = ("
                      "{ type = \"conv\"; channels = 2; kernel = 3; lif = false; },"
                      "{ type = \"pool\"; kernel = 2; lif = true; },"
                      "{ type = \"flatten\"; }, { type = \"fc\"; out = 3; } ); };\n"
                      "training = { T = 4; batch = 2; };\n"
                      "sparsity = { input = 0.5; hidden = 0.25; du = 0.5; };\n";
    static counted k;
    CU_ASSERT_EQUAL_FATAL(count_text(txt, "lif.cfg", &k), SNNEX_OK);
    CU_ASSERT_EQUAL(k.cfg.net.layers[0].synapses, 288);
    CU_ASSERT_EQUAL(k.cfg.net.layers[1].synapses, 32);
    ASSERT_CLOSE(k.sp[0].out_density, 1, 1e-12);
    ASSERT_CLOSE(k.sp[0].du, 0.125, 1e-12);
    ASSERT_CLOSE(k.sp[1].in_density, 1, 1e-12);
    ASSERT_CLOSE(k.sp[1].out_density, 0.25, 1e-12);
    ASSERT_CLOSE(k.sp[1].du, 0.5, 1e-12);
    const snnex_counts *cf = &k.c[0][SNNEX_ENG_FP], *pf = &k.c[1][SNNEX_ENG_FP], *pb = &k.c[1][SNNEX_ENG_BP];
    ASSERT_CLOSE(cf->acc, 1152, 1e-12);
    CU_ASSERT_EQUAL(cf->neuron, 0);
    CU_ASSERT_EQUAL(cf->cmp, 0);
    ASSERT_CLOSE(cf->flops, 1152, 1e-12);
    CU_ASSERT_EQUAL(cf->mem_wr_bits[SNNEX_CMEM_SPIKE], 0); /* currents, not spikes */
    ASSERT_CLOSE(cf->mem_rd_bits[SNNEX_CMEM_MEMBRANE], 1152.0 * 16, 1e-12); /* partial sums only */
    ASSERT_CLOSE(k.c[0][SNNEX_ENG_WG].acc, 144, 1e-12);
    CU_ASSERT_EQUAL(k.c[0][SNNEX_ENG_BP].mac, 0);
    CU_ASSERT_EQUAL(k.c[0][SNNEX_ENG_BP].mul, 0);
    ASSERT_CLOSE(pf->cmp, 256 + 64, 1e-12);
    ASSERT_CLOSE(pf->neuron, 64, 1e-12);
    ASSERT_CLOSE(pf->flops, 128, 1e-12);
    ASSERT_CLOSE(pf->mem_rd_bits[SNNEX_CMEM_MEMBRANE], 32.0 * 8 * 16 + 64 * 16, 1e-12);
    ASSERT_CLOSE(pb->mul, 128, 1e-12);
    ASSERT_CLOSE(pb->mac, 64, 1e-12);
    ASSERT_CLOSE(k.c[3][SNNEX_ENG_FP].acc, 0.25 * 8 * 3 * 8, 1e-12);
}

/* Output split over 2 cores: a conv followed by a pool broadcasts the
 * pool's spikes (reduced on the core that made them), in either order:
 * address events or a bitmap of the 8 pooled neurons per sample-step,
 * whichever is smaller (3-bit addresses), T·B = 8 sample-steps, to P - 1 = 1
 * other core. */
static void test_pool_noc_broadcast(void)
{
    for (int lif_first = 0; lif_first < 2; lif_first++) {
        char txt[1024];
        snprintf(txt, sizeof txt,
                 "chip = { cores = 2; mesh = [2, 1]; };\n"
                 "network = { input = [1, 6, 6]; layers = ("
                 "{ type = \"conv\"; channels = 2; kernel = 3; lif = %s; },"
                 "{ type = \"pool\"; kernel = 2; lif = %s; },"
                 "{ type = \"flatten\"; }, { type = \"fc\"; out = 3; } ); };\n"
                 "training = { T = 4; batch = 2; };\n"
                 "mapping = { multicore = \"output_split\"; };\n"
                 "sparsity = { input = 0.5; hidden = 0.25; du = 0.5; };\n",
                 lif_first ? "true" : "false", lif_first ? "false" : "true");
        static counted k;
        CU_ASSERT_EQUAL_FATAL(count_text(txt, "noc.cfg", &k), SNNEX_OK);
        double d = k.sp[1].out_density; /* pooled spikes: 0.25, or 1 − 0.75⁴ when pooling spikes */
        ASSERT_CLOSE(d, lif_first ? 1 - pow(0.75, 4) : 0.25, 1e-12);
        const snnex_counts *f = &k.c[0][SNNEX_ENG_FP]; /* plus its GB/DRAM traffic to the edge port */
        double edge = (f->mem_rd_bits[SNNEX_MEM_GLOBAL] + f->mem_wr_bits[SNNEX_MEM_GLOBAL] +
                       f->mem_rd_bits[SNNEX_MEM_DRAM] + f->mem_wr_bits[SNNEX_MEM_DRAM]) *
                      models_mesh_mean_hops_to_edge(2, 1);
        ASSERT_CLOSE(f->noc_bit_hops - edge, fmin(8, d * 8 * 3) * 8 * 1, 1e-9);
    }
}

/* sparse counts never exceed dense-equivalent ones, and equal them at
 * density 1 */
static void test_dense_vs_sparse(void)
{
    snnex_config cfg;
    snnex_err err;
    const char *txt = CHIP_OK NET_FC "sparsity = { input = 1.0; hidden = 1.0; du = 1.0; };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(txt, "d.cfg", &cfg, &err), SNNEX_OK);
    models_sparsity sp[SNNEX_MAX_LAYERS];
    char src[16];
    static snnex_counts c[SNNEX_MAX_LAYERS][SNNEX_N_ENG];
    models_chip ch;
    models_sparsity_resolve(&cfg, NULL, sp, src);
    models_count(&cfg, sp, c, &ch, &err);
    for (int l = 0; l < 3; l++) {
        ASSERT_CLOSE(c[l][SNNEX_ENG_FP].flops, c[l][SNNEX_ENG_FP].flops_dense, 1e-12);
        ASSERT_CLOSE(c[l][SNNEX_ENG_WG].acc, c[l][SNNEX_ENG_WG].dense_equiv, 1e-12);
    }
    cfg.density.input = 0.1;
    models_sparsity_resolve(&cfg, NULL, sp, src);
    models_count(&cfg, sp, c, &ch, &err);
    CU_ASSERT(c[1][SNNEX_ENG_FP].acc < c[1][SNNEX_ENG_FP].dense_equiv);
    ASSERT_CLOSE(c[1][SNNEX_ENG_FP].acc, 0.1 * c[1][SNNEX_ENG_FP].dense_equiv, 1e-12);
}

/* ---- malformed configs through the program --------------------------------- */

typedef struct {
    const char *what;
    const char *text;
    const char *file;   /* file the error must name (default bad.cfg) */
    int line;           /* line it must name (0 = file only) */
    const char *needle; /* a word the message must contain */
} bad_case;

static const bad_case bad[] = {
    {"unknown top-level key", CHIP_OK NET_FC "foo = 1;\n", NULL, 3, "unknown key foo"},
    {"typo in a nested key", "chip = {\n  corez = 20;\n};\n" NET_FC, NULL, 2, "did you mean chip.cores"},
    {"wrong type", "chip = { cores = \"twenty\"; };\n" NET_FC, NULL, 1, "must be an integer"},
    {"negative capacity", "chip = { memories = { weight = { capacity_KiB = -4.0; }; }; };\n" NET_FC, NULL, 1,
     "capacity_KiB"},
    {"capacity below memtech's smallest array", "chip = {\n memories = { membrane = { capacity_KiB = 1e-9; }; };\n};\n" NET_FC,
     NULL, 2, "chip.memories.membrane.capacity_KiB must be 0 (none on chip) or at least 0.25 KiB"},
    {"zero cores", "chip = { cores = 0; };\n" NET_FC, NULL, 1, "between 1 and"},
    {"mesh not matching cores", "chip = {\n cores = 20;\n mesh = [4, 4];\n};\n" NET_FC, NULL, 3, "x*y"},
    {"mesh with a zero", "chip = { cores = 20; mesh = [4, 0]; };\n" NET_FC, NULL, 1, "2 positive integers"},
    {"mesh with 3 numbers", "chip = { cores = 20; mesh = [4, 5, 1]; };\n" NET_FC, NULL, 1, "2 positive integers"},
    {"conv kernel larger than input",
     CHIP_OK "network = { input = [1, 4, 4];\n layers = (\n { type = \"conv\"; channels = 2; kernel = 7; } ); };\n",
     NULL, 4, "larger than"},
    {"bad @include", "@include \"no_such_file.cfg\"\n" NET_FC, NULL, 1, "no_such_file.cfg"},
    {"missing semicolon at end of file", CHIP_OK NET_FC "sparsity = { input = 0.3; }\n", NULL, 3, "';'"},
    {"missing semicolon mid-file", "chip = {\n cores = 20\n mesh = [4, 5];\n};\n" NET_FC, NULL, 2, "';'"},
    {"NaN", CHIP_OK NET_FC "sparsity = { input = nan; };\n", NULL, 3, "not a number"},
    {"1e400", CHIP_OK NET_FC "chip2 = 1;\n", NULL, 3, "unknown key"},
    {"huge number", "chip = { node_nm = 1e400; };\n" NET_FC, NULL, 1, "finite"},
    {"float for an int", "chip = { cores = 20.5; };\n" NET_FC, NULL, 1, "integer"},
    {"unknown enum value", CHIP_OK NET_FC "mapping = {\n loop_order = \"sideways\";\n};\n", NULL, 4,
     "time_major"},
    {"layer without type", CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { out = 3; } ); };\n", NULL, 4,
     "needs a type"},
    {"fc without out", CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { type = \"fc\"; } ); };\n", NULL, 4,
     "needs out"},
    {"unknown layer key", CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { type = \"fc\"; outs = 3; } ); };\n",
     NULL, 4, "did you mean out"},
    {"key not for this layer type",
     CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { type = \"fc\"; out = 3; kernel = 3; } ); };\n", NULL, 4,
     "takes no key"},
    {"missing network.input", CHIP_OK "network = { layers = ( { type = \"fc\"; out = 3; } ); };\n", NULL, 0,
     "network.input"},
    {"unclosed brace", "chip = {\n cores = 20;\n" NET_FC, NULL, 0, "error"},
    {"batch zero", CHIP_OK NET_FC "training = { batch = 0; };\n", NULL, 3, "between 1 and"},
    {"density above 1", CHIP_OK NET_FC "sparsity = { hidden = 1.5; };\n", NULL, 3, "between 0 and 1"},
    {"pool after flatten",
     CHIP_OK "network = { input = [1, 4, 4];\n layers = (\n { type = \"flatten\"; },\n { type = \"pool\"; kernel = 2; } ); };\n",
     NULL, 5, "spatial input"},
    /* where the LIF neurons sit (network.layers[i].lif) */
    {"currents into flatten",
     CHIP_OK "network = { input = [1, 6, 6];\n layers = (\n { type = \"conv\"; channels = 2; kernel = 3; lif = false; },\n"
     " { type = \"flatten\"; },\n { type = \"fc\"; out = 3; } ); };\n", NULL, 5, "takes spikes"},
    {"currents into a pool without neurons",
     CHIP_OK "network = { input = [1, 6, 6];\n layers = (\n { type = \"conv\"; channels = 2; kernel = 3; lif = false; },\n"
     " { type = \"pool\"; kernel = 2; },\n { type = \"flatten\"; },\n { type = \"fc\"; out = 3; } ); };\n",
     NULL, 5, "set lif = true on this pool"},
    {"pool with neurons on spikes",
     CHIP_OK "network = { input = [1, 6, 6];\n layers = (\n { type = \"conv\"; channels = 2; kernel = 3; },\n"
     " { type = \"pool\"; kernel = 2; lif = true; },\n { type = \"flatten\"; },\n { type = \"fc\"; out = 3; } ); };\n",
     NULL, 5, "not supported"},
    {"last layer without neurons",
     CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { type = \"flatten\"; },\n { type = \"fc\"; out = 3; lif = false; } ); };\n",
     NULL, 5, "last layer"},
    {"lif on flatten",
     CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { type = \"flatten\"; lif = true; },\n { type = \"fc\"; out = 3; } ); };\n",
     NULL, 4, "takes no key 'lif'"},
    {"lif not a bool",
     CHIP_OK "network = { input = [1, 2, 2];\n layers = (\n { type = \"flatten\"; },\n { type = \"fc\"; out = 3; lif = 1; } ); };\n",
     NULL, 5, "true or false"},
    {"duplicate setting", "chip = { cores = 20; cores = 10; };\n" NET_FC, NULL, 1, "duplicate"},
    {"unknown DRAM standard", "chip = {\n dram = \"DDR9\";\n};\n" NET_FC, NULL, 2, "DDR9"},
    {"error inside an included file", "@include \"inc_bad.cfg\"\n" NET_FC, "inc_bad.cfg", 2, "did you mean chip.cores"},
    {"include cycle", "@include \"cycle.cfg\"\n" NET_FC, "cycle.cfg", 1, "nested"},
    /* the node range is the memory model's, 7-90 nm (memtech.h); it used to
     * pass the table's 5-180 and fail in the estimate without a line */
    {"node below the memory model's range", "chip = {\n  node_nm = 6.9;\n};\n" NET_FC, NULL, 2,
     "between 7 and 90"},
    /* an endless include was read until memory ran out (found by the fuzz
     * helper's review of snnex_read_file); the cap is SNNEX_MAX_INPUT_BYTES */
    {"include of an endless device", "@include \"/dev/zero\"\n" NET_FC, NULL, 1, "larger than 256 MiB"},
};

static void test_malformed(void)
{
    write_file("inc_bad.cfg", "chip = {\n  core = 20;\n};\n");
    write_file("cycle.cfg", "@include \"cycle.cfg\"\n");
    int n = sizeof bad / sizeof bad[0];
    CU_ASSERT(n >= 20);
    for (int i = 0; i < n; i++) {
        write_file("bad.cfg", bad[i].text);
        char out[600], args[1400];
        snprintf(out, sizeof out, "%s/out.json", tmpdir);
        remove(out);
        snprintf(args, sizeof args, "estimate %s/bad.cfg --format json -o %s", tmpdir, out);
        char *so, *se;
        int rc = test_run_snnex(args, &so, &se);
        char prefix[700];
        const char *file = bad[i].file ? bad[i].file : "bad.cfg";
        if (bad[i].line > 0)
            snprintf(prefix, sizeof prefix, "%s/%s:%d: error: ", tmpdir, file, bad[i].line);
        else
            snprintf(prefix, sizeof prefix, "%s/%s", tmpdir, file);
        int ok_prefix = strncmp(se, prefix, strlen(prefix)) == 0;
        int ok_needle = strstr(se, bad[i].needle) != NULL;
        struct stat sb;
        int no_out = stat(out, &sb) != 0;
        if (rc != 1 || !ok_prefix || !ok_needle || !no_out || so[0])
            fprintf(stderr, "\n  case '%s': rc=%d stderr=%s  (want prefix %s, word '%s')\n", bad[i].what, rc, se,
                    prefix, bad[i].needle);
        CU_ASSERT_EQUAL(rc, 1);
        CU_ASSERT(ok_prefix);
        CU_ASSERT(ok_needle);
        CU_ASSERT(no_out);
        CU_ASSERT_EQUAL(so[0], 0);
        free(so);
        free(se);
    }
}

/* snnex estimate --format json writes one JSON document with the documented
 * top-level keys; python3's json module (present on Debian) parses it. */
static void test_json_output(void)
{
    char out[600], args[1400];
    snprintf(out, sizeof out, "%s/seed.json", tmpdir);
    snprintf(args, sizeof args, "estimate configs/seed20.cfg --format json -o %s", out);
    CU_ASSERT_EQUAL_FATAL(test_run_snnex(args, NULL, NULL), 0);
    char cmd[1400];
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import json,sys; d=json.load(open('%s')); "
             "assert set(['config','layers','totals','metrics']) <= set(d); "
             "assert d['layers'][1]['engines']['fp']['acc_ops'] > 0; "
             "assert 'tflops_per_w_effective' in d['metrics']\"",
             out);
    CU_ASSERT_EQUAL(system(cmd), 0);
    /* help for every command, and for config keys */
    char *so;
    CU_ASSERT_EQUAL(test_run_snnex("help config", &so, NULL), 0);
    CU_ASSERT(strstr(so, "chip.memories.weight.capacity_KiB") != NULL);
    free(so);
    CU_ASSERT_EQUAL(test_run_snnex("estimate --help", &so, NULL), 0);
    CU_ASSERT(strstr(so, "usage: snnex estimate") != NULL);
    free(so);
    CU_ASSERT_EQUAL(test_run_snnex("estimate", NULL, NULL), 1);
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --format xml", NULL, NULL), 1);
    CU_ASSERT_EQUAL(test_run_snnex("nosuchcmd", NULL, NULL), 1);
}


/* Traces: a written trace reads back; one for another network, a corrupt
 * row, or a truncated file is rejected with FILE:LINE; the estimate uses
 * trace densities and says so. */
static void test_trace(void)
{
    snnex_config cfg;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load("configs/seed20.cfg", &cfg, &err), SNNEX_OK);
    snnex_trace tr;
    CU_ASSERT_EQUAL_FATAL(snnex_trace_alloc(&tr, &cfg.net, cfg.train.T, &err), SNNEX_OK);
    for (int l = 0; l < tr.n_layers; l++)
        for (int t = 0; t < tr.T; t++) {
            snnex_trace_point *p = &tr.p[l * tr.T + t];
            p->in_density = l == 0 ? 0.25 : 0.125;
            p->out_density = 0.125;
            p->du_exact = 1, p->du_thr = 0.0625;
            p->grad_density = 1;
            for (int g = 0; g < SNNEX_TRACE_NG; g++) {
                p->in_tile[g] = models_tile_occupancy(p->in_density, snnex_trace_g[g]);
                p->du_tile[g] = models_tile_occupancy(p->du_thr, snnex_trace_g[g]);
            }
        }
    tr.du_threshold = 1e-3, tr.batches = 3;
    char path[600];
    snprintf(path, sizeof path, "%s/t.trace.csv", tmpdir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_EQUAL(snnex_trace_write(&tr, &cfg.net, f, &err), SNNEX_OK);
    fclose(f);
    snnex_trace back;
    CU_ASSERT_EQUAL_FATAL(snnex_trace_read(path, &cfg.net, cfg.train.T, &back, &err), SNNEX_OK);
    ASSERT_CLOSE(back.p[1 * back.T + 3].in_density, 0.125, 1e-12);
    CU_ASSERT_EQUAL(back.batches, 3);
    /* the estimate takes the trace's densities: fc1 input 0.125 */
    models_sparsity sp[SNNEX_MAX_LAYERS];
    char src[16];
    models_sparsity_resolve(&cfg, &back, sp, src);
    CU_ASSERT_STRING_EQUAL(src, "trace");
    ASSERT_CLOSE(sp[1].in_density, 0.125, 1e-12);
    ASSERT_CLOSE(sp[1].du, 0.0625, 1e-12);
    snnex_trace_free(&back);
    /* another T: rejected at the network line (line 2) */
    snnex_err e2;
    CU_ASSERT_EQUAL(snnex_trace_read(path, &cfg.net, 10, &back, &e2), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(e2.line, 2);
    CU_ASSERT(strstr(e2.msg, "another network") != NULL);
    /* through the program: exit 1, FILE:LINE, nothing on stdout */
    char args[1400], *so, *se;
    snprintf(args, sizeof args, "estimate configs/vgg_cifar10.cfg --trace %s", path);
    CU_ASSERT_EQUAL(test_run_snnex(args, &so, &se), 1);
    char want[700];
    snprintf(want, sizeof want, "%s:2: error:", path);
    CU_ASSERT(strncmp(se, want, strlen(want)) == 0);
    CU_ASSERT_EQUAL(so[0], 0);
    free(so), free(se);
    snprintf(args, sizeof args, "estimate configs/seed20.cfg --trace %s --format json", path);
    CU_ASSERT_EQUAL(test_run_snnex(args, &so, NULL), 0);
    CU_ASSERT(strstr(so, "\"sparsity_source\": \"trace\"") != NULL);
    free(so);
    /* a density out of range on line 7: 5 header lines (magic, network,
     * encoder, du_threshold, columns), then layer 0 step 0, step 1 */
    f = fopen(path, "r+");
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    char *row = strstr(buf, "\n0,flatten0,1,");
    CU_ASSERT_FATAL(row != NULL);
    row[15] = '7'; /* in_density 0.xxx → 7.xxx */
    f = fopen(path, "w");
    fputs(buf, f);
    fclose(f);
    CU_ASSERT_EQUAL(snnex_trace_read(path, &cfg.net, cfg.train.T, &back, &e2), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(e2.line, 7);
    /* truncated: rows missing */
    row[1] = 0;
    f = fopen(path, "w");
    fputs(buf, f);
    fclose(f);
    CU_ASSERT_EQUAL(snnex_trace_read(path, &cfg.net, cfg.train.T, &back, &e2), SNNEX_EINVAL);
    CU_ASSERT(strstr(e2.msg, "rows") != NULL);
    snnex_trace_free(&tr);
}

/* A config cut short (issue 14, item 5): libconfig reports its end-of-text
 * error past the last line, which used to print FILE: without a line. The
 * message must name the last line and what is still open. Expected lines
 * read off the files: seed20.cfg's first 260 bytes end on line 7 inside
 * "neuron = {" (line 7) inside "network = {" (line 5). */
static void read_text(const char *path, char *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *len = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[*len] = 0;
    if (f)
        fclose(f);
}

static void test_cut_config(void)
{
    static char text[8192], chip[8192];
    size_t len, chip_len;
    read_text("configs/seed20.cfg", text, sizeof text, &len);
    read_text("configs/seed20_chip.cfg", chip, sizeof chip, &chip_len);
    CU_ASSERT_FATAL(len > 260 && chip_len > 100);
    write_file("seed20_chip.cfg", chip);
    char path[600], want[700];
    snprintf(path, sizeof path, "%s/cut.cfg", tmpdir);
    snnex_config cfg;
    snnex_err err;
    /* the report's case: head -c 260 configs/seed20.cfg */
    char save = text[260];
    text[260] = 0;
    write_file("cut.cfg", text);
    text[260] = save;
    CU_ASSERT_EQUAL(snnex_config_load(path, &cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.file, path);
    CU_ASSERT_EQUAL(err.line, 7);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file ends inside group network.neuron (opened at line 7) and "
                                           "group network (opened at line 5); close them with '}; };'"));
    /* through the program: FILE:LINE on stderr, exit 1 */
    char args[1400], *se;
    snprintf(args, sizeof args, "estimate %s", path);
    CU_ASSERT_EQUAL(test_run_snnex(args, NULL, &se), 1);
    snprintf(want, sizeof want, "%s:7: error: file ends inside group network.neuron", path);
    CU_ASSERT(strncmp(se, want, strlen(want)) == 0);
    free(se);
    /* every prefix of seed20.cfg either loads (a cut between settings is a
     * shorter valid config) or fails with a line, except a missing required
     * key, which is a whole-file error */
    int unlocated = 0;
    for (size_t n = 0; n < len; n++) {
        save = text[n];
        text[n] = 0;
        write_file("cut.cfg", text);
        text[n] = save;
        if (snnex_config_load(path, &cfg, &err) != SNNEX_OK && err.line <= 0 &&
            !strstr(err.msg, "missing required key")) {
            if (!unlocated++)
                fprintf(stderr, "\n  prefix %zu: %s: %s\n", n, err.file, err.msg);
        }
    }
    CU_ASSERT_EQUAL(unlocated, 0);
    /* an included file cut mid-group is named, with its own last line */
    write_file("inc_cut.cfg", "chip = {\n  cores = 20;\n");
    write_file("cut.cfg", "@include \"inc_cut.cfg\"\n" NET_FC);
    CU_ASSERT_EQUAL(snnex_config_load(path, &cfg, &err), SNNEX_EINVAL);
    snprintf(want, sizeof want, "%s/inc_cut.cfg", tmpdir);
    CU_ASSERT_STRING_EQUAL(err.file, want);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file ends inside group chip (opened at line 1); close it with '};'"));
    /* every prefix of the included chip file, under the whole seed20.cfg */
    write_file("cut.cfg", text);
    unlocated = 0;
    for (size_t n = 0; n < chip_len; n++) {
        save = chip[n];
        chip[n] = 0;
        write_file("seed20_chip.cfg", chip);
        chip[n] = save;
        if (snnex_config_load(path, &cfg, &err) != SNNEX_OK && err.line <= 0 &&
            !strstr(err.msg, "missing required key")) {
            if (!unlocated++)
                fprintf(stderr, "\n  chip prefix %zu: %s: %s\n", n, err.file, err.msg);
        }
    }
    CU_ASSERT_EQUAL(unlocated, 0);
    write_file("seed20_chip.cfg", chip);
    /* a list element, a string and a comment left open */
    write_file("cut.cfg", "network = { input = [1, 28, 28];\n  layers = (\n    { type = \"flatten\"; },\n"
                          "    { type = \"fc\"; out = 10;\n");
    CU_ASSERT_EQUAL(snnex_config_load(path, &cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(err.line, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "group network.layers[1] (opened at line 4), list network.layers "
                                           "(opened at line 2) and group network (opened at line 1); "
                                           "close them with '} ); };'"));
    write_file("cut.cfg", NET_FC "chip = { dram = \"LPDD");
    CU_ASSERT_EQUAL(snnex_config_load(path, &cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file ends inside a string (opened at line 2)"));
    /* libconfig itself accepts a text ending inside a comment */
    write_file("cut.cfg", NET_FC "/* chip = { cores = 20; };\n");
    CU_ASSERT_EQUAL(snnex_config_load(path, &cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file ends inside a /* comment (opened at line 2)"));
    write_file("cut.cfg", NET_FC "chip = ");
    CU_ASSERT_EQUAL(snnex_config_load(path, &cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file ends in the middle of a setting"));
}

/* Traces cut short or recorded with another input encoding (issue 14,
 * item 6). configs/seed20.trace.csv has 4 header lines and 3 layers x 25
 * steps = 75 rows, so 79 lines; it predates "# encoder=" and is read as
 * rate-encoded (its config, configs/seed20.cfg, has encoder = "rate"). */
static void test_trace_cut_and_encoder(void)
{
    snnex_config cfg;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load("configs/seed20.cfg", &cfg, &err), SNNEX_OK);
    static char text[1 << 15];
    size_t len;
    read_text("configs/seed20.trace.csv", text, sizeof text, &len);
    CU_ASSERT_FATAL(len > 1000 && text[len - 1] == '\n');
    snnex_trace tr;
    snnex_result *res = malloc(sizeof *res);
    CU_ASSERT_EQUAL_FATAL(snnex_trace_read("configs/seed20.trace.csv", &cfg.net, cfg.train.T, &tr, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(tr.encoder, SNNEX_ENC_RATE);
    CU_ASSERT_EQUAL(tr.encoder_line, 0);
    CU_ASSERT_EQUAL(snnex_estimate(&cfg, &tr, res, &err), SNNEX_OK);
    /* the same trace for a direct-encoded config: FILE:1 (no encoder line) */
    cfg.train.encoder = SNNEX_ENC_DIRECT;
    CU_ASSERT_EQUAL(snnex_estimate(&cfg, &tr, res, &err), SNNEX_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.file, "configs/seed20.trace.csv");
    CU_ASSERT_EQUAL(err.line, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "training.encoder = \"direct\""));
    /* a trace written for the direct config says so on line 3 and reads back */
    tr.encoder = SNNEX_ENC_DIRECT;
    char path[600];
    snprintf(path, sizeof path, "%s/enc.trace.csv", tmpdir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_EQUAL(snnex_trace_write(&tr, &cfg.net, f, &err), SNNEX_OK);
    fclose(f);
    snnex_trace_free(&tr);
    CU_ASSERT_EQUAL_FATAL(snnex_trace_read(path, &cfg.net, cfg.train.T, &tr, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(tr.encoder, SNNEX_ENC_DIRECT);
    CU_ASSERT_EQUAL(tr.encoder_line, 3);
    CU_ASSERT_EQUAL(snnex_estimate(&cfg, &tr, res, &err), SNNEX_OK);
    cfg.train.encoder = SNNEX_ENC_RATE;
    CU_ASSERT_EQUAL(snnex_estimate(&cfg, &tr, res, &err), SNNEX_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.file, path);
    CU_ASSERT_EQUAL(err.line, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "recorded with training.encoder = \"direct\" but the config has \"rate\""));
    snnex_trace_free(&tr);
    free(res);
    /* through the program: the report's command */
    char *so, *se;
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --trace configs/seed20.trace.csv "
                                   "--set training.encoder=direct", &so, &se), 1);
    CU_ASSERT(strncmp(se, "configs/seed20.trace.csv:1: error: ", 35) == 0);
    CU_ASSERT_EQUAL(so[0], 0);
    free(so), free(se);
    /* cut anywhere (every byte of the last two rows, every 61st before):
     * rejected; inside the last row (line 79) with that line */
    const char *last = text + len - 1;
    while (last > text && last[-1] != '\n')
        last--;
    size_t last_row = (size_t)(last - text), accepted = 0;
    snprintf(path, sizeof path, "%s/cut.trace.csv", tmpdir);
    for (size_t n = 1; n < len; n += n + 300 < len ? 61 : 1) {
        f = fopen(path, "w");
        fwrite(text, 1, n, f);
        fclose(f);
        snnex_status st = snnex_trace_read(path, &cfg.net, cfg.train.T, &tr, &err);
        if (st == SNNEX_OK) {
            if (!accepted++)
                fprintf(stderr, "\n  cut at byte %zu of %zu accepted\n", n, len);
            snnex_trace_free(&tr);
        } else if (n > last_row) {
            CU_ASSERT_EQUAL(err.line, 79);
        }
    }
    CU_ASSERT_EQUAL(accepted, 0);
    /* head -c -5 through the program: exit 1, FILE:79 */
    char args[1400], want[700];
    snprintf(args, sizeof args, "estimate configs/seed20.cfg --trace %s", path);
    f = fopen(path, "w");
    fwrite(text, 1, len - 5, f);
    fclose(f);
    CU_ASSERT_EQUAL(test_run_snnex(args, &so, &se), 1);
    snprintf(want, sizeof want, "%s:79: error: trace does not end with a newline", path);
    CU_ASSERT(strncmp(se, want, strlen(want)) == 0);
    CU_ASSERT_EQUAL(so[0], 0);
    free(so), free(se);
}

/* snnex help config documents what the loader enforces (issue 14, item
 * 10): chip.node_nm's bounds are the memory model's 7-90 nm (memtech.h
 * MEMTECH_NODE_MIN_NM/MAX_NM; help said [5, 180]); chip.mesh has a
 * computed default, not "(required)"; the DRAM list it points to exists
 * and holds memtech's table (LPDDR4 first: 8.47 pJ/bit read, memtech/dram.c). */
static void test_help_matches_checks(void)
{
    char *so, *se;
    CU_ASSERT_EQUAL_FATAL(test_run_snnex("help config", &so, NULL), 0);
    const char *node = strstr(so, "chip.node_nm"), *mesh = strstr(so, "chip.mesh ");
    CU_ASSERT_FATAL(node && mesh);
    const char *eol = strchr(node, '\n');
    CU_ASSERT(strstr(node, "[7, 90]") && strstr(node, "[7, 90]") < eol);
    eol = strchr(mesh, '\n');
    CU_ASSERT(!strstr(mesh, "(required)") || strstr(mesh, "(required)") > eol);
    CU_ASSERT(strstr(mesh, "default squarest") && strstr(mesh, "default squarest") < eol);
    CU_ASSERT_PTR_NOT_NULL(strstr(so, "see snnex mem --tech dram --list"));
    free(so);
    CU_ASSERT_EQUAL(test_run_snnex("mem --tech dram --list", &so, NULL), 0);
    CU_ASSERT(strncmp(so, "standard,read_pJ_per_bit,", 25) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(so, "\nLPDDR4,8.47,8.47,"));
    free(so);
    CU_ASSERT_EQUAL(test_run_snnex("mem --tech sram --list", NULL, NULL), 1);
    /* snnex help mem documents every option mem takes */
    CU_ASSERT_EQUAL(test_run_snnex("help mem", &so, NULL), 0);
    const char *flags[] = {"--tech", "--node", "--capacity", "--width", "--flavor", "--banks",
                           "--standard", "--list", "--points", "-o FILE"};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        CU_ASSERT_PTR_NOT_NULL(strstr(so, flags[i]));
    free(so);
    CU_ASSERT_EQUAL(test_run_snnex("mem --help", &se, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(se, "--standard NAME"));
    free(se);
}

/* --set overrides are one change (issue 14, item 10): mesh then cores
 * used to fail at the first --set (16 cores in a [4, 4] mesh against the
 * config's 20); a mesh given with cores is kept (2 x 8 = 16), and cores
 * alone take the squarest mesh (16 -> [4, 4]). */
static void test_set_order(void)
{
    char *a, *b, *se;
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --format json --set chip.mesh=[2,8] "
                                   "--set chip.cores=16", &a, &se), 0);
    CU_ASSERT_EQUAL(se[0], 0);
    free(se);
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --format json --set chip.cores=16 "
                                   "--set chip.mesh=[2,8]", &b, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"cores\": 16, \"mesh\": [2, 8]"));
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a), free(b);
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --format json --set chip.mesh=[4,4] "
                                   "--set chip.cores=16", &a, NULL), 0);
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --format json --set chip.cores=16", &b, NULL), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(b, "\"cores\": 16, \"mesh\": [4, 4]"));
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a), free(b);
    /* a mesh that does not fit the cores is still rejected */
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/seed20.cfg --set chip.mesh=[2,8]", NULL, &se), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(se, "chip.mesh [2, 8] has 16 cores but chip.cores = 20"));
    free(se);
}

/* Exit status of estimate and mem (issue 14, item 10): an -o whose
 * directory does not exist is bad input (1); a write that fails on a full
 * disk is a failure (2) that says why. The full disk is /dev/full, reached
 * through a symlink in the scratch directory so that the old code, which
 * renamed a temporary file over the target, replaced only the link. */
static void test_output_exit_codes(void)
{
    char full[600], args[1400], *so, *se;
    snprintf(full, sizeof full, "%s/full.csv", tmpdir);
    remove(full);
    if (symlink("/dev/full", full) != 0) {
        CU_FAIL("cannot make a symlink to /dev/full");
        return;
    }
    const char *cmds[] = {"estimate configs/seed20.cfg", "mem --tech sram --node 28 --capacity 64KiB --width 64",
                          "mem --tech dram --list"};
    for (int i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "%s -o %s", cmds[i], full);
        CU_ASSERT_EQUAL(test_run_snnex(args, &so, &se), 2);
        char want[700];
        snprintf(want, sizeof want, "%s: error: write failed: No space left on device", full);
        if (strncmp(se, want, strlen(want)) != 0)
            fprintf(stderr, "\n  %s: stderr %s", cmds[i], se);
        CU_ASSERT(strncmp(se, want, strlen(want)) == 0);
        CU_ASSERT_EQUAL(so[0], 0);
        free(so), free(se);
        struct stat sb;
        CU_ASSERT(lstat(full, &sb) == 0 && S_ISLNK(sb.st_mode)); /* the link is left alone */
        snprintf(args, sizeof args, "%s -o %s/no_such_dir/out.csv", cmds[i], tmpdir);
        CU_ASSERT_EQUAL(test_run_snnex(args, &so, &se), 1);
        CU_ASSERT_PTR_NOT_NULL(strstr(se, "cannot create output file: No such file or directory"));
        free(so), free(se);
    }
    /* standard output on a full disk */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s estimate configs/seed20.cfg >/dev/full 2>/dev/null", SNNEX_BIN);
    int rc = system(cmd);
    CU_ASSERT(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    remove(full);
}

/* make install PREFIX=DIR puts the program, library, headers and snnex.pc
 * there, and the README's example builds against it with plain
 * `pkg-config --cflags --libs snnex` and estimates the seed config. */
#ifndef SNNEX_BUILD
#define SNNEX_BUILD "build"
#endif
#ifndef SNNEX_SAN
#define SNNEX_SAN ""
#endif
static void test_install(void)
{
    if (system("command -v pkg-config >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\n  pkg-config not installed: install test skipped\n");
        return;
    }
    char dir[] = "/tmp/snnex_instXXXXXX", cmd[4096];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "make -s --no-print-directory install BUILD=%s PREFIX=%s >/dev/null 2>&1",
             SNNEX_BUILD, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    const char *files[] = {"bin/snnex", "lib/libsnnex.a", "lib/pkgconfig/snnex.pc", "include/snnex/common/common.h",
                           "include/snnex/estimator/estimator.h", "include/snnex/sweeps/sweeps.h"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(cmd, sizeof cmd, "%s/%s", dir, files[i]);
        CU_ASSERT_EQUAL(access(cmd, F_OK), 0);
    }
    snprintf(cmd, sizeof cmd,
             "cc -std=c11 %s examples/estimate_one.c $(PKG_CONFIG_PATH=%s/lib/pkgconfig pkg-config --cflags --libs "
             "snnex) -o %s/estimate_one >%s/cc.log 2>&1 && %s/estimate_one configs/seed20.cfg >%s/out.txt",
             SNNEX_SAN, dir, dir, dir, dir, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/out.txt", dir);
    FILE *f = fopen(cmd, "r");
    char line[512] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = 0;
        fclose(f);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "configs/seed20.cfg: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "TFLOPS/W effective"));
    /* the installed program finds its shipped validation set from any
     * directory (PREFIX/share/snnex), and the shipped configs run there */
    snprintf(cmd, sizeof cmd,
             "cd / && %s/bin/snnex validate --format csv >%s/val.csv 2>%s/val.err && "
             "%s/bin/snnex estimate %s/share/snnex/configs/fmnist_conv.cfg --trace "
             "%s/share/snnex/configs/fmnist_conv.trace.csv >/dev/null",
             dir, dir, dir, dir, dir, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/val.csv", dir);
    f = fopen(cmd, "r");
    int seed_rows = 0;
    if (f) {
        while (fgets(line, sizeof line, f))
            seed_rows += !strncmp(line, "seed20,tflops_per_w,", 20);
        fclose(f);
    }
    CU_ASSERT_EQUAL(seed_rows, 1);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 2;
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("config", NULL, NULL);
    CU_add_test(s, "load seed configs", test_load_seed);
    CU_add_test(s, "shape inference", test_shapes);
    CU_add_test(s, "fc counts (hand-calculated)", test_fc_counts);
    CU_add_test(s, "conv counts with stride and padding", test_conv_counts);
    CU_add_test(s, "LIF neurons after the pool: counts", test_pool_lif_counts);
    CU_add_test(s, "a conv before a pool broadcasts the pooled spikes", test_pool_noc_broadcast);
    CU_add_test(s, "dense-equivalent vs sparse", test_dense_vs_sparse);
    CU_add_test(s, "malformed configs exit 1 with FILE:LINE", test_malformed);
    CU_add_test(s, "json output and help", test_json_output);
    CU_add_test(s, "traces: round trip, mismatch, corrupt", test_trace);
    CU_add_test(s, "a config cut short names its last line and what is open", test_cut_config);
    CU_add_test(s, "a trace cut short or for another encoder is rejected", test_trace_cut_and_encoder);
    CU_add_test(s, "help config shows the enforced bounds; help mem every option", test_help_matches_checks);
    CU_add_test(s, "--set overrides are checked together, in any order", test_set_order);
    CU_add_test(s, "estimate and mem: unwritable -o exits 1, a failed write 2", test_output_exit_codes);
    CU_add_test(s, "make install, pkg-config and the README's C example", test_install);
    int rc = test_finish();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        rc = rc ? rc : 2;
    return rc;
}
