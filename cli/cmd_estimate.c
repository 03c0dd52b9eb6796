/* snnex estimate — load a config (and a trace), estimate, write the
 * result atomically. Also the estimate part of snnex bench. */
#include "cli/cli.h"
#include "estimator/estimator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(snnex_err *e)
{
    snnex_err_print(e, stderr);
    return snnex_exit_code(e->status);
}

/* Apply the "--set KEY=VALUE" overrides to cfg as one change: the
 * cross-key checks (mesh x*y = cores) see all of them, in any order. */
static snnex_status apply_sets(snnex_config *cfg, char *const *sets, int n, snnex_err *err)
{
    const char *keys[64], *values[64];
    char keybuf[64][128];
    for (int i = 0; i < n; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "--set takes KEY=VALUE (got %s)", sets[i]);
        snprintf(keybuf[i], sizeof keybuf[i], "%.*s", (int)(eq - sets[i]), sets[i]);
        keys[i] = keybuf[i];
        values[i] = eq + 1;
    }
    return snnex_config_set_many(cfg, keys, values, n, err);
}

int cli_cmd_estimate(int argc, char **argv)
{
    const char *cfgpath = NULL, *trace = NULL, *format = "table", *out = NULL;
    char *sets[64];
    int nsets = 0;
    snnex_err err;
    snnex_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--trace") && has)
            trace = argv[++i];
        else if (!strcmp(a, "--format") && has)
            format = argv[++i];
        else if (!strcmp(a, "-o") && has)
            out = argv[++i];
        else if (!strcmp(a, "--set") && has && nsets < 64)
            sets[nsets++] = argv[++i];
        else if (a[0] == '-' && a[1]) {
            snnex_err_set(&err, SNNEX_EINVAL, "", 0, "unknown or incomplete option %s; see snnex help estimate", a);
            return fail(&err);
        } else if (!cfgpath)
            cfgpath = a;
        else {
            snnex_err_set(&err, SNNEX_EINVAL, "", 0, "unexpected argument %s; see snnex help estimate", a);
            return fail(&err);
        }
    }
    if (!cfgpath) {
        snnex_err_set(&err, SNNEX_EINVAL, "", 0, "estimate needs a config file; e.g. snnex estimate configs/seed20.cfg");
        return fail(&err);
    }
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
        snnex_err_set(&err, SNNEX_EINVAL, "", 0, "--format must be table, csv or json (got %s)", format);
        return fail(&err);
    }
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_result *res = malloc(sizeof *res);
    snnex_trace tr = {0};
    int rc = 0;
    if (!cfg || !res) {
        fprintf(stderr, "snnex: error: out of memory\n");
        free(cfg), free(res);
        return 2;
    }
    if (snnex_config_load(cfgpath, cfg, &err) != SNNEX_OK)
        goto fail;
    if (nsets && apply_sets(cfg, sets, nsets, &err) != SNNEX_OK)
        goto fail;
    if (trace && snnex_trace_read(trace, &cfg->net, cfg->train.T, &tr, &err) != SNNEX_OK)
        goto fail;
    /* an output that cannot be created is bad input (1), found before the
     * work; a write failing later (disk full) is a failure (2) */
    snnex_out o;
    if (snnex_out_open(&o, out, &err) != SNNEX_OK)
        goto fail;
    if (snnex_estimate(cfg, trace ? &tr : NULL, res, &err) != SNNEX_OK ||
        snnex_result_write(cfg, res, format, o.f, &err) != SNNEX_OK) {
        snnex_out_abort(&o);
        goto fail;
    }
    if (snnex_out_commit(&o, &err) != SNNEX_OK)
        goto fail;
    goto done;
fail:
    rc = fail(&err);
done:
    snnex_trace_free(&tr);
    free(cfg);
    free(res);
    return rc;
}

#pragma weak cli_bench_train
#pragma weak cli_bench_sweep

int cli_bench_estimate(int argc, char **argv)
{
    /* the shipped seed20.cfg from any directory (source tree, install) */
    char dir[4200], shipped[4300];
    if (cli_find_data("configs", "configs", "seed20.cfg", dir, sizeof dir) == 0)
        snprintf(shipped, sizeof shipped, "%s/seed20.cfg", dir);
    else
        snprintf(shipped, sizeof shipped, "configs/seed20.cfg");
    const char *path = argc > 1 ? argv[1] : shipped;
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_result *res = malloc(sizeof *res);
    snnex_err err;
    int rc = 0;
    if (!cfg || !res || snnex_config_load(path, cfg, &err) != SNNEX_OK) {
        rc = cfg && res ? fail(&err) : 2;
        goto out;
    }
    struct timespec a, b;
    long n = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do {
        for (int i = 0; i < 1000; i++, n++)
            if (snnex_estimate(cfg, NULL, res, &err) != SNNEX_OK) {
                rc = fail(&err);
                goto out;
            }
        clock_gettime(CLOCK_MONOTONIC, &b);
    } while ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9 < 1.0);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
    printf("bench=estimate config=%s\nestimates_per_second=%.0f\nmicroseconds_per_estimate=%.2f\n", path, n / s,
           1e6 * s / n);
out:
    free(cfg);
    free(res);
    return rc;
}

int cli_cmd_bench(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "all";
    if (!strcmp(what, "estimate"))
        return cli_bench_estimate(argc - 1, argv + 1);
    if (!strcmp(what, "train") || !strcmp(what, "sweep")) {
        int (*fn)(int, char **) = !strcmp(what, "train") ? cli_bench_train : cli_bench_sweep;
        if (!fn) {
            fprintf(stderr, "snnex: error: bench %s is not built into this snnex\n", what);
            return 2;
        }
        return fn(argc - 1, argv + 1);
    }
    if (!strcmp(what, "all")) {
        char *a[] = {"estimate", NULL};
        int rc = cli_bench_estimate(1, a);
        if (cli_bench_sweep) {
            char *s[] = {"sweep", NULL};
            rc |= cli_bench_sweep(1, s);
        }
        return rc;
    }
    fprintf(stderr, "snnex: error: unknown bench '%s'; use estimate, train or sweep\n", what);
    return 1;
}
