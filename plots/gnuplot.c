/* plots/gnuplot.c — what every gnuplot figure of snnex shares: strings
 * (paths, titles) quoted for a gnuplot script, and gnuplot run on a script
 * file as a child process without a shell, its failure told apart: not
 * installed, exited non-zero (with what it printed), killed by a signal. */
#include "plots/plots.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int plot_gp_quote(char *out, size_t n, const char *s)
{
    size_t k = 0;
    if (n < 3)
        return -1;
    out[k++] = '\'';
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return -1;
        if (k + 4 > n) /* room for this byte, its double, the closing quote and NUL */
            return -1;
        if (*s == '\'')
            out[k++] = '\'';
        out[k++] = *s;
    }
    out[k++] = '\'';
    out[k] = 0;
    return 0;
}

/* The first lines of gnuplot's output (at most 8, without the trailing
 * newline), for the error message. */
static void first_lines(char *s)
{
    int lines = 0;
    for (char *p = s; *p; p++)
        if (*p == '\n' && ++lines == 8) {
            *p = 0;
            break;
        }
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
}

snnex_status plot_gnuplot(const char *script, snnex_err *err)
{
    /* a relative script name starting with '-' would read as an option */
    char arg[1400];
    if (snprintf(arg, sizeof arg, "%s%s", script[0] == '/' ? "" : "./", script) >= (int)sizeof arg)
        return snnex_err_set(err, SNNEX_EINVAL, script, 0, "path too long");
    int fd[2];
    if (pipe(fd) != 0)
        return snnex_err_set(err, SNNEX_EIO, script, 0, "cannot run gnuplot: pipe: %s", strerror(errno));
    /* close-on-exec: only the dup2'ed stdout/stderr reach the child */
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
    char *argv[] = {"gnuplot", arg, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        if (rc == ENOENT)
            return snnex_err_set(err, SNNEX_EIO, script, 0,
                                 "gnuplot not found on PATH; install gnuplot (e.g. apt install gnuplot-nox) "
                                 "or add its directory to PATH, then rerun");
        return snnex_err_set(err, SNNEX_EIO, script, 0, "cannot run gnuplot: %s", strerror(rc));
    }
    /* keep the start of its output, drain the rest so it never blocks */
    char msg[700], sink[4096];
    size_t len = 0;
    for (;;) {
        ssize_t r = len < sizeof msg - 1 ? read(fd[0], msg + len, sizeof msg - 1 - len)
                                         : read(fd[0], sink, sizeof sink);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (len < sizeof msg - 1)
            len += (size_t)r;
    }
    msg[len] = 0;
    close(fd[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return snnex_err_set(err, SNNEX_EIO, script, 0, "cannot wait for gnuplot: %s", strerror(errno));
    first_lines(msg);
    if (WIFSIGNALED(ws))
        return snnex_err_set(err, SNNEX_EIO, script, 0, "gnuplot was killed by signal %d (%s)%s%s",
                             WTERMSIG(ws), strsignal(WTERMSIG(ws)), *msg ? "; its output:\n" : "", msg);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        return snnex_err_set(err, SNNEX_EIO, script, 0, "gnuplot failed on this script (exit status %d)%s%s",
                             WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, *msg ? "; its output:\n" : " and printed nothing",
                             msg);
    return SNNEX_OK;
}
