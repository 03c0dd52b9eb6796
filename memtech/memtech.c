/* memtech — SRAM and STT-MRAM array costs: closed forms whose few
 * coefficients are fitted (tools/memtech_fit.c → memtech_coef.c) to CACTI 7
 * SRAM points at 32 and 65 nm and NVSim STT-MRAM points at 32 and 45 nm,
 * and whose node dependence is a scaling law, not a table: energy = C·V²
 * with C from cited per-node capacitances, area ∝ F² (below 32 nm the
 * cell is a published bitcell per node), delay ∝ F^b.
 *
 * The model, with F the node, N the bits of one bank, w the width, B banks,
 * s = F/32 nm, V the nominal supply (table below), V32 its value at 32 nm:
 *   E_read  = (V/V32)²·s·[ κg·(w·rd0 + rd2·Nsub + rd3·√N) + κw·w·rd1·N_eff^γ ]
 *   E_write = same with wr*           (+ w·E_mtj for STT: MTJ switching)
 *   area    = F²·B·[ N·cell_F2/area0 + (area1·w + area2)·√N ]   (32-90 nm;
 *             below, B·[ N·cell(F)/area0 + (area1·w + area2)·√N·F² ] with
 *             cell(F) from sram_cell)
 *   leakage = leak0 · N_total · s^leak1                (STT: see below)
 *   t_read  = s^aT · (lat0 + lat1·√N_eff);  cycle = s^aT·(cyc0 + cyc1·√N)
 * The four energy terms:
 *   w·rd0       sense amplifiers and output latches, one per bit read;
 *   w·N_eff^γ   the data H-tree: w wires across a bank whose side grows as
 *               √N, plus the column circuitry behind each bit (γ ≈ 0.6–0.7
 *               fitted: wider banks also mux more columns per output bit);
 *   Nsub        the bitlines and wordline of the section one access fires:
 *               a wordline swings every column of its subarray, so this
 *               energy grows ∝ N while the array is one section and stops
 *               growing once the array is tiled from full-size sections,
 *               Nsub = N/(1 + N/sub_bits) (sub_bits fitted);
 *   √N          row decoders, wordline drivers, address distribution.
 * Node law: E = C·V²; the transistor-dominated terms (sense amps, cell
 * bitline/wordline loads, decoders) scale with κg = F·c_gate(F)/(32 nm·
 * c_gate(32)), the H-tree with κw = F·c_wire(F)/(32 nm·c_wire(32)), both
 * from CACTI's per-node device and wire tables below; no node exponent is
 * fitted, so the 32→65 nm scaling is a prediction (the leave-one-node-out
 * check in tests/test_memtech.c fits one node and predicts the other).
 * STT-MRAM node law: its coefficients come from NVSim, whose read energy
 * does not follow CACTI's tables (they predicted 1.2–3.1× NVSim at 45 nm).
 * Its sense term w·rd0 is current-mode sensing, a bias current drawn for
 * the sensing time, not a switched capacitance: it scales with NVSim's
 * per-node sense-amplifier table (stt_node_table below), which grows as
 * the node shrinks. Every other STT term (decoders, bitlines, H-tree, write
 * drivers: the periphery) scales as s^b_stt·(V_N(F)/V_N(32))² with NVSim's
 * own supplies V_N; b_stt, one exponent for both flavours, is fitted on
 * the 32 and 45 nm points jointly. The MTJ write energy is the cell's.
 * Below 32 nm the SRAM cell is not 146 F² but a published high-density
 * bitcell per node (sram_cell below), and the array area and H-tree length
 * follow it: see "Below 32 nm: published SRAM cells". Nodes below 16 nm
 * (FinFET, down to 7 nm) also replace F-scaled capacitance, periphery area
 * and the leakage law by cited per-node data: see "7-16 nm: FinFET nodes"
 * below. From 32 nm up nothing here changes.
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
 *   held at 0.6 V below 32 nm, as CACTI does from 32 to 22 nm.
 * 7-16 nm (FinFET; the 7 nm row): HP held at CACTI's 16 nm 0.7 V, which is
 *   what FinFET kits quote at 7 nm: ASAP7 nominal 0.7 V (shared/reference/
 *   overheads/asap7.csv, stdcell_lib_nom_voltage and sram_lib_nom_voltage),
 *   PTM-MG 7 nm HP 0.7 V (tech_constants.csv ptm_hp_nominal_vdd,7), Villa
 *   SC14 Table II 0.7 V at 7 nm (tech_constants.csv wire_energy_scaling_
 *   vs_28nm,7). Linear extrapolation of CACTI's 22->16 nm step would give
 *   0.55 V at 7 nm, below every one of them. LOP: EXTRAPOLATED, held at
 *   0.6 V as CACTI holds it from 32 to 16 nm (no FinFET LOP source). */
