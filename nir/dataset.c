/* nir dataset — reading one HDF5 dataset of a NIR file (a parameter's
 * numbers, a string, the edge names) with the checks a damaged file needs
 * before HDF5 reads it: HDF5 1.10 sizes buffers from what the file claims
 * (a string's length and character size, a heap's objects, a dataset's
 * element count) and allocates, clears or walks them for minutes, or
 * copies from NULL. */
#include "nir/nir.h"
#include "nir/nir_internal.h"

#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_ELEMS (1L << 20)        /* weights are read in slabs of about this many values */
#define MAX_ELEMS (1L << 36)         /* elements of one weight tensor */
#define MAX_KEPT (1L << 28)          /* elements of another parameter (held as doubles) */

int nir_h5_exists(hid_t loc, const char *name)
{
    return H5Lexists(loc, name, H5P_DEFAULT) > 0;
}

/* ---- datasets ---------------------------------------------------------------- */

/* Memory for one variable-length string read from the file: at most 64 KiB. */
static void *small_alloc(size_t size, void *info)
{
    (void)info;
    return size <= 65536 ? malloc(size) : NULL;
}

static void small_free(void *p, void *info)
{
    (void)info;
    free(p);
}

static unsigned long long le(const unsigned char *b, int n)
{
    unsigned long long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* Is the string of length len at object idx of the global heap collection
 * at addr whole and consistent? (HDF5 file format, "Global Heap": "GCOL",
 * version 1, 3 reserved bytes, the collection size (8), then objects: index
 * (2), reference count (2), 4 reserved, size (8), data padded to 8 bytes;
 * index 0 is the free space.) */
static int heap_object_ok(FILE *f, unsigned long long addr, unsigned long long idx, unsigned long long len)
{
    unsigned char h[16];
    if (fseeko(f, (off_t)addr, SEEK_SET) || fread(h, 1, 16, f) != 16 || memcmp(h, "GCOL", 4) || h[4] != 1)
        return 0;
    unsigned long long size = le(h + 8, 8);
    if (size < 16 || size > (1ULL << 24))
        return 0;
    unsigned char *c = malloc((size_t)size);
    int ok = 0;
    /* walk every object as HDF5 does when it loads the collection: each must
     * fit and move the walk on (a free-space object of size 0 would loop
     * HDF5 forever), and the walk must end at the collection's end */
    if (c && fread(c + 16, 1, (size_t)size - 16, f) == (size_t)size - 16) {
        unsigned long long at = 16;
        int found = 0, bad = 0;
        while (at < size && !bad) {
            if (at + 16 > size) {  /* a tail too short for a header: free space */
                at = size;
                break;
            }
            unsigned long long i = le(c + at, 2), osz = le(c + at + 8, 8);
            unsigned long long need = i ? 16 + ((osz + 7) & ~7ULL) : osz;
            if (osz > size || need < 16 || need > size - at)
                bad = 1;
            else {
                if (i == idx)
                    found = osz == len;
                at += need;
            }
        }
        ok = !bad && found && at == size;
    }
    free(c);
    return ok;
}

/* Variable-length strings of a damaged file can claim gigabytes, or a
 * damaged global heap, which HDF5 would allocate, clear or walk inside
 * H5Dread for minutes (likewise a damaged character size, checked by the
 * caller). Each element on disk is its length (4 bytes, little-endian),
 * the address of its global heap collection (8) and its index there (4):
 * check them, where the raw data is contiguous and the file has no user
 * block. Returns 0 when a string is above 64 KiB (names are short) or its
 * heap object does not match. */
static int vlen_lengths_ok(hid_t did, hssize_t cnt)
{
    haddr_t off = H5Dget_offset(did);
    hsize_t bytes = H5Dget_storage_size(did);
    if (off == HADDR_UNDEF || cnt <= 0)
        return 1;                      /* compact or chunked: nothing to check here */
    hid_t fid = H5Iget_file_id(did), fcpl = H5Fget_create_plist(fid);
    hsize_t ub = 0;
    size_t sz_addr = 0, sz_len = 0;
    H5Pget_userblock(fcpl, &ub);
    H5Pget_sizes(fcpl, &sz_addr, &sz_len);
    H5Pclose(fcpl);
    if (bytes != (hsize_t)cnt * (8 + sz_addr)) { /* contiguous elements: exactly cnt of them */
        H5Fclose(fid);
        return 0;
    }
    if (sz_addr != 8 || sz_len != 8) { /* the checks below read 8-byte addresses and lengths */
        H5Fclose(fid);
        return 1;
    }
    char name[4096];
    ssize_t nl = H5Fget_name(fid, name, sizeof name);
    H5Fclose(fid);
    FILE *f = ub == 0 && nl > 0 && (size_t)nl < sizeof name ? fopen(name, "rb") : NULL;
    if (!f)
        return 1;
    unsigned char *raw = malloc((size_t)bytes);
    int ok = raw && fseeko(f, (off_t)off, SEEK_SET) == 0 && fread(raw, 1, (size_t)bytes, f) == (size_t)bytes;
    for (hssize_t i = 0; ok && i < cnt; i++) {
        const unsigned char *b = raw + 16 * i;
        unsigned long long len = le(b, 4);
        ok = len <= 65536 && (len == 0 || heap_object_ok(f, le(b + 4, 8), le(b + 12, 4), len));
    }
    free(raw);
    fclose(f);
    return ok;
}

/* The raw data of a compact or contiguous dataset is exactly n elements
 * (a contiguous one may be unwritten: its fill values are read). HDF5
 * copies a damaged compact dataset's missing bytes from NULL. Chunked
 * data is HDF5's to check. */
static int storage_ok(hid_t did, hid_t ft, hssize_t n)
{
    hid_t pl = H5Dget_create_plist(did);
    H5D_layout_t lay = pl >= 0 ? H5Pget_layout(pl) : H5D_LAYOUT_ERROR;
    if (pl >= 0)
        H5Pclose(pl);
    hsize_t bytes = H5Dget_storage_size(did), want = (hsize_t)n * H5Tget_size(ft);
    if (H5Tis_variable_str(ft) > 0) /* on disk: a length, a heap address and an index each */
        return lay != H5D_COMPACT || bytes >= (hsize_t)n * 12;
    if (lay == H5D_COMPACT)
        return bytes == want;
    if (lay == H5D_CONTIGUOUS)
        return bytes == want || (bytes == 0 && H5Dget_offset(did) == HADDR_UNDEF);
    return lay == H5D_CHUNKED || lay == H5D_VIRTUAL;
}

/* Strings of a string dataset (scalar or array), malloc'ed; *n their count. */
int nir_h5_strings(hid_t did, char ***out, long *n)
{
    hid_t ft = H5Dget_type(did), sp = H5Dget_space(did);
    int ok = 0;
    *out = NULL;
    *n = 0;
    if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_STRING)
        goto done;
    hssize_t cnt = H5Sget_simple_extent_npoints(sp);
    if (cnt < 0 || cnt > (1L << 24) || !storage_ok(did, ft, cnt))
        goto done;
    char **s = calloc(cnt ? (size_t)cnt : 1, sizeof *s);
    if (!s)
        goto done;
    if (H5Tis_variable_str(ft) > 0) {
        hid_t base = H5Tget_super(ft); /* characters of 1 byte (a damaged size makes HDF5 allocate GBs) */
        size_t bsz = base >= 0 ? H5Tget_size(base) : 0;
        if (base >= 0)
            H5Tclose(base);
        if (bsz != 1 || !vlen_lengths_ok(did, cnt)) {
            free(s);
            goto done;
        }
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft)); /* h5py writes UTF-8; HDF5 converts no charset */
        char **raw = calloc(cnt ? (size_t)cnt : 1, sizeof *raw);
        /* a damaged file can claim huge strings, which HDF5 would allocate and
         * clear for minutes: names and types are short, so refuse big ones */
        hid_t xfer = H5Pcreate(H5P_DATASET_XFER);
        H5Pset_vlen_mem_manager(xfer, small_alloc, NULL, small_free, NULL);
        if (raw && H5Dread(did, mt, H5S_ALL, H5S_ALL, xfer, raw) >= 0) {
            ok = 1;
            for (hssize_t i = 0; i < cnt; i++) {
                s[i] = strdup(raw[i] ? raw[i] : "");
                ok &= s[i] != NULL;
            }
        }
        if (raw) /* also what a failed read had allocated */
            H5Dvlen_reclaim(mt, sp, xfer, raw);
        H5Pclose(xfer);
        free(raw);
        H5Tclose(mt);
    } else {
        size_t len = H5Tget_size(ft);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, len);
        H5Tset_strpad(mt, H5T_STR_NULLPAD);
        H5Tset_cset(mt, H5Tget_cset(ft));
        char *raw = calloc((size_t)(cnt ? cnt : 1), len + 1);
        if (raw && len < 4096 && H5Dread(did, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0) {
            ok = 1;
            for (hssize_t i = 0; i < cnt; i++) {
                s[i] = strndup(raw + i * len, len);
                ok &= s[i] != NULL;
            }
        }
        free(raw);
        H5Tclose(mt);
    }
    if (!ok) {
        for (hssize_t i = 0; i < cnt; i++)
            free(s[i]);
        free(s);
        goto done;
    }
    *out = s;
    *n = (long)cnt;
