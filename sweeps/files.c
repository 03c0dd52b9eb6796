/* sweeps/files.c — the files of a sweep directory: points.csv (header,
 * chunks committed in order and made durable before DIR/progress names
 * them, on a second thread while the next chunks are evaluated), the
 * progress file and resuming from it, and pareto.csv. */
#include "sweeps/sweeps_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static const char *const out_names[] = {"all", "feasible", "none"};

/* How a failed write is reported: the path, why, and that --resume
 * continues from the last committed chunk. */
static snnex_status write_failed(snnex_err *err, const char *path)
{
    return snnex_err_set(err, SNNEX_EIO, path, 0,
                         "cannot write: %s; free space (or fix the cause), then run the same command with "
                         "--resume: it continues from the last committed chunk",
                         strerror(errno));
}

int sweep_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

/* A file written whole: to PATH.tmp.PID, fsync'ed, renamed over PATH. */
typedef struct {
    FILE *f;
    char path[1200], tmp[1300];
} durable_out;

static snnex_status dout_open(durable_out *o, const char *dir, const char *name, snnex_err *err)
{
    snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", o->path, (long)getpid());
    o->f = fopen(o->tmp, "w");
    return o->f ? SNNEX_OK : write_failed(err, o->tmp);
}

static snnex_status dout_commit(durable_out *o, snnex_err *err)
{
    int bad = ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
    int e = bad ? (errno ? errno : EIO) : 0;
    if (fclose(o->f) != 0 && !bad)
        bad = 1, e = errno;
    if (!bad && rename(o->tmp, o->path) != 0)
        bad = 1, e = errno;
    if (bad) {
        remove(o->tmp);
        errno = e;
        return write_failed(err, o->path);
    }
    return SNNEX_OK;
}

static void dout_abort(durable_out *o)
{
    fclose(o->f);
    remove(o->tmp);
}

snnex_status sweep_progress_write(const char *dir, const sweep_progress *p, int sync_dir, snnex_err *err)
{
    durable_out o;
    snnex_status st = dout_open(&o, dir, "progress", err);
    if (st)
        return st;
    fprintf(o.f,
            "snnex-sweep-progress 2\nconfig_hash=%016llx\npoints=%llu\npoints_out=%s\nrows=%llu\nbytes=%llu\n"
            "front_bytes=%llu\nfeasible=%llu\nfront=%llu\ndone=%d\n",
            p->hash, p->points, out_names[p->points_out], p->rows, p->bytes, p->front_bytes, p->feasible,
            p->front, p->done);
    st = dout_commit(&o, err);
    if (!st && sync_dir && sweep_sync_dir(dir) != 0)
        st = write_failed(err, dir);
    return st;
}

