/* test_common — the "%.9g" formatter against glibc's snprintf (the
 * reference: every output must be byte-identical) and its read-back value
 * against strtod, on random bit patterns (subnormals, NaN, infinities),
 * log-uniform values over the fast path's range, and constructed rounding
 * ties and their neighbours. */
#include "common/common.h"
#include "test_util.h"

#include <float.h>
#include <stdint.h>

static uint64_t rng = 0x9E3779B97F4A7C15u;

/* xorshift64*: any fixed sequence will do; the seed makes failures
 * repeatable. */
static uint64_t next_u64(void)
{
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned n_bad;          /* mismatches so far (CUnit is slow with millions of asserts) */

/* v formatted by snnex_fmt_g9 equals snprintf's "%.9g", and
 * snnex_round_g9(v) is bit for bit what strtod reads from it; counts a
 * mismatch in n_bad and shows the first few. */
static void check(double v)
{
    char want[64], got[64];
    snprintf(want, sizeof want, "%.9g", v);
    *snnex_fmt_g9(got, v) = 0;
    double r = snnex_round_g9(v), s = strtod(want, NULL);
    int same_r = memcmp(&r, &s, sizeof r) == 0 || (isnan(r) && isnan(s));
    if ((strcmp(want, got) || !same_r) && n_bad++ < 10)
        fprintf(stderr, "\n  %a: snprintf %s, snnex_fmt_g9 %s, round %.17g vs strtod %.17g\n", v, want, got, r, s);
}

static double from_bits(uint64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* Special values and the edges of the fast path. */
static void test_g9_special(void)
{
    const double v[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e-5, 1.23456789e-5, 9.999999995e-5, 1e-4, 1e8, 1e9,
                        123456789.0, 999999999.0, 999999999.5, 9999999995.0, 1e30, 1e-30, 1.5e30, 1.5e-30,
                        DBL_MAX, DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, 4.9406564584124654e-320, INFINITY,
                        -INFINITY, NAN, -NAN, 0.1, 0.3, 2.0 / 3.0, 100.0, 1e5, 123456.0, 0.000123456789};
    n_bad = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check(v[i]);
    CU_ASSERT_EQUAL(n_bad, 0);
    /* hand-checked: %g switches to exponent form below 1e-4 and at 1e9 */
    char b[32];
    *snnex_fmt_g9(b, 7.46839199e-05) = 0;
    CU_ASSERT_STRING_EQUAL(b, "7.46839199e-05");
    *snnex_fmt_g9(b, 0.000123456789) = 0;
    CU_ASSERT_STRING_EQUAL(b, "0.000123456789");
    *snnex_fmt_g9(b, -0.0) = 0;
    CU_ASSERT_STRING_EQUAL(b, "-0");
    *snnex_fmt_g9(b, 1234567890.0) = 0;
    CU_ASSERT_STRING_EQUAL(b, "1.23456789e+09");
}

/* 10^6 random bit patterns: every exponent, subnormals, NaNs. */
static void test_g9_random_bits(void)
{
    n_bad = 0;
    for (int i = 0; i < 1000000; i++)
        check(from_bits(next_u64()));
    CU_ASSERT_EQUAL(n_bad, 0);
}

/* 10^6 log-uniform values over [1e-32, 1e32] (the fast path and a
 * little beyond), both signs. */
static void test_g9_log_uniform(void)
{
    n_bad = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = (double)(next_u64() >> 11) * 0x1.0p-53;
        double v = pow(10.0, -32.0 + 64.0 * u);
        check(i & 1 ? -v : v);
    }
    CU_ASSERT_EQUAL(n_bad, 0);
}

/* Ties and near-ties: decimals of 10 significant digits ending in 5 (the
 * rounding digit), exact binary ties such as 123456788.5 (round half to
 * even), and the doubles next to each on both sides. */
static void test_g9_ties(void)
{
    n_bad = 0;
    for (int i = 0; i < 200000; i++) {
        long m = 100000000L + (long)(next_u64() % 900000000UL);
        int ex = (int)(next_u64() % 61) - 30;
        char s[64];
        snprintf(s, sizeof s, "%ld5e%d", m, ex - 9);
        double v = strtod(s, NULL);
        check(v);
        check(nextafter(v, INFINITY));
        check(nextafter(v, -INFINITY));
        double t = (double)m + 0.5;       /* exact tie at 10^8 <= t < 10^9 */
        check(t);
        check(ldexp(t, (int)(next_u64() % 40) - 20)); /* same digits, scaled by a power of two */
        check(m * 10.0 + 5.0);            /* exact integer tie */
    }
    CU_ASSERT_EQUAL(n_bad, 0);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("common", NULL, NULL);
    CU_add_test(s, "%.9g: special values and range edges", test_g9_special);
    CU_add_test(s, "%.9g: random bit patterns", test_g9_random_bits);
    CU_add_test(s, "%.9g: log-uniform values", test_g9_log_uniform);
    CU_add_test(s, "%.9g: rounding ties and neighbours", test_g9_ties);
    return test_finish();
}
