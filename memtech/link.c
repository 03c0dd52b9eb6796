/* memtech links — one row per standard for the link between a worker chip
 * and the aggregator of a multi-chip system (estimator `system.link`):
 * energy per payload bit (both ends of the link: transmitter + receiver),
 * payload bandwidth (line rate less the line code) and a fixed latency per
 * transfer. Every number is cited, DERIVED (arithmetic on cited numbers,
 * shown) or ASSUMED (no source found: a placeholder, override it with
 * system.link_* keys). "tc:" = a row of shared/reference/tech_constants.csv.
 * Fixed latencies are all ASSUMED: no source gives a per-transfer figure
 * under the conditions modelled here. Radio links (BLE, Wi-Fi) are one
 * shared channel at the aggregator: the workers' transfers take turns;
 * wired links give each worker its own. */
#include "memtech/memtech.h"

#include <strings.h>

#define PJ 1e-12
#define NJ 1e-9
#define GBIT 1e9
#define MBIT 1e6
#define NS 1e-9
#define US 1e-6
#define MS 1e-3

/* PCIe payload rate of 4 lanes at r GT/s with 128b/130b coding (PCIe base
 * specification 3.0-5.0: 8, 16, 32 GT/s per lane). */
#define PCIE_X4(r_GT) (4.0 * (r_GT) * GBIT * 128.0 / 130.0)
/* PCIe energy per bit, DERIVED: the PCIe Gen4 PHY transmitter of Bae et
 * al. (Electronics 10(1):68, 2021, 28 nm, 16 Gb/s, all interface, bias and
 * BIST circuits included) takes 1.93 pJ/bit; the receiver is ASSUMED to
 * take as much: 2 × 1.93 = 3.86 pJ/bit per link. Gen3 and Gen5: no cited
 * PHY figure found; ASSUMED the same per-bit energy. */
#define PCIE_J_PER_BIT (2.0 * 1.93 * PJ)

