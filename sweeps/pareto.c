/* sweeps/pareto.c — the exact Pareto front (all objectives minimised) of a
 * set of points with 2 or 3 objectives. Duplicates of a nondominated
 * vector are all kept (equal vectors do not dominate each other). */
#include "sweeps/sweeps_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const double *v;
    int k;
} sort_ctx;

/* qsort has no context argument; the comparator reads these (set under
 * the caller's lock-free assumption that one sort runs per thread). */
static _Thread_local sort_ctx cur;

static int cmp_lex(const void *a, const void *b)
{
    long i = *(const long *)a, j = *(const long *)b;
    for (int d = 0; d < cur.k; d++) {
        double x = cur.v[i * cur.k + d], y = cur.v[j * cur.k + d];
        if (x < y) return -1;
        if (x > y) return 1;
    }
    return (i > j) - (i < j);
}

int sweep_same(const double *a, const double *b, int k)
{
    for (int d = 0; d < k; d++)
        if (a[d] != b[d])
            return 0;
    return 1;
}

int sweep_dominates(const double *a, const double *b, int k)
{
    int strict = 0;
    for (int d = 0; d < k; d++) {
        if (a[d] > b[d])
            return 0;
        if (a[d] < b[d])
            strict = 1;
    }
    return strict;
}

snnex_status sweep_pareto(const double *v, long n, int k, unsigned char *front)
{
    if (n <= 0)
        return SNNEX_OK;
    long *ord = malloc((size_t)n * sizeof *ord);
    if (!ord)
        return SNNEX_ENOMEM;
    for (long i = 0; i < n; i++) {
        ord[i] = i;
        front[i] = 0;
    }
    cur.v = v;
    cur.k = k;
    qsort(ord, (size_t)n, sizeof *ord, cmp_lex);
    if (k == 2) {
        /* groups of equal f0 in increasing f0; the first of a group has the
         * group's least f1. A point is on the front iff its f1 equals that
         * least value and it is below every f1 seen in earlier groups. */
        double best = 0;
        int have = 0;
        for (long g = 0; g < n;) {
            long e = g;
            double f0 = v[ord[g] * 2], m = v[ord[g] * 2 + 1];
            while (e < n && v[ord[e] * 2] == f0)
                e++;
            if (!have || m < best) {
                for (long i = g; i < e && v[ord[i] * 2 + 1] == m; i++)
                    front[ord[i]] = 1;
                best = m;
                have = 1;
            }
            g = e;
        }
    } else {
        /* Kung, Luccio & Preparata, "On finding the maxima of a set of
         * vectors", JACM 22(4), 1975: lexicographic order puts every
         * dominator of p before p, so p is dominated iff an earlier point
         * is <= p in f1 and f2. The earlier points' (f1, f2) staircase
         * (f1 increasing, f2 decreasing: each point not <= another in
         * both) answers that: its last point with f1 <= p.f1 has the least
         * f2 of them. Equal vectors are adjacent and share the verdict
         * (sampled sweeps repeat designs). O(n log n + n s) for a
         * staircase of s points (s is small next to the front). */
        double *st = malloc((size_t)n * 2 * sizeof *st);
        long m = 0;
        if (!st) {
            free(ord);
            return SNNEX_ENOMEM;
        }
        for (long i = 0; i < n; i++) {
            const double *p = v + ord[i] * k;
            if (i > 0 && sweep_same(p, v + ord[i - 1] * k, k)) {
                front[ord[i]] = front[ord[i - 1]];
                continue;
            }
            long lo = 0, hi = m; /* lo: staircase points with f1 <= p.f1 */
            while (lo < hi) {
                long mid = (lo + hi) / 2;
                if (st[2 * mid] <= p[1])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo > 0 && st[2 * (lo - 1) + 1] <= p[2])
                continue; /* dominated */
            front[ord[i]] = 1;
            /* p replaces the staircase points >= it in f1 and f2: from the
             * first with f1 >= p.f1, while f2 >= p.f2 */
            long a = lo > 0 && st[2 * (lo - 1)] == p[1] ? lo - 1 : lo, e = a;
            while (e < m && st[2 * e + 1] >= p[2])
                e++;
            memmove(st + 2 * (a + 1), st + 2 * e, (size_t)(m - e) * 2 * sizeof *st);
            m += 1 - (e - a);
            st[2 * a] = p[1];
            st[2 * a + 1] = p[2];
        }
        free(st);
    }
    free(ord);
    return SNNEX_OK;
}
