/* memtech DRAM — one row per standard: per-bit data-movement + I/O energy on
 * a row hit, extra per-bit energy on a row miss, row size, background power
 * and peak bandwidth per channel. Every number is cited or marked DERIVED
 * (arithmetic on cited numbers) or ASSUMED (no source found; treat as a
 * placeholder). "tc:" = a row of shared/reference/tech_constants.csv.
 *
 * Activation energy per bit (DERIVED, all standards but HBM2's own row):
 * O'Connor et al. (MICRO 2017) give HBM2 activation = 1.21 pJ per bit
 * accessed (tc: hbm2_activation_energy) for a 1 KiB pseudo-channel row and
 * 32 B accesses, i.e. 32× over-fetch → 37.8 fJ per bit sensed. Other
 * standards: 37.8 fJ × row_bits / access_bits. */
#include "memtech/memtech.h"

#include <strings.h>

#define PJ 1e-12
#define MW 1e-3
#define GBPS 1e9
#define SENSE_J_PER_BIT (1.21 * PJ / 32.0)   /* DERIVED, see above */
#define ACT(row_B, access_B) (SENSE_J_PER_BIT * (double)(row_B) / (double)(access_B))

static const memtech_dram dram_table[] = {
    /* LPDDR4-4266, x16 channel. Read 8.47 pJ/bit (tc: lpddr4_read_burst_energy,
     * DERIVED from DRAMPower memspec IDDs; excludes ACT/PRE). Write: no
     * separate source, = read. Row 2 KiB per channel (JESD209-4 x16 page);
     * access 32 B (BL16 × 16). Background 34.1 mW (tc:
     * lpddr4_precharge_standby_power). Bandwidth 17.06 GB/s per x32 die
     * (tc: lpddr4_4266_x32_bandwidth) / 2 channels = 8.53 GB/s. */
    {"LPDDR4", 8.47 * PJ, 8.47 * PJ, ACT(2048, 32), 2048, 34.1 * MW, 8.53 * GBPS,
     "tech_constants lpddr4_read_burst_energy/precharge_standby/4266_x32_bandwidth; act DERIVED"},
    /* LPDDR4X: LPDDR4 with VDDQ 1.1 → 0.6 V (JESD209-4-1). DERIVED: the VDDQ
     * share of the LPDDR4 figure, 1.1·(150−0.75) mW / 51.2 Gb/s = 3.21
     * pJ/bit, scales by (0.6/1.1)²; the VDD2 share 5.26 pJ/bit stays:
     * 5.26 + 0.95 = 6.21 pJ/bit. Other columns as LPDDR4. */
    {"LPDDR4X", 6.21 * PJ, 6.21 * PJ, ACT(2048, 32), 2048, 34.1 * MW, 8.53 * GBPS,
     "DERIVED from LPDDR4 row with VDDQ 0.6 V (JESD209-4-1)"},
    /* LPDDR5-6400, x16 channel: VDD2 1.05 V, VDDQ 0.5 V (hardwaretimes.com
     * "LPDDR5 vs DDR5 vs GDDR6"). DERIVED: 5.26·(1.05/1.1)² + 3.21·(0.5/1.1)²
     * = 4.79 + 0.66 = 5.45 pJ/bit. Background: LPDDR4's ×1.05/1.1 = 32.6 mW
     * (DERIVED). Bandwidth 6400 MT/s × 16 bit / 8 = 12.8 GB/s. */
    {"LPDDR5", 5.45 * PJ, 5.45 * PJ, ACT(2048, 32), 2048, 32.6 * MW, 12.8 * GBPS,
     "DERIVED from LPDDR4 row with VDD2 1.05 V / VDDQ 0.5 V; 6400 MT/s x16"},
    /* DDR4-3200, 64-bit channel of 8 x8 devices. Read 8.78 pJ/bit (tc:
     * ddr4_read_burst_energy, DERIVED from IDD4R−IDD3N; excludes ACT/PRE
     * and I/O termination: a lower bound). Row 8 KiB per rank (1 KiB per x8
     * device × 8); access 64 B. Background 8 × 45.9 mW = 367 mW (tc:
     * ddr4_precharge_standby_power, per device). Bandwidth 25.6 GB/s (tc:
     * ddr4_3200_x64_bandwidth). */
    {"DDR4", 8.78 * PJ, 8.78 * PJ, ACT(8192, 64), 8192, 367.0 * MW, 25.6 * GBPS,
     "tech_constants ddr4_read_burst_energy/precharge_standby_power/3200_x64_bandwidth; act DERIVED"},
    /* DDR5-4800, 64-bit DIMM channel (two 32-bit sub-channels). DERIVED from
     * DDR4 with VDD 1.2 → 1.1 V (JESD79-5): 8.78·(1.1/1.2)² = 7.38 pJ/bit,
     * background 367·1.1/1.2 = 336 mW. Row 4 KiB per sub-channel (4 x8
     * devices × 1 KiB), access 64 B (BL16 × 32). Bandwidth 4800 × 64 / 8 =
     * 38.4 GB/s. */
    {"DDR5", 7.38 * PJ, 7.38 * PJ, ACT(4096, 64), 4096, 336.0 * MW, 38.4 * GBPS,
     "DERIVED from DDR4 row with VDD 1.1 V (JESD79-5); 4800 MT/s x64"},
    /* HBM2, one 128-bit channel. Access energy 3.97 pJ/bit (tc:
     * hbm2_access_energy, O'Connor et al. MICRO 2017 Sec. 1) = activation
     * 1.21 (tc: hbm2_activation_energy) + the rest 2.76 (on-die movement
     * 2.24 + interposer I/O 0.30 + ECC/other 0.22, DERIVED). Taken as a
     * row-miss figure: hit = 2.76, miss adds 1.21. Row 1 KiB (pseudo
     * channel). Bandwidth 256 GB/s per stack (tc: hbm2_stack_bandwidth) /
     * 8 channels = 32 GB/s. Background ASSUMED 100 mW per channel (no
     * source found). */
    {"HBM2", 2.76 * PJ, 2.76 * PJ, 1.21 * PJ, 1024, 100.0 * MW, 32.0 * GBPS,
     "O'Connor et al. MICRO 2017 (3.97 pJ/bit = 1.21 act + 2.76); JESD235A; background ASSUMED"},
    /* HBM2E: Micron "Ultra-bandwidth solutions" table: 6.0 pJ/bit average
     * device power, 3.2–3.6 Gb/s/pin, 410–461 GB/s per stack. Taken as a
     * row-miss figure with HBM2's activation: hit = 6.0 − 1.21 = 4.79.
     * Bandwidth 3.6 Gb/s × 128 / 8 = 57.6 GB/s per channel. Background
     * ASSUMED as HBM2. */
    {"HBM2E", 4.79 * PJ, 4.79 * PJ, 1.21 * PJ, 1024, 100.0 * MW, 57.6 * GBPS,
     "Micron ultra-bandwidth solutions table (6.0 pJ/bit, 3.6 Gb/s/pin); background ASSUMED"},
    /* GDDR6, one 16-bit channel: Micron table 7.5 pJ/bit average device
     * power; taken as a row-miss figure: hit = 7.5 − act. Row 2 KiB, access
     * 32 B (BL16 × 16). Bandwidth 64 GB/s per device (tc:
     * gddr6_device_bandwidth) / 2 channels = 32 GB/s. Background ASSUMED
     * 250 mW per channel (no source found). */
    {"GDDR6", 7.5 * PJ - ACT(2048, 32), 7.5 * PJ - ACT(2048, 32), ACT(2048, 32), 2048,
     250.0 * MW, 32.0 * GBPS,
     "Micron ultra-bandwidth solutions table (7.5 pJ/bit); JESD250; act DERIVED; background ASSUMED"},
};

#define N_DRAM ((int)(sizeof dram_table / sizeof dram_table[0]))

int memtech_dram_count(void)
{
    return N_DRAM;
}

const memtech_dram *memtech_dram_at(int i)
{
    return i >= 0 && i < N_DRAM ? &dram_table[i] : NULL;
}

const memtech_dram *memtech_dram_find(const char *name)
{
    if (!name)
        return NULL;
    /* sweeps look a name up for every point: a first-letter test (equal
     * letters ignoring case are equal after | 0x20) skips most calls */
    for (int i = 0; i < N_DRAM; i++)
        if ((name[0] | 0x20) == (dram_table[i].name[0] | 0x20) && strcasecmp(name, dram_table[i].name) == 0)
            return &dram_table[i];
    return NULL;
}

double memtech_dram_energy_J(const memtech_dram *d, double bits, int is_write,
                             double row_hit_rate)
{
    if (!d || !(bits > 0))
        return 0.0;
    double h = row_hit_rate < 0 ? 0 : row_hit_rate > 1 ? 1 : row_hit_rate;
    double e = is_write ? d->wr_energy_J_per_bit : d->rd_energy_J_per_bit;
    return bits * (e + (1.0 - h) * d->act_energy_J_per_bit);
}
