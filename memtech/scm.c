/* scm — standard-cell memory: a latch array built from the logic library
 * (one latch per bit, an AND-OR read multiplexer tree, one clock gate per
 * word as its write enable), as in Meinerzhagen et al. (ESSCIRC 2012) and
 * Teman et al. (TODAES 2016). Register files, neuron-state arrays and
 * "fully synthesizable" designs store data this way instead of in SRAM
 * macros. Priced bottom-up from ASAP7 cells and carried to the node and
 * supply like the rest of the logic (memtech_ge_area_m2 /
 * memtech_ge_energy_J ratios to 7 nm, 0.7 V).
 *
 * Cells: ASAP7 7.5-track RVT TT 0.7 V 25 °C liberty files,
 * The-OpenROAD-Project/OpenROAD-flow-scripts @8c009b0b,
 * flow/platforms/asap7/lib/NLDM/asap7sc7p5t_SEQ_RVT_TT_nldm_220123.lib
 * (DHLx1 line 7061, ICGx1 line 10289) and asap7sc7p5t_AO_RVT_TT_nldm_211120
 * (AO22x1 line 28657):
 *   DHLx1 (latch)  0.2187 µm² = 2.5 GE (NAND2x1 0.08748 µm²); clock pin
 *                  0.475 fF; internal energy per clock pulse, D held,
 *                  0.471 fJ (VDD rail; lines 7421-7480) + the pin's C·V²
 *                  0.233 fJ; CLK→Q toggle 0.905 fJ per rise+fall pair
 *                  (lines 7267, 7280)
 *   AO22x1         0.13122 µm² = 1.5 GE; ≈ 0.35 fJ per output rise+fall
 *                  (lines 29786-30481); inputs 0.37-0.42 fF
 *   ICGx1          0.26244 µm² = 3.0 GE; a pulse MEMTECH_ICG_CLK_FJ (memtech_internal.h)
 * The library has no MUX2: a 2:1 multiplexer of the read tree is an AO22
 * driven by a decoded select. Checks (tests/test_memtech.c): the result at
 * 65 nm, 0.5 V against Meinerzhagen's measured 14 fJ per accessed bit (4 kb
 * latch SCM; overheads.csv latch_memory_access_energy_measured), and the
 * crossover with the SRAM macro model near 1 KB at 28 nm (Teman et al.:
 * SCMs smaller than SRAM macros "of up to 1Kbyte"). */
#include "memtech/memtech.h"
#include "memtech/memtech_internal.h"

#include <math.h>

#define LATCH_GE 2.5          /* DHLx1 / NAND2x1 */
#define MUX_GE 1.5            /* AO22x1 / NAND2x1: one per stored bit (a W:1 tree has W-1) */
#define ICG_GE 3.0            /* ICGx1 / NAND2x1: one per word (write enable) */
#define DECODE_GE_PER_WORD 2.0 /* ASSUMED: one AND gate per word for each of the read and write decoders */
#define LATCH_CLK_FJ (0.471 + 0.233)  /* a written latch's clock pulse */
#define LATCH_TOGGLE_FJ 0.905         /* a latch whose value changes */
#define MUX_TOGGLE_FJ 0.35            /* an AO22 output rise+fall */
#define PIN_FF 0.475                  /* an AO22 select pin (ASSUMED equal to DHLx1's CLK pin; AO22 inputs are 0.37-0.42 fF) */
#define REF_NODE_NM 7.0
#define REF_VDD_V 0.7
#define ACTIVITY 0.5                  /* ASSUMED: random data, a bit toggles half the time */

void memtech_scm_cost(const memtech_array *a, double vdd_V, memtech_cost *c)
{
    double bits = a->capacity_bytes * 8.0;
    double words = bits / a->width_bits;              /* all banks */
    double wpb = fmax(1.0, words / a->banks);         /* words in one bank: the mux tree depth */
    double ge = memtech_ge_area_m2(a->node_nm);
    double escale = memtech_ge_energy_J(a->node_nm, vdd_V) / memtech_ge_energy_J(REF_NODE_NM, REF_VDD_V);
    double v2 = REF_VDD_V * REF_VDD_V;
    /* raw cell area: latches and the read tree per bit, a clock gate and
     * decoder gates per word (placement utilisation is the caller's) */
    double raw = ge * (bits * (LATCH_GE + MUX_GE) + words * (ICG_GE + DECODE_GE_PER_WORD));
    c->area_m2 = raw;
    /* read: per bit, log2(W) tree levels whose outputs toggle with the
     * data, and the old and the new word's select lines, each loading one
     * AO22 select pin per bit */
    double rd_fJ = ACTIVITY * log2(wpb) * MUX_TOGGLE_FJ + 2.0 * PIN_FF * v2;
    /* write: per bit, the latch's clock pulse and its toggle; per word,
     * its clock gate. The write-data lines also reach every word's D pins;
     * charged at one pin per word that broadcast alone came to 123 fJ per
     * bit for the measured 4 kb SCM at 65 nm, 0.5 V, whose whole access
     * costs 14 fJ per bit (test_memtech): the measurement says it is not a
     * first-order term (designs gate or segment the write bus), so it is
     * left out */
    double wr_fJ = LATCH_CLK_FJ + ACTIVITY * LATCH_TOGGLE_FJ;
    c->read_energy_J = a->width_bits * rd_fJ * 1e-15 * escale;
    c->write_energy_J = (a->width_bits * wr_fJ + MEMTECH_ICG_CLK_FJ) * 1e-15 * escale;
    /* leakage: the cells leak like the process's logic (hp devices ->
     * low-Vt, lop and lstp -> regular-Vt: the Vt memtech_process_defaults
     * gives the logic of every process class whose memories take that
     * flavour) */
    memtech_vt vt = a->flavor == MEMTECH_HP ? MEMTECH_VT_LOW : MEMTECH_VT_REGULAR;
    c->leakage_W = raw * memtech_logic_leakage_W_per_m2(vt, vdd_V, a->temperature_K);
}
