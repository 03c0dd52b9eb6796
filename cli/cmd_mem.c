/* snnex mem — CACTI-like query of the memtech models: one point from flags
 * or many from a CSV, written as CSV with engineering units. Also
 * `snnex plot mem`: model curves against the CACTI/NVSim reference points.
 *
 * int cli_plot_mem(int argc, char **argv);   (argv[0] is "mem")
 *   — to be declared in cli/cli.h. */
#include "cli/cli.h"
#include "memtech/memtech_internal.h"
#include "plots/plots.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_plot_mem(int argc, char **argv);

/* One query as text fields (from flags or a CSV row). */
typedef struct {
    const char *tech, *node, *capacity, *width, *flavor, *banks, *standard;
} mem_query;

static const char *OUT_HEADER =
    "read_energy_pJ,write_energy_pJ,leakage_mW,area_mm2,read_latency_ns,write_latency_ns";

/* Price q; file/line locate errors. */
static snnex_status price(const mem_query *q, const char *file, int line, memtech_cost *c,
                          snnex_err *err)
{
    memset(c, 0, sizeof *c);
    if (!q->tech || !*q->tech)
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "tech is missing; use sram, stt or dram");
    int is_dram = strcasecmp(q->tech, "dram") == 0;
    if (is_dram) {
        const memtech_dram *d = memtech_dram_find(q->standard);
        if (!d)
        {
            char list[256] = "";
            size_t n = 0;
            for (int i = 0; i < memtech_dram_count() && n < sizeof list - 16; i++)
                n += snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", memtech_dram_at(i)->name);
            return snnex_err_set(err, SNNEX_EINVAL, file, line,
                                 "unknown DRAM standard (got '%s'); use one of %s (snnex mem --tech dram --list)",
                                 q->standard ? q->standard : "", list);
        }
        long w;
        if (snnex_parse_long(q->width ? q->width : "", &w) || w < 1 || w > MEMTECH_WIDTH_MAX_BITS)
            return snnex_err_set(err, SNNEX_EINVAL, file, line,
                                 "width must be 1-%d bits (got '%s')", MEMTECH_WIDTH_MAX_BITS,
                                 q->width ? q->width : "");
        c->read_energy_J = memtech_dram_energy_J(d, (double)w, 0, 0.0);
        c->write_energy_J = memtech_dram_energy_J(d, (double)w, 1, 0.0);
        c->leakage_W = d->background_W;
        c->read_latency_s = c->write_latency_s = (double)w / 8.0 / d->bandwidth_Bps;
        return SNNEX_OK;
    }
    memtech_array a = {.banks = 1};
    if (strcasecmp(q->tech, "sram") == 0)
        a.tech = MEMTECH_SRAM;
    else if (strcasecmp(q->tech, "stt") == 0 || strcasecmp(q->tech, "stt-mram") == 0)
        a.tech = MEMTECH_STT;
    else if (strcasecmp(q->tech, "scm") == 0)
        a.tech = MEMTECH_SCM;
    else
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "unknown tech (got '%s'); use sram, stt, scm or dram", q->tech);
    if (!q->flavor || !*q->flavor || strcasecmp(q->flavor, "hp") == 0)
        a.flavor = MEMTECH_HP;
    else if (strcasecmp(q->flavor, "lop") == 0)
        a.flavor = MEMTECH_LOP;
    else if (strcasecmp(q->flavor, "lstp") == 0)
        a.flavor = MEMTECH_LSTP;
    else
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "unknown flavor (got '%s'); use hp, lop or lstp", q->flavor);
    if (snnex_parse_double(q->node ? q->node : "", &a.node_nm))
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "node must be a number of nm in %g-%g (got '%s')",
                             MEMTECH_NODE_MIN_NM, MEMTECH_NODE_MAX_NM, q->node ? q->node : "");
    if (snnex_parse_size(q->capacity ? q->capacity : "", &a.capacity_bytes))
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "capacity must be a size such as 65536 or 64KiB (got '%s')",
                             q->capacity ? q->capacity : "");
    long v;
    if (snnex_parse_long(q->width ? q->width : "", &v) || v < 1 || v > MEMTECH_WIDTH_MAX_BITS)
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "width must be 1-%d bits (got '%s')", MEMTECH_WIDTH_MAX_BITS,
                             q->width ? q->width : "");
    a.width_bits = (int)v;
    if (q->banks && *q->banks) {
        if (snnex_parse_long(q->banks, &v) || v < 1 || v > MEMTECH_BANKS_MAX)
            return snnex_err_set(err, SNNEX_EINVAL, file, line,
                                 "banks must be 1-%d (got '%s')", MEMTECH_BANKS_MAX, q->banks);
        a.banks = (int)v;
    }
    snnex_status st = memtech_array_cost(&a, c, err);
    if (st) {
        err->line = line;
        snprintf(err->file, sizeof err->file, "%s", file);
    }
    return st;
}

