/* engine_impl — the trainer's compute engine, written once for a REAL type
 * and included by engine_f32.c (float, training) and engine_f64.c (double,
 * gradient checks) with REAL, S (name suffix) and GEMM defined. Everything
 * here is static except the tr_eng_*_S functions of trainer_internal.h.
 *
 * One batch: encode → forward layer by layer (fc: every sample gathers the
 * weight rows of its nonzero inputs, one L2-sized weight block at a time;
 * conv: per-sample scatter of the nonzero inputs' kernels; LIF per sample)
 * → loss → backward per sample, top layer down, δU written over the stored
 * membrane → spike-gated weight gradients, threads split over weight
 * blocks (fc) or kernel taps (conv) → optimizer. Every value is computed by
 * one thread in a fixed order, so results do not depend on the thread count.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>

#include "trainer/trainer_internal.h"

#define CAT2_(a, b) a##_##b
#define CAT2(a, b) CAT2_(a, b)
#define PUB(name) CAT2(name, S)

/* Hot loops are compiled for AVX-512, AVX2 and baseline x86-64 and picked at
 * load time; element-wise float arithmetic is identical in every clone (no
 * contraction into FMA under -std=c11, no reassociation). */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define HOT __attribute__((target_clones("avx512f", "avx2", "default"), optimize("O3")))
#else
#define HOT __attribute__((optimize("O3")))
#endif

/* SIMD vector of 64 bytes (GCC lowers it to what the clone's target has);
 * an fc block row (TR_OB values) is NV of them. */
typedef REAL vec __attribute__((vector_size(64)));
#define NV ((int)(TR_OB * sizeof(REAL) / sizeof(vec)))

/* The nonzero activations of one sample over all T steps: entries
 * off[t]..off[t+1] belong to step t; idx is the H×W×C neuron index, val the
 * value (NULL when every value is 1). */
typedef struct {
    int *idx;
    REAL *val;
    long n, cap;
    long *off;
} alist;

/* Values of an im2col chunk (whole steps): small enough to stay in L2
 * between being written and being read by GEMM. */
#ifndef XCOL_MAX
#define XCOL_MAX (1L << 16)
#endif

typedef struct {
    tr_net *net;
    int nt;                      /* threads */
    int B;                       /* batch capacity */
    long maxsz;                  /* largest activation per sample-step */
    REAL *w[SNNEX_MAX_LAYERS], *g[SNNEX_MAX_LAYERS];
    REAL *m[SNNEX_MAX_LAYERS], *v[SNNEX_MAX_LAYERS];
    REAL *u[SNNEX_MAX_LAYERS];   /* [B][T][out]: membrane, then δU */
    alist *act[SNNEX_MAX_LAYERS + 1]; /* [B]; act[l+1] == act[l] for flatten */
    REAL *dz;                    /* [B][classes] dLoss/dz; ce_rate: [B][T][classes]
                                    dLoss/ds[t] */
    REAL **ga, **gb;             /* per thread [T][maxsz] input gradients */
    REAL **scr;                  /* per thread [maxsz] dense input, all zero between uses */
    REAL **carry;                /* per thread [maxsz] BPTT carry of lif_backward;
                                    pool scratch */
    REAL **nscr;                 /* per thread [2·maxsz] neuron scratch: cubalif's synaptic
                                    current (forward) or δI carry (backward), then the
                                    recurrent gradient W_recᵀ·dX[t+1] (backward) */
    int **iscr;                  /* per thread [maxsz] pool scratch */
    REAL **col;                  /* per thread conv col buffer (δU·Wᵀ) */
    REAL **xcol;                 /* per thread im2col of a conv input (GEMM layers) or
                                    padded rows (scatter layers); 64-byte aligned */
    vec *wpad[SNNEX_MAX_LAYERS]; /* scatter conv: padded weights (conv_pad_weights) */
    REAL *gpart;                 /* [B][largest conv weights] per-sample gradients */
    long colsz, xcolsz;
    long step;                   /* optimizer steps taken */
} eng;

/* ---- small helpers ---------------------------------------------------------- */

/* Zeroed 64-byte aligned memory (fc weight rows are read as whole vectors). */
static void *calloc_aligned(size_t bytes)
{
    size_t n = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, n ? n : 64);
    if (p)
        memset(p, 0, n ? n : 64);
    return p;
}

static int al_reserve(alist *a, long need, int has_val)
{
    if (need <= a->cap)
        return 0;
    long cap = a->cap ? a->cap : 256;
    while (cap < need)
        cap *= 2;
    int *ni = realloc(a->idx, (size_t)cap * sizeof *ni);
    if (!ni)
        return -1;
    a->idx = ni;
    if (has_val) {
        REAL *nv = realloc(a->val, (size_t)cap * sizeof *nv);
        if (!nv)
            return -1;
        a->val = nv;
    }
    a->cap = cap;
    return 0;
}

/* Allocation failures inside parallel loops abort: there is no partial
 * result to return, and the sizes are bounded by batch·T·layer size. */
static void al_reserve_or_die(alist *a, long need, int has_val)
{
    if (al_reserve(a, need, has_val)) {
        fputs("snnex: error: out of memory growing spike lists\n", stderr);
        abort();
    }
}

static inline REAL spike_of(const tr_net *n, double theta, REAL u)
{
    double x = (double)u - theta, k = n->slope;
    if (!n->smooth)
        return x > 0 ? 1 : 0;
    switch (n->surrogate) {
    case SNNEX_SURR_ARCTAN: return (REAL)(atan(M_PI / 2 * k * x) / M_PI + 0.5);
    case SNNEX_SURR_TRIANGLE: {
        /* integral of k·max(0, 1 − k|x|) from −1/k */
        double a = k * x;
        if (a <= -1) return 0;
        if (a >= 1) return 1;
        return (REAL)(a < 0 ? 0.5 * (1 + a) * (1 + a) : 1 - 0.5 * (1 - a) * (1 - a));
    }
    default: return (REAL)(x / (1 + k * fabs(x)) + 1 / k);
    }
}

static inline REAL surr_of(const tr_net *n, double theta, REAL u)
{
    REAL x = u - (REAL)theta, k = (REAL)n->slope;
    switch (n->surrogate) {
    case SNNEX_SURR_ARCTAN: {
        REAL a = (REAL)(M_PI / 2) * k * x;
        return (k / 2) / (1 + a * a);
    }
    case SNNEX_SURR_TRIANGLE: {
        REAL a = 1 - k * (x < 0 ? -x : x);
        return a > 0 ? k * a : 0;
    }
    default: {
        REAL a = 1 + k * (x < 0 ? -x : x);
        return 1 / (a * a);
    }
    }
}

/* Map an H×W×C index to C×H×W order (tiles are counted in C×H×W order). */
static inline long to_chw(long q, int c, long hw)
{
    return c == 1 || hw == 1 ? q : (q % c) * hw + q / c;
}

/* ---- encoder ----------------------------------------------------------------- */

static void encode_sample(eng *e, const trainer_data *d, int di, uint64_t key, alist *a)
{
    const tr_net *n = e->net;
    const int T = n->T, C = n->in_c;
    const long HW = (long)n->in_h * n->in_w, sz = n->in_size;
    const int F = d->frames > 1 ? d->frames : 1;
    int rate = n->encoder == SNNEX_ENC_RATE;
    a->n = 0;
    al_reserve_or_die(a, sz * (rate ? 1 : T), !rate);
    uint64_t ks = tr_mix64(key ^ tr_mix64(n->seed ^ tr_mix64((uint64_t)di)));
    for (int t = 0; t < T; t++) {
        const unsigned char *px = d->x + ((long)di * F + (long)t * F / T) * sz; /* frame ⌊t·F/T⌋ */
        a->off[t] = a->n;
        if (rate) {
            if (a->n + sz > a->cap)
                al_reserve_or_die(a, a->n + sz, 0);
            uint64_t st = tr_mix64(ks + (uint64_t)t * 0xd1342543de82ef95ULL), r = 0;
            for (long q = 0; q < sz; q++) {
                if (!(q & 1))
                    r = tr_mix64(st + (uint64_t)q);
                uint64_t u32 = (q & 1) ? (r >> 32) : (r & 0xffffffffULL);
                unsigned p = px[to_chw(q, C, HW)];
                /* P(spike) = p/255: u32 < p·2^32/255 */
                if (u32 < (((uint64_t)p << 32) / 255))
                    a->idx[a->n++] = (int)q;
            }
        } else {
            for (long q = 0; q < sz; q++) {
                unsigned p = px[to_chw(q, C, HW)];
                if (p) {
                    a->idx[a->n] = (int)q;
                    a->val[a->n++] = (REAL)(p / 255.0);
                }
            }
        }
    }
    a->off[T] = a->n;
}

/* ---- forward ------------------------------------------------------------------- */


