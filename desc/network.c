/* desc — the description's own functions: shape inference of the network
 * (each layer's shape, weights and synapses from the input and the layer
 * keys, and where the LIF neurons sit) and the names of enum values. */
#include "desc/desc.h"

/* ---- shape inference ------------------------------------------------------ */

/* Sum over output positions of the kernel taps that fall inside the input
 * (padding excluded), along one dimension. */
static long valid_taps(int in, int out, int k, int s, int p, int d)
{
    long sum = 0;
    for (int o = 0; o < out; o++)
        for (int r = 0; r < k; r++) {
            int i = o * s - p + r * d;
            if (i >= 0 && i < in)
                sum++;
        }
    return sum;
}

/* Where the LIF neurons sit (lif keys, resolved into spiking): the
 * currents of an fc/conv without neurons must go straight into a pool with
 * neurons, and such a pool needs those currents (pooling spikes into LIF
 * neurons is not supported). */
static snnex_status check_lif(const snnex_network *net, const char *file, snnex_err *err)
{
    for (int i = 0; i < net->n_layers; i++) {
        const snnex_layer *L = &net->layers[i];
        const snnex_layer *P = i > 0 ? &net->layers[i - 1] : NULL;
        int currents_in = P && P->weights > 0 && !P->spiking;
        if (currents_in && L->type != SNNEX_LAYER_POOL)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: its input is the synaptic currents of %s (lif = false), but a %s "
                                 "layer takes spikes; set lif = true on %s, or put a pool with lif = true "
                                 "between them", L->name, P->name, snnex_layer_type_name(L->type), P->name);
        if (currents_in && !L->spiking)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s pools the currents of %s (lif = false) but has no neurons; set "
                                 "lif = true on this pool", L->name, P->name);
        if (L->type == SNNEX_LAYER_POOL && L->spiking && !currents_in)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: a pool with lif = true needs the currents of an fc/conv with "
                                 "lif = false right before it (pooling spikes into LIF neurons is not "
                                 "supported); set lif = false on the layer before, or remove lif here",
                                 L->name);
        if (L->weights > 0 && !L->spiking && i == net->n_layers - 1)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s is the last layer and has lif = false; the network's outputs "
                                 "must be LIF neurons (remove lif = false)", L->name);
    }
    return SNNEX_OK;
}

/* Neuron types and recurrence where they make sense: the li readout has no
 * spikes, so nothing can follow it; a recurrent layer feeds back its own
 * spikes, so it needs spiking neurons at its output. */
static snnex_status check_neurons(const snnex_network *net, const char *file, snnex_err *err)
{
    for (int i = 0; i < net->n_layers; i++) {
        const snnex_layer *L = &net->layers[i];
        if (L->neuron != SNNEX_NEURON_LIF && !L->spiking)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: neuron = \"%s\" but the layer has no neurons (%s); remove neuron, "
                                 "or put it on the layer that has the neurons", L->name, snnex_neuron_name(L->neuron),
                                 L->type == SNNEX_LAYER_FLATTEN || L->type == SNNEX_LAYER_POOL ? "a pool without lif = true or a flatten"
                                                                                                : "lif = false");
        if (L->neuron == SNNEX_NEURON_LI && i != net->n_layers - 1)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: an li (leaky integrator) readout sends no spikes, so it must be the "
                                 "last layer (got layer %d of %d); use neuron = \"lif\" here", L->name, i + 1,
                                 net->n_layers);
        if (L->neuron == SNNEX_NEURON_IF && L->beta > 0 && L->beta != 1)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: an if neuron has no leak (β = 1), but beta = %g is given; remove "
                                 "beta, or use neuron = \"lif\"", L->name, L->beta);
        if (L->neuron != SNNEX_NEURON_CUBALIF && L->alpha > 0)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: alpha (the synaptic-current decay) is for neuron = \"cubalif\" only "
                                 "(got neuron = \"%s\"); remove alpha or set neuron = \"cubalif\"", L->name,
                                 snnex_neuron_name(L->neuron));
        if (L->recurrent && (!L->spiking || L->neuron == SNNEX_NEURON_LI))
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                 "layer %s: recurrent = true feeds back the layer's own spikes, but it has %s; "
                                 "use spiking neurons (lif, if, cubalif) or remove recurrent", L->name,
                                 L->spiking ? "an li readout (no spikes)" : "no neurons (lif = false)");
    }
    return SNNEX_OK;
}

