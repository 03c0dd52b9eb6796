/* nir child — nir_read runs the HDF5 reading in a child process and takes
 * the graph back through a pipe. HDF5 1.10 crashes or hangs on some
 * damaged files whatever its caller checks first (fuzz_nir found a local
 * heap it copies from NULL); in a child, that is a damaged file (exit 1)
 * instead of the end of snnex. The graph crosses the pipe as the same
 * program's binary layout (no other reader). */
#include "nir/nir.h"
#include "nir/nir_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_SECONDS 120            /* a read that takes longer is a hang */

/* ---- writing (child) ----------------------------------------------------------- */

static int put(FILE *f, const void *p, size_t n)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

static int put_str(FILE *f, const char *s)
{
    long n = s ? (long)strlen(s) : -1;
    return put(f, &n, sizeof n) || (s && put(f, s, (size_t)n)) ? -1 : 0;
}

static int put_graph(FILE *f, snnex_status st, const snnex_err *err, const nir_graph *g)
{
    int e = put(f, &st, sizeof st) | put(f, err, sizeof *err);
    e |= put(f, g->version, sizeof g->version) | put(f, &g->dt_s, sizeof g->dt_s);
    e |= put(f, &g->n_nodes, sizeof g->n_nodes) | put(f, &g->n_edges, sizeof g->n_edges);
    for (int i = 0; i < g->n_nodes && !e; i++) {
        const nir_node *n = &g->nodes[i];
        e |= put_str(f, n->name) | put(f, &n->type, sizeof n->type) | put(f, n->type_name, sizeof n->type_name);
        e |= put(f, &n->n_params, sizeof n->n_params);
        for (int k = 0; k < n->n_params && !e; k++) {
            const nir_param *p = &n->params[k];
            e |= put_str(f, p->name) | put(f, &p->ndim, sizeof p->ndim) | put(f, p->dims, sizeof p->dims);
            e |= put(f, &p->n, sizeof p->n) | put(f, &p->zeros, sizeof p->zeros);
            e |= put(f, &p->min, sizeof p->min) | put(f, &p->max, sizeof p->max) | put(f, &p->mean, sizeof p->mean);
            int hv = p->v != NULL;
            e |= put(f, &hv, sizeof hv) | (hv ? put(f, p->v, (size_t)p->n * sizeof *p->v) : 0);
            e |= put_str(f, p->str);
        }
    }
    e |= put(f, g->edges, (size_t)g->n_edges * sizeof *g->edges);
    return e;
}

/* ---- reading (parent) ----------------------------------------------------------- */

typedef struct {
    const char *p, *end;
} buf_t;

static int get(buf_t *b, void *dst, size_t n)
{
    if ((size_t)(b->end - b->p) < n)
        return -1;
    memcpy(dst, b->p, n);
    b->p += n;
    return 0;
}

static int get_str(buf_t *b, char **out)
{
    long n;
    *out = NULL;
    if (get(b, &n, sizeof n))
        return -1;
    if (n < 0)
        return 0;
    if ((size_t)(b->end - b->p) < (size_t)n || !(*out = malloc((size_t)n + 1)))
        return -1;
    memcpy(*out, b->p, (size_t)n);
    (*out)[n] = 0;
    b->p += n;
    return 0;
}

static int get_graph(buf_t *b, snnex_status *st, snnex_err *err, nir_graph *g)
{
    if (get(b, st, sizeof *st) || get(b, err, sizeof *err) || get(b, g->version, sizeof g->version) ||
        get(b, &g->dt_s, sizeof g->dt_s) || get(b, &g->n_nodes, sizeof g->n_nodes) ||
        get(b, &g->n_edges, sizeof g->n_edges) || g->n_nodes < 0 || g->n_edges < 0)
        return -1;
    int nn = g->n_nodes;
    g->n_nodes = 0;
    if (!(g->nodes = calloc((size_t)nn + 1, sizeof *g->nodes)))
        return -1;
    for (int i = 0; i < nn; i++) {
        nir_node *n = &g->nodes[i];
        g->n_nodes = i + 1;
        n->rec = n->rec_of = -1;
        int np;
        if (get_str(b, &n->name) || !n->name || get(b, &n->type, sizeof n->type) ||
            get(b, n->type_name, sizeof n->type_name) || get(b, &np, sizeof np) || np < 0 ||
            !(n->params = calloc((size_t)np + 1, sizeof *n->params)))
            return -1;
        for (int k = 0; k < np; k++) {
            nir_param *p = &n->params[k];
            n->n_params = k + 1;
            int hv;
            if (get_str(b, &p->name) || !p->name || get(b, &p->ndim, sizeof p->ndim) ||
                get(b, p->dims, sizeof p->dims) || get(b, &p->n, sizeof p->n) || get(b, &p->zeros, sizeof p->zeros) ||
                get(b, &p->min, sizeof p->min) || get(b, &p->max, sizeof p->max) ||
                get(b, &p->mean, sizeof p->mean) || get(b, &hv, sizeof hv) || p->n < 0)
                return -1;
            if (hv && ((size_t)(b->end - b->p) / sizeof(double) < (size_t)p->n ||
                       !(p->v = malloc(((size_t)p->n + 1) * sizeof *p->v)) ||
                       get(b, p->v, (size_t)p->n * sizeof *p->v)))
                return -1;
            if (get_str(b, &p->str))
                return -1;
        }
    }
    if (!(g->edges = malloc(((size_t)g->n_edges + 1) * sizeof *g->edges)) ||
        get(b, g->edges, (size_t)g->n_edges * sizeof *g->edges))
        return -1;
    return 0;
}

/* ---- the public read -------------------------------------------------------------- */

snnex_status nir_read(const char *path, nir_graph *g, snnex_err *err)
{
    int fd[2];
    if (pipe(fd) != 0)
        return nir_read_here(path, g, err);
    fflush(NULL); /* the child must not flush the parent's buffers again */
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]), close(fd[1]);
        return nir_read_here(path, g, err);
    }
    if (pid == 0) {
        close(fd[0]);
        /* die by the signal, whoever caught it in the parent (a sanitizer, a fuzzer) */
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        alarm(CHILD_SECONDS);
        snnex_err e;
        snnex_err_clear(&e);
        snnex_status st = nir_read_here(path, g, &e);
        FILE *f = fdopen(fd[1], "wb");
        int bad = !f || put_graph(f, st, &e, g) || fclose(f) != 0;
        _exit(bad ? 3 : 0);
    }
    close(fd[1]);
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            char *d = realloc(data, cap = cap * 2 + 65536);
            if (!d)
                break;
            data = d;
        }
        ssize_t r = read(fd[0], data + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    memset(g, 0, sizeof *g);
    snprintf(g->path, sizeof g->path, "%s", path);
    snnex_status st = SNNEX_OK;
    buf_t b = {data, data + len};
    if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !data ||
        get_graph(&b, &st, err, g) != 0 || b.p != b.end) {
        nir_graph_free(g);
        snprintf(g->path, sizeof g->path, "%s", path);
        free(data);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
            return nir_fail(g, err, NULL, "reading the file did not end in %d s: the file is damaged",
                            "export the network again", CHILD_SECONDS);
        if (WIFSIGNALED(status))
            return nir_fail(g, err, NULL, "the HDF5 library crashed reading the file (signal %d): the file is damaged",
                            "export the network again", WTERMSIG(status));
        return snnex_err_set(err, SNNEX_ENOMEM, path, 0, "the NIR reader failed to hand over the graph (out of memory?)");
    }
    free(data);
    return st;
}
