/* nir map — an ordered NIR graph onto an snnex network (desc/): weight
 * nodes become fc/conv layers, pools and flattens their layers, and the
 * neuron node after a weight layer (or after its pool) sets that layer's
 * neuron model and parameters; a recurrent Affine makes its fc layer
 * recurrent. Also writes the result as the network group of a config. */
#include "nir/nir.h"
#include "nir/nir_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the chain ------------------------------------------------------------- */

/* Feed-forward neighbours of v (the recurrent weights are not part of the
 * chain): counts and the last one seen. */
static void neighbours(const nir_graph *g, int v, int *np, int *pred, int *ns, int *succ)
{
    *np = *ns = 0;
    *pred = *succ = -1;
    for (int e = 0; e < g->n_edges; e++) {
        int a = g->edges[e][0], b = g->edges[e][1];
        if (g->nodes[a].rec_of >= 0 || g->nodes[b].rec_of >= 0)
            continue;
        if (b == v)
            (*np)++, *pred = a;
        if (a == v)
            (*ns)++, *succ = b;
    }
}

/* ---- neuron parameters ----------------------------------------------------------- */

static double mean_of(const nir_node *n, const char *name, double def)
{
    const nir_param *p = nir_param_get(n, name);
    return p && !p->str && p->n > 0 ? p->mean : def;
}

/* Append " NAME VALUE" to the note, with "(varies MIN..MAX, mean used)"
 * when the neurons differ. */
static void note_param(char *note, size_t len, const nir_node *n, const char *name)
{
    const nir_param *p = nir_param_get(n, name);
    size_t k = strlen(note);
    if (!p || p->str || k + 2 >= len)
        return;
    if (p->min == p->max)
        snprintf(note + k, len - k, "%s%s %.6g", k ? ", " : "", name, p->mean);
    else
        snprintf(note + k, len - k, "%s%s %.6g (varies %.6g..%.6g; the mean is used)", k ? ", " : "", name, p->mean,
                 p->min, p->max);
}

/* exp(-dt/tau), a decay per time step; *step = dt/tau, the forward-Euler
 * input gain per unit of r (or w_in) that NIR exporters assume (snnTorch
 * writes tau = dt/(1 - beta) and r = tau/dt: gain 1). */
static snnex_status decay(const nir_graph *g, const nir_node *n, const char *key, double dt, double *out,
                          double *step, snnex_err *err)
{
    double tau = mean_of(n, key, 0);
    if (!(tau > 0))
        return nir_fail(g, err, n->name, "%s must be positive (got %g)", "export the neurons with their time constants",
                        key, tau);
    if (!(dt > 0))
        return nir_fail(g, err, n->name, "the %s neurons have time constants (%s %g s) but no time step is known",
                        "pass --dt SECONDS to snnex import nir (network.nir_dt_ms in a config): the step the network "
                        "was trained with (snnTorch's export_to_nir writes its taus for 1e-4 s)",
                        nir_type_name(n->type), key, tau);
    *out = exp(-dt / tau);
    if (*out < 1e-6) /* the smallest decay a config takes: the state is gone after one step either way */
        *out = 1e-6;
    *step = dt / tau;
    return SNNEX_OK;
}

