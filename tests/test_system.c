/* system (issue 18): bits per round of FedAvg and of a ring or aggregator
 * all-reduce, link time and energy, one round end to end — all by hand —;
 * config errors with FILE:LINE; mode single byte-identical to a config
 * without a system group; a sweep over workers, local batches and links. */
#include "estimator/estimator.h"
#include "memtech/memtech.h"
#include "models/models.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

/* ---- counting (models/system.c) ------------------------------------------- */

static void test_fedavg_bits(void)
{
    models_exchange x;
    /* 1000 weights of 16 bits, 5 workers, host aggregator: every worker
     * sends its weights up and gets the average down, 2 × 1000 × 16 =
     * 32 000 bits per worker, 5 × 32 000 = 160 000 per round (the issue's
     * 2 × weights × bits per weight × workers); each worker's own link
     * carries its 32 000 bits in 2 transfers; the host adds 4 × 1000
     * values and scales 1000 */
    models_fedavg(1000, 16, 0, 5, 0, &x);
    ASSERT_CLOSE(x.bits_per_worker, 32000, 1e-15);
    ASSERT_CLOSE(x.bits_total, 2.0 * 1000 * 16 * 5, 1e-15);
    ASSERT_CLOSE(x.bits_busiest_link, 32000, 1e-15);
    ASSERT_CLOSE(x.transfers, 2, 0);
    ASSERT_CLOSE(x.transfers_total, 10, 0);
    ASSERT_CLOSE(x.adds, 4000, 1e-15);
    ASSERT_CLOSE(x.muls, 1000, 1e-15);
    /* 8-bit update: up 1000 × 8, down 1000 × 16 → 5 × 24 000 = 120 000 */
    models_fedavg(1000, 16, 8, 5, 0, &x);
    ASSERT_CLOSE(x.bits_total, 5.0 * 1000 * (8 + 16), 1e-15);
    ASSERT_CLOSE(x.bits_per_worker, 24000, 1e-15);
    /* 16-bit update of 32-bit weights: 5 × 1000 × (16 + 32) = 240 000 */
    models_fedavg(1000, 32, 16, 5, 0, &x);
    ASSERT_CLOSE(x.bits_total, 240000, 1e-15);
    /* a worker aggregates: it keeps its own weights, the 4 others exchange
     * with it over its one link, one after another: 4 × 32 000 = 128 000
     * bits on that link, 8 transfers; the adds are the same (5 values
     * averaged) */
    models_fedavg(1000, 16, 0, 5, 1, &x);
    ASSERT_CLOSE(x.bits_total, 128000, 1e-15);
    ASSERT_CLOSE(x.bits_busiest_link, 128000, 1e-15);
    ASSERT_CLOSE(x.transfers, 8, 0);
    ASSERT_CLOSE(x.adds, 4000, 1e-15);
    /* one worker and a host: its weights go up and come back; nothing to add */
    models_fedavg(1000, 16, 0, 1, 0, &x);
    ASSERT_CLOSE(x.bits_total, 32000, 1e-15);
    ASSERT_CLOSE(x.adds, 0, 0);
    ASSERT_CLOSE(x.muls, 0, 0);
}

static void test_ring_bits(void)
{
    models_exchange x;
    /* 1000 gradients of 16 bits (G = 16 000 bits), 4 workers: each sends
     * 2 (N−1)/N × G = 2 × 3/4 × 16 000 = 24 000 bits in 2 (N−1) = 6 steps;
     * all links 4 × 24 000 = 96 000 = 2 (N−1) G; reduce-scatter adds
     * (N−1) × 1000 = 3000 values in all, 750 per worker */
    models_ring_allreduce(1000, 16, 4, &x);
    ASSERT_CLOSE(x.bits_per_worker, 24000, 1e-15);
    ASSERT_CLOSE(x.bits_total, 96000, 1e-15);
    ASSERT_CLOSE(x.bits_busiest_link, 24000, 1e-15);
    ASSERT_CLOSE(x.transfers, 6, 0);
    ASSERT_CLOSE(x.transfers_total, 24, 0);
    ASSERT_CLOSE(x.adds, 3000, 1e-15);
    ASSERT_CLOSE(x.adds_busiest, 750, 1e-15);
    ASSERT_CLOSE(x.muls, 1000, 1e-15);
    ASSERT_CLOSE(x.muls_busiest, 250, 1e-15);
    /* 2 workers: 2 × 1/2 × G = G each */
    models_ring_allreduce(1000, 16, 2, &x);
    ASSERT_CLOSE(x.bits_per_worker, 16000, 1e-15);
    /* one worker has no one to reduce with */
    models_ring_allreduce(1000, 16, 1, &x);
    ASSERT_CLOSE(x.bits_total, 0, 0);
    ASSERT_CLOSE(x.transfers, 0, 0);
    /* through a host: every worker sends G up and gets G down, 2 transfers */
    models_star_exchange(1000, 16, 16, 4, 0, &x);
    ASSERT_CLOSE(x.bits_total, 4.0 * 2 * 16000, 1e-15);
    ASSERT_CLOSE(x.bits_busiest_link, 32000, 1e-15);
    ASSERT_CLOSE(x.adds, 3000, 1e-15);
}

