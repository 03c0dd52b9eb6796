/* sweeps/files.c — the files of a sweep directory: points.csv (header,
 * chunks committed in order and made durable before DIR/progress names
 * them, on a second thread while the next chunks are evaluated), the
 * progress file and resuming from it, and pareto.csv. */
#include "sweeps/sweeps_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

size_t sweep_csv_header(const sweep_spec *sp, char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "index");
    for (int j = 0; j < sp->n_axes; j++)
        for (int k = 0; k < sp->axes[j].nkeys; k++)
            n += (size_t)snprintf(buf + n, len - n, ",%s", sp->axes[j].keys[k]);
    for (int m = 0; snnex_metric_names[m]; m++)
        n += (size_t)snprintf(buf + n, len - n, ",%s", snnex_metric_names[m]);
    n += (size_t)snprintf(buf + n, len - n, ",feasible,reason\n");
    return n;
}

snnex_status sweep_progress_write(const char *dir, const sweep_progress *p, snnex_err *err)
{
    char path[1200], tmp[1300];
    snprintf(path, sizeof path, "%s/progress", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return snnex_err_set(err, SNNEX_EIO, tmp, 0, "cannot write: %s", strerror(errno));
    fprintf(f, "snnex-sweep-progress 1\nconfig_hash=%016llx\npoints=%llu\nrows=%llu\nbytes=%llu\nfeasible=%llu\ndone=%d\n",
            p->hash, p->points, p->rows, p->bytes, p->feasible, p->done);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0)
        return snnex_err_set(err, SNNEX_EIO, path, 0, "cannot write: %s", strerror(errno));
    return SNNEX_OK;
}

snnex_status sweep_progress_read(const char *dir, sweep_progress *p, snnex_err *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/progress", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot resume: no progress file (%s); run the sweep without --resume", strerror(errno));
    int n = fscanf(f, "snnex-sweep-progress 1 config_hash=%llx points=%llu rows=%llu bytes=%llu feasible=%llu done=%d",
                   &p->hash, &p->points, &p->rows, &p->bytes, &p->feasible, &p->done);
    fclose(f);
    if (n != 6)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot resume: the progress file is damaged; run the sweep without --resume");
    return SNNEX_OK;
}

int sweep_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Rebuild the front archive from the committed rows of points.csv. */
snnex_status sweep_reload_front(const sweep_spec *sp, const char *path, unsigned long long bytes, sweep_buf *arch,
                                 snnex_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return snnex_err_set(err, SNNEX_EIO, path, 0, "cannot read: %s", strerror(errno));
    int naxcols = 0, nmet = 0;
    for (int j = 0; j < sp->n_axes; j++)
        naxcols += sp->axes[j].nkeys;
    while (snnex_metric_names[nmet])
        nmet++;
    int objcol[SWEEP_MAX_OBJ];
    for (int k = 0; k < sp->n_obj; k++)
        for (int m = 0; m < nmet; m++)
            if (!strcmp(snnex_metric_names[m], sp->obj[k].metric))
                objcol[k] = 1 + naxcols + m;
    int feascol = 1 + naxcols + nmet;
    char *line = NULL;
    size_t cap = 0;
    unsigned long long pos = 0;
    ssize_t n;
    int first = 1;
    snnex_status st = SNNEX_OK;
    while (pos < bytes && (n = getline(&line, &cap, f)) > 0) {
        pos += (unsigned long long)n;
        if (first) {
            first = 0;
            continue;
        }
        /* fields before `reason` hold no quotes or commas except axis
         * strings, which never contain them in practice; split plainly */
        char *fld[256];
        int nf = 0;
        char *s = line;
        fld[nf++] = s;
        for (; *s && nf < 256; s++)
            if (*s == ',') {
                *s = 0;
                fld[nf++] = s + 1;
            }
        if (nf <= feascol)
            continue;
        if (strcmp(fld[feascol], "yes"))
            continue;
        sweep_front_pt fp;
        fp.index = strtoull(fld[0], NULL, 10);
        for (int k = 0; k < sp->n_obj; k++) {
            fp.obj[k] = strtod(fld[objcol[k]], NULL);
            if (sp->obj[k].maximize)
                fp.obj[k] = -fp.obj[k];
        }
        if (sweep_push_front(arch, &fp)) {
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
            break;
        }
        if (arch->nfp >= 65536 && sweep_merge_front(sp, arch, NULL, 0)) {
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
            break;
        }
    }
    free(line);
    fclose(f);
    if (!st && sweep_merge_front(sp, arch, NULL, 0))
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    return st;
}

static const sweep_spec *g_sp;     /* for the qsort comparator of sweep_write_pareto only */

static int cmp_front(const void *a, const void *b)
{
    const sweep_front_pt *x = a, *y = b;
    for (int k = 0; k < g_sp->n_obj; k++) {
        if (x->obj[k] != y->obj[k])
            return x->obj[k] < y->obj[k] ? -1 : 1;
    }
    return (x->index > y->index) - (x->index < y->index);
}

/* DIR/pareto.csv: the front's rows (sorted by the first objective), each
 * followed by its energy per batch by component and by engine. */
