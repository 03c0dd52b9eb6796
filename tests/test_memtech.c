/* memtech tests: model vs CACTI/NVSim reference points, STT/SRAM ratios,
 * DRAM and logic tables, fit reproducibility, range errors and the
 * `snnex mem` command's bad-query handling. Expected values and their
 * sources are stated next to each check. */
#include "memtech/memtech_internal.h"
#include "tests/test_util.h"

#include <math.h>
#include <sys/stat.h>

#define REF_DIR "../shared/reference/memtech"

static memtech_ref_point *pts;
static int n_pts;

static int have_ref(void)
{
    if (pts)
        return 1;
    snnex_err err;
    if (memtech_ref_load(REF_DIR, &pts, &n_pts, &err) != SNNEX_OK) {
        fprintf(stderr, "\n  SKIPPED: reference CSVs not found in %s (%s)\n", REF_DIR, err.msg);
        return 0;
    }
    return 1;
}

/* median and max relative error of quantity q for tool/tech/node */
static void check_err(const char *tool, memtech_kind tech, double node, int q, double med_max,
                      double max_max)
{
    double med, mx;
    int cnt;
    memtech_ref_errors(&memtech_coef_fitted, pts, n_pts, tool, tech, node, q, &med, &mx, &cnt);
    fprintf(stderr, "\n  %s %s %g nm q%d: median %.3f max %.3f (%d points)", tool,
            memtech_kind_name(tech), node, q, med, mx, cnt);
    CU_ASSERT(cnt >= 12);
    CU_ASSERT(med <= med_max);
    CU_ASSERT(mx <= max_max);
}

/* Issue 4 bounds: median ≤ 10 %, no point worse than 35 %, against
 * cacti_subset.csv (24 rows per node) and nvsim_subset.csv (STT-MRAM rows,
 * 28 at 32 nm; the aggressive cell is not what MEMTECH_STT models). */
static void test_sram_vs_cacti(void)
{
    if (!have_ref())
        return;
    check_err("CACTI", MEMTECH_SRAM, 32, MEMTECH_Q_READ_E, 0.10, 0.35);
    check_err("CACTI", MEMTECH_SRAM, 32, MEMTECH_Q_AREA, 0.10, 0.35);
    check_err("CACTI", MEMTECH_SRAM, 65, MEMTECH_Q_AREA, 0.10, 0.35);
    check_err("CACTI", MEMTECH_SRAM, 65, MEMTECH_Q_READ_E, 0.10, 0.35);
}

/* Leave one node out: fit the CACTI SRAM energies and area on 32 nm only
 * and predict 65 nm, and the reverse. Nothing in the energy node law is
 * fitted (C·V² from CACTI's per-node capacitance and supply tables,
 * memtech.c), so this tests the law itself. Achieved when written (make
 * memtech-coef prints it): 32→65 read 8.6/35.0 %, write 3.6/20.1 %, area
 * 6.4/23.2 %; 65→32 read 6.7/29.0 %, write 4.2/19.9 %, area 6.7/20.1 %.
 * Bounds: median ≤ 15 %, no point worse than 50 % (CACTI re-optimises its
 * organisation per node, so single points move by up to ±23 % between
 * nodes relative to the median node ratio, e.g. hp 64 KiB x64). */
static void test_leave_one_node_out(void)
{
    if (!have_ref())
        return;
    static const int qs[3] = {MEMTECH_Q_READ_E, MEMTECH_Q_WRITE_E, MEMTECH_Q_AREA};
    for (int fit_node = 32; fit_node <= 65; fit_node += 33) {
        memtech_coef k;
        snnex_err err;
        CU_ASSERT_EQUAL_FATAL(memtech_fit_points(pts, n_pts, fit_node, &k, NULL, &err),
                              SNNEX_OK);
        double other = fit_node == 32 ? 65 : 32;
        for (int j = 0; j < 3; j++) {
            double med, mx;
            int cnt;
            memtech_ref_errors(&k, pts, n_pts, "CACTI", MEMTECH_SRAM, other, qs[j], &med, &mx,
                               &cnt);
            fprintf(stderr, "\n  fit %d nm -> %g nm q%d: median %.3f max %.3f (%d points)",
                    fit_node, other, qs[j], med, mx, cnt);
            CU_ASSERT(cnt == 24);
            CU_ASSERT(med <= 0.15);
            CU_ASSERT(mx <= 0.50);
        }
    }
}

static void test_stt_vs_nvsim(void)
{
    if (!have_ref())
        return;
    check_err("NVSim", MEMTECH_STT, 32, MEMTECH_Q_READ_E, 0.10, 0.35);
    check_err("NVSim", MEMTECH_STT, 32, MEMTECH_Q_WRITE_E, 0.10, 0.35);
    check_err("NVSim", MEMTECH_STT, 32, MEMTECH_Q_AREA, 0.10, 0.35);
}

/* STT-MRAM at 45 nm (nvsim_45nm.csv, 28 STT-MRAM rows), the same bounds
 * as 32 nm: median <= 10 %, no point worse than 35 %. The energy node law
 * of STT (memtech.c: NVSim's sense-amplifier table for the sense term,
 * NVSim's supplies and a fitted exponent for the periphery) is fitted on
 * 32 and 45 nm jointly. Achieved when written (make memtech-coef prints
 * it): read 2.5 / 22.0 %, write 1.4 / 2.9 %, area 6.4 / 16.0 %. Before,
 * with CACTI's C·V² law, read energy was 1.24-3.06x the reference (median
 * error 90 %, max 206 %): the sense term is a bias current, not C·V². */
static void test_stt_vs_nvsim_45(void)
{
    if (!have_ref())
        return;
    check_err("NVSim", MEMTECH_STT, 45, MEMTECH_Q_READ_E, 0.10, 0.35);
    check_err("NVSim", MEMTECH_STT, 45, MEMTECH_Q_WRITE_E, 0.10, 0.35);
    check_err("NVSim", MEMTECH_STT, 45, MEMTECH_Q_AREA, 0.10, 0.35);
}

/* Leave one node out for STT: fit the NVSim STT energies and area on 32 nm
 * only and predict 45 nm, and the reverse. With one node the periphery
 * exponent b_stt cannot be fitted and stays at MEMTECH_B_STT_PRIOR (0.86,
 * from NVSim's SRAM rows), so this tests the law with nothing fitted
 * across nodes. Achieved when written: 32->45 read 8.5/44.6 %, write
 * 0.8/3.7 %, area 7.3/16.9 %; 45->32 read 17.4/47.7 %, write 0.5/2.2 %,
 * area 7.2/27.0 %. Bounds: median <= 20 %, max <= 50 % (the worst points
 * are the 64 KiB arrays, where NVSim's organisation differs between the
 * nodes). With CACTI's law for STT (before), 32->45 read was 90 / 206 %. */
