/* Regression tests for what the fuzzers in fuzz/ found (fuzz/README.md):
 * each feeds the failing input, or the smallest file with the same defect,
 * through the public API and states what the reader must answer. */
#include "tests/test_util.h"
#include "trainer/trainer.h"

#include <stdint.h>
#include <zlib.h>

/* ---- trainer_load ------------------------------------------------------------ */

/* Checkpoint layout (trainer/trainer.c, trainer_save): magic "SNNEXCKP" (8),
 * version u32, signature length u32, signature, optimizer u32, completed
 * epochs u32, optimizer step i64, trainable layers u32, per layer: count
 * u64 and weights, Adam m and v as f32; then the crc32 of all that. */
#define CKPT_SIGLEN_AT 12

typedef struct {
    unsigned char *p;
    size_t n;
} bytes;

static bytes read_all(const char *path)
{
    bytes b = {0, 0};
    FILE *f = fopen(path, "rb");
    CU_ASSERT_FATAL(f != NULL);
    fseek(f, 0, SEEK_END);
    b.n = (size_t)ftell(f);
    rewind(f);
    b.p = malloc(b.n);
    CU_ASSERT_FATAL(b.p && fread(b.p, 1, b.n, f) == b.n);
    fclose(f);
    return b;
}

/* Write b to path with its last 4 bytes set to the crc32 of the rest, as
 * trainer_save does: the file then passes the checksum, and only the
 * header checks can reject it. */
static void write_with_crc(const char *path, bytes b)
{
    uint32_t crc = (uint32_t)crc32(0L, b.p, (uInt)(b.n - 4));
    memcpy(b.p + b.n - 4, &crc, 4);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_FATAL(f && fwrite(b.p, 1, b.n, f) == b.n);
    fclose(f);
}

/* fuzz_checkpoint: a checkpoint whose completed-epochs field is
 * 0xfffb0001 (the fuzzer's input) was accepted and restored as -327679
 * completed epochs (so `snnex train --resume` would train epochs -327679
 * ... N); one whose optimizer step is negative was accepted too (Adam's
 * bias correction 1 - β^step is then 0 at step 0, or negative: NaN or
 * infinite weights). Both must be rejected as an inconsistent header, and the
 * unmodified file must still load. */
static void test_checkpoint_header_ranges(void)
{
    snnex_network net;
    memset(&net, 0, sizeof net);
    net.in_c = 1, net.in_h = 4, net.in_w = 4;
    net.beta = 0.9, net.theta = 1.0, net.reset = SNNEX_RESET_SUBTRACT;
    net.n_layers = 2;
    net.layers[0].type = SNNEX_LAYER_FLATTEN;
    net.layers[1].type = SNNEX_LAYER_FC;
    net.layers[1].out_features = 3;
    for (int l = 0; l < 2; l++)
        net.layers[l].stride = 1, snprintf(net.layers[l].name, SNNEX_NAME_LEN, "l%d", l);
    snnex_training tc;
    memset(&tc, 0, sizeof tc);
    tc.T = 4, tc.batch = 4, tc.optimizer = SNNEX_OPT_ADAM, tc.lr = 1e-2;
    tc.adam_beta1 = 0.9, tc.adam_beta2 = 0.999, tc.adam_eps = 1e-8;
    tc.surrogate_slope = 5, tc.du_threshold = 1e-3, tc.seed = 7, tc.epochs = 1;
    trainer *t;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_alloc(&t, &net, &tc, 3, NULL, &err) == SNNEX_OK);

    char dir[] = "/tmp/snnex_t_fuzzXXXXXX", path[64];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/ckpt", dir);
    CU_ASSERT_FATAL(trainer_save(t, path, &err) == SNNEX_OK);
    bytes good = read_all(path);
    uint32_t sl;
    memcpy(&sl, good.p + CKPT_SIGLEN_AT, 4);
    size_t ep_at = CKPT_SIGLEN_AT + 4 + sl + 4, step_at = ep_at + 4;
    CU_ASSERT_FATAL(step_at + 8 < good.n);

    /* the file as saved loads: 0 epochs, the check below is not vacuous */
    CU_ASSERT(trainer_load(t, path, &err) == SNNEX_OK);
    CU_ASSERT_EQUAL(trainer_epochs_done(t), 0);

    bytes b = {malloc(good.n), good.n};
    CU_ASSERT_FATAL(b.p != NULL);
    uint32_t ep = 0xfffb0001u;              /* the fuzzer's completed epochs */
    memcpy(b.p, good.p, good.n);
    memcpy(b.p + ep_at, &ep, 4);
    write_with_crc(path, b);
    snnex_err_clear(&err);
    CU_ASSERT(trainer_load(t, path, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "checkpoint header is inconsistent") != NULL);
    CU_ASSERT_EQUAL(trainer_epochs_done(t), 0);

    int64_t step = -1;                      /* a negative optimizer step */
    memcpy(b.p, good.p, good.n);
    memcpy(b.p + step_at, &step, 8);
    write_with_crc(path, b);
    snnex_err_clear(&err);
    CU_ASSERT(trainer_load(t, path, &err) == SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "checkpoint header is inconsistent") != NULL);

    free(b.p);
    free(good.p);
    remove(path);
    rmdir(dir);
    trainer_free(t);
}