/* ---- pricing (memtech/link.c) ------------------------------------------------ */

static void test_link_table(void)
{
    /* every row complete and with a source */
    CU_ASSERT(memtech_link_count() >= 10);
    for (int i = 0; i < memtech_link_count(); i++) {
        const memtech_link *l = memtech_link_at(i);
        CU_ASSERT(l->energy_J_per_bit > 0 && l->bandwidth_bps > 0 && l->latency_s > 0);
        CU_ASSERT(l->source && strlen(l->source) > 10);
        CU_ASSERT_PTR_EQUAL(memtech_link_find(l->name), l);
    }
    CU_ASSERT_PTR_NULL(memtech_link_at(memtech_link_count()));
    CU_ASSERT_PTR_NULL(memtech_link_find("Token Ring"));
    const memtech_link *p = memtech_link_find("pcie4"); /* case-insensitive */
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    /* PCIe 4.0 x4: 4 × 16 GT/s × 128/130 = 63.015 Gb/s; 2 × 1.93 pJ/bit
     * (Bae et al. 2021, RX = TX); 1 µs per transfer (ASSUMED) */
    ASSERT_CLOSE(p->bandwidth_bps, 4 * 16e9 * 128 / 130, 1e-12);
    ASSERT_CLOSE(p->energy_J_per_bit, 3.86e-12, 1e-12);
    ASSERT_CLOSE(memtech_link_energy_J(p, 1e6), 3.86e-6, 1e-12);
    ASSERT_CLOSE(memtech_link_time_s(p, 1e6, 2), 2e-6 + 1e6 / (4 * 16e9 * 128 / 130), 1e-12);
    ASSERT_CLOSE(memtech_link_time_s(p, 0, 0), 0, 0);
    /* BLE: (5.3 + 5.4) mA × 3 V / 1 Mb/s = 32.1 nJ/bit; a shared radio channel */
    const memtech_link *b = memtech_link_find("BLE");
    ASSERT_CLOSE(b->energy_J_per_bit, 32.1e-9, 1e-12);
    CU_ASSERT_EQUAL(b->shared, 1);
    /* 1000BASE-T: 2 PHYs × 0.5 W / 1 Gb/s = 1 nJ/bit; a cable per worker */
    const memtech_link *g = memtech_link_find("GbE");
    ASSERT_CLOSE(g->energy_J_per_bit, 1e-9, 1e-12);
    CU_ASSERT_EQUAL(g->shared, 0);
}

/* ---- one round, end to end ---------------------------------------------------- */

/* fc 4→2 (8 weights), batch 2, 16-bit weights and gradients */
#define TINY "network = { input = [4, 1, 1]; layers = ( { type = \"fc\"; out = 2; } ); };\n" \
             "training = { T = 2; batch = 2; optimizer = \"sgd\"; };\n"

/* A per-batch result of one chip as the estimate leaves it: 1 mJ and 1 ms
 * per batch, 0.2 mJ of it leakage (0.2 W). */
static void fake_batch(snnex_result *r)
{
    memset(r, 0, sizeof *r);
    r->feasible = 1;
    r->n_layers = 1;
    r->energy_total_J = 1e-3;
    r->latency_s = 1e-3;
    r->energy_per_sample_J = 1e-3 / 2;
    r->energy_J[0][SNNEX_ENG_FP][SNNEX_COMP_LEAKAGE] = 2e-4;
}

