/* data — labelled image sets for the trainer: Fashion-MNIST from gz IDX
 * files (streamed through zlib straight into the sample buffer, so loading
 * needs no second copy), a seeded synthetic set for tests and its temporal
 * variant (sequences of frames). */
#include "trainer/trainer_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FMNIST_HINT "install the Debian package dataset-fashion-mnist or set training.data_dir"

void trainer_data_free(trainer_data *d)
{
    free(d->x);
    free(d->y);
    memset(d, 0, sizeof *d);
}

/* Read exactly len bytes; a short read is a truncated or corrupt file. */
static snnex_status gz_read_all(gzFile f, const char *path, void *dst, size_t len, const char *what,
                                snnex_err *err)
{
    size_t got = 0;
    while (got < len) {
        unsigned chunk = len - got > (1u << 30) ? (1u << 30) : (unsigned)(len - got);
        int r = gzread(f, (char *)dst + got, chunk);
        if (r < 0) {
            int zerr;
            const char *m = gzerror(f, &zerr);
            return snnex_err_set(err, SNNEX_EINVAL, path, 0, "corrupt gzip data while reading %s (%s)", what,
                                 zerr == Z_ERRNO ? strerror(errno) : m);
        }
        if (r == 0) {
            int zerr;
            const char *m = gzerror(f, &zerr);
            return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                                 "file is truncated: %s needs %zu bytes, found %zu%s%s", what, len, got,
                                 zerr ? "; " : "", zerr ? m : "");
        }
        got += (size_t)r;
    }
    return SNNEX_OK;
}

/* Open an IDX file and check its header: magic 0x0000 08 ndim, then ndim
 * big-endian u32 sizes. */
static snnex_status idx_open(const char *path, int ndim, uint32_t *dims, gzFile *out, snnex_err *err)
{
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot open data file: %s; " FMNIST_HINT,
                             strerror(errno));
    fclose(probe);
    gzFile f = gzopen(path, "rb");
    if (!f)
        return snnex_err_set(err, SNNEX_EINVAL, path, 0, "cannot open data file: %s", strerror(errno));
    unsigned char h[4 + 4 * 3];
    snnex_status s = gz_read_all(f, path, h, 4 + 4 * (size_t)ndim, "the IDX header", err);
    if (s) {
        gzclose(f);
        return s;
    }
    if (h[0] || h[1] || h[2] != 0x08 || h[3] != ndim) {
        gzclose(f);
        return snnex_err_set(err, SNNEX_EINVAL, path, 0,
                             "not an IDX file of unsigned bytes with %d dimension%s (magic %02x %02x %02x %02x, "
                             "expected 00 00 08 %02x)", ndim, ndim > 1 ? "s" : "", h[0], h[1], h[2], h[3], ndim);
    }
    for (int i = 0; i < ndim; i++) {
        const unsigned char *q = h + 4 + 4 * i;
        dims[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
    }
    *out = f;
    return SNNEX_OK;
}

snnex_status trainer_data_load_idx(const char *images_path, const char *labels_path, long limit,
                                   trainer_data *d, snnex_err *err)
{
    memset(d, 0, sizeof *d);
    uint32_t di[3], dl[1];
    gzFile fi = NULL, fl = NULL;
    snnex_status s = idx_open(images_path, 3, di, &fi, err);
    if (s)
        return s;
    if ((s = idx_open(labels_path, 1, dl, &fl, err)))
        goto out;
    if (di[0] != dl[0]) {
        s = snnex_err_set(err, SNNEX_EINVAL, labels_path, 0, "%u labels for %u images in %s", dl[0], di[0],
                          images_path);
        goto out;
    }
    if (di[0] == 0 || di[1] == 0 || di[2] == 0 || di[1] > 4096 || di[2] > 4096) {
        s = snnex_err_set(err, SNNEX_EINVAL, images_path, 0, "implausible image set shape %ux%ux%u", di[0], di[1],
                          di[2]);
        goto out;
    }
    long n = di[0];
    if (limit > 0 && limit < n)
        n = limit;
    size_t px = (size_t)di[1] * di[2];
    d->x = malloc((size_t)n * px);
    d->y = malloc((size_t)n);
    if (!d->x || !d->y) {
        s = snnex_err_set(err, SNNEX_ENOMEM, images_path, 0, "out of memory for %ld images", n);
        goto out;
    }
    if ((s = gz_read_all(fi, images_path, d->x, (size_t)n * px, "the pixels", err)) ||
        (s = gz_read_all(fl, labels_path, d->y, (size_t)n, "the labels", err)))
        goto out;
    if (n == (long)di[0]) { /* whole file read: nothing may follow */
        char extra;
        const char *badf = gzread(fi, &extra, 1) != 0 ? images_path
                         : gzread(fl, &extra, 1) != 0 ? labels_path : NULL;
        if (badf) {
            s = snnex_err_set(err, SNNEX_EINVAL, badf, 0,
                              "corrupt data file: bytes after the last sample or a gzip check failure");
            goto out;
        }
    }
    int classes = 0;
    for (long i = 0; i < n; i++)
        classes = d->y[i] + 1 > classes ? d->y[i] + 1 : classes;
    if (classes > 256 || classes < 2) {
        s = snnex_err_set(err, SNNEX_EINVAL, labels_path, 0, "labels span %d classes; expected 2 or more", classes);
        goto out;
    }
    d->n = (int)n, d->c = 1, d->h = (int)di[1], d->w = (int)di[2];
    d->classes = classes < 10 ? 10 : classes;
out:
    if (fi)
        gzclose(fi);
    if (fl)
        gzclose(fl);
    if (s)
        trainer_data_free(d);
    return s;
}