/* Set layer L's neurons from neuron node n. */
static snnex_status set_neurons(const nir_graph *g, const nir_node *n, double dt, snnex_layer *L,
                                nir_layer_info *inf, snnex_err *err)
{
    double beta = 1, alpha = 0, gain = 1, sm = 0, ss = 0;
    snnex_status st = SNNEX_OK;
    char *note = inf->note;
    size_t nl = sizeof inf->note;
    note[0] = 0;
    switch (n->type) {
    case NIR_LIF:
        L->neuron = SNNEX_NEURON_LIF;
        st = decay(g, n, "tau", dt, &beta, &sm, err);
        gain = mean_of(n, "r", 1) * sm;
        note_param(note, nl, n, "tau");
        break;
    case NIR_IF:
        L->neuron = SNNEX_NEURON_IF;
        gain = mean_of(n, "r", 1);
        break;
    case NIR_CUBALIF:
        L->neuron = SNNEX_NEURON_CUBALIF;
        st = decay(g, n, "tau_mem", dt, &beta, &sm, err);
        if (!st)
            st = decay(g, n, "tau_syn", dt, &alpha, &ss, err);
        gain = mean_of(n, "r", 1) * sm * mean_of(n, "w_in", 1) * ss;
        note_param(note, nl, n, "tau_syn");
        note_param(note, nl, n, "tau_mem");
        note_param(note, nl, n, "w_in");
        break;
    case NIR_LI:
        L->neuron = SNNEX_NEURON_LI;
        st = decay(g, n, "tau", dt, &beta, &sm, err);
        break;
    default:
        return nir_fail(g, err, n->name, "snnex has no %s neurons",
                        "snnex's neuron models are LIF, IF, CubaLIF and LI; export the network with one of these",
                        nir_type_name(n->type));
    }
    if (st)
        return st;
    note_param(note, nl, n, "r");
    note_param(note, nl, n, "v_leak");
    if (n->type != NIR_LI) {
        note_param(note, nl, n, "v_threshold");
        note_param(note, nl, n, "v_reset");
        double th = mean_of(n, "v_threshold", 1) - mean_of(n, "v_leak", 0);
        if (!(gain > 0))
            return nir_fail(g, err, n->name, "the neurons' input gain is not positive (got %g)",
                            "export r (and w_in) as positive values", gain);
        L->theta = th / gain;
        if (!(L->theta >= 1e-9 && L->theta <= 1e6))
            return nir_fail(g, err, n->name, "the threshold (v_threshold - v_leak)/gain = %g is outside 1e-9..1e6",
                            "check v_threshold, v_leak and r in the export", L->theta);
    }
    L->beta = beta;
    inf->uses_dt = sm > 0;
    if (n->type == NIR_CUBALIF)
        L->alpha = alpha;
    return SNNEX_OK;
}

/* ---- layers ------------------------------------------------------------------- */

static snnex_layer *new_layer(const nir_graph *g, snnex_network *net, nir_layer_info *info, const char *name,
                              snnex_layer_type t, int line, const char *node, snnex_err *err)
{
    if (net->n_layers >= SNNEX_MAX_LAYERS) {
        nir_fail(g, err, node, "the network needs more than %d snnex layers", "snnex takes up to that many layers",
                 SNNEX_MAX_LAYERS);
        return NULL;
    }
    nir_layer_info *inf = &info[net->n_layers];
    memset(inf, 0, sizeof *inf);
    snnex_layer *L = &net->layers[net->n_layers++];
    memset(L, 0, sizeof *L);
    L->type = t;
    L->line = line;
    L->beta = L->theta = L->alpha = -1;
    L->dilation = L->groups = 1;
    L->in_density = L->out_density = L->du_density = L->grad_density = -1;
    /* a name the config can hold: no quotes or backslashes */
    snprintf(L->name, sizeof L->name, "%s", name);
    for (char *p = L->name; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < ' ')
            *p = '_';
    return L;
}

/* A scalar-or-pair parameter whose two entries must agree (snnex's conv
 * and pool are square). */
static snnex_status square(const nir_graph *g, const nir_node *n, const char *key, long def, int *out,
                           snnex_err *err)
{
    const nir_param *p = nir_param_get(n, key);
    long a = nir_pair(p, 0, def), b = nir_pair(p, 1, def);
    if (a != b)
        return nir_fail(g, err, n->name, "%s is %ld x %ld; snnex's conv and pool layers are square",
                        "export square kernels, strides, padding and dilation", key, a, b);
    if (a < 0 || a > 1024)
        return nir_fail(g, err, n->name, "%s = %ld is out of range", "export values from 0 to 1024", key, a);
    *out = (int)a;
    return SNNEX_OK;
}

static void add_weights(nir_layer_info *inf, const nir_node *n)
{
    const nir_param *w = nir_param_get(n, "weight"), *b = nir_param_get(n, "bias");
    if (w)
        inf->weights += w->n, inf->zero_weights += w->zeros;
    if (b && b->zeros < b->n)
        inf->bias = 1;
}

