/* sweeps — design-space sweeps: a sweep config (a base snnex config plus a
 * `sweep` group of axes, constraints, objectives and sampling) is expanded
 * point by point (never held whole), evaluated in parallel (OpenMP, and MPI
 * ranks when built with -DSNNEX_MPI), streamed to DIR/points.csv in
 * deterministic order with crash-safe chunk commits, and reduced to the
 * Pareto front of the feasible points (DIR/pareto.csv). */
#ifndef SNNEX_SWEEPS_H
#define SNNEX_SWEEPS_H

#include <stdint.h>
#include <stdio.h>
#include "estimator/estimator.h"

#define SWEEP_MAX_AXES 16
#define SWEEP_MAX_KEYS 4           /* keys zipped in one axis */
#define SWEEP_MAX_CONSTRAINTS 8
#define SWEEP_MAX_OBJ 3
#define SWEEP_KEY_LEN 64
#define SWEEP_VAL_LEN 32

/* One axis: n values of k zipped keys; value j of key i is
 * vals[j * nkeys + i] (its string form, as written to the CSV) and
 * set[j * nkeys + i] (parsed once, applied to each point). */
typedef struct {
    int nkeys;
    char keys[SWEEP_MAX_KEYS][SWEEP_KEY_LEN];
    int n;
    char (*vals)[SWEEP_VAL_LEN];
    snnex_setting *set;
    int line;                      /* config line, for messages */
} sweep_axis;

typedef struct {
    char metric[SWEEP_KEY_LEN];
    int ge;                        /* 1: metric >= value; 0: metric <= value */
    double value;
} sweep_constraint;

typedef struct {
    char metric[SWEEP_KEY_LEN];
    int maximize;
} sweep_objective;

typedef enum { SWEEP_GRID = 0, SWEEP_RANDOM, SWEEP_LHS } sweep_sampling;

/* A parsed sweep config. Free with sweep_spec_free. */
typedef struct {
    snnex_config base;             /* the config the axes modify */
    char cfg_path[512];
    char trace_path[1024];         /* "" = densities from the config */
    snnex_trace trace;
    int has_trace;
    int n_axes;
    sweep_axis axes[SWEEP_MAX_AXES];
    int n_constraints;
    sweep_constraint constraints[SWEEP_MAX_CONSTRAINTS];
    int n_obj;
    sweep_objective obj[SWEEP_MAX_OBJ];
    sweep_sampling sampling;
    uint64_t seed;
    uint64_t lhs_a[SWEEP_MAX_AXES], lhs_b[SWEEP_MAX_AXES]; /* LHS permutations p -> (a p + b) mod points */
    uint64_t grid_points;          /* product of the axis sizes */
    uint64_t points;               /* points evaluated (grid_points for a grid) */
    long chunk;                    /* rows per committed chunk */
    uint64_t hash;                 /* identity of the sweep, for --resume */
    int cons_metric[SWEEP_MAX_CONSTRAINTS], obj_metric[SWEEP_MAX_OBJ]; /* indices in snnex_metric_names */
} sweep_spec;

/* Load CFG (a normal snnex config with a `sweep` group; see README
 * "Sweeps"). Errors are FILE:LINE with a fix hint. spec is large: allocate
 * it on the heap. */
snnex_status sweep_spec_load(const char *path, sweep_spec *spec, snnex_err *err);
void sweep_spec_free(sweep_spec *spec);

/* Axis value indices of point p (0 <= p < spec->points): mixed radix for a
 * grid (last axis fastest), the grid point at p of a seeded permutation of
 * the grid for random (distinct points), a seeded permutation per axis for
 * Latin hypercube. O(axes) time, no state. */
void sweep_point_axes(const sweep_spec *spec, uint64_t p, int *idx);

/* Replace the sampling of a loaded spec (the bench samples the shipped
 * grid): SWEEP_LHS or SWEEP_RANDOM with points and seed, or SWEEP_GRID.
 * SNNEX_EINVAL when random sampling asks for more points than the grid
 * has (it draws each grid point at most once). */
snnex_status sweep_resample(sweep_spec *spec, sweep_sampling m, uint64_t points, uint64_t seed, snnex_err *err);

/* Apply point idx to cfg, which holds point prev (or the base config when
 * prev is NULL): only axes from the first that differs onwards are set
 * again, which gives the same config as applying every axis in order to
 * the base. */
snnex_status sweep_apply(const sweep_spec *spec, snnex_config *cfg, const int *prev, const int *idx,
                         snnex_err *err);

/* Pareto front of n points with k (2 or 3) objectives to minimise, values
 * row-major in v[i*k + j]. Sets front[i] = 1 for nondominated points, else
 * 0. a dominates b when a <= b in every objective and < in one; points
 * with equal vectors do not dominate each other, so every duplicate of a
 * nondominated point is kept. k = 2: sort and scan, O(n log n). k = 3:
 * sort lexicographically, then test each point against the front found so
 * far, O(n log n + n h) for a front of h points. Returns SNNEX_ENOMEM or
 * SNNEX_OK. */
snnex_status sweep_pareto(const double *v, long n, int k, unsigned char *front);

/* Does a dominate b (k objectives to minimise: a <= b in all, < in one)? */
int sweep_dominates(const double *a, const double *b, int k);

/* Options of one run. */
typedef struct {
    const char *out_dir;
    int threads;                   /* 0 = OpenMP default */
    int resume;
    int progress;                  /* print a progress line on stderr */
    long stop_after_chunks;        /* test hook: simulate a crash after K chunks (0 = off) */
    int quiet;                     /* no stdout summary */
} sweep_opts;

/* Summary of a finished run. */
typedef struct {
    uint64_t points, feasible;
    long front;
    double seconds;
    double best[SWEEP_MAX_OBJ];
    uint64_t best_index[SWEEP_MAX_OBJ];
} sweep_summary;

/* Run the sweep: DIR/points.csv, DIR/pareto.csv, DIR/progress. With MPI
 * (SNNEX_MPI) every rank calls it; rank 0 writes the files. */
snnex_status sweep_run(sweep_spec *spec, const sweep_opts *opt, sweep_summary *sum, snnex_err *err);

/* Names of the per-component energy columns in pareto.csv ("E_compute_J",
 * ...), SNNEX_N_COMP of them. */
extern const char *const sweep_comp_columns[SNNEX_N_COMP];

#endif