static const struct { double node_nm, hp_V, lop_V; } vdd_table[] = {
    {7, 0.7, 0.6},   /* FinFET nodes, below */
    {16, 0.7, 0.6}, {22, 0.8, 0.6}, {32, 0.9, 0.6},
    {45, 1.0, 0.7}, {65, 1.1, 0.8}, {90, 1.2, 0.9},
};
#define N_VDD ((int)(sizeof vdd_table / sizeof vdd_table[0]))

/* Cells in F² (cell files used by the reference runs, shared/reference/
 * memtech/README.md): CACTI/NVSim SRAM.cell 6T = 146 F²; NVSim
 * sample_STTRAM.cell 1T1MTJ = 54 F². Used as such from 32 nm up; below,
 * the SRAM cell is read from sram_cell and STT keeps the 54/146 ratio. */
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

/* STT-MRAM node law (header comment), from NVSim at the commit of the
 * reference runs (SEAL-UCSB/NVSim 6334d00, shared/reference/memtech/README.md):
 *  sense_J  SenseAmp.cpp, CalculatePower: read energy of the current-sensing
 *           I-V converter per sense amplifier, "achieved from HSPICE":
 *           12.56e-14 J at 32 nm, 10.26e-14 at 45, 9.00e-14 at 65,
 *           8.72e-14 at 90, 15e-14 below 32 nm (used at 22). Its sensing time
 *           grows likewise (1.45, 1.07, 0.80, 0.62, 0.53 ns, CalculateLatency):
 *           bias current × time, so smaller nodes sense slower and dearer.
 *  hp_V, lop_V  Technology.cpp nominal vdd (MASTAR 5 device files): HP 0.9,
 *           0.9, 1.0, 1.1, 1.2 V; LOP 0.5, 0.7, 0.7, 0.8, 0.9 V at 22, 32,
 *           45, 65, 90 nm. Why NVSim's, not CACTI's (vdd_table): NVSim's
 *           SRAM periphery energy at 45 vs 32 nm is 1.66× (hp) and 1.34× (lop)
 *           at every capacity and width of nvsim_subset.csv/nvsim_45nm.csv;
 *           these supplies account for the flavour difference (1.66·(0.9/1.0)²
 *           = 1.34 = 1.34·(0.7/0.7)²), CACTI's (0.6 V LOP at 32 nm) and its
 *           κg (2.2×, 2.6×) do not.
 * NVSim picks one table row per node range; here linear in node between
 * the entries, held at the 22 and 90 nm values outside them. Both enter as
 * ratios to 32 nm only: the nominal supply an off-nominal chip.mem_vdd_V is
 * relative to stays memtech_vdd_V's (CACTI's). */
static const struct { double node_nm, sense_J, hp_V, lop_V; } stt_node_table[] = {
    {22, 15e-14, 0.9, 0.5}, {32, 12.56e-14, 0.9, 0.7}, {45, 10.26e-14, 1.0, 0.7},
    {65, 9.00e-14, 1.1, 0.8}, {90, 8.72e-14, 1.2, 0.9},
};
#define N_STT_NODE ((int)(sizeof stt_node_table / sizeof stt_node_table[0]))

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

