/* result — writing an estimate as a human table, CSV or JSON. JSON keys
 * are stable (README "JSON output"); names carry their unit. */
#include "estimator/estimator.h"

#include <math.h>
#include <string.h>

static const char *const eng_names[SNNEX_N_ENG] = {"fp", "bp", "wg", "opt"};
static const char *const comp_names[SNNEX_N_COMP] = {"compute", "weight_mem", "membrane_mem", "spike_mem",
                                                      "grad_mem", "global_buf", "dram", "noc", "clock", "control",
                                                      "mem_leakage", "logic_leakage"};
static const char *const mem_names[SNNEX_N_CMEM + 2] = {"weight", "membrane", "spike", "gradient", "global_buf",
                                                         "dram"};

static const char *const sys_mode_names[] = {"single", "data_parallel", "federated"};

/* The round metrics mean nothing more than energy_J and latency_s for one
 * chip: mode single leaves them out, so its output stays as it was before
 * the system group existed. */
static int hidden_metric(const snnex_config *cfg, const char *name)
{
    return cfg->system.mode == SNNEX_SYS_SINGLE &&
           (!strcmp(name, "energy_per_round_J") || !strcmp(name, "latency_per_round_s") ||
            !strcmp(name, "comm_share"));
}

/* JSON number: finite doubles with 9 significant digits, else null. */
static void jnum(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.9g", v);
    else
        fputs("null", f);
}

static void json_counts(FILE *f, const snnex_counts *c, const double *E, const char *ind)
{
    fprintf(f, "{\n%s  \"acc_ops\": ", ind), jnum(f, c->acc);
    fprintf(f, ",\n%s  \"mac_ops\": ", ind), jnum(f, c->mac);
    fprintf(f, ",\n%s  \"mul_ops\": ", ind), jnum(f, c->mul);
    fprintf(f, ",\n%s  \"add_ops\": ", ind), jnum(f, c->add);
    fprintf(f, ",\n%s  \"cmp_ops\": ", ind), jnum(f, c->cmp);
    fprintf(f, ",\n%s  \"neuron_updates\": ", ind), jnum(f, c->neuron);
    fprintf(f, ",\n%s  \"dense_equiv_ops\": ", ind), jnum(f, c->dense_equiv);
    fprintf(f, ",\n%s  \"flops\": ", ind), jnum(f, c->flops);
    fprintf(f, ",\n%s  \"flops_dense\": ", ind), jnum(f, c->flops_dense);
    fprintf(f, ",\n%s  \"mem_read_bits\": {", ind);
    for (int m = 0; m < SNNEX_N_CMEM + 2; m++)
        fprintf(f, "%s\"%s\": ", m ? ", " : "", mem_names[m]), jnum(f, c->mem_rd_bits[m]);
    fprintf(f, "},\n%s  \"mem_write_bits\": {", ind);
    for (int m = 0; m < SNNEX_N_CMEM + 2; m++)
        fprintf(f, "%s\"%s\": ", m ? ", " : "", mem_names[m]), jnum(f, c->mem_wr_bits[m]);
    fprintf(f, "},\n%s  \"noc_bit_hops\": ", ind), jnum(f, c->noc_bit_hops);
    if (E) {
        double tot = 0;
        fprintf(f, ",\n%s  \"energy_J\": {", ind);
        for (int k = 0; k < SNNEX_N_COMP; k++) {
            fprintf(f, "\"%s\": ", comp_names[k]), jnum(f, E[k]), fputs(", ", f);
            tot += E[k];
        }
        fputs("\"total\": ", f), jnum(f, tot), fputs("}", f);
    }
    fprintf(f, "\n%s}", ind);
}

/* "system": the system group and one round, itemised (numbers null for an
 * infeasible design). */
