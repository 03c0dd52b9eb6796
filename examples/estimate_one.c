/* Link against an installed libsnnex: estimate one config and print the
 * effective TFLOPS/W.
 *   cc examples/estimate_one.c $(pkg-config --cflags --libs --static snnex) -o estimate_one */
#include <estimator/estimator.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_result *res = malloc(sizeof *res);
    snnex_err err;
    if (argc < 2 || snnex_config_load(argv[1], cfg, &err) != SNNEX_OK ||
        snnex_estimate(cfg, NULL, res, &err) != SNNEX_OK) {
        if (argc >= 2)
            snnex_err_print(&err, stderr);
        return 1;
    }
    printf("%s: %.3f TFLOPS/W effective, %.3g J per batch\n", argv[1], res->tflops_per_w_effective,
           res->energy_total_J);
    free(cfg);
    free(res);
    return 0;
}