/* Capacitance per node, CACTI 7 technology data (HewlettPackard/cacti,
 * tech_params/{22,32,45,65,90}nm.dat; their 32 nm LOP V_dd and I_off rows
 * are the technology.cc values used above and below).
 * Devices: gate capacitance per µm of width as CACTI's gate_C() computes
 * it (basic_circuit.cc): C_g_ideal + C_overlap + 3·C_fringe with
 * C_overlap = 0.2·C_g_ideal (technology.cc); columns hp, lop (F/µm).
 * Wires: the semi-global wires the reference runs used inside and outside
 * the mats, conservative projection (tech_params column "1/1": pitch 4F,
 * aspect ratio 2, miller 1.5, vertical dielectric 3.9, fringe 0.115 fF/µm;
 * horizontal dielectric and ILD thickness per node below), through CACTI's
 * wire_capacitance(): 2ε0·(ε_v·width/ILD + miller·ε_h·thickness/spacing)
 * + fringe, width = spacing = pitch/2. CACTI has no 16 nm file at that
 * commit (16nm.dat: "Invalid technology nodes"), so below 22 nm both are
 * held at their 22 nm values; between entries, linear in node. */
static const struct {
    double node_nm;
    double cg_hp, cf_hp, cg_lop, cf_lop;   /* C_g_ideal, C_fringe (F/µm) */
    double eps_h, ild_um;                  /* semi-global wire, 1/1 column */
} cap_table[] = {
    {22, 3.27e-16, 6e-17, 3.16e-16, 8e-17, 2.104, 0.15},
    {32, 5.34e-16, 4e-17, 4.54e-16, 5.7e-17, 2.214, 0.21},
    {45, 6.78e-16, 5e-17, 6.2e-16, 7.3e-17, 2.46, 0.315},
    {65, 4.69e-16, 7.7e-17, 6.0e-16, 8e-17, 2.734, 0.405},
    {90, 6.64e-16, 8e-17, 8.45e-16, 8e-17, 3.038, 0.48},
};
#define N_CAP ((int)(sizeof cap_table / sizeof cap_table[0]))
#define EPS0_F_PER_UM   8.854e-18   /* CACTI const.h PERMITTIVITY_FREE_SPACE */
#define WIRE_PITCH_F    4.0
#define WIRE_ASPECT     2.0
#define WIRE_MILLER     1.5
#define WIRE_EPS_V      3.9
#define WIRE_FRINGE_F_PER_UM 1.15e-16

static double gate_c(int i, int lop)
{
    double cg = lop ? cap_table[i].cg_lop : cap_table[i].cg_hp;
    double cf = lop ? cap_table[i].cf_lop : cap_table[i].cf_hp;
    return 1.2 * cg + 3.0 * cf;
}

static double wire_c(int i)
{
    double pitch = WIRE_PITCH_F * cap_table[i].node_nm * 1e-3;   /* µm */
    double width = pitch / 2, spacing = pitch - width, thick = WIRE_ASPECT * width;
    return 2 * EPS0_F_PER_UM * (WIRE_EPS_V * width / cap_table[i].ild_um +
                                WIRE_MILLER * cap_table[i].eps_h * thick / spacing) +
           WIRE_FRINGE_F_PER_UM;
}

/* Capacitance per µm at node F (gate of flavour lop, or wire), interpolated. */
static double cap_per_um(double node_nm, int lop, int wire)
{
    if (node_nm <= cap_table[0].node_nm)
        return wire ? wire_c(0) : gate_c(0, lop);
    int i = 0;
    while (i < N_CAP - 2 && node_nm > cap_table[i + 1].node_nm)
        i++;
    double y0 = wire ? wire_c(i) : gate_c(i, lop), y1 = wire ? wire_c(i + 1) : gate_c(i + 1, lop);
    double x0 = cap_table[i].node_nm, x1 = cap_table[i + 1].node_nm;
    return y0 + (y1 - y0) * (node_nm - x0) / (x1 - x0);
}