static void test_stt_leave_one_node_out(void)
{
    if (!have_ref())
        return;
    static const int qs[3] = {MEMTECH_Q_READ_E, MEMTECH_Q_WRITE_E, MEMTECH_Q_AREA};
    for (int fit_node = 32; fit_node <= 45; fit_node += 13) {
        memtech_coef k;
        snnex_err err;
        CU_ASSERT_EQUAL_FATAL(memtech_fit_points(pts, n_pts, fit_node, &k, NULL, &err),
                              SNNEX_OK);
        ASSERT_CLOSE(k.b_stt, MEMTECH_B_STT_PRIOR, 1e-12);
        double other = fit_node == 32 ? 45 : 32;
        for (int j = 0; j < 3; j++) {
            double med, mx;
            int cnt;
            memtech_ref_errors(&k, pts, n_pts, "NVSim", MEMTECH_STT, other, qs[j], &med, &mx,
                               &cnt);
            fprintf(stderr, "\n  STT fit %d nm -> %g nm q%d: median %.3f max %.3f (%d points)",
                    fit_node, other, qs[j], med, mx, cnt);
            CU_ASSERT(cnt == 28);
            CU_ASSERT(med <= 0.20);
            CU_ASSERT(mx <= 0.50);
        }
    }
}

/* STT-MRAM vs SRAM at 1 MiB, 64-bit, 32 nm hp. Published direction and size:
 * - area: NVSim (shared/reference/memtech/README.md caveats) finds a 1 MiB
 *   STT array 0.6–0.7× the SRAM area; IMEC's 5 nm DTCO 0.43× (tc:
 *   imec_stt_mram_area_vs_sram). Expect < 1 and > 0.3.
 * - write energy: NVSim 1 MiB x64 STT write 91.5 pJ vs CACTI SRAM 30.8 pJ
 *   (nvsim_subset.csv, cacti_subset.csv) = 3.0×; NVMExplorer 22 nm 2 MB
 *   STT worst case 295 pJ vs SRAM 17 pJ (tc: nvmx_*_write_energy). Expect
 *   "several times": ≥ 2×.
 * - leakage: the MTJ array does not leak (README caveats) and a
 *   non-volatile array can power-gate idle mats, which is how eMRAM macros
 *   claim near-zero standby power; issue 4 asks for ≥ 10× lower. */
static void test_stt_sram_ratios(void)
{
    memtech_array s = {MEMTECH_SRAM, MEMTECH_HP, 32, 1048576, 64, 1, 0, 0}, t = s;
    t.tech = MEMTECH_STT;
    memtech_cost cs, ct;
    CU_ASSERT_EQUAL(memtech_array_cost(&s, &cs, NULL), SNNEX_OK);
    CU_ASSERT_EQUAL(memtech_array_cost(&t, &ct, NULL), SNNEX_OK);
    double ra = ct.area_m2 / cs.area_m2, rw = ct.write_energy_J / cs.write_energy_J;
    double rl = cs.leakage_W / ct.leakage_W;
    fprintf(stderr, "\n  STT/SRAM 1 MiB: area %.3f write %.2fx leakage 1/%.1f read %.2f "
            "write latency %.1fx", ra, rw, rl, ct.read_energy_J / cs.read_energy_J,
            ct.write_latency_s / cs.write_latency_s);
    CU_ASSERT(ra < 1.0 && ra > 0.3);
    CU_ASSERT(rw >= 2.0);
    CU_ASSERT(rl >= 10.0);
    /* write slower than read (10 ns MTJ pulse, sample_STTRAM.cell) */
    CU_ASSERT(ct.write_latency_s > 5 * ct.read_latency_s);
}

/* Banks: splitting 1 MiB into 4 lowers access energy and latency and adds
 * periphery area (memtech.c header). */
static void test_banks(void)
{
    memtech_array a = {MEMTECH_SRAM, MEMTECH_HP, 28, 1048576, 64, 1, 0, 0}, b = a;
    b.banks = 4;
    memtech_cost ca, cb;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &ca, NULL), SNNEX_OK);
    CU_ASSERT_EQUAL(memtech_array_cost(&b, &cb, NULL), SNNEX_OK);
    CU_ASSERT(cb.read_energy_J < ca.read_energy_J);
    CU_ASSERT(cb.read_latency_s < ca.read_latency_s);
    CU_ASSERT(cb.area_m2 > ca.area_m2);
}

/* Node scaling is a law, not a table: monotone in node between 22 and 90 nm
 * (energy ~ C·V², area ~ F² from 32 nm up, where the cell is 146 F²: area
 * ratio 90/32 nm = (90/32)² = 7.9 exactly; below 32 nm the cell is the
 * published one, test_sram_cell_table). */
static void test_node_scaling(void)
{
    double prev_e = 0;
    for (double node = 22; node <= 90; node += 1) {
        memtech_array a = {MEMTECH_SRAM, MEMTECH_LOP, node, 262144, 128, 1, 0, 0};
        memtech_cost c;
        CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, NULL), SNNEX_OK);
        CU_ASSERT(c.read_energy_J > prev_e);
        prev_e = c.read_energy_J;
    }
    memtech_array a = {MEMTECH_SRAM, MEMTECH_HP, 32, 65536, 64, 1, 0, 0}, b = a;
    b.node_nm = 90;
    memtech_cost ca, cb;
    memtech_array_cost(&a, &ca, NULL);
    memtech_array_cost(&b, &cb, NULL);
    ASSERT_CLOSE(cb.area_m2 / ca.area_m2, (90.0 / 32) * (90.0 / 32), 1e-12);
}

static double cost_q(memtech_kind t, memtech_flavor f, double node, double cap, int w, int q)
{
    memtech_array a = {t, f, node, cap, w, 1, 0, 0};
    memtech_cost c;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, NULL), SNNEX_OK);
    const double v[] = {c.read_energy_J, c.write_energy_J, c.area_m2, c.read_latency_s,
                        c.cycle_time_s, c.write_latency_s, c.leakage_W};
    return v[q];
}

/* FinFET nodes, 7-16 nm (memtech.c, finfet_cell / finfet_node).
 * Area: ASAP7's predictive 7 nm single-port SRAM banks (shared/reference/
 * overheads/asap7.csv, periphery included, 6t122 bitcell, "these area rows
 * are solid"): 256x4x64 = 8 KiB x 64 b 0.03601 µm²/bit, 128x4x64 = 4 KiB x
 * 64 b 0.03797, 256x4x32 = 4 KiB x 32 b 0.04001. The model reads its 7 nm
 * cell from TSMC N7 (0.027 µm², tech_constants.csv), not from ASAP7, so
 * this is a cross-check of two sources: within 10 % at 64 bits, 15 % at
 * 32 bits (achieved when written: hp −0.7 %, −4.6 %, −11.4 %; lop +7.1 %,
 * +2.9 %, −4.3 %). The model has no fixed per-bank overhead, so the
 * smallest ASAP7 banks (512 B x 16 b: 0.0608 µm²/bit) are 41 % above it;
 * not checked. */