static void test_round_by_hand(void)
{
    snnex_config cfg;
    snnex_err err;
    snnex_result r;
    const char *txt = TINY "system = { mode = \"federated\"; workers = 2; local_batches = 3; link = \"custom\";\n"
                           "  link_energy_pJ_per_bit = 10; link_bandwidth_Gbps = 1; link_latency_us = 1; };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(txt, "fed.cfg", &cfg, &err), SNNEX_OK);
    fake_batch(&r);
    CU_ASSERT_EQUAL_FATAL(snnex_system_round(&cfg, &r, &err), SNNEX_OK);
    /* bits: 2 workers × 8 weights × (16 up + 16 down) = 512, 256 on each
     * worker's link in 2 transfers: 2 × 1 µs + 256 bit / 1 Gbit/s =
     * 2.256 µs. Link energy 512 × 10 pJ = 5.12 nJ. Training: 3 batches =
     * 3 ms per worker, 2 × 3 × 1 mJ = 6 mJ. Round 3 ms + 2.256 µs (host
     * aggregation time not modelled). Host adds 1 × 8, multiplies 8 at
     * Horowitz FP32 45 nm 0.9 V: 8 × (0.9 + 3.7) pJ = 36.8 pJ. Idle
     * leakage: 2 workers × 0.2 W × 2.256 µs = 0.9024 µJ. */
    double comm_s = 2e-6 + 256 / 1e9, idle = 2 * 0.2 * comm_s;
    double total = 6e-3 + 5.12e-9 + 36.8e-12 + idle;
    ASSERT_CLOSE(r.sys_bits_per_round, 512, 1e-15);
    ASSERT_CLOSE(r.sys_comm_s, comm_s, 1e-12);
    ASSERT_CLOSE(r.sys_comm_energy_J, 5.12e-9, 1e-12);
    ASSERT_CLOSE(r.sys_agg_energy_J, 36.8e-12, 1e-12);
    ASSERT_CLOSE(r.sys_compute_energy_J, 6e-3, 1e-12);
    ASSERT_CLOSE(r.sys_idle_energy_J, idle, 1e-9);
    ASSERT_CLOSE(r.latency_per_round_s, 3e-3 + comm_s, 1e-12);
    ASSERT_CLOSE(r.energy_per_round_J, total, 1e-12);
    ASSERT_CLOSE(r.comm_share, 5.12e-9 / total, 1e-12);
    /* 2 workers × 3 batches × 2 samples = 12 samples */
    ASSERT_CLOSE(r.sys_samples_per_round, 12, 0);
    ASSERT_CLOSE(r.energy_per_sample_J, total / 12, 1e-12);
    double v;
    CU_ASSERT_EQUAL(snnex_result_metric(&r, "comm_share", &v), 0);
    ASSERT_CLOSE(v, r.comm_share, 0);
    CU_ASSERT_EQUAL(snnex_result_metric(&r, "latency_per_round_s", &v), 0);
    ASSERT_CLOSE(v, r.latency_per_round_s, 0);
    CU_ASSERT_EQUAL(snnex_result_metric(&r, "energy_per_round_J", &v), 0);
    ASSERT_CLOSE(v, r.energy_per_round_J, 0);

    /* overlapped: the link hides behind 3 ms of training, no one waits */
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.overlap", "true", &err), SNNEX_OK);
    fake_batch(&r);
    CU_ASSERT_EQUAL(snnex_system_round(&cfg, &r, &err), SNNEX_OK);
    ASSERT_CLOSE(r.latency_per_round_s, 3e-3, 1e-12);
    ASSERT_CLOSE(r.sys_idle_energy_J, 0, 1e-18);

    /* power-gated while waiting: no idle leakage, the rest as before */
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.overlap", "false", &err), SNNEX_OK);
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.idle_power_gated", "true", &err), SNNEX_OK);
    fake_batch(&r);
    CU_ASSERT_EQUAL(snnex_system_round(&cfg, &r, &err), SNNEX_OK);
    ASSERT_CLOSE(r.sys_idle_energy_J, 0, 0);
    ASSERT_CLOSE(r.energy_per_round_J, total - idle, 1e-12);
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.idle_power_gated", "false", &err), SNNEX_OK);

    /* one shared medium (a radio channel): both exchanges take turns,
     * 4 transfers and 512 bits: 4 µs + 0.512 µs */
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.overlap", "false", &err), SNNEX_OK);
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.link_shared", "true", &err), SNNEX_OK);
    fake_batch(&r);
    CU_ASSERT_EQUAL(snnex_system_round(&cfg, &r, &err), SNNEX_OK);
    ASSERT_CLOSE(r.sys_comm_s, 4e-6 + 512 / 1e9, 1e-12);

    /* data-parallel ring, 4 workers: 2 × 3 × 8 × 16 = 768 bits in all;
     * each worker 2 × 3/4 × 128 = 192 bits in 6 steps: 6 µs + 0.192 µs.
     * The adds run on the workers (28 nm, 0.9 V FP16 at 16 bits): 3 × 8
     * adds + 8 scalings; time (6 + 2) ops per worker / (20 cores × 16
     * optimizer lanes × 500 MHz, the defaults) = 50 ps */
    const char *dp = TINY "system = { mode = \"data_parallel\"; workers = 4; link = \"custom\";\n"
                          "  link_energy_pJ_per_bit = 10; link_bandwidth_Gbps = 1; link_latency_us = 1; };\n";
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(dp, "dp.cfg", &cfg, &err), SNNEX_OK);
    fake_batch(&r);
    CU_ASSERT_EQUAL_FATAL(snnex_system_round(&cfg, &r, &err), SNNEX_OK);
    ASSERT_CLOSE(r.sys_bits_per_round, 768, 1e-15);
    ASSERT_CLOSE(r.sys_bits_per_worker, 192, 1e-15);
    ASSERT_CLOSE(r.sys_comm_s, 6e-6 + 192 / 1e9, 1e-12);
    ASSERT_CLOSE(r.sys_agg_s, 8.0 / (20 * 16 * 500e6), 1e-12);
    double add = memtech_logic_energy_J(MEMTECH_OP_FP16_ADD, 28, 0.9);
    double mul = memtech_logic_energy_J(MEMTECH_OP_FP16_MUL, 28, 0.9);
    ASSERT_CLOSE(r.sys_agg_energy_J, 24 * add + 8 * mul, 1e-12);
    ASSERT_CLOSE(r.sys_samples_per_round, 4 * 2, 0);
    ASSERT_CLOSE(r.latency_per_round_s, 1e-3 + r.sys_comm_s + r.sys_agg_s, 1e-12);

    /* single: the round is the batch; nothing else moves */
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(TINY, "one.cfg", &cfg, &err), SNNEX_OK);
    fake_batch(&r);
    CU_ASSERT_EQUAL(snnex_system_round(&cfg, &r, &err), SNNEX_OK);
    ASSERT_CLOSE(r.energy_per_round_J, 1e-3, 0);
    ASSERT_CLOSE(r.latency_per_round_s, 1e-3, 0);
    ASSERT_CLOSE(r.comm_share, 0, 0);
    ASSERT_CLOSE(r.energy_per_sample_J, 1e-3 / 2, 0);
}

