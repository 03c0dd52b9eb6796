/* nir read — a .nir file (HDF5) into the flat graph of nir.h, following
 * the reference nir/serialization.py: /version, /node = the top NIRGraph
 * group with "type", "nodes" (one group per node: a "type" string and one
 * dataset per parameter, or a nested NIRGraph) and "edges" (an N×2 array
 * of [source, target] names); optional "metadata" groups. Nested graphs
 * are flattened with "sub." prefixes and connected through their Input and
 * Output nodes. */
#include "nir/nir.h"
#include "nir/nir_internal.h"

#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16                 /* nested NIRGraph levels */
/* separates WHAT from HOW TO FIX in fail()'s format */
#define HOW "\x01"

static const char *const type_names[NIR_N_TYPES] = {
    "Input", "Output", "Affine", "Linear", "Scale", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d",
    "Flatten", "LIF", "IF", "CubaLIF", "LI", "CubaLI", "I", "Delay", "Threshold", "NIRGraph",
};

/* Parameters serialization.py reads unconditionally (required), per type;
 * the optional ones (input_shape, v_reset, w_in, Flatten's) get defaults. */
static const char *const required[NIR_N_TYPES][7] = {
    [NIR_INPUT] = {"shape"},
    [NIR_OUTPUT] = {"shape"},
    [NIR_AFFINE] = {"weight", "bias"},
    [NIR_LINEAR] = {"weight"},
    [NIR_SCALE] = {"scale"},
    [NIR_CONV1D] = {"weight", "stride", "padding", "dilation", "groups", "bias"},
    [NIR_CONV2D] = {"weight", "stride", "padding", "dilation", "groups", "bias"},
    [NIR_SUMPOOL2D] = {"kernel_size", "stride", "padding"},
    [NIR_AVGPOOL2D] = {"kernel_size", "stride", "padding"},
    [NIR_LIF] = {"tau", "r", "v_leak", "v_threshold"},
    [NIR_IF] = {"r", "v_threshold"},
    [NIR_CUBALIF] = {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"},
    [NIR_LI] = {"tau", "r", "v_leak"},
    [NIR_CUBALI] = {"tau_syn", "tau_mem", "r", "v_leak"},
    [NIR_I] = {"r"},
    [NIR_DELAY] = {"delay"},
    [NIR_THRESHOLD] = {"threshold"},
};

const char *nir_type_name(nir_type t)
{
    return (unsigned)t < NIR_N_TYPES ? type_names[t] : "?";
}

/* ---- reader state ---------------------------------------------------------- */

typedef struct {
    nir_graph *g;
    snnex_err *err;
    int cap_nodes, cap_edges;
    unsigned char *inner_io;     /* [node] Input/Output of a nested graph */
} rd_t;

static snnex_status fail(rd_t *r, const char *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static snnex_status fail(rd_t *r, const char *node, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* "WHAT (node NAME); HOW TO FIX": fmt holds "WHAT" HOW "HOW" */
    char *sep = strchr(msg, HOW[0]);
    if (sep)
        *sep = 0;
    if (node)
        return snnex_err_set(r->err, SNNEX_EINVAL, r->g->path, 0, "%s (node %s); %s", msg, node,
                             sep ? sep + 1 : "");
    return snnex_err_set(r->err, SNNEX_EINVAL, r->g->path, 0, "%s; %s", msg, sep ? sep + 1 : "");
}

static snnex_status oom(rd_t *r)
{
    return snnex_err_set(r->err, SNNEX_ENOMEM, r->g->path, 0, "out of memory reading the NIR file");
}

static nir_param *find_param(nir_node *n, const char *name)
{
    for (int i = 0; i < n->n_params; i++)
        if (!strcmp(n->params[i].name, name))
            return &n->params[i];
    return NULL;
}

/* Add a parameter filled with value, shaped like `like`. */
static int add_default(nir_node *n, const char *name, const char *like, double value)
{
    nir_param *l = find_param(n, like);
    if (!l || find_param(n, name))
        return 0;
    nir_param *ps = realloc(n->params, (size_t)(n->n_params + 1) * sizeof *ps);
    if (!ps)
        return -1;
    n->params = ps;
    l = find_param(n, like);
    nir_param *p = &ps[n->n_params];
    *p = *l;
    p->str = NULL;
    p->name = strdup(name);
    p->v = malloc((l->n ? (size_t)l->n : 1) * sizeof *p->v);
    if (!p->name || !p->v) {
        free(p->name), free(p->v);
        return -1;
    }
    for (long i = 0; i < l->n; i++)
        p->v[i] = value;
    p->zeros = value == 0 ? l->n : 0;
    p->min = p->max = p->mean = value;
    n->n_params++;
    return 0;
}

/* ---- nodes and graphs ---------------------------------------------------------- */

static int add_node(rd_t *r, const char *name, int inner_io)
{
    nir_graph *g = r->g;
    if (g->n_nodes == r->cap_nodes) {
        int nc = r->cap_nodes ? r->cap_nodes * 2 : 32;
        nir_node *nn = realloc(g->nodes, (size_t)nc * sizeof *nn);
        if (!nn)
            return -1;
        g->nodes = nn;
        unsigned char *io = realloc(r->inner_io, (size_t)nc);
        if (!io)
            return -1;
        r->inner_io = io;
        r->cap_nodes = nc;
    }
    nir_node *n = &g->nodes[g->n_nodes];
    memset(n, 0, sizeof *n);
    n->rec_of = n->rec = -1;
    n->name = strdup(name);
    if (!n->name)
        return -1;
    r->inner_io[g->n_nodes] = (unsigned char)inner_io;
    return g->n_nodes++;
}

static int add_edge(rd_t *r, int a, int b)
{
    nir_graph *g = r->g;
    for (int i = 0; i < g->n_edges; i++)
        if (g->edges[i][0] == a && g->edges[i][1] == b)
            return 0; /* a duplicated edge is one connection */
    if (g->n_edges == r->cap_edges) {
        int nc = r->cap_edges ? r->cap_edges * 2 : 64;
        int(*ne)[2] = realloc(g->edges, (size_t)nc * sizeof *ne);
        if (!ne)
            return -1;
        g->edges = ne;
        r->cap_edges = nc;
    }
    g->edges[g->n_edges][0] = a;
    g->edges[g->n_edges][1] = b;
    g->n_edges++;
    return 0;
}

static nir_type type_of(const char *s)
{
    for (int t = 0; t < NIR_N_TYPES; t++)
        if (!strcmp(s, type_names[t]))
            return (nir_type)t;
    return NIR_N_TYPES;
}

/* A child of a graph: a node, or a nested graph with its Input and Output. */
typedef struct {
    char *name;
    int node;                    /* node index, or -1 for a subgraph */
    int in, out;                 /* subgraph: its Input and Output node (-1 none, -2 several) */
} child_t;

static snnex_status read_graph(rd_t *r, hid_t gid, const char *prefix, const char *self, int depth,
                               int *in_node, int *out_node);

/* Read the node group nid named full (local name local) into the graph. */
static snnex_status read_node(rd_t *r, hid_t nid, const char *full, int inner, child_t *c, int depth)
{
    char *type = nir_h5_string(nid, "type");
    if (!type)
        return fail(r, full, "node has no \"type\" string" HOW ""
                             "every NIR node group holds a type dataset; re-export the network with nir.write");
    nir_type t = type_of(type);
    snnex_status st = SNNEX_OK;
    if (t == NIR_GRAPH) {
        free(type);
        char pre[1700];
        snprintf(pre, sizeof pre, "%s.", full);
        c->node = -1;
        return read_graph(r, nid, pre, full, depth + 1, &c->in, &c->out);
    }
    int idx = add_node(r, full, inner && (t == NIR_INPUT || t == NIR_OUTPUT));
    if (idx < 0) {
        free(type);
        return oom(r);
    }
    c->node = idx;
    nir_node *n = &r->g->nodes[idx];
    n->type = t;
    snprintf(n->type_name, sizeof n->type_name, "%s", type);
    free(type);
    H5G_info_t gi;
    if (H5Gget_info(nid, &gi) < 0)
        return fail(r, full, "cannot list the node's datasets" HOW "the file may be damaged; write it again");
    for (hsize_t i = 0; i < gi.nlinks && st == SNNEX_OK; i++) {
        char name[256];
        if (H5Lget_name_by_idx(nid, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0)
            return fail(r, full, "cannot read a dataset name" HOW "the file may be damaged; write it again");
        if (!strcmp(name, "type") || !strcmp(name, "metadata"))
            continue;
        hid_t oid = H5Oopen(nid, name, H5P_DEFAULT);
        if (oid < 0)
            return fail(r, full, "cannot open parameter \"%s\"" HOW "the file may be damaged; write it again", name);
        if (H5Iget_type(oid) != H5I_DATASET) {
            H5Oclose(oid);
            continue; /* e.g. a dict-valued field of an unknown type: not a parameter we read */
        }
        nir_param *ps = realloc(n->params, (size_t)(n->n_params + 1) * sizeof *ps);
        if (!ps) {
            H5Oclose(oid);
            return oom(r);
        }
        n->params = ps;
        nir_param *p = &ps[n->n_params++];
        memset(p, 0, sizeof *p);
        p->name = strdup(name);
        int rc = p->name ? nir_h5_param(oid, p, strcmp(name, "weight") != 0) : -2;
        H5Oclose(oid);
        if (rc == -2)
            return oom(r);
        if (rc == -4)
            st = fail(r, full, "cannot read parameter \"%s\": the file is damaged" HOW "export the network again",
                      name);
        else if (rc == -3)
            st = fail(r, full, "parameter \"%s\" claims %ld or more elements, more than the file holds or a chip "
                               "could: the file is damaged" HOW "export the network again", name, p->n);
        else if (rc == -1)
            st = fail(r, full, "parameter \"%s\" is neither numbers nor a string" HOW ""
                               "write parameters as numeric arrays (nir.write does)", name);
    }
    if (st)
        return st;
    if (t < NIR_N_TYPES)
        for (int k = 0; k < 7 && required[t][k]; k++)
            if (!find_param(n, required[t][k]))
                return fail(r, full, "%s node has no \"%s\"" HOW ""
                                     "nir.read needs it too; re-export the network with a current NIR",
                            type_names[t], required[t][k]);
    /* defaults of serialization.py / nir.ir for missing fields */
    int e = 0;
    if (t == NIR_LIF || t == NIR_IF || t == NIR_CUBALIF)
        e |= add_default(n, "v_reset", "v_threshold", 0.0);
    if (t == NIR_CUBALIF)
        e |= add_default(n, "w_in", "v_threshold", 1.0);
    if (t == NIR_CUBALI)
        e |= add_default(n, "w_in", "v_leak", 1.0);
    return e ? oom(r) : SNNEX_OK;
}

/* Top graph metadata: dt in seconds (a scalar "dt" dataset), if any. */
static void read_dt(hid_t gid, double *dt)
{
    if (!nir_h5_exists(gid, "metadata") || H5Lexists(gid, "metadata/dt", H5P_DEFAULT) <= 0)
        return;
    hid_t did = H5Dopen2(gid, "metadata/dt", H5P_DEFAULT);
    if (did < 0)
        return;
    nir_param p;
    memset(&p, 0, sizeof p);
    if (nir_h5_param(did, &p, 1) == 0 && p.n == 1 && p.v && isfinite(p.v[0]) && p.v[0] > 0)
        *dt = p.v[0];
    free(p.v), free(p.str);
    H5Dclose(did);
}

/* Find a child by name; the name may also be "sub.node" for a node inside
 * a nested graph (resolved by the caller through the flat node names). */
static int find_child(child_t *cs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(cs[i].name, name))
            return i;
    return -1;
}

static int find_node_by_name(const nir_graph *g, const char *name)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (!strcmp(g->nodes[i].name, name))
            return i;
    return -1;
}

static snnex_status read_graph(rd_t *r, hid_t gid, const char *prefix, const char *self, int depth,
                               int *in_node, int *out_node)
{
    const char *where = self ? self : NULL;
    if (depth > MAX_DEPTH)
        return fail(r, where, "NIRGraph nodes nested more than %d deep" HOW "flatten the network before export",
                    MAX_DEPTH);
    if (!nir_h5_exists(gid, "nodes"))
        return fail(r, where, "graph has no \"nodes\" group" HOW "this is not a NIR graph; write it with nir.write");
    if (!nir_h5_exists(gid, "edges"))
        return fail(r, where, "graph has no \"edges\" dataset" HOW ""
                              "a NIR graph lists its connections as edges [source, target]; export it again");
    hid_t nodes = H5Gopen2(gid, "nodes", H5P_DEFAULT);
    if (nodes < 0)
        return fail(r, where, "\"nodes\" is not a group" HOW "this is not a NIR graph; write it with nir.write");
    H5G_info_t gi;
    snnex_status st = SNNEX_OK;
    child_t *cs = NULL;
    int nc = 0;
    if (H5Gget_info(nodes, &gi) < 0 || gi.nlinks > 100000) {
        H5Gclose(nodes);
        return fail(r, where, "cannot list the graph's nodes" HOW "the file may be damaged; write it again");
    }
    cs = calloc(gi.nlinks ? gi.nlinks : 1, sizeof *cs);
    if (!cs) {
        H5Gclose(nodes);
        return oom(r);
    }
    for (hsize_t i = 0; i < gi.nlinks && !st; i++) {
        char name[512], full[1600];
        if (H5Lget_name_by_idx(nodes, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0) {
            st = fail(r, where, "cannot read a node name" HOW "the file may be damaged; write it again");
            break;
        }
        snprintf(full, sizeof full, "%s%s", prefix, name);
        cs[nc].name = strdup(name);
        cs[nc].in = cs[nc].out = -1;
        if (!cs[nc].name) {
            st = oom(r);
            break;
        }
        nc++;
        hid_t nid = H5Gopen2(nodes, name, H5P_DEFAULT);
        if (nid < 0) {
            st = fail(r, full, "node is not a group" HOW "each NIR node is a group with a type dataset");
            break;
        }
        st = read_node(r, nid, full, depth > 0, &cs[nc - 1], depth);
        H5Gclose(nid);
    }
    H5Gclose(nodes);
    /* this graph's Input and Output nodes, for the parent */
    *in_node = *out_node = -1;
    for (int i = 0; i < nc && !st; i++) {
        int k = cs[i].node;
        if (k < 0)
            continue;
        if (r->g->nodes[k].type == NIR_INPUT)
            *in_node = *in_node == -1 ? k : -2;
        if (r->g->nodes[k].type == NIR_OUTPUT)
            *out_node = *out_node == -1 ? k : -2;
    }
    /* edges */
    hid_t did = st ? -1 : H5Dopen2(gid, "edges", H5P_DEFAULT);
    if (!st && did < 0)
        st = fail(r, where, "cannot open \"edges\"" HOW "the file may be damaged; write it again");
    if (!st) {
        char **s = NULL;
        long n = 0;
        hid_t sp = H5Dget_space(did);
        hssize_t npts = H5Sget_simple_extent_npoints(sp);
        H5Sclose(sp);
        if (npts == 0)
            n = 0; /* no edges: written by h5py as an empty numeric array */
        else if (nir_h5_strings(did, &s, &n) != 0 || n % 2)
            st = fail(r, where, "\"edges\" is not a list of [source, target] name pairs" HOW ""
                                "write edges as an N x 2 array of node names (nir.write does)");
        for (long e = 0; e + 1 < n && !st; e += 2) {
            int ends[2];
            for (int k = 0; k < 2 && !st; k++) {
                int ci = find_child(cs, nc, s[e + k]);
                if (ci >= 0 && cs[ci].node >= 0) {
                    ends[k] = cs[ci].node;
                    continue;
                }
                if (ci >= 0) { /* a nested graph: enter by its Input, leave by its Output */
                    int io = k == 0 ? cs[ci].out : cs[ci].in;
                    if (io < 0)
                        st = fail(r, s[e + k], "edge %s -> %s %s the nested graph, which has %s %s node" HOW ""
                                               "give the subgraph exactly one %s node",
                                  s[e], s[e + 1], k ? "enters" : "leaves", io == -1 ? "no" : "more than one",
                                  k ? "Input" : "Output", k ? "Input" : "Output");
                    ends[k] = io;
                    continue;
                }
                /* "sub.node": a node inside a nested graph */
                char full[1600];
                snprintf(full, sizeof full, "%s%s", prefix, s[e + k]);
                int ni = find_node_by_name(r->g, full);
                if (ni < 0)
                    st = fail(r, s[e + k], "edge %s -> %s names a node that is not in the graph" HOW ""
                                           "every edge must connect two nodes of its graph", s[e], s[e + 1]);
                ends[k] = ni;
            }
            if (!st && add_edge(r, ends[0], ends[1]) < 0)
                st = oom(r);
        }
        if (s)
            nir_h5_free_strings(s, n);
    }
    if (did >= 0)
        H5Dclose(did);
    for (int i = 0; i < nc; i++)
        free(cs[i].name);
    free(cs);
    return st;
}

/* Remove the Input/Output nodes of nested graphs: each predecessor gets an
 * edge to each successor. */
static snnex_status bypass_inner_io(rd_t *r)
{
    nir_graph *g = r->g;
    for (int x = 0; x < g->n_nodes; x++) {
        if (!r->inner_io[x])
            continue;
        int n0 = g->n_edges;
        for (int a = 0; a < n0; a++)
            if (g->edges[a][1] == x && g->edges[a][0] != x)
                for (int b = 0; b < n0; b++)
                    if (g->edges[b][0] == x && g->edges[b][1] != x && add_edge(r, g->edges[a][0], g->edges[b][1]) < 0)
                        return oom(r);
        int k = 0;
        for (int e = 0; e < g->n_edges; e++)
            if (g->edges[e][0] != x && g->edges[e][1] != x)
                g->edges[k][0] = g->edges[e][0], g->edges[k][1] = g->edges[e][1], k++;
        g->n_edges = k;
    }
    /* compact the node array, renumbering edges */
    int *map = malloc((size_t)(g->n_nodes ? g->n_nodes : 1) * sizeof *map);
    if (!map)
        return oom(r);
    int k = 0;
    for (int i = 0; i < g->n_nodes; i++) {
        if (r->inner_io[i]) {
            nir_node *n = &g->nodes[i];
            for (int p = 0; p < n->n_params; p++)
                free(n->params[p].name), free(n->params[p].v), free(n->params[p].str);
            free(n->params);
            free(n->name);
            map[i] = -1;
            continue;
        }
        map[i] = k;
        g->nodes[k++] = g->nodes[i];
    }
    g->n_nodes = k;
    for (int e = 0; e < g->n_edges; e++)
        g->edges[e][0] = map[g->edges[e][0]], g->edges[e][1] = map[g->edges[e][1]];
    free(map);
    return SNNEX_OK;
}

/* ---- public ---------------------------------------------------------------- */

static snnex_status read_file(rd_t *r, const char *path)
{
    nir_graph *g = r->g;
    FILE *f = fopen(path, "rb");
    if (!f)
        return snnex_err_set(r->err, SNNEX_EINVAL, path, 0, "cannot open the NIR file; check the path");
    fclose(f);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors are reported here, not printed by the library */
    if (H5Fis_hdf5(path) <= 0)
        return fail(r, NULL, "not an HDF5 file" HOW ""
                             "a .nir file is HDF5, written by nir.write (e.g. after snnTorch's export_to_nir)");
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0)
        return fail(r, NULL, "cannot open the HDF5 file" HOW "the file may be damaged; write it again");
    snnex_status st = SNNEX_OK;
    char *ver = nir_h5_string(fid, "version");
    if (ver)
        snprintf(g->version, sizeof g->version, "%s", ver);
    free(ver);
    if (!nir_h5_exists(fid, "node")) {
        H5Fclose(fid);
        return fail(r, NULL, "HDF5 file without a \"node\" group: not a NIR graph" HOW ""
                             "write the network with nir.write(path, graph)");
    }
    hid_t gid = H5Gopen2(fid, "node", H5P_DEFAULT);
    char *type = gid >= 0 ? nir_h5_string(gid, "type") : NULL;
    if (!type || strcmp(type, "NIRGraph"))
        st = fail(r, NULL, "the top node is %s%s%s, not a NIRGraph" HOW ""
                           "export the whole network as a graph (nir.NIRGraph)",
                  type ? "a " : "without a readable type", type ? type : "", "");
    free(type);
    if (!st) {
        read_dt(gid, &g->dt_s);
        int in, out;
        st = read_graph(r, gid, "", NULL, 0, &in, &out);
    }
    if (gid >= 0)
        H5Gclose(gid);
    H5Fclose(fid);
    if (!st)
        st = bypass_inner_io(r);
    return st;
}

snnex_status nir_read_here(const char *path, nir_graph *g, snnex_err *err)
{
    memset(g, 0, sizeof *g);
    snprintf(g->path, sizeof g->path, "%s", path);
    rd_t r = {g, err, 0, 0, NULL};
    snnex_status st;
    /* the serial HDF5 library is not thread-safe */
#pragma omp critical(snnex_hdf5)
    st = read_file(&r, path);
    free(r.inner_io);
    return st;
}

void nir_graph_free(nir_graph *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->n_nodes; i++) {
        nir_node *n = &g->nodes[i];
        for (int p = 0; p < n->n_params; p++)
            free(n->params[p].name), free(n->params[p].v), free(n->params[p].str);
        free(n->params);
        free(n->name);
    }
    free(g->nodes);
    free(g->edges);
    free(g->order);
    memset(g, 0, sizeof *g);
}