static void test_finfet_asap7_area(void)
{
    const struct { double cap; int w; double um2_per_bit, tol; } bank[] = {
        {8192, 64, 0.03601, 0.10}, {4096, 64, 0.03797, 0.10}, {4096, 32, 0.04001, 0.15},
    };
    for (int f = 0; f < 2; f++)
        for (int i = 0; i < 3; i++) {
            double a = cost_q(MEMTECH_SRAM, (memtech_flavor)f, 7, bank[i].cap, bank[i].w, MEMTECH_Q_AREA);
            double per_bit = a / (bank[i].cap * 8) * 1e12;
            fprintf(stderr, "\n  7 nm %s %g B x %d b: %.5f um2/bit vs ASAP7 %.5f", f ? "lop" : "hp",
                    bank[i].cap, bank[i].w, per_bit, bank[i].um2_per_bit);
            CU_ASSERT(fabs(per_bit / bank[i].um2_per_bit - 1) <= bank[i].tol);
        }
    /* Marginal area of the cells: in a large array the periphery (∝ √N)
     * fades and area/bit → cell/efficiency, with the cited cells: 7 nm
     * TSMC N7 0.027 µm² = 551 F² (not the 146 F² of 32-90 nm), 10 nm Intel
     * 0.0312 µm² (WikiChip, IEDM 2017/ISSCC 2018). STT keeps its 54/146
     * cell ratio. area0 = the fitted array efficiency (memtech_coef.c). */
    const double cell_um2[2] = {0.027, 0.0312}, node[2] = {7, 10};
    for (int j = 0; j < 2; j++)
        for (int t = 0; t < 2; t++)
            for (int f = 0; f < 2; f++) {
                double big = 64.0 * 1048576, d = 8.0 * 1048576;
                double da = cost_q((memtech_kind)t, (memtech_flavor)f, node[j], big + d, 64, MEMTECH_Q_AREA) -
                            cost_q((memtech_kind)t, (memtech_flavor)f, node[j], big, 64, MEMTECH_Q_AREA);
                const memtech_tech_coef *k = t ? &memtech_coef_fitted.stt[f] : &memtech_coef_fitted.sram[f];
                double cell = cell_um2[j] * (t ? 54.0 / 146.0 : 1.0);
                double marginal = da / (d * 8) * 1e12 * k->area[0];   /* µm² of cell per bit */
                CU_ASSERT(marginal > cell && marginal < cell * 1.05);  /* + the √N periphery */
            }
}

/* FinFET node laws below 16 nm, each factor with the value computed by
 * hand from its cited rows (shared/reference/tech_constants.csv):
 *  supply  HP 0.7 V at 7-16 nm (ASAP7 nominal, PTM-MG 7 nm), LOP 0.6 V held;
 *  transistor energy  device C ∝ EF(V)/V², Stillmaker & Baas HP PTM: 7 nm
 *      (0.1776·0.49 − 0.09097·0.7 + 0.02447)/0.49 = 0.097582, 16 nm
 *      (0.2958·0.7225 − 0.1241·0.85 + 0.03024)/0.7225 = 0.191649: 0.50917;
 *  H-tree energy  √(cell 7 / cell 16) = √(0.027/0.070) = 0.621059 (the
 *      published cells, sram_cell) times Villa SC14 capacitance per length
 *      7 vs 16 nm: 0.46/(0.7/0.9)² = 0.760408 over 16 nm (between 20 nm
 *      0.89/(0.85/0.9)² = 0.997786 and 14 nm 0.75/(0.75/0.9)² = 1.08, 4/6
 *      of the way) 1.052595: 0.722412; product 0.448661;
 *  leakage per bit held at 16 nm (ASSUMED, memtech.c), delay ∝ F^a.
 * Isolated with coefficient sets holding one energy term each (the model
 * is linear in them). Then: every quantity continuous at 16 nm and
 * monotone (energy, area, latency rise with the node) from 7 to 16 nm. */
static void test_finfet_node_laws(void)
{
    ASSERT_CLOSE(memtech_vdd_V(7, MEMTECH_HP), 0.7, 1e-12);
    ASSERT_CLOSE(memtech_vdd_V(10, MEMTECH_HP), 0.7, 1e-12);
    ASSERT_CLOSE(memtech_vdd_V(7, MEMTECH_LOP), 0.6, 1e-12);

    memtech_coef dev = memtech_coef_fitted, wire = memtech_coef_fitted;
    for (int f = 0; f < 2; f++) {
        memtech_tech_coef *d = &dev.sram[f], *w = &wire.sram[f];
        d->rd[1] = d->wr[1] = 0;   /* transistor terms only */
        d->rd[0] = d->rd[2] = d->rd[3] = 1e-15;
        w->rd[0] = w->rd[2] = w->rd[3] = 0;   /* H-tree only */
        w->rd[1] = 1e-17;
    }
    for (int f = 0; f < 2; f++) {
        memtech_array a7 = {MEMTECH_SRAM, (memtech_flavor)f, 7, 65536, 64, 1, 0, 0}, a16 = a7;
        a16.node_nm = 16;
        memtech_cost c7, c16;
        memtech_eval(&dev, &a7, &c7);
        memtech_eval(&dev, &a16, &c16);
        ASSERT_CLOSE(c7.read_energy_J / c16.read_energy_J, 0.50917, 1e-4);
        memtech_eval(&wire, &a7, &c7);
        memtech_eval(&wire, &a16, &c16);
        ASSERT_CLOSE(c7.read_energy_J / c16.read_energy_J, 0.448661, 1e-4);
    }

    for (int t = 0; t < 2; t++)
        for (int f = 0; f < 3; f++)
            for (int q = 0; q < 7; q++) {
                memtech_kind tk = (memtech_kind)t;
                memtech_flavor fl = (memtech_flavor)f;
                double at16 = cost_q(tk, fl, 16, 1048576, 64, q);
                /* continuity at 16 nm and the other table nodes: test_cell_continuity */
                double prev = 0;
                for (double node = 7; node <= 16; node += 0.25) {
                    double v = cost_q(tk, fl, node, 1048576, 64, q);
                    if (q == MEMTECH_Q_LEAK) {
                        CU_ASSERT(v == at16);   /* held */
                    } else {
                        CU_ASSERT(v > prev);
                    }
                    prev = v;
                }
            }
    /* Figures stated in the README (64 KiB, 64 b, hp): 7 nm 1.555 pJ per
     * read, 0.01837 mm² (unchanged by the published cells from 32 nm down:
     * the 7 nm cell and H-tree length were TSMC N7's before); 16 nm
     * 3.156 pJ, 0.04775 mm² (the 146 F² cell gave 2.924 pJ, 0.02581 mm²). */
    ASSERT_CLOSE(cost_q(MEMTECH_SRAM, MEMTECH_HP, 7, 65536, 64, MEMTECH_Q_READ_E), 1.55481e-12, 1e-5);
    ASSERT_CLOSE(cost_q(MEMTECH_SRAM, MEMTECH_HP, 7, 65536, 64, MEMTECH_Q_AREA), 0.0183694e-6, 1e-5);
    ASSERT_CLOSE(cost_q(MEMTECH_SRAM, MEMTECH_HP, 16, 65536, 64, MEMTECH_Q_READ_E), 3.15580e-12, 1e-5);
    ASSERT_CLOSE(cost_q(MEMTECH_SRAM, MEMTECH_HP, 16, 65536, 64, MEMTECH_Q_AREA), 0.0477547e-6, 1e-5);
}