/* ---- config errors ------------------------------------------------------------ */

static void expect_error(const char *txt, int line, const char *what, const char *fix)
{
    snnex_config cfg;
    snnex_err err;
    memset(&err, 0, sizeof err);
    CU_ASSERT_EQUAL(snnex_config_load_string(txt, "sys.cfg", &cfg, &err), SNNEX_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.file, "sys.cfg");
    CU_ASSERT_EQUAL(err.line, line);
    if (!strstr(err.msg, what) || !strstr(err.msg, fix))
        fprintf(stderr, "\n  got: %s:%d: %s\n", err.file, err.line, err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, what));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, fix));
}

static void test_config_errors(void)
{
    /* TINY is lines 1-2; the system group starts on line 3 */
    expect_error(TINY "system = {\n  mode = \"federated\";\n  workers = 0;\n};\n", 5,
                 "system.workers must be between 1 and", "set it in that range");
    expect_error(TINY "system = {\n  mode = \"data_parallel\";\n  workers = 4;\n  local_batches = 10;\n};\n", 6,
                 "local_batches = 10 applies to federated rounds", "remove local_batches or set mode = \"federated\"");
    expect_error(TINY "system = {\n  mode = \"federated\";\n  workers = 4;\n  link = \"Ethernet\";\n};\n", 6,
                 "unknown link \"Ethernet\"", "GbE");
    expect_error(TINY "system = {\n  workers = 4;\n};\n", 4, "system.workers = 4 needs several chips",
                 "set mode = \"data_parallel\" or \"federated\", or workers = 1");
    expect_error(TINY "system = {\n  mode = \"federated\";\n  workers = 2;\n  link = \"custom\";\n};\n", 6,
                 "needs its figures", "set link_energy_pJ_per_bit and link_bandwidth_Gbps");
    expect_error(TINY "system = {\n  mode = \"data_parallel\";\n  workers = 2;\n  update_bits = 8;\n};\n", 6,
                 "update_bits = 8 compresses the federated update", "set mode = \"federated\"");
    expect_error(TINY "system = {\n  mode = \"federal\";\n};\n", 4, "system.mode must be one of", "\"federated\"");
    expect_error(TINY "system = {\n  worker = 2;\n};\n", 4, "unknown key system.worker", "system.workers");

    /* --set and sweep points are checked the same way (no line to name) */
    snnex_config cfg;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(TINY, "one.cfg", &cfg, &err), SNNEX_OK);
    const char *k1[] = {"system.mode", "system.workers", "system.local_batches"};
    const char *v1[] = {"data_parallel", "4", "10"};
    CU_ASSERT_EQUAL(snnex_config_set_many(&cfg, k1, v1, 3, &err), SNNEX_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "applies to federated rounds"));
    CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(TINY, "one.cfg", &cfg, &err), SNNEX_OK);
    const char *k2[] = {"system.mode", "system.workers", "system.link"};
    const char *v2[] = {"federated", "4", "carrier pigeon"};
    CU_ASSERT_EQUAL(snnex_config_set_many(&cfg, k2, v2, 3, &err), SNNEX_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown link \"carrier pigeon\""));
    CU_ASSERT_EQUAL(snnex_config_set(&cfg, "system.workers", "0", &err), SNNEX_EINVAL);

    /* the binary: FILE:LINE on stderr, exit 1, nothing on stdout */
    char dir[] = "/tmp/snnex_sysXXXXXX", path[128], args[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bad.cfg", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(TINY "system = {\n  mode = \"data_parallel\";\n  workers = 0;\n};\n", f);
    fclose(f);
    char *out, *errs;
    snprintf(args, sizeof args, "estimate %s", path);
    CU_ASSERT_EQUAL(test_run_snnex(args, &out, &errs), 1);
    CU_ASSERT_STRING_EQUAL(out, "");
    char want[200];
    snprintf(want, sizeof want, "%s:5: error: system.workers must be between 1 and 65536 (got 0)", path);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs, want));
    free(out), free(errs);
    remove(path);
    rmdir(dir);
}

