/* libFuzzer harness: the `snnex mem --points FILE.csv` reader. Its reader,
 * run_points(), is static in cli/cmd_mem.c, so this file includes that
 * source (no refactor of the CLI); the input is the points CSV and the
 * priced CSV goes to /dev/null. */
#include "cli/cmd_mem.c"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = run_points(path, fuzz_null(), &err);
    fuzz_check(st, &err, "snnex mem --points");
    return 0;
}