static void print_cost(FILE *f, const memtech_cost *c)
{
    fprintf(f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", c->read_energy_J * 1e12,
            c->write_energy_J * 1e12, c->leakage_W * 1e3, c->area_m2 * 1e6,
            c->read_latency_s * 1e9, c->write_latency_s * 1e9);
}

/* The DRAM standards table of memtech, as CSV (snnex mem --tech dram --list). */
static void print_dram_list(FILE *f)
{
    fprintf(f, "standard,read_pJ_per_bit,write_pJ_per_bit,activate_pJ_per_bit,row_bytes,background_mW,"
               "bandwidth_GBps,source\n");
    for (int i = 0; i < memtech_dram_count(); i++) {
        const memtech_dram *d = memtech_dram_at(i);
        fprintf(f, "%s,%.6g,%.6g,%.6g,%.0f,%.6g,%.6g,\"", d->name, d->rd_energy_J_per_bit * 1e12,
                d->wr_energy_J_per_bit * 1e12, d->act_energy_J_per_bit * 1e12, d->row_bytes,
                d->background_W * 1e3, d->bandwidth_Bps * 1e-9);
        for (const char *c = d->source ? d->source : ""; *c; c++) {
            if (*c == '"')
                fputc('"', f); /* CSV doubles a quote inside quotes */
            fputc(*c, f);
        }
        fputs("\"\n", f);
    }
}

/* Split s in place at commas into at most max fields; returns the count. */
static int split_csv(char *s, char **f, int max)
{
    int n = 0;
    for (char *p = s;;) {
        if (n < max)
            f[n] = p;
        n++;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

#define MAX_COLS 64

static snnex_status run_points(const char *path, FILE *out, snnex_err *err)
{
    char *buf;
    size_t len;
    snnex_status st = snnex_read_file(path, &buf, &len, err);
    if (st)
        return st;
    char *cur = buf, *hdr_copy = NULL;
    char *hdr[MAX_COLS];
    int nh = 0, line = 0, rows = 0;
    int col[7];   /* tech,node,capacity,width,flavor,banks,standard; -1 absent */
    static const char *names[7] = {"tech", "node_nm", "capacity_bytes", "width_bits",
                                   "flavor", "banks", "standard"};
    for (char *row = snnex_next_line(&cur); row && !st; row = snnex_next_line(&cur)) {
        line++;
        size_t rl = strlen(row);
        if (rl && row[rl - 1] == '\r')
            row[--rl] = 0;
        if (!rl)
            continue;
        if (!nh) {
            hdr_copy = strdup(row);
            fprintf(out, "%s,%s\n", row, OUT_HEADER);
            nh = split_csv(hdr_copy, hdr, MAX_COLS);
            if (nh > MAX_COLS) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, line,
                                   "too many columns (got %d); at most %d", nh, MAX_COLS);
                break;
            }
            for (int k = 0; k < 7; k++) {
                col[k] = -1;
                for (int i = 0; i < nh; i++)
                    if (strcmp(hdr[i], names[k]) == 0)
                        col[k] = i;
                if (k < 5 && col[k] < 0 && !(k == 4))
                    st = snnex_err_set(err, SNNEX_EINVAL, path, line,
                                       "header lacks column '%s'; the header must name "
                                       "tech,node_nm,capacity_bytes,width_bits,flavor", names[k]);
            }
            continue;
        }
        char *copy = strdup(row), *f[MAX_COLS];
        int nf = split_csv(copy, f, MAX_COLS);
        if (nf != nh) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, line,
                               "row has %d fields, the header has %d; every row needs "
                               "one value per column", nf, nh);
            free(copy);
            break;
        }
        mem_query q = {0};
        const char **qf[7] = {&q.tech, &q.node, &q.capacity, &q.width, &q.flavor, &q.banks,
                              &q.standard};
        for (int k = 0; k < 7; k++)
            *qf[k] = col[k] >= 0 ? f[col[k]] : NULL;
        memtech_cost c;
        st = price(&q, path, line, &c, err);
        if (!st) {
            fprintf(out, "%s,", row);
            print_cost(out, &c);
            rows++;
        }
        free(copy);
    }
    if (!st && !nh)
        st = snnex_err_set(err, SNNEX_EINVAL, path, 1,
                           "empty file; expected a header tech,node_nm,capacity_bytes,"
                           "width_bits,flavor and rows");
    free(hdr_copy);
    free(buf);
    return st;
}

