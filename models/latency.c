/* models — the cycles of the busiest core for one batch: the engines'
 * (summed, or the slowest pipeline stage plus the fill) and the memories'
 * (bits over port width x banks). The estimator turns them into latency. */
#include "models/models_internal.h"

void models_latency_cycles(const snnex_config *cfg, snnex_counts counts[][SNNEX_N_ENG], models_chip *ch,
                           double stage_max, double cyc_fp, double cyc_bp, double cyc_wg, double cyc_opt)
{
    const snnex_network *net = &cfg->net;
    const snnex_chip *chip = &cfg->chip;
    const int nl = net->n_layers;
    const double B = cfg->train.batch, P = chip->cores;
    const double gbits = ch->gb_bits;
    if (cfg->map.multicore == SNNEX_MC_PIPELINE) {
        /* stages overlap over samples: the batch takes the slowest stage's
         * time plus the fill of the others */
        int stages = 0;
        for (int l = 0; l < nl; l++)
            stages += net->layers[l].weights > 0;
        double fill = (stages - 1.0) / fmax(1, B);
        ch->cycles_fp = stage_max * (1 + fill);
        ch->cycles_bp = ch->cycles_wg = ch->cycles_opt = 0;
    } else {
        ch->cycles_fp = cyc_fp, ch->cycles_bp = cyc_bp, ch->cycles_wg = cyc_wg, ch->cycles_opt = cyc_opt;
    }
    /* memory cycles of the busiest core: its share of core-memory bits over
     * the memory's port width × banks */
    double mem_cyc = 0;
    double per_core = cfg->map.multicore == SNNEX_MC_PIPELINE ? 1.0 / fmax(1, P / (double)nl) / P * nl : 1.0 / P;
    for (int m = 0; m < SNNEX_N_CMEM; m++) {
        double bits = 0;
        for (int l = 0; l < nl; l++)
            for (int e = 0; e < SNNEX_N_ENG; e++)
                bits += counts[l][e].mem_rd_bits[m] + counts[l][e].mem_wr_bits[m];
        double port = (double)chip->core_mem[m].width_bits * chip->core_mem[m].banks;
        mem_cyc = fmax(mem_cyc, bits * per_core / port);
    }
    mem_cyc = fmax(mem_cyc, gbits / ((double)chip->global_buf.width_bits * chip->global_buf.banks));
    ch->mem_cycles = mem_cyc;
}
