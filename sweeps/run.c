/* sweeps/run.c — running a sweep: points are evaluated in chunks (blocks of
 * a chunk in parallel with OpenMP; chunks shared round-robin between MPI
 * ranks under -DSNNEX_MPI), each chunk's rows are appended to
 * DIR/points.csv in point order and made durable (fsync) before
 * DIR/progress is replaced (rename) with the new row count, so a killed run
 * resumes exactly at a chunk boundary (files.c). The Pareto front is kept
 * as a small archive of nondominated points merged chunk by chunk. */
#include "sweeps/sweeps_internal.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef SNNEX_MPI
#include <mpi.h>
#endif

#define BLOCK 128                  /* points per parallel work item */

const char *const sweep_comp_columns[SNNEX_N_COMP] = {
    "E_compute_J", "E_weight_mem_J", "E_membrane_mem_J", "E_spike_mem_J", "E_grad_mem_J",
    "E_global_buf_J", "E_dram_J", "E_noc_J", "E_clock_J", "E_control_J", "E_mem_leakage_J",
    "E_logic_leakage_J"};

/* Where each metric lives in snnex_result, found once by probing
 * snnex_result_metric with a result whose 8-byte slots hold their own
 * index; metrics it computes rather than reads stay by name (-1). */
static long metric_off[64];
static int n_metrics;

static void metric_offsets_init(void)
{
    if (n_metrics)
        return;
    size_t ns = sizeof(snnex_result) / sizeof(double);
    double *probe = malloc(sizeof(snnex_result));
    int n = 0;
    while (snnex_metric_names[n] && n < 64)
        n++;
    for (size_t i = 0; probe && i < ns; i++)
        probe[i] = (double)i + 0.5;
    for (int m = 0; m < n; m++) {
        double v = -1;
        metric_off[m] = -1;
        if (probe && snnex_result_metric((const snnex_result *)probe, snnex_metric_names[m], &v) == 0 && v > 0 &&
            v < (double)ns && v - (double)(long)v == 0.5)
            metric_off[m] = (long)v;
    }
    free(probe);
    n_metrics = n;
}

static double metric(const snnex_result *r, int m)
{
    double v = 0;
    if (metric_off[m] >= 0)
        return ((const double *)r)[metric_off[m]];
    snnex_result_metric(r, snnex_metric_names[m], &v);
    return v;
}

static int metric_index(const char *name)
{
    for (int m = 0; m < n_metrics; m++)
        if (!strcmp(snnex_metric_names[m], name))
            return m;
    return -1;
}

static int reserve(sweep_buf *o, size_t more)
{
    if (o->len + more <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + more)
        cap *= 2;
    char *t = realloc(o->text, cap);
    if (!t)
        return -1;
    o->text = t;
    o->cap = cap;
    return 0;
}

/* Room for n front points in o->fp. */
static int reserve_fp(sweep_buf *o, long n)
{
    if (n <= o->capfp)
        return 0;
    long cap = o->capfp ? o->capfp : 64;
    while (cap < n)
        cap *= 2;
    sweep_front_pt *t = realloc(o->fp, (size_t)cap * sizeof *t);
    if (!t)
        return -1;
    o->fp = t;
    o->capfp = cap;
    return 0;
}

int sweep_push_front(sweep_buf *o, const sweep_front_pt *p)
{
    if (reserve_fp(o, o->nfp + 1))
        return -1;
    o->fp[o->nfp++] = *p;
    return 0;
}

/* Add p to the front kept in o->fp: dropped if a point there dominates
 * it or is the same design, else appended and the points it dominates
 * removed. O(front) time: the front of a block of points is small. */
static int add_front(const sweep_spec *sp, sweep_buf *o, const sweep_front_pt *p)
{
    long h = 0;
    for (long i = 0; i < o->nfp; i++) {
        if (sweep_same(o->fp[i].obj, p->obj, sp->n_obj)) {
            if (o->fp[i].design == p->design) {
                if (p->index < o->fp[i].index)
                    o->fp[i] = *p; /* one row per design: its first point */
                return 0;
            }
            continue; /* another design with the same objectives: both on the front, or neither */
        }
        if (sweep_dominates(o->fp[i].obj, p->obj, sp->n_obj))
            return 0;
    }
    for (long i = 0; i < o->nfp; i++)
        if (!sweep_dominates(p->obj, o->fp[i].obj, sp->n_obj))
            o->fp[h++] = o->fp[i];
    o->nfp = h;
    return sweep_push_front(o, p);
}