static void add_node_name(nir_layer_info *inf, const nir_node *n)
{
    size_t k = strlen(inf->nodes);
    if (k + 4 < sizeof inf->nodes)
        snprintf(inf->nodes + k, sizeof inf->nodes - k, "%s\"%s\" (%s)", k ? " + " : "", n->name, n->type_name);
}

snnex_status nir_to_network(const nir_graph *g, double dt_s, int line, snnex_network *net, nir_layer_info *info,
                            snnex_err *err)
{
    nir_layer_info local[SNNEX_MAX_LAYERS];
    if (!info)
        info = local;
    double dt = dt_s > 0 ? dt_s : g->dt_s;
    int start = -1, roots = 0;
    /* one chain from one root */
    for (int k = 0; k < g->n_nodes; k++) {
        int v = g->order[k], np, pred, ns, succ;
        const nir_node *N = &g->nodes[v];
        if (N->rec_of >= 0)
            continue;
        neighbours(g, v, &np, &pred, &ns, &succ);
        if (np > 1 || ns > 1) {
            char names[300] = "";
            size_t m = 0;
            for (int e = 0; e < g->n_edges && m < sizeof names; e++) {
                int a = g->edges[e][0], b = g->edges[e][1];
                if (g->nodes[a].rec_of >= 0 || g->nodes[b].rec_of >= 0)
                    continue;
                if ((np > 1 && b == v) || (np <= 1 && a == v))
                    m += (size_t)snprintf(names + m, sizeof names - m, "%s%s", m ? ", " : "",
                                          g->nodes[np > 1 ? a : b].name);
            }
            return nir_fail(g, err, N->name, "the node has %d %s (%s); snnex networks are a chain of layers",
                            "export a sequential network (no branches, skip connections or several inputs)",
                            np > 1 ? np : ns, np > 1 ? "inputs" : "outputs", names);
        }
        if (np == 0)
            roots++, start = v;
    }
    if (roots != 1)
        return nir_fail(g, err, NULL, "the graph has %d inputs (nodes nothing feeds)",
                        "export a network with one Input", roots);
    net->n_layers = 0;
    /* the input shape: the first node's (checked) input */
    const nir_node *first = &g->nodes[start];
    long c = 1, h = 1, w = 1;
    {
        /* after an Input, the first layer's input: the better-structured shape */
        const nir_node *F = first;
        if (first->type == NIR_INPUT) {
            int np, pred, ns, succ;
            neighbours(g, start, &np, &pred, &ns, &succ);
            if (succ >= 0 && g->nodes[succ].in_ndim >= 1)
                F = &g->nodes[succ];
        }
        long d[NIR_MAX_DIMS];
        int nd = F->in_ndim;
        memcpy(d, F->in_shape, sizeof d);
        if (nd > 3) {
            int k = 0;
            for (int i = 0; i < nd; i++)
                if (d[i] != 1)
                    d[k++] = d[i];
            nd = k;
        }
        if (nd > 3)
            return nir_fail(g, err, first->name, "the input has %d dimensions; snnex inputs are [C, H, W]",
                            "export the network with an input of at most 3 dimensions", nd);
        if (nd >= 1) c = d[0];
        if (nd >= 2) h = d[1];
        if (nd >= 3) w = d[2];
    }
    if (c > (1 << 20) || h > (1 << 20) || w > (1 << 20))
        return nir_fail(g, err, first->name, "the input is too large", "snnex inputs have up to 2^20 per dimension");
    net->in_c = (int)c, net->in_h = (int)h, net->in_w = (int)w;
    net->reset = SNNEX_RESET_ZERO; /* NIR: v = v_reset after a spike */
    int pending = -1;              /* a layer whose neurons (or none) are not yet known */
    long cur_hw = h * w;           /* spatial size of the current tensor */
    for (int v = start, guard = 0; v >= 0 && guard <= g->n_nodes; guard++) {
        const nir_node *N = &g->nodes[v];
        int np, pred, ns, succ;
        neighbours(g, v, &np, &pred, &ns, &succ);
        snnex_layer *L = NULL;
        nir_layer_info *inf = NULL;
        snnex_status st = SNNEX_OK;
        switch (N->type) {
        case NIR_INPUT:
        case NIR_OUTPUT:
            break;
        case NIR_AFFINE:
        case NIR_LINEAR:
        case NIR_CONV2D: {
            if (pending >= 0)
                return nir_fail(g, err, N->name, "the currents of layer %s go into this %s without neurons between",
                                "snnex layers end in neurons (LIF, IF, CubaLIF or LI); export the network with "
                                "neurons after every weight layer", net->layers[pending].name, N->type_name);
            int fc = N->type != NIR_CONV2D;
            if (fc && cur_hw > 1) {
                char nm[SNNEX_NAME_LEN];
                snprintf(nm, sizeof nm, "%.40s.flat", N->name);
                L = new_layer(g, net, info, nm, SNNEX_LAYER_FLATTEN, line, N->name, err);
                if (!L)
                    return err->status;
                snprintf(info[net->n_layers - 1].note, sizeof info->note,
                         "added: the %s takes the flattened %ld values", N->type_name, N->in_shape[0]);
            }
            L = new_layer(g, net, info, N->name, fc ? SNNEX_LAYER_FC : SNNEX_LAYER_CONV, line, N->name, err);
            if (!L)
                return err->status;
            inf = &info[net->n_layers - 1];
            add_node_name(inf, N);
            add_weights(inf, N);
            const nir_param *wt = nir_param_get(N, "weight");
            L->lif = -1;
            long lim = fc ? 1L << 24 : 1L << 16;
            if (wt->dims[0] > lim || (!fc && (wt->dims[2] > 1024 || nir_pair(nir_param_get(N, "groups"), 0, 1) > lim)))
                return nir_fail(g, err, N->name, "the %s is larger than an snnex layer holds (%s up to %ld, kernel "
                                "up to 1024)", "split the layer, or check the file", N->type_name,
                                fc ? "outputs" : "channels and groups", lim);
            if (fc) {
                L->out_features = (int)wt->dims[0];
                cur_hw = 1;
            } else {
                if (wt->dims[2] != wt->dims[3])
                    return nir_fail(g, err, N->name, "the kernel is %ld x %ld; snnex's conv layers are square",
                                    "export square kernels", wt->dims[2], wt->dims[3]);
                L->out_channels = (int)wt->dims[0];
                L->kernel = (int)wt->dims[2];
                int dil = 1;
                st = square(g, N, "stride", 1, &L->stride, err);
                if (!st)
                    st = square(g, N, "dilation", 1, &dil, err);
                if (st)
                    return st;
                L->dilation = dil;
                L->groups = (int)nir_pair(nir_param_get(N, "groups"), 0, 1);
                const nir_param *pad = nir_param_get(N, "padding");
                if (pad && pad->str) {
                    int span = dil * (L->kernel - 1);
                    if (!strcmp(pad->str, "valid"))
                        L->padding = 0;
                    else if (span % 2 || L->stride != 1)
                        return nir_fail(g, err, N->name, "padding \"same\" with kernel %d, dilation %d and stride %d "
                                        "pads unevenly", "export the layer with numeric padding", L->kernel, dil,
                                        L->stride);
                    else
                        L->padding = span / 2;
                } else if ((st = square(g, N, "padding", 0, &L->padding, err)))
                    return st;
                cur_hw = N->out_shape[1] * N->out_shape[2];
            }
            pending = net->n_layers - 1;
            break;
        }
        case NIR_SUMPOOL2D:
        case NIR_AVGPOOL2D: {
            L = new_layer(g, net, info, N->name, SNNEX_LAYER_POOL, line, N->name, err);
            if (!L)
                return err->status;
            inf = &info[net->n_layers - 1];
            add_node_name(inf, N);
            L->pool = N->type == NIR_SUMPOOL2D ? SNNEX_POOL_SUM : SNNEX_POOL_AVG;
            int pad = 0;
            st = square(g, N, "kernel_size", 1, &L->kernel, err);
            if (!st)
                st = square(g, N, "stride", L->kernel, &L->stride, err);
            if (!st)
                st = square(g, N, "padding", 0, &pad, err);
            if (st)
                return st;
            if (pad)
                return nir_fail(g, err, N->name, "the pool pads its input by %d; snnex's pools do not pad",
                                "export the pool with padding 0", pad);
            if (pending >= 0) { /* conv → pool → neurons: the neurons move to the pool */
                net->layers[pending].lif = -1;
                pending = net->n_layers - 1;
                L->lif = -1;
            }
            cur_hw = N->out_shape[1] * N->out_shape[2];
            break;
        }
        case NIR_FLATTEN:
            if (pending >= 0)
                return nir_fail(g, err, N->name, "the currents of layer %s are flattened without neurons between",
                                "export the network with neurons after every weight layer", net->layers[pending].name);
            L = new_layer(g, net, info, N->name, SNNEX_LAYER_FLATTEN, line, N->name, err);
            if (!L)
                return err->status;
            add_node_name(&info[net->n_layers - 1], N);
            cur_hw = 1;
            break;
        case NIR_LIF:
        case NIR_IF:
        case NIR_CUBALIF:
        case NIR_LI:
        case NIR_CUBALI:
        case NIR_I: {
            if (pending < 0)
                return nir_fail(g, err, N->name, "%s neurons follow %s with no weights between",
                                "snnex's neurons sit after an fc or conv layer (or its pool); export the network "
                                "that way", N->type_name, pred >= 0 ? g->nodes[pred].name : "the input");
            L = &net->layers[pending];
            inf = &info[pending];
            L->lif = L->type == SNNEX_LAYER_POOL ? 1 : 0;
            add_node_name(inf, N);
            if ((st = set_neurons(g, N, dt, L, inf, err)))
                return st;
            if (N->rec >= 0) {
                const nir_node *R = &g->nodes[N->rec];
                if (L->type != SNNEX_LAYER_FC)
                    return nir_fail(g, err, R->name, "recurrent weights on the %s layer %s",
                                    "snnex's recurrent layers are fc (Affine/Linear) layers", snnex_layer_type_name(L->type),
                                    L->name);
                L->recurrent = 1;
                add_node_name(inf, R);
                add_weights(inf, R);
            }
            pending = -1;
            break;
        }
        default:
            return nir_fail(g, err, N->name, "snnex cannot map a NIR %s node onto its layers",
                            "snnex maps Affine, Linear, Conv2d, SumPool2d, AvgPool2d, Flatten and LIF/IF/CubaLIF/LI "
                            "neurons; export the network without it", N->type_name);
        }
        v = succ;
    }
    if (pending >= 0) {
        /* weights straight into the output: a readout that passes its currents
         * on (LI with the smallest beta: U[t] = I[t]) */
        snnex_layer *L = &net->layers[pending];
        L->lif = L->type == SNNEX_LAYER_POOL ? 1 : 0;
        L->neuron = SNNEX_NEURON_LI;
        L->beta = 1e-6; /* the smallest β a config takes: U[t] = I[t] to 1e-6 */
        snprintf(info[pending].note, sizeof info->note,
                 "no neurons after it in the file: an li readout with beta 1e-6 passes its currents on");
    }
    if (net->n_layers == 0)
        return nir_fail(g, err, NULL, "the graph has no layers", "export a network with at least one weight layer");
    return snnex_network_infer(net, g->path, err);
}