/* ---- line numbers past blank lines ------------------------------------------ */

/* The trace and mem --points readers split lines with strtok_r, which skips
 * blank lines, so an error below a blank line named a line too early (the
 * fuzz helper's note: a bad trace row on line 7 reported as line 5). The
 * shipped trace with a blank line inserted as line 3 and line 8 cut to
 * three fields must be reported at line 8; a points CSV whose line 4 (below
 * a blank line 2) has a negative capacity at line 4. */
static void test_line_numbers_after_blank_lines(void)
{
    char dir[] = "/tmp/snnex_fr_linesXXXXXX", tr[128], pts[128], args[512];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(tr, sizeof tr, "%s/t.csv", dir);
    snprintf(pts, sizeof pts, "%s/p.csv", dir);
    FILE *in = fopen("configs/seed20.trace.csv", "r"), *out = fopen(tr, "w");
    CU_ASSERT_FATAL(in && out);
    char line[4096];
    for (int n = 1; fgets(line, sizeof line, in); n++) {
        if (n == 3)
            fputs("\n", out);        /* new line 3; old line n is now n + 1 */
        fputs(n == 7 ? "0,fc0,zz\n" : line, out);
    }
    fclose(in);
    fclose(out);
    char *so, *se;
    snprintf(args, sizeof args, "estimate configs/seed20.cfg --trace %s", tr);
    CU_ASSERT_EQUAL(test_run_snnex(args, &so, &se), 1);
    char want[256];
    snprintf(want, sizeof want, "%s:8: error: malformed trace row", tr);
    if (strncmp(se, want, strlen(want)))
        fprintf(stderr, "\n  got %s  want %s\n", se, want);
    CU_ASSERT(strncmp(se, want, strlen(want)) == 0);
    free(so), free(se);

    out = fopen(pts, "w");
    CU_ASSERT_FATAL(out != NULL);
    fputs("tech,node_nm,capacity_bytes,width_bits,flavor\n\nsram,32,4096,64,hp\nsram,32,-1,64,hp\n", out);
    fclose(out);
    snprintf(args, sizeof args, "mem --points %s", pts);
    CU_ASSERT_EQUAL(test_run_snnex(args, &so, &se), 1);
    snprintf(want, sizeof want, "%s:4: error: ", pts);
    if (strncmp(se, want, strlen(want)))
        fprintf(stderr, "\n  got %s  want %s\n", se, want);
    CU_ASSERT(strncmp(se, want, strlen(want)) == 0);
    CU_ASSERT_EQUAL(so[0], 0);
    free(so), free(se);
    remove(tr), remove(pts), rmdir(dir);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("fuzz_regress", NULL, NULL);
    CU_add_test(s, "checkpoint: out-of-range epochs or step rejected", test_checkpoint_header_ranges);
    CU_add_test(s, "trace and mem --points: line numbers past blank lines", test_line_numbers_after_blank_lines);
    return test_finish();
}