static void json_system(const snnex_config *cfg, const snnex_result *r, FILE *f)
{
    const snnex_system *sy = &cfg->system;
    int fed = sy->mode == SNNEX_SYS_FEDERATED;
    fprintf(f, "  \"system\": {\"mode\": \"%s\", \"workers\": %d, \"link\": \"%s\", ", sys_mode_names[sy->mode],
            sy->workers, sy->link);
    if (fed)
        fprintf(f, "\"local_batches\": %d, \"update_bits\": %d, ", sy->local_batches > 0 ? sy->local_batches : 1,
                sy->update_bits > 0 ? sy->update_bits : cfg->train.weight_bits);
    else
        fprintf(f, "\"allreduce\": \"%s\", ", sy->allreduce == SNNEX_ALLREDUCE_RING ? "ring" : "aggregator");
    if (fed || sy->allreduce == SNNEX_ALLREDUCE_AGGREGATOR)
        fprintf(f, "\"aggregator\": \"%s\", ", sy->aggregator == SNNEX_AGG_WORKER ? "worker" : "host");
    fprintf(f, "\"overlap\": %s, \"link_shared\": %s, \"idle_power_gated\": %s,\n", sy->overlap ? "true" : "false",
            r->sys_link_shared ? "true" : "false", sy->idle_power_gated ? "true" : "false");
    const double *v[] = {&r->sys_link_energy_J_per_bit, &r->sys_link_bandwidth_bps, &r->sys_link_latency_s,
                         &r->sys_samples_per_round, &r->sys_bits_per_round, &r->sys_bits_per_worker};
    const char *k[] = {"link_energy_J_per_bit", "link_bandwidth_bps", "link_latency_s", "samples_per_round",
                       "bits_per_round", "bits_per_worker"};
    fputs("             ", f);
    for (int i = 0; i < 6; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", k[i]);
        r->feasible ? jnum(f, *v[i]) : (void)fputs("null", f);
    }
    const double e[] = {r->sys_compute_energy_J, r->sys_comm_energy_J, r->sys_agg_energy_J, r->sys_idle_energy_J,
                        r->energy_per_round_J};
    const double t[] = {r->sys_compute_s, r->sys_comm_s, r->sys_agg_s, r->latency_per_round_s};
    const char *ek[] = {"compute", "link", "aggregation", "idle_leakage", "total"};
    fputs(",\n             \"round_energy_J\": {", f);
    for (int i = 0; i < 5; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", ek[i]);
        r->feasible ? jnum(f, e[i]) : (void)fputs("null", f);
    }
    fputs("},\n             \"round_time_s\": {", f);
    for (int i = 0; i < 4; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", i == 3 ? "total" : ek[i]);
        r->feasible ? jnum(f, t[i]) : (void)fputs("null", f);
    }
    fputs("}},\n", f);
}

