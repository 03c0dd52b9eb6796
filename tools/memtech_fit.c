/* memtech_fit — regenerates memtech/memtech_coef.c from the CACTI/NVSim
 * reference CSVs. Usage: memtech_fit [REF_DIR [OUT.c]]
 *   REF_DIR defaults to ../shared/reference/memtech (repo root as cwd);
 *   OUT.c defaults to stdout. The fit summary goes to stderr.
 * The fitting itself is memtech_fit_run (memtech/memtech_fit.c), which the
 * test suite also calls to check the committed coefficients. */
#include "memtech/memtech_internal.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: memtech_fit [REF_DIR [OUT.c]]\n"
               "  fits the memtech array model to REF_DIR/cacti_subset.csv,\n"
               "  REF_DIR/nvsim_subset.csv and REF_DIR/nvsim_45nm.csv (default %s)\n"
               "  and writes the C source of\n"
               "  memtech_coef.c to OUT.c (default stdout), atomically.\n",
               MEMTECH_REF_DIR_DEFAULT);
        return 0;
    }
    const char *dir = argc > 1 ? argv[1] : MEMTECH_REF_DIR_DEFAULT;
    const char *out = argc > 2 ? argv[2] : "-";
    snnex_err err;
    snnex_err_clear(&err);
    memtech_coef k;
    snnex_status st = memtech_fit_run(dir, &k, stderr, &err);
    snnex_out o;
    if (!st)
        st = snnex_out_open(&o, out, &err);
    if (!st) {
        memtech_coef_write_c(&k, "build/tools/memtech_fit ../shared/reference/memtech "
                                 "memtech/memtech_coef.c", o.f);
        st = snnex_out_commit(&o, &err);
    }
    if (st) {
        snnex_err_print(&err, stderr);
        return snnex_exit_code(st);
    }
    return 0;
}
