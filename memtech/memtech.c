/* memtech — SRAM and STT-MRAM array costs: closed forms whose few
 * coefficients are fitted (tools/memtech_fit.c → memtech_coef.c) to CACTI 7
 * and NVSim points at 32 and 65 nm, and whose node dependence is a scaling
 * law, not a table: energy ∝ C·V² with C ∝ F^a, area ∝ F², delay ∝ F^b.
 *
 * The model, with F the node, N the bits of one bank, w the width, B banks,
 * s = F/32 nm, V the nominal supply (table below), V32 its value at 32 nm:
 *   E_read  = s^aE·(V/V32)² · [ w·(rd0 + rd1·√N_eff) + rd2·√N ]
 *   E_write = same with wr*           (+ w·E_mtj for STT: MTJ switching)
 *   area    = F²·B·[ N·cell_F2/area0 + (area1·w + area2)·√N ]
 *   leakage = leak0 · N_total · s^leak1                (STT: see below)
 *   t_read  = s^aT · (lat0 + lat1·√N_eff);  cycle = s^aT·(cyc0 + cyc1·√N)
 * w·√N terms are bitlines/wordlines and the H-tree that carries w bits
 * across a bank whose side grows as √N; rd0 is the per-bit sense/IO energy;
 * the √N term without w is the decoder and wordline drive.
 * Banks: one bank of N_total/B is active per access, so bitline, decoder
 * and cycle terms see N; the bits still travel from the macro edge to the
 * bank, modelled as N_eff = (√N + κ(√N_total − √N))² with κ = 1/2: the
 * route to a bank's port crosses on average half of what the full H-tree
 * would. Each bank repeats its periphery, so area grows with B. */
#include "memtech/memtech_internal.h"

#include <math.h>
#include <string.h>

/* Nominal supply per node and flavour: CACTI 7 technology.cc ITRS device
 * tables (HewlettPackard/cacti, technology.cc: vdd[0] = HP, vdd[2] = LOP):
 *   90 nm 1.2/0.9, 65 nm 1.1/0.8, 45 nm 1.0/0.7, 32 nm 0.9/0.6,
 *   22 nm 0.8/0.6, 16 nm 0.7 (HP). CACTI has no 16 nm LOP entry; LOP is
 *   held at 0.6 V below 32 nm, as CACTI does from 32 to 22 nm. */
static const struct { double node_nm, hp_V, lop_V; } vdd_table[] = {
    {16, 0.7, 0.6}, {22, 0.8, 0.6}, {32, 0.9, 0.6},
    {45, 1.0, 0.7}, {65, 1.1, 0.8}, {90, 1.2, 0.9},
};
#define N_VDD ((int)(sizeof vdd_table / sizeof vdd_table[0]))

/* Cells in F² (cell files used by the reference runs, shared/reference/
 * memtech/README.md): CACTI/NVSim SRAM.cell 6T = 146 F²; NVSim
 * sample_STTRAM.cell 1T1MTJ = 54 F². */
static const double cell_F2[2] = {146.0, 54.0};

/* STT-MRAM cell (NVSim sample_STTRAM.cell, same README): set/reset energy
 * 1 pJ per bit written, every bit assumed to switch; 10 ns write pulse.
 * Node-independent: the cell file gives them per cell, not per F. */
#define STT_MTJ_WRITE_J   1e-12
#define STT_WRITE_PULSE_S 10e-9

/* STT-MRAM leakage is periphery only (the MTJ array does not leak). NVSim
 * leaves every mat's periphery powered (power gating off), so its leakage
 * grows ∝ N. A non-volatile array loses nothing when idle mats are gated,
 * which is how eMRAM macros reach near-zero standby power; we keep one mat
 * powered: 2×2 subarrays of 64 Kbit (-ForceMat 2x2, 64 Kbit subarrays in
 * the NVSim runs) = 256 Kbit. */
#define STT_POWERED_BITS  MEMTECH_STT_POWERED_BITS

/* Bank routing: fraction of the full-macro H-tree length a bank access
 * still travels (see header comment). */
#define BANK_ROUTE_KAPPA  0.5

double memtech_vdd_V(double node_nm, memtech_flavor flavor)
{
    int i = 0;
    while (i < N_VDD - 2 && node_nm > vdd_table[i + 1].node_nm)
        i++;
    double x0 = vdd_table[i].node_nm, x1 = vdd_table[i + 1].node_nm;
    double y0 = flavor == MEMTECH_LOP ? vdd_table[i].lop_V : vdd_table[i].hp_V;
    double y1 = flavor == MEMTECH_LOP ? vdd_table[i + 1].lop_V : vdd_table[i + 1].hp_V;
    return y0 + (y1 - y0) * (node_nm - x0) / (x1 - x0);
}

