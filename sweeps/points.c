/* sweeps/points.c — from a point number to axis value indices (grid,
 * random, Latin hypercube) and from indices to a config. Stateless per
 * point, so any thread, rank or resumed run computes the same point. */
#include "sweeps/sweeps_internal.h"

#include <string.h>

/* SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a good 64-bit mix of a counter. */
static uint64_t mix64(uint64_t z)
{
    z += UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t draw(uint64_t seed, uint64_t p, int j)
{
    return mix64(mix64(seed ^ UINT64_C(0x5EED)) ^ mix64(p * SWEEP_MAX_AXES + (uint64_t)j));
}

/* A seeded pseudo-random permutation of [0, n), stateless: a 4-round
 * balanced Feistel network on the smallest even number of bits covering n
 * (a bijection of [0, 2^2h)), cycle-walked until the value falls below n
 * (Black & Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002).
 * At most 4x as many values as n are walked over, under 2 steps on
 * average. */
static uint64_t permute(uint64_t seed, uint64_t n, uint64_t x)
{
    if (n <= 1)
        return 0;
    x %= n; /* callers keep x < n (sweep_resample, the spec check) */
    int h = 1;
    while (h < 32 && (UINT64_C(1) << (2 * h)) < n)
        h++;
    const uint64_t mask = (UINT64_C(1) << h) - 1;
    uint64_t key[4];
    for (int k = 0; k < 4; k++)
        key[k] = mix64(seed ^ UINT64_C(0xFE15) ^ ((uint64_t)k << 56));
    do {
        uint64_t l = x >> h, r = x & mask;
        for (int k = 0; k < 4; k++) {
            uint64_t t = l ^ (mix64(key[k] ^ r) & mask);
            l = r, r = t;
        }
        x = (l << h) | r;
    } while (x >= n);
    return x;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

void sweep_points_init(sweep_spec *spec)
{
    uint64_t n = spec->points ? spec->points : 1;
    for (int j = 0; j < spec->n_axes; j++) {
        uint64_t a = n > 1 ? 1 + mix64(spec->seed * 31 + (uint64_t)j) % (n - 1) : 1;
        while (gcd64(a, n) != 1)
            a = a + 1 < n ? a + 1 : 1;
        spec->lhs_a[j] = a;
        spec->lhs_b[j] = mix64(spec->seed * 131 + (uint64_t)j + 7) % n;
    }
}

snnex_status sweep_resample(sweep_spec *spec, sweep_sampling m, uint64_t points, uint64_t seed, snnex_err *err)
{
    if (m == SWEEP_RANDOM && points > spec->grid_points)
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

/* Grid point g as axis value indices: mixed radix, last axis fastest. */
static void grid_axes(const sweep_spec *spec, uint64_t g, int *idx)
{
    for (int j = spec->n_axes - 1; j >= 0; j--) {
        uint64_t n = (uint64_t)spec->axes[j].n;
        idx[j] = (int)(g % n);
        g /= n;
    }
}

void sweep_point_axes(const sweep_spec *spec, uint64_t p, int *idx)
{
    switch (spec->sampling) {
    case SWEEP_GRID:
        grid_axes(spec, p, idx);
        return;
    case SWEEP_RANDOM:
        /* without replacement: point p is grid point perm(p), for a
         * seeded permutation of the grid */
        grid_axes(spec, permute(spec->seed, spec->grid_points, p), idx);
        return;
    case SWEEP_LHS: {
        uint64_t N = spec->points;
        for (int j = 0; j < spec->n_axes; j++) {
            uint64_t s = (uint64_t)(((unsigned __int128)spec->lhs_a[j] * p + spec->lhs_b[j]) % N);
            double u = (double)(draw(spec->seed, p, j) >> 11) * 0x1.0p-53; /* [0,1) */
            int k = (int)(((double)s + u) / (double)N * spec->axes[j].n);
            idx[j] = k < spec->axes[j].n ? k : spec->axes[j].n - 1;
        }
        return;
    }
    }
}

snnex_status sweep_apply(const sweep_spec *spec, snnex_config *cfg, const int *prev, const int *idx,
                         snnex_err *err)
{
    int from = 0;
    if (prev) {
        from = spec->n_axes;
        for (int j = 0; j < spec->n_axes; j++)
            if (prev[j] != idx[j]) {
                from = j;
                break;
            }
    }
    for (int j = from; j < spec->n_axes; j++) {
        const sweep_axis *ax = &spec->axes[j];
        for (int k = 0; k < ax->nkeys; k++) {
            snnex_status st = snnex_setting_apply(cfg, &ax->set[idx[j] * ax->nkeys + k], err);
            if (st)
                return st;
        }
    }
    return SNNEX_OK;
}