/* ---- mode single changes nothing ---------------------------------------------- */

/* Estimate cfg and write it in fmt into a malloc'ed string. */
static char *estimate_text(const snnex_config *cfg, const char *fmt)
{
    snnex_result *r = malloc(sizeof *r);
    snnex_err err;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!r || !f || snnex_estimate(cfg, NULL, r, &err) != SNNEX_OK ||
        snnex_result_write(cfg, r, fmt, f, &err) != SNNEX_OK)
        CU_FAIL("estimate");
    if (f)
        fclose(f);
    free(r);
    return buf;
}

static void test_single_unchanged(void)
{
    /* every shipped single-chip config, loaded as it is and through a file
     * that includes it and adds an explicit single system group (with link
     * keys that single ignores): table, CSV and JSON byte for byte, once
     * the path is the same. (The README reports the same comparison
     * against the binary built before the system group existed.) */
    static const char *const cfgs[] = {"seed20", "vgg_cifar10", "fmnist_fc", "fmnist_conv", "fmnist_conv_lif_first"};
    static const char *const fmts[] = {"table", "csv", "json"};
    for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        snnex_config *a = malloc(sizeof *a), *b = malloc(sizeof *b);
        snnex_err err;
        char path[64], text[256];
        snprintf(path, sizeof path, "configs/%s.cfg", cfgs[i]);
        snprintf(text, sizeof text,
                 "@include \"%s.cfg\"\nsystem = { mode = \"single\"; workers = 1; link = \"BLE\"; overlap = true; };\n",
                 cfgs[i]);
        CU_ASSERT_EQUAL_FATAL(snnex_config_load(path, a, &err), SNNEX_OK);
        CU_ASSERT_EQUAL_FATAL(snnex_config_load_string(text, "configs/with_single.cfg", b, &err), SNNEX_OK);
        snprintf(b->path, sizeof b->path, "%s", a->path);
        for (int k = 0; k < 3; k++) {
            char *ta = estimate_text(a, fmts[k]), *tb = estimate_text(b, fmts[k]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
            CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
            if (strcmp(ta, tb))
                fprintf(stderr, "\n  %s %s differs\n", cfgs[i], fmts[k]);
            CU_ASSERT_STRING_EQUAL(ta, tb);
            /* no round metric in a single chip's output */
            CU_ASSERT_PTR_NULL(strstr(ta, "per_round"));
            CU_ASSERT_PTR_NULL(strstr(ta, "comm_share"));
            free(ta), free(tb);
        }
        free(a), free(b);
    }
}