snnex_status sweep_progress_read(const char *dir, sweep_progress *p, snnex_err *err)
{
    char path[1200], out[16];
    snprintf(path, sizeof path, "%s/progress", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot resume: no progress file (%s); run the sweep without --resume", strerror(errno));
    int n = fscanf(f,
                   "snnex-sweep-progress 2 config_hash=%llx points=%llu points_out=%15s rows=%llu bytes=%llu "
                   "front_bytes=%llu feasible=%llu front=%llu done=%d",
                   &p->hash, &p->points, out, &p->rows, &p->bytes, &p->front_bytes, &p->feasible, &p->front,
                   &p->done);
    fclose(f);
    p->points_out = -1;
    for (int i = 0; i < 3 && n == 9; i++)
        if (!strcmp(out, out_names[i]))
            p->points_out = i;
    if (n != 9 || p->points_out < 0 || p->rows > p->points)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot resume: the progress file is damaged or from another snnex version; run the "
                             "sweep without --resume");
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

int sweep_front_line(const sweep_front_pt *f, char *buf)
{
    /* hexadecimal floats: exact, and read back by strtod */
    return snprintf(buf, 128, "%llu %016llx %a %a %a\n", (unsigned long long)f->index, (unsigned long long)f->design,
                    f->obj[0], f->obj[1], f->obj[2]);
}

/* Rebuild the front archive from the committed lines of front.partial. */
snnex_status sweep_reload_front(const sweep_spec *sp, const char *path, unsigned long long bytes, sweep_buf *arch,
                                snnex_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot resume: cannot read: %s; run without --resume",
                             strerror(errno));
    char line[256];
    unsigned long long pos = 0;
    long since = 0;
    snnex_status st = SNNEX_OK;
    while (!st && pos < bytes && fgets(line, sizeof line, f)) {
        unsigned long long idx, design;
        sweep_front_pt fp;
        pos += strlen(line);
        if (sscanf(line, "%llu %llx %la %la %la", &idx, &design, &fp.obj[0], &fp.obj[1], &fp.obj[2]) != 5) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot resume: the file is damaged; run without --resume");
            break;
        }
        fp.index = idx;
        fp.design = design;
        if (sweep_push_front(arch, &fp))
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        else if (++since >= 65536 && sweep_merge_front(sp, arch, NULL, 0))
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        if (since >= 65536)
            since = 0;
    }
    fclose(f);
    if (!st && pos != bytes)
        st = snnex_err_set(err, SNNEX_EINVAL, path, 0,
                           "cannot resume: the file is shorter than its %llu committed bytes; run without --resume",
                           bytes);
    if (!st && sweep_merge_front(sp, arch, NULL, 0))
        st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    return st;
}

/* Split a CSV line (no newline) into at most max fields, in place:
 * quoted fields lose their quotes ("" is "). Returns the field count. */
static int split_csv(char *s, char **fld, int max)
{
    int n = 0;
    while (n < max) {
        char *w = s;
        fld[n++] = s;
        if (*s == '"') {
            for (s++;; s++) {
                if (*s == '"' && s[1] == '"')
                    *w++ = '"', s++;
                else if (*s == '"' || !*s) {
                    s += *s == '"';
                    break;
                } else
                    *w++ = *s;
            }
        } else
            while (*s && *s != ',')
                *w++ = *s++;
        int more = *s == ',';
        *w = 0;
        if (!more)
            break;
        s++;
    }
    return n;
}

/* Rebuild the front archive from the committed rows of points.csv(.partial)
 * (--points-out all or feasible): each feasible row's index and objectives
 * as written, its design from its index. */
snnex_status sweep_reload_front_rows(const sweep_spec *sp, const char *path, unsigned long long bytes,
                                     sweep_buf *arch, snnex_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot resume: cannot read: %s; run without --resume",
                             strerror(errno));
    int naxcols = 0, nmet = 0, objcol[SWEEP_MAX_OBJ] = {0};
    for (int j = 0; j < sp->n_axes; j++)
        naxcols += sp->axes[j].nkeys;
    while (snnex_metric_names[nmet])
        nmet++;
    for (int k = 0; k < sp->n_obj; k++)
        for (int m = 0; m < nmet; m++)
            if (!strcmp(snnex_metric_names[m], sp->obj[k].metric))
                objcol[k] = 1 + naxcols + m;
    int feascol = 1 + naxcols + nmet;
    char *line = NULL, *fld[512];
    size_t cap = 0;
    unsigned long long pos = 0;
    long since = 0;
    ssize_t n;
    snnex_status st = SNNEX_OK;
    for (int first = 1; !st && pos < bytes && (n = getline(&line, &cap, f)) > 0; first = 0) {
        pos += (unsigned long long)n;
        if (first)
            continue;
        line[n - 1] = 0;
        if (split_csv(line, fld, 512) <= feascol) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot resume: a row is damaged; run without --resume");
            break;
        }
        if (strcmp(fld[feascol], "yes"))
            continue;
        sweep_front_pt fp = {strtoull(fld[0], NULL, 10), 0, {0}};
        sweep_point pt;
        sweep_point_axes(sp, fp.index, &pt);
        fp.design = sweep_design_hash(sp, &pt);
        for (int k = 0; k < sp->n_obj; k++) {
            fp.obj[k] = strtod(fld[objcol[k]], NULL);
            if (sp->obj[k].maximize)
                fp.obj[k] = -fp.obj[k];
        }
        if (sweep_push_front(arch, &fp) || (++since % 65536 == 0 && sweep_merge_front(sp, arch, NULL, 0)))
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    free(line);
    fclose(f);
    if (!st && pos != bytes)
        st = snnex_err_set(err, SNNEX_EINVAL, path, 0,
                           "cannot resume: the file does not end at its %llu committed bytes; run without --resume",
                           bytes);
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
 * followed by its energy per batch by component and by engine and its
 * design number 1, 2, ... (the number snnex plot and snnex report show); then
 * DIR/objectives (what the front optimises, for snnex plot). */
