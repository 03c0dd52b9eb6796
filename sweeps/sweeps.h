/* sweeps — design-space sweeps: a sweep config (a base snnex config plus a
 * `sweep` group of axes, constraints, objectives and sampling) is expanded
 * point by point (never held whole), evaluated in parallel (OpenMP, and MPI
 * ranks when built with -DSNNEX_MPI), streamed to DIR/points.csv.partial in
 * deterministic order with crash-safe chunk commits (renamed to
 * DIR/points.csv once the sweep is complete), and reduced to the Pareto
 * front of the feasible points, one row per distinct design
 * (DIR/pareto.csv). Memory is O(front + chunk), whatever the point count. */
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
 * set[j * nkeys + i] (parsed once, applied to each point). A range axis
 * (linear/log, one key) is continuous: the grid uses its n = steps values,
 * random and LHS sampling draw any value in [from, to] (rounded to an
 * integer for an integer key, else to 9 significant digits, the value the
 * CSV shows). */
typedef struct {
    int nkeys;
    char keys[SWEEP_MAX_KEYS][SWEEP_KEY_LEN];
    int n;
    char (*vals)[SWEEP_VAL_LEN];
    snnex_setting *set;
    int line;                      /* config line, for messages */
    int continuous;                /* 1: a linear/log range */
    int log, integer;              /* log range; integer-valued key */
    double from, to;               /* the range */
    double span;                   /* to - from, or log(to / from) for a log range */
    snnex_setting tmpl;            /* the range's setting (value replaced per point) */
    double scale;                  /* stored value per unit of the config value */
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
    uint64_t grid_points;          /* product of the axis sizes */
    uint64_t discrete_points;      /* product of the sizes of the axes that are not continuous */
    int n_continuous;              /* continuous axes */
    uint64_t perm_keys[SWEEP_MAX_AXES + 1][4]; /* permutation keys: LHS strata of axis j; [SWEEP_MAX_AXES]
                                                  the first round of discrete combinations */
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

/* One design: for axis j, the index idx[j] of its value, or (a continuous
 * axis under random or LHS sampling) idx[j] = -1 and the value val[j]. */
typedef struct {
    int idx[SWEEP_MAX_AXES];
    double val[SWEEP_MAX_AXES];
} sweep_point;

/* The design of point p (0 <= p < spec->points). Grid: mixed radix (last
 * axis fastest). Random and LHS: the axes that are not continuous take the
 * combination at p mod D of a seeded permutation of their D combinations
 * (a fresh permutation for each further round of D points), so no
 * combination repeats before all D are used; continuous axes take values
 * uniform over the range (linear or log), independently per point for
 * random, one per 1/points stratum (a seeded permutation per axis) for
 * LHS. O(axes) time, no state. */
void sweep_point_axes(const sweep_spec *spec, uint64_t p, sweep_point *pt);

/* Replace the sampling of a loaded spec (the bench samples the shipped
 * grid): SWEEP_LHS or SWEEP_RANDOM with points and seed, or SWEEP_GRID.
 * SNNEX_EINVAL when random sampling asks for more points than there are
 * designs (no continuous axis and more points than the grid has). */
snnex_status sweep_resample(sweep_spec *spec, sweep_sampling m, uint64_t points, uint64_t seed, snnex_err *err);

/* Apply point cur to cfg, which holds point prev (or the base config when
 * prev is NULL): only axes from the first that differs onwards are set
 * again, which gives the same config as applying every axis in order to
 * the base. */
snnex_status sweep_apply(const sweep_spec *spec, snnex_config *cfg, const sweep_point *prev,
                         const sweep_point *cur, snnex_err *err);

/* Pareto front of n points with k (2 or 3) objectives to minimise, values
 * row-major in v[i*k + j]. Sets front[i] = 1 for nondominated points, else
 * 0. a dominates b when a <= b in every objective and < in one; points
 * with equal vectors do not dominate each other, so every duplicate of a
 * nondominated point is kept. k = 2: sort and scan, O(n log n). k = 3:
 * sort lexicographically, then sweep keeping the staircase of the first
 * two objectives (Kung, Luccio & Preparata 1975), O(n log n + n s) for a
 * staircase of s points. Returns SNNEX_ENOMEM or SNNEX_OK. */
snnex_status sweep_pareto(const double *v, long n, int k, unsigned char *front);

/* Does a dominate b (k objectives to minimise: a <= b in all, < in one)? */
int sweep_dominates(const double *a, const double *b, int k);

/* Which rows go to points.csv. */
typedef enum { SWEEP_OUT_ALL = 0, SWEEP_OUT_FEASIBLE, SWEEP_OUT_NONE } sweep_points_out;

/* Options of one run. */
typedef struct {
    const char *out_dir;
    int threads;                   /* 0 = OpenMP default */
    int resume;
    int progress;                  /* print a progress line on stderr */
    sweep_points_out points_out;   /* rows written to points.csv (none: no points.csv) */
} sweep_opts;

/* Summary of a finished run. best[] and best_index[] are set only when
 * this run computed the front (not when it found the sweep already done). */
typedef struct {
    uint64_t points, feasible;
    long front;
    double seconds;
    double best[SWEEP_MAX_OBJ];
    uint64_t best_index[SWEEP_MAX_OBJ];
    int already_done;              /* --resume found the sweep complete: nothing was written */
} sweep_summary;

/* Run the sweep. While it runs, DIR holds progress (what is durable),
 * points.csv.partial (the committed rows) and front.partial (the committed
 * rows' front points); when every point is done it writes pareto.csv and
 * objectives, renames points.csv.partial to points.csv, and only then
 * marks progress done (each file fsync'ed before its rename). So
 * points.csv and pareto.csv exist only for a complete sweep. Bad input or
 * an output directory that cannot be written: SNNEX_EINVAL before any
 * work; a write failing part-way (disk full): SNNEX_EIO, and --resume
 * continues from the last committed chunk. With MPI (SNNEX_MPI) every rank
 * calls it; rank 0 writes the files. */
snnex_status sweep_run(sweep_spec *spec, const sweep_opts *opt, sweep_summary *sum, snnex_err *err);

/* Names of the per-component energy columns in pareto.csv ("E_compute_J",
 * ...), SNNEX_N_COMP of them. */
extern const char *const sweep_comp_columns[SNNEX_N_COMP];

#endif