/* fc: out[0..len) = Σ_j val_j · Wb[idx_j][0..len) for every sample-step of
 * the batch, one weight block (in × TR_OB) at a time. Four interleaved
 * accumulators hide the add latency; their fixed combination order keeps
 * the result independent of threads. */
HOT static void fc_gather_block(REAL *restrict U, long O, int len, const REAL *restrict Wb, long NI,
                                const alist *in, int n, int T)
{
    for (int b = 0; b < n; b++) {
        const alist *a = &in[b];
        for (int t = 0; t < T; t++) {
            vec acc[4][NV];
            memset(acc, 0, sizeof acc);
            memcpy(acc[0], Wb + NI * TR_OB, sizeof acc[0]); /* bias row */
            const int *restrict ix = a->idx;
            long j = a->off[t], j1 = a->off[t + 1];
            if (a->val) {
                const REAL *restrict vv = a->val;
                for (; j < j1; j++) {
                    const vec *r = (const vec *)(Wb + (long)ix[j] * TR_OB);
                    REAL v = vv[j];
                    for (int k = 0; k < NV; k++)
                        acc[0][k] += v * r[k];
                }
            } else {
                for (; j + 4 <= j1; j += 4) {
                    const vec *r0 = (const vec *)(Wb + (long)ix[j] * TR_OB);
                    const vec *r1 = (const vec *)(Wb + (long)ix[j + 1] * TR_OB);
                    const vec *r2 = (const vec *)(Wb + (long)ix[j + 2] * TR_OB);
                    const vec *r3 = (const vec *)(Wb + (long)ix[j + 3] * TR_OB);
                    for (int k = 0; k < NV; k++) {
                        acc[0][k] += r0[k];
                        acc[1][k] += r1[k];
                        acc[2][k] += r2[k];
                        acc[3][k] += r3[k];
                    }
                }
                for (; j < j1; j++) {
                    const vec *r = (const vec *)(Wb + (long)ix[j] * TR_OB);
                    for (int k = 0; k < NV; k++)
                        acc[0][k] += r[k];
                }
            }
            vec sum[NV];
            for (int k = 0; k < NV; k++)
                sum[k] = (acc[0][k] + acc[1][k]) + (acc[2][k] + acc[3][k]);
            REAL *restrict out = U + ((long)b * T + t) * O;
            memcpy(out, sum, (size_t)len * sizeof(REAL));
        }
    }
}

/* Output positions reached by input coordinate i through taps k of
 * dilation D (o = (i + P − k·D)/S must be an integer in [0, out)): the tap
 * range [*k0, *k1). */
static inline void tap_range(int i, int P, int S, int K, int D, int out, int *k0, int *k1)
{
    int lo = i + P - (out - 1) * S, hi = i + P; /* k·D ∈ [lo, hi] before stride */
    *k0 = lo > 0 ? (lo + D - 1) / D : 0;
    *k1 = hi / D + 1 < K ? hi / D + 1 : K;
}

/* Vectors per output row of a scatter conv layer: the out_c values padded
 * with zeros to whole SIMD vectors, so every tap is a few full-vector adds
 * (out_c = 12 would otherwise run as a scalar remainder loop). */
static inline int conv_nvo(const tr_layer *L)
{
    return (int)((L->oc * (long)sizeof(REAL) + sizeof(vec) - 1) / sizeof(vec));
}

/* conv scatter, one nonzero input value v (v_on = 0: a spike, v = 1) at
 * flat index q = (iy·IW + ix)·IC + ic: visit every kernel tap (ky, kx) that
 * lands on an output position (oy, ox) and add, over the NVo vectors of a
 * padded out_c row,
 *   grad = 0 (forward):          pos[oy][ox] += v · tap[ky][kx][ic]
 *   grad = 1 (weight gradient):  tap[ky][kx][ic] += v · pos[oy][ox]
 * the one loop both directions share (the gradient is the forward's
 * transpose). Always inlined, so each caller's branches on grad and v_on
 * fold away. */
static inline __attribute__((always_inline)) void conv_taps(const tr_layer *L, int q, REAL v, int v_on, vec *restrict pos,
                                                            vec *restrict tap, int grad)
{
    const int IC = L->ic, IW = L->iw, OH = L->oh, OW = L->ow;
    const int K = L->k, St = L->s, P = L->p, D = L->d, NVo = conv_nvo(L);
    int ic = q % IC, at = q / IC, iy = at / IW, ix0 = at % IW;
    int ky0, ky1, kx0, kx1;
    tap_range(iy, P, St, K, D, OH, &ky0, &ky1);
    tap_range(ix0, P, St, K, D, OW, &kx0, &kx1);
    for (int ky = ky0; ky < ky1; ky++) {
        int ny = iy + P - ky * D;
        if (ny % St)
            continue;
        for (int kx = kx0; kx < kx1; kx++) {
            int nx = ix0 + P - kx * D;
            if (nx % St)
                continue;
            vec *y = pos + ((long)(ny / St) * OW + nx / St) * NVo;
            vec *w = tap + (((long)ky * K + kx) * IC + ic) * NVo;
            vec *restrict dst = grad ? w : y;
            const vec *restrict src = grad ? y : w;
            if (v_on)
                for (int k = 0; k < NVo; k++)
                    dst[k] += v * src[k];
            else
                for (int k = 0; k < NVo; k++)
                    dst[k] += src[k];
        }
    }
}

/* conv: scatter each nonzero input's kernel taps into the output currents
 * of one sample-step. Wp is the layer's weights [ky][kx][ic][oc] with each
 * oc row padded to NVo vectors (zeros), then the padded biases; Yp is
 * [oy][ox][NVo] and is set to the biases first. */
HOT static void conv_scatter_step(vec *restrict Yp, const tr_layer *L, const vec *restrict Wp,
                                  const int *restrict ix, const REAL *restrict vv, long j0, long j1)
{
    const int NVo = conv_nvo(L);
    const long Pn = (long)L->oh * L->ow;
    const vec *restrict bias = Wp + (long)L->k * L->k * L->ic * NVo;
    for (long p = 0; p < Pn; p++)
        for (int k = 0; k < NVo; k++)
            Yp[p * NVo + k] = bias[k];
    if (vv)
        for (long j = j0; j < j1; j++)
            conv_taps(L, ix[j], vv[j], 1, Yp, (vec *)Wp, 0);
    else
        for (long j = j0; j < j1; j++)
            conv_taps(L, ix[j], 1, 0, Yp, (vec *)Wp, 0);
}

/* Padded copy of a scatter conv layer's weights and biases (see
 * conv_scatter_step). */
static void conv_pad_weights(vec *Wp, const tr_layer *L, const REAL *W)
{
    const long rows = (long)L->k * L->k * L->ic;
    const int OC = L->oc, NVo = conv_nvo(L);
    memset(Wp, 0, (size_t)(rows + 1) * NVo * sizeof *Wp);
    for (long r = 0; r <= rows; r++) /* the last row: biases */
        memcpy((REAL *)(Wp + r * NVo), W + r * OC, (size_t)OC * sizeof(REAL));
}

static void list_to_dense(const alist *a, int t, REAL *x);
static void list_clear_dense(const alist *a, int t, REAL *x);

/* Steps per chunk of a col buffer of colsz values for layer L. */
static int col_steps(const tr_layer *L, long colsz, int T)
{
    long per_t = (long)L->oh * L->ow * L->k * L->k * L->ic;
    long tc = colsz / per_t;
    return tc < 1 ? 1 : tc > T ? T : (int)tc;
}

/* im2col of one step from the dense input x (H×W×C): row oy·OW + ox of ct
 * holds, for each tap (ky, kx), the IC channels at (oy·S − P + ky, ox·S −
 * P + kx), zero outside the input. Rows are written whole and in order. */
HOT static void im2col_step(REAL *restrict ct, const tr_layer *L, const REAL *restrict x)
{
    const int IC = L->ic, IH = L->ih, IW = L->iw, OH = L->oh, OW = L->ow;
    const int K = L->k, St = L->s, P = L->p, D = L->d;
    const long KC = (long)K * K * IC;
    for (int oy = 0; oy < OH; oy++)
        for (int ox = 0; ox < OW; ox++) {
            REAL *restrict row = ct + ((long)oy * OW + ox) * KC;
            int x0 = ox * St - P;
            for (int ky = 0; ky < K; ky++) {
                int iy = oy * St - P + ky * D;
                REAL *restrict seg = row + (long)ky * K * IC;
                if (iy < 0 || iy >= IH) {
                    memset(seg, 0, (size_t)K * IC * sizeof *seg);
                } else if (D == 1 && x0 >= 0 && x0 + K <= IW) {
                    memcpy(seg, x + ((long)iy * IW + x0) * IC, (size_t)K * IC * sizeof *seg);
                } else {
                    for (int kx = 0; kx < K; kx++) {
                        int ix = x0 + kx * D;
                        if (ix < 0 || ix >= IW)
                            memset(seg + (long)kx * IC, 0, (size_t)IC * sizeof *seg);
                        else
                            memcpy(seg + (long)kx * IC, x + ((long)iy * IW + ix) * IC, (size_t)IC * sizeof *seg);
                    }
                }
            }
        }
}

