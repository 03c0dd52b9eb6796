/* libFuzzer harness: the sparsity-trace reader. The input is a trace file,
 * read against configs/seed20.cfg (loaded once); an accepted trace is then
 * used for one estimate. */
#include "estimator/estimator.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static snnex_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snnex_err err;
    if (snnex_config_load("configs/seed20.cfg", &cfg, &err) != SNNEX_OK) {
        snnex_err_print(&err, stderr);
        fprintf(stderr, "fuzz_trace: run from the repository root\n");
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    snnex_trace tr = {0};
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = snnex_trace_read(path, &cfg.net, cfg.train.T, &tr, &err);
    fuzz_check(st, &err, "snnex_trace_read");
    if (st == SNNEX_OK) {
        snnex_result *res = malloc(sizeof *res);
        if (!res)
            abort();
        snnex_err_clear(&err);
        st = snnex_estimate(&cfg, &tr, res, &err);
        fuzz_check(st, &err, "snnex_estimate");
        if (st == SNNEX_OK && res->feasible) {
            FUZZ_CHECK_NONNEG(res->energy_total_J, "energy_total_J");
            FUZZ_CHECK_NONNEG(res->latency_s, "latency_s");
        }
        free(res);
        snnex_trace_free(&tr);
    }
    return 0;
}