snnex_status nir_load_network(const char *path, double dt_s, int line, snnex_network *net, nir_layer_info *info,
                              snnex_err *err)
{
    nir_graph g;
    snnex_status st = nir_read(path, &g, err);
    if (!st)
        st = nir_graph_check(&g, err);
    if (!st)
        st = nir_to_network(&g, dt_s, line, net, info, err);
    nir_graph_free(&g);
    return st;
}

/* ---- the config ------------------------------------------------------------------ */

snnex_status nir_write_config(FILE *f, const nir_graph *g, const snnex_network *net, const nir_layer_info *info,
                              double dt_s, snnex_err *err)
{
    (void)err;
    long wts = 0, zeros = 0;
    for (int i = 0; i < net->n_layers; i++)
        wts += info[i].weights, zeros += info[i].zero_weights;
    fprintf(f, "# network imported from %s (NIR %s) by snnex import nir.\n", g->path,
            g->version[0] ? g->version : "version not given");
    double dt = dt_s > 0 ? dt_s : g->dt_s;
    int uses_dt = 0;
    for (int i = 0; i < net->n_layers; i++)
        uses_dt |= info[i].uses_dt;
    if (!uses_dt)
        fprintf(f, "# no time constants in the file (dt is not used).\n");
    else
        fprintf(f, "# time step dt = %.6g s (%s); beta = exp(-dt/tau), alpha = exp(-dt/tau_syn),\n"
                   "# theta = (v_threshold - v_leak) / input gain, the gain as NIR exporters write it\n"
                   "# (forward Euler): r dt/tau for lif, r for if, (r dt/tau_mem) (w_in dt/tau_syn) for cubalif.\n",
                dt, dt_s > 0 ? "given" : "the file's metadata");
    fprintf(f, "# %ld weights in the file, %ld of them exactly zero (%.2f %%).\n", wts, zeros,
            wts ? 100.0 * (double)zeros / (double)wts : 0.0);
    fprintf(f, "# Each layer names the NIR nodes it came from; edit freely.\n");
    fprintf(f, "network = {\n");
    fprintf(f, "  input = [%d, %d, %d];\n", net->in_c, net->in_h, net->in_w);
    fprintf(f, "  neuron = { reset = \"zero\"; };  # NIR neurons are set to v_reset after a spike\n");
    fprintf(f, "  layers = (\n");
    for (int i = 0; i < net->n_layers; i++) {
        const snnex_layer *L = &net->layers[i];
        const nir_layer_info *inf = &info[i];
        if (inf->nodes[0]) {
            fprintf(f, "    # %s", inf->nodes);
            if (inf->weights)
                fprintf(f, ": %ld weights, %ld zero (%.2f %%)%s", inf->weights, inf->zero_weights,
                        100.0 * (double)inf->zero_weights / (double)inf->weights,
                        inf->bias ? ", a bias (not counted)" : "");
            fprintf(f, "\n");
        }
        if (inf->note[0])
            fprintf(f, "    #   %s\n", inf->note);
        fprintf(f, "    { type = \"%s\"; name = \"%s\";", snnex_layer_type_name(L->type), L->name);
        switch (L->type) {
        case SNNEX_LAYER_FC:
            fprintf(f, " out = %d;", L->out_features);
            break;
        case SNNEX_LAYER_CONV:
            fprintf(f, " channels = %d; kernel = %d;", L->out_channels, L->kernel);
            if (L->stride != 1) fprintf(f, " stride = %d;", L->stride);
            if (L->padding) fprintf(f, " padding = %d;", L->padding);
            if (L->dilation != 1) fprintf(f, " dilation = %d;", L->dilation);
            if (L->groups != 1) fprintf(f, " groups = %d;", L->groups);
            break;
        case SNNEX_LAYER_POOL:
            fprintf(f, " pool = \"%s\"; kernel = %d;", snnex_pool_name(L->pool), L->kernel);
            if (L->stride != L->kernel) fprintf(f, " stride = %d;", L->stride);
            break;
        default:
            break;
        }
        if (L->lif < 0 && L->type != SNNEX_LAYER_FLATTEN)
            fprintf(f, " lif = false;");
        if (L->lif > 0 && L->type == SNNEX_LAYER_POOL)
            fprintf(f, " lif = true;");
        if (L->spiking) {
            fprintf(f, " neuron = \"%s\";", snnex_neuron_name(L->neuron));
            if (L->beta >= 0 && L->neuron != SNNEX_NEURON_IF) fprintf(f, " beta = %.6g;", L->beta);
            if (L->alpha >= 0 && L->neuron == SNNEX_NEURON_CUBALIF) fprintf(f, " alpha = %.6g;", L->alpha);
            if (L->theta >= 0 && L->neuron != SNNEX_NEURON_LI) fprintf(f, " theta = %.6g;", L->theta);
        }
        if (L->recurrent)
            fprintf(f, " recurrent = true;");
        fprintf(f, " }%s  # out %dx%dx%d\n", i + 1 < net->n_layers ? "," : "", L->out_c, L->out_h, L->out_w);
    }
    fprintf(f, "  );\n};\n");
    return SNNEX_OK;
}
