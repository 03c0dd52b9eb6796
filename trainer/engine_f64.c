/* engine_f64 — the compute engine in double precision (gradient checks). */
#define REAL double
#define S f64
#define GEMM cblas_dgemm
#include "trainer/engine_impl_internal.h"
