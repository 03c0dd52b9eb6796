/* Internal to nir/: helpers shared by its files. Not installed. */
#ifndef SNNEX_NIR_INTERNAL_H
#define SNNEX_NIR_INTERNAL_H

#include "nir/nir.h"

/* The parameter name of node n, or NULL. */
const nir_param *nir_param_get(const nir_node *n, const char *name);

/* LIF, IF, CubaLIF, LI, CubaLI, I: nodes with a neuron state. */
int nir_is_neuron(nir_type t);

/* Element i of a scalar-or-pair parameter (stride, padding, ...): a scalar
 * for every i; def when p is absent or a string. */
long nir_pair(const nir_param *p, int i, long def);

/* "[2, 34, 34]" into buf. */
char *nir_shape_str(const long *d, int nd, char *buf, size_t len);

/* SNNEX_EINVAL with "FILE: error: WHAT (node NODE); HOW" (node may be
 * NULL); what is printf-style with the arguments, how a plain string. */
snnex_status nir_fail(const nir_graph *g, snnex_err *err, const char *node, const char *what, const char *how, ...)
    __attribute__((format(printf, 4, 6)));

/* ---- HDF5 datasets (nir/dataset.c); the hid_t arguments are HDF5 ids ---- */
#include <hdf5.h>

/* name exists under loc. */
int nir_h5_exists(hid_t loc, const char *name);

/* The strings of a string dataset (scalar or array), malloc'ed, *n their
 * count; -1 for anything else or a damaged one. */
int nir_h5_strings(hid_t did, char ***out, long *n);
void nir_h5_free_strings(char **s, long n);

/* One string from the dataset name under loc, or NULL. */
char *nir_h5_string(hid_t loc, const char *name);

/* A numeric or string dataset into p. keep = 0: count the values
 * (weights) without keeping them. Returns 0, -1 for a type that is not a
 * number or a string, -2 for a memory failure, -3 for more values than
 * the file or a chip can hold, -4 when the data cannot be read (damaged). */
int nir_h5_param(hid_t did, nir_param *p, int keep);

/* nir_read in this process (nir_read runs it in a child). */
snnex_status nir_read_here(const char *path, nir_graph *g, snnex_err *err);

#endif