/* SRAM cell below 32 nm (memtech.c, sram_cell): the published HD 6T cells,
 * the mean per node of shared/reference/tech_constants.csv rows
 * sram_bitcell_hd_*: 28 nm (TSMC 0.127 + Samsung/GF 0.12 + UMC 0.124)/3 =
 * 0.123667, 22 nm (Intel 0.092 + 22FFL 0.088)/2 = 0.090, 16 nm TSMC 0.070,
 * 14 nm (Intel 0.0588 + Samsung/GF 0.064)/2 = 0.0614, 7 nm TSMC 0.027 µm²;
 * 10 nm Intel 0.0312 (WikiChip); 32 nm and up 146 F² (32 nm 0.149504).
 * Between rows, linear in node: 25 nm = (0.090 + 0.123667)/2, 30 nm =
 * (0.123667 + 0.149504)/2, 12 nm = (0.0312 + 0.0614)/2, 15 nm = (0.0614 +
 * 0.070)/2. STT: 54/146 of it. The cell is isolated exactly with a
 * coefficient set whose area is the cell term alone (area0 = 1, no
 * periphery): area = N·cell. The table is also checked against the CSV
 * itself when ../shared is present: its mean per node for every node the
 * model spans (7-90 nm) with HD rows. */
static double cell_um2(memtech_kind t, double node)
{
    memtech_coef k = memtech_coef_fitted;
    for (int f = 0; f < 2; f++) {
        memtech_tech_coef *c = t == MEMTECH_STT ? &k.stt[f] : &k.sram[f];
        c->area[0] = 1;
        c->area[1] = c->area[2] = 0;
    }
    memtech_array a = {t, MEMTECH_HP, node, 65536, 64, 1, 0, 0};
    memtech_cost c;
    memtech_eval(&k, &a, &c);
    return c.area_m2 / (65536 * 8.0) * 1e12;
}

static void test_sram_cell_table(void)
{
    const struct { double node, um2; } cited[] = {
        {7, 0.027}, {10, 0.0312}, {14, 0.0614}, {16, 0.070}, {22, 0.090},
        {28, 0.371 / 3}, {32, 0.149504}, {45, 146 * 0.045 * 0.045}, {90, 146 * 0.09 * 0.09},
        {25, (0.090 + 0.371 / 3) / 2}, {30, (0.371 / 3 + 0.149504) / 2},
        {12, (0.0312 + 0.0614) / 2}, {15, (0.0614 + 0.070) / 2},
    };
    for (size_t i = 0; i < sizeof cited / sizeof cited[0]; i++) {
        ASSERT_CLOSE(cell_um2(MEMTECH_SRAM, cited[i].node), cited[i].um2, 1e-12);
        ASSERT_CLOSE(cell_um2(MEMTECH_STT, cited[i].node), cited[i].um2 * 54 / 146, 1e-12);
    }
    /* against tech_constants.csv: the mean of its sram_bitcell_hd_* rows per node */
    FILE *f = fopen("../shared/reference/tech_constants.csv", "r");
    if (!f) {
        fprintf(stderr, "\n  SKIPPED: ../shared/reference/tech_constants.csv not found");
        return;
    }
    double sum[91] = {0};
    int cnt[91] = {0}, nodes = 0;
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        char name[128];
        double node, um2;
        if (sscanf(line, "%127[^,],%lf,%lf,um2", name, &node, &um2) == 3 &&
            strncmp(name, "sram_bitcell_hd_", 16) == 0 && node >= 7 && node <= 90) {
            sum[(int)node] += um2;
            cnt[(int)node]++;
        }
    }
    fclose(f);
    for (int n = 7; n <= 90; n++)
        if (cnt[n]) {
            fprintf(stderr, "\n  %d nm: %d HD cells, mean %.6f um2, model %.6f", n, cnt[n],
                    sum[n] / cnt[n], cell_um2(MEMTECH_SRAM, n));
            ASSERT_CLOSE(cell_um2(MEMTECH_SRAM, n), sum[n] / cnt[n], 1e-12);
            nodes++;
        }
    CU_ASSERT_EQUAL(nodes, 5);   /* 7, 14, 16, 22, 28 nm */
}

/* Continuity at every node where a law changes (the sram_cell rows 10-32 nm,
 * the FinFET switch at 16 nm): every quantity just below and just above the
 * node within 1e-6 of its value there, for both technologies, every flavour
 * and three sizes. The H-tree follows √(cell) from 32 nm down: hand values
 * with terms isolated (as in test_finfet_node_laws), 16 vs 22 nm, where
 * CACTI's per-µm wire and gate capacitances are both held at 22 nm: H-tree
 * (V16/V22)²·√(0.070/0.090) = 0.765625·0.881917 = 0.675218 (hp; lop 0.6 V
 * at both: 0.881917); the transistor terms do not follow the cell:
 * (V16/V22)²·16/22 = 0.556818 (hp), 0.727273 (lop). The periphery area keeps
 * F² down to 16 nm: 22/32 nm = (22/32)². Monotone: area from 7 to 90 nm
 * (SRAM and STT), SRAM read and write energy likewise, in 0.25 nm steps. */
static void test_cell_continuity(void)
{
    const double knot[] = {10, 14, 16, 22, 28, 32};
    const double caps[] = {4096, 65536, 4194304};
    for (size_t j = 0; j < sizeof knot / sizeof knot[0]; j++)
        for (int t = 0; t < 2; t++)
            for (int f = 0; f < 3; f++)
                for (int ci = 0; ci < 3; ci++)
                    for (int q = 0; q < 7; q++) {
                        memtech_kind tk = (memtech_kind)t;
                        memtech_flavor fl = (memtech_flavor)f;
                        double at = cost_q(tk, fl, knot[j], caps[ci], 64, q);
                        double lo = cost_q(tk, fl, knot[j] - 1e-9, caps[ci], 64, q);
                        double hi = cost_q(tk, fl, knot[j] + 1e-9, caps[ci], 64, q);
                        CU_ASSERT(fabs(lo / at - 1) < 1e-6 && fabs(hi / at - 1) < 1e-6);
                        if (!(fabs(lo / at - 1) < 1e-6 && fabs(hi / at - 1) < 1e-6))
                            fprintf(stderr, "\n  discontinuous at %g nm: %s %s q%d: %g %g %g", knot[j],
                                    memtech_kind_name(tk), memtech_flavor_name(fl), q, lo, at, hi);
                    }

    memtech_coef dev = memtech_coef_fitted, wire = memtech_coef_fitted, per = memtech_coef_fitted;
    for (int f = 0; f < 2; f++) {
        memtech_tech_coef *d = &dev.sram[f], *w = &wire.sram[f];
        d->rd[1] = 0;
        d->rd[0] = d->rd[2] = d->rd[3] = 1e-15;
        w->rd[0] = w->rd[2] = w->rd[3] = 0;
        w->rd[1] = 1e-17;
        per.sram[f].area[0] = 1e300;   /* periphery only */
    }
    const double want_wire[2] = {0.765625 * 0.881917, 0.881917};
    const double want_dev[2] = {0.765625 * 16 / 22, 16.0 / 22};
    for (int f = 0; f < 2; f++) {
        memtech_array a16 = {MEMTECH_SRAM, (memtech_flavor)f, 16, 65536, 64, 1, 0, 0}, a22 = a16, a32 = a16;
        a22.node_nm = 22;
        a32.node_nm = 32;
        memtech_cost c16, c22, c32;
        memtech_eval(&wire, &a16, &c16);
        memtech_eval(&wire, &a22, &c22);
        ASSERT_CLOSE(c16.read_energy_J / c22.read_energy_J, want_wire[f], 1e-5);
        memtech_eval(&dev, &a16, &c16);
        memtech_eval(&dev, &a22, &c22);
        ASSERT_CLOSE(c16.read_energy_J / c22.read_energy_J, want_dev[f], 1e-9);
        memtech_eval(&per, &a22, &c22);
        memtech_eval(&per, &a32, &c32);
        ASSERT_CLOSE(c22.area_m2 / c32.area_m2, (22.0 / 32) * (22.0 / 32), 1e-9);
    }

    for (int t = 0; t < 2; t++)
        for (int f = 0; f < 3; f++)
            for (int ci = 0; ci < 3; ci++) {
                double prev[3] = {0, 0, 0};
                for (double node = 7; node <= 90; node += 0.25)
                    for (int q = 0; q < 3; q++) {   /* read, write energy, area */
                        if (t == MEMTECH_STT && q != MEMTECH_Q_AREA)
                            continue;   /* STT energy follows NVSim's sense table, not monotone */
                        double v = cost_q((memtech_kind)t, (memtech_flavor)f, node, caps[ci], 64, q);
                        CU_ASSERT(v > prev[q]);
                        prev[q] = v;
                    }
            }
}