snnex_status sweep_write_pareto(const sweep_spec *sp, sweep_worker *w, sweep_buf *arch, const char *dir, snnex_err *err)
{
    char path[1200], hdr[8192];
    snprintf(path, sizeof path, "%s/pareto.csv", dir);
    g_sp = sp;
    if (arch->nfp > 1) /* (an empty front has no array at all) */
        qsort(arch->fp, (size_t)arch->nfp, sizeof *arch->fp, cmp_front);
    snnex_out o;
    snnex_status st = snnex_out_open(&o, path, err);
    if (st)
        return st;
    size_t hl = sweep_csv_header(sp, hdr, sizeof hdr);
    hdr[hl - 1] = 0;
    fputs(hdr, o.f);
    for (int c = 0; c < SNNEX_N_COMP; c++)
        fprintf(o.f, ",%s", sweep_comp_columns[c]);
    fputs(",E_fp_J,E_bp_J,E_wg_J,E_opt_J\n", o.f);
    for (long i = 0; i < arch->nfp; i++) {
        sweep_buf row = {0};
        w->cfg = sp->base;
        w->have_prev = 0;
        if (sweep_eval_point(sp, w, arch->fp[i].index, &row)) {
            free(row.text);
            free(row.fp);
            snnex_out_abort(&o);
            return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        }
        fwrite(row.text, 1, row.len - 1, o.f);
        free(row.text);
        free(row.fp);
        double comp[SNNEX_N_COMP] = {0}, eng[SNNEX_N_ENG] = {0};
        for (int l = 0; l < w->res.n_layers; l++)
            for (int e = 0; e < SNNEX_N_ENG; e++)
                for (int c = 0; c < SNNEX_N_COMP; c++) {
                    comp[c] += w->res.energy_J[l][e][c];
                    eng[e] += w->res.energy_J[l][e][c];
                }
        for (int c = 0; c < SNNEX_N_COMP; c++)
            fprintf(o.f, ",%.9g", comp[c]);
        for (int e = 0; e < SNNEX_N_ENG; e++)
            fprintf(o.f, ",%.9g", eng[e]);
        fputc('\n', o.f);
    }
    return snnex_out_commit(&o, err);
}

double sweep_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* ---- committing chunks (rank 0) ----------------------------------------- */

/* Append the round's chunks to points.csv in order, make them durable,
 * then record them in the progress file; merge their fronts. */
static void *commit_round(void *arg)
{
    sweep_committer *cm = arg;
    const sweep_spec *sp = cm->sp;
    for (int r = 0; r < cm->size && !cm->st; r++) {
        uint64_t cc = cm->round * (uint64_t)cm->size + (uint64_t)r;
        const sweep_buf *ob = &cm->bufs[r];
        if (cc < cm->start_chunk || cc >= cm->nchunks)
            continue;
        if (cm->opt->stop_after_chunks && cm->chunks_done == cm->opt->stop_after_chunks) {
            /* test hook: a crash in the middle of appending a chunk */
            (void)sweep_write_all(cm->fd, ob->text, ob->len / 2);
            _exit(3);
        }
        if (sweep_write_all(cm->fd, ob->text, ob->len) || fsync(cm->fd))
            cm->st = snnex_err_set(&cm->err, SNNEX_EIO, cm->path, 0, "cannot write: %s", strerror(errno));
        /* the archive is reduced to its front only when it has doubled,
         * so merging stays a small share of the run */
        for (long i = 0; i < ob->nfp && !cm->st; i++)
            if (sweep_push_front(&cm->arch, &ob->fp[i]))
                cm->st = snnex_err_set(&cm->err, SNNEX_ENOMEM, "", 0, "out of memory");
        if (!cm->st && cm->arch.nfp > 2 * cm->front_after_merge + 4096) {
            if (sweep_merge_front(sp, &cm->arch, NULL, 0))
                cm->st = snnex_err_set(&cm->err, SNNEX_ENOMEM, "", 0, "out of memory");
            cm->front_after_merge = cm->arch.nfp;
        }
        cm->arch.feasible += ob->feasible;
        cm->pr.rows = (cc + 1) * cm->C < sp->points ? (cc + 1) * cm->C : sp->points;
        cm->pr.bytes += ob->len;
        cm->pr.feasible = cm->arch.feasible;
        cm->pr.done = cm->pr.rows == sp->points;
        if (!cm->st)
            cm->st = sweep_progress_write(cm->opt->out_dir, &cm->pr, &cm->err);
        cm->chunks_done++;
    }
    double t = sweep_now_s();
    if (cm->opt->progress && (t - cm->last > 0.5 || cm->pr.done)) {
        double rate = (double)(cm->pr.rows - cm->start_chunk * cm->C) / (t - cm->t0 + 1e-9);
        fprintf(stderr, "\r%llu/%llu points  %.0f points/s  ETA %.0f s   ", cm->pr.rows,
                (unsigned long long)sp->points, rate, rate > 0 ? (sp->points - cm->pr.rows) / rate : 0.0);
        cm->last = t;
    }
    return NULL;
}

/* Commit round (its chunks in bufs) on a second thread, or on this one
 * when none can be started. */
void sweep_commit_start(sweep_committer *cm, uint64_t round, sweep_buf *bufs)
{
    cm->round = round;
    cm->bufs = bufs;
    cm->running = pthread_create(&cm->th, NULL, commit_round, cm) == 0;
    if (!cm->running)
        commit_round(cm);
}

/* Wait until the round being committed is durable. Returns its status,
 * with the message in *err (if err is not NULL). */
snnex_status sweep_commit_finish(sweep_committer *cm, snnex_err *err)
{
    if (cm->running)
        pthread_join(cm->th, NULL);
    cm->running = 0;
    if (cm->st && err)
        *err = cm->err;
    return cm->st;
}

