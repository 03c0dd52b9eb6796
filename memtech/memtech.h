/* memtech — prices actions: closed-form, cited models of what one memory
 * access, one logic operation, one bit over a wire or through a router
 * costs, as functions of technology node, supply, capacity, width and banks.
 * Models elsewhere count actions; memtech never knows about layers.
 * Everything here is SI: J, W, m², s (pJ/mm²/ns only at the CLI edge). */
#ifndef SNNEX_MEMTECH_H
#define SNNEX_MEMTECH_H

#include "common/common.h"

/* ---- on-chip arrays: SRAM and STT-MRAM -------------------------------- */

/* scm: standard-cell memory, a latch array of the logic library (scm.c);
 * its area is raw cell area (the caller places it like logic) and its
 * leakage the logic leakage of its cells */
typedef enum { MEMTECH_SRAM = 0, MEMTECH_STT = 1, MEMTECH_SCM = 2 } memtech_kind;   /* = snnex_mem_tech */
typedef enum { MEMTECH_HP = 0, MEMTECH_LOP = 1, MEMTECH_LSTP = 2 } memtech_flavor; /* = snnex_mem_flavor */

/* Valid ranges of memtech_array_cost (inclusive). Node: 7–90 nm. The
 * CACTI/ITRS tables cover 16–90 nm and its 146 F² cell 32–90 nm; below
 * 32 nm the SRAM cell is a published high-density bitcell (7, 10, 14, 16,
 * 22, 28 nm, interpolated between), and below 16 nm FinFET laws take over
 * (Stillmaker & Baas and Villa SC14 node factors at 7/10/14 nm; what is
 * extrapolated is marked in memtech.c). Capacity: 256 B … 1 GiB. Width: 1 … 4096 bits. Banks:
 * 1 … 1024, and each bank must hold at least one word. */
#define MEMTECH_NODE_MIN_NM      7.0
#define MEMTECH_NODE_MAX_NM      90.0
#define MEMTECH_CAPACITY_MIN_B   256.0
#define MEMTECH_CAPACITY_MAX_B   1073741824.0
#define MEMTECH_WIDTH_MAX_BITS   4096
#define MEMTECH_BANKS_MAX        1024
#define MEMTECH_TEMP_MIN_K       300.0
#define MEMTECH_TEMP_MAX_K       400.0
#define MEMTECH_TEMP_REF_K       360.0

typedef struct {
    memtech_kind tech;
    memtech_flavor flavor;   /* devices: ITRS high-performance, low-operating-power, or
                              * low-standby-power (LSTP: priced as LOP with CACTI's
                              * LSTP/LOP off-current, supply and drive ratios; memtech.c) */
    double node_nm;          /* feature size F */
    double capacity_bytes;   /* total, all banks */
    int width_bits;          /* bits per access (one port) */
    int banks;               /* >= 1; equal banks, one active per access */
    double vdd_V;            /* supply; 0 = the flavour's nominal (memtech_vdd_V) */
    double temperature_K;    /* junction temperature for leakage, 300-400 K; 0 = 360 K,
                              * the temperature of the CACTI reference points */
} memtech_array;

typedef struct {
    double read_energy_J, write_energy_J;  /* per access of width_bits */
    double leakage_W;        /* whole array, powered; STT: idle mats power-gated (memtech.c) */
    double area_m2;
    double read_latency_s, write_latency_s, cycle_time_s;
} memtech_cost;

/* Cost of one array. Returns SNNEX_OK, or SNNEX_EINVAL with a message naming
 * the valid range when a field is outside it (c is then zeroed). Cheap: a
 * few pow/sqrt calls, no allocation; safe to call from many threads. err
 * may be NULL. */
snnex_status memtech_array_cost(const memtech_array *a, memtech_cost *c, snnex_err *err);

/* Leakage at temperature_K relative to 360 K (CACTI 7 ITRS I_off table,
 * memtech.c); clamped to 300-400 K. */
double memtech_leakage_temperature_factor(double temperature_K);