static void test_range_errors(void)
{
    memtech_cost c;
    snnex_err err;
    memtech_array a = {MEMTECH_SRAM, MEMTECH_HP, 6.9, 65536, 64, 1, 0, 0};
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &err), SNNEX_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "7-90 nm"));   /* names the range */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "got 6.9 nm"));
    CU_ASSERT(c.read_energy_J == 0 && c.area_m2 == 0);    /* zeroed */
    a.node_nm = 90.1;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &err), SNNEX_EINVAL);
    for (int t = 0; t < 2; t++)   /* both ends accepted, every technology and flavour */
        for (int f = 0; f < 3; f++)
            for (int e = 0; e < 2; e++) {
                memtech_array b = {(memtech_kind)t, (memtech_flavor)f, e ? 90 : 7, 65536, 64, 1, 0, 0};
                CU_ASSERT_EQUAL(memtech_array_cost(&b, &c, NULL), SNNEX_OK);
                CU_ASSERT(c.read_energy_J > 0 && c.area_m2 > 0 && c.leakage_W > 0);
            }
    a.node_nm = 32;
    a.width_bits = 0;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &err), SNNEX_EINVAL);
    a.width_bits = 64;
    a.banks = 0;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &err), SNNEX_EINVAL);
    a.banks = 1;
    a.capacity_bytes = -1;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &err), SNNEX_EINVAL);
    a.capacity_bytes = NAN;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &err), SNNEX_EINVAL);
}

/* DRAM: HBM2 3.97 pJ/bit (tc: hbm2_access_energy, O'Connor MICRO 2017),
 * priced as a row miss; a row hit saves the 1.21 pJ/bit activation. */
static void test_dram(void)
{
    CU_ASSERT_EQUAL(memtech_dram_count(), 8);
    const memtech_dram *h = memtech_dram_find("hbm2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    ASSERT_CLOSE(memtech_dram_energy_J(h, 1, 0, 0.0), 3.97e-12, 1e-9);
    ASSERT_CLOSE(memtech_dram_energy_J(h, 1, 0, 1.0), 2.76e-12, 1e-9);
    ASSERT_CLOSE(h->bandwidth_Bps, 32e9, 1e-12);   /* 256 GB/s / 8 channels */
    CU_ASSERT_PTR_NULL(memtech_dram_find("DDR3"));
    const char *names[] = {"LPDDR4", "lpddr4x", "LPDDR5", "DDR4", "ddr5", "HBM2E", "GDDR6"};
    for (int i = 0; i < 7; i++) {
        const memtech_dram *d = memtech_dram_find(names[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        CU_ASSERT(d->rd_energy_J_per_bit > 1e-12 && d->rd_energy_J_per_bit < 20e-12);
        CU_ASSERT(d->act_energy_J_per_bit > 0 && d->background_W > 0 && d->row_bytes >= 1024);
        CU_ASSERT(d->source && d->source[0]);
    }
    /* DDR4 read 8.78 pJ/bit on a hit (tc: ddr4_read_burst_energy) */
    ASSERT_CLOSE(memtech_dram_energy_J(memtech_dram_find("DDR4"), 8, 0, 1.0), 8 * 8.78e-12, 1e-9);
}

/* Logic: Horowitz 45 nm/0.9 V fp16 add = 0.4 pJ, area 1360 µm² (tc:
 * fp16_add_energy/area); Stillmaker: lower at 28 nm; 32 nm/0.9 V factor
 * EF32(0.9)/EF45(0.9) = 0.457137/0.698850 (tc coefficients, by hand). */
static void test_logic(void)
{
    ASSERT_CLOSE(memtech_logic_energy_J(MEMTECH_OP_FP16_ADD, 45, 0.9), 0.4e-12, 1e-12);
    ASSERT_CLOSE(memtech_logic_area_m2(MEMTECH_OP_FP16_ADD, 45), 1360e-12, 1e-12);
    double e28 = memtech_logic_energy_J(MEMTECH_OP_FP16_ADD, 28, 0.9);
    CU_ASSERT(e28 < 0.4e-12 && e28 > 0.1e-12);
    ASSERT_CLOSE(memtech_logic_energy_J(MEMTECH_OP_FP32_MUL, 32, 0.9),
                 3.7e-12 * 0.457137 / 0.698850, 1e-5);
    /* wires: Keckler 121 fJ/bit/mm at 0.9 V = 1.21e-10 J/bit/m */
    ASSERT_CLOSE(memtech_wire_energy_J_per_bit_m(40, 0.9), 1.21e-10, 1e-12);
    /* router: FlooNoC 18.75 fJ/bit/hop at 12 nm, 0.8 V */
    ASSERT_CLOSE(memtech_router_energy_J_per_bit(12, 0.8), 18.75e-15, 1e-9);
}

/* Logic cells (memtech/logic.c), against the sources in
 * shared/reference/overheads/ (asap7.csv, overheads.csv). */
/* Standard-cell memory (memtech/scm.c), by hand from its ASAP7 cells: per
 * bit a latch (2.5 GE) and a read-tree AO22 (1.5 GE), per word a clock
 * gate (3 GE) and two decoder gates; leakage is that raw area at the logic
 * density of the flavour's Vt; a write costs more than a read. Checked
 * against the measured 65 nm latch SCM (Meinerzhagen et al., ESSCIRC 2012;
 * overheads.csv latch_memory_access_energy_measured: 14 fJ per accessed
 * bit at 0.5 V, 4 kb): the model's mean of read and write per bit is
 * within 2x (the select-pin loads are ASSUMED in scm.c). */
static void test_scm(void)
{
    memtech_array a = {MEMTECH_SCM, MEMTECH_LOP, 7, 1024, 32, 1, 0.7, 300};
    memtech_cost c;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&a, &c, &err), SNNEX_OK);
    double bits = 8192, words = 256, ge = 0.08748e-12;
    double raw = ge * (bits * 4.0 + words * 5.0);
    ASSERT_CLOSE(c.area_m2, raw, 1e-9);
    ASSERT_CLOSE(c.leakage_W, raw * memtech_logic_leakage_W_per_m2(MEMTECH_VT_REGULAR, 0.7, 300), 1e-9);
    /* read: 0.5 x log2(256) AO22 toggles of 0.35 fJ + two select pins of
     * 0.475 fF at 0.7 V, per bit, at the 7 nm / 0.7 V reference */
    ASSERT_CLOSE(c.read_energy_J, 32 * (0.5 * 8 * 0.35 + 2 * 0.475 * 0.49) * 1e-15, 1e-9);
    /* write: the latch's clock pulse 0.704 fJ and half its 0.905 fJ
     * toggle per bit; one clock gate 1.25 fJ */
    ASSERT_CLOSE(c.write_energy_J, (32 * (0.704 + 0.5 * 0.905) + 1.25) * 1e-15, 1e-9);
    /* hp devices leak like low-Vt logic */
    a.flavor = MEMTECH_HP;
    memtech_cost h;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&a, &h, &err), SNNEX_OK);
    ASSERT_CLOSE(h.leakage_W, raw * memtech_logic_leakage_W_per_m2(MEMTECH_VT_LOW, 0.7, 300), 1e-9);
    /* banks shorten the read tree; the write is per word */
    a.flavor = MEMTECH_LOP, a.banks = 8;
    memtech_cost b8;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&a, &b8, &err), SNNEX_OK);
    CU_ASSERT(b8.read_energy_J < c.read_energy_J);
    ASSERT_CLOSE(b8.write_energy_J, c.write_energy_J, 1e-12);
    ASSERT_CLOSE(b8.area_m2, c.area_m2, 1e-12);
    /* Meinerzhagen's 4 kb SCM at 65 nm, 0.5 V: 14 fJ per accessed bit
     * (the organisation is not stated: 32-bit words taken) */
    memtech_array m = {MEMTECH_SCM, MEMTECH_LOP, 65, 512, 32, 1, 0.5, 300};
    memtech_cost mc;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&m, &mc, &err), SNNEX_OK);
    double per_bit = 0.5 * (mc.read_energy_J + mc.write_energy_J) / 32;
    fprintf(stderr, "\n  scm 65 nm 0.5 V 4 kb: read %.3g fJ/bit, write %.3g fJ/bit, mean %.3g (measured 14)\n",
            mc.read_energy_J / 32 * 1e15, mc.write_energy_J / 32 * 1e15, per_bit * 1e15);
    CU_ASSERT(per_bit > 14e-15 / 2 && per_bit < 14e-15 * 2);
    /* the supply is the logic's: outside 0.3-1.5 V is refused */
    m.vdd_V = 1.8;
    CU_ASSERT_EQUAL(memtech_array_cost(&m, &mc, &err), SNNEX_EINVAL);
    CU_ASSERT(strstr(err.msg, "scm supply") != NULL);
}

