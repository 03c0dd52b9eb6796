/* memtech logic — energy and area of arithmetic operations, wires and
 * routers, scaled from cited reference nodes. "tc:" = a row of
 * shared/reference/tech_constants.csv. */
#include "memtech/memtech.h"
#include "memtech/memtech_internal.h"

#include <math.h>

/* Horowitz ISSCC 2014 Fig. 1.1.9, 45 nm, 0.9 V (tc: *_energy, *_area rows;
 * table with areas in Kim et al. arXiv:2302.14017 Fig. 15). CMP16 is not in
 * the table: a 16-bit compare is a 16-bit subtract, so it takes the int16
 * add figures (ASSUMED). */
static const struct { const char *name; double energy_pJ, area_um2; } ops[MEMTECH_N_OP] = {
    [MEMTECH_OP_FP16_ADD] = {"fp16_add", 0.4, 1360},
    [MEMTECH_OP_FP16_MUL] = {"fp16_mul", 1.1, 1640},
    [MEMTECH_OP_FP32_ADD] = {"fp32_add", 0.9, 4184},
    [MEMTECH_OP_FP32_MUL] = {"fp32_mul", 3.7, 7700},
    [MEMTECH_OP_INT8_ADD] = {"int8_add", 0.03, 36},
    [MEMTECH_OP_INT16_ADD] = {"int16_add", 0.05, 67},
    [MEMTECH_OP_INT32_ADD] = {"int32_add", 0.1, 137},
    [MEMTECH_OP_INT8_MUL] = {"int8_mul", 0.2, 282},
    [MEMTECH_OP_INT32_MUL] = {"int32_mul", 3.1, 3495},
    [MEMTECH_OP_CMP16] = {"cmp16", 0.05, 67},
};

/* Stillmaker & Baas, Integration VLSI J. 58, 2017, HP-PTM energy factor
 * EF(V) = a·V² + b·V + c per node (tc: stillmaker_energy_coef_a/b/c). */
static const struct { double node_nm, a, b, c; } sb[] = {
    {7, 0.1776, -0.09097, 0.02447}, {10, 0.2068, -0.09311, 0.02375},
    {14, 0.2363, -0.09675, 0.02239}, {16, 0.2958, -0.1241, 0.03024},
    {20, 0.373, -0.1582, 0.04104}, {32, 0.8367, -0.4341, 0.1701},
    {45, 1.018, -0.3107, 0.1539},
};
#define N_SB ((int)(sizeof sb / sizeof sb[0]))

#define HOROWITZ_NODE_NM 45.0
#define HOROWITZ_VDD_V 0.9

/* EF at node and V. Between table nodes, EF is interpolated linearly in node
 * (as Accelergy hwcomponents does between 32 and 20 nm for 28/22 nm). Above
 * 45 nm: EF(45,V)·node/45 (switched capacitance ∝ feature size). Below 7 nm:
 * EF(7,V)·node/7. */
static double energy_factor(double node_nm, double v)
{
    if (node_nm >= sb[N_SB - 1].node_nm) {
        const double *p = &sb[N_SB - 1].a;
        return (p[0] * v * v + p[1] * v + p[2]) * node_nm / sb[N_SB - 1].node_nm;
    }
    if (node_nm <= sb[0].node_nm)
        return (sb[0].a * v * v + sb[0].b * v + sb[0].c) * node_nm / sb[0].node_nm;
    int i = 0;
    while (node_nm > sb[i + 1].node_nm)
        i++;
    double e0 = sb[i].a * v * v + sb[i].b * v + sb[i].c;
    double e1 = sb[i + 1].a * v * v + sb[i + 1].b * v + sb[i + 1].c;
    double t = (node_nm - sb[i].node_nm) / (sb[i + 1].node_nm - sb[i].node_nm);
    return e0 + t * (e1 - e0);
}

/* Energy of a 45 nm/0.9 V reference scaled to node and V. */
static double logic_scale(double node_nm, double v)
{
    return energy_factor(node_nm, v) / energy_factor(HOROWITZ_NODE_NM, HOROWITZ_VDD_V);
}

