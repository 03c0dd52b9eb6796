/* memtech internals shared by memtech.c, the generated memtech_coef.c and
 * the fitting program tools/memtech_fit.c: the coefficient set and the model
 * evaluated with an arbitrary coefficient set (so the fit and the library
 * use one formula). Not part of the public API. */
#ifndef SNNEX_MEMTECH_INTERNAL_H
#define SNNEX_MEMTECH_INTERNAL_H

#include "memtech/memtech.h"

/* Reference node of every coefficient: the fits are referred to 32 nm. */
#define MEMTECH_REF_NODE_NM 32.0

/* Coefficients of one technology (SRAM or STT) and one flavour, at 32 nm.
 * N = bits per bank, w = width bits. See memtech.c for the formulas. */
typedef struct {
    double gamma_rd;  /* per-bit read energy grows as N^gamma_rd (rd1) */
    double gamma_wr;  /* per-bit write energy grows as N^gamma_wr (wr1) */
    double rd[4];     /* read  E = κg·(w·rd0 + rd2·Nsub + rd3·√N) + κw·w·rd1·N^gamma_rd  [J] */
    double wr[4];     /* write E = same with wr*, gamma_wr  [J] (STT: + w·E_mtj) */
    double area[3];   /* A/F² = N·cell/area0 + (area1·w + area2)·√N; area0 = array efficiency */
    double leak[2];   /* P = leak0·N_total·(F/32)^leak1            [W] */
    double lat[2];    /* read latency  = lat0 + lat1·√N            [s] */
    double cyc[2];    /* cycle time    = cyc0 + cyc1·√N            [s] */
    double wlat[2];   /* write latency = wlat0 + wlat1·√N          [s] (STT: + pulse) */
} memtech_tech_coef;

typedef struct {
    double a_delay[2];  /* [flavor] delays ∝ (F/32)^a_delay                    */
    double sub_bits[2]; /* [tech] bits of the array section one access activates
                         * when it is full: Nsub = N/(1 + N/sub_bits) */
    double b_stt;       /* STT periphery energy ∝ (F/32)^b_stt · V_NVSim(F)² (memtech.c);
                         * fitted on NVSim STT 32 + 45 nm */
    memtech_tech_coef sram[2], stt[2];   /* [flavor] */
} memtech_coef;

/* STT: bits of the one mat kept powered (memtech.c); the fit divides it out
 * because NVSim reports the ungated periphery leakage. */
#define MEMTECH_STT_POWERED_BITS 262144.0

/* Starting value of b_stt, and its value in a one-node fit: NVSim's SRAM
 * periphery energy at 45 vs 32 nm is 1.66× (hp) and 1.34× (lop) at every
 * capacity and width (nvsim_subset.csv, nvsim_45nm.csv); divided by NVSim's
 * supply ratio squared (1.235, 1.0) both are 1.34 = (45/32)^0.86. */
#define MEMTECH_B_STT_PRIOR 0.86

/* The committed, generated coefficients (memtech_coef.c). */
extern const memtech_coef memtech_coef_fitted;

/* The model with coefficient set k, without range checks. */
void memtech_eval(const memtech_coef *k, const memtech_array *a, memtech_cost *c);

/* An ASAP7 ICGx1 clock gate's energy per clock cycle at 0.7 V: 0.18 fJ
 * internal plus its 2.2 fF clock pin, 1.07 fJ of C·V² (overheads/README.md
 * "ASAP7": clock gating). logic.c charges it to a gated-off block; scm.c to
 * a word's write-enable pulse (ASSUMED: the enabled pulse costs what the
 * gate's clock pin and internal nodes cost). */
#define MEMTECH_ICG_CLK_FJ (0.18 + 1.07)

/* A standard-cell memory's area, energies and leakage at supply vdd_V
 * (scm.c); the caller has validated a and set the latencies. */
void memtech_scm_cost(const memtech_array *a, double vdd_V, memtech_cost *c);

/* Fit every coefficient to the reference CSVs in dir (cacti_subset.csv,
 * nvsim_subset.csv, nvsim_45nm.csv) with GSL nonlinear least squares in log
 * space (memtech_fit.c). report (may be NULL) receives a human summary. */
snnex_status memtech_fit_run(const char *dir, memtech_coef *out, FILE *report,
                             snnex_err *err);

/* Fit on the reference points pts[0..n) of one node only (node_nm; 0 = all
 * nodes, as memtech_fit_run). With one node, only the dynamic energy and
 * area coefficients are fitted (their node laws are not fitted: C·V² from
 * cited tables, F²; STT's b_stt stays at its starting value, MEMTECH_B_STT_PRIOR);
 * the delay and leakage fields are left at the starting point and must not
 * be used, and a technology without points at that node is not fitted
 * (CACTI has no 45 nm rows). For the leave-one-node-out checks. */
snnex_status memtech_fit_points(const memtech_ref_point *pts, int n, double node_nm,
                                memtech_coef *out, FILE *report, snnex_err *err);

/* Quantities of memtech_cost by index, for error tables. */
enum { MEMTECH_Q_READ_E, MEMTECH_Q_WRITE_E, MEMTECH_Q_AREA, MEMTECH_Q_READ_T,
       MEMTECH_Q_CYCLE_T, MEMTECH_Q_WRITE_T, MEMTECH_Q_LEAK };

/* Median and max of |model/ref − 1| over the reference points of one tool
 * (prefix), technology and node, for quantity q (MEMTECH_Q_*); STT leakage
 * compares the ungated periphery leakage. count = points used. */
void memtech_ref_errors(const memtech_coef *k, const memtech_ref_point *pts, int n,
                        const char *tool, memtech_kind tech, double node_nm, int q,
                        double *median, double *max, int *count);
void memtech_fit_report(const memtech_coef *k, const memtech_ref_point *pts, int n,
                        FILE *f);

/* Write k as the C source of memtech_coef.c. */
void memtech_coef_write_c(const memtech_coef *k, const char *how, FILE *f);

#endif