static void write_json(const snnex_config *cfg, const snnex_result *r, FILE *f)
{
    const snnex_chip *ch = &cfg->chip;
    fprintf(f, "{\n  \"config\": {\"path\": \"%s\", \"node_nm\": %g, \"vdd_V\": %g, \"clock_Hz\": %g, "
               "\"cores\": %d, \"mesh\": [%d, %d], \"dram\": \"%s\", \"multicore\": \"%s\", "
               "\"stationarity\": \"%s\", \"loop_order\": \"%s\", \"T\": %d, \"batch\": %d, "
               "\"optimizer\": \"%s\", \"sparsity_source\": \"%s\"},\n",
            cfg->path, ch->node_nm, ch->vdd_V, ch->clock_Hz, ch->cores, ch->mesh_x, ch->mesh_y, ch->dram,
            snnex_multicore_name(cfg->map.multicore), snnex_stationarity_name(cfg->map.stationarity),
            snnex_loop_order_name(cfg->map.loop_order), cfg->train.T, cfg->train.batch,
            snnex_optimizer_name(cfg->train.optimizer), r->tile_source);
    if (cfg->system.mode != SNNEX_SYS_SINGLE)
        json_system(cfg, r, f);
    fprintf(f, "  \"feasible\": %s,\n  \"reason\": \"%s\",\n  \"layers\": [", r->feasible ? "true" : "false",
            r->reason);
    snnex_counts tot[SNNEX_N_ENG];
    double Etot[SNNEX_N_ENG][SNNEX_N_COMP];
    memset(tot, 0, sizeof tot);
    memset(Etot, 0, sizeof Etot);
    for (int l = 0; l < r->n_layers; l++) {
        const snnex_layer *L = &cfg->net.layers[l];
        fprintf(f, "%s\n    {\"name\": \"%s\", \"type\": \"%s\", \"in_shape\": [%d, %d, %d], "
                   "\"out_shape\": [%d, %d, %d], \"weights\": %ld, \"synapses_per_sample\": %ld,\n     \"engines\": {",
                l ? "," : "", L->name, snnex_layer_type_name(L->type), L->in_c, L->in_h, L->in_w, L->out_c,
                L->out_h, L->out_w, L->weights, L->synapses);
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            fprintf(f, "%s\n      \"%s\": ", e ? "," : "", eng_names[e]);
            json_counts(f, &r->counts[l][e], r->feasible ? r->energy_J[l][e] : NULL, "      ");
            const snnex_counts *c = &r->counts[l][e];
            snnex_counts *t = &tot[e];
            t->acc += c->acc, t->mac += c->mac, t->mul += c->mul, t->add += c->add, t->cmp += c->cmp;
            t->neuron += c->neuron, t->dense_equiv += c->dense_equiv, t->flops += c->flops;
            t->flops_dense += c->flops_dense, t->noc_bit_hops += c->noc_bit_hops;
            for (int m = 0; m < SNNEX_N_CMEM + 2; m++)
                t->mem_rd_bits[m] += c->mem_rd_bits[m], t->mem_wr_bits[m] += c->mem_wr_bits[m];
            for (int k = 0; k < SNNEX_N_COMP; k++)
                Etot[e][k] += r->energy_J[l][e][k];
        }
        fprintf(f, "}}");
    }
    fprintf(f, "\n  ],\n  \"totals\": {");
    for (int e = 0; e < SNNEX_N_ENG; e++) {
        fprintf(f, "%s\n    \"%s\": ", e ? "," : "", eng_names[e]);
        json_counts(f, &tot[e], r->feasible ? Etot[e] : NULL, "    ");
    }
    fprintf(f, ",\n    \"area_m2\": {");
    for (int k = 0; k < SNNEX_N_COMP; k++)
        fprintf(f, "\"%s\": ", comp_names[k]), jnum(f, r->area_m2[k]), fputs(", ", f);
    fputs("\"chip_overhead\": ", f), jnum(f, r->area_io_m2), fputs(", ", f);
    fputs("\"total\": ", f), jnum(f, r->area_total_m2), fputs("}\n  },\n  \"metrics\": {", f);
    for (int i = 0; snnex_metric_names[i]; i++) {
        double v = 0;
        if (hidden_metric(cfg, snnex_metric_names[i]))
            continue;
        snnex_result_metric(r, snnex_metric_names[i], &v);
        fprintf(f, "%s\n    \"%s\": ", i ? "," : "", snnex_metric_names[i]);
        if (!r->feasible && strcmp(snnex_metric_names[i], "area_m2") != 0)
            fputs("null", f);
        else
            jnum(f, v);
    }
    fprintf(f, ",\n    \"flops\": "), jnum(f, r->flops);
    fprintf(f, ",\n    \"flops_dense\": "), jnum(f, r->flops_dense);
    fprintf(f, ",\n    \"sops\": "), jnum(f, r->sops);
    fprintf(f, ",\n    \"latency_bound\": \"%s\"", r->bound);
    fprintf(f, ",\n    \"latency_bounds_s\": {\"compute\": "), jnum(f, r->t_compute_s);
    fprintf(f, ", \"memory\": "), jnum(f, r->t_mem_s);
    fprintf(f, ", \"dram\": "), jnum(f, r->t_dram_s);
    fprintf(f, ", \"noc\": "), jnum(f, r->t_noc_s);
    fprintf(f, ", \"realtime\": "), jnum(f, r->t_realtime_s);
    fprintf(f, ", \"work\": "), jnum(f, r->t_work_s);
    fprintf(f, "}\n  }\n}\n");
}

static void write_csv(const snnex_config *cfg, const snnex_result *r, FILE *f)
{
    fprintf(f, "layer,type,engine,acc_ops,mac_ops,mul_ops,add_ops,cmp_ops,neuron_updates,dense_equiv_ops,flops,flops_dense");
    for (int k = 0; k < SNNEX_N_COMP; k++)
        fprintf(f, ",%s_J", comp_names[k]);
    fprintf(f, ",total_J\n");
    for (int l = 0; l < r->n_layers; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            const snnex_counts *c = &r->counts[l][e];
            double tot = 0;
            fprintf(f, "%s,%s,%s,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g", cfg->net.layers[l].name,
                    snnex_layer_type_name(cfg->net.layers[l].type), eng_names[e], c->acc, c->mac, c->mul, c->add,
                    c->cmp, c->neuron, c->dense_equiv, c->flops, c->flops_dense);
            for (int k = 0; k < SNNEX_N_COMP; k++) {
                fprintf(f, ",%.9g", r->energy_J[l][e][k]);
                tot += r->energy_J[l][e][k];
            }
            fprintf(f, ",%.9g\n", tot);
        }
    fprintf(f, "\nmetric,value\nfeasible,%s\nreason,\"%s\"\n", r->feasible ? "yes" : "no", r->reason);
    for (int i = 0; snnex_metric_names[i]; i++) {
        double v;
        if (hidden_metric(cfg, snnex_metric_names[i]))
            continue;
        snnex_result_metric(r, snnex_metric_names[i], &v);
        fprintf(f, "%s,%.9g\n", snnex_metric_names[i], v);
    }
    fprintf(f, "latency_bound,%s\n", r->bound);
}

