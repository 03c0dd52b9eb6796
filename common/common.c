/* common — error records, exit codes, atomic output files, number parsing. */
#define _POSIX_C_SOURCE 200809L
#include "common/common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

snnex_status snnex_err_set(snnex_err *err, snnex_status status,
                           const char *file, int line, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return status;
}

void snnex_err_clear(snnex_err *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void snnex_err_print(const snnex_err *err, FILE *f)
{
    if (err->file[0] && err->line > 0)
        fprintf(f, "%s:%d: error: %s\n", err->file, err->line, err->msg);
    else if (err->file[0])
        fprintf(f, "%s: error: %s\n", err->file, err->msg);
    else
        fprintf(f, "snnex: error: %s\n", err->msg);
}

int snnex_exit_code(snnex_status status)
{
    if (status == SNNEX_OK)
        return 0;
    if (status == SNNEX_EINVAL)
        return 1;
    return 2;
}

snnex_status snnex_out_open(snnex_out *o, const char *path, snnex_err *err)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = 1;
        return SNNEX_OK;
    }
    if (strlen(path) >= sizeof o->path)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "output path too long");
    snprintf(o->path, sizeof o->path, "%s", path);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "is a directory; give a file name to write");
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* a device or pipe (/dev/null, a FIFO): written directly, as
         * renaming a temporary file over it would replace it; tmp stays "" */
        o->f = fopen(path, "w");
        if (!o->f)
            return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot open output: %s", strerror(errno));
        return SNNEX_OK;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    o->f = fopen(o->tmp, "w");
    if (!o->f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot create output file: %s; check that the "
                             "directory exists and is writable",
                             strerror(errno));
    return SNNEX_OK;
}

snnex_status snnex_out_commit(snnex_out *o, snnex_err *err)
{
    if (o->is_stdout) {
        errno = 0;
        if (fflush(stdout) != 0 || ferror(stdout))
            return snnex_err_set(err, SNNEX_EIO, "", 0, "writing to standard output failed: %s",
                                 strerror(errno ? errno : EIO));
        return SNNEX_OK;
    }
    if (!o->f)
        return snnex_err_set(err, SNNEX_EINTERNAL, o->path, 0, "output not open");
    /* errno of the first failing write: a buffered write error shows in
     * ferror (its errno still set) or in the final flush */
    int e = ferror(o->f) ? (errno ? errno : EIO) : 0;
    errno = 0;
    /* a renamed file is durable before it takes the name (fsync), so a
     * crash or power loss never leaves an empty or partial file there */
    if (!e && o->tmp[0] && (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0))
        e = errno ? errno : EIO;
    errno = 0;
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    o->f = NULL;
    if (e) {
        if (o->tmp[0])
            remove(o->tmp);
        return snnex_err_set(err, SNNEX_EIO, o->path, 0, "write failed: %s%s", strerror(e),
                             o->tmp[0] ? "; the file was not changed" : "");
    }
    if (o->tmp[0] && rename(o->tmp, o->path) != 0) {
        e = errno;
        remove(o->tmp);
        return snnex_err_set(err, SNNEX_EIO, o->path, 0, "cannot write output file: %s", strerror(e));
    }
    return SNNEX_OK;
}

void snnex_out_abort(snnex_out *o)
{
    if (o->is_stdout || !o->f)
        return;
    fclose(o->f);
    o->f = NULL;
    if (o->tmp[0])
        remove(o->tmp);
}

int snnex_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int snnex_parse_long(const char *s, long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int snnex_parse_size(const char *s, double *bytes)
{
    static const struct { const char *suffix; double mult; } units[] = {
        {"", 1}, {"B", 1},
        {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
        {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
        {"k", 1024.0}, {"K", 1024.0}, {"M", 1048576.0}, {"G", 1073741824.0},
    };
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return -1;
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].suffix) == 0) {
            *bytes = v * units[i].mult;
            return 0;
        }
    }
    return -1;
}

char *snnex_next_line(char **cur)
{
    char *line = *cur;
    if (!line || !*line)
        return NULL;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = 0;
        *cur = nl + 1;
    } else
        *cur = line + strlen(line);
    return line;
}

snnex_status snnex_read_file(const char *path, char **out, size_t *len,
                             snnex_err *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "is a directory; give a file");
    FILE *f = fopen(path, "rb");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot open file: %s", strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return snnex_err_set(err, SNNEX_ENOMEM, path, 0, "out of memory");
    }
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n > SNNEX_MAX_INPUT_BYTES) {   /* e.g. @include "/dev/zero" */
            free(buf);
            fclose(f);
            return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                                 "is larger than %d MiB, the most snnex reads as a text "
                                 "input (config, trace, CSV); give the right file",
                                 SNNEX_MAX_INPUT_BYTES >> 20);
        }
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return snnex_err_set(err, SNNEX_ENOMEM, path, 0, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
    }
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (rerr) {
        free(buf);
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot read file: %s", strerror(rerr));
    }
    buf[n] = 0;
    *out = buf;
    if (len)
        *len = n;
    return SNNEX_OK;
}