snnex_status sweep_write_results(const sweep_spec *sp, sweep_worker *w, sweep_buf *arch, const char *dir,
                                 snnex_err *err)
{
    char hdr[8192];
    g_sp = sp;
    if (arch->nfp > 1) /* (an empty front has no array at all) */
        qsort(arch->fp, (size_t)arch->nfp, sizeof *arch->fp, cmp_front);
    durable_out o;
    snnex_status st = dout_open(&o, dir, "pareto.csv", err);
    if (st)
        return st;
    size_t hl = sweep_csv_header(sp, hdr, sizeof hdr);
    hdr[hl - 1] = 0;
    fputs(hdr, o.f);
    for (int c = 0; c < SNNEX_N_COMP; c++)
        fprintf(o.f, ",%s", sweep_comp_columns[c]);
    fputs(",E_fp_J,E_bp_J,E_wg_J,E_opt_J,design\n", o.f);
    for (long i = 0; i < arch->nfp; i++) {
        sweep_buf row = {0};
        w->cfg = sp->base;
        w->have_prev = 0;
        if (sweep_eval_point(sp, w, arch->fp[i].index, SWEEP_OUT_ALL, &row)) {
            free(row.text);
            free(row.fp);
            dout_abort(&o);
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
        fprintf(o.f, ",%ld\n", i + 1);
    }
    st = dout_commit(&o, err);
    if (st)
        return st;
    st = dout_open(&o, dir, "objectives", err);
    if (st)
        return st;
    for (int k = 0; k < sp->n_obj; k++)
        fprintf(o.f, "%s %s\n", sp->obj[k].maximize ? "max" : "min", sp->obj[k].metric);
    return dout_commit(&o, err);
}

/* Remove DIR/name left by an earlier run (absent is fine). */
static snnex_status remove_old(const char *dir, const char *name, snnex_err *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot remove this output of an earlier run: %s; remove it, or choose another -o DIR",
                             strerror(errno));
    return SNNEX_OK;
}

/* Open path for appending (created empty when create). */
static snnex_status open_append(const char *path, int create, int *fd, snnex_err *err)
{
    *fd = open(path, O_WRONLY | O_APPEND | (create ? O_CREAT | O_TRUNC : 0), 0666);
    if (*fd < 0)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot %s: %s; check that the output directory is writable",
                             create ? "create" : "open", strerror(errno));
    return SNNEX_OK;
}

/* A fresh run: the outputs of any earlier run in DIR removed (progress
 * first, so nothing claims them), then the new files, durable. */
static snnex_status start_fresh(sweep_committer *cm, snnex_err *err)
{
    const sweep_spec *sp = cm->sp;
    const char *dir = cm->opt->out_dir;
    static const char *const old[] = {"progress", "points.csv", "pareto.csv", "objectives", "points.csv.partial",
                                       "front.partial"};
    snnex_status st = SNNEX_OK;
    for (int i = 0; i < 6 && !st; i++)
        st = remove_old(dir, old[i], err);
    unsigned long long hl = 0;
    if (!st && cm->opt->points_out != SWEEP_OUT_NONE) {
        char hdr[8192];
        hl = sweep_csv_header(sp, hdr, sizeof hdr);
        st = open_append(cm->path, 1, &cm->fd, err);
        if (!st && (sweep_write_all(cm->fd, hdr, hl) || fsync(cm->fd)))
            st = write_failed(err, cm->path);
    }
    if (!st && cm->opt->points_out == SWEEP_OUT_NONE) {
        st = open_append(cm->front_path, 1, &cm->front_fd, err);
        if (!st && fsync(cm->front_fd))
            st = write_failed(err, cm->front_path);
    }
    cm->pr = (sweep_progress){sp->hash, sp->points, 0, hl, 0, 0, 0, (int)cm->opt->points_out, 0};
    if (!st)
        st = sweep_progress_write(dir, &cm->pr, 1, err);
    return st;
}

