/* common — status codes, the error record, atomic output files and small
 * parsing and formatting helpers shared by every snnex module. Only main()
 * prints errors and chooses exit codes; everything else returns a status
 * and fills an snnex_err. */
#ifndef SNNEX_COMMON_H
#define SNNEX_COMMON_H

#include <stdio.h>
#include <stddef.h>

/* Result codes. Exit status mapping (snnex_exit_code): OK→0, bad input→1,
 * internal failure→2. */
typedef enum {
    SNNEX_OK = 0,
    SNNEX_EINVAL = 1,   /* bad input: config, trace, command line, data file */
    SNNEX_EIO = 2,      /* cannot read or write a file */
    SNNEX_ENOMEM = 3,   /* allocation failed */
    SNNEX_EINTERNAL = 4 /* a bug: an invariant did not hold */
} snnex_status;

/* Where and what went wrong. file may be empty (command line) and line 0
 * (whole file). */
typedef struct {
    snnex_status status;
    char file[512];
    int line;
    char msg[1024];
} snnex_err;

/* Fill err (may be NULL) and return status. fmt is printf-style. */
snnex_status snnex_err_set(snnex_err *err, snnex_status status,
                           const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Clear an error record. */
void snnex_err_clear(snnex_err *err);

/* Print "FILE:LINE: error: MSG\n" (or "snnex: error: MSG" without a file). */
void snnex_err_print(const snnex_err *err, FILE *f);

/* 0 for SNNEX_OK, 1 for bad input (EINVAL), 2 for everything else. */
int snnex_exit_code(snnex_status status);

/* An output file written atomically: data goes to "PATH.tmp.PID" and is
 * renamed over PATH by snnex_out_commit; snnex_out_abort removes the temp
 * file, so a failed run never leaves a half-written output. path "-" or NULL
 * means stdout (commit/abort then only flush). The temp file is flushed
 * and fsync'ed before it is renamed. A PATH that exists and is
 * not a regular file (a device or pipe such as /dev/null) is written
 * directly and tmp is "". A write that fails (disk full) is SNNEX_EIO at
 * commit, with the reason; a path that cannot be created is SNNEX_EINVAL
 * at open, so open the output before the work starts. */
typedef struct {
    FILE *f;
    int is_stdout;
    char path[1024];
    char tmp[1100];
} snnex_out;

snnex_status snnex_out_open(snnex_out *o, const char *path, snnex_err *err);
snnex_status snnex_out_commit(snnex_out *o, snnex_err *err);
void snnex_out_abort(snnex_out *o);

/* Parse a byte size such as "4096", "64KiB", "1 MiB", "2MB" (MB = 10^6,
 * MiB = 2^20, KB = 10^3, KiB = 2^10, GiB, GB). Returns 0 on success. */
int snnex_parse_size(const char *s, double *bytes);

/* Parse a finite double / long from the whole string. Returns 0 on success. */
int snnex_parse_double(const char *s, double *out);
int snnex_parse_long(const char *s, long *out);

/* Write v exactly as snprintf(s, n, "%.9g", v) would, without the NUL
 * terminator, and return the end. s needs room for 24 characters (bytes
 * past the returned end may be overwritten). Several times faster than
 * snprintf for finite values in [1e-30, 1e30]. */
char *snnex_fmt_g9(char *s, double v);

/* The value strtod reads back from snnex_fmt_g9(v): v rounded to 9
 * significant digits, without formatting and parsing. */
double snnex_round_g9(double v);

/* Splits text in place line by line: returns the line at *cur with its
 * '\n' replaced by NUL (an empty string for a blank line) and moves *cur
 * past it; NULL at the end. Unlike strtok_r it does not skip blank lines,
 * so a caller counting calls reports true line numbers. */
char *snnex_next_line(char **cur);

/* Reads a whole text file into a malloc'ed NUL-terminated buffer. A file
 * larger than SNNEX_MAX_INPUT_BYTES (or endless, like /dev/zero) is
 * SNNEX_EINVAL, as is a read error. */
#define SNNEX_MAX_INPUT_BYTES (256 << 20)
snnex_status snnex_read_file(const char *path, char **out, size_t *len,
                             snnex_err *err);

#endif