static void test_logic_cells(void)
{
    /* gate equivalent: the anchors (NanGate45 NAND2_X1 0.798 µm²; ASAP7
     * nand2_x1_area 0.08748 µm²) are reproduced exactly; 90 nm is 4× 45 nm
     * (F² above 45 nm); in between the power law is monotone */
    ASSERT_CLOSE(memtech_ge_area_m2(45), 0.798e-12, 1e-12);
    ASSERT_CLOSE(memtech_ge_area_m2(7), 0.08748e-12, 1e-9);
    ASSERT_CLOSE(memtech_ge_area_m2(90), 4 * 0.798e-12, 1e-12);
    double g28 = memtech_ge_area_m2(28);
    CU_ASSERT(g28 > memtech_ge_area_m2(22) && g28 < memtech_ge_area_m2(32));
    ASSERT_CLOSE(g28, 0.798e-12 * pow(28.0 / 45, log(0.798 / 0.08748) / log(45.0 / 7)), 1e-12);
    /* flip-flop area: within 1.5x of Aladdin's 40 nm register bit (5.98
     * µm², overheads.csv reg_bit_area) and 2x of ASAP7's DFFHQNx1 (0.2916
     * µm², asap7.csv dff_x1_area) */
    double r40 = memtech_ff_area_m2(40) / 5.98e-12, r7 = memtech_ff_area_m2(7) / 0.2916e-12;
    CU_ASSERT(r40 > 1 / 1.5 && r40 < 1.5);
    CU_ASSERT(r7 > 0.5 && r7 < 2);
    /* clock energy per flip-flop: 0.8 x 9 fJ at 40 nm, 0.9 V (overheads
     * README §1); at 7 nm, 0.7 V within 1.5x of ASAP7's 0.8375 fJ
     * (dff_x1_clock_energy_per_cycle_hold_incl_pin): two independent
     * sources through the Stillmaker node law */
    ASSERT_CLOSE(memtech_ff_clock_energy_J(40, 0.9), 7.2e-15, 1e-12);
    double c7 = memtech_ff_clock_energy_J(7, 0.7) / 0.8375e-15;
    CU_ASSERT(c7 > 1 / 1.5 && c7 < 1.5);
    ASSERT_CLOSE(memtech_ff_data_energy_J(40, 0.9), 1.08e-15, 1e-12);
    CU_ASSERT(memtech_ff_clock_energy_J(28, 0.55) < memtech_ff_clock_energy_J(28, 0.9));
    /* gate energy per op: Horowitz int32 add 0.1 pJ over 137/0.798 GE */
    ASSERT_CLOSE(memtech_ge_energy_J(45, 0.9), 0.1e-12 / (137 / 0.798), 1e-12);
    /* clock-gate residual: (0.18 + 1.07) fJ / (16 x 0.8375 fJ) */
    ASSERT_CLOSE(memtech_clock_gate_residual(), 1.25 / (16 * 0.8375), 1e-12);
    /* leakage density at 300 K, 0.7 V = ASAP7 nand2_x1_leakage_density
     * (RVT 1.043, LVT 9.746, SRAM-Vt 0.2586 mW/mm²); the LVT class within
     * 1.5x of Aladdin's 40 nm "G" library, 12 mW/mm² (overheads.csv
     * logic_leakage_density_derived); hotter leaks more, by the memories'
     * I_off(T) law; ∝ V */
    ASSERT_CLOSE(memtech_logic_leakage_W_per_m2(MEMTECH_VT_REGULAR, 0.7, 300), 1.043e3, 1e-12);
    ASSERT_CLOSE(memtech_logic_leakage_W_per_m2(MEMTECH_VT_HIGH, 0.7, 0), 0.2586e3, 1e-12);
    double lvt = memtech_logic_leakage_W_per_m2(MEMTECH_VT_LOW, 0.7, 300) / 12e3;
    CU_ASSERT(lvt > 1 / 1.5 && lvt < 1.5);
    ASSERT_CLOSE(memtech_logic_leakage_W_per_m2(MEMTECH_VT_REGULAR, 0.35, 300), 1.043e3 / 2, 1e-12);
    ASSERT_CLOSE(memtech_logic_leakage_W_per_m2(MEMTECH_VT_REGULAR, 0.7, 360) /
                     memtech_logic_leakage_W_per_m2(MEMTECH_VT_REGULAR, 0.7, 300),
                 memtech_leakage_temperature_factor(360) / memtech_leakage_temperature_factor(300), 1e-12);
    CU_ASSERT(memtech_leakage_temperature_factor(360) / memtech_leakage_temperature_factor(300) > 2);
    /* process classes: only bulk_hp gets the leaky flavours */
    memtech_flavor f;
    memtech_vt v;
    memtech_process_defaults(MEMTECH_PROC_BULK_LP, &f, &v);
    CU_ASSERT(f == MEMTECH_LSTP && v == MEMTECH_VT_REGULAR);
    memtech_process_defaults(MEMTECH_PROC_FDSOI, &f, &v);
    CU_ASSERT(f == MEMTECH_LSTP && v == MEMTECH_VT_REGULAR);
    memtech_process_defaults(MEMTECH_PROC_FINFET, &f, &v);
    CU_ASSERT(f == MEMTECH_LOP && v == MEMTECH_VT_REGULAR);
    memtech_process_defaults(MEMTECH_PROC_BULK_HP, &f, &v);
    CU_ASSERT(f == MEMTECH_HP && v == MEMTECH_VT_LOW);
}