/* im2col of steps t0..t0+m of sample list a into col, through the zeroed
 * dense buffer x (left zeroed). */
static void im2col_list(REAL *restrict col, const tr_layer *L, const alist *a, int t0, int m, REAL *x)
{
    const long KC = (long)L->k * L->k * L->ic, Pn = (long)L->oh * L->ow;
    for (int tt = 0; tt < m; tt++) {
        list_to_dense(a, t0 + tt, x);
        im2col_step(col + (long)tt * Pn * KC, L, x);
        list_clear_dense(a, t0 + tt, x);
    }
}

/* conv forward of sample b: U[t] = bias + Σ taps W·x[t]. xcol: the
 * thread's im2col buffer (GEMM) or padded output rows (scatter). */
static void conv_forward_sample(eng *e, int l, int b, REAL *xcol, REAL *x)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const int T = n->T, OC = L->oc;
    const long O = L->out_size, KC = (long)L->k * L->k * L->ic, Pn = (long)L->oh * L->ow;
    const alist *a = &e->act[l][b];
    const REAL *W = e->w[l], *bias = W + L->nw;
    REAL *U = e->u[l] + (long)b * T * O;
    if (!L->gemm) {
        const int NVo = conv_nvo(L);
        vec *Yp = (vec *)xcol;
        for (int t = 0; t < T; t++) {
            conv_scatter_step(Yp, L, e->wpad[l], a->idx, a->val, a->off[t], a->off[t + 1]);
            REAL *Ut = U + (long)t * O;
            for (long p = 0; p < Pn; p++)
                memcpy(Ut + p * OC, Yp + p * NVo, (size_t)OC * sizeof *Ut);
        }
        return;
    }
    for (long p = 0; p < T * O; p += OC)
        memcpy(U + p, bias, (size_t)OC * sizeof *U);
    const int tc = col_steps(L, e->xcolsz, T);
    for (int t0 = 0; t0 < T; t0 += tc) {
        int m = T - t0 < tc ? T - t0 : tc;
        im2col_list(xcol, L, a, t0, m, x);
        GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)(m * Pn), OC, (int)KC, 1, xcol, (int)KC, W, OC, 1,
             U + (long)t0 * O, OC);
    }
}

/* The neurons of layer l over the T steps of sample b: U holds the input
 * currents on entry and the membrane on exit; the spikes go to out.
 * lif/if: U[t] = β·U[t-1] + X[t] − θ·s[t-1] (reset subtract; zero:
 * β·U[t-1]·(1 − s[t-1]) + X[t]), if with β = 1; cubalif: I[t] = α·I[t-1] +
 * X[t] feeds the same membrane; li: U[t] = β·U[t-1] + X[t], no spike. A
 * recurrent fc adds W_rec·s[t-1] to X[t]. */
HOT static void lif_forward(eng *e, int l, int b)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const int T = n->T;
    const long O = L->out_size;
    const REAL beta = (REAL)L->beta, theta = (REAL)L->theta, alpha = (REAL)L->alpha;
    const int cuba = L->neuron == SNNEX_NEURON_CUBALIF, li = L->neuron == SNNEX_NEURON_LI;
    const REAL *Wr = L->nrec ? e->w[l] + L->rec_off : NULL;
    REAL *restrict Isyn = cuba ? e->nscr[omp_get_thread_num()] : NULL;
    REAL *U = e->u[l] + (long)b * T * O;
    alist *out = &e->act[l + 1][b];
    int has_val = !L->out_binary;
    out->n = 0;
    for (int t = 0; t < T; t++) {
        REAL *Ut = U + (long)t * O;
        if (Wr && t > 0) /* W_rec·s[t-1]: rows of the spiking sources */
            for (long j = out->off[t - 1]; j < out->n; j++) {
                const REAL *restrict row = Wr + (long)out->idx[j] * O;
                REAL v = out->val ? out->val[j] : 1;
                for (long o = 0; o < O; o++)
                    Ut[o] += v * row[o];
            }
        if (cuba)
            for (long o = 0; o < O; o++)
                Ut[o] = Isyn[o] = t > 0 ? alpha * Isyn[o] + Ut[o] : Ut[o];
        if (t > 0) {
            const REAL *restrict Up = Ut - O;
            if (li) {
                for (long o = 0; o < O; o++)
                    Ut[o] = Ut[o] + beta * Up[o];
            } else if (n->smooth) {
                for (long o = 0; o < O; o++) {
                    REAL p = Up[o], sp = spike_of(n, theta, p);
                    if (n->reset == SNNEX_RESET_SUBTRACT)
                        Ut[o] = (Ut[o] + beta * p) - theta * sp;
                    else
                        Ut[o] = Ut[o] + beta * p * (1 - sp);
                }
            } else if (n->reset == SNNEX_RESET_SUBTRACT) { /* same arithmetic, sp ∈ {0, 1} */
                for (long o = 0; o < O; o++) {
                    REAL p = Up[o];
                    Ut[o] = (Ut[o] + beta * p) - (p > theta ? theta : 0);
                }
            } else {
                for (long o = 0; o < O; o++) {
                    REAL p = Up[o];
                    Ut[o] = Ut[o] + (p > theta ? 0 : beta * p);
                }
            }
        }
        out->off[t] = out->n;
        if (li) /* a readout: no spikes */
            continue;
        if (out->n + O > out->cap)
            al_reserve_or_die(out, out->n + O, has_val);
        if (n->smooth) {
            for (long o = 0; o < O; o++) {
                REAL s = spike_of(n, theta, Ut[o]);
                if (s != 0) {
                    out->idx[out->n] = (int)o;
                    out->val[out->n++] = s;
                }
            }
        } else { /* branch-free append: spikes are too irregular to predict */
            int *restrict oi = out->idx;
            long m = out->n;
            for (long o = 0; o < O; o++) {
                oi[m] = (int)o;
                m += Ut[o] > theta;
            }
            out->n = m;
        }
    }
    out->off[T] = out->n;
}

/* Dense copy of step t of a list (x must be zero on entry). */
static void list_to_dense(const alist *a, int t, REAL *x)
{
    for (long j = a->off[t]; j < a->off[t + 1]; j++)
        x[a->idx[j]] = a->val ? a->val[j] : 1;
}

static void list_clear_dense(const alist *a, int t, REAL *x)
{
    for (long j = a->off[t]; j < a->off[t + 1]; j++)
        x[a->idx[j]] = 0;
}

/* One step of a pool: y (OH×OW×C) from the dense input x (IH×IW×C). Each
 * window is reduced for all C channels at once (channels are contiguous),
 * taps in (ky, kx) order. */
HOT static void pool_step(const tr_layer *L, const REAL *restrict x, REAL *restrict y)
{
    const int C = L->oc, OH = L->oh, OW = L->ow, IW = L->iw, K = L->k, St = L->s;
    const REAL inv = (REAL)1 / ((REAL)K * K);
    const int avg = !L->pool_sum;
    for (int oy = 0; oy < OH; oy++)
        for (int ox = 0; ox < OW; ox++) {
            const REAL *restrict x0 = x + ((long)(oy * St) * IW + ox * St) * C;
            REAL *restrict r = y + ((long)oy * OW + ox) * C;
            if (L->pool_max) {
                memcpy(r, x0, (size_t)C * sizeof *r);
                for (int ky = 0; ky < K; ky++)
                    for (int kx = 0; kx < K; kx++) {
                        const REAL *restrict xv = x0 + ((long)ky * IW + kx) * C;
                        for (int c = 0; c < C; c++)
                            r[c] = xv[c] > r[c] ? xv[c] : r[c];
                    }
            } else {
                memset(r, 0, (size_t)C * sizeof *r);
                for (int ky = 0; ky < K; ky++)
                    for (int kx = 0; kx < K; kx++) {
                        const REAL *restrict xv = x0 + ((long)ky * IW + kx) * C;
                        for (int c = 0; c < C; c++)
                            r[c] += xv[c];
                    }
                if (avg)
                    for (int c = 0; c < C; c++)
                        r[c] *= inv;
            }
        }
}

/* Pool of sample b's spikes; x: zeroed dense scratch (left zeroed), y:
 * scratch of out_size values. Pooled values are appended branch-free. */
