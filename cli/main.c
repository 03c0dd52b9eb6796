/* snnex — the command-line program: dispatches subcommands and prints
 * help. Only this program prints errors and chooses exit codes. */
#include "cli/cli.h"
#include "estimator/estimator.h"

#include <stdio.h>
#include <string.h>

/* Subcommands living in other files are weak so the program still builds
 * while one is being developed; a missing one says so and exits 2. */
#pragma weak cli_cmd_train
#pragma weak cli_cmd_sweep
#pragma weak cli_cmd_plot
#pragma weak cli_cmd_validate
#pragma weak cli_cmd_mem

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
    const char *usage;
} cli_cmd;

static const cli_cmd cmds[] = {
    {"estimate", cli_cmd_estimate, "energy, area and latency of one training batch",
     "usage: snnex estimate CFG [--trace FILE] [--format table|csv|json] [-o FILE] [--set KEY=VALUE]...\n"
     "  Counts every engine's actions per layer (models), prices them (memtech) and prints energy by\n"
     "  layer x engine x component, area, latency with its bound, TFLOPS/W (effective and dense-\n"
     "  equivalent), pJ/SOP, DRAM bytes and the GPU baseline's DRAM bytes.\n"
     "  --trace FILE   sparsity measured by snnex train (must match the network); default: the\n"
     "                 config's sparsity.* densities\n"
     "  --format F     table (default), csv or json (keys documented in README)\n"
     "  -o FILE        write to FILE (atomically) instead of stdout\n"
     "  --set K=V      override a config key, e.g. --set chip.cores=16\n"},
    {"train", NULL, "train the SNN functionally and record its sparsity trace",
     "usage: snnex train CFG [-o TRACE] [--epochs N] [--threads N] [--save FILE] [--resume FILE] [--limit N]\n"
     "  -o TRACE       write the sparsity trace (CSV v1, see README) after training\n"
     "  --epochs N     epochs (default: training.epochs)\n"
     "  --threads N    OpenMP threads (default: all cores)\n"
     "  --save FILE    checkpoint after every epoch (header + checksum)\n"
     "  --resume FILE  continue from a checkpoint of the same network\n"
     "  --limit N      use only the first N training and N test samples (quick runs)\n"
     "Prints test_accuracy=... and train_seconds=... at the end.\n"},
    {"sweep", NULL, "explore a design space, stream points.csv, find the Pareto front",
     "usage: snnex sweep CFG -o DIR [--threads N] [--resume] [--points-out all|feasible|none]\n"
     "  Evaluates every design of the config's sweep group (axes: grid, or sampling = { method =\n"
     "  \"random\"|\"lhs\"; points = N; seed = S; }), applies its constraints and finds the Pareto\n"
     "  front of its objectives (\"min METRIC\" / \"max METRIC\", any column of points.csv).\n"
     "  -o DIR         writes DIR/points.csv (every design, streamed in chunks to\n"
     "                 DIR/points.csv.partial, renamed once the sweep is complete), DIR/pareto.csv\n"
     "                 (the front, one row per design, with its energy breakdown) and DIR/objectives\n"
     "  --threads N    OpenMP threads (default: all cores); output does not depend on N\n"
     "  --resume       continue an interrupted sweep in DIR from its last committed chunk (a\n"
     "                 finished one is left as it is); give the same --points-out\n"
     "  --points-out W rows written to points.csv: all (default), feasible, or none (no\n"
     "                 points.csv: only the front is kept)\n"
     "  Exit status: 1 bad config or option, or DIR not writable; 2 a write failed part-way\n"
     "  (disk full): free space and run the same command with --resume.\n"
     "  Across machines: mpirun -n N build/snnex-mpi sweep ... (make mpi) writes the same files.\n"},
    {"plot", NULL, "draw a sweep's Pareto front and breakdowns with gnuplot",
     "usage: snnex plot DIR [--format png|svg]\n"
     "       snnex plot mem [--format png|svg] [-o DIR] [--ref DIR]\n"
     "  DIR is a sweep directory. Writes, next to a gnuplot script for each (DIR/NAME.gp):\n"
     "    pareto_front   every feasible design, the front in the sweep's first two objectives,\n"
     "                   coloured by the third (else area); each design numbered as in pareto.csv's\n"
     "                   design column, with a key of the first 30 (SVG: hover a design for its\n"
     "                   axis values and metrics)\n"
     "    breakdown      energy per sample of those designs by component and by engine\n"
     "    memtech_fronts SRAM vs STT-MRAM weight memory: the front of each (when both were swept)\n"
     "  Plain-text labels with units, axis ranges fitted to the data. snnex report DIR puts them\n"
     "  on one HTML page.\n"
     "  plot mem: read energy and area vs capacity, the memory models against the CACTI/NVSim\n"
     "  reference points: DIR/mem_read_energy.FMT and DIR/mem_area.FMT.\n"
     "    -o DIR       output directory, made if missing (default: out/plots)\n"
     "    --ref DIR    the reference CSVs (cacti_subset.csv, nvsim_subset.csv, nvsim_45nm.csv);\n"
     "                 default: ../shared/reference/memtech (the source tree), else the installed\n"
     "                 PREFIX/share/snnex/reference/memtech (make install copies them)\n"
     "  Needs gnuplot on PATH (pngcairo and svg terminals). Exit 1: bad directory or option;\n"
     "  2: gnuplot missing or failing (its message is shown).\n"},
    {"report", cli_cmd_report, "one HTML page of a sweep: summary, front, breakdown, designs",
     "usage: snnex report DIR [--config CFG]\n"
     "  Writes DIR/report.html for sweep directory DIR: one self-contained page (no network, no\n"
     "  script, no external font; opens from disk) with the sweep's summary (config, sampling,\n"
     "  axes, constraints, objectives, counts, the best design per objective), the Pareto front\n"
     "  and the energy breakdown of its designs by component and engine as SVG drawn by gnuplot\n"
     "  (hover a front design for its axis values and metrics), and the table of the front's\n"
     "  designs, numbered as in the figures. Also writes the figures as SVG (snnex plot DIR\n"
     "  --format svg) next to it.\n"
     "  --config CFG   the sweep config for the summary (default: the one snnex sweep recorded\n"
     "                 in DIR/sweep_config)\n"
     "  Needs gnuplot (svg terminal). Exit 1: not a sweep directory, or a bad config; 2: gnuplot\n"
     "  missing or failing, or a write failing.\n"},
    {"validate", NULL, "compare estimates with published chip figures",
     "usage: snnex validate [--format table|csv|markdown] [-o DIR] [--plot] [--report DIR] [--dir DIR]\n"
     "                      [--chips FILE]\n"
     "  Estimates every chip of the validation set (chips.csv: published figures with their\n"
     "  conditions and sources; one CHIP.cfg per chip) and prints published vs estimated, the\n"
     "  relative error per figure and summary statistics (median |error| on energy efficiency,\n"
     "  share within 2x, worst case and what dominates its estimate), with the committed global\n"
     "  calibration; also leave-one-chip-out: the calibration refitted without each chip, that\n"
     "  chip predicted. Prints each calibration coefficient with its range, flagging bounds.\n"
     "  --format F     table (default), csv (chip,figure,unit,published,estimated,rel_error,\n"
     "                 loo_estimated,loo_rel_error,conditions,source) or markdown\n"
     "  -o DIR         also write DIR/validation.csv and DIR/validation.md (DIR is made if\n"
     "                 missing, like mkdir -p)\n"
     "  --plot         log-log parity plot with the 2x bands, DIR/validation_parity.png (into\n"
     "                 -o DIR, else .); needs gnuplot with pngcairo\n"
     "  --report DIR   DIR/report.html: one self-contained page (no network, no script) with the\n"
     "                 summary, the parity plot as SVG (hover a marker for the chip, figure,\n"
     "                 conditions and source) and every figure in a table (DIR made if missing)\n"
     "  --dir DIR      the set's directory (default: ./validation, else the installed\n"
     "                 PREFIX/share/snnex/validation)\n"
     "  --chips FILE   figures from FILE instead of DIR/chips.csv\n"},
    {"mem", NULL, "query the memory models (SRAM, STT-MRAM, standard-cell latch arrays, DRAM) like CACTI",
     "usage: snnex mem --tech sram|stt|scm --node NM --capacity SIZE --width BITS [--flavor hp|lop|lstp]\n"
     "                 [--banks N] [-o FILE]\n"
     "       snnex mem --tech dram --standard NAME --width BITS [-o FILE]\n"
     "       snnex mem --tech dram --list [-o FILE]\n"
     "       snnex mem --points FILE.csv [-o FILE]\n"
     "  Prices one memory access with the memtech models; writes CSV. scm is a\n"
     "  standard-cell memory (latches, a read-mux tree, a clock gate per word): its\n"
     "  area is raw cell area (an estimate places it like logic) and it leaks like the\n"
     "  logic of its flavour (hp: low-Vt, lop and lstp: regular-Vt).\n"
     "  --node NM        technology node, 7-90 nm\n"
     "  --capacity SIZE  256 B-1 GiB; takes B, KiB, MiB, GiB (or KB, MB, GB = powers of ten)\n"
     "  --width BITS     bits per access, 1-4096\n"
     "  --flavor F       devices: hp (default), lop or lstp\n"
     "  --banks N        equal banks, one active per access, 1-1024 (default 1)\n"
     "  --standard NAME  DRAM standard, e.g. LPDDR4; --list shows them all\n"
     "  --list           with --tech dram: the DRAM standards table (pJ/bit read, write and\n"
     "                   activate, row bytes, background mW, GB/s per channel, source)\n"
     "  --points FILE    a CSV with columns tech,node_nm,capacity_bytes,width_bits,flavor\n"
     "                   (optional: banks, standard; other columns are passed through)\n"
     "  -o FILE          write to FILE (atomically) instead of stdout\n"
     "  Output: the input columns plus read_energy_pJ,write_energy_pJ,leakage_mW,area_mm2,\n"
     "  read_latency_ns,write_latency_ns. A DRAM row prices one width_bits access on a row\n"
     "  miss; its leakage is the channel's background power, area 0, latencies the transfer\n"
     "  time at peak bandwidth.\n"},
    {"import", cli_cmd_import, "read a network exported to NIR (snnTorch, Norse, Sinabs, ...)",
     "usage: snnex import nir FILE.nir [-o CFG] [--dt SECONDS]\n"
     "  Reads a NIR graph (HDF5; nested graphs flattened) and writes the network group of a snnex\n"
     "  config: Affine/Linear -> fc, Conv2d -> conv, SumPool2d/AvgPool2d -> pool, Flatten ->\n"
     "  flatten, LIF/IF/CubaLIF/LI -> the neurons of the layer before them, a recurrent Affine ->\n"
     "  recurrent = true; each layer commented with the NIR nodes it came from, its weights and\n"
     "  their share of exact zeros. @include the result next to a chip, or load the file directly\n"
     "  with network.nir = \"FILE.nir\"; in a config.\n"
     "  -o CFG         write to CFG (atomically) instead of stdout\n"
     "  --dt SECONDS   the network's time step: beta = exp(-dt/tau) (default: the file's metadata\n"
     "                 dt; needed for LIF, CubaLIF and LI neurons)\n"
     "  Exit 1: the file is not HDF5 or not a NIR graph snnex can map (the message names the node).\n"},
    {"bench", cli_cmd_bench, "throughput figures (estimate, train, sweep)",
     "usage: snnex bench [estimate|train|sweep] [options]\n"
     "  Prints machine-readable name=value lines. With no argument runs every bench.\n"
     "  snnex bench estimate [CFG]   estimates per second of CFG (default: the shipped\n"
     "                               configs/seed20.cfg, found from any directory)\n"},
    {"help", cli_cmd_help, "help on a subcommand, or on the config keys",
     "usage: snnex help [CMD | config]\n"},
};
#define N_CMDS (int)(sizeof cmds / sizeof cmds[0])

