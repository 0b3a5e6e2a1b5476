#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// Polled between blocks of a product; returns non-zero to abandon the work.
typedef int (*ck_stop_fn)(void *context);

/// C = A·B in double precision. A is m×k with element (i, t) at a[i*rsa + t*csa], B is k×n
/// with (t, j) at b[t*rsb + j*csb] (any strides, so a transposed view needs no copy); C is
/// m×n row-major with row stride ldc and is overwritten. Every C[i][j] is the sum
/// ((0 + A[i][0]·B[0][j]) + A[i][1]·B[1][j]) + … in order of t, each product rounded before
/// its addition (no fused multiply-add), so the result is bit for bit that of the naive loop,
/// on every path and every CPU. `portable` non-zero forces the portable kernel (for tests); else
/// AVX2 is used when the CPU has it. Returns 0, or 1 when `stop` asked to stop (C is then partial),
/// or 2 when the packing scratch could not be allocated (C untouched).
int ck_dgemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
             const double *a, ptrdiff_t rsa, ptrdiff_t csa,
             const double *b, ptrdiff_t rsb, ptrdiff_t csb,
             double *c, ptrdiff_t ldc, int portable,
             ck_stop_fn stop, void *stop_context);

/// Whether ck_dgemm uses its AVX2 kernel on this CPU (unless told `portable`).
int ck_dgemm_has_avx2(void);

#endif