/* s as a CSV field: as it is, or quoted when it holds a comma, quote or
 * newline. */
static void put_field(char **w, const char *s)
{
    char *o = *w;
    for (const char *c = s; *c; c++) {
        if (*c == ',' || *c == '"' || *c == '\n')
            goto quote;
        *o++ = *c;
    }
    *w = o;
    return;
quote:
    *(*w)++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *(*w)++ = '"';
        *(*w)++ = *s == '\n' ? ' ' : *s;
    }
    *(*w)++ = '"';
}

static char *put_u64(char *s, uint64_t v)
{
    char d[20];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n)
        *s++ = d[--n];
    return s;
}

int sweep_eval_point(const sweep_spec *sp, sweep_worker *w, uint64_t p, sweep_points_out out, sweep_buf *o)
{
    sweep_point pt;
    snnex_err err;
    char reason[1100];
    int ran = 0, feasible = 0;
    reason[0] = 0;
    sweep_point_axes(sp, p, &pt);
    if (sweep_apply(sp, &w->cfg, w->have_prev ? &w->prev : NULL, &pt, &err) != SNNEX_OK) {
        snprintf(reason, sizeof reason, "%s", err.msg);
        w->cfg = sp->base;        /* partly applied: start over next time */
        w->have_prev = 0;
    } else {
        w->prev = pt;
        w->have_prev = 1;
        if (snnex_config_validate(&w->cfg, &err) != SNNEX_OK)
            snprintf(reason, sizeof reason, "%s", err.msg);
        else if (sp->has_trace && w->cfg.train.T != sp->trace.T)
            snprintf(reason, sizeof reason, "the trace was recorded for T=%d (point has T=%d)", sp->trace.T,
                     w->cfg.train.T);
        else if (snnex_estimate(&w->cfg, sp->has_trace ? &sp->trace : NULL, &w->res, &err) != SNNEX_OK)
            snprintf(reason, sizeof reason, "%s", err.msg);
        else if (!w->res.feasible) {
            snprintf(reason, sizeof reason, "%s", w->res.reason);
        } else {
            ran = feasible = 1;
            for (int k = 0; k < sp->n_constraints && feasible; k++) {
                const sweep_constraint *c = &sp->constraints[k];
                double v = metric(&w->res, sp->cons_metric[k]);
                if (c->ge ? !(v >= c->value) : !(v <= c->value)) {
                    feasible = 0;
                    snprintf(reason, sizeof reason, "constraint %s %s %g not met (got %.4g)", c->metric,
                             c->ge ? ">=" : "<=", c->value, v);
                }
            }
        }
    }
    if (out == SWEEP_OUT_ALL || (out == SWEEP_OUT_FEASIBLE && feasible)) {
        if (reserve(o, 8192))
            return -1;
        char *s = o->text + o->len;
        s = put_u64(s, p);
        for (int j = 0; j < sp->n_axes; j++) {
            if (pt.idx[j] < 0) {
                *s++ = ',';
                s = snnex_fmt_g9(s, pt.val[j]);
                continue;
            }
            for (int k = 0; k < sp->axes[j].nkeys; k++) {
                *s++ = ',';
                put_field(&s, sp->axes[j].vals[pt.idx[j] * sp->axes[j].nkeys + k]);
            }
        }
        for (int m = 0; m < n_metrics; m++) {
            *s++ = ',';
            if (ran)
                s = snnex_fmt_g9(s, metric(&w->res, m));
        }
        memcpy(s, feasible ? ",yes," : ",no,", 5);
        s += feasible ? 5 : 4;
        put_field(&s, reason);
        *s++ = '\n';
        o->len = (size_t)(s - o->text);
    }
    if (feasible) {
        sweep_front_pt f = {p, sweep_design_hash(sp, &pt), {0}};
        /* the value as written to the CSV, so a resumed run (which reads
         * the committed front points back) finds exactly the same front */
        for (int k = 0; k < sp->n_obj; k++) {
            f.obj[k] = snnex_round_g9(metric(&w->res, sp->obj_metric[k]));
            if (sp->obj[k].maximize)
                f.obj[k] = -f.obj[k];
        }
        o->feasible++;
        if (add_front(sp, o, &f))
            return -1;
    }
    return 0;
}

