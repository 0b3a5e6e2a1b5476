#ifndef CK_ELEMENTWISE_H
#define CK_ELEMENTWISE_H

#include <stddef.h>

/// The binary operators with a vector kernel. Each result is exactly the scalar definition per
/// element (IEEE + − × ÷ rounded once, no fused multiply-add), on every path and CPU:
/// max/min follow numpy (the first operand wins ties; a nan in either operand propagates),
/// comparisons give 1.0 or 0.0 (nan compares unequal to everything, so only `!=` is true).
typedef enum {
    CK_EW_ADD, CK_EW_SUB, CK_EW_MUL, CK_EW_DIV,
    CK_EW_MAX, CK_EW_MIN,
    CK_EW_EQ, CK_EW_NE, CK_EW_LT, CK_EW_LE, CK_EW_GT, CK_EW_GE,
} ck_ew_binary_op;

/// The unary operators with a vector kernel: −x, |x|, √x (correctly rounded), relu (nan kept).
typedef enum { CK_EW_NEG, CK_EW_ABS, CK_EW_SQRT, CK_EW_RELU } ck_ew_unary_op;

/// Instruction sets the kernels pick from at run time.
enum { CK_EW_PORTABLE = 0, CK_EW_AVX2 = 1, CK_EW_AVX512 = 2 };

/// The best level this CPU runs (AVX-512F, AVX2, or the portable C loop).
int ck_ew_best_level(void);

/// out[i] = a[i·sa] op b[i·sb] for i in [0, n), where sa and sb are each 0 (a repeated
/// element) or 1 (consecutive elements). `out` may be `a` or `b` itself (in-place), but must not
/// otherwise overlap them. `level` is at most ck_ew_best_level(); lower forces a simpler path.
void ck_ew_binary(int op, ptrdiff_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
                  double *out, int level);

/// out[i] = op(x[i]) for i in [0, n); `out` may be `x`.
void ck_ew_unary(int op, ptrdiff_t n, const double *x, double *out, int level);

#endif