/* Largest |fit/committed − 1| over the seven priced quantities of array a. */
static double prediction_gap(const memtech_coef *fit, const memtech_array *a)
{
    memtech_cost c1, c2;
    memtech_eval(fit, a, &c1);
    memtech_eval(&memtech_coef_fitted, a, &c2);
    const double q1[7] = {c1.read_energy_J, c1.write_energy_J, c1.area_m2, c1.read_latency_s,
                          c1.cycle_time_s, c1.write_latency_s, c1.leakage_W};
    const double q2[7] = {c2.read_energy_J, c2.write_energy_J, c2.area_m2, c2.read_latency_s,
                          c2.cycle_time_s, c2.write_latency_s, c2.leakage_W};
    double gap = 0;
    for (int q = 0; q < 7; q++)
        if (q2[q] > 0 || q1[q] > 0)
            gap = fmax(gap, fabs(q1[q] / q2[q] - 1.0));
    return gap;
}

/* Re-running the fit reproduces what memtech_coef.c predicts. The fit runs
 * through GSL's SVD, whose BLAS calls go to OpenBLAS: the rounding depends
 * on the kernel OpenBLAS picks for the CPU (OPENBLAS_CORETYPE), and some
 * coefficients are barely determined by the data (a term pinned at 0, or
 * the ridge between the SRAM write energy's per-bit and N^γ terms), so the
 * coefficients themselves are not compared. Their predictions are: every
 * quantity at every reference point (CACTI 32/65 nm, NVSim 32 nm and the
 * 45 nm rows of nvsim_45nm.csv, STT and SRAM), and on a grid over the
 * domain the data spans (SRAM 4 KiB–4 MiB, STT 64 KiB–4 MiB, widths
 * 64–256 bits, all flavours, nodes 7–90 nm through the node laws, which
 * for STT now include the fitted periphery exponent), within 1 %. The
 * largest spread seen across kernels (Haswell, SkylakeX, Sandybridge,
 * Prescott, Nehalem, Atom, Zen, Core2 and an AMD EPYC default) was 0.31 %
 * (SRAM hp write energy); the model's own error against the reference
 * points is 6–30 %, so 1 % separates noise from a changed fit. */
static void test_fit_reproduces(void)
{
    if (!have_ref())
        return;
    memtech_coef k;
    snnex_err err;
    CU_ASSERT_EQUAL_FATAL(memtech_fit_run(REF_DIR, &k, NULL, &err), SNNEX_OK);
    double worst = 0;
    for (int i = 0; i < n_pts; i++)
        worst = fmax(worst, prediction_gap(&k, &pts[i].a));
    for (int t = 0; t < 2; t++)
        for (int f = 0; f < 3; f++)
            for (double node = 7; node <= 90; node *= 1.25)
                for (double cap = t ? 65536 : 4096; cap <= 4194304.0; cap *= 2)
                    for (int w = 64; w <= 256; w *= 2) {
                        memtech_array a = {.tech = (memtech_kind)t, .flavor = (memtech_flavor)f,
                                           .node_nm = node, .capacity_bytes = cap,
                                           .width_bits = w, .banks = 1};
                        worst = fmax(worst, prediction_gap(&k, &a));
                    }
    fprintf(stderr, "\n  refit vs committed: largest prediction gap %.2g", worst);
    if (!(worst <= 0.01))
        fprintf(stderr, "; run make memtech-coef if the model or the data changed");
    CU_ASSERT(worst <= 0.01);
}

/* snnex mem: bad queries exit 1 with FILE:LINE: error and write nothing. */
static void test_cli_bad_queries(void)
{
    struct stat st;
    if (stat(SNNEX_BIN, &st) != 0) {
        fprintf(stderr, "\n  SKIPPED: %s not built", SNNEX_BIN);
        return;
    }
    const char *out = "/tmp/snnex_test_mem_out.csv";
    const char *bad[] = {
        "mem --tech sram --node 32 --capacity -4KiB --width 64 -o /tmp/snnex_test_mem_out.csv",
        "mem --tech sram --node 32 --capacity 4KiB --width 0 -o /tmp/snnex_test_mem_out.csv",
        "mem --tech flash --node 32 --capacity 4KiB --width 64 -o /tmp/snnex_test_mem_out.csv",
        "mem --tech stt --node 6.9 --capacity 4KiB --width 64 -o /tmp/snnex_test_mem_out.csv",
    };
    for (int i = 0; i < 4; i++) {
        remove(out);
        char *o, *e;
        int rc = test_run_snnex(bad[i], &o, &e);
        CU_ASSERT_EQUAL(rc, 1);
        CU_ASSERT_PTR_NOT_NULL(strstr(e, "command line:"));
        CU_ASSERT_PTR_NOT_NULL(strstr(e, ": error: "));
        CU_ASSERT(stat(out, &st) != 0);
        free(o);
        free(e);
    }
    /* malformed CSV row: line 3 has 4 of 5 fields */
    const char *csv = "/tmp/snnex_test_mem_in.csv";
    FILE *f = fopen(csv, "w");
    fputs("tech,node_nm,capacity_bytes,width_bits,flavor\nsram,32,65536,64,hp\nstt,22,1MiB,64\n", f);
    fclose(f);
    remove(out);
    char *o, *e;
    int rc = test_run_snnex("mem --points /tmp/snnex_test_mem_in.csv -o /tmp/snnex_test_mem_out.csv",
                            &o, &e);
    CU_ASSERT_EQUAL(rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e, "/tmp/snnex_test_mem_in.csv:3: error: "));
    CU_ASSERT(stat(out, &st) != 0);
    free(o);
    free(e);
    /* a good file: header passes through, 6 result columns appended */
    f = fopen(csv, "w");
    fputs("id,tech,node_nm,capacity_bytes,width_bits,flavor\nx1,sram,32,65536,64,hp\n", f);
    fclose(f);
    rc = test_run_snnex("mem --points /tmp/snnex_test_mem_in.csv", &o, &e);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "id,tech,node_nm,capacity_bytes,width_bits,flavor,"
                                     "read_energy_pJ,write_energy_pJ,leakage_mW,area_mm2,"
                                     "read_latency_ns,write_latency_ns\nx1,sram,32,65536,64,hp,"));
    free(o);
    free(e);
    remove(csv);
}


/* Supply and temperature: leakage at 300 K is I_off(300)/I_off(360) =
 * 5.94e-8/1.65e-7 = 0.36 of the 360 K value (CACTI 7 technology.cc, ITRS
 * LOP 32 nm row); at 0.5 V on a 0.6 V LOP array dynamic energy scales by
 * (0.5/0.6)² and leakage by 0.5/0.6 (memtech.c); an STT write keeps its
 * 1 pJ/bit MTJ energy unscaled (NVSim sample_STTRAM.cell). */