/* Engineering formatting for the table: value in unit with SI prefix. */
static const char *eng(double v, const char *unit, char *buf, size_t n)
{
    static const char *pfx[] = {"p", "n", "u", "m", "", "k", "M", "G", "T"};
    if (v == 0 || !isfinite(v)) {
        snprintf(buf, n, "0 %s", unit);
        return buf;
    }
    int e = (int)floor(log10(fabs(v)) / 3);
    if (e < -4) e = -4;
    if (e > 4) e = 4;
    snprintf(buf, n, "%.3g %s%s", v / pow(1000, e), pfx[e + 4], unit);
    return buf;
}

/* The round of a multi-chip system, below the per-batch figures of one
 * chip. */
static void table_system(const snnex_config *cfg, const snnex_result *r, FILE *f)
{
    const snnex_system *sy = &cfg->system;
    char b1[32], b2[32], b3[32], b4[32];
    int fed = sy->mode == SNNEX_SYS_FEDERATED;
    fprintf(f, "\nsystem        %s, %d workers, link %s (%.4g pJ/bit, %s/s, %s per transfer%s)",
            sys_mode_names[sy->mode], sy->workers, sy->link, r->sys_link_energy_J_per_bit * 1e12,
            eng(r->sys_link_bandwidth_bps, "bit", b1, sizeof b1), eng(r->sys_link_latency_s, "s", b2, sizeof b2),
            r->sys_link_shared ? ", one shared medium" : "");
    if (fed)
        fprintf(f, ", %d local batches per round, update at %d bits, aggregator %s",
                sy->local_batches > 0 ? sy->local_batches : 1,
                sy->update_bits > 0 ? sy->update_bits : cfg->train.weight_bits,
                sy->aggregator == SNNEX_AGG_WORKER ? "worker" : "host");
    else if (sy->allreduce == SNNEX_ALLREDUCE_RING)
        fprintf(f, ", ring all-reduce");
    else
        fprintf(f, ", all-reduce through the %s", sy->aggregator == SNNEX_AGG_WORKER ? "aggregating worker" : "host");
    fprintf(f, "%s%s\n", sy->overlap ? ", communication overlapped" : "",
            sy->idle_power_gated ? ", idle workers power-gated" : "");
    fprintf(f, "round         %s, %s (%.0f samples: %s per sample); link %.1f %% of the energy\n",
            eng(r->energy_per_round_J, "J", b1, sizeof b1), eng(r->latency_per_round_s, "s", b2, sizeof b2),
            r->sys_samples_per_round, eng(r->energy_per_sample_J, "J", b3, sizeof b3), r->comm_share * 100);
    fprintf(f, "  energy      training %s, link %s, aggregation %s, idle leakage %s\n",
            eng(r->sys_compute_energy_J, "J", b1, sizeof b1), eng(r->sys_comm_energy_J, "J", b2, sizeof b2),
            eng(r->sys_agg_energy_J, "J", b3, sizeof b3), eng(r->sys_idle_energy_J, "J", b4, sizeof b4));
    fprintf(f, "  time        training %s, link %s, aggregation %s\n", eng(r->sys_compute_s, "s", b1, sizeof b1),
            eng(r->sys_comm_s, "s", b2, sizeof b2), eng(r->sys_agg_s, "s", b3, sizeof b3));
    fprintf(f, "  link bits   %s per round, %s per worker\n", eng(r->sys_bits_per_round, "bit", b1, sizeof b1),
            eng(r->sys_bits_per_worker, "bit", b2, sizeof b2));
}