/* ---- Below 32 nm: published SRAM cells ---------------------------------
 * The fitted model's cell, CACTI's 146 F² 6T, is right at 32 nm (146 F² =
 * 0.1495 µm²; the reference points are at 32 and 65 nm) but optimistic
 * below it: published high-density 6T cells are 158 F² at 28 nm, 186 F² at
 * 22, 273 F² at 16, 313 F² at 14 and 551 F² at 7 nm. So below 32 nm
 * (CELL_TABLE_BELOW_NM) the SRAM cell's area (µm²) is read from the table
 * below, linear in node between its rows; the 32 nm row is the model's own
 * 146 F², so every quantity is continuous at 32 nm and unchanged from 32 nm
 * up. What follows the cell:
 *  array area  N·cell/efficiency (area0, fitted at 32/65 nm) per bank;
 *            the periphery (√N term) keeps F² down to 16 nm and Stillmaker's
 *            logic area factor below (FinFET block).
 *  H-tree energy (κw)  wire length ∝ the array's side ∝ √(cell area): κw =
 *            (V/V32)²·√(cell(F)/cell(32))·c_wire(F)/c_wire(32) instead of
 *            the F/32 of a 146 F² cell (the FinFET block below multiplies
 *            the capacitance per length by Villa's factor).
 *  not       the transistor terms (κg: sense amplifiers, decoders, the
 *            cells' bitline/wordline device loads, which the model prices
 *            with the gate capacitance, not as wire), delays (F^a, fitted at
 *            32/65 nm), leakage per bit.
 *  STT-MRAM  its cell keeps the 54/146 ratio to the SRAM cell (ASSUMED; no
 *            MTJ cell below 32 nm in shared/reference); its energy law has
 *            no cell-geometry term (NVSim's node law, below), so only its
 *            area follows.
 * Rows (µm², cell only; the mean of the published HD cells at the node,
 * shared/reference/tech_constants.csv rows named):
 *   7 nm  0.027   TSMC N7 HD, 256 Mb test chip (Chang et al., ISSCC 2017);
 *                 sram_bitcell_hd_tsmc,7.
 *   10 nm 0.0312  Intel 10 nm HD (Auth et al., IEDM 2017; Guo et al., ISSCC
 *                 2018), as reported by WikiChip ("IEDM 2017 + ISSCC 2018:
 *                 Intel's 10nm", D. Schor, 2018); not in tech_constants.csv.
 *   14 nm 0.0614  mean of Intel 14 nm HD 0.0588 (sram_bitcell_hd_intel,14)
 *                 and Samsung/GF 14LPE/LPP HD 0.064 (sram_bitcell_hd_
 *                 samsung_gf,14).
 *   16 nm 0.070   TSMC 16 nm FinFET 128 Mb demo (Chen et al., JSSC 2015);
 *                 sram_bitcell_hd_tsmc,16.
 *   22 nm 0.090   mean of Intel 22 nm (P1270) HD 0.092 (sram_bitcell_hd_
 *                 intel,22) and Intel 22FFL HD 0.088 (sram_bitcell_hd_
 *                 intel22ffl,22). Both are FinFET; 22 nm planar cells
 *                 (e.g. GF 22FDX) are not in tech_constants.csv.
 *   28 nm 0.1237  mean of TSMC 0.127, Samsung/GF 0.12, UMC 0.124 (sram_
 *                 bitcell_hd_tsmc, _common_platform, _umc; 28) = 0.371/3.
 *   32 nm 0.14950 146 F² × (32 nm)², the model's cell (CACTI SRAM.cell), so
 *                 area is continuous at 32 nm. Not a published-cell row:
 *                 published 32 nm cells found are larger (Intel 0.171 µm²,
 *                 291 Mb test chip, IEDM 2008; IBM 0.157 µm²; as reported by
 *                 www.tomshardware.com/news/intel-32nm-processors-iedm,6550
 *                 .html and www.theregister.co.uk/2008/10/30/intel_amd_at_
 *                 iedm/); none is in tech_constants.csv, and the model
 *                 fitted to CACTI at 32 nm is kept.
 * Between rows the cell is interpolated (e.g. 12 nm, 18-21, 23-27, 29-31).
 * Cross-check (tests/test_memtech.c): ASAP7's 7 nm 64 kbit bank, periphery
 * included, is 0.0360 µm²/bit (asap7.csv sram_bank_256x4x64_area_per_bit). */
