/* models — how a mapping places the layers on the cores: over how many
 * cores, which share of the batch and of the neurons each core takes. */
#include "models/models_internal.h"

/* ---- placement ------------------------------------------------------------ */

void models_place(const snnex_config *cfg, models_placement *pl)
{
    const snnex_network *net = &cfg->net;
    int P = cfg->chip.cores, B = cfg->train.batch, nw = 0;
    for (int l = 0; l < net->n_layers; l++)
        nw += net->layers[l].weights > 0;
    for (int l = 0; l < net->n_layers; l++) {
        models_placement *p = &pl[l];
        p->cores = P;
        p->layers_per_core = nw;
        switch (cfg->map.multicore) {
        case SNNEX_MC_DATA_PARALLEL:
            /* the busiest core takes ceil(B/P) samples */
            p->batch_share = (double)((B + P - 1) / P) / B;
            p->split = 1;
            break;
        case SNNEX_MC_OUTPUT_SPLIT:
            p->batch_share = 1;
            p->split = 1.0 / P;
            break;
        case SNNEX_MC_PIPELINE:
            p->batch_share = 1;
            p->split = 1;
            p->cores = 1;
            p->layers_per_core = (nw + P - 1) / P;
            break;
        }
    }
    if (cfg->map.multicore != SNNEX_MC_PIPELINE || nw >= P)
        return;
    /* Pipeline with more cores than weight layers: first the cores a
     * layer needs so that one sample's neuron state (membrane words and,
     * when training, the two δU buffers) fits in its cores' memories, then
     * the rest in proportion to each layer's synapses, recurrent ones
     * included (largest remainder).
     * When the minimums do not fit in P cores, each layer gets one core
     * plus its synapse share, and the counts report what does not fit. */
    const snnex_chip *chip = &cfg->chip;
    const double nb = neuron_word_bits(cfg);
    const double capm = chip->core_mem[SNNEX_CMEM_MEMBRANE].capacity_bytes * 8;
    const double capg = chip->core_mem[SNNEX_CMEM_GRAD].capacity_bytes * 8;
    const int train = cfg->train.mode == SNNEX_MODE_TRAIN;
    int need[SNNEX_MAX_LAYERS] = {0}, need_sum = 0;
    for (int l = 0; l < net->n_layers; l++) {
        const snnex_layer *L = &net->layers[l];
        if (L->weights <= 0)
            continue;
        double m = 1, nn = lif_neurons(net, l);
        /* the state of the neurons it feeds (cubalif: two words) */
        const snnex_layer *NL = L->spiking || l + 1 >= net->n_layers ? L : &net->layers[l + 1];
        const double ub = nb + (snnex_neuron_state_words(NL->neuron) - 1) * (double)cfg->train.membrane_bits;
        if (nn > 0 && capm > 0)
            m = fmax(m, ceil(nn * ub / capm - 1e-9));
        if (nn > 0 && train && capg > 0)
            m = fmax(m, ceil(2.0 * nn * cfg->train.grad_bits / capg - 1e-9));
        need[l] = (int)fmin(m, P);
        need_sum += need[l];
    }
    if (need_sum > P) {
        for (int l = 0; l < net->n_layers; l++)
            need[l] = net->layers[l].weights > 0;
        need_sum = nw;
    }
    /* a recurrent layer's work includes its out x out recurrent synapses */
    double total = 0;
    for (int l = 0; l < net->n_layers; l++)
        total += net->layers[l].weights > 0 ? (double)(net->layers[l].synapses + net->layers[l].rec_weights) : 0;
    int given = 0;
    double rem[SNNEX_MAX_LAYERS] = {0};
    for (int l = 0; l < net->n_layers; l++) {
        if (net->layers[l].weights <= 0)
            continue;
        double want = (P - need_sum) * (double)(net->layers[l].synapses + net->layers[l].rec_weights) / total;
        pl[l].cores = need[l] + (int)floor(want);
        rem[l] = want - floor(want);
        given += pl[l].cores;
    }
    while (given < P) {
        int best = -1;
        for (int l = 0; l < net->n_layers; l++)
            if (net->layers[l].weights > 0 && (best < 0 || rem[l] > rem[best]))
                best = l;
        pl[best].cores++;
        rem[best] = -1;
        given++;
    }
    /* pool/flatten layers ride on the weight layer before them; leading
     * ones on the first weight layer */
    int owner = -1;
    for (int l = 0; l < net->n_layers && owner < 0; l++)
        if (net->layers[l].weights > 0)
            owner = l;
    for (int l = 0; l < net->n_layers; l++) {
        if (net->layers[l].weights > 0)
            owner = l;
        else
            pl[l].cores = pl[owner].cores;
    }
    for (int l = 0; l < net->n_layers; l++) {
        pl[l].split = 1.0 / pl[l].cores;
        pl[l].layers_per_core = 1;
    }
}
