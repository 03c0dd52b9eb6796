/* engine_f32 — the compute engine in single precision (training, bench). */
#define REAL float
#define S f32
#define GEMM cblas_sgemm
#include "trainer/engine_impl_internal.h"
