/* libFuzzer harness: the `snnex mem --points` reader. Its reader,
 * run_points(), is static in cli/cmd_mem.c, so this file includes that
 * source (no refactor of the CLI); the input is the points CSV. An
 * accepted file's output rows must end in six finite, non-negative prices
 * (read_energy_pJ ... write_latency_ns). */
#include "cli/cmd_mem.c"
#include "cli/paths.c"
#include "fuzz/fuzz_util.h"

/* cmd_mem.c's `--help` prints the text main.c holds; main.c is not linked
 * into the harness (it has main), and --help is not what is fuzzed. */
int cli_print_help(const char *cmd)
{
    (void)cmd;
    return 1;
}

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless every line after the header ends in 6 numbers >= 0. */
static void check_prices(const char *text)
{
    const char *line = strchr(text, '\n');
    while (line && line[1]) {
        line++;
        const char *end = strchr(line, '\n');
        if (!end)
            abort();   /* rows are written whole */
        const char *p = end;
        for (int k = 0; k < 6; k++) {
            while (p > line && p[-1] != ',')
                p--;
            double v = strtod(p, NULL);
            if (!(v >= 0 && isfinite(v))) {
                fprintf(stderr, "fuzz: price %d of row \"%.*s\" is %g\n", 6 - k,
                        (int)(end - line), line, v);
                abort();
            }
            if (p > line)
                p--;
        }
        line = end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        abort();
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = run_points(path, out, &err);
    fclose(out);
    fuzz_check(st, &err, "snnex mem --points");
    if (st == SNNEX_OK)
        check_prices(text);
    free(text);
    return 0;
}