static void write_table(const snnex_config *cfg, const snnex_result *r, FILE *f)
{
    const snnex_chip *ch = &cfg->chip;
    char b1[32], b2[32], b3[32];
    fprintf(f, "snnex estimate: %s\n", cfg->path);
    fprintf(f, "chip: %g nm, %.2f V, %g MHz, %d cores (%dx%d mesh), DRAM %s; mapping %s, %s-stationary, %s\n",
            ch->node_nm, ch->vdd_V, ch->clock_Hz / 1e6, ch->cores, ch->mesh_x, ch->mesh_y, ch->dram,
            snnex_multicore_name(cfg->map.multicore), snnex_stationarity_name(cfg->map.stationarity),
            snnex_loop_order_name(cfg->map.loop_order));
    fprintf(f, "training: T=%d, batch %d, %s; sparsity from %s\n\n", cfg->train.T, cfg->train.batch,
            snnex_optimizer_name(cfg->train.optimizer), r->tile_source);
    if (!r->feasible) {
        fprintf(f, "INFEASIBLE: %s\narea: %.3f mm2 (chip), %.4f mm2 per core\n", r->reason, r->area_total_m2 * 1e6,
                r->area_core_m2 * 1e6);
        return;
    }
    fprintf(f, "Energy per batch by layer x engine (uJ):\n");
    fprintf(f, "%-10s %-4s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %10s %11s\n", "layer", "eng",
            "compute", "weight", "membrane", "spike", "grad", "glob.buf", "dram", "noc", "clock", "control", "mem.leak",
            "logic.leak", "total");
    double col[SNNEX_N_COMP + 1] = {0};
    for (int l = 0; l < r->n_layers; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            double tot = 0;
            for (int k = 0; k < SNNEX_N_COMP; k++)
                tot += r->energy_J[l][e][k];
            if (tot == 0)
                continue;
            fprintf(f, "%-10s %-4s", cfg->net.layers[l].name, eng_names[e]);
            for (int k = 0; k < SNNEX_N_COMP; k++) {
                fprintf(f, " %10.3f", r->energy_J[l][e][k] * 1e6);
                col[k] += r->energy_J[l][e][k];
            }
            fprintf(f, " %11.3f\n", tot * 1e6);
            col[SNNEX_N_COMP] += tot;
        }
    fprintf(f, "%-15s", "total");
    for (int k = 0; k <= SNNEX_N_COMP; k++)
        fprintf(f, " %10.3f", col[k] * 1e6);
    fprintf(f, "\n\n");
    fprintf(f, "energy        %s per batch, %s per sample (on chip %s)\n", eng(r->energy_total_J, "J", b1, sizeof b1),
            eng(r->energy_per_sample_J, "J", b2, sizeof b2), eng(r->energy_onchip_J, "J", b3, sizeof b3));
    fprintf(f, "latency       %s per batch (bound: %s)\n", eng(r->latency_s, "s", b1, sizeof b1), r->bound);
    if (r->t_realtime_s > 0) {
        if (r->t_work_s <= r->t_realtime_s)
            fprintf(f, "real time     %s of ticks per batch, the chip busy %s of it (%.3g %%)\n",
                    eng(r->t_realtime_s, "s", b1, sizeof b1), eng(r->t_work_s, "s", b2, sizeof b2),
                    100.0 * r->t_work_s / r->t_realtime_s);
        else
            fprintf(f, "real time     NOT KEPT: the work takes %s per batch, its ticks %s (%.3gx too slow); "
                       "raise clock_MHz or lanes, or lengthen training.timestep_us\n",
                    eng(r->t_work_s, "s", b1, sizeof b1), eng(r->t_realtime_s, "s", b2, sizeof b2),
                    r->t_work_s / r->t_realtime_s);
    }
    fprintf(f, "power         %s\n", eng(r->power_W, "W", b1, sizeof b1));
    fprintf(f, "area          %.3f mm2 chip (%.4f mm2 per core, %.3f mm2 I/O and pads)\n", r->area_total_m2 * 1e6,
            r->area_core_m2 * 1e6, r->area_io_m2 * 1e6);
    fprintf(f, "efficiency    %.3f TFLOPS/W effective, %.3f TFLOPS/W dense-equivalent (on-chip energy); "
               "%.3f TFLOPS/W with DRAM; %.3f TFLOPS/W dynamic only\n",
            r->tflops_per_w_effective, r->tflops_per_w_dense, r->tflops_per_w_system, r->tflops_per_w_dynamic);
    fprintf(f, "synaptic ops  %s, %.3f pJ/SOP (FP engine, on chip), %.3f pJ/SOP without leakage\n",
            eng(r->sops, "SOP", b1, sizeof b1), r->pj_per_sop, r->pj_per_sop_dynamic);
    fprintf(f, "DRAM          %s per batch; GPU baseline (%s) %s; reduction %.1f %%\n",
            eng(r->dram_bytes, "B", b1, sizeof b1), cfg->gpu.name, eng(r->gpu_dram_bytes, "B", b2, sizeof b2),
            r->dram_reduction_vs_gpu_pct);
    if (cfg->system.mode != SNNEX_SYS_SINGLE)
        table_system(cfg, r, f);
}

snnex_status snnex_result_write(const snnex_config *cfg, const snnex_result *res, const char *format, FILE *f,
                                snnex_err *err)
{
    if (!format || strcmp(format, "table") == 0)
        write_table(cfg, res, f);
    else if (strcmp(format, "json") == 0)
        write_json(cfg, res, f);
    else if (strcmp(format, "csv") == 0)
        write_csv(cfg, res, f);
    else
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "--format must be table, csv or json (got %s)", format);
    return SNNEX_OK;
}