/* Does DIR/name exist? */
static int exists(const char *dir, const char *name, struct stat *sb)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, sb) == 0;
}

/* Cut path back to its first bytes (at least that many must be there). */
static snnex_status cut_back(const char *path, unsigned long long bytes, snnex_err *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || (unsigned long long)sb.st_size < bytes)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "cannot resume: the file is missing or shorter than its %llu committed bytes; run "
                             "without --resume to start over",
                             bytes);
    if (truncate(path, (off_t)bytes) != 0)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot resume: cannot truncate: %s", strerror(errno));
    return SNNEX_OK;
}

static snnex_status start_resume(sweep_committer *cm, sweep_summary *sum, snnex_err *err)
{
    const sweep_spec *sp = cm->sp;
    const char *dir = cm->opt->out_dir;
    struct stat sb;
    snnex_status st = sweep_progress_read(dir, &cm->pr, err);
    if (st)
        return st;
    if (cm->pr.hash != sp->hash || cm->pr.points != sp->points)
        return snnex_err_set(err, SNNEX_EINVAL, sp->cfg_path, 0,
                             "cannot resume %s: the sweep changed since that run (config hash %016llx, was %016llx: "
                             "the sweep file, an included config, the trace or the axes differ); restore it, or run "
                             "without --resume to start over",
                             dir, (unsigned long long)sp->hash, cm->pr.hash);
    if (cm->pr.points_out != (int)cm->opt->points_out)
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "cannot resume: the sweep was run with --points-out %s (got --points-out %s); resume "
                             "with --points-out %s",
                             out_names[cm->pr.points_out], out_names[cm->opt->points_out],
                             out_names[cm->pr.points_out]);
    int has_points = cm->opt->points_out != SWEEP_OUT_NONE;
    if (cm->pr.done) {
        /* finished: every output was durable before done was written */
        const char *need[] = {"pareto.csv", "objectives", has_points ? "points.csv" : NULL};
        for (int i = 0; i < 3; i++)
            if (need[i] && !exists(dir, need[i], &sb))
                return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                                     "cannot resume: %s of the finished sweep is missing; run without --resume to "
                                     "sweep again",
                                     need[i]);
        unlink(cm->front_path); /* left if the run stopped just after done */
        sum->already_done = 1;
        sum->points = cm->pr.points;
        sum->feasible = cm->pr.feasible;
        sum->front = (long)cm->pr.front;
        cm->start_chunk = cm->nchunks;
        return SNNEX_OK;
    }
    if (has_points) {
        /* the rows are committed; points.csv exists instead when the run
         * stopped between renaming it and marking progress done */
        if (cm->pr.rows == sp->points && !exists(dir, "points.csv.partial", &sb) && exists(dir, "points.csv", &sb) &&
            (unsigned long long)sb.st_size == cm->pr.bytes)
            cm->fd = -1;
        else {
            st = cut_back(cm->path, cm->pr.bytes, err);
            if (!st)
                st = open_append(cm->path, 0, &cm->fd, err);
        }
    }
    if (!st && has_points)
        st = sweep_reload_front_rows(sp, cm->fd >= 0 ? cm->path : cm->final_path, cm->pr.bytes, &cm->arch, err);
    if (!st && !has_points)
        st = cut_back(cm->front_path, cm->pr.front_bytes, err);
    if (!st && !has_points)
        st = sweep_reload_front(sp, cm->front_path, cm->pr.front_bytes, &cm->arch, err);
    if (!st && !has_points)
        st = open_append(cm->front_path, 0, &cm->front_fd, err);
    /* rows is a multiple of the chunk, or every point */
    cm->start_chunk = (cm->pr.rows + cm->C - 1) / cm->C;
    cm->arch.feasible = cm->pr.feasible;
    return st;
}

