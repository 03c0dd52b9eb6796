/* nir — reading NIR files (the Neuromorphic Intermediate Representation
 * that snnTorch, Norse, Sinabs, Rockpool, SpikingJelly... export; HDF5,
 * layout of the reference nir/serialization.py) into a flat graph, checking
 * and ordering it, and mapping it onto an snnex network (desc/): the
 * reader behind `snnex import nir` and the config key network.nir. */
#ifndef SNNEX_NIR_H
#define SNNEX_NIR_H

#include <stdio.h>
#include "common/common.h"
#include "desc/desc.h"

/* NIR node types: the reference implementation's list (nir/ir/__init__.py)
 * plus NIRGraph, which the reader flattens away. */
typedef enum {
    NIR_INPUT = 0, NIR_OUTPUT, NIR_AFFINE, NIR_LINEAR, NIR_SCALE,
    NIR_CONV1D, NIR_CONV2D, NIR_SUMPOOL2D, NIR_AVGPOOL2D, NIR_FLATTEN,
    NIR_LIF, NIR_IF, NIR_CUBALIF, NIR_LI, NIR_CUBALI, NIR_I,
    NIR_DELAY, NIR_THRESHOLD, NIR_GRAPH,
    NIR_N_TYPES
} nir_type;

#define NIR_MAX_DIMS 8

/* One dataset of a node (a parameter). Numbers are read as doubles; a
 * string dataset (Conv padding "same"/"valid") has str set and no values.
 * Weights ("weight" datasets) are counted, not kept: v is NULL for them. */
typedef struct {
    char *name;
    int ndim;                    /* 0 = scalar */
    long dims[NIR_MAX_DIMS];
    long n;                      /* elements */
    long zeros;                  /* elements exactly 0 */
    double *v;                   /* n values (NULL for weights and strings) */
    double min, max, mean;       /* over the values (0 for strings) */
    char *str;                   /* string value, or NULL */
} nir_param;

/* A node of the flat graph. Nodes of a nested NIRGraph "sub" are named
 * "sub.node"; a subgraph's own Input and Output nodes are gone (their
 * neighbours are connected through them). */
typedef struct {
    char *name;
    nir_type type;               /* NIR_N_TYPES: a type this reader does not know */
    char type_name[32];          /* as written in the file */
    int n_params;
    nir_param *params;
    /* filled by nir_graph_check */
    int in_ndim, out_ndim;
    long in_shape[NIR_MAX_DIMS], out_shape[NIR_MAX_DIMS];
    int rec_of;                  /* Affine/Linear that is the recurrent weight of neuron node rec_of, else -1 */
    int rec;                     /* neuron node: its recurrent Affine/Linear, else -1 */
} nir_node;

typedef struct {
    char path[512];              /* file it was read from */
    char version[32];            /* the file's "version" ("" if absent) */
    double dt_s;                 /* metadata "dt" of the top graph in seconds, 0 if absent */
    int n_nodes, n_edges;
    nir_node *nodes;
    int (*edges)[2];             /* [source, target] node indices */
    int *order;                  /* nir_graph_check: nodes in feed-forward order */
} nir_graph;

/* Read path into g (zeroed first). Files that are not HDF5, or not a NIR
 * graph (no /node group, a node without type, an edge naming no node,
 * missing required parameters), are SNNEX_EINVAL with
 * "FILE: error: WHAT (node NAME); HOW TO FIX". A missing v_reset is zeros
 * and a missing w_in ones (serialization.py / nir.ir defaults), Flatten's
 * start_dim 1 and end_dim -1. Free with nir_graph_free, also after an
 * error. The HDF5 reading runs in a child process (HDF5 1.10 crashes on
 * some damaged files: that is then a damaged file, SNNEX_EINVAL), its
 * calls serialised (the library is not thread-safe). */
snnex_status nir_read(const char *path, nir_graph *g, snnex_err *err);
void nir_graph_free(nir_graph *g);

/* Check and order g: every node type known, no cycle other than the
 * recurrent weights of one neuron node (an Affine/Linear whose only input
 * is the neuron node's output and whose only output goes back into it),
 * every node's shape inferred and chaining with its neighbours (compared
 * by element count where the file writes a shape loosely: [1, 1, 1] for
 * one neuron, a length for a vector). Fills order, the shapes and
 * rec/rec_of. Errors name the node. */
snnex_status nir_graph_check(nir_graph *g, snnex_err *err);

/* What the import found per snnex layer beyond the snnex_layer itself: the
 * NIR nodes it came from and its weights. */
typedef struct {
    char nodes[160];             /* NIR node names, e.g. "0 (Conv2d) + 1 (IF)" */
    long weights;                /* weights in the file (rec included) */
    long zero_weights;           /* of which exactly 0 */
    int bias;                    /* 1: a bias with a nonzero entry; 0 none or all zero */
    int uses_dt;                 /* its neurons' β (α) came from time constants and dt */
    char note[200];              /* how the neuron parameters were derived, or "" */
} nir_layer_info;

/* Map a checked graph onto net (its input and layers; everything else is
 * left as it was): Affine/Linear → fc, Conv2d → conv, SumPool2d/AvgPool2d →
 * pool, Flatten → flatten, LIF/IF/CubaLIF/LI → the neurons of the weight
 * layer before them (β = exp(−dt/τ), α = exp(−dt/τ_syn), θ = (v_threshold −
 * v_leak)/gain with the forward-Euler input gain exporters write: r·dt/τ for
 * LIF, r for IF, r·dt/τ_mem · w_in·dt/τ_syn for CubaLIF), a recurrent
 * Affine → recurrent = true; weights into an Output with no neurons
 * between → an LI readout with β = 1e-6 (it passes its currents on). dt_s > 0 overrides
 * the file's metadata dt; a file with time constants and neither is an
 * error. line is stored in every layer (the config line of network.nir, or
 * 0). info (may be NULL) gets SNNEX_MAX_LAYERS entries. Runs
 * snnex_network_infer. */
snnex_status nir_to_network(const nir_graph *g, double dt_s, int line, snnex_network *net,
                            nir_layer_info *info, snnex_err *err);

/* nir_read + nir_graph_check + nir_to_network. */
snnex_status nir_load_network(const char *path, double dt_s, int line, snnex_network *net,
                              nir_layer_info *info, snnex_err *err);

/* Write the network group of a snnex config for net (from nir_to_network),
 * each layer commented with the NIR nodes it came from, its shape, weights
 * and share of zero weights. */
snnex_status nir_write_config(FILE *f, const nir_graph *g, const snnex_network *net,
                              const nir_layer_info *info, double dt_s, snnex_err *err);

/* Name of a node type as NIR writes it ("Affine", "CubaLIF", ...). */
const char *nir_type_name(nir_type t);

#endif