int cli_cmd_mem(int argc, char **argv)
{
    mem_query q = {0};
    const char *points = NULL, *outpath = "-";
    int list = 0;
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = SNNEX_OK;
    struct { const char *flag; const char **dst; } opts[] = {
        {"--tech", &q.tech}, {"--node", &q.node}, {"--capacity", &q.capacity},
        {"--width", &q.width}, {"--flavor", &q.flavor}, {"--banks", &q.banks},
        {"--standard", &q.standard}, {"--points", &points}, {"-o", &outpath},
        {"--output", &outpath}};
    int line_of[10] = {0};
    for (int i = 1; i < argc && !st; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_print_help("mem") == 0 ? 0 : 2;
        if (strcmp(argv[i], "--list") == 0) {
            list = 1;
            continue;
        }
        size_t k, nk = sizeof opts / sizeof opts[0];
        for (k = 0; k < nk; k++)
            if (strcmp(argv[i], opts[k].flag) == 0)
                break;
        if (k == nk)
            st = snnex_err_set(&err, SNNEX_EINVAL, "command line", i,
                               "unknown option '%s'; see snnex mem --help", argv[i]);
        else if (i + 1 >= argc)
            st = snnex_err_set(&err, SNNEX_EINVAL, "command line", i,
                               "option %s needs a value; see snnex mem --help", argv[i]);
        else {
            *opts[k].dst = argv[++i];
            line_of[k] = i;
        }
    }
    if (!st && list && (points || !q.tech || strcasecmp(q.tech, "dram") != 0))
        st = snnex_err_set(&err, SNNEX_EINVAL, "command line", 0,
                           "--list lists the DRAM standards: use snnex mem --tech dram --list");
    /* the output is opened before the work: a path that cannot be created
     * is bad input (exit 1); a write failing later is exit 2 */
    snnex_out o;
    int opened = 0;
    if (!st && !(st = snnex_out_open(&o, outpath, &err)))
        opened = 1;
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = NULL;
    if (!st) {
        mem = open_memstream(&text, &text_len);
        if (!mem)
            st = snnex_err_set(&err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    if (!st && list) {
        print_dram_list(mem);
    } else if (!st && points) {
        st = run_points(points, mem, &err);
    } else if (!st) {
        if (!q.tech)
            st = snnex_err_set(&err, SNNEX_EINVAL, "command line", argc,
                               "give --tech sram|stt|scm|dram (or --points FILE.csv); see "
                               "snnex mem --help");
        memtech_cost c;
        if (!st)
            st = price(&q, "command line", 1, &c, &err);
        if (st && strcmp(err.file, "command line") == 0) {
            /* point at the offending flag: the message names it first */
            static const char *keys[] = {"tech", "node", "capacity", "width", "flavor",
                                         "bank", "DRAM"};
            const char *best = NULL;
            for (int k = 0; k < 7; k++) {
                const char *hit = strstr(err.msg, keys[k]);
                if (hit && (!best || hit < best) && line_of[k]) {
                    best = hit;
                    err.line = line_of[k];
                }
            }
        }
        if (!st) {
            fprintf(mem, "tech,node_nm,capacity_bytes,width_bits,flavor,%s\n", OUT_HEADER);
            double cap = 0;
            if (q.capacity)
                snnex_parse_size(q.capacity, &cap);
            fprintf(mem, "%s,%s,%.0f,%s,%s,", q.tech, q.node ? q.node : "", cap,
                    q.width ? q.width : "", q.flavor ? q.flavor : "hp");
            print_cost(mem, &c);
        }
    }
    if (mem)
        fclose(mem);
    if (!st) {
        fwrite(text, 1, text_len, o.f);
        st = snnex_out_commit(&o, &err);
    } else if (opened) {
        snnex_out_abort(&o);
    }
    free(text);
    if (st) {
        snnex_err_print(&err, stderr);
        return snnex_exit_code(st);
    }
    return 0;
}

/* ---- snnex plot mem ----------------------------------------------------- */

int cli_plot_mem(int argc, char **argv)
{
    const char *fmt = "png", *dir = "out/plots", *ref = NULL;
    snnex_err err;
    snnex_err_clear(&err);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: snnex plot mem [--format png|svg] [-o DIR] [--ref DIR]\n"
                   "  read energy and area vs capacity: memtech model curves (lines) and\n"
                   "  CACTI/NVSim reference points (symbols), SRAM 32/65 nm and STT 32 nm.\n"
                   "  Writes DIR/mem_read_energy.FMT and DIR/mem_area.FMT (default %s).\n"
                   "  --ref DIR: the reference CSVs (default: %s, else the installed\n"
                   "  PREFIX/share/snnex/reference/memtech).\n",
                   dir, MEMTECH_REF_DIR_DEFAULT);
            return 0;
        }
        if (i + 1 < argc && strcmp(argv[i], "--format") == 0)
            fmt = argv[++i];
        else if (i + 1 < argc && (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0))
            dir = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--ref") == 0)
            ref = argv[++i];
        else {
            snnex_err_set(&err, SNNEX_EINVAL, "command line", i,
                          "unknown option '%s'; see snnex plot mem --help", argv[i]);
            snnex_err_print(&err, stderr);
            return 1;
        }
    }
    if (strcmp(fmt, "png") && strcmp(fmt, "svg")) {
        snnex_err_set(&err, SNNEX_EINVAL, "command line", 0,
                      "--format must be png or svg (got '%s')", fmt);
        snnex_err_print(&err, stderr);
        return 1;
    }
    /* the reference points: --ref, else the source tree's, else the
     * installed copy (make install), else next to build/snnex */
    char found[4200];
    if (!ref) {
        if (cli_find_data(MEMTECH_REF_DIR_DEFAULT, "reference/memtech", "cacti_subset.csv", found, sizeof found)) {
            snnex_err_set(&err, SNNEX_EINVAL, MEMTECH_REF_DIR_DEFAULT, 0,
                          "no CACTI/NVSim reference points (cacti_subset.csv, nvsim_subset.csv, nvsim_45nm.csv) here or installed "
                          "in PREFIX/share/snnex/reference/memtech; pass --ref DIR, or make install from a "
                          "source tree that has them");
            snnex_err_print(&err, stderr);
            return 1;
        }
        ref = found;
    }
    memtech_ref_point *pts;
    int n;
    snnex_status st = memtech_ref_load(ref, &pts, &n, &err);
    if (!st)
        st = cli_mkdir_p(dir, &err);
    char qd[2600], qo[2600];
    if (!st && plot_gp_quote(qd, sizeof qd, dir))
        st = snnex_err_set(&err, SNNEX_EINVAL, dir, 0,
                           "directory name holds a newline or another control character, which a gnuplot script "
                           "cannot quote; choose another -o directory");
    if (st) {
        free(pts); /* NULL when memtech_ref_load failed */
        snnex_err_print(&err, stderr);
        return snnex_exit_code(st);
    }
    /* series: SRAM hp 32/65 nm and STT hp 32 nm, 64-bit words */
    static const struct { memtech_kind t; double node; const char *tool, *label; } ser[] = {
        {MEMTECH_SRAM, 32, "CACTI", "SRAM 32 nm"}, {MEMTECH_SRAM, 65, "CACTI", "SRAM 65 nm"},
        {MEMTECH_STT, 32, "NVSim", "STT 32 nm"}};
    char dat[1200], gp[1200], out[1200];
    snprintf(dat, sizeof dat, "%s/mem_plot.dat", dir);
    snprintf(gp, sizeof gp, "%s/mem_plot.gp", dir);
    FILE *d = fopen(dat, "w"), *g = fopen(gp, "w");
    if (!d || !g) {
        if (d) fclose(d);
        if (g) fclose(g);
        free(pts);
        fprintf(stderr, "%s: error: cannot write plot files\n", dir);
        return 2;
    }
    for (int s = 0; s < 3; s++) {   /* blocks 2s: model, 2s+1: reference */
        for (double cap = 4096; cap <= 4194304 * 1.01; cap *= 1.25) {
            memtech_array a = {ser[s].t, MEMTECH_HP, ser[s].node, cap, 64, 1, 0, 0};
            memtech_cost c;
            memtech_array_cost(&a, &c, NULL);
            fprintf(d, "%g %g %g\n", cap / 1024, c.read_energy_J * 1e12, c.area_m2 * 1e6);
        }
        fprintf(d, "\n\n");
        for (int i = 0; i < n; i++)
            if (!strncmp(pts[i].tool, ser[s].tool, 5) && pts[i].a.tech == ser[s].t &&
                !pts[i].aggressive && pts[i].a.node_nm == ser[s].node &&
                pts[i].a.flavor == MEMTECH_HP && pts[i].a.width_bits == 64)
                fprintf(d, "%g %g %g\n", pts[i].a.capacity_bytes / 1024,
                        pts[i].ref.read_energy_J * 1e12, pts[i].ref.area_m2 * 1e6);
        fprintf(d, "\n\n");
    }
    fclose(d);
    const char *term = strcmp(fmt, "png") ? "svg size 800,560 noenhanced font 'Sans,11' background rgb 'white'"
                                          : "pngcairo size 800,560 noenhanced font 'Sans,11'";
    const char *what[2] = {"read_energy", "area"}, *ylab[2] = {"read energy per 64-bit access (pJ)",
                                                                "array area (mm²)"};
    const char *title[2] = {"Memory read energy vs capacity: memtech models (lines), CACTI/NVSim points (symbols)",
                            "Memory array area vs capacity: memtech models (lines), CACTI/NVSim points (symbols)"};
    plot_gp_quote(qd, sizeof qd, dat);
    for (int p = 0; p < 2; p++) {
        snprintf(out, sizeof out, "%s/mem_%s.%s", dir, what[p], fmt);
        if (plot_gp_quote(qo, sizeof qo, out))
            snprintf(qo, sizeof qo, "''");
        fprintf(g, "set terminal %s\nset output %s\n", term, qo);
        fprintf(g, "set title '%s'\nset logscale xy\nset format x '%%g'\nset format y '%%g'\n"
                   "set xlabel 'capacity (KiB; 64-bit words, hp devices, 1 bank)'\nset ylabel '%s'\n"
                   "set key left top box opaque\nset grid lc rgb '#dddddd'\nset xrange [3:5500]\n"
                   "set autoscale yfix\nset offsets 0, 0, graph 0.06, graph 0.06\n", title[p], ylab[p]);
        fprintf(g, "plot ");
        for (int s = 0; s < 3; s++)
            fprintf(g, "%s%s index %d using 1:%d with lines lc %d title '%s model', "
                       "%s index %d using 1:%d with points pt 7 lc %d title '%s %s'",
                    s ? ", " : "", qd, 2 * s, 2 + p, s + 1, ser[s].label, qd, 2 * s + 1,
                    2 + p, s + 1, ser[s].label, ser[s].tool);
        fprintf(g, "\nunset output\n");
    }
    fclose(g);
    free(pts);
    if ((st = plot_gnuplot(gp, &err))) {
        snnex_err_print(&err, stderr);
        return snnex_exit_code(st);
    }
    printf("%s/mem_read_energy.%s\n%s/mem_area.%s\n", dir, fmt, dir, fmt);
    return 0;
}