static int (*cmd_fn(const cli_cmd *c))(int, char **)
{
    if (c->fn)
        return c->fn;
    if (!strcmp(c->name, "train")) return cli_cmd_train;
    if (!strcmp(c->name, "sweep")) return cli_cmd_sweep;
    if (!strcmp(c->name, "plot")) return cli_cmd_plot;
    if (!strcmp(c->name, "validate")) return cli_cmd_validate;
    if (!strcmp(c->name, "mem")) return cli_cmd_mem;
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "snnex — energy, area and latency of multi-core chips that train spiking neural networks\n\n"
               "usage: snnex CMD [options]   (snnex help CMD for details)\n\n");
    for (int i = 0; i < N_CMDS; i++)
        fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\n  snnex help config   lists every config key with its unit, range and default\n");
}

int cli_print_help(const char *cmd)
{
    for (int i = 0; i < N_CMDS; i++)
        if (!strcmp(cmds[i].name, cmd)) {
            fputs(cmds[i].usage, stdout);
            return 0;
        }
    return 1;
}

int cli_cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "config")) {
        snnex_config_print_help(stdout);
        return 0;
    }
    if (cli_print_help(argv[1]) != 0) {
        fprintf(stderr, "snnex: error: no command '%s'; run snnex help for the list\n", argv[1]);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    for (int i = 0; i < N_CMDS; i++)
        if (!strcmp(cmds[i].name, argv[1])) {
            for (int a = 2; a < argc; a++)
                if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
                    if (cli_print_help(argv[1]) == 0)
                        return 0;
                }
            int (*fn)(int, char **) = cmd_fn(&cmds[i]);
            if (!fn) {
                fprintf(stderr, "snnex: error: '%s' is not built into this snnex\n", argv[1]);
                return 2;
            }
            return fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "snnex: error: unknown command '%s'; run snnex --help for the list\n", argv[1]);
    return 1;
}
