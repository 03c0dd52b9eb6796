/* sweeps/pareto.c — the exact Pareto front (all objectives minimised) of a
 * set of points with 2 or 3 objectives. Duplicates of a nondominated
 * vector are all kept (equal vectors do not dominate each other). */
#include "sweeps/sweeps_internal.h"

#include <stdlib.h>

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
        /* lexicographic order puts every dominator of p before p, and
         * domination is transitive, so p is dominated iff some front point
         * found so far dominates it. Equal vectors are adjacent and share
         * the verdict; only the first is kept to test against (sampled
         * sweeps repeat designs: thousands of copies of a few vectors) */
        long *fr = malloc((size_t)n * sizeof *fr), h = 0;
        if (!fr) {
            free(ord);
            return SNNEX_ENOMEM;
        }
        for (long i = 0; i < n; i++) {
            const double *p = v + ord[i] * k;
            if (i > 0 && sweep_same(p, v + ord[i - 1] * k, k)) {
                front[ord[i]] = front[ord[i - 1]];
                continue;
            }
            int dom = 0;
            for (long j = h - 1; j >= 0 && !dom; j--)
                dom = sweep_dominates(v + fr[j] * k, p, k);
            if (!dom) {
                fr[h++] = ord[i];
                front[ord[i]] = 1;
            }
        }
        free(fr);
    }
    free(ord);
    return SNNEX_OK;
}