double memtech_logic_energy_J(memtech_op op, double node_nm, double vdd_V)
{
    if ((unsigned)op >= MEMTECH_N_OP || !(node_nm > 0) || !(vdd_V > 0))
        return 0.0;
    return ops[op].energy_pJ * 1e-12 * logic_scale(node_nm, vdd_V);
}

double memtech_logic_area_m2(memtech_op op, double node_nm)
{
    if ((unsigned)op >= MEMTECH_N_OP || !(node_nm > 0))
        return 0.0;
    return ops[op].area_um2 * 1e-12 * memtech_ge_area_m2(node_nm) / memtech_ge_area_m2(HOROWITZ_NODE_NM);
}

const char *memtech_op_name(memtech_op op)
{
    return (unsigned)op < MEMTECH_N_OP ? ops[op].name : "?";
}

/* Keckler et al., IEEE Micro 31(5) 2011: 121 fJ/bit/mm for random data at
 * 40 nm, 0.9 V (tc: wire_energy_random_data; 240 fJ per transition). Villa
 * et al. SC14 (tc: wire_energy_scaling_vs_28nm) give fixed-length wire
 * energy falling 1.0 → 0.62 from 28 to 10 nm with Vdd 0.9 → 0.725 V, i.e.
 * within ±8 % of (V/0.9)²: capacitance per length is about constant. */
#define WIRE_J_PER_BIT_M (121e-15 / 1e-3)
#define WIRE_REF_VDD_V 0.9

double memtech_wire_energy_J_per_bit_m(double node_nm, double vdd_V)
{
    (void)node_nm;   /* C per metre ~ node-independent (Villa SC14) */
    if (!(vdd_V > 0))
        return 0.0;
    double v = vdd_V / WIRE_REF_VDD_V;
    return WIRE_J_PER_BIT_M * v * v;
}

/* FlooNoC (Fischer et al., IEEE TVLSI 2025, arXiv:2409.17606): 0.15 pJ/B per
 * hop incl. router and link = 18.75 fJ/bit, GF 12 nm, 0.8 V (tc:
 * noc_router_link_energy_per_hop). Scaled with the logic energy factor. */
#define ROUTER_J_PER_BIT 18.75e-15
#define ROUTER_NODE_NM 12.0
#define ROUTER_VDD_V 0.8

double memtech_router_energy_J_per_bit(double node_nm, double vdd_V)
{
    if (!(node_nm > 0) || !(vdd_V > 0))
        return 0.0;
    return ROUTER_J_PER_BIT * energy_factor(node_nm, vdd_V) /
           energy_factor(ROUTER_NODE_NM, ROUTER_VDD_V);
}

/* ---- logic cells: gate equivalents, flip-flops, clock, leakage ---------- */

/* Gate equivalent (GE) = one NAND2 X1. Anchors: NanGate FreePDK45 open cell
 * library NAND2_X1 0.798 µm² at 45 nm; ASAP7 NAND2x1 0.08748 µm² at 7 nm
 * (shared/reference/overheads/asap7.csv, nand2_x1_area; 7.5-track,
 * predictive). Between them the area follows the power law through both
 * anchors, A ∝ F^k with k = ln(0.798/0.08748)/ln(45/7) = 1.19: standard
 * cells stopped shrinking with F² below 45 nm (contacted gate and metal
 * pitch, fin quantisation). At 28 nm this gives 0.45 µm². Above 45 nm,
 * classic scaling ∝ F². Below 7 nm, extrapolated with the same k. */
#define GE_45NM_UM2 0.798
#define GE_7NM_UM2 0.08748

double memtech_ge_area_m2(double node_nm)
{
    if (!(node_nm > 0))
        return 0.0;
    if (node_nm >= 45.0)
        return GE_45NM_UM2 * 1e-12 * (node_nm / 45.0) * (node_nm / 45.0);
    double k = log(GE_45NM_UM2 / GE_7NM_UM2) / log(45.0 / 7.0);
    return GE_45NM_UM2 * 1e-12 * pow(node_nm / 45.0, k);
}