#define CELL_TABLE_BELOW_NM 32.0
static const struct { double node_nm, um2; } sram_cell[] = {
    {7, 0.027},
    {10, 0.0312},
    {14, (0.0588 + 0.064) / 2},
    {16, 0.070},
    {22, (0.092 + 0.088) / 2},
    {28, (0.127 + 0.12 + 0.124) / 3},
    {32, 146.0 * 0.032 * 0.032},
};
#define N_SRAM_CELL ((int)(sizeof sram_cell / sizeof sram_cell[0]))

/* ---- 7-16 nm: FinFET nodes ---------------------------------------------
 * The laws above (CACTI's planar ITRS tables, area ∝ F² for the periphery,
 * the published cells of sram_cell) price every node from 16 nm up. Below
 * 16 nm (FINFET_BELOW_NM) three more things change, each relative to the
 * model's own 16 nm value so the node law is continuous at 16 nm (the cell
 * itself is sram_cell's, continuous at every row):
 *  periphery area  scales with Stillmaker & Baas's logic area factor
 *            (finfet_node below), not F²: FinFET logic shrinks slower too.
 *  energy    transistor terms (κg): C·V² with the device capacitance from
 *            Stillmaker & Baas's PTM energy factors, C ∝ EF(V_PTM)/V_PTM²
 *            at each node's PTM nominal supply; H-tree (κw): wire length ∝
 *            the cell pitch √(cell area) as from 32 nm down (sram_cell),
 *            capacitance per length from Villa SC14's fixed-length wire
 *            energy ÷ its V² (finfet_node) relative to CACTI's 16 nm value
 *            (held at 22 nm). STT periphery: the SRAM κg factor, relative to
 *            STT's own 16 nm value (NVSim's sense table holds its 22 nm row).
 *  leakage   per bit HELD at its 16 nm value (per flavour): the fitted
 *            s^leak1 laws come from planar 32/65 nm points, and extrapolated
 *            to 7 nm the LOP one (exponent −1.27) would leak 2.5× more per
 *            bit than at 16 nm and more than HP. ASSUMED, not sourced: no
 *            FinFET SRAM leakage per bit is in shared/reference (the ASAP7
 *            banks' leakage is not characterised, asap7.csv sram_bank_leakage).
 *            Supply and temperature factors apply as above.
 * Delays keep the F^a_delay law (EXTRAPOLATED; Stillmaker's FO4 delay
 * factor 7/16 nm, 0.51, is within 16 % of (7/16)^1 = 0.44). */
#define FINFET_BELOW_NM 16.0