void memtech_eval(const memtech_coef *k, const memtech_array *a, memtech_cost *c)
{
    int stt = a->tech == MEMTECH_STT;
    int fl = a->flavor == MEMTECH_LOP;
    const memtech_tech_coef *t = stt ? &k->stt[fl] : &k->sram[fl];
    double F = a->node_nm, s = F / MEMTECH_REF_NODE_NM;
    double B = a->banks, w = a->width_bits;
    double n_tot = a->capacity_bytes * 8.0, n = n_tot / B;
    double rn = sqrt(n), rn_eff = rn + BANK_ROUTE_KAPPA * (sqrt(n_tot) - rn);
    double v = memtech_vdd_V(F, a->flavor) / memtech_vdd_V(MEMTECH_REF_NODE_NM, a->flavor);
    double sE = pow(s, k->a_energy[fl]) * v * v;
    double sT = pow(s, k->a_delay[fl]);
    double F_m = F * 1e-9;

    double ng = pow(rn_eff, 2.0 * k->gamma[fl]), nd = pow(n, k->delta[fl]);
    c->read_energy_J = sE * (w * (t->rd[0] + t->rd[1] * ng) + t->rd[2] * nd);
    c->write_energy_J = sE * (w * (t->wr[0] + t->wr[1] * ng) + t->wr[2] * nd);
    c->area_m2 = F_m * F_m * B *
                 (n * cell_F2[stt] / t->area[0] + (t->area[1] * w + t->area[2]) * rn);
    c->leakage_W = t->leak[0] * n_tot * pow(s, t->leak[1]);
    c->read_latency_s = sT * (t->lat[0] + t->lat[1] * rn_eff);
    c->write_latency_s = sT * (t->wlat[0] + t->wlat[1] * rn_eff);
    c->cycle_time_s = sT * (t->cyc[0] + t->cyc[1] * rn);
    if (stt) {
        c->write_energy_J += w * STT_MTJ_WRITE_J;
        c->write_latency_s += STT_WRITE_PULSE_S;
        c->leakage_W *= fmin(1.0, STT_POWERED_BITS / n_tot);
        c->cycle_time_s = fmax(c->read_latency_s, c->write_latency_s);
    }
}

/* Leakage versus temperature: CACTI 7 technology.cc, ITRS LOP device,
 * 32 nm node, I_off_n at 300, 310, ..., 400 K (A/µm; the table CACTI uses
 * for its leakage, which the reference points were computed with at 360 K).
 * Only the shape is used: leakage(T) = leakage(360 K) · I_off(T)/I_off(360).
 * The HP row at 90 nm has the same shape within 10 % (ratio 300/360 K: 0.33
 * vs 0.36 here), so one row serves both flavours. */
static const double ioff_lop32[11] = {5.94e-8, 7.23e-8, 8.70e-8, 1.04e-7, 1.22e-7, 1.43e-7,
                                      1.65e-7, 1.90e-7, 2.15e-7, 2.39e-7, 2.63e-7};

/* ITRS LSTP device at 32 nm, same file: I_off_n at 300..400 K, nominal
 * supply 1.0 V (vdd[1] = 1), I_on_n 683.6 µA/µm vs LOP 827.8 µA/µm. At 90 nm
 * CACTI's LSTP supply is 1.3 V; between, linear in node; below 32 nm held at
 * 1.0 V (as CACTI holds LOP at 0.6 V). The reference points hold no LSTP
 * macro, so an LSTP array is priced as the fitted LOP array with: leakage ×
 * I_off,LSTP(T)/I_off,LOP(360 K) (≈ 1/690 at 360 K), its own nominal supply
 * for the C·V² energy, and delay × (I_on,LOP/I_on,LSTP)·(V_LSTP/V_LOP). */
static const double ioff_lstp32[11] = {2.06e-11, 3.30e-11, 5.15e-11, 7.83e-11, 1.16e-10, 1.69e-10,
                                       2.40e-10, 3.34e-10, 4.54e-10, 5.96e-10, 7.44e-10};
#define ION_LOP32  827.8e-6
#define ION_LSTP32 683.6e-6

static double lstp_vdd_V(double node_nm)
{
    if (node_nm <= 32)
        return 1.0;
    if (node_nm >= 90)
        return 1.3;
    return 1.0 + 0.3 * (node_nm - 32) / (90 - 32);
}

/* Log-linear interpolation of a 300..400 K table, relative to its 360 K entry
 * (or to ref when given). */
static double table_at(const double *tab, double temperature_K)
{
    double x = (temperature_K - 300.0) / 10.0;
    if (x <= 0)
        return tab[0];
    if (x >= 10)
        return tab[10];
    int i = (int)x;
    double f = x - i;
    return exp(log(tab[i]) * (1 - f) + log(tab[i + 1]) * f);
}

double memtech_leakage_temperature_factor(double temperature_K)
{
    /* log-linear between table points (subthreshold current is exponential in T) */
    return table_at(ioff_lop32, temperature_K) / ioff_lop32[6];
}