snnex_status sweep_files_start(sweep_committer *cm, sweep_summary *sum, snnex_err *err)
{
    const char *dir = cm->opt->out_dir;
    snprintf(cm->path, sizeof cm->path, "%s/points.csv.partial", dir);
    snprintf(cm->final_path, sizeof cm->final_path, "%s/points.csv", dir);
    snprintf(cm->front_path, sizeof cm->front_path, "%s/front.partial", dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return snnex_err_set(err, SNNEX_EINVAL, dir, 0,
                             "cannot create the output directory: %s; check that its parent exists and is writable",
                             strerror(errno));
    return cm->opt->resume ? start_resume(cm, sum, err) : start_fresh(cm, err);
}

snnex_status sweep_files_finish(sweep_committer *cm, sweep_worker *w, snnex_err *err)
{
    const sweep_spec *sp = cm->sp;
    const char *dir = cm->opt->out_dir;
    if (sweep_merge_front(sp, &cm->arch, NULL, 0))
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    snnex_status st = sweep_write_results(sp, w, &cm->arch, dir, err);
    if (st)
        return st;
    if (cm->fd >= 0) {
        int bad = close(cm->fd) != 0;
        cm->fd = -1;
        if (bad || rename(cm->path, cm->final_path) != 0)
            return write_failed(err, cm->final_path);
    }
    if (sweep_sync_dir(dir) != 0)
        return write_failed(err, dir);
    cm->pr.done = 1;
    cm->pr.front = (unsigned long long)cm->arch.nfp;
    st = sweep_progress_write(dir, &cm->pr, 1, err);
    if (!st && cm->front_fd >= 0) {
        close(cm->front_fd);
        cm->front_fd = -1;
        unlink(cm->front_path);
    }
    return st;
}

double sweep_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* ---- committing chunks (rank 0) ----------------------------------------- */

/* Append the round's chunks to points.csv.partial in order and their
 * front points to front.partial, make them durable, then record them in
 * the progress file; add their fronts to the archive. */
static void *commit_round(void *arg)
{
    sweep_committer *cm = arg;
    const sweep_spec *sp = cm->sp;
    for (int r = 0; r < cm->size && !cm->st; r++) {
        uint64_t cc = cm->round * (uint64_t)cm->size + (uint64_t)r;
        const sweep_buf *ob = &cm->bufs[r];
        if (cc < cm->start_chunk || cc >= cm->nchunks)
            continue;
        if (cm->fd >= 0 && (sweep_write_all(cm->fd, ob->text, ob->len) || fsync(cm->fd))) {
            cm->st = write_failed(&cm->err, cm->path);
            break;
        }
        char buf[8192];
        size_t fl = 0;
        int bad = 0;
        for (long i = 0; i <= ob->nfp && !bad && cm->front_fd >= 0; i++) {
            if (fl && (i == ob->nfp || fl + 128 > sizeof buf)) {
                bad = sweep_write_all(cm->front_fd, buf, fl);
                cm->pr.front_bytes += fl;
                fl = 0;
            }
            if (i < ob->nfp)
                fl += (size_t)sweep_front_line(&ob->fp[i], buf + fl);
        }
        if (cm->front_fd >= 0 && (bad || fsync(cm->front_fd))) {
            cm->st = write_failed(&cm->err, cm->front_path);
            break;
        }
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
        if (!cm->st)
            /* a lost rename (power cut) leaves the previous progress: still
             * true of the files, so no directory fsync per chunk */
            cm->st = sweep_progress_write(cm->opt->out_dir, &cm->pr, 0, &cm->err);
    }
    double t = sweep_now_s();
    if (cm->opt->progress && (t - cm->last > 0.5 || cm->pr.rows == sp->points)) {
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

