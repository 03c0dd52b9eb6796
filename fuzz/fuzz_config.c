/* libFuzzer harness: the config loader. The input is the text of a config
 * file, loaded as configs/fuzz.cfg (so that the seeds' relative @include
 * of seed20_chip.cfg resolves): parse, option table, shape inference and
 * cross-field validation; an accepted config is then estimated once and
 * the result written as JSON. */
#include "estimator/estimator.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_result *res = malloc(sizeof *res);
    if (!text || !cfg || !res)
        abort();
    memcpy(text, data, size);
    text[size] = 0;
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = snnex_config_load_string(text, "configs/fuzz.cfg", cfg, &err);
    fuzz_check(st, &err, "snnex_config_load_string");
    if (st == SNNEX_OK) {
        snnex_err_clear(&err);
        st = snnex_estimate(cfg, NULL, res, &err);
        fuzz_check(st, &err, "snnex_estimate");
        if (st == SNNEX_OK && res->feasible) {
            FUZZ_CHECK_NONNEG(res->energy_total_J, "energy_total_J");
            FUZZ_CHECK_NONNEG(res->latency_s, "latency_s");
            FUZZ_CHECK_NONNEG(res->area_total_m2, "area_total_m2");
        }
        if (st == SNNEX_OK && snnex_result_write(cfg, res, "json", fuzz_null(), &err) != SNNEX_OK)
            abort();
    }
    free(res);
    free(cfg);
    free(text);
    return 0;
}