done:
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    return ok ? 0 : -1;
}

void nir_h5_free_strings(char **s, long n)
{
    for (long i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

/* One string from the dataset name under loc (scalar or one element). */
char *nir_h5_string(hid_t loc, const char *name)
{
    if (!nir_h5_exists(loc, name))
        return NULL;
    hid_t did = H5Dopen2(loc, name, H5P_DEFAULT);
    if (did < 0)
        return NULL;
    char **s;
    long n;
    char *res = NULL;
    if (nir_h5_strings(did, &s, &n) == 0) {
        if (n == 1) {
            res = s[0];
            s[0] = NULL;
        }
        nir_h5_free_strings(s, n);
    }
    H5Dclose(did);
    return res;
}

/* A numeric or string dataset into p. keep = 0: count the values (weights)
 * without keeping them. Reads slabs of rows so a large weight matrix is
 * never held as doubles. Returns 0, -1 for a type that is not a number or
 * a string, -2 for a memory failure, -3 for a size past MAX_*, -4 when
 * HDF5 cannot read the data (a damaged file). */
int nir_h5_param(hid_t did, nir_param *p, int keep)
{
    hid_t ft = H5Dget_type(did), sp = H5Dget_space(did);
    int rc = -2;
    if (ft < 0 || sp < 0)
        goto done;
    int nd = H5Sget_simple_extent_ndims(sp);
    if (nd < 0 || nd > NIR_MAX_DIMS) {
        rc = -1;
        goto done;
    }
    hsize_t dims[NIR_MAX_DIMS];
    H5Sget_simple_extent_dims(sp, dims, NULL);
    p->ndim = nd;
    p->n = 1;
    for (int i = 0; i < nd; i++) {
        p->dims[i] = (long)dims[i];
        if (dims[i] > (hsize_t)MAX_ELEMS) {
            rc = -3;
            goto done;
        }
        if (dims[i] > 0 && (hsize_t)p->n > (hsize_t)MAX_ELEMS / dims[i]) {
            rc = -3; /* larger than any network snnex can hold: a damaged shape */
            goto done;
        }
        p->n *= (long)dims[i];
    }
    H5T_class_t cl = H5Tget_class(ft);
    if ((cl == H5T_INTEGER || cl == H5T_FLOAT) && (H5Tget_size(ft) < 1 || H5Tget_size(ft) > 16)) {
        rc = -1;
        goto done;
    }
    if (keep && p->n > MAX_KEPT) {
        rc = -3;
        goto done;
    }
    /* more values than the file can hold, even gzip-compressed (at most
     * about 1032:1): a damaged shape, refused before allocating for it */
    if (cl == H5T_INTEGER || cl == H5T_FLOAT) {
        hid_t fid = H5Iget_file_id(did);
        hsize_t fsize = 0;
        H5Fget_filesize(fid, &fsize);
        H5Fclose(fid);
        if ((double)p->n * (double)H5Tget_size(ft) > 1100.0 * (double)fsize + 65536.0) {
            rc = -3;
            goto done;
        }
    }
    if (cl == H5T_STRING) {
        char **s;
        long n;
        if (nir_h5_strings(did, &s, &n) == 0 && n == 1) {
            p->str = s[0];
            s[0] = NULL;
            rc = 0;
        } else
            rc = -1;
        if (rc == 0 || n)
            nir_h5_free_strings(s, n);
        goto done;
    }
    if (cl != H5T_INTEGER && cl != H5T_FLOAT) {
        rc = -1;
        goto done;
    }
    if (!storage_ok(did, ft, p->n)) {
        rc = -4;
        goto done;
    }
    if (keep) {
        p->v = malloc((p->n ? (size_t)p->n : 1) * sizeof *p->v);
        if (!p->v)
            goto done;
    }
    long row = 1;
    for (int i = 1; i < nd; i++)
        row *= (long)dims[i];
    long rows_per = nd == 0 ? 1 : row > 0 ? (ROWS_ELEMS / row > 0 ? ROWS_ELEMS / row : 1) : (long)dims[0];
    long nrows = nd == 0 ? 1 : (long)dims[0];
    double *buf = keep ? NULL : malloc((size_t)(rows_per * (row > 0 ? row : 1)) * sizeof *buf);
    if (!keep && !buf)
        goto done;
    double sum = 0;
    p->min = INFINITY, p->max = -INFINITY;
    rc = 0;
    for (long r0 = 0; r0 < nrows && p->n > 0; r0 += rows_per) {
        long nr = nrows - r0 < rows_per ? nrows - r0 : rows_per;
        double *dst = keep ? p->v + r0 * row : buf;
        herr_t e;
        if (nd == 0) {
            e = H5Dread(did, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, dst);
        } else {
            hsize_t start[NIR_MAX_DIMS] = {0}, count[NIR_MAX_DIMS];
            for (int i = 0; i < nd; i++)
                count[i] = dims[i];
            start[0] = (hsize_t)r0, count[0] = (hsize_t)nr;
            hid_t fs = H5Scopy(sp), ms = H5Screate_simple(nd, count, NULL);
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
            e = H5Dread(did, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, dst);
            H5Sclose(fs);
            H5Sclose(ms);
        }
        if (e < 0) {
            rc = -4;
            break;
        }
        for (long i = 0; i < nr * row; i++) {
            double v = dst[i];
            p->zeros += v == 0;
            sum += v;
            if (v < p->min) p->min = v;
            if (v > p->max) p->max = v;
        }
    }
    free(buf);
    if (p->n == 0)
        p->min = p->max = 0;
    p->mean = p->n ? sum / (double)p->n : 0;
done:
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}