/* A flip-flop bit in GE: McPAT models a DFF as 5 NAND2 + 1 NAND3
 * (overheads/README.md §4) ≈ 6.25 GE (NAND3 ≈ 1.25 NAND2). Check: 4.3 µm²
 * at 40 nm against Aladdin's 5.98 µm²/bit (overheads.csv reg_bit_area),
 * 0.55 µm² at 7 nm against ASAP7 DFFHQNx1 0.29 µm² (asap7.csv). */
#define FF_GE 6.25

double memtech_ff_area_m2(double node_nm)
{
    return FF_GE * memtech_ge_area_m2(node_nm);
}

/* Clock energy of one flip-flop per clocked cycle, data held: 0.8 × 9 fJ at
 * 40 nm, 0.9 V (overheads/README.md §1: Aladdin's register bit is 9.0 fJ
 * per access, 88 % of it internal power incl. the clock pin; the README's
 * recommended E_ff,clk ≈ 0.8 × 9 fJ; overheads.csv
 * reg_bit_dynamic_energy_per_access, reg_bit_internal_power_share),
 * carried across nodes and supplies with the Stillmaker C·V² factor. At
 * 7 nm, 0.7 V this gives 0.57 fJ against ASAP7's 0.84 fJ
 * (asap7.csv dff_x1_clock_energy_per_cycle_hold_incl_pin): the two
 * sources agree within 1.5×. Excludes clock buffers and wires (k_tree). */
#define FF_CLK_40NM_J (0.8 * 9.0e-15)
/* The data part: a flip-flop whose Q toggles costs 12 % of Aladdin's 9 fJ
 * more (reg_bit_internal_power_share 0.88). */
#define FF_DATA_40NM_J (0.12 * 9.0e-15)
#define ALADDIN_NODE_NM 40.0
#define ALADDIN_VDD_V 0.9

/* An energy of Aladdin's 40 nm, 0.9 V library carried to node and V. */
static double from_aladdin(double e_J, double node_nm, double vdd_V)
{
    if (!(node_nm > 0) || !(vdd_V > 0))
        return 0.0;
    return e_J * energy_factor(node_nm, vdd_V) / energy_factor(ALADDIN_NODE_NM, ALADDIN_VDD_V);
}

double memtech_ff_clock_energy_J(double node_nm, double vdd_V)
{
    return from_aladdin(FF_CLK_40NM_J, node_nm, vdd_V);
}

double memtech_ff_data_energy_J(double node_nm, double vdd_V)
{
    return from_aladdin(FF_DATA_40NM_J, node_nm, vdd_V);
}

/* Energy of one gate equivalent per operation of the block it belongs to:
 * Horowitz's 32-bit integer add, 0.1 pJ at 45 nm, 0.9 V, over its 137 µm²
 * = 172 GE (tc: int32 add energy and area), i.e. 0.58 fJ per GE per
 * operation at the activity of an adder. Scaled like the other logic. */
double memtech_ge_energy_J(double node_nm, double vdd_V)
{
    if (!(node_nm > 0) || !(vdd_V > 0))
        return 0.0;
    double ge = ops[MEMTECH_OP_INT32_ADD].area_um2 / GE_45NM_UM2;
    return ops[MEMTECH_OP_INT32_ADD].energy_pJ * 1e-12 / ge * logic_scale(node_nm, vdd_V);
}

/* Clock gating residual: a gated-off ICGx1 still costs 0.18 fJ internal
 * plus its 2.2 fF clock pin, 1.07 fJ of C·V² at 0.7 V (overheads/README.md
 * "ASAP7": clock gating), = 1.25 fJ per cycle, against the flip-flops it
 * gates, 0.84 fJ each (asap7.csv). With one clock gate per 16-bit register
 * word (ASSUMED: gating is per register, the width of the narrowest
 * datapath word here), an idle gated block still costs
 * 1.25 / (16 × 0.84) = 9.3 % of its ungated clock energy. The ratio is
 * taken as node-independent (both scale with the same C·V²). */
