/* cli/paths.c — where the program finds the data it ships (configs, the
 * validation set, the memtech reference points) from any current
 * directory, and mkdir -p for output directories. */
#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* dir/file readable: write dir into out and return 0. */
static int probe(const char *dir, const char *file, char *out, size_t n)
{
    char p[PATH_MAX + 256];
    if (snprintf(p, sizeof p, "%s/%s", dir, file) >= (int)sizeof p || access(p, R_OK) != 0)
        return -1;
    if (snprintf(out, n, "%s", dir) >= (int)n)
        return -1;
    return 0;
}

int cli_find_data(const char *tree, const char *share, const char *file, char *out, size_t n)
{
    if (probe(tree, file, out, n) == 0)
        return 0;
    char exe[PATH_MAX], dir[PATH_MAX + 256];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    snprintf(dir, sizeof dir, "%s/../share/snnex/%s", exe, share);
    if (probe(dir, file, out, n) == 0)
        return 0;
    snprintf(dir, sizeof dir, "%s/../%s", exe, tree);
    return probe(dir, file, out, n);
}

snnex_status cli_mkdir_p(const char *dir, snnex_err *err)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p || !*p)
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0, "output directory path empty or too long");
    /* each parent, then dir itself; an existing one is fine */
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return snnex_err_set(err, SNNEX_EINVAL, p, 0, "cannot create directory (%s); choose a writable output "
                                                          "directory", strerror(errno));
        *s = c;
        if (!c)
            break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0, "not a directory; choose another output directory");
    if (access(dir, W_OK) != 0)
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0, "cannot write into this directory (%s); choose a "
                                                        "writable output directory", strerror(errno));
    return SNNEX_OK;
}
