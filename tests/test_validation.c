/* test_validation — snnex validate on the shipped set (summary bounds, so a
 * model change that moves fidelity fails CI) and chips.csv parse errors. */
#include "tests/test_util.h"
#include "estimator/estimator.h"
#include "validation/validation.h"

/* Summary value following `key` in the table output, or -1. */
static double summary_value(const char *out, const char *key)
{
    const char *p = strstr(out, key);
    double v;
    if (!p || sscanf(p + strlen(key), "%lf", &v) != 1)
        return -1;
    return v;
}

/* Bounds are the CURRENTLY ACHIEVED fidelity, so a model change that
 * loses fidelity fails CI; the issue 15 targets (leave-one-chip-out median
 * |error| <= 30 % on efficiency and on area figures, every efficiency
 * figure within 2x) are NOT met (README "Validation"). Achieved with the
 * clock, control, logic leakage and logic area terms, the global
 * calibration, SpiNNaker 2's processor control, the asynchronous chips
 * clockless, configs audited against RTL/papers (ReckOn, ODIN, SENECA,
 * Loihi), and SNE's and the 65 nm STDP processor's pJ/SOP recorded but not
 * compared (their SOP definitions; chips.csv), SRAM cells from published
 * bitcells below 32 nm, cited ranges for k_tree (0.8-4) and utilisation
 * (0.34-0.70), SENECA's NPE register files as standard-cell memory and
 * TrueNorth paced at its 1 ms tick: 15 chips, 19 compared figures;
 * in-sample median 28.6 % on the 9 efficiency figures, 79 % of figures
 * within 2x, 7 of 8 chips; leave-one-chip-out 34.7 % on efficiency and
 * 31.5 % on area figures, 1 efficiency figure outside 2x (Loihi 0.26x).
 * Bounds sit just
 * outside; tighten them when the model improves. */
static void test_shipped_set(void)
{
    char *out = NULL, *errs = NULL;
    int rc = test_run_snnex("validate --dir validation", &out, &errs);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc)
        fprintf(stderr, "\n%s\n", errs);
    double med = summary_value(out, "median |rel. error|: ");
    double within = summary_value(out, "within 2x: ");
    double chips_ok = summary_value(out, "% of compared figures; ");
    double loo_eff = summary_value(out, "median |rel. error| ");   /* first: leave-one-out, efficiency */
    const char *p = strstr(out, "on energy-efficiency figures, ");
    double loo_area = p ? summary_value(p, "figures, ") : -1;
    double loo_out = summary_value(out, "on all; ");
    CU_ASSERT(med >= 0 && med <= 30.0);        /* percent */
    CU_ASSERT(within >= 75.0);                 /* percent of compared figures */
    CU_ASSERT(chips_ok >= 7);
    CU_ASSERT(loo_eff >= 0 && loo_eff <= 36.0);
    CU_ASSERT(loo_area >= 0 && loo_area <= 33.0);
    CU_ASSERT(loo_out >= 0 && loo_out <= 1);   /* efficiency figures outside 2x in leave-one-out */
    CU_ASSERT_PTR_NULL(strstr(out, "OUTSIDE RANGE"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "worst: "));
    free(out), free(errs);

    /* the shipped set meets the issues' coverage: >= 12 chips besides the
     * seed (issue 15 part 3; 13 since it), 14-65 nm */
    validation_set set;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(validation_load("validation/chips.csv", &set, &err), SNNEX_OK);
    int chips = 0;
    double lo = 1e9, hi = 0;
    for (int i = 0; i < set.n; i++) {
        if (i == 0 || strcmp(set.fig[i].chip, set.fig[i - 1].chip))
            chips++;
        lo = fmin(lo, set.fig[i].node_nm), hi = fmax(hi, set.fig[i].node_nm);
    }
    CU_ASSERT(chips >= 13);   /* seed20 + 12 */
    CU_ASSERT(lo <= 7 && hi >= 65);
    validation_free(&set);
}

/* The committed calibration (estimator/calib_coef.c) is what `make
 * calibrate` fits on the shipped set: refit here, every coefficient within
 * 1 % of the committed one (not bit-exact: the fit's linear algebra goes
 * through the machine's BLAS kernel), every one inside its stated range,
 * and the estimates of every compared figure within 1 %. */