/* Front points in the order (objectives, design, index). */
static int cmp_obj_design(const void *a, const void *b)
{
    const sweep_front_pt *x = a, *y = b;
    for (int k = 0; k < SWEEP_MAX_OBJ; k++)
        if (x->obj[k] != y->obj[k])
            return x->obj[k] < y->obj[k] ? -1 : 1;
    if (x->design != y->design)
        return x->design < y->design ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Replace *arch by the front of *arch ∪ add, one point per design (its
 * first), sorted by (objectives, design, index). */
int sweep_merge_front(const sweep_spec *sp, sweep_buf *arch, const sweep_front_pt *add, long nadd)
{
    for (long i = 0; i < nadd; i++)
        if (sweep_push_front(arch, &add[i]))
            return -1;
    long n = arch->nfp;
    int k = sp->n_obj;
    double *v = malloc((size_t)(n ? n : 1) * k * sizeof *v);
    unsigned char *fr = malloc((size_t)(n ? n : 1));
    if (!v || !fr) {
        free(v);
        free(fr);
        return -1;
    }
    for (long i = 0; i < n; i++)
        for (int d = 0; d < k; d++)
            v[i * k + d] = arch->fp[i].obj[d];
    if (sweep_pareto(v, n, k, fr) != SNNEX_OK) {
        free(v);
        free(fr);
        return -1;
    }
    long h = 0;
    for (long i = 0; i < n; i++)
        if (fr[i])
            arch->fp[h++] = arch->fp[i];
    free(v);
    free(fr);
    if (h > 1)
        qsort(arch->fp, (size_t)h, sizeof *arch->fp, cmp_obj_design);
    long u = 0;
    for (long i = 0; i < h; i++)
        if (u == 0 || arch->fp[i].design != arch->fp[u - 1].design ||
            !sweep_same(arch->fp[i].obj, arch->fp[u - 1].obj, SWEEP_MAX_OBJ))
            arch->fp[u++] = arch->fp[i];
    arch->nfp = u;
    return 0;
}

/* Evaluate points [lo, hi) into o (emptied first): blocks of BLOCK points
 * in parallel into bo[] (scratch kept across calls, so its buffers are
 * allocated once), rows in point order, and the front of the range's
 * feasible points (each block keeps its own front as it goes: the front of
 * a union is the front of its parts' fronts). */
static int eval_range(const sweep_spec *sp, sweep_worker **ws, uint64_t lo, uint64_t hi, sweep_points_out out,
                      sweep_buf *bo, sweep_buf *o)
{
    long nb = (long)((hi - lo + BLOCK - 1) / BLOCK);
    int fail = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : fail)
    for (long b = 0; b < nb; b++) {
        sweep_worker *w = ws[omp_get_thread_num()];
        uint64_t e = lo + (uint64_t)(b + 1) * BLOCK;
        sweep_buf mine = bo[b];    /* a copy: neighbouring blocks' records share cache lines */
        mine.len = 0, mine.nfp = 0, mine.feasible = 0;
        for (uint64_t p = lo + (uint64_t)b * BLOCK; p < e && p < hi && !fail; p++)
            fail |= sweep_eval_point(sp, w, p, out, &mine);
        bo[b] = mine;
    }
    o->len = 0, o->nfp = 0, o->feasible = 0;
    for (long b = 0; b < nb && !fail; b++) {
        if (bo[b].len && reserve(o, bo[b].len))
            fail = 1;
        else if (bo[b].len) { /* (--points-out none: no text at all) */
            memcpy(o->text + o->len, bo[b].text, bo[b].len);
            o->len += bo[b].len;
        }
        for (long i = 0; i < bo[b].nfp && !fail; i++)
            fail = sweep_push_front(o, &bo[b].fp[i]);
        o->feasible += bo[b].feasible;
    }
    if (!fail)
        fail = sweep_merge_front(sp, o, NULL, 0);
    return fail ? -1 : 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* Identity of the sweep for --resume: the sweep file's text, the CSV
 * sweep_csv_header, every axis value, constraints, objectives, sampling, chunk size,
 * the trace file, and the rows of the first and last points (which change
 * when an included base config changes what is estimated). */
static snnex_status sweep_hash(sweep_spec *sp, sweep_worker *w, snnex_err *err)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    char *text = NULL, hdr[8192];
    size_t len = 0;
    snnex_status st = snnex_read_file(sp->cfg_path, &text, &len, err);
    if (st)
        return st;
    h = fnv(h, text, len);
    free(text);
    h = fnv(h, hdr, sweep_csv_header(sp, hdr, sizeof hdr));
    for (int j = 0; j < sp->n_axes; j++)
        h = fnv(h, sp->axes[j].vals, (size_t)sp->axes[j].n * sp->axes[j].nkeys * SWEEP_VAL_LEN);
    char misc[1024];
    int n = snprintf(misc, sizeof misc, "%d %llu %llu %ld", (int)sp->sampling, (unsigned long long)sp->seed,
                     (unsigned long long)sp->points, sp->chunk);
    for (int k = 0; k < sp->n_constraints; k++)
        n += snprintf(misc + n, sizeof misc - (size_t)n, "|%s%d%.17g", sp->constraints[k].metric,
                      sp->constraints[k].ge, sp->constraints[k].value);
    for (int k = 0; k < sp->n_obj; k++)
        n += snprintf(misc + n, sizeof misc - (size_t)n, "|%s%d", sp->obj[k].metric, sp->obj[k].maximize);
    h = fnv(h, misc, (size_t)n);
    if (sp->trace_path[0]) {
        if (snnex_read_file(sp->trace_path, &text, &len, err) != SNNEX_OK)
            return err->status;
        h = fnv(h, text, len);
        free(text);
    }
    sweep_buf o = {0};
    w->cfg = sp->base;
    w->have_prev = 0;
    int bad = sweep_eval_point(sp, w, 0, SWEEP_OUT_ALL, &o) || sweep_eval_point(sp, w, sp->points - 1, SWEEP_OUT_ALL, &o);
    if (!bad)
        h = fnv(h, o.text, o.len);
    free(o.text);
    free(o.fp);
    w->cfg = sp->base;
    w->have_prev = 0;
    if (bad)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    sp->hash = h;
    return SNNEX_OK;
}