static const memtech_link link_table[] = {
    /* On-board SerDes: IBM 16 × 12 Gb/s source-synchronous I/O, 32 nm SOI,
     * 1.4 pJ/bit over 0.75-inch Megtron-6 PCB traces (transmitter and
     * receiver; "A 1.4-pJ/b, power-scalable 16×12-Gb/s source-synchronous
     * I/O with DFE receiver in 32nm SOI CMOS technology", IBM Research,
     * research.ibm.com publication of that title). Bandwidth 16 × 12 Gb/s
     * = 192 Gb/s. Latency ASSUMED 20 ns (serialiser + deskew). */
    {"SerDes", 1.4 * PJ, 16.0 * 12.0 * GBIT, 20.0 * NS,
     "IBM 16x12 Gb/s source-synchronous I/O, 32 nm SOI, 1.4 pJ/bit; latency ASSUMED", 0},
    /* 112 Gb/s PAM4 long-reach SerDes lane, 5.6 pJ/bit incl. analog + DSP
     * (tc: serdes_112g_pam4_energy, VLSI Symp. 2022). One lane, 112 Gb/s.
     * Latency ASSUMED 100 ns (DSP equaliser and FEC). */
    {"SerDes112G", 5.6 * PJ, 112.0 * GBIT, 100.0 * NS,
     "tc serdes_112g_pam4_energy (VLSI 2022), one 112 Gb/s lane; latency ASSUMED", 0},
    /* PCIe x4 links (see PCIE_X4, PCIE_J_PER_BIT). Latency ASSUMED 1 µs
     * per DMA transfer (descriptor, doorbell, completion). */
    {"PCIe3", PCIE_J_PER_BIT, PCIE_X4(8.0), 1.0 * US,
     "PCIe 3.0 x4 (8 GT/s, 128b/130b); energy ASSUMED = Gen4 PHY (Bae 2021) x2; latency ASSUMED", 0},
    {"PCIe4", PCIE_J_PER_BIT, PCIE_X4(16.0), 1.0 * US,
     "PCIe 4.0 x4 (16 GT/s, 128b/130b); 2 x 1.93 pJ/bit TX (Bae et al. 2021), RX ASSUMED = TX; latency ASSUMED", 0},
    {"PCIe5", PCIE_J_PER_BIT, PCIE_X4(32.0), 1.0 * US,
     "PCIe 5.0 x4 (32 GT/s, 128b/130b); energy ASSUMED = Gen4 PHY (Bae 2021) x2; latency ASSUMED", 0},
    /* USB 3.0 SuperSpeed (Gen 1): 5 Gb/s, 8b/10b → 4 Gb/s payload (USB 3.0
     * specification). Energy DERIVED, weak source: an active (U0) SuperSpeed
     * port draws ~0.5–1 W (electronics.stackexchange.com answer on USB 3
     * controller power, question 724285); the low end at both ends over
     * the payload rate: 2 × 0.5 W / 4 Gb/s = 250 pJ/bit. Latency: one
     * 125 µs bus interval (USB 3.0 specification), ASSUMED per transfer. */
    {"USB3", 250.0 * PJ, 4.0 * GBIT, 125.0 * US,
     "USB 3.0 Gen 1 (5 Gb/s, 8b/10b); DERIVED 2 x 0.5 W / 4 Gb/s (weak source); latency ASSUMED 1 bus interval", 0},
    /* 1000BASE-T: a PHY transceiver takes about 0.5 W (R. Allan, "Here comes
     * energy efficient Ethernet", Electronic Design 2011). DERIVED: two PHYs
     * per link at full rate, 2 × 0.5 W / 1 Gb/s = 1 nJ/bit. Latency ASSUMED
     * 50 µs (NIC, driver and stack; no switch). */
    {"GbE", 2.0 * 0.5 / (1.0 * GBIT), 1.0 * GBIT, 50.0 * US,
     "1000BASE-T; DERIVED 2 PHYs x 0.5 W (Electronic Design 2011) / 1 Gb/s; latency ASSUMED", 0},
    /* 10GBASE-T: a PHY takes about 5 W (same source). DERIVED 2 × 5 W /
     * 10 Gb/s = 1 nJ/bit. Latency ASSUMED 10 µs. */
    {"10GbE", 2.0 * 5.0 / (10.0 * GBIT), 10.0 * GBIT, 10.0 * US,
     "10GBASE-T; DERIVED 2 PHYs x 5 W (Electronic Design 2011) / 10 Gb/s; latency ASSUMED", 0},
    /* Bluetooth Low Energy, LE 1M PHY (1 Mb/s, Bluetooth Core 4.0). Energy
     * DERIVED from the radio currents of the Nordic nRF52832 (Product
     * Specification v1.4, radio with DC/DC at 3 V): TX at 0 dBm 5.3 mA, RX
     * 5.4 mA → (5.3 + 5.4) mA × 3 V / 1 Mb/s = 32.1 nJ/bit. Radio only, at
     * the PHY rate: a best case (no packet headers, inter-frame spaces,
     * connection events or MCU). Latency ASSUMED one minimum connection
     * interval, 7.5 ms (Bluetooth Core specification). */
    {"BLE", (5.3e-3 + 5.4e-3) * 3.0 / (1.0 * MBIT), 1.0 * MBIT, 7.5 * MS,
     "BLE 1M PHY; DERIVED nRF52832 TX 5.3 mA + RX 5.4 mA at 3 V / 1 Mb/s (radio only); latency ASSUMED", 1},
    /* Wi-Fi 802.11n, one stream, 20 MHz, MCS7: 72.2 Mb/s PHY rate (IEEE
     * 802.11n-2009). Energy DERIVED: conventional Wi-Fi equipment spends 1
     * to 17 J per MByte transferred (Hi-Q/Macnica application note "Hi-Q
     * news", citing measurements); the low end, 1 J / 8e6 bit = 125
     * nJ/bit. Latency ASSUMED 1 ms (channel access, acknowledgement). */
    {"WiFi", 125.0 * NJ, 72.2 * MBIT, 1.0 * MS,
     "802.11n MCS7 20 MHz (72.2 Mb/s); DERIVED 1 J/MB low end of 1-17 J/MB (Macnica app note); latency ASSUMED", 1},
};

#define N_LINK ((int)(sizeof link_table / sizeof link_table[0]))

int memtech_link_count(void)
{
    return N_LINK;
}

const memtech_link *memtech_link_at(int i)
{
    return i >= 0 && i < N_LINK ? &link_table[i] : NULL;
}

const memtech_link *memtech_link_find(const char *name)
{
    if (!name)
        return NULL;
    /* sweeps look a name up for every point: a first-character test
     * (| 0x20 folds ASCII letters; digits compare as themselves) skips
     * most calls */
    for (int i = 0; i < N_LINK; i++)
        if ((name[0] | 0x20) == (link_table[i].name[0] | 0x20) && strcasecmp(name, link_table[i].name) == 0)
            return &link_table[i];
    return NULL;
}

double memtech_link_energy_J(const memtech_link *l, double bits)
{
    if (!l || !(bits > 0))
        return 0.0;
    return bits * l->energy_J_per_bit;
}

double memtech_link_time_s(const memtech_link *l, double bits, double transfers)
{
    if (!l || !(l->bandwidth_bps > 0))
        return 0.0;
    return (transfers > 0 ? transfers * l->latency_s : 0.0) + (bits > 0 ? bits / l->bandwidth_bps : 0.0);
}