/* Per-node FinFET factors (shared/reference/tech_constants.csv):
 *  ef_a, ef_b, ef_c, v_ptm  Stillmaker & Baas, Integration 58:74-81, 2017,
 *           HP PTM energy factor EF(V) = a·V² + b·V + c (rows stillmaker_
 *           energy_coef_{a,b,c}) at the PTM nominal supply (rows ptm_hp_
 *           nominal_vdd: 0.85, 0.8, 0.75, 0.7 V at 16, 14, 10, 7 nm).
 *           Device capacitance ∝ EF/V²: 0.1917, 0.1504, 0.1249, 0.0976 at 16,
 *           14, 10, 7 nm (7/16 nm: 0.51; (7/16)·C/µm held would be 0.44).
 *           Stillmaker models logic; here it prices the SRAM periphery
 *           (sense amplifiers, decoders, drivers) and, ASSUMED, the cell's
 *           bitline/wordline device loads.
 *  area     Stillmaker & Baas area factor vs 45 nm (rows stillmaker_area_
 *           factor_vs_45nm: 0.19, 0.17, 0.1, 0.059).
 *  villa, v_villa  Villa et al., SC14, Table II: fixed-length wire energy vs
 *           28 nm at each node's nominal supply (rows wire_energy_scaling_
 *           vs_28nm: 0.89 @ 0.85 V at 20 nm, 0.75 @ 0.75 V at 14, 0.62 @
 *           0.725 V at 10, 0.46 @ 0.7 V at 7; 28 nm is 0.9 V). Capacitance
 *           per length ∝ villa/(v_villa/0.9)²; Villa has no 16 nm row, so the
 *           16 nm row holds the 20 nm one and 16 nm is interpolated from the
 *           20 and 14 nm values (DERIVED: 0.998 + (1.080 − 0.998)·4/6). */
static const struct {
    double node_nm, ef_a, ef_b, ef_c, v_ptm, area, villa, v_villa;
} finfet_node[] = {
    {7, 0.1776, -0.09097, 0.02447, 0.7, 0.059, 0.46, 0.7},
    {10, 0.2068, -0.09311, 0.02375, 0.75, 0.1, 0.62, 0.725},
    {14, 0.2363, -0.09675, 0.02239, 0.8, 0.17, 0.75, 0.75},
    {16, 0.2958, -0.1241, 0.03024, 0.85, 0.19, 0.89, 0.85},   /* villa: the 20 nm row */
};
#define N_FINFET_NODE ((int)(sizeof finfet_node / sizeof finfet_node[0]))

