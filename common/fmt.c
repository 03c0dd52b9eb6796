/* common/fmt.c — printf's "%.9g" without printf, for CSV writers that emit
 * millions of numbers: byte for byte what snprintf writes, several times
 * faster. A fast path scales by an exact power of ten; where that cannot
 * decide the rounding (a near-tie, or a number far out of range) snprintf
 * itself is asked, so the output is always exactly snprintf's. */
#include "common/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 10^0 .. 10^22: every one is exactly a double. */
static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int g9_digits(double a, long *d, int *e);
static char *g9_slow(char *s, double v);

char *snnex_fmt_g9(char *s, double v)
{
    long d;
    int e;
    if (v == 0) {
        if (signbit(v))
            *s++ = '-';
        *s++ = '0';
        return s;
    }
    if (g9_digits(fabs(v), &d, &e))
        return g9_slow(s, v);
    char D[9];
    for (int i = 8; i >= 0; i--, d /= 10)
        D[i] = (char)('0' + d % 10);
    int nd = 9;                    /* %g drops trailing zeros */
    while (nd > 1 && D[nd - 1] == '0')
        nd--;
    if (v < 0)
        *s++ = '-';
    if (e >= -4 && e < 9) {        /* %f style, as %g does for -4 <= X < P */
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                *s++ = i < nd ? D[i] : '0';
            if (nd > e + 1)
                *s++ = '.';
            for (int i = e + 1; i < nd; i++)
                *s++ = D[i];
        } else {
            *s++ = '0', *s++ = '.';
            for (int i = 0; i < -e - 1; i++)
                *s++ = '0';
            memcpy(s, D, (size_t)nd);
            s += nd;
        }
        return s;
    }
    *s++ = D[0];                   /* %e style: d.dddddddde±XX */
    if (nd > 1) {
        *s++ = '.';
        memcpy(s, D + 1, (size_t)nd - 1);
        s += nd - 1;
    }
    *s++ = 'e';
    *s++ = e < 0 ? '-' : '+';
    int x = abs(e);                /* the fast path keeps |e| <= 30 */
    *s++ = (char)('0' + x / 10);
    *s++ = (char)('0' + x % 10);
    return s;
}

double snnex_round_g9(double v)
{
    long d;
    int e;
    if (v == 0 || g9_digits(fabs(v), &d, &e) || e < -14 || e > 30) {
        char buf[40];
        *snnex_fmt_g9(buf, v) = 0;
        return strtod(buf, NULL);
    }
    /* d < 2^53 and 10^|8-e| <= 10^22 are exact, so one IEEE operation is
     * the correctly rounded value of the decimal, as strtod reads it
     * (Clinger, "How to read floating point numbers accurately", PLDI
     * 1990, the fast path) */
    int k = 8 - e;
    double a = k >= 0 ? (double)d / p10[k] : (double)d * p10[-k];
    return v < 0 ? -a : a;
}

/* The 9 significant digits of a (finite, > 0) rounded as printf rounds
 * them: d in [10^8, 10^9) and the decimal exponent e of the rounded value,
 * a ≈ d·10^(e-8). Returns -1 when the fast path cannot be sure: a outside
 * [1e-30, 1e30], or a·10^(8-e) within 10^-6 of a rounding tie. The scaled
 * value is off by at most two roundings (< 2.5·10^-7 at 10^9), so outside
 * that margin it rounds exactly as the exact binary value does. */
static int g9_digits(double a, long *d, int *e)
{
    if (!(a >= 1e-30 && a <= 1e30))
        return -1;
    int e2;
    frexp(a, &e2);                 /* 2^(e2-1) <= a < 2^e2 */
    int x = (int)floor((e2 - 1) * 0.30102999566398120); /* log10(2): x or x-1 is the exponent */
    for (int tries = 0; tries < 4; tries++) {
        int k = 8 - x;             /* -22 <= k <= 38 */
        double y = k < 0 ? a / p10[-k] : k <= 22 ? a * p10[k] : a * 1e22 * p10[k - 22];
        double fl = floor(y), fr = y - fl;
        if (fabs(fr - 0.5) < 1e-6)
            return -1;
        long r = (long)fl + (fr > 0.5);
        if (r >= 1000000000L)
            x++;
        else if (r < 100000000L)
            x--;
        else {
            *d = r;
            *e = x;
            return 0;
        }
    }
    return -1;
}

static char *g9_slow(char *s, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.9g", v);
    memcpy(s, buf, (size_t)n);
    return s + n;
}
