#ifndef BENCH_FLOOR_H
#define BENCH_FLOOR_H

#include <stddef.h>

// The memory floor of batch normalisation: the least any kernel must do to memory, one read of x
// (for the statistics) and one pass that reads x and writes y. Run on a part of the data, so the
// caller can split the work over the cores as bnlab's kernels do.

/// Σ x[i] over [0, n) in four AVX2 accumulators (plain C when the CPU lacks AVX2).
double floor_read(const double *x, ptrdiff_t n);

/// y[i] = x[i] · a + b over [0, n); `streaming` non-zero writes around the cache (non-temporal stores).
void floor_read_write(const double *x, double *y, ptrdiff_t n, double a, double b, int streaming);

#endif
