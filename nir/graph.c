/* nir graph — checking and ordering a flat NIR graph: node types, the one
 * cycle allowed (the recurrent weights of a neuron node), a feed-forward
 * order, and every node's input and output shape, inferred from the
 * weights and parameters as nir.ir does and compared with its neighbours
 * (by element count where a file writes a shape loosely). */
#include "nir/nir.h"
#include "nir/nir_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers shared with map.c ----------------------------------------- */

const nir_param *nir_param_get(const nir_node *n, const char *name)
{
    for (int i = 0; i < n->n_params; i++)
        if (!strcmp(n->params[i].name, name))
            return &n->params[i];
    return NULL;
}

int nir_is_neuron(nir_type t)
{
    return t == NIR_LIF || t == NIR_IF || t == NIR_CUBALIF || t == NIR_LI || t == NIR_CUBALI || t == NIR_I;
}

long nir_pair(const nir_param *p, int i, long def)
{
    if (!p || p->str || !p->v || p->n == 0)
        return def;
    double x = p->v[p->n == 1 ? 0 : (i < p->n ? i : p->n - 1)];
    /* a value no layer has (NaN, huge) becomes one the range checks refuse */
    return x >= -1e12 && x <= 1e12 ? (long)x : -1000000000000L;
}

char *nir_shape_str(const long *d, int nd, char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < nd && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%ld", i ? ", " : "", d[i]);
    if (k < len)
        snprintf(buf + k, len - k, "]");
    return buf;
}

snnex_status nir_fail(const nir_graph *g, snnex_err *err, const char *node, const char *what, const char *how, ...)
{
    char w[700];
    va_list ap;
    va_start(ap, how);
    vsnprintf(w, sizeof w, what, ap);
    va_end(ap);
    if (node)
        return snnex_err_set(err, SNNEX_EINVAL, g->path, 0, "%s (node %s); %s", w, node, how);
    return snnex_err_set(err, SNNEX_EINVAL, g->path, 0, "%s; %s", w, how);
}

/* ---- shapes ------------------------------------------------------------------- */

typedef struct {
    int nd;                      /* -1: unknown */
    long d[NIR_MAX_DIMS];
} shape_t;

/* Elements (saturating at 2^62: dimensions are checked to be at most
 * MAX_DIM, but there may be eight of them). */
static long count(const shape_t *s)
{
    long c = 1;
    for (int i = 0; i < s->nd; i++)
        c = s->d[i] > 0 && c > (1L << 62) / s->d[i] ? 1L << 62 : c * s->d[i];
    return c;
}

#define MAX_DIM (1L << 30)             /* largest tensor dimension taken from a file */

/* Dimensions other than 1. */
static int big_dims(const shape_t *s)
{
    int k = 0;
    for (int i = 0; i < s->nd; i++)
        k += s->d[i] != 1;
    return k;
}

/* a and b describe the same tensor: equal once the 1-sized dimensions are
 * dropped, or the same element count where one of them is a plain vector
 * (a length, or a single neuron as [1, 1, 1]). */