static void pool_forward(eng *e, int l, int b, REAL *restrict x, REAL *restrict y)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const alist *in = &e->act[l][b];
    alist *out = &e->act[l + 1][b];
    const long O = L->out_size;
    out->n = 0;
    for (int t = 0; t < n->T; t++) {
        out->off[t] = out->n;
        if (out->n + O > out->cap)
            al_reserve_or_die(out, out->n + O, !L->out_binary);
        list_to_dense(in, t, x);
        pool_step(L, x, y);
        list_clear_dense(in, t, x);
        int *restrict oi = out->idx;
        long m = out->n;
        if (out->val)
            for (long o = 0; o < O; o++) {
                out->val[m] = y[o];
                oi[m] = (int)o;
                m += y[o] != 0;
            }
        else
            for (long o = 0; o < O; o++) {
                oi[m] = (int)o;
                m += y[o] != 0;
            }
        out->n = m;
    }
    out->off[n->T] = out->n;
}

/* Pool with LIF neurons of sample b: the input currents (the layer below's
 * u) pooled into this layer's u, then the LIF steps. */
static void pool_lif_forward(eng *e, int l, int b)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const REAL *X = e->u[l - 1] + (long)b * n->T * L->in_size;
    REAL *Y = e->u[l] + (long)b * n->T * L->out_size;
    for (int t = 0; t < n->T; t++)
        pool_step(L, X + (long)t * L->in_size, Y + (long)t * L->out_size);
    lif_forward(e, l, b);
}

static void forward(eng *e, const trainer_data *d, const int *idx, int nb, uint64_t key)
{
    const tr_net *n = e->net;
    const int T = n->T;
#pragma omp parallel for schedule(static) num_threads(e->nt)
    for (int b = 0; b < nb; b++)
        encode_sample(e, d, idx[b], key, &e->act[0][b]);
    for (int l = 0; l < n->n_layers; l++) {
        const tr_layer *L = &n->L[l];
        if (L->type == SNNEX_LAYER_FC) {
            const long O = L->out_size;
#pragma omp parallel for schedule(dynamic, 1) num_threads(e->nt)
            for (int blk = 0; blk < L->nblk; blk++) {
                int o0 = blk * TR_OB, len = O - o0 < TR_OB ? (int)(O - o0) : TR_OB;
                fc_gather_block(e->u[l] + o0, O, len, e->w[l] + (long)blk * (L->in_size + 1) * TR_OB,
                                L->in_size, e->act[l], nb, T);
            }
#pragma omp parallel for schedule(static) num_threads(e->nt)
            for (int b = 0; b < nb; b++)
                if (L->lif)
                    lif_forward(e, l, b);
        } else if (L->type == SNNEX_LAYER_CONV) {
            if (!L->gemm)
                conv_pad_weights(e->wpad[l], L, e->w[l]);
#pragma omp parallel for schedule(static) num_threads(e->nt)
            for (int b = 0; b < nb; b++) {
                conv_forward_sample(e, l, b, e->xcol[omp_get_thread_num()], e->scr[omp_get_thread_num()]);
                if (L->lif)
                    lif_forward(e, l, b);
            }
        } else if (L->type == SNNEX_LAYER_POOL) {
#pragma omp parallel for schedule(static) num_threads(e->nt)
            for (int b = 0; b < nb; b++)
                if (L->in_current)
                    pool_lif_forward(e, l, b);
                else
                    pool_forward(e, l, b, e->scr[omp_get_thread_num()], e->carry[omp_get_thread_num()]);
        }
        /* flatten: act[l+1] aliases act[l] */
    }
}

/* ---- loss ------------------------------------------------------------------------ */

/* dLoss/dz of sample b: [classes], or [T][classes] (dL/ds[t]) for ce_rate. */
static REAL *dz_of(const eng *e, int b)
{
    const tr_net *n = e->net;
    return e->dz + (long)b * (n->loss == SNNEX_LOSS_CE_RATE ? n->T : 1) * n->classes;
}

/* Cross-entropy of softmax(v[0..C)) against class y; writes its gradient
 * divided by div to dz. */
static double softmax_ce(const double *v, int C, int y, double div, REAL *dz)
{
    double p[1024], mx = -INFINITY, sum = 0;
    for (int c = 0; c < C; c++)
        mx = v[c] > mx ? v[c] : mx;
    for (int c = 0; c < C; c++)
        sum += (p[c] = exp(v[c] - mx));
    for (int c = 0; c < C; c++)
        dz[c] = (REAL)((p[c] / sum - (c == y)) / div);
    return -(v[y] - mx - log(sum));
}

static void loss_of(eng *e, int nb, const trainer_data *d, const int *idx, double *loss, long *correct)
{
    const tr_net *n = e->net;
    const int T = n->T, C = n->classes, l = n->n_layers - 1;
    const double th = n->L[l].theta;
    double total = 0;
    long ok = 0;
    for (int b = 0; b < nb; b++) {
        double z[1024], st[1024];
        const REAL *U = e->u[l] + (long)b * T * C;
        for (int c = 0; c < C; c++) {
            double s = 0;
            for (int t = 0; t < T; t++)
                s += n->loss == SNNEX_LOSS_CE_MEM ? U[(long)t * C + c] : spike_of(n, th, U[(long)t * C + c]);
            z[c] = s;
        }
        int y = d->y[idx[b]], arg = 0;
        for (int c = 1; c < C; c++)
            if (z[c] > z[arg])
                arg = c;
        ok += arg == y;
        REAL *dzb = dz_of(e, b);
        if (n->loss == SNNEX_LOSS_CE_RATE) { /* mean over t of CE(softmax(s[t]), y) */
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++)
                    st[c] = spike_of(n, th, U[(long)t * C + c]);
                total += softmax_ce(st, C, y, (double)T * nb, dzb + (long)t * C) / T;
            }
        } else if (n->loss == SNNEX_LOSS_MSE_COUNT) {
            double l2 = 0;
            for (int c = 0; c < C; c++) {
                double tgt = (c == y ? 0.8 : 0.2) * T, r = z[c] - tgt;
                l2 += r * r;
                dzb[c] = (REAL)(2 * r / ((double)C * nb));
            }
            total += l2 / C;
        } else {
            total += softmax_ce(z, C, y, nb, dzb);
        }
    }
    *loss = total / nb;
    *correct = ok;
}

/* ---- backward --------------------------------------------------------------------- */

/* δU of layer l, sample b, written over its membrane — for cubalif δI,
 * the gradient of its input currents X[t] (what the weight gradients and
 * the layer below need): δI[t] = δU[t] + α·δI[t+1]. gs = dL/ds from the
 * layer above ([T][out]) or NULL for the output layer (loss gradient dzb:
 * [out], or [T][out] for ce_rate). A recurrent fc adds W_recᵀ·dX[t+1] to
 * dL/ds[t]; an li readout has no spike: δU[t] = dL/dU[t] + β·δU[t+1]. */
HOT static void lif_backward(eng *e, int l, int b, const REAL *gs, const REAL *dzb, REAL *carry)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const int T = n->T;
    const long O = L->out_size;
    const REAL beta = (REAL)L->beta, theta = (REAL)L->theta, alpha = (REAL)L->alpha;
    const REAL nd = n->reset_detach ? 0 : 1;
    const int mem = !gs && n->loss == SNNEX_LOSS_CE_MEM, rate = n->loss == SNNEX_LOSS_CE_RATE;
    const int cuba = L->neuron == SNNEX_NEURON_CUBALIF, li = L->neuron == SNNEX_NEURON_LI;
    REAL *U = e->u[l] + (long)b * T * O;
    memset(carry, 0, (size_t)O * sizeof *carry);
    if (gs && !n->smooth && n->surrogate == SNNEX_SURR_FAST_SIGMOID && n->reset == SNNEX_RESET_SUBTRACT &&
        n->reset_detach && L->neuron != SNNEX_NEURON_CUBALIF && !li && !L->nrec) {
        /* the common case, same arithmetic as below */
        const REAL k = (REAL)n->slope;
        for (int t = T - 1; t >= 0; t--) {
            REAL *restrict Ut = U + (long)t * O;
            const REAL *restrict g = gs + (long)t * O;
            for (long o = 0; o < O; o++) {
                REAL x = Ut[o] - theta, a = 1 + k * (x < 0 ? -x : x), c = carry[o];
                REAL du = (REAL)0 + (1 / (a * a)) * (g[o] - 0 * theta * c) + beta * c;
                Ut[o] = du;
                carry[o] = du;
            }
        }
        return;
    }
    const REAL *Wr = L->nrec ? e->w[l] + L->rec_off : NULL;
    REAL *restrict cI = e->nscr[omp_get_thread_num()], *restrict r = cI + O;
    memset(cI, 0, (size_t)2 * O * sizeof *cI);
    for (int t = T - 1; t >= 0; t--) {
        REAL *Ut = U + (long)t * O;
        const REAL *g = gs ? gs + (long)t * O : NULL;
        if (Wr && t < T - 1) { /* r = W_recᵀ·dX[t+1], dX[t+1] already over U[t+1] */
            const REAL *restrict dx = Ut + O;
            for (long j = 0; j < O; j++) {
                const REAL *restrict row = Wr + j * O;
                REAL acc = 0;
                for (long o = 0; o < O; o++)
                    acc += row[o] * dx[o];
                r[j] = acc;
            }
        }
        for (long o = 0; o < O; o++) {
            REAL x = Ut[o], c = carry[o], du;
            REAL direct = mem ? dzb[o] : 0;
            if (li) {
                du = direct + beta * c;
            } else {
                REAL d = surr_of(n, theta, x);
                REAL gsum = g ? g[o] : mem ? 0 : dzb[rate ? (long)t * O + o : o];
                gsum += r[o]; /* 0 without recurrence */
                if (n->reset == SNNEX_RESET_SUBTRACT)
                    du = direct + d * (gsum - nd * theta * c) + beta * c;
                else
                    du = direct + d * (gsum - nd * beta * x * c) + beta * (1 - spike_of(n, theta, x)) * c;
            }
            carry[o] = du;
            if (cuba)
                du = cI[o] = du + alpha * cI[o];
            Ut[o] = du;
        }
    }
}

