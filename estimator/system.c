/* system — one round of multi-chip training from one chip's batch
 * estimate: the workers' local batches, the exchange over the links
 * (models/system.c counts it, memtech/link.c prices it), the aggregation
 * arithmetic and the workers' leakage while they wait. README "Several
 * chips" says what is and is not modelled. */
#include "estimator/estimator.h"
#include "memtech/memtech.h"
#include "models/models.h"

#include <math.h>
#include <strings.h>

/* Add and multiply energy at a value width: FP16 or FP32 figures of
 * memtech, linear in width otherwise (as the estimate prices its ops). */
static void op_energy(int bits, double node_nm, double vdd_V, double *add_J, double *mul_J)
{
    memtech_op a = bits >= 32 ? MEMTECH_OP_FP32_ADD : MEMTECH_OP_FP16_ADD;
    memtech_op m = bits >= 32 ? MEMTECH_OP_FP32_MUL : MEMTECH_OP_FP16_MUL;
    double w = bits >= 32 ? bits / 32.0 : bits / 16.0;
    *add_J = memtech_logic_energy_J(a, node_nm, vdd_V) * w;
    *mul_J = memtech_logic_energy_J(m, node_nm, vdd_V) * w;
}

/* The link of cfg: a table row with the config's overrides, or the
 * config's own figures for "custom". */
static snnex_status resolve_link(const snnex_config *cfg, memtech_link *l, snnex_err *err)
{
    const snnex_system *sy = &cfg->system;
    if (strcasecmp(sy->link, "custom") == 0) {
        *l = (memtech_link){"custom", 0, 0, 0, "config", 0};
    } else {
        const memtech_link *t = memtech_link_find(sy->link);
        if (!t)
            return snnex_err_set(err, SNNEX_EINVAL, cfg->path, 0,
                                 "system.link: unknown link \"%s\"; see snnex help config", sy->link);
        *l = *t;
    }
    if (sy->link_energy_J_per_bit > 0)
        l->energy_J_per_bit = sy->link_energy_J_per_bit;
    if (sy->link_bandwidth_bps > 0)
        l->bandwidth_bps = sy->link_bandwidth_bps;
    if (sy->link_latency_s > 0)
        l->latency_s = sy->link_latency_s;
    if (sy->link_shared)
        l->shared = sy->link_shared > 0;
    if (!(l->energy_J_per_bit > 0) || !(l->bandwidth_bps > 0))
        return snnex_err_set(err, SNNEX_EINVAL, cfg->path, 0,
                             "system.link = \"custom\" needs link_energy_pJ_per_bit and link_bandwidth_Gbps above 0");
    return SNNEX_OK;
}

snnex_status snnex_system_round(const snnex_config *cfg, snnex_result *res, snnex_err *err)
{
    const snnex_system *sy = &cfg->system;
    const double batch = cfg->train.batch;
    if (sy->mode == SNNEX_SYS_SINGLE) {
        res->energy_per_round_J = res->energy_total_J;
        res->latency_per_round_s = res->latency_s;
        res->comm_share = 0;
        res->sys_samples_per_round = batch;
        res->sys_compute_energy_J = res->energy_total_J;
        res->sys_compute_s = res->latency_s;
        return SNNEX_OK;
    }
    memtech_link link;
    snnex_status st = resolve_link(cfg, &link, err);
    if (st)
        return st;
    const int n = sy->workers;
    const int fed = sy->mode == SNNEX_SYS_FEDERATED;
    const double local = fed && sy->local_batches > 0 ? sy->local_batches : 1;
    double weights = 0;
    for (int l = 0; l < cfg->net.n_layers; l++)
        weights += (double)cfg->net.layers[l].weights;

    /* counts */
    models_exchange x;
    int bits, on_chip;
    if (fed) {
        bits = cfg->train.weight_bits;
        models_fedavg(weights, bits, sy->update_bits, n, sy->aggregator == SNNEX_AGG_WORKER, &x);
        on_chip = sy->aggregator == SNNEX_AGG_WORKER;
    } else {
        bits = cfg->train.grad_bits;
        if (sy->allreduce == SNNEX_ALLREDUCE_RING) {
            models_ring_allreduce(weights, bits, n, &x);
            on_chip = 1;
        } else {
            models_star_exchange(weights, bits, bits, n, sy->aggregator == SNNEX_AGG_WORKER, &x);
            on_chip = sy->aggregator == SNNEX_AGG_WORKER;
        }
    }

    /* prices: the aggregation runs on a worker chip (its node and supply,
     * its optimizer lanes) or on the host, priced at Horowitz's 45 nm /
     * 0.9 V FP32 op energies, arithmetic only; its time on the host is not
     * modelled. On a chip every core's optimizer lanes share the values. */
    double add_J, mul_J;
    if (on_chip)
        op_energy(bits, cfg->chip.node_nm, cfg->chip.vdd_V, &add_J, &mul_J);
    else
        op_energy(32, 45.0, 0.9, &add_J, &mul_J);
    double agg_J = x.adds * add_J + x.muls * mul_J;
    double agg_s = on_chip ? (x.adds_busiest + x.muls_busiest) /
                                 ((double)cfg->chip.cores * cfg->chip.opt_lanes * cfg->chip.clock_Hz)
                           : 0;
    double comm_J = memtech_link_energy_J(&link, x.bits_total);
    /* one shared medium carries every transfer in turn; otherwise the
     * busiest link sets the time */
    double comm_s = !(x.bits_total > 0) ? 0
                    : link.shared     ? memtech_link_time_s(&link, x.bits_total, x.transfers_total)
                                      : memtech_link_time_s(&link, x.bits_busiest_link, x.transfers);

    /* the round */
    double compute_s = local * res->latency_s;
    double round_s = (sy->overlap ? fmax(compute_s, comm_s) : compute_s + comm_s) + agg_s;
    double leak_J = 0;
    for (int l = 0; l < res->n_layers; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++)
            leak_J += res->energy_J[l][e][SNNEX_COMP_LEAKAGE];
    double leak_W = res->latency_s > 0 ? leak_J / res->latency_s : 0;
    double idle_J = sy->idle_power_gated ? 0 : n * leak_W * (round_s - compute_s);
    double compute_J = n * local * res->energy_total_J;

    res->sys_samples_per_round = n * local * batch;
    res->sys_compute_energy_J = compute_J;
    res->sys_comm_energy_J = comm_J;
    res->sys_agg_energy_J = agg_J;
    res->sys_idle_energy_J = idle_J;
    res->sys_compute_s = compute_s;
    res->sys_comm_s = comm_s;
    res->sys_agg_s = agg_s;
    res->sys_bits_per_round = x.bits_total;
    res->sys_bits_per_worker = x.bits_per_worker;
    res->sys_link_energy_J_per_bit = link.energy_J_per_bit;
    res->sys_link_bandwidth_bps = link.bandwidth_bps;
    res->sys_link_latency_s = link.latency_s;
    res->sys_link_shared = link.shared;
    res->energy_per_round_J = compute_J + comm_J + agg_J + idle_J;
    res->latency_per_round_s = round_s;
    res->comm_share = res->energy_per_round_J > 0 ? comm_J / res->energy_per_round_J : 0;
    res->energy_per_sample_J = res->energy_per_round_J / res->sys_samples_per_round;
    return SNNEX_OK;
}