/* ---- the shipped federated config and its sweep -------------------------------- */

static void test_federated_config_and_sweep(void)
{
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(snnex_config_load("configs/seed20_federated.cfg", cfg, &err), SNNEX_OK);
    CU_ASSERT_EQUAL(cfg->system.mode, SNNEX_SYS_FEDERATED);
    CU_ASSERT_EQUAL(cfg->system.workers, 5);
    CU_ASSERT_EQUAL(cfg->chip.cores, 20);
    char *json = estimate_text(cfg, "json");
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"system\": {\"mode\": \"federated\", \"workers\": 5"));
    /* FC 784-800-10: 635 200 weights × (16 + 16) bits × 5 workers */
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"bits_per_round\": 101632000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"comm_share\": "));
    free(json);
    char *csv = estimate_text(cfg, "csv"), *table = estimate_text(cfg, "table");
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nenergy_per_round_J,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\ncomm_share,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(table, "system        federated, 5 workers, link WiFi"));
    CU_ASSERT_PTR_NOT_NULL(strstr(table, "link bits   102 Mbit per round, 20.3 Mbit per worker"));
    free(csv), free(table);
    free(cfg);

    /* the sweep: axes over system keys, a string-valued one among them,
     * through the generic config table; round metrics as objectives */
    char dir[] = "/tmp/snnex_sysswXXXXXX", args[256], path[128];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(args, sizeof args, "sweep configs/seed20_federated_sweep.cfg -o %s/out", dir);
    char *out, *errs;
    CU_ASSERT_EQUAL(test_run_snnex(args, &out, &errs), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "240 points (grid), 240 feasible"));
    free(out), free(errs);
    snprintf(path, sizeof path, "%s/out/points.csv", dir);
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[4096];
    int rows = 0, ble = 0;
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "index,system.workers,system.local_batches,system.link,system.update_bits,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(line, ",energy_per_round_J,latency_per_round_s,comm_share,"));
    while (fgets(line, sizeof line, f)) {
        rows++;
        ble += strstr(line, ",BLE,") != NULL;
    }
    fclose(f);
    CU_ASSERT_EQUAL(rows, 240);
    CU_ASSERT_EQUAL(ble, 40); /* 4 worker counts × 5 round lengths × 2 update widths */
    snprintf(args, sizeof args, "rm -rf %s", dir);
    CU_ASSERT_EQUAL(system(args), 0);
}

int main(void)
{
    CU_initialize_registry();
    CU_pSuite s = CU_add_suite("system", NULL, NULL);
    CU_add_test(s, "FedAvg bits per round (hand-calculated)", test_fedavg_bits);
    CU_add_test(s, "ring and aggregator all-reduce bits (hand-calculated)", test_ring_bits);
    CU_add_test(s, "link table: rows, time and energy", test_link_table);
    CU_add_test(s, "one round by hand: federated, overlap, shared medium, ring, single", test_round_by_hand);
    CU_add_test(s, "config errors name FILE:LINE and the fix", test_config_errors);
    CU_add_test(s, "mode single: outputs byte-identical to no system group", test_single_unchanged);
    CU_add_test(s, "seed20_federated.cfg and its sweep", test_federated_config_and_sweep);
    return test_finish();
}