/* dL/d(input) of an fc layer for sample b: gin[T][in] = δU · Wᵀ. */
static void fc_back_input(eng *e, int l, int b, REAL *gin)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const long O = L->out_size, NI = L->in_size;
    const REAL *dU = e->u[l] + (long)b * n->T * O;
    for (int blk = 0; blk < L->nblk; blk++) {
        int o0 = blk * TR_OB, len = O - o0 < TR_OB ? (int)(O - o0) : TR_OB;
        GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, n->T, (int)NI, len, 1, dU + o0, (int)O,
             e->w[l] + (long)blk * (NI + 1) * TR_OB, TR_OB, blk ? 1 : 0, gin, (int)NI);
    }
}

/* conv: col = δU · Wᵀ per chunk of steps, then col2im into gin[T][in]. */
HOT static void conv_back_input(eng *e, int l, int b, REAL *gin, REAL *col)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const int T = n->T, K = L->k, IC = L->ic, OC = L->oc, OW = L->ow, OH = L->oh;
    const int IW = L->iw, IH = L->ih, St = L->s, P = L->p, D = L->d;
    const long Pn = (long)OH * OW, KC = (long)K * K * IC, O = L->out_size;
    const int tc = col_steps(L, e->colsz, T);
    const REAL *dU = e->u[l] + (long)b * T * O;
    memset(gin, 0, (size_t)T * L->in_size * sizeof *gin);
    for (int t0 = 0; t0 < T; t0 += tc) {
        int m = T - t0 < tc ? T - t0 : tc;
        GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(m * Pn), (int)KC, OC, 1,
             dU + (long)t0 * O, OC, e->w[l], OC, 0, col, (int)KC);
        for (int tt = 0; tt < m; tt++) {
            REAL *gt = gin + (long)(t0 + tt) * L->in_size;
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++) {
                    const REAL *cr = col + ((long)tt * Pn + (long)oy * OW + ox) * KC;
                    for (int ky = 0; ky < K; ky++) {
                        int iy = oy * St - P + ky * D;
                        if (iy < 0 || iy >= IH)
                            continue;
                        for (int kx = 0; kx < K; kx++) {
                            int ix = ox * St - P + kx * D;
                            if (ix < 0 || ix >= IW)
                                continue;
                            REAL *gp = gt + ((long)iy * IW + ix) * IC;
                            const REAL *cp = cr + ((long)ky * K + kx) * IC;
                            for (int c = 0; c < IC; c++)
                                gp[c] += cp[c];
                        }
                    }
                }
        }
    }
}

/* Pool input gradient of sample b: gin[T][in] from gout[T][out]. The
 * input is a spike list (x: zeroed dense scratch, left zeroed) or, for
 * in_current, the currents in gin itself: each step's window maxima are
 * found before the step is overwritten by its gradient. r: scratch of C
 * values, best: of out_size ints. Max pool: the window's first maximum
 * takes the gradient (as PyTorch). */
HOT static void pool_back_input(eng *e, int l, int b, const REAL *gout, REAL *gin, REAL *restrict x,
                                REAL *restrict r, int *restrict best)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const alist *in = &e->act[l][b];
    const int C = L->oc, OH = L->oh, OW = L->ow, IW = L->iw, K = L->k, St = L->s;
    const REAL inv = L->pool_sum ? 1 : (REAL)1 / ((REAL)K * K); /* sum: the gradient as it is */
    for (int t = 0; t < n->T; t++) {
        const REAL *go = gout + (long)t * L->out_size;
        REAL *restrict gi = gin + (long)t * L->in_size;
        if (L->pool_max) {
            const REAL *xt = gi;
            if (!L->in_current) {
                list_to_dense(in, t, x);
                xt = x;
            }
            /* offset of each output's first maximum in its window */
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++) {
                    const long q0 = ((long)(oy * St) * IW + ox * St) * C;
                    int *restrict bo = best + ((long)oy * OW + ox) * C;
                    memcpy(r, xt + q0, (size_t)C * sizeof *r);
                    memset(bo, 0, (size_t)C * sizeof *bo);
                    for (int ky = 0; ky < K; ky++)
                        for (int kx = 0; kx < K; kx++) {
                            const int off = (ky * IW + kx) * C;
                            const REAL *restrict xv = xt + q0 + off;
                            for (int c = 0; c < C; c++) {
                                int gt = xv[c] > r[c];
                                r[c] = gt ? xv[c] : r[c];
                                bo[c] = gt ? off : bo[c];
                            }
                        }
                }
            if (!L->in_current)
                list_clear_dense(in, t, x);
        }
        memset(gi, 0, (size_t)L->in_size * sizeof *gi);
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
                const long o0 = ((long)oy * OW + ox) * C;
                const REAL *restrict gv = go + o0;
                const long q0 = ((long)(oy * St) * IW + ox * St) * C;
                if (L->pool_max) {
                    const int *restrict bo = best + o0;
                    for (int c = 0; c < C; c++)
                        if (gv[c] != 0)
                            gi[q0 + bo[c] + c] += gv[c];
                } else {
                    for (int ky = 0; ky < K; ky++)
                        for (int kx = 0; kx < K; kx++) {
                            REAL *restrict gp = gi + q0 + ((long)ky * IW + kx) * C;
                            for (int c = 0; c < C; c++)
                                gp[c] += gv[c] * inv;
                        }
                }
            }
    }
}

/* Count nonzero gradient values passed below by layer l (trace). */
static void count_grad(eng *e, int l, const REAL *gin)
{
    tr_net *n = e->net;
    const long NI = n->L[l].in_size;
    for (int t = 0; t < n->T; t++) {
        long c = 0;
        for (long i = 0; i < NI; i++)
            c += gin[(long)t * NI + i] != 0;
        long *cnt = n->cnt + ((long)l * n->T + t) * TRC_N;
#pragma omp atomic
        cnt[TRC_GRAD] += c;
    }
}

static void backward_sample(eng *e, int b)
{
    tr_net *n = e->net;
    const int tid = omp_get_thread_num();
    REAL *ga = e->ga[tid], *gb = e->gb[tid];
    const REAL *gs = NULL; /* dL/d(output) of the current layer */
    for (int l = n->n_layers - 1; l >= 0; l--) {
        const tr_layer *L = &n->L[l];
        /* an fc/conv without LIF neurons: the pool above wrote the gradient
         * of its currents over them (in u[l]) */
        if (L->lif)
            lif_backward(e, l, b, gs, dz_of(e, b), e->carry[tid]);
        if (!L->grad_below)
            break;
        REAL *gin = gs == ga ? gb : ga;
        if (L->type == SNNEX_LAYER_FC)
            fc_back_input(e, l, b, gin);
        else if (L->type == SNNEX_LAYER_CONV)
            conv_back_input(e, l, b, gin, e->col[tid]);
        else if (L->type == SNNEX_LAYER_POOL && L->in_current) {
            gin = e->u[l - 1] + (long)b * n->T * L->in_size;
            pool_back_input(e, l, b, e->u[l] + (long)b * n->T * L->out_size, gin, NULL, e->carry[tid],
                            e->iscr[tid]);
        } else if (L->type == SNNEX_LAYER_POOL)
            pool_back_input(e, l, b, gs, gin, e->scr[tid], e->carry[tid], e->iscr[tid]);
        else
            gin = (REAL *)gs; /* flatten: same layout */
        if (n->recording)
            count_grad(e, l, gin);
        gs = gin;
    }
}

/* ---- weight gradients ---------------------------------------------------------------- */