static int compatible(const shape_t *a, const shape_t *b)
{
    if (a->nd < 0 || b->nd < 0)
        return 1;
    if (count(a) != count(b))
        return 0;
    if (big_dims(a) <= 1 || big_dims(b) <= 1)
        return 1;
    long x[NIR_MAX_DIMS], y[NIR_MAX_DIMS];
    int nx = 0, ny = 0;
    for (int i = 0; i < a->nd; i++)
        if (a->d[i] != 1)
            x[nx++] = a->d[i];
    for (int i = 0; i < b->nd; i++)
        if (b->d[i] != 1)
            y[ny++] = b->d[i];
    if (nx != ny)
        return 0;
    for (int i = 0; i < nx; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

/* The more structured of two compatible shapes (a on a tie). */
static shape_t pick(const shape_t *a, const shape_t *b)
{
    if (a->nd < 0)
        return *b;
    if (b->nd < 0)
        return *a;
    return big_dims(b) > big_dims(a) ? *b : *a;
}

static shape_t of_param(const nir_param *p)
{
    shape_t s = {-1, {0}};
    if (p && p->ndim > 0) {
        s.nd = p->ndim;
        for (int i = 0; i < p->ndim; i++)
            s.d[i] = p->dims[i];
    }
    return s;
}

static shape_t vec(long n)
{
    shape_t s = {1, {n}};
    return s;
}

/* Output size of a conv or pool along one dimension (torch's formula, as
 * nir/ir/utils.py calculate_conv_output). */
static long conv_out(long in, long pad, long dil, long k, long stride)
{
    long num = in + 2 * pad - dil * (k - 1) - 1;
    if (num < 0 || stride < 1)
        return 0;
    return num / stride + 1;
}

/* What the node's own parameters say about its input and output shapes
 * (unknown where they say nothing). */
static void own_shapes(const nir_node *n, shape_t *in, shape_t *out)
{
    in->nd = out->nd = -1;
    const nir_param *w = nir_param_get(n, "weight");
    switch (n->type) {
    case NIR_INPUT:
    case NIR_OUTPUT: {
        const nir_param *p = nir_param_get(n, "shape");
        if (p && p->v && p->n > 0 && p->n <= NIR_MAX_DIMS) {
            in->nd = (int)p->n;
            for (long i = 0; i < p->n; i++)
                in->d[i] = (long)p->v[i];
            *out = *in;
        }
        break;
    }
    case NIR_AFFINE:
    case NIR_LINEAR:
        if (w && w->ndim == 2)
            *in = vec(w->dims[1]), *out = vec(w->dims[0]);
        break;
    case NIR_CONV2D: {
        const nir_param *is = nir_param_get(n, "input_shape");
        if (w && w->ndim == 4 && is && is->v && is->n >= 1) {
            long g = nir_pair(nir_param_get(n, "groups"), 0, 1);
            in->nd = 3, in->d[0] = w->dims[1] * g, in->d[1] = nir_pair(is, 0, 0), in->d[2] = nir_pair(is, 1, 0);
        }
        break;
    }
    case NIR_CONV1D: {
        const nir_param *is = nir_param_get(n, "input_shape");
        if (w && w->ndim == 3 && is && is->v && is->n >= 1) {
            long g = nir_pair(nir_param_get(n, "groups"), 0, 1);
            in->nd = 2, in->d[0] = w->dims[1] * g, in->d[1] = nir_pair(is, 0, 0);
        }
        break;
    }
    case NIR_FLATTEN: {
        const nir_param *it = nir_param_get(n, "input_type");
        if (it && it->v && it->n > 0 && it->n <= NIR_MAX_DIMS) {
            in->nd = (int)it->n;
            for (long i = 0; i < it->n; i++)
                in->d[i] = (long)it->v[i];
        }
        break;
    }
    case NIR_SUMPOOL2D:
    case NIR_AVGPOOL2D:
        break;
    default: { /* neurons, Scale, Delay, Threshold: the shape of their parameters */
        static const char *const key[] = {"v_threshold", "tau", "tau_mem", "r", "scale", "delay", "threshold", NULL};
        for (int i = 0; key[i]; i++) {
            const nir_param *p = nir_param_get(n, key[i]);
            if (p) {
                *in = of_param(p);
                break;
            }
        }
        *out = *in;
    }
    }
}

/* ---- checks --------------------------------------------------------------------- */

#define KNOWN_LIST                                                                                      \
    "snnex reads the NIR primitives Input, Output, Affine, Linear, Conv2d, SumPool2d, AvgPool2d, Flatten, " \
    "LIF, IF, CubaLIF, LI (and nested NIRGraph nodes)"

/* The recurrent pattern: A (Affine/Linear) whose only input is neuron node
 * N and whose only output is N. */
static void find_recurrent(nir_graph *g)
{
    for (int a = 0; a < g->n_nodes; a++) {
        nir_node *A = &g->nodes[a];
        if (A->type != NIR_AFFINE && A->type != NIR_LINEAR)
            continue;
        int pred = -1, succ = -1, np = 0, ns = 0;
        for (int e = 0; e < g->n_edges; e++) {
            if (g->edges[e][1] == a)
                pred = g->edges[e][0], np++;
            if (g->edges[e][0] == a)
                succ = g->edges[e][1], ns++;
        }
        if (np == 1 && ns == 1 && pred == succ && pred != a && nir_is_neuron(g->nodes[pred].type) &&
            g->nodes[pred].rec < 0) {
            A->rec_of = pred;
            g->nodes[pred].rec = a;
        }
    }
}

static int ff_edge(const nir_graph *g, int e)
{
    int a = g->edges[e][0], b = g->edges[e][1];
    return !(g->nodes[a].rec_of == b);
}

/* Kahn's order over the feed-forward edges; on a cycle, names it. */
static snnex_status order(nir_graph *g, snnex_err *err)
{
    int n = g->n_nodes;
    int *indeg = calloc((size_t)n + 1, sizeof *indeg);
    g->order = malloc(((size_t)n + 1) * sizeof *g->order);
    if (!indeg || !g->order) {
        free(indeg);
        return snnex_err_set(err, SNNEX_ENOMEM, g->path, 0, "out of memory");
    }
    for (int e = 0; e < g->n_edges; e++)
        if (ff_edge(g, e))
            indeg[g->edges[e][1]]++;
    int head = 0, tail = 0;
    for (int i = 0; i < n; i++)
        if (!indeg[i])
            g->order[tail++] = i;
    while (head < tail) {
        int v = g->order[head++];
        for (int e = 0; e < g->n_edges; e++)
            if (g->edges[e][0] == v && ff_edge(g, e) && --indeg[g->edges[e][1]] == 0)
                g->order[tail++] = g->edges[e][1];
    }
    snnex_status st = SNNEX_OK;
    if (tail < n) {
        /* walk back along predecessors still in a cycle until a node repeats */
        int v = -1;
        for (int i = 0; i < n && v < 0; i++)
            if (indeg[i])
                v = i;
        int path[64], np = 0, seen_at = -1;
        while (np < 64) {
            for (int k = 0; k < np; k++)
                if (path[k] == v)
                    seen_at = k;
            if (seen_at >= 0)
                break;
            path[np++] = v;
            int u = -1;
            for (int e = 0; e < g->n_edges && u < 0; e++)
                if (g->edges[e][1] == v && ff_edge(g, e) && indeg[g->edges[e][0]])
                    u = g->edges[e][0];
            if (u < 0)
                break;
            v = u;
        }
        char cyc[600] = "";
        size_t k = 0;
        int from = seen_at >= 0 ? seen_at : 0;
        for (int i = np - 1; i >= from && k < sizeof cyc; i--)
            k += (size_t)snprintf(cyc + k, sizeof cyc - k, "%s -> ", g->nodes[path[i]].name);
        if (k < sizeof cyc)
            snprintf(cyc + k, sizeof cyc - k, "%s", g->nodes[path[np - 1]].name);
        st = nir_fail(g, err, g->nodes[path[np - 1]].name,
                      "the graph has a cycle %s that is not the recurrent weights of one layer",
                      "snnex takes feed-forward layers plus, per layer, one Affine/Linear from a neuron node's "
                      "output back into its input; remove the loop or export the recurrence that way",
                      cyc);
    }
    free(indeg);
    return st;
}

static snnex_status shape_error(const nir_graph *g, snnex_err *err, int from, int to, const shape_t *a,
                                const shape_t *b)
{
    char x[96], y[96];
    nir_shape_str(a->d, a->nd, x, sizeof x);
    nir_shape_str(b->d, b->nd, y, sizeof y);
    return nir_fail(g, err, g->nodes[to].name, "shapes do not chain: %s (%s) gives %s but %s (%s) takes %s",
                    "check the exported network: each node's output must be the next node's input",
                    g->nodes[from].name, nir_type_name(g->nodes[from].type), x, g->nodes[to].name,
                    nir_type_name(g->nodes[to].type), y);
}

/* What a file says about a node's shape and its conv/pool parameters is
 * in range: dimensions 1..MAX_DIM, kernels, strides and dilations 1..2^20,
 * padding 0..2^20. */
static snnex_status check_own(const nir_graph *g, int v, const shape_t *in, const shape_t *out, snnex_err *err)
{
    const nir_node *N = &g->nodes[v];
    char tmp[96];
    for (int j = 0; j < 2; j++) {
        const shape_t *sh = j ? out : in;
        for (int k = 0; k < sh->nd; k++)
            if (sh->d[k] < 1 || sh->d[k] > MAX_DIM)
                return nir_fail(g, err, N->name, "the %s's shape %s has a dimension out of range (1 to 2^30)",
                                "export the node with its real shape", nir_type_name(N->type),
                                nir_shape_str(sh->d, sh->nd, tmp, sizeof tmp));
    }
    static const char *const keys[] = {"stride", "dilation", "kernel_size", "groups", "padding", "start_dim", "end_dim"};
    int conv = N->type == NIR_CONV1D || N->type == NIR_CONV2D;
    int pool = N->type == NIR_SUMPOOL2D || N->type == NIR_AVGPOOL2D;
    int flat = N->type == NIR_FLATTEN;
    if (!conv && !pool && !flat)
        return SNNEX_OK;
    for (int i = 0; i < 7; i++) {
        const nir_param *p = nir_param_get(N, keys[i]);
        if (!p || p->str)
            continue;
        long lo = i == 4 ? 0 : 1, hi = 1L << 20;
        if (i >= 5)
            lo = -NIR_MAX_DIMS - 1, hi = NIR_MAX_DIMS;
        for (int k = 0; k < (p->n < 2 ? 1 : 2); k++) {
            long x = nir_pair(p, k, lo);
            if (x < lo || x > hi)
                return nir_fail(g, err, N->name, "%s = %ld is out of range (%ld to %ld)",
                                "export the node with its real parameters", keys[i], x, lo, hi);
        }
    }
    return SNNEX_OK;
}

/* Infer every node's shapes in order. */
static snnex_status shapes(nir_graph *g, snnex_err *err)
{
    int n = g->n_nodes;
    shape_t *in = malloc(((size_t)n + 1) * sizeof *in), *out = malloc(((size_t)n + 1) * sizeof *out);
    if (!in || !out) {
        free(in), free(out);
        return snnex_err_set(err, SNNEX_ENOMEM, g->path, 0, "out of memory");
    }
    snnex_status st = SNNEX_OK;
    for (int i = 0; i < n && !st; i++) {
        own_shapes(&g->nodes[i], &in[i], &out[i]);
        st = check_own(g, i, &in[i], &out[i], err);
    }
    if (st) {
        free(in), free(out);
        return st;
    }
    /* an Input without a shape takes its successor's */
    for (int i = 0; i < n; i++)
        if (g->nodes[i].type == NIR_INPUT && in[i].nd < 0)
            for (int e = 0; e < g->n_edges; e++)
                if (g->edges[e][0] == i && in[g->edges[e][1]].nd >= 0)
                    in[i] = out[i] = in[g->edges[e][1]];
    for (int oi = 0; oi < n && !st; oi++) {
        int v = g->order[oi];
        nir_node *N = &g->nodes[v];
        shape_t own = in[v], got = {-1, {0}};
        int from = -1;
        for (int e = 0; e < g->n_edges && !st; e++) {
            if (g->edges[e][1] != v || !ff_edge(g, e))
                continue;
            int u = g->edges[e][0];
            if (!compatible(&out[u], &own))
                st = shape_error(g, err, u, v, &out[u], &own);
            else if (from >= 0 && !compatible(&out[u], &got))
                st = shape_error(g, err, u, v, &out[u], &got);
            got = pick(&got, &out[u]);
            from = u;
        }
        if (st)
            break;
        shape_t s = pick(&own, &got);
        if (s.nd < 0)
            s = own;
        const nir_param *w = nir_param_get(N, "weight");
        char tmp[96];
        switch (N->type) {
        case NIR_AFFINE:
        case NIR_LINEAR:
            if (!w || w->ndim != 2)
                st = nir_fail(g, err, N->name, "the %s weight must be a matrix [out, in] (got %s)",
                              "export the layer with a 2-D weight", nir_type_name(N->type),
                              w ? nir_shape_str(w->dims, w->ndim, tmp, sizeof tmp) : "none");
            break;
        case NIR_CONV2D:
        case NIR_CONV1D: {
            int d2 = N->type == NIR_CONV2D;
            if (!w || w->ndim != (d2 ? 4 : 3)) {
                st = nir_fail(g, err, N->name, "the %s weight must have %d dimensions (got %s)",
                              "export the layer with its full weight tensor", nir_type_name(N->type), d2 ? 4 : 3,
                              w ? nir_shape_str(w->dims, w->ndim, tmp, sizeof tmp) : "none");
                break;
            }
            long groups = nir_pair(nir_param_get(N, "groups"), 0, 1);
            long cin = w->dims[1] * groups;
            if (groups < 1 || w->dims[0] % groups) {
                st = nir_fail(g, err, N->name, "groups = %ld does not divide the %ld output channels",
                              "export the layer with a valid groups value", groups, w->dims[0]);
                break;
            }
            if (s.nd != (d2 ? 3 : 2)) {
                /* a flat input: the channels come from the weights, the rest must be square */
                long c = s.nd >= 0 ? count(&s) : 0;
                long hw = cin > 0 && c % cin == 0 ? c / cin : 0, side = 0;
                while (d2 && side * side < hw)
                    side++;
                if (!d2 && hw > 0)
                    s.nd = 2, s.d[0] = cin, s.d[1] = hw;
                else if (d2 && hw > 0 && side * side == hw)
                    s.nd = 3, s.d[0] = cin, s.d[1] = side, s.d[2] = side;
                else {
                    st = nir_fail(g, err, N->name, "cannot tell the %s's input height and width (input %s, %ld "
                                  "channels)", "export it with input_shape (nir.Conv2d(input_shape=...))",
                                  nir_type_name(N->type), nir_shape_str(s.d, s.nd < 0 ? 0 : s.nd, tmp, sizeof tmp),
                                  cin);
                    break;
                }
            }
            if (s.d[0] != cin) {
                shape_t want = s;
                want.d[0] = cin;
                st = shape_error(g, err, from >= 0 ? from : v, v, &s, &want);
                break;
            }
            const nir_param *pad = nir_param_get(N, "padding");
            long o[2];
            for (int k = 0; k < (d2 ? 2 : 1); k++) {
                long ks = w->dims[2 + k], st_ = nir_pair(nir_param_get(N, "stride"), k, 1);
                long dl = nir_pair(nir_param_get(N, "dilation"), k, 1);
                if (pad && pad->str && !strcmp(pad->str, "same"))
                    o[k] = s.d[1 + k];
                else
                    o[k] = conv_out(s.d[1 + k], pad && pad->str ? 0 : nir_pair(pad, k, 0), dl, ks, st_);
            }
            if (pad && pad->str && strcmp(pad->str, "same") && strcmp(pad->str, "valid")) {
                st = nir_fail(g, err, N->name, "padding \"%s\" is not a number, \"same\" or \"valid\"",
                              "export the layer with numeric padding", pad->str);
                break;
            }
            out[v].nd = d2 ? 3 : 2, out[v].d[0] = w->dims[0], out[v].d[1] = o[0], out[v].d[2] = o[1];
            break;
        }
        case NIR_SUMPOOL2D:
        case NIR_AVGPOOL2D: {
            if (s.nd != 3) {
                st = nir_fail(g, err, N->name, "a %s needs a [C, H, W] input (got %s)",
                              "put the pool after a Conv2d (or give the Input a [C, H, W] shape)",
                              nir_type_name(N->type), nir_shape_str(s.d, s.nd < 0 ? 0 : s.nd, tmp, sizeof tmp));
                break;
            }
            out[v].nd = 3, out[v].d[0] = s.d[0];
            for (int k = 0; k < 2; k++)
                out[v].d[1 + k] = conv_out(s.d[1 + k], nir_pair(nir_param_get(N, "padding"), k, 0), 1,
                                           nir_pair(nir_param_get(N, "kernel_size"), k, 1),
                                           nir_pair(nir_param_get(N, "stride"), k, 1));
            break;
        }
        case NIR_FLATTEN: {
            if (s.nd < 0) {
                st = nir_fail(g, err, N->name, "the Flatten's input shape is unknown",
                              "give the Flatten an input_type or a node with a known shape before it");
                break;
            }
            long sd = nir_pair(nir_param_get(N, "start_dim"), 0, 1), ed = nir_pair(nir_param_get(N, "end_dim"), 0, -1);
            if (sd < 0) sd += s.nd;
            if (ed < 0) ed += s.nd;
            if (sd >= s.nd) /* start_dim 1 on an input written without its batch dimension */
                sd = s.nd - 1;
            if (sd < 0 || ed < sd || ed >= s.nd) {
                st = nir_fail(g, err, N->name, "start_dim/end_dim do not fit the input %s",
                              "export the Flatten with dimensions of its input",
                              nir_shape_str(s.d, s.nd, tmp, sizeof tmp));
                break;
            }
            int k = 0;
            for (long i = 0; i < sd; i++)
                out[v].d[k++] = s.d[i];
            long m = 1;
            for (long i = sd; i <= ed; i++)
                m = m > (1L << 62) / s.d[i] ? 1L << 62 : m * s.d[i];
            out[v].d[k++] = m;
            for (long i = ed + 1; i < s.nd; i++)
                out[v].d[k++] = s.d[i];
            out[v].nd = k;
            break;
        }
        case NIR_INPUT:
        case NIR_OUTPUT:
            out[v] = s;
            break;
        default: /* elementwise nodes */
            if (out[v].nd < 0 || (s.nd >= 0 && count(&out[v]) == count(&s)))
                out[v] = s;
            break;
        }
        in[v] = s;
        if (!st && (in[v].nd < 0 || out[v].nd < 0))
            st = nir_fail(g, err, N->name, "cannot infer the %s's shape",
                          "connect an Input with a shape before it, or give the node its input_shape",
                          nir_type_name(N->type));
        for (int k = 0; !st && k < out[v].nd; k++)
            if (out[v].d[k] < 1)
                st = nir_fail(g, err, N->name, "the %s's output is empty (shape %s from input %s)",
                              "check kernel, stride and padding against the input size", nir_type_name(N->type),
                              nir_shape_str(out[v].d, out[v].nd, tmp, sizeof tmp),
                              nir_shape_str(in[v].d, in[v].nd, (char[96]){0}, 96));
    }
    /* a recurrent weight maps its neuron node's output onto its input */
    for (int a = 0; a < n && !st; a++) {
        int nn = g->nodes[a].rec_of;
        if (nn < 0)
            continue;
        if (!compatible(&in[a], &out[nn]))
            st = shape_error(g, err, nn, a, &out[nn], &in[a]);
        else if (!compatible(&out[a], &in[nn]))
            st = shape_error(g, err, a, nn, &out[a], &in[nn]);
    }
    for (int i = 0; i < n && !st; i++) {
        nir_node *N = &g->nodes[i];
        N->in_ndim = in[i].nd, N->out_ndim = out[i].nd;
        memcpy(N->in_shape, in[i].d, sizeof N->in_shape);
        memcpy(N->out_shape, out[i].d, sizeof N->out_shape);
    }
    free(in), free(out);
    return st;
}

snnex_status nir_graph_check(nir_graph *g, snnex_err *err)
{
    for (int i = 0; i < g->n_nodes; i++) {
        nir_node *N = &g->nodes[i];
        if (N->type == NIR_N_TYPES || N->type == NIR_GRAPH)
            return nir_fail(g, err, N->name, "unknown node type \"%s\"",
                            KNOWN_LIST "; export the network with these (check the exporter's NIR version)",
                            N->type_name);
    }
    if (g->n_nodes == 0)
        return nir_fail(g, err, NULL, "the graph has no nodes", "export a network with at least one layer");
    for (int i = 0; i < g->n_nodes; i++) {
        int deg = 0;
        for (int e = 0; e < g->n_edges; e++)
            deg += g->edges[e][0] == i || g->edges[e][1] == i;
        if (!deg && g->n_nodes > 1)
            return nir_fail(g, err, g->nodes[i].name, "node has no edge in or out (missing edges)",
                            "the file's edges must connect every node; export the network again");
    }
    for (int e = 0; e < g->n_edges; e++)
        if (g->edges[e][0] == g->edges[e][1])
            return nir_fail(g, err, g->nodes[g->edges[e][0]].name,
                            "the node feeds itself (an edge from it to it)",
                            "a recurrent layer goes through its own weights: an Affine from the neuron node "
                            "back into it");
    find_recurrent(g);
    snnex_status st = order(g, err);
    return st ? st : shapes(g, err);
}
