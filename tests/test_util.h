/* Shared test helpers: relative-tolerance asserts and running the snnex
 * binary as a child process. Header-only so each suite stays one file. */
#ifndef SNNEX_TEST_UTIL_H
#define SNNEX_TEST_UTIL_H

#include <CUnit/Basic.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>     /* CLONE_NEWNS, without _GNU_SOURCE */
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* |got - want| <= rel * |want| (or <= rel when want == 0). */
#define ASSERT_CLOSE(got, want, rel)                                          \
    do {                                                                      \
        double g_ = (got), w_ = (want), r_ = (rel);                           \
        double tol_ = fabs(w_) > 0 ? r_ * fabs(w_) : r_;                      \
        if (!(fabs(g_ - w_) <= tol_))                                         \
            fprintf(stderr, "\n  %s:%d: got %.10g want %.10g (rel %.3g)\n",   \
                    __FILE__, __LINE__, g_, w_, r_);                          \
        CU_ASSERT(fabs(g_ - w_) <= tol_);                                     \
    } while (0)

/* Path of the built program; the Makefile passes -DSNNEX_BIN. */
#ifndef SNNEX_BIN
#define SNNEX_BIN "build/snnex"
#endif

/* Run "SNNEX_BIN args" with stdout and stderr captured into malloc'ed
 * strings (caller frees). Returns the exit status (or -1). The environment
 * variable SNNEX_WRAP, when set, is put in front of the command (make
 * valgrind runs every snnex command under valgrind this way). */
static inline int test_run_snnex(const char *args, char **out, char **errs)
{
    char cmd[4096], of[] = "/tmp/snnex_t_outXXXXXX", ef[] = "/tmp/snnex_t_errXXXXXX";
    int fo = mkstemp(of), fe = mkstemp(ef);
    if (fo < 0 || fe < 0)
        return -1;
    const char *wrap = getenv("SNNEX_WRAP");
    snprintf(cmd, sizeof cmd, "%s%s%s %s >%s 2>%s", wrap ? wrap : "", wrap ? " " : "", SNNEX_BIN,
             args, of, ef);
    int rc = system(cmd);
    char *bufs[2] = {0, 0};
    const char *names[2] = {of, ef};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(names[i], "rb");
        size_t cap = 1 << 16, n = 0, r;
        bufs[i] = malloc(cap);
        while (f && (r = fread(bufs[i] + n, 1, cap - n - 1, f)) > 0) {
            n += r;
            if (n + 1 >= cap)
                bufs[i] = realloc(bufs[i], cap *= 2);
        }
        bufs[i][n] = 0;
        if (f)
            fclose(f);
        remove(names[i]);
    }
    close(fo);
    close(fe);
    if (out) *out = bufs[0]; else free(bufs[0]);
    if (errs) *errs = bufs[1]; else free(bufs[1]);
    if (rc == -1 || !WIFEXITED(rc))
        return -1;
    return WEXITSTATUS(rc);
}

/* Suites write scratch files under /tmp, several under fixed names
 * (/tmp/snnex_ts_*), so two runs at once (two checkouts, make test and
 * make asan side by side) would overwrite each other's files. Where the
 * process may (root, as in CI), it gets a /tmp of its own: a private mount
 * namespace with a fresh tmpfs on /tmp, seen by the snnex processes it
 * starts and gone when it exits. Elsewhere /tmp stays shared and
 * concurrent runs must be avoided. Runs before main (a constructor), so
 * every file a suite makes is in its own /tmp. */
__attribute__((constructor)) static void test_private_tmp(void)
{
    if (syscall(SYS_unshare, CLONE_NEWNS) != 0)
        return;
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("snnex-test-tmp", "/tmp", "tmpfs", 0, "mode=1777") != 0)
        fprintf(stderr, "note: no private /tmp for this suite (%s); do not run suites "
                "concurrently\n", strerror(errno));
}

/* Standard main body: run the registry, print the summary, exit non-zero
 * when any assertion failed. */
static inline int test_finish(void)
{
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failure_records();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return (fails || tests_failed) ? 1 : 0;
}

#endif