#ifdef SNNEX_MPI
/* Receive rank r's chunk into o (its buffers reused). */
static int recv_chunk(sweep_buf *o, int r)
{
    unsigned long long h[3];
    MPI_Recv(h, 3, MPI_UNSIGNED_LONG_LONG, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    o->len = 0, o->nfp = 0;
    int bad = reserve(o, h[0] + 1) || reserve_fp(o, (long)h[1] + 1);
    MPI_Recv(bad ? NULL : o->text, bad ? 0 : (int)h[0], MPI_BYTE, r, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Recv(bad ? NULL : o->fp, bad ? 0 : (int)(h[1] * sizeof *o->fp), MPI_BYTE, r, 3, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    o->len = bad ? 0 : h[0];
    o->nfp = bad ? 0 : (long)h[1];
    o->feasible = h[2];
    return bad ? -1 : 0;
}
#endif

/* ---- the run ------------------------------------------------------------ */

snnex_status sweep_run(sweep_spec *sp, const sweep_opts *opt, sweep_summary *sum, snnex_err *err)
{
    int rank = 0, size = 1;
#ifdef SNNEX_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
    if (opt->threads > 0)
        omp_set_num_threads(opt->threads);
    int nt = omp_get_max_threads();
    sweep_worker **ws = calloc((size_t)nt, sizeof *ws);
    long nblocks = (sp->chunk + BLOCK - 1) / BLOCK;
    sweep_buf *blocks = calloc((size_t)nblocks, sizeof *blocks); /* eval_range's scratch */
    sweep_buf *rounds = calloc(2 * (size_t)size, sizeof *rounds); /* a round evaluated, the one committed */
    sweep_committer *cm = calloc(1, sizeof *cm);
    snnex_status st = SNNEX_OK;
    memset(sum, 0, sizeof *sum);
    if (!ws || !blocks || !rounds || !cm) {
        free(ws);
        free(blocks);
        free(rounds);
        free(cm);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    *cm = (sweep_committer){.sp = sp, .opt = opt, .fd = -1, .front_fd = -1, .size = size};
    cm->t0 = cm->last = sweep_now_s();
    for (int t = 0; t < nt; t++) {
        ws[t] = malloc(sizeof *ws[t]);
        if (!ws[t]) {
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
            goto out;
        }
        ws[t]->cfg = sp->base;
        ws[t]->have_prev = 0;
    }
    metric_offsets_init();
    for (int k = 0; k < sp->n_constraints; k++)
        sp->cons_metric[k] = metric_index(sp->constraints[k].metric);
    for (int k = 0; k < sp->n_obj; k++)
        sp->obj_metric[k] = metric_index(sp->obj[k].metric);
    st = sweep_hash(sp, ws[0], err);
    if (st)
        goto out;
    cm->C = (uint64_t)sp->chunk;
    cm->nchunks = (sp->points + cm->C - 1) / cm->C;
    if (rank == 0)
        st = sweep_files_start(cm, sum, err);
#ifdef SNNEX_MPI
    {
        unsigned long long b[3] = {(unsigned long long)st, cm->start_chunk, (unsigned long long)sum->already_done};
        MPI_Bcast(b, 3, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
        if (rank != 0 && b[0])
            st = snnex_err_set(err, (snnex_status)b[0], "", 0, "rank 0 failed to start the sweep");
        cm->start_chunk = b[1];
        sum->already_done = (int)b[2];
    }
#endif
    if (st || sum->already_done)
        goto out;
    cm->front_after_merge = cm->arch.nfp;
    for (uint64_t round = cm->start_chunk / (uint64_t)size; round * (uint64_t)size < cm->nchunks; round++) {
        uint64_t c = round * (uint64_t)size + (uint64_t)rank;
        sweep_buf *cur = rounds + (round & 1) * (size_t)size; /* the other half may be being committed */
        int fail = 0;
        cur[0].len = 0, cur[0].nfp = 0, cur[0].feasible = 0;
        if (c >= cm->start_chunk && c < cm->nchunks) {
            uint64_t hi = (c + 1) * cm->C < sp->points ? (c + 1) * cm->C : sp->points;
            /* the chunk's rows and only its own front: fewer points to send/merge */
            fail = eval_range(sp, ws, c * cm->C, hi, opt->points_out, blocks, &cur[0]);
        }
#ifdef SNNEX_MPI
        int anyfail = 0;
        MPI_Allreduce(&fail, &anyfail, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
        fail = anyfail;
        if (!fail && rank != 0 && c >= cm->start_chunk && c < cm->nchunks) {
            unsigned long long h[3] = {cur[0].len, (unsigned long long)cur[0].nfp, cur[0].feasible};
            MPI_Send(h, 3, MPI_UNSIGNED_LONG_LONG, 0, 1, MPI_COMM_WORLD);
            MPI_Send(cur[0].text, (int)cur[0].len, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
            MPI_Send(cur[0].fp, (int)(cur[0].nfp * sizeof *cur[0].fp), MPI_BYTE, 0, 3, MPI_COMM_WORLD);
        }
        for (int r = 1; r < size && rank == 0 && !fail; r++) {
            uint64_t cc = round * (uint64_t)size + (uint64_t)r;
            if (cc >= cm->start_chunk && cc < cm->nchunks)
                fail = recv_chunk(&cur[r], r);
        }
#endif
        if (fail)
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        if (rank == 0 && !st) {
            st = sweep_commit_finish(cm, err); /* the previous round */
            if (!st)
                sweep_commit_start(cm, round, cur);
        }
#ifdef SNNEX_MPI
        MPI_Bcast(&st, sizeof st, MPI_BYTE, 0, MPI_COMM_WORLD);
#endif
        if (st)
            break;
    }
    if (rank == 0 && sweep_commit_finish(cm, st ? NULL : err) && !st)
        st = cm->st;
    if (rank == 0 && opt->progress)
        fputc('\n', stderr);
    if (rank == 0 && !st)
        st = sweep_files_finish(cm, ws[0], err);
    if (rank == 0 && !st) {
        sum->points = sp->points;
        sum->feasible = cm->arch.feasible;
        sum->front = cm->arch.nfp;
        for (int k = 0; k < sp->n_obj; k++) {
            for (long i = 0; i < cm->arch.nfp; i++)
                if (i == 0 || cm->arch.fp[i].obj[k] < sum->best[k] ||
                    (cm->arch.fp[i].obj[k] == sum->best[k] && cm->arch.fp[i].index < sum->best_index[k])) {
                    sum->best[k] = cm->arch.fp[i].obj[k];
                    sum->best_index[k] = cm->arch.fp[i].index;
                }
            if (sp->obj[k].maximize)
                sum->best[k] = -sum->best[k];
        }
    }
out:
    sum->seconds = sweep_now_s() - cm->t0;
    if (cm->fd >= 0)
        close(cm->fd);
    if (cm->front_fd >= 0)
        close(cm->front_fd);
    for (int t = 0; t < nt; t++)
        free(ws[t]);
    free(ws);
    for (long b = 0; b < nblocks; b++) {
        free(blocks[b].text);
        free(blocks[b].fp);
    }
    free(blocks);
    for (int r = 0; r < 2 * size; r++) {
        free(rounds[r].text);
        free(rounds[r].fp);
    }
    free(rounds);
    free(cm->arch.text);
    free(cm->arch.fp);
    free(cm);
    return st;
}
