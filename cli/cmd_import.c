/* snnex import nir — read a NIR file (exported by snnTorch, Norse, Sinabs,
 * ...) and write the network group of a snnex config, atomically. */
#include "cli/cli.h"
#include "nir/nir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(snnex_err *e)
{
    snnex_err_print(e, stderr);
    return snnex_exit_code(e->status);
}

int cli_cmd_import(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *dt_arg = NULL;
    snnex_err err;
    snnex_err_clear(&err);
    if (argc < 2 || strcmp(argv[1], "nir")) {
        snnex_err_set(&err, SNNEX_EINVAL, "", 0, "import reads NIR files: snnex import nir FILE.nir [-o CFG] [--dt SECONDS]%s%.64s%s",
                      argc >= 2 ? " (got " : "", argc >= 2 ? argv[1] : "", argc >= 2 ? ")" : "");
        return fail(&err);
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "-o") && has)
            out = argv[++i];
        else if (!strcmp(a, "--dt") && has)
            dt_arg = argv[++i];
        else if (a[0] == '-' && a[1]) {
            snnex_err_set(&err, SNNEX_EINVAL, "", 0, "unknown or incomplete option %s; see snnex help import", a);
            return fail(&err);
        } else if (!in)
            in = a;
        else {
            snnex_err_set(&err, SNNEX_EINVAL, "", 0, "unexpected argument %s; see snnex help import", a);
            return fail(&err);
        }
    }
    if (!in) {
        snnex_err_set(&err, SNNEX_EINVAL, "", 0, "import nir needs a file; e.g. snnex import nir net.nir -o net.cfg");
        return fail(&err);
    }
    double dt = 0;
    if (dt_arg && (snnex_parse_double(dt_arg, &dt) || !(dt > 0) || dt > 1e3)) {
        snnex_err_set(&err, SNNEX_EINVAL, "", 0, "--dt must be a time step in seconds, above 0 (got %s); e.g. --dt 1e-3",
                      dt_arg);
        return fail(&err);
    }
    /* the output is checked before the work, and written only when all of it worked */
    snnex_out o;
    if (snnex_out_open(&o, out, &err) != SNNEX_OK)
        return fail(&err);
    nir_graph g;
    snnex_network *net = calloc(1, sizeof *net);
    nir_layer_info *info = calloc(SNNEX_MAX_LAYERS, sizeof *info);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = NULL;
    snnex_status st = nir_read(in, &g, &err);
    if (!st && (!net || !info))
        st = snnex_err_set(&err, SNNEX_ENOMEM, "", 0, "out of memory");
    if (!st)
        st = nir_graph_check(&g, &err);
    if (!st) {
        net->beta = 0.95, net->theta = 1.0, net->alpha = 0.0; /* the config defaults; every imported layer sets its own */
        st = nir_to_network(&g, dt, 0, net, info, &err);
    }
    if (!st && !(mem = open_memstream(&text, &len)))
        st = snnex_err_set(&err, SNNEX_ENOMEM, "", 0, "out of memory");
    if (!st)
        st = nir_write_config(mem, &g, net, info, dt, &err);
    if (mem)
        fclose(mem);
    if (!st && fwrite(text, 1, len, o.f) != len)
        st = snnex_err_set(&err, SNNEX_EIO, out ? out : "", 0, "cannot write the config");
    if (!st)
        st = snnex_out_commit(&o, &err);
    else
        snnex_out_abort(&o);
    nir_graph_free(&g);
    free(text);
    free(net);
    free(info);
    return st ? fail(&err) : 0;
}
