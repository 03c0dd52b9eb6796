/* NIR import (issue 17): the three fixtures of ../shared/nir/fixtures
 * (skipped with a message when absent) import and estimate, the Sinabs
 * CNN's layers with hand-checked counts, neuron parameters from the
 * files' time constants; and small files written here with the HDF5 C API
 * (no python at test time): a nested subgraph, loose shapes, zero weights,
 * and malformed files, each with its message, exit 1 and no output. */
#include "estimator/estimator.h"
#include "nir/nir.h"
#include "test_util.h"

#include <hdf5.h>
#include <stdlib.h>
#include <sys/stat.h>

#define FIX "../shared/nir/fixtures"

static char tmpdir[64];
static char cwd[1024];

static int have_fixtures(void)
{
    struct stat st;
    if (stat(FIX "/cnn_sinabs.nir", &st) == 0)
        return 1;
    fprintf(stderr, "\n  skipped: no NIR fixtures in %s (run the tests from the repository root next to "
                    "../shared)\n", FIX);
    return 0;
}

static void load_fixture(const char *name, double dt, snnex_network *net, nir_layer_info *info)
{
    char path[256];
    snnex_err err;
    snprintf(path, sizeof path, FIX "/%s", name);
    memset(net, 0, sizeof *net);
    net->beta = 0.95, net->theta = 1.0;
    snnex_status st = nir_load_network(path, dt, 0, net, info, &err);
    if (st)
        fprintf(stderr, "\n  %s: %s\n", err.file, err.msg);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
}

/* ---- a small NIR writer (the layout nir.write produces) ---------------------- */

static void w_str(hid_t loc, const char *name, const char *v)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v);
    H5Dclose(d), H5Sclose(sp), H5Tclose(t);
}