static void test_calibration_reproduces(void)
{
    validation_set set;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(validation_load("validation/chips.csv", &set, &err), SNNEX_OK);
    validation_ctx *c = NULL;
    CU_ASSERT_EQUAL_FATAL(validation_prepare(&set, "validation", &c, &err), SNNEX_OK);
    validation_fit fit;
    CU_ASSERT_EQUAL_FATAL(validation_calibrate(c, -1, &fit, &err), SNNEX_OK);
    for (int i = 0; i < SNNEX_N_CALIB; i++) {
        double got = validation_calib_get(&fit.calib, i), want = validation_calib_get(&snnex_calib_default, i);
        CU_ASSERT(fabs(log(got / want)) < 0.01);
        CU_ASSERT(want >= validation_coefs[i].lo && want <= validation_coefs[i].hi);
        if (fabs(log(got / want)) >= 0.01)
            fprintf(stderr, "\n%s: refit %.6g, committed %.6g (run make calibrate)\n", validation_coefs[i].name, got,
                    want);
    }
    double *est = malloc(sizeof(double) * set.n);
    CU_ASSERT_EQUAL_FATAL(validation_eval(c, &fit.calib, &err), SNNEX_OK);
    for (int i = 0; i < set.n; i++)
        est[i] = set.fig[i].estimated;
    CU_ASSERT_EQUAL_FATAL(validation_eval(c, &snnex_calib_default, &err), SNNEX_OK);
    for (int i = 0; i < set.n; i++)
        if (set.fig[i].compared)
            CU_ASSERT(fabs(est[i] / set.fig[i].estimated - 1) < 0.01);
    free(est);
    validation_ctx_free(c);
    validation_free(&set);
}

/* CSV output: exact header, one row per figure. */
static void test_csv_format(void)
{
    char *out = NULL;
    int rc = test_run_snnex("validate --dir validation --format csv", &out, NULL);
    CU_ASSERT_EQUAL(rc, 0);
    const char *hdr = "chip,figure,unit,published,estimated,rel_error,loo_estimated,loo_rel_error,conditions,source\n";
    CU_ASSERT(strncmp(out, hdr, strlen(hdr)) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nodin,energy_per_sop,pJ/SOP,12.7,"));
    /* every compared row has its leave-one-chip-out estimate and error,
     * consistent with each other; a recorded-only row has neither */
    const char *p = strstr(out, "\nodin,energy_per_sop,pJ/SOP,12.7,");
    double pub, est, rel, loo, loo_rel;
    CU_ASSERT_FATAL(p && sscanf(p + strlen("\nodin,energy_per_sop,pJ/SOP,"), "%lf,%lf,%lf,%lf,%lf", &pub, &est, &rel,
                                &loo, &loo_rel) == 5);
    CU_ASSERT(loo > 0);
    CU_ASSERT_DOUBLE_EQUAL(loo_rel, (loo - pub) / pub, 1e-5);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nodin,energy_per_inference,nJ,15,,,,,"));
    free(out);
}

/* Figures of a narrower scope than pj_per_sop: SENECA's core without the
 * NoC and Loihi's synaptic op alone. Checked against the estimator's own
 * pj_per_sop / pj_per_sop_dynamic minus the components outside the scope,
 * and against the published-vs-estimated CSV that snnex validate prints. */
static double fp_comp(const snnex_result *r, int c)
{
    double e = 0;
    for (int l = 0; l < r->n_layers; l++)
        e += r->energy_J[l][SNNEX_ENG_FP][c];
    return e;
}

static double csv_estimate(const char *out, const char *row)
{
    const char *p = strstr(out, row);
    double pub, est;
    if (!p || sscanf(p + strlen(row), "%lf,%lf", &pub, &est) != 2)
        return -1;
    return est;
}

static void test_scoped_metrics(void)
{
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(test_run_snnex("validate --dir validation --format csv", &out, NULL), 0);
    snnex_config *cfg = malloc(sizeof *cfg);
    snnex_result *r = malloc(sizeof *r);
    snnex_err err;
    CU_ASSERT_FATAL(cfg && r);
    CU_ASSERT_EQUAL_FATAL(snnex_config_load("validation/seneca.cfg", cfg, &err), SNNEX_OK);
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(cfg, NULL, r, &err), SNNEX_OK);
    double noc = fp_comp(r, SNNEX_COMP_NOC) / r->sops * 1e12;
    CU_ASSERT(noc >= 0 && noc < r->pj_per_sop);
    double core = csv_estimate(out, "\nseneca,energy_per_sop,pJ/SOP,");
    CU_ASSERT_DOUBLE_EQUAL(core, r->pj_per_sop - noc, 1e-3 * core);

    CU_ASSERT_EQUAL_FATAL(snnex_config_load("validation/loihi.cfg", cfg, &err), SNNEX_OK);
    CU_ASSERT_EQUAL_FATAL(snnex_estimate(cfg, NULL, r, &err), SNNEX_OK);
    double outside = (fp_comp(r, SNNEX_COMP_NOC) + fp_comp(r, SNNEX_COMP_SPIKE_MEM) + fp_comp(r, SNNEX_COMP_GRAD_MEM) +
                      fp_comp(r, SNNEX_COMP_GLOBAL_BUF)) / r->sops * 1e12;
    double syn = csv_estimate(out, "\nloihi,energy_per_sop,pJ/SOP,");
    CU_ASSERT(syn > 0 && syn < r->pj_per_sop_dynamic);
    CU_ASSERT_DOUBLE_EQUAL(syn, r->pj_per_sop_dynamic - outside, 1e-3 * syn);
    free(cfg), free(r), free(out);
}