static double lerp_node(double x, double x0, double x1, double y0, double y1)
{
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

/* SRAM bitcell area (m²) at node F: sram_cell below 32 nm, 146 F² above. */
static double sram_cell_m2(double node_nm)
{
    if (node_nm >= CELL_TABLE_BELOW_NM)
        return cell_F2[0] * node_nm * 1e-9 * node_nm * 1e-9;
    int i = 0;
    while (i < N_SRAM_CELL - 2 && node_nm > sram_cell[i + 1].node_nm)
        i++;
    return 1e-12 * lerp_node(node_nm, sram_cell[i].node_nm, sram_cell[i + 1].node_nm,
                             sram_cell[i].um2, sram_cell[i + 1].um2);
}

/* Column col of finfet_node at row i: 0 device capacitance (EF/V²), 1 logic
 * area factor, 2 wire capacitance per length. */
static double finfet_col(int i, int col)
{
    double v = finfet_node[i].v_ptm;
    if (col == 0)
        return (finfet_node[i].ef_a * v * v + finfet_node[i].ef_b * v + finfet_node[i].ef_c) / (v * v);
    if (col == 1)
        return finfet_node[i].area;
    double r = finfet_node[i].v_villa / 0.9, c = finfet_node[i].villa / (r * r);
    if (finfet_node[i].node_nm == 16) {   /* 20 nm row: interpolate to 16 nm with the 14 nm row */
        double r14 = finfet_node[i - 1].v_villa / 0.9, c14 = finfet_node[i - 1].villa / (r14 * r14);
        c = lerp_node(16, 20, 14, c, c14);
    }
    return c;
}

/* Factor col (finfet_col) at node F in [7, 16] nm relative to its 16 nm value. */
static double finfet_rel(double node_nm, int col)
{
    int i = 0;
    while (i < N_FINFET_NODE - 2 && node_nm > finfet_node[i + 1].node_nm)
        i++;
    double y = lerp_node(node_nm, finfet_node[i].node_nm, finfet_node[i + 1].node_nm,
                         finfet_col(i, col), finfet_col(i + 1, col));
    return y / finfet_col(N_FINFET_NODE - 1, col);
}

/* Column col (1 sense energy, 2 HP supply, 3 LOP supply) of stt_node_table
 * at node F, interpolated. */
static double stt_node_at(double node_nm, int col)
{
    int i = 0;
    while (i < N_STT_NODE - 2 && node_nm > stt_node_table[i + 1].node_nm)
        i++;
    double x0 = stt_node_table[i].node_nm, x1 = stt_node_table[i + 1].node_nm;
    double x = fmin(fmax(node_nm, stt_node_table[0].node_nm), stt_node_table[N_STT_NODE - 1].node_nm);
    double y0 = col == 1 ? stt_node_table[i].sense_J : col == 2 ? stt_node_table[i].hp_V : stt_node_table[i].lop_V;
    double y1 = col == 1 ? stt_node_table[i + 1].sense_J
                         : col == 2 ? stt_node_table[i + 1].hp_V : stt_node_table[i + 1].lop_V;
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

void memtech_eval(const memtech_coef *k, const memtech_array *a, memtech_cost *c)
{
    int stt = a->tech == MEMTECH_STT;
    int fl = a->flavor == MEMTECH_LOP;
    const memtech_tech_coef *t = stt ? &k->stt[fl] : &k->sram[fl];
    double F = a->node_nm, s = F / MEMTECH_REF_NODE_NM;
    /* FinFET nodes (below 16 nm): the planar laws are evaluated at 16 nm
     * (Fp, sp) and the FinFET factors carry them down (see finfet_node) */
    int finfet = F < FINFET_BELOW_NM;
    double Fp = finfet ? FINFET_BELOW_NM : F, sp = Fp / MEMTECH_REF_NODE_NM;
    double B = a->banks, w = a->width_bits;
    double n_tot = a->capacity_bytes * 8.0, n = n_tot / B;
    double rn = sqrt(n), rn_eff = rn + BANK_ROUTE_KAPPA * (sqrt(n_tot) - rn);
    double v = memtech_vdd_V(F, a->flavor) / memtech_vdd_V(MEMTECH_REF_NODE_NM, a->flavor);
    double kg = sp * v * v * cap_per_um(Fp, fl, 0) / cap_per_um(MEMTECH_REF_NODE_NM, fl, 0);
    double kw = sp * v * v * cap_per_um(Fp, fl, 1) / cap_per_um(MEMTECH_REF_NODE_NM, fl, 1);
    /* below 32 nm: the published SRAM cell (sram_cell); the H-tree's length
     * follows √(cell), replacing the F/32 (sp) of a 146 F² cell at Fp */
    int celltab = F < CELL_TABLE_BELOW_NM;
    double cell_m2 = celltab ? sram_cell_m2(F) : 0;
    if (celltab)
        kw *= sqrt(cell_m2 / sram_cell_m2(MEMTECH_REF_NODE_NM)) / sp;
    if (finfet) {
        kg *= finfet_rel(F, 0);
        kw *= finfet_rel(F, 2);
    }
    double ksense = kg;   /* the per-bit sense term */
    if (stt) {
        double vn = stt_node_at(Fp, 2 + fl) / stt_node_at(MEMTECH_REF_NODE_NM, 2 + fl);
        kg = kw = pow(sp, k->b_stt) * vn * vn;
        if (finfet) {
            double vr = memtech_vdd_V(F, a->flavor) / memtech_vdd_V(FINFET_BELOW_NM, a->flavor);
            kg = kw = kg * finfet_rel(F, 0) * vr * vr;
        }
        ksense = stt_node_at(F, 1) / stt_node_at(MEMTECH_REF_NODE_NM, 1);
    }
    double sT = pow(s, k->a_delay[fl]);
    double F_m = F * 1e-9;

    double nsub = n / (1.0 + n / k->sub_bits[stt]);
    c->read_energy_J = ksense * w * t->rd[0] + kg * (t->rd[2] * nsub + t->rd[3] * rn) +
                       kw * w * t->rd[1] * pow(rn_eff, 2.0 * t->gamma_rd);
    c->write_energy_J = kg * (w * t->wr[0] + t->wr[2] * nsub + t->wr[3] * rn) +
                        kw * w * t->wr[1] * pow(rn_eff, 2.0 * t->gamma_wr);
    if (!celltab) {
        c->area_m2 = F_m * F_m * B *
                     (n * cell_F2[stt] / t->area[0] + (t->area[1] * w + t->area[2]) * rn);
    } else {   /* the published cell; periphery ∝ F² down to 16 nm, Stillmaker's factor below */
        double cell = cell_m2 * (stt ? cell_F2[1] / cell_F2[0] : 1.0);
        double periph_m2 = finfet ? FINFET_BELOW_NM * 1e-9 * FINFET_BELOW_NM * 1e-9 * finfet_rel(F, 1)
                                  : F_m * F_m;
        c->area_m2 = B * (n * cell / t->area[0] + (t->area[1] * w + t->area[2]) * rn * periph_m2);
    }
    c->leakage_W = t->leak[0] * n_tot * pow(sp, t->leak[1]);   /* held below 16 nm */
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

/* v within [lo, hi] up to a relative 1e-9: bounds are multiples of a
 * nominal supply, and 1.5 × 0.6 V is 0.8999999999999999 in binary, so an
 * exact compare rejected a 0.9 V supply at 28 nm LOP. */
static int supply_in(double v, double lo, double hi)
{
    const double rel = 1e-9;
    return v >= lo * (1 - rel) && v <= hi * (1 + rel);
}

snnex_status memtech_array_cost(const memtech_array *a, memtech_cost *c, snnex_err *err)
{
    memset(c, 0, sizeof *c);
    if (a->tech != MEMTECH_SRAM && a->tech != MEMTECH_STT && a->tech != MEMTECH_SCM)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                             "memory technology must be sram, stt or scm (got %d)", (int)a->tech);
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
    if (a->tech == MEMTECH_SCM) {
        /* latches on the logic supply: the flavour's nominal by default;
         * timing as an SRAM of the same organisation (ASSUMED: no faster) */
        double v = a->vdd_V != 0 ? a->vdd_V
                                 : a->flavor == MEMTECH_LSTP ? lstp_vdd_V(a->node_nm) : memtech_vdd_V(a->node_nm, a->flavor);
        if (!supply_in(v, 0.3, 1.5))
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "scm supply must be 0.3-1.5 V (got %g V)", v);
        memtech_array b = *a;
        b.tech = MEMTECH_SRAM;
        b.vdd_V = 0;
        snnex_status st = memtech_array_cost(&b, c, err);
        if (st)
            return st;
        memtech_scm_cost(a, v, c);
        return SNNEX_OK;
    }
    if (a->flavor == MEMTECH_LSTP) {
        double vl = lstp_vdd_V(a->node_nm), v = a->vdd_V != 0 ? a->vdd_V : vl;
        if (!supply_in(v, 0.3, 1.5 * vl))
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
    if (a->vdd_V != 0 && !supply_in(a->vdd_V, 0.5 * vnom, 1.5 * vnom))
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
    return k == MEMTECH_STT ? "stt" : k == MEMTECH_SRAM ? "sram" : k == MEMTECH_SCM ? "scm" : "?";
}

const char *memtech_flavor_name(memtech_flavor f)
{
    return f == MEMTECH_LOP ? "lop" : f == MEMTECH_HP ? "hp" : f == MEMTECH_LSTP ? "lstp" : "?";
}
