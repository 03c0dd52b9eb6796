/* snnex report DIR — one self-contained HTML page of a sweep directory
 * (plots/report.c): summary, the front and breakdown as SVG with hover
 * details, the table of the front's designs. */
#include "cli/cli.h"
#include "plots/plots.h"

#include <stdio.h>
#include <string.h>

int cli_cmd_report(int argc, char **argv)
{
    const char *dir = NULL, *cfg = NULL;
    snnex_err err;
    snnex_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            cfg = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "snnex: error: unknown or incomplete option %s\nusage: snnex report DIR [--config CFG]\n",
                    argv[i]);
            return 1;
        } else if (!dir)
            dir = argv[i];
        else {
            fprintf(stderr, "snnex: error: more than one directory given\nusage: snnex report DIR [--config CFG]\n");
            return 1;
        }
    }
    if (!dir) {
        fprintf(stderr, "snnex: error: no sweep directory given\nusage: snnex report DIR [--config CFG]\n");
        return 1;
    }
    if (plot_report(dir, cfg, &err) != SNNEX_OK) {
        snnex_err_print(&err, stderr);
        return snnex_exit_code(err.status);
    }
    printf("%s/report.html\n", dir);
    return 0;
}
