/* sweeps/points.c — from a point number to its design (grid, random,
 * Latin hypercube: value indices of the discrete axes, values of the
 * continuous ones) and from a design to a config. Stateless per point, so
 * any thread, rank or resumed run computes the same point. */
#include "sweeps/sweeps_internal.h"

#include <math.h>
#include <string.h>

/* SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a good 64-bit mix of a counter. */
uint64_t sweep_mix64(uint64_t z)
{
    z += UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t draw(uint64_t seed, uint64_t p, int j)
{
    return sweep_mix64(sweep_mix64(seed ^ UINT64_C(0x5EED)) ^ sweep_mix64(p * SWEEP_MAX_AXES + (uint64_t)j));
}

/* A seeded pseudo-random permutation of [0, n), stateless: a 4-round
 * balanced Feistel network on the smallest even number of bits covering n
 * (a bijection of [0, 2^2h)), cycle-walked until the value falls below n
 * (Black & Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002).
 * At most 4x as many values as n are walked over, under 2 steps on
 * average. */
static void perm_keys(uint64_t seed, uint64_t *key)
{
    for (int k = 0; k < 4; k++)
        key[k] = sweep_mix64(seed ^ UINT64_C(0xFE15) ^ ((uint64_t)k << 56));
}

static uint64_t permute(const uint64_t *key, uint64_t n, uint64_t x)
{
    if (n <= 1)
        return 0;
    x %= n; /* callers keep x < n */
    int h = 1;
    while (h < 32 && (UINT64_C(1) << (2 * h)) < n)
        h++;
    const uint64_t mask = (UINT64_C(1) << h) - 1;
    do {
        uint64_t l = x >> h, r = x & mask;
        for (int k = 0; k < 4; k++) {
            uint64_t t = l ^ (sweep_mix64(key[k] ^ r) & mask);
            l = r, r = t;
        }
        x = (l << h) | r;
    } while (x >= n);
    return x;
}

void sweep_points_init(sweep_spec *spec)
{
    for (int j = 0; j < SWEEP_MAX_AXES; j++)
        perm_keys(sweep_mix64(spec->seed * 131 + (uint64_t)j + 7), spec->perm_keys[j]);
    perm_keys(spec->seed, spec->perm_keys[SWEEP_MAX_AXES]);
}

snnex_status sweep_resample(sweep_spec *spec, sweep_sampling m, uint64_t points, uint64_t seed, snnex_err *err)
{
    if (m == SWEEP_RANDOM && !spec->n_continuous && points > spec->grid_points)
        return snnex_err_set(err, SNNEX_EINVAL, spec->cfg_path, 0,
                             "%llu random points exceed the %llu points of the grid; random sampling draws each "
                             "grid point at most once",
                             (unsigned long long)points, (unsigned long long)spec->grid_points);
    spec->sampling = m;
    spec->points = m == SWEEP_GRID ? spec->grid_points : points ? points : 1;
    spec->seed = seed;
    sweep_points_init(spec);
    return SNNEX_OK;
}

/* Grid point g as axis value indices: mixed radix, last axis fastest
 * (only the axes that are not continuous when skip_cont). */
static void grid_axes(const sweep_spec *spec, uint64_t g, int skip_cont, int *idx)
{
    for (int j = spec->n_axes - 1; j >= 0; j--) {
        if (skip_cont && spec->axes[j].continuous)
            continue;
        uint64_t n = (uint64_t)spec->axes[j].n;
        idx[j] = (int)(g % n);
        g /= n;
    }
}

/* The value of a continuous axis at x in [0, 1): as the CSV shows it (an
 * integer key: [from, to + 1) floored, spec.c set the span so). */
static double range_value(const sweep_axis *ax, double x)
{
    double v = ax->log ? ax->from * exp(ax->span * x) : ax->from + ax->span * x;
    return ax->integer ? fmin(floor(v), ax->to) : snnex_round_g9(v);
}

uint64_t sweep_design_hash(const sweep_spec *spec, const sweep_point *pt)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (int j = 0; j < spec->n_axes; j++) {
        uint64_t x;
        if (pt->idx[j] < 0)
            memcpy(&x, &pt->val[j], sizeof x);
        else
            x = (uint64_t)pt->idx[j];
        h = sweep_mix64(h ^ x) + (uint64_t)j;
    }
    return h;
}

void sweep_point_axes(const sweep_spec *spec, uint64_t p, sweep_point *pt)
{
    if (spec->sampling == SWEEP_GRID) {
        grid_axes(spec, p, 0, pt->idx);
        return;
    }
    /* the combinations of the discrete axes: a fresh seeded permutation of
     * all D of them for each round of D points */
    uint64_t D = spec->discrete_points, round = p / D, key[4];
    if (round)
        perm_keys(sweep_mix64(spec->seed ^ sweep_mix64(round)), key);
    grid_axes(spec, permute(round ? key : spec->perm_keys[SWEEP_MAX_AXES], D, p % D), 1, pt->idx);
    for (int j = 0; j < spec->n_axes; j++) {
        const sweep_axis *ax = &spec->axes[j];
        if (!ax->continuous)
            continue;
        double u = (double)(draw(spec->seed, p, j) >> 11) * 0x1.0p-53; /* [0,1) */
        if (spec->sampling == SWEEP_LHS) {
            /* stratum s of N, a seeded permutation per axis */
            uint64_t N = spec->points;
            uint64_t s = permute(spec->perm_keys[j], N, p);
            u = ((double)s + u) / (double)N;
        }
        pt->idx[j] = -1;
        pt->val[j] = range_value(ax, u);
    }
}

snnex_status sweep_apply(const sweep_spec *spec, snnex_config *cfg, const sweep_point *prev,
                         const sweep_point *cur, snnex_err *err)
{
    int from = 0;
    if (prev) {
        from = spec->n_axes;
        for (int j = 0; j < spec->n_axes; j++)
            if (prev->idx[j] != cur->idx[j] || (cur->idx[j] < 0 && prev->val[j] != cur->val[j])) {
                from = j;
                break;
            }
    }
    for (int j = from; j < spec->n_axes; j++) {
        const sweep_axis *ax = &spec->axes[j];
        snnex_status st = SNNEX_OK;
        if (cur->idx[j] < 0) {
            /* the range's setting with this point's value, stored as
             * snnex_setting_parse stores it (spec.c found the scale) */
            snnex_setting s = ax->tmpl;
            if (ax->integer)
                s.v.i[0] = (int)cur->val[j];
            else
                s.v.d = cur->val[j] * ax->scale;
            st = snnex_setting_apply(cfg, &s, err);
        }
        for (int k = 0; k < ax->nkeys && cur->idx[j] >= 0 && !st; k++)
            st = snnex_setting_apply(cfg, &ax->set[cur->idx[j] * ax->nkeys + k], err);
        if (st)
            return st;
    }
    return SNNEX_OK;
}
