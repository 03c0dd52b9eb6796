/* snnex validate — estimate every chip of validation/chips.csv with its
 * config and print published vs estimated with the error per figure and
 * summary statistics; optionally write CSV/markdown files and the parity
 * plot into a directory. */
#include "cli/cli.h"
#include "validation/validation.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static int fail(snnex_err *e)
{
    snnex_err_print(e, stderr);
    return snnex_exit_code(e->status);
}

static snnex_status write_file(const validation_set *set, const char *dir, const char *name, const char *format,
                               snnex_err *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snnex_out o;
    snnex_status st = snnex_out_open(&o, path, err);
    if (st)
        return st;
    if ((st = validation_write(set, format, o.f, err))) {
        snnex_out_abort(&o);
        return st;
    }
    return snnex_out_commit(&o, err);
}

int cli_cmd_validate(int argc, char **argv)
{
    const char *dir = NULL, *format = "table", *outdir = NULL, *chips = NULL, *report = NULL;
    int plot = 0;
    snnex_err err;
    snnex_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--dir") && has)
            dir = argv[++i];
        else if (!strcmp(a, "--chips") && has)
            chips = argv[++i];
        else if (!strcmp(a, "--format") && has)
            format = argv[++i];
        else if (!strcmp(a, "-o") && has)
            outdir = argv[++i];
        else if (!strcmp(a, "--plot"))
            plot = 1;
        else if (!strcmp(a, "--report") && has)
            report = argv[++i];
        else {
            snnex_err_set(&err, SNNEX_EINVAL, "", 0,
                          "unknown or incomplete option %s; usage: snnex validate [--dir DIR] [--chips FILE] "
                          "[--format table|csv|markdown] [-o DIR] [--plot] [--report DIR]",
                          a);
            return fail(&err);
        }
    }
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "markdown")) {
        snnex_err_set(&err, SNNEX_EINVAL, "", 0, "--format must be table, csv or markdown (got %s)", format);
        return fail(&err);
    }
    char shipped[PATH_MAX + 64];
    if (!dir && !chips) {
        /* validation/ here (the source tree), else the installed
         * PREFIX/share/snnex/validation, else next to build/snnex */
        if (cli_find_data("validation", "validation", "chips.csv", shipped, sizeof shipped)) {
            snnex_err_set(&err, SNNEX_EINVAL, "validation/chips.csv", 0,
                          "no validation set here or installed next to the program "
                          "(PREFIX/share/snnex/validation); run from the snnex source tree, "
                          "`make install` it, or pass --dir DIR");
            return fail(&err);
        }
        dir = shipped;
    } else if (!dir)
        dir = "validation";
    char chips_path[PATH_MAX + 128];
    snprintf(chips_path, sizeof chips_path, "%s/chips.csv", dir);
    if (!chips)
        chips = chips_path;
    /* the output directory is made (mkdir -p) and checked before the work */
    if (outdir && cli_mkdir_p(outdir, &err))
        return fail(&err);
    if (report && cli_mkdir_p(report, &err))
        return fail(&err);
    validation_set set;
    if (validation_load(chips, &set, &err))
        return fail(&err);
    snnex_status st = validation_run(&set, dir, 1, &err);
    if (!st && outdir) {
        st = write_file(&set, outdir, "validation.csv", "csv", &err);
        if (!st)
            st = write_file(&set, outdir, "validation.md", "markdown", &err);
    }
    if (!st && plot)
        st = validation_plot(&set, outdir ? outdir : ".", &err);
    if (!st && report)
        st = validation_report(&set, report, &err);
    if (!st)
        st = validation_write(&set, format, stdout, &err);
    validation_free(&set);
    if (st)
        return fail(&err);
    return 0;
}
