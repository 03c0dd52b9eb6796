/* memtech logic — energy and area of arithmetic operations, wires and
 * routers, scaled from cited reference nodes. "tc:" = a row of
 * shared/reference/tech_constants.csv. */
#include "memtech/memtech.h"

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
    double s = node_nm / HOROWITZ_NODE_NM;
    return ops[op].area_um2 * 1e-12 * s * s;
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

/* Router area: ESTIMATE (no cited router area found). A 5-port mesh router
 * per bit of width: per port a 2-entry input FIFO (2 flip-flops ≈ 2 × 4.5
 * gate equivalents) and a 5:1 output mux (≈ 3 GE) → ≈ 12 GE per bit per
 * port. One GE = NanGate 45 nm NAND2_X1 = 0.798 µm², scaled by (node/45)². */
#define ROUTER_PORTS 5
#define ROUTER_GE_PER_BIT_PORT 12.0
#define GE_45NM_UM2 0.798

double memtech_router_area_m2(double node_nm, int width_bits)
{
    if (!(node_nm > 0) || width_bits <= 0)
        return 0.0;
    double s = node_nm / 45.0;
    return ROUTER_PORTS * ROUTER_GE_PER_BIT_PORT * GE_45NM_UM2 * 1e-12 * s * s * width_bits;
}
