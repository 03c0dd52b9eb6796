/* Internal to sweeps/: what run.c (evaluating points) and files.c
 * (points.csv, the progress file, pareto.csv) share. Not installed. */
#ifndef SNNEX_SWEEPS_INTERNAL_H
#define SNNEX_SWEEPS_INTERNAL_H

#include <pthread.h>
#include "sweeps/sweeps.h"

/* A feasible point's objectives. Points of one design (a sampled sweep
 * can draw a design again) have the same design hash and objectives; the
 * front keeps the first of them only. */
typedef struct {
    uint64_t index;
    uint64_t design;               /* hash of the design's axis values */
    double obj[SWEEP_MAX_OBJ];     /* minimised (maximised objectives negated) */
} sweep_front_pt;

/* Output of a run of points: CSV text and the feasible points' objectives. */
typedef struct {
    char *text;
    size_t len, cap;
    sweep_front_pt *fp;
    long nfp, capfp;
    uint64_t feasible;
} sweep_buf;

/* Per-thread evaluation state (the result is ~100 KB: one per thread). */
typedef struct {
    snnex_config cfg;
    snnex_result res;
    sweep_point prev;
    int have_prev;
} sweep_worker;

/* DIR/progress: what is durable. rows points are committed: bytes of
 * points.csv(.partial) and (--points-out none) front_bytes of
 * front.partial hold them. done: every output is written, fsync'ed and
 * renamed into place. */
typedef struct {
    unsigned long long hash, points, rows, bytes, front_bytes, feasible, front;
    int points_out;
    int done;
} sweep_progress;

/* What rank 0 has made durable so far, and the round of chunks it is
 * committing. A round is committed by a second thread while the next one
 * is evaluated, so the fsync waits overlap the work; between
 * sweep_commit_start and sweep_commit_finish only that thread touches it. */
typedef struct {
    const sweep_spec *sp;
    const sweep_opts *opt;
    char path[1200];               /* DIR/points.csv.partial */
    char final_path[1200];         /* DIR/points.csv */
    char front_path[1200];         /* DIR/front.partial */
    int fd, front_fd;              /* -1 when not written (front.partial: --points-out none only) */
    sweep_buf arch;                /* the front so far, reduced when it has doubled */
    long front_after_merge;
    sweep_progress pr;
    uint64_t C, nchunks, start_chunk;
    int size;                      /* MPI ranks: chunks per round */
    double t0, last;               /* start, last progress line */
    uint64_t round;                /* being committed: chunk round*size + r is bufs[r] */
    sweep_buf *bufs;
    pthread_t th;
    int running;
    snnex_status st;
    snnex_err err;
} sweep_committer;

/* ---- run.c ---------------------------------------------------------------- */

/* Append p to o's front points. Returns 0, or -1 when out of memory. */
int sweep_push_front(sweep_buf *o, const sweep_front_pt *p);

/* Replace arch's front points by the front of them and add[0..nadd). */
int sweep_merge_front(const sweep_spec *sp, sweep_buf *arch, const sweep_front_pt *add, long nadd);

/* Evaluate point p with worker w and append its row (unless out says
 * not to: SWEEP_OUT_FEASIBLE writes feasible rows only, SWEEP_OUT_NONE
 * none) and, if feasible, its objectives to o. Returns 0, or -1 when out
 * of memory. */
int sweep_eval_point(const sweep_spec *sp, sweep_worker *w, uint64_t p, sweep_points_out out, sweep_buf *o);

/* Are a and b the same k objective values? (pareto.c) */
int sweep_same(const double *a, const double *b, int k);

/* SplitMix64's finaliser: a good 64-bit mix (points.c). */
uint64_t sweep_mix64(uint64_t z);

/* The design hash of pt: its value indices, and the values of its
 * continuous axes (as the CSV shows them) (points.c). */
uint64_t sweep_design_hash(const sweep_spec *spec, const sweep_point *pt);

/* The permutation keys of spec once its sampling and seed are known
 * (points.c; called by sweep_spec_load and sweep_resample). */
void sweep_points_init(sweep_spec *spec);

/* ---- files.c -------------------------------------------------------------- */

/* The CSV header line of points.csv (with its newline); returns its length. */
size_t sweep_csv_header(const sweep_spec *sp, char *buf, size_t len);

/* Replace DIR/progress by p (written to a temp file, fsync'ed, renamed;
 * the directory fsync'ed too when sync_dir). */
snnex_status sweep_progress_write(const char *dir, const sweep_progress *p, int sync_dir, snnex_err *err);
snnex_status sweep_progress_read(const char *dir, sweep_progress *p, snnex_err *err);

/* write(2) all n bytes. Returns 0 or -1 (errno set). */
int sweep_write_all(int fd, const char *p, size_t n);

/* fsync the directory dir (a rename in it is durable after this). */
int sweep_sync_dir(const char *dir);

/* The text of front point f as front.partial holds it (with its newline);
 * returns its length (< 128). */
int sweep_front_line(const sweep_front_pt *f, char *buf);

/* Rebuild the front archive from the first bytes of points.csv(.partial)
 * (--points-out all or feasible). */
snnex_status sweep_reload_front_rows(const sweep_spec *sp, const char *path, unsigned long long bytes,
                                     sweep_buf *arch, snnex_err *err);

/* Rebuild the front archive from the first bytes of front.partial
 * (--points-out none). */
snnex_status sweep_reload_front(const sweep_spec *sp, const char *path, unsigned long long bytes, sweep_buf *arch,
                                snnex_err *err);

/* DIR/pareto.csv from the front in arch (evaluated again with w), then
 * DIR/objectives: each written to a temp file, fsync'ed and renamed. */
snnex_status sweep_write_results(const sweep_spec *sp, sweep_worker *w, sweep_buf *arch, const char *dir,
                                 snnex_err *err);

/* Rank 0, before any point is evaluated: create DIR and the run's files
 * (points.csv.partial with its header, an empty front.partial, progress),
 * removing the outputs of an earlier run; or, with --resume, check that
 * DIR holds this sweep, cut its files back to what progress says is
 * committed and reload the front. Sets cm->start_chunk (cm->nchunks when
 * nothing is left to evaluate) and sum->already_done. SNNEX_EINVAL for
 * what the user can fix. */
snnex_status sweep_files_start(sweep_committer *cm, sweep_summary *sum, snnex_err *err);

/* Rank 0, every chunk committed: the front, pareto.csv and objectives,
 * points.csv.partial renamed to points.csv, then progress done. */
snnex_status sweep_files_finish(sweep_committer *cm, sweep_worker *w, snnex_err *err);

/* Monotonic clock, seconds. */
double sweep_now_s(void);

/* Commit round (chunk round*size + r in bufs[r]) on a second thread, or on
 * this one when none can be started. */
void sweep_commit_start(sweep_committer *cm, uint64_t round, sweep_buf *bufs);

/* Wait until the round being committed is durable. Returns its status,
 * with the message in *err (if err is not NULL). */
snnex_status sweep_commit_finish(sweep_committer *cm, snnex_err *err);

#endif