static void test_supply_temperature(void)
{
    memtech_array a = {MEMTECH_SRAM, MEMTECH_LOP, 32, 262144, 64, 1, 0, 0}, b = a;
    memtech_cost ca, cb;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&a, &ca, NULL), SNNEX_OK);
    b.temperature_K = 300;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&b, &cb, NULL), SNNEX_OK);
    ASSERT_CLOSE(cb.leakage_W / ca.leakage_W, 5.94e-8 / 1.65e-7, 1e-9);
    ASSERT_CLOSE(cb.read_energy_J, ca.read_energy_J, 1e-12);
    b.temperature_K = 360;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&b, &cb, NULL), SNNEX_OK);
    ASSERT_CLOSE(cb.leakage_W, ca.leakage_W, 1e-12);
    b = a;
    b.vdd_V = 0.5;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&b, &cb, NULL), SNNEX_OK);
    double r = 0.5 / memtech_vdd_V(32, MEMTECH_LOP);
    ASSERT_CLOSE(memtech_vdd_V(32, MEMTECH_LOP), 0.6, 1e-12);
    ASSERT_CLOSE(cb.read_energy_J / ca.read_energy_J, r * r, 1e-9);
    ASSERT_CLOSE(cb.leakage_W / ca.leakage_W, r, 1e-9);
    memtech_array s = {MEMTECH_STT, MEMTECH_LOP, 32, 262144, 64, 1, 0, 0}, t = s;
    t.vdd_V = 0.5;
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&s, &ca, NULL), SNNEX_OK);
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&t, &cb, NULL), SNNEX_OK);
    ASSERT_CLOSE(cb.write_energy_J - 64e-12, (ca.write_energy_J - 64e-12) * r * r, 1e-9);
    /* LSTP: the fitted LOP array with CACTI's 32 nm LSTP/LOP off-current
     * ratio at 360 K (2.40e-10/1.65e-7) and its 1.0 V supply (V² energy) */
    memtech_array l = {MEMTECH_SRAM, MEMTECH_LSTP, 32, 262144, 64, 1, 0, 0};
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&a, &ca, NULL), SNNEX_OK);
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&l, &cb, NULL), SNNEX_OK);
    ASSERT_CLOSE(cb.leakage_W / ca.leakage_W, 2.40e-10 / 1.65e-7, 1e-9);
    ASSERT_CLOSE(cb.read_energy_J / ca.read_energy_J, (1.0 / 0.6) * (1.0 / 0.6), 1e-9);
    ASSERT_CLOSE(cb.area_m2, ca.area_m2, 1e-12);
    CU_ASSERT(cb.read_latency_s > ca.read_latency_s);
    /* out of range: a clear error */
    snnex_err e;
    b = a;
    b.temperature_K = 450;
    CU_ASSERT_EQUAL(memtech_array_cost(&b, &cb, &e), SNNEX_EINVAL);
    CU_ASSERT(strstr(e.msg, "300-400 K") != NULL);
}

/* Supply at exactly the edge of its range (issue 14, item 10): 28 nm LOP
 * has a nominal 0.6 V (CACTI holds LOP at 0.6 V from 32 to 22 nm,
 * memtech.c), so 0.3 V and 0.9 V are 0.5x and 1.5x and must be accepted
 * (1.5 * 0.6 is 0.8999999999999999 in binary); read energy scales as V^2,
 * so 0.9 V costs (0.9/0.6)^2 = 2.25x the nominal. Just outside: rejected. */
static void test_supply_edges(void)
{
    memtech_array a = {MEMTECH_SRAM, MEMTECH_LOP, 28, 65536, 64, 1, 0, 0};
    memtech_cost nom, c;
    snnex_err e;
    ASSERT_CLOSE(memtech_vdd_V(28, MEMTECH_LOP), 0.6, 1e-12);
    CU_ASSERT_EQUAL_FATAL(memtech_array_cost(&a, &nom, &e), SNNEX_OK);
    a.vdd_V = 0.9;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &e), SNNEX_OK);
    ASSERT_CLOSE(c.read_energy_J, 2.25 * nom.read_energy_J, 1e-12);
    a.vdd_V = 0.3;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &e), SNNEX_OK);
    ASSERT_CLOSE(c.read_energy_J, 0.25 * nom.read_energy_J, 1e-12);
    a.vdd_V = 0.9001;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &e), SNNEX_EINVAL);
    a.vdd_V = 0.2999;
    CU_ASSERT_EQUAL(memtech_array_cost(&a, &c, &e), SNNEX_EINVAL);
    /* LSTP at 32 nm: nominal 1.0 V, upper edge 1.5 V */
    memtech_array l = {MEMTECH_SRAM, MEMTECH_LSTP, 32, 65536, 64, 1, 1.5, 0};
    CU_ASSERT_EQUAL(memtech_array_cost(&l, &c, &e), SNNEX_OK);
    /* and through a config: seed20's memories are LOP SRAM at 28 nm */
    char *se = NULL;
    int rc = test_run_snnex("estimate configs/seed20.cfg --set chip.mem_vdd_V=0.9", NULL, &se);
    if (rc != 0)
        fprintf(stderr, "\n  %s", se);
    CU_ASSERT_EQUAL(rc, 0);
    free(se);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("memtech", NULL, NULL);
    CU_add_test(s, "SRAM vs CACTI 32/65 nm", test_sram_vs_cacti);
    CU_add_test(s, "leave one node out (32 <-> 65 nm)", test_leave_one_node_out);
    CU_add_test(s, "supply voltage and temperature", test_supply_temperature);
    CU_add_test(s, "STT-MRAM vs NVSim 32 nm", test_stt_vs_nvsim);
    CU_add_test(s, "STT-MRAM vs NVSim 45 nm", test_stt_vs_nvsim_45);
    CU_add_test(s, "STT leave one node out (32 <-> 45 nm)", test_stt_leave_one_node_out);
    CU_add_test(s, "STT/SRAM ratios at 1 MiB", test_stt_sram_ratios);
    CU_add_test(s, "banks", test_banks);
    CU_add_test(s, "node scaling law", test_node_scaling);
    CU_add_test(s, "FinFET 7 nm area vs ASAP7 banks", test_finfet_asap7_area);
    CU_add_test(s, "FinFET node laws 7-16 nm", test_finfet_node_laws);
    CU_add_test(s, "SRAM cell: published HD cells below 32 nm", test_sram_cell_table);
    CU_add_test(s, "continuity at every table node; monotone in node", test_cell_continuity);
    CU_add_test(s, "range errors", test_range_errors);
    CU_add_test(s, "DRAM table", test_dram);
    CU_add_test(s, "logic, wire, router", test_logic);
    CU_add_test(s, "logic cells: gate, flip-flop, clock, leakage, process", test_logic_cells);
    CU_add_test(s, "standard-cell memory: cells by hand, measured 65 nm SCM", test_scm);
    CU_add_test(s, "fit reproduces committed coefficients", test_fit_reproduces);
    CU_add_test(s, "snnex mem bad queries", test_cli_bad_queries);
    CU_add_test(s, "supply at the edges of its range", test_supply_edges);
    int rc = test_finish();
    free(pts);
    return rc;
}