/* A bad chips.csv is FILE:LINE and exit 1. */
static void expect_error(const char *csv, const char *want)
{
    char path[] = "/tmp/snnex_vcsvXXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(csv, f);
    fclose(f);
    char args[256], *errs = NULL;
    snprintf(args, sizeof args, "validate --dir validation --chips %s", path);
    int rc = test_run_snnex(args, NULL, &errs);
    CU_ASSERT_EQUAL(rc, 1);
    char full[512];
    snprintf(full, sizeof full, "%s%s", path, want);
    if (!strstr(errs, full))
        fprintf(stderr, "\n  want \"%s\" in: %s\n", full, errs);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs, full));
    free(errs);
    remove(path);
}

#define HDR "chip,figure,unit,published,metric,year,node_nm,conditions,source\n"
static void test_csv_errors(void)
{
    expect_error("chip,figure\n", ":1: error: expected 9 columns");
    expect_error("chip,figure,unit,published,metric,year,node,conditions,source\n", ":1: error: column 7 must be");
    expect_error(HDR "odin,e,pJ/SOP,abc,pj_per_sop,2019,28,c,s\n", ":2: error: published must be a positive number");
    expect_error(HDR "# comment, with comma\nodin,e,pJ/SOP,1,pj_per_sop,2019,28,\"a,\nb\",s\nodin,e,furlongs,1,pj_per_sop,2019,28,c,s\n",
                 ":5: error: unknown unit \"furlongs\"");
    expect_error(HDR "odin,e,pJ/SOP,1,joules_per_thing,2019,28,c,s\n", ":2: error: unknown metric");
    expect_error(HDR "odin,e,pJ/SOP,1,pj_per_sop,2019,28,\"unterminated\n", ":2: error: unterminated quoted field");
    expect_error(HDR "nosuchchip,e,pJ/SOP,1,pj_per_sop,2019,28,c,s\n", ":2: error: chip \"nosuchchip\" has no config");
    expect_error(HDR "odin,e,pJ/SOP,1,pj_per_sop,2019,28,c,s\nreckon,e,pJ/SOP,1,pj_per_sop,2022,28,c,s\n"
                 "odin,f,mm2,1,area_m2,2019,28,c,s\n",
                 ":4: error: rows of chip \"odin\" must be consecutive");
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("validation", NULL, NULL);
    CU_add_test(s, "shipped set summary bounds", test_shipped_set);
    CU_add_test(s, "csv format", test_csv_format);
    CU_add_test(s, "committed calibration reproduces the fit", test_calibration_reproduces);
    CU_add_test(s, "per-SOP figures of a narrower scope", test_scoped_metrics);
    CU_add_test(s, "chips.csv errors", test_csv_errors);
    return test_finish();
}
