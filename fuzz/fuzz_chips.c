/* libFuzzer harness: validation's chips.csv reader. The input is a
 * chips.csv; an accepted set is summarised and written in the three
 * formats (without estimating: that needs a config per chip). */
#include "validation/validation.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    validation_set set;
    memset(&set, 0, sizeof set);
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = validation_load(path, &set, &err);
    fuzz_check(st, &err, "validation_load");
    if (st == SNNEX_OK) {
        validation_summary sum;
        validation_summarize(&set, &sum);
        static const char *const fmt[] = {"table", "csv", "markdown"};
        for (int i = 0; i < 3; i++)
            if (validation_write(&set, fmt[i], fuzz_null(), &err) != SNNEX_OK)
                abort();
        validation_free(&set);
    }
    return 0;
}