/* Nominal supply (V) that the array model assumes for node and flavour
 * (CACTI 7 ITRS table, interpolated linearly in node; below 16 nm held at
 * CACTI's 16 nm 0.7 V hp / 0.6 V lop, memtech.c). */
double memtech_vdd_V(double node_nm, memtech_flavor flavor);

const char *memtech_kind_name(memtech_kind k);       /* "sram", "stt", "scm" */
const char *memtech_flavor_name(memtech_flavor f);   /* "hp", "lop" */

/* ---- reference points (CACTI 7 / NVSim CSVs in shared/reference) ------ */

/* One row of cacti_subset.csv, nvsim_subset.csv or nvsim_45nm.csv, in SI units. Columns a
 * tool does not report are NAN (CACTI: write latency; NVSim: cycle time). */
typedef struct {
    char tool[16];           /* "CACTI-7" or "NVSim" */
    char cell[32];           /* CSV cell column: itrs-hp, SRAM_lop, STT-MRAM_hp, STT-MRAM-aggr_lop … */
    int aggressive;          /* NVSim sample_STTRAM_aggressive cell: not what MEMTECH_STT models */
    memtech_array a;         /* banks = 1 */
    memtech_cost ref;
} memtech_ref_point;

/* Default location of the reference CSVs, relative to the repository root. */
#define MEMTECH_REF_DIR_DEFAULT "../shared/reference/memtech"

/* Load DIR/cacti_subset.csv, DIR/nvsim_subset.csv and DIR/nvsim_45nm.csv
 * (all three required) into a malloc'ed array (free with free()). Errors
 * carry FILE:LINE. */
snnex_status memtech_ref_load(const char *dir, memtech_ref_point **pts, int *n,
                              snnex_err *err);

/* ---- off-chip DRAM ------------------------------------------------------ */

typedef struct {
    const char *name;
    double rd_energy_J_per_bit, wr_energy_J_per_bit; /* row-hit data movement + IO */
    double act_energy_J_per_bit; /* extra per bit on a row miss (activate/precharge amortised) */
    double row_bytes;            /* row (page) opened by one activate on a channel */
    double background_W;         /* per channel */
    double bandwidth_Bps;        /* peak per channel */
    const char *source;
} memtech_dram;

/* Case-insensitive lookup ("hbm2", "LPDDR4X" …); NULL if unknown. */
const memtech_dram *memtech_dram_find(const char *name);
int memtech_dram_count(void);
const memtech_dram *memtech_dram_at(int i);   /* NULL outside 0..count-1 */

/* Energy of moving bits (reads or writes) with the given row-buffer hit
 * rate in [0,1] (clamped): bits·(rd|wr + (1−hit)·act). Background power is
 * separate (background_W × time). */
double memtech_dram_energy_J(const memtech_dram *d, double bits, int is_write,
                             double row_hit_rate);

/* ---- logic, wires, routers ---------------------------------------------- */

typedef enum {
    MEMTECH_OP_FP16_ADD, MEMTECH_OP_FP16_MUL, MEMTECH_OP_FP32_ADD, MEMTECH_OP_FP32_MUL,
    MEMTECH_OP_INT8_ADD, MEMTECH_OP_INT16_ADD, MEMTECH_OP_INT32_ADD,
    MEMTECH_OP_INT8_MUL, MEMTECH_OP_INT32_MUL,
    MEMTECH_OP_CMP16, MEMTECH_N_OP
} memtech_op;

/* Energy of one operation: Horowitz ISSCC 2014 45 nm/0.9 V table times the
 * Stillmaker & Baas energy factor EF(node,V)/EF(45 nm,0.9 V). Nodes between
 * Stillmaker's 45/32/20/16/14/10/7 nm entries interpolate EF linearly in
 * node (28 and 22 nm fall between 32 and 20, as in Accelergy hwcomponents);
 * above 45 nm EF grows ∝ node (C ∝ F). 0 for an unknown op or node <= 0. */
double memtech_logic_energy_J(memtech_op op, double node_nm, double vdd_V);
/* Horowitz 45 nm area carried to node like a gate equivalent
 * (memtech_ge_area_m2(node) / memtech_ge_area_m2(45)). */