/* A float64 array (nd dims) or, with ints, an int64 one. */
static void w_arr(hid_t loc, const char *name, int nd, const hsize_t *dims, const double *v, int ints)
{
    hid_t sp = nd ? H5Screate_simple(nd, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t d = H5Dcreate2(loc, name, ints ? H5T_STD_I64LE : H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(d), H5Sclose(sp);
}

static void w_edges(hid_t g, int n, const char *const *pairs)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hsize_t dims[2] = {(hsize_t)n, 2};
    hid_t sp = H5Screate_simple(2, dims, NULL);
    hid_t d = H5Dcreate2(g, "edges", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, pairs);
    H5Dclose(d), H5Sclose(sp), H5Tclose(t);
}

static hid_t node(hid_t nodes, const char *name, const char *type)
{
    hid_t g = H5Gcreate2(nodes, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    w_str(g, "type", type);
    return g;
}

/* Input/Output with shape s (n entries). */
static void io(hid_t nodes, const char *name, const char *type, int n, const double *s)
{
    hid_t g = node(nodes, name, type);
    hsize_t d = (hsize_t)n;
    w_arr(g, "shape", 1, &d, s, 1);
    H5Gclose(g);
}

/* Affine out x in, weights w (NULL: 0.5 everywhere), bias 0. */
static void affine(hid_t nodes, const char *name, int out, int in, const double *w)
{
    hid_t g = node(nodes, name, "Affine");
    double *v = malloc(sizeof *v * (size_t)(out * in)), b[64] = {0};
    for (int i = 0; i < out * in; i++)
        v[i] = w ? w[i] : 0.5;
    hsize_t d[2] = {(hsize_t)out, (hsize_t)in}, db = (hsize_t)out;
    w_arr(g, "weight", 2, d, v, 0);
    w_arr(g, "bias", 1, &db, b, 0);
    free(v);
    H5Gclose(g);
}

/* LIF of n neurons: tau 2 ms, r 20, v_leak 0, v_threshold 1.5 (v_reset
 * left out: the reader's default is zeros). */
static void lif(hid_t nodes, const char *name, int n)
{
    hid_t g = node(nodes, name, "LIF");
    double tau[64], r[64], vl[64], vt[64];
    for (int i = 0; i < n; i++)
        tau[i] = 2e-3, r[i] = 20, vl[i] = 0, vt[i] = 1.5;
    hsize_t d = (hsize_t)n;
    w_arr(g, "tau", 1, &d, tau, 0);
    w_arr(g, "r", 1, &d, r, 0);
    w_arr(g, "v_leak", 1, &d, vl, 0);
    w_arr(g, "v_threshold", 1, &d, vt, 0);
    H5Gclose(g);
}

static hid_t new_file(const char *path, hid_t *top, hid_t *nodes)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    w_str(f, "version", "0.2.0");
    *top = H5Gcreate2(f, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    w_str(*top, "type", "NIRGraph");
    *nodes = H5Gcreate2(*top, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    return f;
}

static void close_file(hid_t f, hid_t top, hid_t nodes)
{
    H5Gclose(nodes), H5Gclose(top), H5Fclose(f);
}

static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

/* input [3] → fc (3→4) → lif (4) → fc2 (4→2) → lif2 (2) → output [2], with
 * a twist per kind of file. */
enum { GOOD, UNKNOWN_TYPE, CYCLE, SHAPES, NO_EDGES };
static void write_chain(const char *path, int kind)
{
    hid_t top, nodes, f = new_file(path, &top, &nodes);
    const double s3[] = {3}, s2[] = {2};
    io(nodes, "input", "Input", 1, s3);
    affine(nodes, "fc", 4, kind == SHAPES ? 5 : 3, NULL);
    lif(nodes, "lif", 4);
    affine(nodes, "fc2", kind == CYCLE ? 4 : 2, 4, NULL);
    if (kind == UNKNOWN_TYPE) {
        hid_t g = node(nodes, "lif2", "Spiky");
        H5Gclose(g);
    } else
        lif(nodes, "lif2", 2);
    io(nodes, "output", "Output", 1, s2);
    const char *e[] = {"input", "fc", "fc", "lif", "lif", "fc2", "fc2", "lif2", "lif2", "output"};
    /* a cycle through two layers: fc2's output back into fc (not one layer's recurrence) */
    const char *ec[] = {"input", "fc", "fc", "lif", "lif", "fc2", "fc2", "fc", "fc2", "lif2", "lif2", "output"};
    if (kind != NO_EDGES)
        w_edges(top, kind == CYCLE ? 6 : 5, kind == CYCLE ? ec : e);
    close_file(f, top, nodes);
}

/* ---- the fixtures ------------------------------------------------------------ */

/* cnn_sinabs.nir (Sinabs, the NIR paper's N-MNIST CNN): input 2x34x34;
 * weights in the file 0 Conv2d [16,2,5,5] s2 p1, 2 Conv2d [16,16,3,3] s1
 * p1, 4 SumPool2d 2/2, 5 Conv2d [8,16,3,3] s1 p1, 7 SumPool2d 2/2, 8
 * Flatten, 9 Affine [256,128], 11 Affine [10,256]; IF neurons after every
 * weight layer (r 1, v_threshold 1). By hand:
 *   conv 0: out (34+2-5)/2+1 = 16 → 16x16x16 = 4096 neurons, weights
 *     16·2·5·5 = 800; taps inside the input per output row: row 0 reads
 *     input rows -1..3 (4 inside), rows 1..15 five each: 4+15·5 = 79, so
 *     synapses 16·2·79·79 = 199712;
 *   conv 2: out 16x16x16 = 4096 neurons, weights 16·16·9 = 2304; taps
 *     2 (row 0) + 14·3 + 2 (row 15) = 46: synapses 16·16·46·46 = 541696;
 *   pool 4 (sum): 16x8x8, window reads 16·8·8·4 = 4096, no weights;
 *   conv 5: out 8x8x8 = 512 neurons, weights 8·16·9 = 1152; taps 2+6·3+2
 *     = 22: synapses 8·16·22·22 = 61952;
 *   pool 7 (sum): 8x4x4, window reads 8·4·4·4 = 512;
 *   flatten: 128;
 *   fc 9: 128→256, weights = synapses = 32768, 256 neurons;
 *   fc 11: 256→10, weights = synapses = 2560, 10 neurons.
 * Weights 800+2304+1152+32768+2560 = 39584, none exactly zero. */
static void test_cnn_sinabs(void)
{
    if (!have_fixtures())
        return;
    snnex_network net;
    nir_layer_info info[SNNEX_MAX_LAYERS];
    load_fixture("cnn_sinabs.nir", 0, &net, info); /* IF neurons: no dt needed */
    CU_ASSERT_EQUAL(net.in_c, 2);
    CU_ASSERT_EQUAL(net.in_h, 34);
    CU_ASSERT_EQUAL(net.in_w, 34);
    CU_ASSERT_EQUAL_FATAL(net.n_layers, 8);
    static const struct {
        snnex_layer_type type;
        int out_c, out_h, out_w;
        long weights, synapses;
        int spiking;
    } want[8] = {
        {SNNEX_LAYER_CONV, 16, 16, 16, 800, 199712, 1},
        {SNNEX_LAYER_CONV, 16, 16, 16, 2304, 541696, 1},
        {SNNEX_LAYER_POOL, 16, 8, 8, 0, 4096, 0},
        {SNNEX_LAYER_CONV, 8, 8, 8, 1152, 61952, 1},
        {SNNEX_LAYER_POOL, 8, 4, 4, 0, 512, 0},
        {SNNEX_LAYER_FLATTEN, 128, 1, 1, 0, 0, 0},
        {SNNEX_LAYER_FC, 256, 1, 1, 32768, 32768, 1},
        {SNNEX_LAYER_FC, 10, 1, 1, 2560, 2560, 1},
    };
    int conv = 0, pool = 0, fc = 0;
    long wsum = 0, zsum = 0;
    for (int i = 0; i < 8; i++) {
        const snnex_layer *L = &net.layers[i];
        CU_ASSERT_EQUAL(L->type, want[i].type);
        CU_ASSERT_EQUAL(L->out_c, want[i].out_c);
        CU_ASSERT_EQUAL(L->out_h, want[i].out_h);
        CU_ASSERT_EQUAL(L->out_w, want[i].out_w);
        CU_ASSERT_EQUAL(L->weights, want[i].weights);
        CU_ASSERT_EQUAL(L->synapses, want[i].synapses);
        CU_ASSERT_EQUAL(L->spiking, want[i].spiking);
        CU_ASSERT_EQUAL(info[i].weights, want[i].weights); /* the file's count agrees with the shapes */
        if (L->spiking) {
            CU_ASSERT_EQUAL(L->neuron, SNNEX_NEURON_IF);
            ASSERT_CLOSE(L->theta, 1.0, 1e-12); /* v_threshold 1 / r 1 */
        }
        if (L->type == SNNEX_LAYER_POOL)
            CU_ASSERT_EQUAL(L->pool, SNNEX_POOL_SUM);
        conv += L->type == SNNEX_LAYER_CONV, pool += L->type == SNNEX_LAYER_POOL, fc += L->type == SNNEX_LAYER_FC;
        wsum += info[i].weights, zsum += info[i].zero_weights;
    }
    CU_ASSERT_EQUAL(conv, 3);
    CU_ASSERT_EQUAL(pool, 2);
    CU_ASSERT_EQUAL(fc, 2);
    CU_ASSERT_EQUAL(wsum, 39584);
    CU_ASSERT_EQUAL(zsum, 0);
    /* the layer names are the NIR nodes' */
    CU_ASSERT_STRING_EQUAL(net.layers[0].name, "0");
    CU_ASSERT_STRING_EQUAL(net.layers[7].name, "11");
    CU_ASSERT_EQUAL(net.layers[0].stride, 2);
    CU_ASSERT_EQUAL(net.layers[0].padding, 1);
    CU_ASSERT_EQUAL(net.layers[0].kernel, 5);
}

/* braille_noDelay_bias_zero.nir (snnTorch, written with dt = 1e-4 s: tau =
 * dt/(1-beta), r = tau_mem/dt, w_in = tau_syn/dt): fc1 Affine [38,12] →
 * lif1.lif CubaLIF (tau_syn 2.2222e-4, tau_mem 1e-3, r 10, w_in 2.2222)
 * with lif1.w_rec Affine [38,38] back into it → fc2 Affine [7,38] → lif2
 * CubaLIF (tau_syn 2e-4, tau_mem 2.2222e-4, r 2.2222, w_in 2). With dt =
 * 1e-4: lif1 β = exp(-0.1) = 0.904837418, α = exp(-0.45) = 0.637628152;
 * lif2 β = exp(-0.45), α = exp(-0.5) = 0.606530660; gains r·dt/tau_mem ·
 * w_in·dt/tau_syn = 1·1 = 1 (snnTorch's own threshold): θ = 1. Weights
 * fc1 12·38 + 38·38 = 456 + 1444 = 1900, fc2 7·38 = 266. */
static void test_braille(void)
{
    if (!have_fixtures())
        return;
    snnex_network net;
    nir_layer_info info[SNNEX_MAX_LAYERS];
    load_fixture("braille_noDelay_bias_zero.nir", 1e-4, &net, info);
    CU_ASSERT_EQUAL(net.in_c * net.in_h * net.in_w, 12);
    CU_ASSERT_EQUAL_FATAL(net.n_layers, 2);
    const snnex_layer *a = &net.layers[0], *b = &net.layers[1];
    CU_ASSERT_EQUAL(a->type, SNNEX_LAYER_FC);
    CU_ASSERT_EQUAL(a->out_features, 38);
    CU_ASSERT_EQUAL(a->recurrent, 1);
    CU_ASSERT_EQUAL(a->weights, 1900);
    CU_ASSERT_EQUAL(a->rec_weights, 1444);
    CU_ASSERT_EQUAL(info[0].weights, 1900);
    CU_ASSERT_EQUAL(a->neuron, SNNEX_NEURON_CUBALIF);
    ASSERT_CLOSE(a->beta, 0.904837418, 1e-6);
    ASSERT_CLOSE(a->alpha, 0.637628152, 1e-6);
    ASSERT_CLOSE(a->theta, 1.0, 1e-5); /* float32 parameters: r 9.99999762 */
    CU_ASSERT_EQUAL(b->out_features, 7);
    CU_ASSERT_EQUAL(b->recurrent, 0);
    CU_ASSERT_EQUAL(b->weights, 266);
    ASSERT_CLOSE(b->beta, 0.637628152, 1e-6);
    ASSERT_CLOSE(b->alpha, 0.606530660, 1e-6);
    ASSERT_CLOSE(b->theta, 1.0, 1e-5);
    CU_ASSERT_EQUAL(net.reset, SNNEX_RESET_ZERO); /* NIR sets v to v_reset (0) */
    /* the same shape as the hand-written configs/braille_rnn.cfg: its
     * shipped trace (network=in=12x1x1;fc38r:cubalif;fc7:cubalif;T=256)
     * fits the imported network */
    char sig[256];
    snnex_network_signature(&net, 256, sig, sizeof sig);
    CU_ASSERT_STRING_EQUAL(sig, "in=12x1x1;fc38r:cubalif;fc7:cubalif;T=256");
    snnex_trace tr = {0};
    snnex_err err;
    snnex_status st = snnex_trace_read("configs/braille_rnn.trace.csv", &net, 256, &tr, &err);
    if (st)
        fprintf(stderr, "\n  %s:%d: %s\n", err.file, err.line, err.msg);
    CU_ASSERT_EQUAL(st, SNNEX_OK);
    snnex_trace_free(&tr);
}

/* lif_norse.nir (Norse): Affine [1,1] → LIF tau 2.5 ms, r 1, v_threshold
 * 0.1. With dt = 1 ms: β = exp(-0.4) = 0.670320046, gain r·dt/tau = 0.4,
 * θ = 0.1/0.4 = 0.25. Without a dt it is an error (no metadata dt). */
static void test_norse(void)
{
    if (!have_fixtures())
        return;
    snnex_network net;
    load_fixture("lif_norse.nir", 1e-3, &net, NULL);
    CU_ASSERT_EQUAL_FATAL(net.n_layers, 1);
    CU_ASSERT_EQUAL(net.layers[0].neuron, SNNEX_NEURON_LIF);
    ASSERT_CLOSE(net.layers[0].beta, 0.670320046, 1e-6);
    ASSERT_CLOSE(net.layers[0].theta, 0.25, 1e-6);
    snnex_err err;
    CU_ASSERT_EQUAL(nir_load_network(FIX "/lif_norse.nir", 0, 0, &net, NULL, &err), SNNEX_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no time step is known (node 1); pass --dt"));
}

/* Each fixture through the program: import to a file, @include it next to
 * the reference chip, estimate; and network.nir loading it directly gives
 * the same estimate. */
static void test_fixtures_estimate(void)
{
    if (!have_fixtures())
        return;
    static const char *const names[] = {"lif_norse", "cnn_sinabs", "braille_noDelay_bias_zero"};
    for (int i = 0; i < 3; i++) {
        char args[1024], cfg[256], netcfg[256], direct[256], *out = NULL, *out2 = NULL;
        snprintf(netcfg, sizeof netcfg, "%s/%s.net.cfg", tmpdir, names[i]);
        snprintf(args, sizeof args, "import nir " FIX "/%s.nir --dt 1e-4 -o %s", names[i], netcfg);
        CU_ASSERT_EQUAL(test_run_snnex(args, NULL, NULL), 0);
        snprintf(cfg, sizeof cfg, "%s/%s.cfg", tmpdir, names[i]);
        FILE *f = fopen(cfg, "w");
        fprintf(f, "@include \"%s/configs/seed20_chip.cfg\"\n@include \"%s.net.cfg\"\n", cwd, names[i]);
        fclose(f);
        snprintf(direct, sizeof direct, "%s/%s.direct.cfg", tmpdir, names[i]);
        f = fopen(direct, "w");
        fprintf(f, "@include \"%s/configs/seed20_chip.cfg\"\nnetwork = { nir = \"%s/" FIX "/%s.nir\"; nir_dt_ms = 0.1; };\n",
                cwd, cwd, names[i]);
        fclose(f);
        snprintf(args, sizeof args, "estimate %s --format csv", cfg);
        CU_ASSERT_EQUAL(test_run_snnex(args, &out, NULL), 0);
        snprintf(args, sizeof args, "estimate %s --format csv", direct);
        CU_ASSERT_EQUAL(test_run_snnex(args, &out2, NULL), 0);
        CU_ASSERT(out && strstr(out, "\nenergy_J,") != NULL);
        CU_ASSERT(out && out2 && !strcmp(out, out2));
        free(out), free(out2);
    }
    /* the generated config of the CNN lists its layers with their NIR nodes */
    char path[256], *text = NULL;
    snnex_err err;
    snprintf(path, sizeof path, "%s/cnn_sinabs.net.cfg", tmpdir);
    CU_ASSERT_EQUAL_FATAL(snnex_read_file(path, &text, NULL, &err), SNNEX_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "# \"0\" (Conv2d) + \"1\" (IF): 800 weights, 0 zero (0.00 %)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "{ type = \"conv\"; name = \"0\"; channels = 16; kernel = 5; stride = 2; "
                                        "padding = 1; neuron = \"if\"; theta = 1; },  # out 16x16x16"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "{ type = \"pool\"; name = \"4\"; pool = \"sum\"; kernel = 2; },"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "# 39584 weights in the file, 0 of them exactly zero (0.00 %)."));
    free(text);
}

/* ---- files written here ----------------------------------------------------------- */

/* A nested NIRGraph "sub" (as snnTorch exports RLeaky): its Input → fc →
 * lif with w_rec back into lif → its Output; then fc2 → lif2 outside. The
 * top Input writes the vector loosely as [1, 3, 1]. fc's weights have 3 of
 * 12 exactly zero. Expect fc "sub.fc" 3→4 recurrent (weights 12 + 16 =
 * 28, 3 zero) with LIF β = exp(-dt/tau) = exp(-0.5) at dt 1 ms, θ = 1.5 /
 * (20·0.5) = 0.15; fc2 4→2. */
static void write_nested(const char *path)
{
    hid_t top, nodes, f = new_file(path, &top, &nodes);
    const double s3[] = {1, 3, 1}, s3v[] = {3}, s4[] = {4}, s2[] = {2};
    io(nodes, "input", "Input", 3, s3);
    hid_t sub = node(nodes, "sub", "NIRGraph");
    hid_t sn = H5Gcreate2(sub, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    io(sn, "input", "Input", 1, s3v);
    const double w[12] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5};
    affine(sn, "fc", 4, 3, w);
    lif(sn, "lif", 4);
    affine(sn, "w_rec", 4, 4, NULL);
    io(sn, "output", "Output", 1, s4);
    const char *se[] = {"input", "fc", "fc", "lif", "lif", "w_rec", "w_rec", "lif", "lif", "output"};
    w_edges(sub, 5, se);
    H5Gclose(sn), H5Gclose(sub);
    affine(nodes, "fc2", 2, 4, NULL);
    lif(nodes, "lif2", 2);
    io(nodes, "output", "Output", 1, s2);
    const char *e[] = {"input", "sub", "sub", "fc2", "fc2", "lif2", "lif2", "output"};
    w_edges(top, 4, e);
    close_file(f, top, nodes);
}

static void test_nested(void)
{
    char path[256];
    tmp_path(path, sizeof path, "nested.nir");
    write_nested(path);
    snnex_network net;
    nir_layer_info info[SNNEX_MAX_LAYERS];
    snnex_err err;
    memset(&net, 0, sizeof net);
    snnex_status st = nir_load_network(path, 1e-3, 0, &net, info, &err);
    if (st)
        fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
    CU_ASSERT_EQUAL(net.in_c * net.in_h * net.in_w, 3);
    CU_ASSERT_EQUAL_FATAL(net.n_layers, 2);
    CU_ASSERT_STRING_EQUAL(net.layers[0].name, "sub.fc");
    CU_ASSERT_EQUAL(net.layers[0].out_features, 4);
    CU_ASSERT_EQUAL(net.layers[0].recurrent, 1);
    CU_ASSERT_EQUAL(net.layers[0].weights, 28);
    CU_ASSERT_EQUAL(info[0].weights, 28);
    CU_ASSERT_EQUAL(info[0].zero_weights, 3);
    ASSERT_CLOSE(net.layers[0].beta, exp(-0.5), 1e-12);
    ASSERT_CLOSE(net.layers[0].theta, 0.15, 1e-12);
    CU_ASSERT_EQUAL(net.layers[1].out_features, 2);
    CU_ASSERT_EQUAL(net.layers[1].recurrent, 0);
    /* network.nir relative to the config that names it */
    char cfgp[256];
    tmp_path(cfgp, sizeof cfgp, "nested.cfg");
    FILE *f = fopen(cfgp, "w");
    fprintf(f, "@include \"%s/configs/seed20_chip.cfg\"\n\nnetwork = {\n  nir = \"nested.nir\";\n  nir_dt_ms = 1;\n};\n",
            cwd);
    fclose(f);
    snnex_config *cfg = malloc(sizeof *cfg);
    st = snnex_config_load(cfgp, cfg, &err);
    if (st)
        fprintf(stderr, "\n  %s:%d: %s\n", err.file, err.line, err.msg);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
    CU_ASSERT_EQUAL(cfg->net.n_layers, 2);
    CU_ASSERT_EQUAL(cfg->net.layers[0].line, 4); /* the line of network.nir */
    ASSERT_CLOSE(cfg->nir_dt_s, 1e-3, 1e-12);
    snnex_result *res = malloc(sizeof *res);
    CU_ASSERT_EQUAL(snnex_estimate(cfg, NULL, res, &err), SNNEX_OK);
    CU_ASSERT(res->energy_total_J > 0);
    free(res), free(cfg);
    /* network.nir together with network.layers: an error at the layers' line */
    f = fopen(cfgp, "w");
    fprintf(f, "network = {\n  nir = \"nested.nir\";\n  layers = ( { type = \"fc\"; out = 2; } );\n};\n");
    fclose(f);
    cfg = malloc(sizeof *cfg);
    CU_ASSERT_EQUAL(snnex_config_load(cfgp, cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_EQUAL(err.line, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "network.layers and network.nir (line 2) both give the network"));
    free(cfg);
}

/* One neuron written loosely: Input [1, 1, 1] → Affine [1, 1] → LIF [1] →
 * Output [1, 1, 1] chains by element count. */
static void test_loose_shapes(void)
{
    char path[256];
    tmp_path(path, sizeof path, "loose.nir");
    hid_t top, nodes, f = new_file(path, &top, &nodes);
    const double s[] = {1, 1, 1}, w[] = {0.0};
    io(nodes, "in", "Input", 3, s);
    affine(nodes, "a", 1, 1, w);
    lif(nodes, "n", 1);
    io(nodes, "out", "Output", 3, s);
    const char *e[] = {"in", "a", "a", "n", "n", "out"};
    w_edges(top, 3, e);
    close_file(f, top, nodes);
    snnex_network net;
    nir_layer_info info[SNNEX_MAX_LAYERS];
    snnex_err err;
    memset(&net, 0, sizeof net);
    CU_ASSERT_EQUAL_FATAL(nir_load_network(path, 1e-3, 0, &net, info, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(net.n_layers, 1);
    CU_ASSERT_EQUAL(net.layers[0].out_features, 1);
    CU_ASSERT_EQUAL(info[0].zero_weights, 1); /* the one weight is 0: a fully pruned layer */

    /* An Input with an empty shape and a flat one into a conv without
     * input_shape: the rest comes from the weights. Input [] → Affine [4, 3]
     * gives input 3; Input [128] → Conv2d weight [4, 2, 3, 3] (2 input
     * channels, so 128 / 2 = 64 = 8 x 8) → IF [4, 6, 6] → Output. */
    tmp_path(path, sizeof path, "noshape.nir");
    f = new_file(path, &top, &nodes);
    hid_t g = node(nodes, "in", "Input");
    hsize_t zero = 0;
    w_arr(g, "shape", 1, &zero, s, 1);
    H5Gclose(g);
    affine(nodes, "a", 4, 3, NULL);
    lif(nodes, "n", 4);
    const char *e2[] = {"in", "a", "a", "n"};
    w_edges(top, 2, e2);
    close_file(f, top, nodes);
    memset(&net, 0, sizeof net);
    CU_ASSERT_EQUAL_FATAL(nir_load_network(path, 1e-3, 0, &net, info, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(net.in_c * net.in_h * net.in_w, 3);

    tmp_path(path, sizeof path, "flatconv.nir");
    f = new_file(path, &top, &nodes);
    const double s128[] = {128};
    io(nodes, "in", "Input", 1, s128);
    g = node(nodes, "c", "Conv2d");
    static double wc[4 * 2 * 3 * 3], zeros4[4], one2[2] = {1, 1}, zero2[2] = {0, 0}, one = 1;
    hsize_t dwc[4] = {4, 2, 3, 3}, d4 = 4, d2 = 2;
    w_arr(g, "weight", 4, dwc, wc, 0); /* all zero: 72 zero weights */
    w_arr(g, "bias", 1, &d4, zeros4, 0);
    w_arr(g, "stride", 1, &d2, one2, 1);
    w_arr(g, "padding", 1, &d2, zero2, 1);
    w_arr(g, "dilation", 1, &d2, one2, 1);
    w_arr(g, "groups", 0, NULL, &one, 1);
    H5Gclose(g);
    g = node(nodes, "n", "IF");
    static double r[144], vt[144];
    for (int i = 0; i < 144; i++)
        r[i] = 1, vt[i] = 2;
    hsize_t dif[3] = {4, 6, 6};
    w_arr(g, "r", 3, dif, r, 0);
    w_arr(g, "v_threshold", 3, dif, vt, 0);
    H5Gclose(g);
    const double s144[] = {144};
    io(nodes, "out", "Output", 1, s144);
    const char *e3[] = {"in", "c", "c", "n", "n", "out"};
    w_edges(top, 3, e3);
    close_file(f, top, nodes);
    memset(&net, 0, sizeof net);
    snnex_status st = nir_load_network(path, 0, 0, &net, info, &err);
    if (st)
        fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, SNNEX_OK);
    CU_ASSERT_EQUAL(net.in_c, 2);
    CU_ASSERT_EQUAL(net.in_h, 8);
    CU_ASSERT_EQUAL(net.in_w, 8);
    CU_ASSERT_EQUAL(net.layers[0].out_c, 4);
    CU_ASSERT_EQUAL(net.layers[0].out_h, 6); /* 8 - 3 + 1 */
    CU_ASSERT_EQUAL(net.layers[0].neuron, SNNEX_NEURON_IF);
    ASSERT_CLOSE(net.layers[0].theta, 2.0, 1e-12);
    CU_ASSERT_EQUAL(info[0].weights, 72);
    CU_ASSERT_EQUAL(info[0].zero_weights, 72);
}

/* A malformed file through the program: exit 1, the message, nothing on
 * stdout and no -o file. */
static void expect_import_error(const char *file, const char *want)
{
    char args[600], out[256], *so = NULL, *se = NULL;
    tmp_path(out, sizeof out, "never.cfg");
    snprintf(args, sizeof args, "import nir %s --dt 1e-3 -o %s", file, out);
    int rc = test_run_snnex(args, &so, &se);
    CU_ASSERT_EQUAL(rc, 1);
    if (!se || !strstr(se, want))
        fprintf(stderr, "\n  want '%s', got: %s\n", want, se ? se : "(null)");
    CU_ASSERT(se && strstr(se, want) != NULL);
    CU_ASSERT(so && so[0] == 0);
    CU_ASSERT_NOT_EQUAL(access(out, F_OK), 0);
    /* and through a config */
    char cfgp[256];
    tmp_path(cfgp, sizeof cfgp, "bad.cfg");
    FILE *f = fopen(cfgp, "w");
    fprintf(f, "network = { nir = \"%s\"; nir_dt_ms = 1; };\n", file);
    fclose(f);
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_err err;
    CU_ASSERT_EQUAL(snnex_config_load(cfgp, cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.file, file);
    free(cfg), free(so), free(se);
}

static void test_malformed(void)
{
    char p[256], q[400];
    /* not HDF5 */
    tmp_path(p, sizeof p, "text.nir");
    FILE *f = fopen(p, "w");
    fprintf(f, "this is not HDF5\n");
    fclose(f);
    snprintf(q, sizeof q, "%s: error: not an HDF5 file; a .nir file is HDF5", p);
    expect_import_error(p, q);
    /* missing file */
    tmp_path(p, sizeof p, "absent.nir");
    snprintf(q, sizeof q, "%s: error: cannot open the NIR file", p);
    expect_import_error(p, q);
    /* unknown node type */
    tmp_path(p, sizeof p, "unknown.nir");
    write_chain(p, UNKNOWN_TYPE);
    expect_import_error(p, "error: unknown node type \"Spiky\" (node lif2); snnex reads the NIR primitives");
    /* a cycle through two layers */
    tmp_path(p, sizeof p, "cycle.nir");
    write_chain(p, CYCLE);
    expect_import_error(p, "error: the graph has a cycle lif -> fc2 -> fc -> lif that is not the recurrent weights "
                           "of one layer (node lif); snnex takes feed-forward layers plus");
    /* shapes that do not chain: input [3] into an Affine taking 5 */
    tmp_path(p, sizeof p, "shapes.nir");
    write_chain(p, SHAPES);
    expect_import_error(p, "error: shapes do not chain: input (Input) gives [3] but fc (Affine) takes [5] (node fc)");
    /* no edges */
    tmp_path(p, sizeof p, "noedges.nir");
    write_chain(p, NO_EDGES);
    expect_import_error(p, "error: graph has no \"edges\" dataset; a NIR graph lists its connections");
    /* the command line: an output directory that does not exist, another
     * format, a bad --dt: exit 1 before any work */
    char *se = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("import nir " FIX "/lif_norse.nir --dt 1e-3 -o /nonexistent/dir/x.cfg", NULL, &se), 1);
    CU_ASSERT(se && strstr(se, "/nonexistent/dir/x.cfg: error: cannot create output file") != NULL);
    free(se);
    CU_ASSERT_EQUAL(test_run_snnex("import onnx net.onnx", NULL, &se), 1);
    CU_ASSERT(se && strstr(se, "import reads NIR files: snnex import nir FILE.nir [-o CFG] [--dt SECONDS] (got onnx)"));
    free(se);
    CU_ASSERT_EQUAL(test_run_snnex("import nir " FIX "/lif_norse.nir --dt 0", NULL, &se), 1);
    CU_ASSERT(se && strstr(se, "--dt must be a time step in seconds, above 0 (got 0)"));
    free(se);
    /* the good chain imports (the writer is not what fails above) */
    tmp_path(p, sizeof p, "good.nir");
    write_chain(p, GOOD);
    snnex_network net;
    snnex_err err;
    memset(&net, 0, sizeof net);
    CU_ASSERT_EQUAL(nir_load_network(p, 1e-3, 0, &net, NULL, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(net.n_layers, 2);
}

/* Damaged files the fuzzer found, rebuilt here: a damaged global heap (the
 * version string's heap object claims 0x09000005 bytes; HDF5 1.10 copied
 * that much and crashed, or looped on what followed) and a parameter that
 * claims 2^30 values in a file of a few KiB (a chunked dataset with no
 * chunks written; snnex allocated 8 GiB for it, or counted weights for
 * minutes). Both must be bad input with a message, at once. */
static void test_damaged(void)
{
    if (!have_fixtures())
        return;
    char p[256], *buf = NULL;
    size_t len = 0;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_read_file(FIX "/lif_norse.nir", &buf, &len, &err), SNNEX_OK);
    char *gc = NULL;
    for (size_t i = 0; i + 4 <= len && !gc; i++)
        if (!memcmp(buf + i, "GCOL", 4))
            gc = buf + i;
    CU_ASSERT_PTR_NOT_NULL_FATAL(gc);
    /* collection header 16 bytes, then object 1: index, refs, reserved, size */
    CU_ASSERT_EQUAL(gc[16], 1);
    gc[24] = 0x05, gc[25] = 0, gc[26] = 0, gc[27] = 0x09;
    tmp_path(p, sizeof p, "heap.nir");
    FILE *f = fopen(p, "wb");
    fwrite(buf, 1, len, f);
    fclose(f);
    free(buf);
    nir_graph g;
    CU_ASSERT_EQUAL(nir_read(p, &g, &err), SNNEX_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a NIRGraph"));
    nir_graph_free(&g);

    tmp_path(p, sizeof p, "huge.nir");
    hid_t top, nodes, fid = new_file(p, &top, &nodes);
    hid_t a = node(nodes, "fc", "Affine");
    double w[4] = {1, 2, 3, 4};
    hsize_t dw[2] = {2, 2}, db = 1UL << 30, chunk = 1024;
    w_arr(a, "weight", 2, dw, w, 0);
    hid_t sp = H5Screate_simple(1, &db, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    hid_t d = H5Dcreate2(a, "bias", H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose(d), H5Pclose(dcpl), H5Sclose(sp), H5Gclose(a);
    const char *e[] = {"fc", "fc"};
    w_edges(top, 0, e);
    close_file(fid, top, nodes);
    CU_ASSERT_EQUAL(nir_read(p, &g, &err), SNNEX_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "parameter \"bias\" claims 1073741824 or more elements, more than the "
                                           "file holds or a chip could: the file is damaged (node fc)"));
    nir_graph_free(&g);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!getcwd(cwd, sizeof cwd))
        return 2;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/snnex_nir_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("nir", NULL, NULL);
    CU_add_test(s, "cnn_sinabs.nir: 3 conv, 2 sum pools, 2 fc with hand-checked counts", test_cnn_sinabs);
    CU_add_test(s, "braille: recurrent CubaLIF layer, beta/alpha/theta from the taus", test_braille);
    CU_add_test(s, "lif_norse: LIF parameters; no dt is an error", test_norse);
    CU_add_test(s, "fixtures import and estimate (import, and network.nir)", test_fixtures_estimate);
    CU_add_test(s, "nested subgraph flattened; network.nir relative to its config", test_nested);
    CU_add_test(s, "loose Input/Output shapes compared by element count", test_loose_shapes);
    CU_add_test(s, "malformed files: message, exit 1, no output", test_malformed);
    CU_add_test(s, "damaged files (fuzz findings): a message, no crash or hang", test_damaged);
    int rc = test_finish();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