#define FF_CLK_7NM_FJ 0.8375
#define FF_PER_ICG 16.0

double memtech_clock_gate_residual(void)
{
    return MEMTECH_ICG_CLK_FJ / (FF_PER_ICG * FF_CLK_7NM_FJ);
}

/* Logic leakage per m² of raw cell area at 300 K and 0.7 V, by threshold
 * flavour: ASAP7 NAND2x1 state-mean leakage over its area (asap7.csv
 * nand2_x1_leakage_density, TT 25 °C): SRAM-Vt 0.2586, RVT 1.043, LVT
 * 9.746 mW/mm². Cross-check: Aladdin's 40 nm "G" (general-purpose)
 * library leaks 12 mW/mm² (overheads.csv logic_leakage_density_derived),
 * the LVT class. Held constant across nodes (ASSUMED: per-width leakage
 * and area per gate shrink together); supply: ∝ V (I_off taken constant,
 * as memtech does for LSTP arrays); temperature: the CACTI I_off(T) law
 * memtech uses for memories, relative to 300 K. */
static const double leak_density_W_m2[MEMTECH_N_VT] = {
    [MEMTECH_VT_HIGH] = 0.2586e-3 / 1e-6,
    [MEMTECH_VT_REGULAR] = 1.043e-3 / 1e-6,
    [MEMTECH_VT_LOW] = 9.746e-3 / 1e-6,
};
#define LEAK_REF_VDD_V 0.7

double memtech_logic_leakage_W_per_m2(memtech_vt vt, double vdd_V, double temperature_K)
{
    if ((unsigned)vt >= MEMTECH_N_VT || !(vdd_V > 0))
        return 0.0;
    double t = temperature_K > 0 ? temperature_K : 300.0;
    return leak_density_W_m2[vt] * vdd_V / LEAK_REF_VDD_V * memtech_leakage_temperature_factor(t) /
           memtech_leakage_temperature_factor(300.0);
}

const char *memtech_vt_name(memtech_vt vt)
{
    return vt == MEMTECH_VT_HIGH ? "high-vt" : vt == MEMTECH_VT_REGULAR ? "regular-vt" : vt == MEMTECH_VT_LOW ? "low-vt" : "?";
}

/* Process classes: the device flavours a chip built in one gets by default.
 *   bulk_hp  high-performance bulk: ITRS HP memories, low-Vt logic
 *            (Aladdin's 40 nm "G" library leaks like ASAP7 LVT);
 *   bulk_lp  low-power bulk (e.g. 28 nm LP/HPL, 65 nm LP): LSTP memories,
 *            regular-Vt logic;
 *   fdsoi    FD-SOI (e.g. 28 nm FDSOI, 22FDX): LSTP memories, regular-Vt
 *            logic (as bulk_lp; the measured low-power SRAM retention
 *            leakage, 0.4–6 pW/bit, sits at CACTI's LSTP cell at 300 K:
 *            overheads/README.md §3);
 *   finfet   FinFET (14 nm and below): LOP memories (CACTI's ITRS tables
 *            have no FinFET device; LOP is their low-power logic device),
 *            regular-Vt logic (ASAP7 RVT is a FinFET library).
 * None of them defaults to the leakiest flavour unless the chip says
 * bulk_hp. */
void memtech_process_defaults(memtech_process p, memtech_flavor *mem, memtech_vt *logic)
{
    memtech_flavor f = MEMTECH_LSTP;
    memtech_vt v = MEMTECH_VT_REGULAR;
    if (p == MEMTECH_PROC_BULK_HP)
        f = MEMTECH_HP, v = MEMTECH_VT_LOW;
    else if (p == MEMTECH_PROC_FINFET)
        f = MEMTECH_LOP;
    if (mem)
        *mem = f;
    if (logic)
        *logic = v;
}