double memtech_logic_area_m2(memtech_op op, double node_nm);
const char *memtech_op_name(memtech_op op);

/* On-chip wire, per random-data bit per metre (Keckler 2011: 121 fJ/bit/mm
 * at 40 nm, 0.9 V), scaled by (V/0.9)²; capacitance per length held
 * constant across nodes (Villa SC14: fixed-length wire energy tracks V²). */
double memtech_wire_energy_J_per_bit_m(double node_nm, double vdd_V);
/* One router traversal + link, per bit (FlooNoC 12 nm, 0.8 V: 18.75 fJ),
 * scaled with the logic energy factor. */
double memtech_router_energy_J_per_bit(double node_nm, double vdd_V);

/* ---- logic cells: the clock, control, leakage and area of what is not
 * arithmetic (logic.c; each constant cited there) ----------------------- */

typedef enum { MEMTECH_VT_HIGH = 0, MEMTECH_VT_REGULAR, MEMTECH_VT_LOW, MEMTECH_N_VT } memtech_vt;
typedef enum { MEMTECH_PROC_BULK_LP = 0, MEMTECH_PROC_BULK_HP, MEMTECH_PROC_FDSOI, MEMTECH_PROC_FINFET,
               MEMTECH_N_PROC } memtech_process;   /* = snnex_process */

/* Area of one gate equivalent (NAND2 X1): NanGate45 at 45 nm, ASAP7 at
 * 7 nm, a power law in F between them, F² above 45 nm. Raw cell area. */
double memtech_ge_area_m2(double node_nm);
/* Area of one flip-flop bit (6.25 GE, McPAT's DFF). */
double memtech_ff_area_m2(double node_nm);
/* Clock energy of one flip-flop per clocked cycle (Aladdin 40 nm, carried
 * with the logic energy factor), without clock buffers and wire. */
double memtech_ff_clock_energy_J(double node_nm, double vdd_V);
/* Extra energy of a flip-flop bit whose value toggles. */
double memtech_ff_data_energy_J(double node_nm, double vdd_V);
/* Energy of one gate equivalent per operation, at an adder's activity. */
double memtech_ge_energy_J(double node_nm, double vdd_V);
/* Share of its clock energy a clock-gated idle block still spends (ASAP7
 * ICG against the 16 flip-flops it gates: 0.093). */
double memtech_clock_gate_residual(void);
/* Logic leakage per m² of raw cell area (ASAP7 density by Vt flavour at
 * 300 K, ∝ V, CACTI I_off(T)). temperature_K 0 = 300 K. */
double memtech_logic_leakage_W_per_m2(memtech_vt vt, double vdd_V, double temperature_K);
const char *memtech_vt_name(memtech_vt vt);
/* The memory flavour and logic Vt a process class gives by default. */
void memtech_process_defaults(memtech_process p, memtech_flavor *mem, memtech_vt *logic);

/* ---- links between chips ------------------------------------------------- */

/* One link between a worker chip and its aggregator (memtech/link.c: each
 * row cited, DERIVED or ASSUMED). A user-defined link fills the same
 * fields. */
typedef struct {
    const char *name;
    double energy_J_per_bit;     /* per payload bit, both ends (transmitter + receiver) */
    double bandwidth_bps;        /* payload bits per second, one direction */
    double latency_s;            /* fixed cost of one transfer */
    const char *source;
    int shared;                  /* 1: one medium for all workers (a radio channel): their
                                  * transfers take turns; 0: a link per worker */
} memtech_link;

/* Case-insensitive lookup ("PCIe4", "gbe" …); NULL if unknown. */
const memtech_link *memtech_link_find(const char *name);
int memtech_link_count(void);
const memtech_link *memtech_link_at(int i);   /* NULL outside 0..count-1 */

/* Energy of moving bits over the link: bits × energy_J_per_bit. */
double memtech_link_energy_J(const memtech_link *l, double bits);
/* Time of `transfers` transfers carrying `bits` in all, one after the
 * other on the link: transfers × latency_s + bits / bandwidth_bps. */
double memtech_link_time_s(const memtech_link *l, double bits, double transfers);

#endif
