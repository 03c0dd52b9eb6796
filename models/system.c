/* models system — what one round of multi-chip training moves and adds
 * beyond the chips' own batches: bits over the worker links and the
 * arithmetic of aggregation, for a gradient all-reduce (ring, or through
 * an aggregator) and for FedAvg. Pure counting: the link and op prices are
 * memtech's, the estimator multiplies (estimator/system.c). */
#include "models/models.h"

#include <string.h>

void models_ring_allreduce(double values, int value_bits, int workers, models_exchange *x)
{
    memset(x, 0, sizeof *x);
    double n = workers;
    if (workers < 2 || !(values > 0))
        return;
    double g = values * value_bits; /* gradient bits per worker */
    /* reduce-scatter then all-gather: 2(N−1) steps, each worker sending
     * one chunk of G/N bits per step to its ring neighbour */
    x->bits_per_worker = 2.0 * (n - 1.0) / n * g;
    x->bits_total = n * x->bits_per_worker;
    x->bits_busiest_link = x->bits_per_worker;
    x->transfers = 2.0 * (n - 1.0);
    x->transfers_total = n * x->transfers;
    /* reduce-scatter: each worker adds N−1 incoming chunks of V/N values
     * into its own, then scales its reduced chunk by 1/N */
    x->adds = (n - 1.0) * values;
    x->muls = values;
    x->adds_busiest = (n - 1.0) / n * values;
    x->muls_busiest = values / n;
}

void models_star_exchange(double values, int up_bits, int down_bits, int workers, int aggregator_is_worker,
                          models_exchange *x)
{
    memset(x, 0, sizeof *x);
    if (workers < 1 || !(values > 0))
        return;
    double n = workers;
    double senders = aggregator_is_worker ? n - 1.0 : n; /* the aggregating worker keeps its own */
    double per = values * (up_bits + down_bits);         /* one worker's upload + download */
    x->bits_per_worker = senders > 0 ? per : 0;
    x->bits_total = senders * per;
    /* a host has one port per worker: each worker's link carries its own
     * exchange, all in parallel; an aggregating worker has one link that
     * carries every other worker's, one after another */
    x->bits_busiest_link = aggregator_is_worker ? x->bits_total : x->bits_per_worker;
    x->transfers = aggregator_is_worker ? 2.0 * senders : senders > 0 ? 2.0 : 0.0;
    x->transfers_total = 2.0 * senders;
    /* average of the N contributions: N−1 adds and one scaling per value,
     * all on the aggregator */
    x->adds = (n - 1.0) * values;
    x->muls = n > 1 ? values : 0.0;
    x->adds_busiest = x->adds;
    x->muls_busiest = x->muls;
}

void models_fedavg(double weights, int weight_bits, int update_bits, int workers, int aggregator_is_worker,
                   models_exchange *x)
{
    models_star_exchange(weights, update_bits > 0 ? update_bits : weight_bits, weight_bits, workers,
                         aggregator_is_worker, x);
}