snnex_status trainer_data_load_fmnist(const char *dir, int test_split, long limit, trainer_data *d,
                                      snnex_err *err)
{
    char ip[1200], lp[1200];
    const char *pre = test_split ? "t10k" : "train";
    snprintf(ip, sizeof ip, "%s/%s-images-idx3-ubyte.gz", dir, pre);
    snprintf(lp, sizeof lp, "%s/%s-labels-idx1-ubyte.gz", dir, pre);
    return trainer_data_load_idx(ip, lp, limit, d, err);
}

snnex_status trainer_data_synthetic(int n, int c, int h, int w, int classes, long seed, int test_split,
                                    trainer_data *d, snnex_err *err)
{
    memset(d, 0, sizeof *d);
    if (n < 1 || c < 1 || h < 1 || w < 1 || classes < 2 || classes > 256)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "synthetic data needs n, c, h, w ≥ 1 and 2..256 classes");
    long px = (long)c * h * w;
    d->x = malloc((size_t)n * px);
    d->y = malloc((size_t)n);
    if (!d->x || !d->y) {
        trainer_data_free(d);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    uint64_t kp = tr_mix64((uint64_t)seed ^ 0x9f07a1ULL);
    uint64_t ks = tr_mix64((uint64_t)seed ^ (test_split ? 0x7e57ULL : 0x7a1bULL));
    for (int i = 0; i < n; i++) {
        int y = (int)(tr_mix64(ks + 2 * (uint64_t)i) % (uint64_t)classes);
        d->y[i] = (unsigned char)y;
        uint64_t kn = tr_mix64(ks + 2 * (uint64_t)i + 1);
        for (long q = 0; q < px; q++) {
            /* prototype: a third of the pixels of each class are bright */
            int on = tr_unif(tr_mix64(kp + (uint64_t)y * px + q)) < 0.35;
            double r = tr_unif(tr_mix64(kn + (uint64_t)q));
            if (r < 0.1) /* 10 % of pixels flip */
                on = !on;
            d->x[(long)i * px + q] = on ? (unsigned char)(150 + (int)(r * 1000) % 106) : 0;
        }
    }
    d->n = n, d->c = c, d->h = h, d->w = w, d->classes = classes;
    return SNNEX_OK;
}

snnex_status trainer_data_synthetic_temporal(int n, int c, int h, int w, int frames, int classes, long seed,
                                             int test_split, trainer_data *d, snnex_err *err)
{
    memset(d, 0, sizeof *d);
    if (n < 1 || c < 1 || h < 1 || w < 1 || frames < 1 || frames > SNNEX_MAX_T || classes < 2 || classes > 256)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "temporal synthetic data needs n, c, h, w ≥ 1, 1..%d frames and 2..256 classes",
                             SNNEX_MAX_T);
    long px = (long)c * h * w;
    d->x = malloc((size_t)n * frames * px);
    d->y = malloc((size_t)n);
    if (!d->x || !d->y) {
        trainer_data_free(d);
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    }
    const int len = (frames + 3) / 4, jit = frames / 16;
    uint64_t kp = tr_mix64((uint64_t)seed ^ 0x7e3907a1ULL);
    uint64_t ks = tr_mix64((uint64_t)seed ^ (test_split ? 0x7e57e3ULL : 0x7a1be3ULL));
    for (int i = 0; i < n; i++) {
        int y = (int)(tr_mix64(ks + 3 * (uint64_t)i) % (uint64_t)classes);
        d->y[i] = (unsigned char)y;
        int shift = jit ? (int)(tr_mix64(ks + 3 * (uint64_t)i + 1) % (uint64_t)(2 * jit + 1)) - jit : 0;
        uint64_t kn = tr_mix64(ks + 3 * (uint64_t)i + 2);
        for (long q = 0; q < px; q++) {
            int onset = (int)(tr_unif(tr_mix64(kp + (uint64_t)y * px + q)) * (frames - len + 1)) + shift;
            for (int f = 0; f < frames; f++) {
                int on = f >= onset && f < onset + len;
                double r = tr_unif(tr_mix64(kn + (uint64_t)q * frames + f));
                if (r < 0.05) /* 5 % of values flip */
                    on = !on;
                d->x[((long)i * frames + f) * px + q] = on ? (unsigned char)(150 + (int)(r * 1000) % 106) : 0;
            }
        }
    }
    d->n = n, d->c = c, d->h = h, d->w = w, d->frames = frames, d->classes = classes;
    return SNNEX_OK;
}
