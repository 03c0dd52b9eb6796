/* models — sparsity as the counts use it: per-layer densities and tile
 * occupancies from a trace (averaged over steps) or from the config's
 * densities. */
#include "models/models_internal.h"

#include <string.h>

double models_tile_occupancy(double d, int g)
{
    if (d <= 0)
        return 0;
    if (d >= 1)
        return 1;
    return 1.0 - pow(1.0 - d, g);
}

static int g_index(int g)
{
    for (int i = 0; i < SNNEX_TRACE_NG; i++)
        if (snnex_trace_g[i] == g)
            return i;
    return -1;
}

void models_sparsity_resolve(const snnex_config *cfg, const snnex_trace *tr, models_sparsity *sp,
                             char *source)
{
    const snnex_network *net = &cfg->net;
    int g = cfg->chip.skip_group, gi = g_index(g);
    if (tr && tr->p) {
        strcpy(source, "trace");
        for (int l = 0; l < net->n_layers; l++) {
            models_sparsity *s = &sp[l];
            memset(s, 0, sizeof *s);
            double occ_in = 0, occ_du = 0;
            for (int t = 0; t < tr->T; t++) {
                const snnex_trace_point *p = &tr->p[(size_t)l * tr->T + t];
                s->in_density += p->in_density;
                s->out_density += p->out_density;
                s->du += p->du_thr;
                s->grad += p->grad_density;
                occ_in += gi >= 0 ? p->in_tile[gi] : models_tile_occupancy(p->in_density, g);
                occ_du += gi >= 0 ? p->du_tile[gi] : models_tile_occupancy(p->du_thr, g);
            }
            s->in_density /= tr->T, s->out_density /= tr->T, s->du /= tr->T, s->grad /= tr->T;
            s->in_occ = occ_in / tr->T, s->du_occ = occ_du / tr->T;
        }
        return;
    }
    strcpy(source, "density");
    double d = cfg->density.input;
    for (int l = 0; l < net->n_layers; l++) {
        const snnex_layer *L = &net->layers[l];
        models_sparsity *s = &sp[l];
        s->in_density = L->in_density >= 0 ? L->in_density : d;
        if (L->spiking)
            s->out_density = L->out_density >= 0 ? L->out_density : cfg->density.hidden;
        else if (L->weights > 0) /* currents: every value nonzero */
            s->out_density = L->out_density >= 0 ? L->out_density : 1;
        else if (L->type == SNNEX_LAYER_POOL)
            /* a pooled value is nonzero when any spike of its window is */
            s->out_density = L->out_density >= 0 ? L->out_density
                                                  : models_tile_occupancy(s->in_density, L->kernel * L->kernel);
        else
            s->out_density = s->in_density;
        s->du = L->spiking ? (L->du_density >= 0 ? L->du_density : cfg->density.du) : 0;
        if (L->spiking && L->neuron == SNNEX_NEURON_LI) {
            /* a readout without threshold: no surrogate gates its δU = g +
             * β·δU[t+1], and its output is the membrane */
            s->du = L->du_density >= 0 ? L->du_density : 1;
            s->out_density = L->out_density >= 0 ? L->out_density : 1;
        }
        if (L->weights > 0 && !L->spiking) {
            /* the gradient of the currents: the pool above routes each
             * nonzero δU of its neurons to one value of the window (max) or
             * spreads it over the whole window (avg, sum) */
            const snnex_layer *P = &net->layers[l + 1];
            s->du = L->du_density >= 0 ? L->du_density
                                       : cfg->density.du / (P->pool == SNNEX_POOL_MAX ? P->kernel * P->kernel : 1);
        }
        s->grad = L->grad_density >= 0 ? L->grad_density : cfg->density.grad;
        s->in_occ = models_tile_occupancy(s->in_density, g);
        s->du_occ = models_tile_occupancy(s->du, g);
        d = s->out_density;
    }
}