/* fc block: Gb[i][0..len) += val · δU[b][t][o0..) for each nonzero input i;
 * sample-steps whose δU slice is all zero are skipped. */
HOT static void fc_wg_block(REAL *restrict Gb, long NI, const REAL *restrict dU, long O, int len,
                            const alist *in, int n, int T)
{
    memset(Gb, 0, (size_t)(NI + 1) * TR_OB * sizeof *Gb);
    vec *gbias = (vec *)(Gb + NI * TR_OB);
    for (int b = 0; b < n; b++) {
        const alist *a = &in[b];
        for (int t = 0; t < T; t++) {
            vec d[NV];
            memset(d, 0, sizeof d);
            memcpy(d, dU + ((long)b * T + t) * O, (size_t)len * sizeof(REAL));
            int any = 0;
            for (int k = 0; k < len; k++)
                any |= ((REAL *)d)[k] != 0;
            if (!any)
                continue;
            for (int k = 0; k < NV; k++)
                gbias[k] += d[k];
            const int *restrict ix = a->idx;
            if (a->val) {
                for (long j = a->off[t]; j < a->off[t + 1]; j++) {
                    vec *r = (vec *)(Gb + (long)ix[j] * TR_OB);
                    REAL v = a->val[j];
                    for (int k = 0; k < NV; k++)
                        r[k] += v * d[k];
                }
            } else {
                for (long j = a->off[t]; j < a->off[t + 1]; j++) {
                    vec *r = (vec *)(Gb + (long)ix[j] * TR_OB);
                    for (int k = 0; k < NV; k++)
                        r[k] += d[k];
                }
            }
        }
    }
}

/* conv, one sample: Gb[kk][ic][oc] = Σ_t Σ_nonzero inputs val · δU[oy][ox][oc]
 * (scatter), or Σ_t colᵀ · δU[t] (im2col + GEMM, L->gemm). */
HOT static void conv_wg_sample(REAL *restrict Gb, const tr_layer *L, const REAL *restrict dU,
                               const alist *a, int T, REAL *xcol, long xcolsz, REAL *x)
{
    const int IC = L->ic, OC = L->oc, OH = L->oh, OW = L->ow, K = L->k;
    const long O = L->out_size;
    memset(Gb, 0, (size_t)L->nw_store * sizeof *Gb);
    REAL *restrict gbias = Gb + L->nw;
    if (L->gemm) {
        for (int t = 0; t < T; t++) {
            const REAL *restrict dt = dU + (long)t * O;
            for (long p = 0; p < O; p += OC)
                for (int o = 0; o < OC; o++)
                    gbias[o] += dt[p + o];
        }
        const long KC = (long)K * K * IC, Pn = (long)OH * OW;
        const int tc = col_steps(L, xcolsz, T);
        for (int t0 = 0; t0 < T; t0 += tc) {
            int m = T - t0 < tc ? T - t0 : tc;
            im2col_list(xcol, L, a, t0, m, x);
            GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (int)KC, OC, (int)(m * Pn), 1, xcol, (int)KC,
                 dU + (long)t0 * O, OC, 1, Gb, OC);
        }
        return;
    }
    /* scatter: δU rows and gradient rows padded to whole vectors (zeros) */
    const int NVo = conv_nvo(L);
    const long Pn = (long)OH * OW, rows = (long)K * K * IC;
    vec *restrict Dp = (vec *)xcol, *restrict Gp = Dp + Pn * NVo, *restrict Bp = Gp + rows * NVo;
    memset(Dp, 0, (size_t)(Pn + rows + 1) * NVo * sizeof *Dp);
    for (int t = 0; t < T; t++) {
        const REAL *restrict dt = dU + (long)t * O;
        for (long p = 0; p < Pn; p++) {
            memcpy(Dp + p * NVo, dt + p * OC, (size_t)OC * sizeof *dt);
            for (int k = 0; k < NVo; k++) /* bias: the same sums in the same order */
                Bp[k] += Dp[p * NVo + k];
        }
        if (a->val)
            for (long j = a->off[t]; j < a->off[t + 1]; j++)
                conv_taps(L, a->idx[j], a->val[j], 1, Dp, Gp, 1);
        else
            for (long j = a->off[t]; j < a->off[t + 1]; j++)
                conv_taps(L, a->idx[j], 1, 0, Dp, Gp, 1);
    }
    for (long r = 0; r <= rows; r++) /* weights, then the bias row */
        memcpy(Gb + r * OC, Gp + r * NVo, (size_t)OC * sizeof *Gb);
}

/* Recurrent fc: G_rec[j][o] = Σ_b Σ_{t≥1} s[t-1][j]·dX[t][o], the layer's
 * own spikes (its output lists) against the gradient of its input
 * currents; threads split the target columns o, each sums in (b, t) order. */
static void rec_wg(eng *e, int l, int nb)
{
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    const long O = L->out_size;
    const int T = n->T;
    REAL *G = e->g[l] + L->rec_off;
    memset(G, 0, (size_t)L->nrec * sizeof *G);
    const int chunks = (int)((O + TR_OB - 1) / TR_OB);
#pragma omp parallel for schedule(static) num_threads(e->nt)
    for (int ch = 0; ch < chunks; ch++) {
        const long o0 = (long)ch * TR_OB, o1 = o0 + TR_OB < O ? o0 + TR_OB : O;
        for (int b = 0; b < nb; b++) {
            const alist *a = &e->act[l + 1][b];
            for (int t = 1; t < T; t++) {
                const REAL *restrict dx = e->u[l] + ((long)b * T + t) * O;
                for (long j = a->off[t - 1]; j < a->off[t]; j++) {
                    REAL v = a->val ? a->val[j] : 1;
                    REAL *restrict row = G + (long)a->idx[j] * O;
                    for (long o = o0; o < o1; o++)
                        row[o] += v * dx[o];
                }
            }
        }
    }
}

static void weight_grads(eng *e, int nb)
{
    const tr_net *n = e->net;
    for (int l = 0; l < n->n_layers; l++) {
        const tr_layer *L = &n->L[l];
        if (L->type == SNNEX_LAYER_FC) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(e->nt)
            for (int blk = 0; blk < L->nblk; blk++) {
                int o0 = blk * TR_OB, len = L->out_size - o0 < TR_OB ? (int)(L->out_size - o0) : TR_OB;
                fc_wg_block(e->g[l] + (long)blk * (L->in_size + 1) * TR_OB, L->in_size, e->u[l] + o0,
                            L->out_size, len, e->act[l], nb, n->T);
            }
            if (L->nrec)
                rec_wg(e, l, nb);
        } else if (L->type == SNNEX_LAYER_CONV) {
            /* per-sample partial gradients, summed in sample order */
            const long NW = L->nw_store, T = n->T;
#pragma omp parallel for schedule(static) num_threads(e->nt)
            for (int b = 0; b < nb; b++)
                conv_wg_sample(e->gpart + (long)b * NW, L, e->u[l] + (long)b * T * L->out_size,
                               &e->act[l][b], n->T, e->xcol[omp_get_thread_num()], e->xcolsz,
                               e->scr[omp_get_thread_num()]);
            REAL *restrict G = e->g[l];
            const REAL *restrict gp = e->gpart;
#pragma omp parallel for schedule(static) num_threads(e->nt)
            for (long i = 0; i < NW; i++) {
                REAL acc = 0;
                for (int b = 0; b < nb; b++)
                    acc += gp[(long)b * NW + i];
                G[i] = acc;
            }
            if (L->ngroups > 1) { /* weights across groups stay zero: no gradient */
                const long icg = L->ic / L->ngroups, ocg = L->oc / L->ngroups;
                for (long i = 0; i < L->nw; i++)
                    if ((i / L->oc) % L->ic / icg != i % L->oc / ocg)
                        G[i] = 0;
            }
        }
    }
}

/* ---- trace counts ----------------------------------------------------------------------- */

/* Distinct tiles (g = 1, 4, 16, 64 in C×H×W order) touched by the indices
 * q of one step; marks are cleared before returning. */
static void count_tiles(const int *q, long nq, int c, long hw, unsigned char *mark, long *chw,
                        long *out)
{
    for (long j = 0; j < nq; j++)
        chw[j] = to_chw(q[j], c, hw);
    for (int gi = 0; gi < SNNEX_TRACE_NG; gi++) {
        const int sh = 2 * gi; /* g = 1, 4, 16, 64 = 4^gi */
        long cnt = 0;
        for (long j = 0; j < nq; j++) {
            long grp = chw[j] >> sh;
            cnt += !mark[grp];
            mark[grp] = 1;
        }
        for (long j = 0; j < nq; j++)
            mark[chw[j] >> sh] = 0;
        out[TRC_IN_TILE + gi] += cnt;
    }
}

