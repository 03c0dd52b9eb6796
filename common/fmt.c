/* common/fmt.c — printf's "%.9g" without printf, for CSV writers that emit
 * millions of numbers: byte for byte what snprintf writes, several times
 * faster. A fast path scales by an exact power of ten; where that cannot
 * decide the rounding (a near-tie, or a number far out of range) snprintf
 * itself is asked, so the output is always exactly snprintf's. */
#include "common/common.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* p10[22 + k] = 10^k for -22 <= k <= 39, the double nearest to it: exact
 * for 0 <= k <= 22, within half an ulp otherwise. */
static const double p10[62] = {
    1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7,
    1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,   1e2,   1e3,   1e4,   1e5,   1e6,   1e7,  1e8,  1e9,
    1e10,  1e11,  1e12,  1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,  1e22,  1e23, 1e24, 1e25,
    1e26,  1e27,  1e28,  1e29,  1e30,  1e31,  1e32,  1e33,  1e34,  1e35,  1e36,  1e37,  1e38,  1e39};

static int g9_digits(double a, long *d, int *e);
static int put_9_digits(char *D, uint32_t d);
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
    char D[16];
    int nd = put_9_digits(D, (uint32_t)d); /* %g drops trailing zeros */
    *s = '-';
    s += v < 0;
    /* whole 8- and 9-byte copies; what lands past the returned end is
     * scratch (hence the 24 bytes of room) */
    if (e >= 0 && e < 9) {         /* %f style, as %g does for -4 <= X < P */
        memcpy(s, D, 9);
        if (nd <= e + 1)
            return s + e + 1;
        s[e + 1] = '.';
        memcpy(s + e + 2, D + e + 1, 8);
        return s + nd + 1;
    }
    if (e < 0 && e >= -4) {
        memcpy(s, "0.000", 5);     /* "0." and -e-1 zeros */
        s += 1 - e;
        memcpy(s, D, 9);
        return s + nd;
    }
    s[0] = D[0];                   /* %e style: d.dddddddde±XX */
    s[1] = '.';
    memcpy(s + 2, D + 1, 8);
    s += nd > 1 ? nd + 1 : 1;
    int x = abs(e);                /* the fast path keeps |e| <= 30 */
    s[0] = 'e';
    s[1] = e < 0 ? '-' : '+';
    s[2] = (char)('0' + x / 10);
    s[3] = (char)('0' + x % 10);
    return s + 4;
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
    double a = k >= 0 ? (double)d / p10[22 + k] : (double)d * p10[22 - k];
    return v < 0 ? -a : a;
}

/* The 9 significant digits of a (finite, > 0) rounded as printf rounds
 * them: d in [10^8, 10^9) and the decimal exponent e of the rounded value,
 * a ≈ d·10^(e-8). Returns -1 when the fast path cannot be sure: a outside
 * [1e-30, 1e30], or a·10^(8-e) within 10^-6 of a rounding tie. The scaled
 * value is off by at most two roundings (the power's and the product's:
 * < 2.5·10^-7 below 10^9), so outside that margin it rounds exactly as the
 * exact binary value does. */
static int g9_digits(double a, long *d, int *e)
{
    if (!(a >= 1e-30 && a <= 1e30))
        return -1;
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e2 = (int)(bits >> 52) - 1023;  /* 2^e2 <= a < 2^(e2+1): a is normal here */
    /* ~ floor(e2 log10 2) (1233 / 4096 ~ log10 2): the exponent or one less */
    int x = e2 >= 0 ? (e2 * 1233) >> 12 : -((-e2 * 1233 + 4095) >> 12);
    for (int tries = 0; tries < 4; tries++) {
        int k = 8 - x;             /* -22 <= k <= 39: a in [1e-30, 1e30] keeps -31 <= x <= 30 */
        double y = a * p10[22 + k];
        double yr = (y + 0x1p52) - 0x1p52;  /* y < 10^10: y rounded to an integer (round to nearest) */
        if (fabs(y - yr) > 0.5 - 1e-6)      /* exact difference (Sterbenz) */
            return -1;
        long r = (long)yr;
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

/* The 9 decimal digits of d (10^8 <= d < 10^9) into D[0..8]; returns how
 * many remain without trailing zeros. The last eight are found in SIMD
 * fashion within one 64-bit word (two 4-digit halves, then 2-digit
 * quarters, then digits: each lane's quotient by a multiply and a shift,
 * exact for these ranges), stored little-endian, first digit first. */
static int put_9_digits(char *D, uint32_t d)
{
    uint32_t lo = d % 100000000u;
    uint64_t x = lo / 10000 | (uint64_t)(lo % 10000) << 32;       /* 32-bit lanes < 10^4 */
    uint64_t q = (x * 10486) >> 20 & 0x0000007F0000007FULL;        /* lane / 100 */
    x = (x - q * 100) << 16 | q;                                   /* 16-bit lanes < 100 */
    q = (x * 103) >> 10 & 0x000F000F000F000FULL;                   /* lane / 10 */
    x = (x - q * 10) << 8 | q;                                     /* bytes: digits */
    D[0] = (char)('0' + d / 100000000u);
    uint64_t ascii = x | 0x3030303030303030ULL;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    ascii = __builtin_bswap64(ascii);
#endif
    memcpy(D + 1, &ascii, 8);
    return x ? 9 - __builtin_clzll(x) / 8 : 1;
}

/* What the fast path cannot decide: snprintf itself. */
static char *g9_slow(char *s, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.9g", v);
    memcpy(s, buf, (size_t)n);
    return s + n;
}
