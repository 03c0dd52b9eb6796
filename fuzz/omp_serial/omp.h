/* A serial stand-in for <omp.h>, used only by the fuzz build (make fuzz).
 * The fuzz build compiles with clang -fopenmp-simd instead of -fopenmp, so
 * that it needs no OpenMP runtime (clang's libomp is a separate package)
 * and runs each input on one thread, as libFuzzer wants: the `parallel`
 * pragmas are ignored and these are the values a one-thread team has. */
#ifndef SNNEX_FUZZ_OMP_SERIAL_H
#define SNNEX_FUZZ_OMP_SERIAL_H

static inline int omp_get_thread_num(void) { return 0; }
static inline int omp_get_max_threads(void) { return 1; }
static inline int omp_get_num_threads(void) { return 1; }
static inline void omp_set_num_threads(int n) { (void)n; }

#endif