/* Nonzero values of a dense H×W×C step x (n values) and the tiles (g = 1,
 * 4, 16, 64 in C×H×W order) that hold one, added to out like count_tiles;
 * nz: scratch of n + 64 bytes. Groups of 4·g are ORs of 4 groups of g. */
static long count_dense_tiles(const REAL *x, long n, int c, long hw, unsigned char *nz, long *out)
{
    for (long p = 0; p < hw; p++)
        for (int k = 0; k < c; k++)
            nz[(long)k * hw + p] = x[p * c + k] != 0;
    long cnt = 0, m = n;
    for (long i = 0; i < n; i++)
        cnt += nz[i];
    out[TRC_IN_TILE] += cnt;
    for (int gi = 1; gi < SNNEX_TRACE_NG; gi++) {
        memset(nz + m, 0, 4);
        long m4 = (m + 3) / 4, t = 0;
        for (long k = 0; k < m4; k++) {
            nz[k] = nz[4 * k] | nz[4 * k + 1] | nz[4 * k + 2] | nz[4 * k + 3];
            t += nz[k];
        }
        out[TRC_IN_TILE + gi] += t;
        m = m4;
    }
    return cnt;
}

/* Add the batch's counts to the trace. currents = 1 (after the forward
 * pass, before the backward pass overwrites them): the nonzero currents an
 * fc/conv without LIF neurons passes to its pool (its output, the pool's
 * input and tiles). currents = 0 (after the backward pass): everything
 * else — lists of spikes or pooled values, δU (or the gradient of an
 * fc/conv's currents), and counts the batch. */
static void record_sample(eng *e, int nb, int currents)
{
    tr_net *n = e->net;
    const int T = n->T;
    const long per = (long)n->n_layers * T * TRC_N;
#pragma omp parallel num_threads(e->nt)
    {
        long *loc = calloc((size_t)per, sizeof *loc);
        unsigned char *mark = calloc((size_t)e->maxsz + 64, 1);
        int *q = malloc(((size_t)e->maxsz + 1) * sizeof *q);
        long *chw = malloc(((size_t)e->maxsz + 1) * sizeof *chw);
        if (!loc || !mark || !q || !chw) {
            fputs("snnex: error: out of memory recording a trace\n", stderr);
            abort();
        }
#pragma omp for schedule(static)
        for (int b = 0; b < nb; b++) {
            for (int l = 0; l < n->n_layers; l++) {
                const tr_layer *L = &n->L[l];
                const alist *in = &e->act[l][b], *out = &e->act[l + 1][b];
                /* δU here is of the batch-mean loss; the threshold applies to
                 * the per-sample loss's δU (= nb × this), so it does not
                 * depend on the batch size */
                const REAL thr = (REAL)(n->du_threshold / nb);
                for (int t = 0; t < T; t++) {
                    long *c = loc + ((long)l * T + t) * TRC_N;
                    if (currents) {
                        if (!L->in_current)
                            break;
                        const REAL *x = e->u[l - 1] + ((long)b * T + t) * L->in_size;
                        /* mark is scratch here: this call never uses count_tiles */
                        long nq = count_dense_tiles(x, L->in_size, L->ic, (long)L->ih * L->iw, mark, c);
                        c[TRC_IN] += nq;
                        loc[((long)(l - 1) * T + t) * TRC_N + TRC_OUT] += nq;
                        continue;
                    }
                    if (!L->in_current) {
                        long j0 = in->off[t], j1 = in->off[t + 1];
                        c[TRC_IN] += j1 - j0;
                        count_tiles(in->idx + j0, j1 - j0, L->ic, (long)L->ih * L->iw, mark, chw, c);
                    }
                    if (L->lif || !L->trainable)
                        c[TRC_OUT] += out->off[t + 1] - out->off[t];
                    if (!L->trainable && !L->lif)
                        continue;
                    const REAL *du = e->u[l] + ((long)b * T + t) * L->out_size;
                    long nq = 0;
                    for (long o = 0; o < L->out_size; o++) {
                        REAL a = du[o] < 0 ? -du[o] : du[o];
                        c[TRC_DU] += a != 0;
                        if (a > thr)
                            q[nq++] = (int)o;
                    }
                    c[TRC_DUT] += nq;
                    long tiles[TRC_N] = {0};
                    count_tiles(q, nq, L->oc, (long)L->oh * L->ow, mark, chw, tiles);
                    for (int gi = 0; gi < SNNEX_TRACE_NG; gi++)
                        c[TRC_DU_TILE + gi] += tiles[TRC_IN_TILE + gi];
                }
            }
        }
        for (long i = 0; i < per; i++)
            if (loc[i]) {
#pragma omp atomic
                n->cnt[i] += loc[i];
            }
        free(loc);
        free(mark);
        free(q);
        free(chw);
    }
    if (currents)
        return;
    n->rec_samples += nb;
    n->rec_batches++;
}

/* ---- public engine functions -------------------------------------------------------------- */

void PUB(tr_eng_free)(void *ev)
{
    eng *e = ev;
    if (!e)
        return;
    const tr_net *n = e->net;
    for (int l = 0; l < n->n_layers; l++) {
        free(e->w[l]), free(e->g[l]), free(e->m[l]), free(e->v[l]), free(e->u[l]), free(e->wpad[l]);
    }
    for (int a = 0; a <= n->n_layers; a++) {
        if (!e->act[a] || (a > 0 && e->act[a] == e->act[a - 1]))
            continue;
        for (int b = 0; b < e->B; b++)
            free(e->act[a][b].idx), free(e->act[a][b].val), free(e->act[a][b].off);
        free(e->act[a]);
    }
    for (int i = 0; i < e->nt; i++) {
        if (e->ga) free(e->ga[i]);
        if (e->gb) free(e->gb[i]);
        if (e->scr) free(e->scr[i]);
        if (e->carry) free(e->carry[i]);
        if (e->nscr) free(e->nscr[i]);
        if (e->iscr) free(e->iscr[i]);
        if (e->col) free(e->col[i]);
        if (e->xcol) free(e->xcol[i]);
    }
    free(e->ga), free(e->gb), free(e->scr), free(e->carry), free(e->nscr), free(e->iscr), free(e->col), free(e->xcol), free(e->dz);
    free(e->gpart);
    free(e);
}

