/* models — the mesh: hop counts on an X x Y mesh (closed forms) and the
 * NoC totals of a batch (traffic to the edge port, the busiest link). */
#include "models/models_internal.h"

/* ---- mesh ------------------------------------------------------------------ */

double models_mesh_mean_hops(int x, int y)
{
    /* E|i-j| over ordered pairs on a line of n: (n²-1)/(3n). Summing both
     * dimensions gives the mean over all ordered pairs (self included);
     * rescale to distinct pairs. */
    int n = x * y;
    if (n < 2)
        return 0;
    double all = (x * (double)x - 1) / (3.0 * x) + (y * (double)y - 1) / (3.0 * y);
    return all * n / (n - 1.0);
}

int models_mesh_snake_wrap_hops(int x, int y)
{
    /* snake walks rows of length x; it ends at row y-1, column 0 when y is
     * even, column x-1 when y is odd */
    if (x * y < 2)
        return 0;
    if (y == 1)
        return x - 1;
    if (x == 1)
        return y - 1;
    return (y - 1) + (y % 2 ? x - 1 : 0);
}

double models_mesh_mean_hops_to_edge(int x, int y)
{
    /* edge port at column 0, row (y-1)/2: mean |col| + mean |row - mid| */
    double col = (x - 1) / 2.0, row = 0;
    double mid = (y - 1) / 2.0;
    for (int r = 0; r < y; r++)
        row += fabs(r - floor(mid));
    return col + row / y + 1; /* +1: the hop into the edge port */
}

/* ---- NoC totals ------------------------------------------------------------ */

void models_noc_totals(const snnex_config *cfg, snnex_counts counts[][SNNEX_N_ENG], models_chip *ch,
                       double noc_bcast_bits, double noc_stage_bits)
{
    const snnex_chip *chip = &cfg->chip;
    const int nl = cfg->net.n_layers;
    const double P = chip->cores;
    /* traffic to the global buffer / DRAM crosses the mesh to the edge port */
    double edge_hops = models_mesh_mean_hops_to_edge(chip->mesh_x, chip->mesh_y);
    double gbits = 0, dbits = 0;
    for (int l = 0; l < nl; l++)
        for (int e = 0; e < SNNEX_N_ENG; e++) {
            snnex_counts *c = &counts[l][e];
            double below = c->mem_rd_bits[SNNEX_MEM_GLOBAL] + c->mem_wr_bits[SNNEX_MEM_GLOBAL] +
                           c->mem_rd_bits[SNNEX_MEM_DRAM] + c->mem_wr_bits[SNNEX_MEM_DRAM];
            c->noc_bit_hops += below * edge_hops;
            gbits += c->mem_rd_bits[SNNEX_MEM_GLOBAL] + c->mem_wr_bits[SNNEX_MEM_GLOBAL];
            dbits += c->mem_rd_bits[SNNEX_MEM_DRAM] + c->mem_wr_bits[SNNEX_MEM_DRAM];
            ch->noc_bit_hops += c->noc_bit_hops;
        }
    ch->gb_bits = gbits;
    ch->dram_bits = dbits;
    /* busiest link: the edge port's links carry all GB/DRAM traffic over
     * its (up to 3) incoming links; broadcasts cross the bisection
     * (2·min(x,y) links) once per core pair half */
    int ports = (chip->mesh_x > 1) + (chip->mesh_y > 1) * 2;
    ch->noc_max_link_bits = fmax(ch->noc_max_link_bits, (gbits + dbits) / fmax(1, ports));
    int bis = 2 * (chip->mesh_x < chip->mesh_y ? chip->mesh_x : chip->mesh_y);
    if (P > 1)
        ch->noc_max_link_bits = fmax(ch->noc_max_link_bits, (noc_bcast_bits * P / 2 + noc_stage_bits) / bis);
}
