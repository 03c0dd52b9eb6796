/* Shared by the libFuzzer harnesses in fuzz/: a scratch file for readers
 * that take a path, a /dev/null stream for writers, and the oracle every
 * harness applies to a reader's answer. Header-only, one per harness. */
#ifndef SNNEX_FUZZ_UTIL_H
#define SNNEX_FUZZ_UTIL_H

#include "common/common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64], fuzz_path[96];

static inline void fuzz_cleanup(void)
{
    if (fuzz_path[0])
        remove(fuzz_path);
    if (fuzz_dir[0])
        rmdir(fuzz_dir);
}

/* Write data to this process's scratch file (made on first use under
 * /dev/shm, memory, when there is one, else /tmp; removed at exit) and
 * return its path. */
static inline const char *fuzz_write(const uint8_t *data, size_t size)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/snnex_fuzzXXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(fuzz_dir)) {
            perror("mkdtemp");
            abort();
        }
        snprintf(fuzz_path, sizeof fuzz_path, "%s/input", fuzz_dir);
        atexit(fuzz_cleanup);
    }
    FILE *f = fopen(fuzz_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(fuzz_path);
        abort();
    }
    return fuzz_path;
}

/* A stream that discards what is written (for the writers a harness runs
 * on what it read). */
static inline FILE *fuzz_null(void)
{
    static FILE *f;
    if (!f && !(f = fopen("/dev/null", "w"))) {
        perror("/dev/null");
        abort();
    }
    return f;
}

/* The oracle on a reader's answer to any bytes: success, or bad input
 * (SNNEX_EINVAL, exit status 1) with a message. Anything else — no
 * message, or an I/O, out-of-memory or internal status for a small input —
 * is a finding: abort so that libFuzzer saves the input. */
static inline void fuzz_check(snnex_status st, const snnex_err *err, const char *what)
{
    if (st == SNNEX_OK)
        return;
    if (st != SNNEX_EINVAL || err->status != st || !err->msg[0]) {
        fprintf(stderr, "fuzz: %s returned status %d with message \"%s\"\n", what, (int)st,
                err->msg);
        abort();
    }
}

/* Abort unless x is finite and >= 0 (an estimate from an accepted input). */
#define FUZZ_CHECK_NONNEG(x, what)                                                     \
    do {                                                                               \
        double v_ = (x);                                                               \
        if (!(v_ >= 0 && v_ <= 1e300)) {                                               \
            fprintf(stderr, "fuzz: %s = %g from an accepted input\n", (what), v_);     \
            abort();                                                                   \
        }                                                                              \
    } while (0)

#endif