void *PUB(tr_eng_new)(tr_net *n, snnex_err *err)
{
    eng *e = calloc(1, sizeof *e);
    if (!e)
        goto oom;
    e->net = n;
    e->nt = n->threads > 0 ? n->threads : omp_get_max_threads();
    e->B = n->batch;
    const int T = n->T;
    e->maxsz = n->in_size;
    e->colsz = e->xcolsz = 0;
    for (int l = 0; l < n->n_layers; l++) {
        const tr_layer *L = &n->L[l];
        if (L->in_size > e->maxsz) e->maxsz = L->in_size;
        if (L->out_size > e->maxsz) e->maxsz = L->out_size;
        if (L->trainable) {
            size_t nw = (size_t)L->nw_store;
            e->w[l] = calloc_aligned(nw * sizeof(REAL));
            e->g[l] = calloc_aligned(nw * sizeof(REAL));
            e->m[l] = calloc(nw, sizeof(REAL));
            e->v[l] = calloc(nw, sizeof(REAL));
            if (!e->w[l] || !e->g[l] || !e->m[l] || !e->v[l])
                goto oom;
        }
        if ((L->trainable || L->lif) && !(e->u[l] = malloc((size_t)e->B * T * L->out_size * sizeof(REAL))))
            goto oom;
        if (L->type == SNNEX_LAYER_CONV) {
            long per_t = (long)L->oh * L->ow * L->k * L->k * L->ic;
            long want = per_t * T < (1L << 20) ? per_t * T : per_t; /* ≤ 4 MiB floats, or one step */
            if (L->grad_below && want > e->colsz)
                e->colsz = want;
            long xwant = per_t * T < XCOL_MAX ? per_t * T : per_t > XCOL_MAX ? per_t : XCOL_MAX / per_t * per_t;
            if (L->gemm && xwant > e->xcolsz)
                e->xcolsz = xwant;
            if (!L->gemm) { /* padded output rows, or padded δU and gradient rows */
                long rows = (long)L->k * L->k * L->ic, pad = ((long)L->oh * L->ow + rows + 1) * conv_nvo(L);
                pad *= (long)(sizeof(vec) / sizeof(REAL));
                if (pad > e->xcolsz)
                    e->xcolsz = pad;
                if (!(e->wpad[l] = calloc_aligned((size_t)(rows + 1) * conv_nvo(L) * sizeof(vec))))
                    goto oom;
            }
        }
    }
    for (int a = 0; a <= n->n_layers; a++) {
        if (a > 0 && n->L[a - 1].type == SNNEX_LAYER_FLATTEN) {
            e->act[a] = e->act[a - 1];
            continue;
        }
        e->act[a] = calloc((size_t)e->B, sizeof(alist));
        if (!e->act[a])
            goto oom;
        for (int b = 0; b < e->B; b++)
            if (!(e->act[a][b].off = calloc((size_t)T + 1, sizeof(long))))
                goto oom;
    }
    long convw = 0;
    for (int l = 0; l < n->n_layers; l++)
        if (n->L[l].type == SNNEX_LAYER_CONV && n->L[l].nw_store > convw)
            convw = n->L[l].nw_store;
    if (convw && !(e->gpart = malloc((size_t)e->B * convw * sizeof(REAL))))
        goto oom;
    e->dz = calloc((size_t)e->B * n->T * n->classes, sizeof(REAL));
    e->ga = calloc((size_t)e->nt, sizeof(REAL *));
    e->gb = calloc((size_t)e->nt, sizeof(REAL *));
    e->scr = calloc((size_t)e->nt, sizeof(REAL *));
    e->carry = calloc((size_t)e->nt, sizeof(REAL *));
    e->nscr = calloc((size_t)e->nt, sizeof(REAL *));
    e->iscr = calloc((size_t)e->nt, sizeof(int *));
    e->col = calloc((size_t)e->nt, sizeof(REAL *));
    e->xcol = calloc((size_t)e->nt, sizeof(REAL *));
    if (!e->dz || !e->ga || !e->gb || !e->scr || !e->carry || !e->nscr || !e->iscr || !e->col || !e->xcol)
        goto oom;
    for (int i = 0; i < e->nt; i++) {
        e->ga[i] = malloc((size_t)T * e->maxsz * sizeof(REAL));
        e->gb[i] = malloc((size_t)T * e->maxsz * sizeof(REAL));
        e->scr[i] = calloc((size_t)e->maxsz, sizeof(REAL));
        e->carry[i] = malloc((size_t)e->maxsz * sizeof(REAL));
        e->nscr[i] = calloc((size_t)2 * e->maxsz, sizeof(REAL));
        e->iscr[i] = malloc((size_t)e->maxsz * sizeof(int));
        e->col[i] = e->colsz ? malloc((size_t)e->colsz * sizeof(REAL)) : NULL;
        e->xcol[i] = e->xcolsz ? calloc_aligned((size_t)e->xcolsz * sizeof(REAL)) : NULL;
        if (!e->ga[i] || !e->gb[i] || !e->scr[i] || !e->carry[i] || !e->nscr[i] || !e->iscr[i] || (e->colsz && !e->col[i]) ||
            (e->xcolsz && !e->xcol[i]))
            goto oom;
    }
    return e;
oom:
    PUB(tr_eng_free)(e);
    snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory allocating the trainer");
    return NULL;
}

/* Stored position of logical weight i (PyTorch order) of layer l. */
static long store_index(const tr_layer *L, long i)
{
    if (L->type == SNNEX_LAYER_FC) {
        if (i >= L->nlog + L->nb) { /* W_rec[target][source] → [source][target] */
            long r = i - L->nlog - L->nb, O = L->out_size;
            return L->rec_off + (r % O) * O + r / O;
        }
        long o = i / L->in_size, in = i % L->in_size;
        if (i >= L->nw) /* bias */
            o = i - L->nw, in = L->in_size;
        return ((o / TR_OB) * (L->in_size + 1) + in) * TR_OB + o % TR_OB;
    }
    if (i >= L->nlog) /* biases, after the stored weights */
        return L->nw + (i - L->nlog);
    /* conv [oc][ic/groups][ky][kx] → [ky][kx][ic][oc]: output channel oc
     * sees the input channels of its group */
    const long icg = L->ic / L->ngroups;
    long kk = (long)L->k * L->k, oc = i / (icg * kk), r = i % (icg * kk);
    long ic = oc / (L->oc / L->ngroups) * icg + r / kk, tap = r % kk;
    return (tap * L->ic + ic) * L->oc + oc;
}

void PUB(tr_eng_init)(void *ev)
{
    eng *e = ev;
    const tr_net *n = e->net;
    for (int l = 0; l < n->n_layers; l++) {
        const tr_layer *L = &n->L[l];
        if (!L->trainable)
            continue;
        long fan_in = L->type == SNNEX_LAYER_FC ? L->in_size : (long)L->ic / L->ngroups * L->k * L->k;
        double bound = 1.0 / sqrt((double)fan_in);
        uint64_t ks = tr_mix64(n->seed ^ tr_mix64(0x1417ULL + (uint64_t)l));
        memset(e->w[l], 0, (size_t)L->nw_store * sizeof(REAL));
        for (long i = 0; i < L->nlog + L->nb; i++)
            e->w[l][store_index(L, i)] = (REAL)((2 * tr_unif(tr_mix64(ks + (uint64_t)i)) - 1) * bound);
        /* W_rec as a Linear(out, out): fan_in = out */
        double brec = 1.0 / sqrt((double)L->out_size);
        for (long i = L->nlog + L->nb; i < L->nlog + L->nb + L->nrec; i++)
            e->w[l][store_index(L, i)] = (REAL)((2 * tr_unif(tr_mix64(ks + (uint64_t)i)) - 1) * brec);
    }
    e->step = 0;
}

void PUB(tr_eng_run)(void *ev, const trainer_data *d, const int *idx, int nb, uint64_t key,
                     int backward, double *loss, long *correct)
{
    eng *e = ev;
    tr_net *n = e->net;
    forward(e, d, idx, nb, key);
    loss_of(e, nb, d, idx, loss, correct);
    if (!backward)
        return;
    if (n->recording)
        record_sample(e, nb, 1);
#pragma omp parallel for schedule(static) num_threads(e->nt)
    for (int b = 0; b < nb; b++)
        backward_sample(e, b);
    weight_grads(e, nb);
    if (n->recording)
        record_sample(e, nb, 0);
}

void PUB(tr_eng_update)(void *ev)
{
    eng *e = ev;
    const tr_net *n = e->net;
    e->step++;
    const REAL lr = (REAL)n->lr, mu = (REAL)n->momentum, b1 = (REAL)n->b1, b2 = (REAL)n->b2;
    const REAL eps = (REAL)n->eps;
    const REAL c1 = (REAL)(1 - pow(n->b1, (double)e->step)), c2 = (REAL)sqrt(1 - pow(n->b2, (double)e->step));
    for (int l = 0; l < n->n_layers; l++) {
        const tr_layer *L = &n->L[l];
        if (!L->trainable)
            continue;
        REAL *w = e->w[l], *g = e->g[l], *m = e->m[l], *v = e->v[l];
        const long N = L->nw_store;
#pragma omp parallel for schedule(static) num_threads(e->nt)
        for (long i = 0; i < N; i++) {
            if (n->optimizer == SNNEX_OPT_SGD) {
                w[i] -= lr * g[i];
            } else if (n->optimizer == SNNEX_OPT_MOMENTUM) {
                m[i] = mu * m[i] + g[i];
                w[i] -= lr * m[i];
            } else {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] -= lr * (m[i] / c1) / (sqrt(v[i]) / c2 + eps);
            }
        }
    }
}

double PUB(tr_eng_get)(const void *ev, int l, int which, long i)
{
    const eng *e = ev;
    const tr_layer *L = &e->net->L[l];
    long s = store_index(L, i);
    REAL *const *arr = which == 0 ? e->w : which == 1 ? e->g : which == 2 ? e->m : e->v;
    return arr[l][s];
}

void PUB(tr_eng_set)(void *ev, int l, int which, long i, double val)
{
    eng *e = ev;
    const tr_layer *L = &e->net->L[l];
    long s = store_index(L, i);
    REAL **arr = which == 0 ? e->w : which == 1 ? e->g : which == 2 ? e->m : e->v;
    arr[l][s] = (REAL)val;
}

void PUB(tr_eng_set_step)(void *ev, long step)
{
    ((eng *)ev)->step = step;
}

long PUB(tr_eng_step)(const void *ev)
{
    return ((const eng *)ev)->step;
}

void PUB(tr_eng_probe)(const void *ev, int what, int l, int b, int t, double *out)
{
    const eng *e = ev;
    const tr_net *n = e->net;
    const tr_layer *L = &n->L[l];
    if (what == 0) {
        const alist *a = &e->act[l][b];
        long hw = (long)L->ih * L->iw;
        memset(out, 0, (size_t)L->in_size * sizeof *out);
        for (long j = a->off[t]; j < a->off[t + 1]; j++)
            out[to_chw(a->idx[j], L->ic, hw)] = a->val ? a->val[j] : 1;
    } else {
        const REAL *du = e->u[l] + ((long)b * n->T + t) * L->out_size;
        long hw = (long)L->oh * L->ow;
        for (long o = 0; o < L->out_size; o++)
            out[to_chw(o, L->oc, hw)] = du[o];
    }
}