snnex_status snnex_network_infer(snnex_network *net, const char *file, snnex_err *err)
{
    int c = net->in_c, h = net->in_h, w = net->in_w;
    if (c < 1 || h < 1 || w < 1)
        return snnex_err_set(err, SNNEX_EINVAL, file, 0,
                             "network.input must be 3 positive integers [C, H, W]");
    if (net->n_layers < 1)
        return snnex_err_set(err, SNNEX_EINVAL, file, 0,
                             "network.layers is empty; add at least one layer");
    for (int i = 0; i < net->n_layers; i++) {
        snnex_layer *L = &net->layers[i];
        L->in_c = c, L->in_h = h, L->in_w = w;
        L->in_size = (long)c * h * w;
        switch (L->type) {
        case SNNEX_LAYER_FLATTEN:
            c = c * h * w, h = 1, w = 1;
            L->weights = 0, L->synapses = 0, L->spiking = 0;
            if (L->lif > 0)
                return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                     "layer %s: a flatten layer has no neurons; remove lif", L->name);
            break;
        case SNNEX_LAYER_FC:
            c = L->out_features, h = 1, w = 1;
            L->synapses = L->in_size * c;
            L->rec_weights = L->recurrent ? (long)c * c : 0;
            L->weights = L->synapses + L->rec_weights;
            L->spiking = L->lif >= 0;
            break;
        case SNNEX_LAYER_CONV: {
            int k = L->kernel, s = L->stride, p = L->padding;
            int d = L->dilation > 0 ? L->dilation : 1, g = L->groups > 0 ? L->groups : 1;
            int ke = d * (k - 1) + 1; /* extent of the dilated kernel */
            if (p >= ke)
                return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                     "layer %s: padding must be smaller than the kernel's extent (got padding %d, "
                                     "kernel %d, dilation %d)", L->name, p, k, d);
            if (ke > h + 2 * p || ke > w + 2 * p)
                return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                     "layer %s: conv kernel %d (extent %d with dilation %d) is larger than its "
                                     "padded input %dx%d (got input %dx%dx%d, padding %d); use a smaller kernel "
                                     "or more padding", L->name, k, ke, d, h + 2 * p, w + 2 * p, c, h, w, p);
            if (c % g || L->out_channels % g)
                return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                     "layer %s: groups must divide the input channels and channels (got groups "
                                     "%d, input channels %d, channels %d)", L->name, g, c, L->out_channels);
            int oh = (h + 2 * p - ke) / s + 1, ow = (w + 2 * p - ke) / s + 1;
            L->weights = (long)(c / g) * L->out_channels * k * k;
            /* valid_taps sums taps over output rows; the product counts
             * (out pixel, tap) pairs inside the input; each output channel
             * sees the c/g input channels of its group */
            L->synapses = (long)L->out_channels * (c / g) * valid_taps(h, oh, k, s, p, d) *
                          valid_taps(w, ow, k, s, p, d);
            c = L->out_channels, h = oh, w = ow;
            L->spiking = L->lif >= 0;
            break;
        }
        case SNNEX_LAYER_POOL: {
            int k = L->kernel, s = L->stride;
            if (h == 1 && w == 1)
                return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                     "layer %s: pool needs a spatial input (got %dx%dx%d); put it before flatten/fc",
                                     L->name, c, h, w);
            if (k > h || k > w)
                return snnex_err_set(err, SNNEX_EINVAL, file, L->line,
                                     "layer %s: pool window %d is larger than its input %dx%d; use a smaller kernel",
                                     L->name, k, h, w);
            h = (h - k) / s + 1, w = (w - k) / s + 1;
            L->weights = 0;
            L->synapses = (long)c * h * w * k * k; /* window reads */
            L->spiking = L->lif > 0;
            break;
        }
        }
        L->out_c = c, L->out_h = h, L->out_w = w;
        L->out_size = (long)c * h * w;
        L->fanout = L->in_size ? (L->synapses + L->in_size - 1) / L->in_size : 0;
        if (L->out_size < 1)
            return snnex_err_set(err, SNNEX_EINVAL, file, L->line, "layer %s has an empty output", L->name);
    }
    snnex_status st = check_lif(net, file, err);
    if (st)
        return st;
    st = check_neurons(net, file, err);
    if (st)
        return st;
    int any = 0;
    for (int i = 0; i < net->n_layers; i++)
        any |= net->layers[i].weights > 0;
    if (!any)
        return snnex_err_set(err, SNNEX_EINVAL, file, 0,
                             "network has no fc or conv layer; add one to train");
    return SNNEX_OK;
}

/* ---- neuron parameters ---------------------------------------------------- */

double snnex_layer_beta(const snnex_network *net, const snnex_layer *L)
{
    if (L->neuron == SNNEX_NEURON_IF)
        return 1.0;
    return L->beta > 0 ? L->beta : net->beta;
}
double snnex_layer_theta(const snnex_network *net, const snnex_layer *L)
{
    return L->theta > 0 ? L->theta : net->theta;
}
double snnex_layer_alpha(const snnex_network *net, const snnex_layer *L)
{
    return L->alpha > 0 ? L->alpha : net->alpha;
}
int snnex_neuron_state_words(snnex_neuron n) { return n == SNNEX_NEURON_CUBALIF ? 2 : 1; }

/* ---- names ---------------------------------------------------------------- */

const char *snnex_neuron_name(snnex_neuron n)
{
    static const char *s[] = {"lif", "if", "cubalif", "li"};
    return (unsigned)n < 4 ? s[n] : "?";
}
const char *snnex_pool_name(snnex_pool_kind p)
{
    static const char *s[] = {"avg", "max", "sum"};
    return (unsigned)p < 3 ? s[p] : "?";
}

const char *snnex_layer_type_name(snnex_layer_type t)
{
    static const char *n[] = {"fc", "conv", "pool", "flatten"};
    return (unsigned)t < 4 ? n[t] : "?";
}
const char *snnex_mem_tech_name(snnex_mem_tech t) { return t == SNNEX_MEM_STT ? "stt" : t == SNNEX_MEM_SCM ? "scm" : "sram"; }
const char *snnex_multicore_name(snnex_multicore m)
{
    static const char *n[] = {"data_parallel", "pipeline", "output_split"};
    return (unsigned)m < 3 ? n[m] : "?";
}
const char *snnex_stationarity_name(snnex_stationarity s)
{
    static const char *n[] = {"weight", "output", "input"};
    return (unsigned)s < 3 ? n[s] : "?";
}
const char *snnex_loop_order_name(snnex_loop_order o)
{
    return o == SNNEX_LAYER_MAJOR ? "layer_major" : "time_major";
}
const char *snnex_optimizer_name(snnex_optimizer o)
{
    static const char *n[] = {"sgd", "momentum", "adam"};
    return (unsigned)o < 3 ? n[o] : "?";
}
