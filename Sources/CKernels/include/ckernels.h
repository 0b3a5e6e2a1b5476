#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

#include "ck_elementwise.h"

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

/// The constants of one Adam step for one parameter (see `ck_adam`).
typedef struct {
    double weight_decay;
    /// 1 − β1, the weight of torch.lerp; `one_minus_weight` is β1; `lerp_small` is |weight| < 0.5.
    double weight, one_minus_weight;
    int lerp_small;
    /// β2 and 1 − β2.
    double beta2, scale2;
    /// √(1 − β2^t), ε, and lr / (1 − β1^t).
    double bias_correction2_sqrt, eps, step_size;
} ck_adam_settings;

/// One Adam step over n elements of a parameter p with gradient g and moments m, v, updated in
/// place, in the order of PyTorch's `_single_tensor_adam`, each operation rounded on its own
/// (bit for bit the same with and without AVX2). `portable` non-zero forces the scalar loop.
void ck_adam(ptrdiff_t n, double *p, const double *g, double *m, double *v, const ck_adam_settings *s, int portable);

#endif