snnex_status memtech_array_cost(const memtech_array *a, memtech_cost *c, snnex_err *err)
{
    memset(c, 0, sizeof *c);
    if (a->tech != MEMTECH_SRAM && a->tech != MEMTECH_STT)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory technology must be sram or stt (got %d)", (int)a->tech);
    if (a->flavor != MEMTECH_HP && a->flavor != MEMTECH_LOP && a->flavor != MEMTECH_LSTP)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory flavor must be hp, lop or lstp (got %d)", (int)a->flavor);
    if (!(a->node_nm >= MEMTECH_NODE_MIN_NM && a->node_nm <= MEMTECH_NODE_MAX_NM))
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "technology node must be %g-%g nm (got %g nm); the memory "
                             "model is fitted and scaled only in that range",
                             MEMTECH_NODE_MIN_NM, MEMTECH_NODE_MAX_NM, a->node_nm);
    if (!(a->capacity_bytes >= MEMTECH_CAPACITY_MIN_B &&
          a->capacity_bytes <= MEMTECH_CAPACITY_MAX_B))
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory capacity must be %g B to 1 GiB (got %g B)",
                             MEMTECH_CAPACITY_MIN_B, a->capacity_bytes);
    if (a->width_bits < 1 || a->width_bits > MEMTECH_WIDTH_MAX_BITS)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory width must be 1-%d bits (got %d)",
                             MEMTECH_WIDTH_MAX_BITS, a->width_bits);
    if (a->banks < 1 || a->banks > MEMTECH_BANKS_MAX)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory banks must be 1-%d (got %d)", MEMTECH_BANKS_MAX, a->banks);
    if (a->capacity_bytes * 8.0 / a->banks < a->width_bits)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "each of the %d banks must hold at least one %d-bit word "
                             "(got %g B in total); use fewer banks or a narrower width",
                             a->banks, a->width_bits, a->capacity_bytes);
    if (a->temperature_K != 0 &&
        !(a->temperature_K >= MEMTECH_TEMP_MIN_K && a->temperature_K <= MEMTECH_TEMP_MAX_K))
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "temperature must be %g-%g K, the range of CACTI's leakage tables (got %g K)",
                             MEMTECH_TEMP_MIN_K, MEMTECH_TEMP_MAX_K, a->temperature_K);
    if (a->flavor == MEMTECH_LSTP) {
        double vl = lstp_vdd_V(a->node_nm), v = a->vdd_V != 0 ? a->vdd_V : vl;
        if (!(v >= 0.3 && v <= 1.5 * vl))
            return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                                 "memory supply must be 0.3-%.2f V for lstp at %g nm (got %g V)", 1.5 * vl,
                                 a->node_nm, v);
        memtech_array b = *a;
        b.flavor = MEMTECH_LOP;
        b.vdd_V = 0;
        b.temperature_K = 0;
        memtech_eval(&memtech_coef_fitted, &b, c);
        double r = v / memtech_vdd_V(a->node_nm, MEMTECH_LOP);
        double mtj = a->tech == MEMTECH_STT ? a->width_bits * STT_MTJ_WRITE_J : 0;
        c->read_energy_J *= r * r;
        c->write_energy_J = (c->write_energy_J - mtj) * r * r + mtj;
        double t = a->temperature_K != 0 ? a->temperature_K : MEMTECH_TEMP_REF_K;
        c->leakage_W *= table_at(ioff_lstp32, t) / ioff_lop32[6] * (v / vl);
        double slow = ION_LOP32 / ION_LSTP32 * vl / memtech_vdd_V(a->node_nm, MEMTECH_LOP);
        c->read_latency_s *= slow;
        c->write_latency_s *= slow;
        c->cycle_time_s *= slow;
        return SNNEX_OK;
    }
    double vnom = memtech_vdd_V(a->node_nm, a->flavor);
    if (a->vdd_V != 0 && !(a->vdd_V >= 0.5 * vnom && a->vdd_V <= 1.5 * vnom))
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory supply must be 0.5-1.5x the %s nominal %.2f V at %g nm (got %g V)",
                             memtech_flavor_name(a->flavor), vnom, a->node_nm, a->vdd_V);
    memtech_eval(&memtech_coef_fitted, a, c);
    /* Off-nominal supply: switched capacitance is unchanged, so dynamic
     * energy scales as V² (E = C·V²); leakage power as V with the off
     * current held (DIBL ignored: an upper bound below nominal — Qin et al.,
     * ISQED 2004, measured > 90 % SRAM leakage savings at 0.3 V standby). */
    if (a->vdd_V != 0) {
        double r = a->vdd_V / vnom;
        /* the MTJ switching energy is the cell's, not periphery C·V² */
        double mtj = a->tech == MEMTECH_STT ? a->width_bits * STT_MTJ_WRITE_J : 0;
        c->read_energy_J *= r * r;
        c->write_energy_J = (c->write_energy_J - mtj) * r * r + mtj;
        c->leakage_W *= r;
    }
    if (a->temperature_K != 0)
        c->leakage_W *= memtech_leakage_temperature_factor(a->temperature_K);
    return SNNEX_OK;
}

const char *memtech_kind_name(memtech_kind k)
{
    return k == MEMTECH_STT ? "stt" : k == MEMTECH_SRAM ? "sram" : "?";
}

const char *memtech_flavor_name(memtech_flavor f)
{
    return f == MEMTECH_LOP ? "lop" : f == MEMTECH_HP ? "hp" : f == MEMTECH_LSTP ? "lstp" : "?";
}
