// Elementwise arithmetic over runs of doubles: AVX-512F, AVX2 or portable C chosen at run time.
//
// Every path computes each element with the same single IEEE operation (or the same select)
// as the scalar definition, so results are bit for bit identical whatever the CPU: vectors only
// change how many elements go at once. Runs are consecutive elements or a repeated one; the
// Swift side walks broadcast and strided layouts and calls here once per innermost run.
#include "ck_elementwise.h"

#include <math.h>
#include <stdatomic.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CK_X86 1
#endif

// One rounding per operation, on every path.
#pragma clang fp contract(off)

int ck_ew_best_level(void) {
#ifdef CK_X86
    static atomic_int cached = -1;
    int known = atomic_load_explicit(&cached, memory_order_relaxed);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512f") ? CK_EW_AVX512 : __builtin_cpu_supports("avx2") ? CK_EW_AVX2 : CK_EW_PORTABLE;
        atomic_store_explicit(&cached, known, memory_order_relaxed);
    }
    return known;
#else
    return CK_EW_PORTABLE;
#endif
}

// The scalar definitions (x from a, y from b), shared by every path's tail and by the portable loop.
#define S_ADD (x + y)
#define S_SUB (x - y)
#define S_MUL (x * y)
#define S_DIV (x / y)
#define S_MAX ((x >= y || x != x) ? x : y)
#define S_MIN ((x <= y || x != x) ? x : y)
#define S_EQ (x == y ? 1.0 : 0.0)
#define S_NE (x != y ? 1.0 : 0.0)
#define S_LT (x < y ? 1.0 : 0.0)
#define S_LE (x <= y ? 1.0 : 0.0)
#define S_GT (x > y ? 1.0 : 0.0)
#define S_GE (x >= y ? 1.0 : 0.0)

/// A loop for one operator: both runs, a repeated left or a repeated right element.
#define PORTABLE_BINARY(NAME, S)                                                                       \
    static void NAME(ptrdiff_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,     \
                     double *out) {                                                                \
        if (sa && sb) {                                                                            \
            for (ptrdiff_t i = 0; i < n; i++) { double x = a[i], y = b[i]; out[i] = S; }           \
        } else if (sa) {                                                                           \
            double y = b[0];                                                                       \
            for (ptrdiff_t i = 0; i < n; i++) { double x = a[i]; out[i] = S; }                     \
        } else if (sb) {                                                                           \
            double x = a[0];                                                                       \
            for (ptrdiff_t i = 0; i < n; i++) { double y = b[i]; out[i] = S; }                     \
        } else {                                                                                   \
            double x = a[0], y = b[0], v = S;                                                      \
            for (ptrdiff_t i = 0; i < n; i++) out[i] = v;                                          \
        }                                                                                          \
    }

PORTABLE_BINARY(p_add, S_ADD)
PORTABLE_BINARY(p_sub, S_SUB)
PORTABLE_BINARY(p_mul, S_MUL)
PORTABLE_BINARY(p_div, S_DIV)
PORTABLE_BINARY(p_max, S_MAX)
PORTABLE_BINARY(p_min, S_MIN)
PORTABLE_BINARY(p_eq, S_EQ)
PORTABLE_BINARY(p_ne, S_NE)
PORTABLE_BINARY(p_lt, S_LT)
PORTABLE_BINARY(p_le, S_LE)
PORTABLE_BINARY(p_gt, S_GT)
PORTABLE_BINARY(p_ge, S_GE)

typedef void (*binary_fn)(ptrdiff_t, const double *, ptrdiff_t, const double *, ptrdiff_t, double *);

static const binary_fn portable_binary[] = {
    p_add, p_sub, p_mul, p_div, p_max, p_min, p_eq, p_ne, p_lt, p_le, p_gt, p_ge,
};

#ifdef CK_X86

/// A vector loop for one operator: V computes from vectors x and y, S is the scalar tail.
/// Two vectors per step keep two independent operations in flight. Loads and stores are
/// unaligned: runs start anywhere in a buffer.
#define VECTOR_BINARY(NAME, TARGET, VT, W, LOAD, STORE, SET1, V, S)                                  \
    __attribute__((target(TARGET))) static void NAME(ptrdiff_t n, const double *a, ptrdiff_t sa,   \
                                                     const double *b, ptrdiff_t sb, double *out) { \
        ptrdiff_t i = 0;                                                                            \
        const VT one = SET1(1.0);                                                                   \
        (void)one;                                                                                  \
        if (sa && sb) {                                                                             \
            for (; i + 2 * W <= n; i += 2 * W) {                                                    \
                VT x = LOAD(a + i), y = LOAD(b + i);                                                \
                VT r0 = V;                                                                          \
                x = LOAD(a + i + W), y = LOAD(b + i + W);                                           \
                STORE(out + i, r0);                                                                 \
                STORE(out + i + W, V);                                                              \
            }                                                                                       \
            for (; i < n; i++) { double x = a[i], y = b[i]; out[i] = S; }                           \
        } else if (sa) {                                                                            \
            const VT y = SET1(b[0]);                                                                \
            for (; i + 2 * W <= n; i += 2 * W) {                                                    \
                VT x = LOAD(a + i);                                                                 \
                VT r0 = V;                                                                          \
                x = LOAD(a + i + W);                                                                \
                STORE(out + i, r0);                                                                 \
                STORE(out + i + W, V);                                                              \
            }                                                                                       \
            double y0 = b[0];                                                                       \
            for (; i < n; i++) { double x = a[i], y = y0; out[i] = S; }                             \
        } else if (sb) {                                                                            \
            const VT x = SET1(a[0]);                                                                \
            for (; i + 2 * W <= n; i += 2 * W) {                                                    \
                VT y = LOAD(b + i);                                                                 \
                VT r0 = V;                                                                          \
                y = LOAD(b + i + W);                                                                \
                STORE(out + i, r0);                                                                 \
                STORE(out + i + W, V);                                                              \
            }                                                                                       \
            double x0 = a[0];                                                                       \
            for (; i < n; i++) { double x = x0, y = b[i]; out[i] = S; }                             \
        } else {                                                                                    \
            double x = a[0], y = b[0], v = S;                                                       \
            for (; i < n; i++) out[i] = v;                                                          \
        }                                                                                           \
    }

// AVX2: comparisons give all-ones lanes; `and` with 1.0 makes the 1.0/0.0 result, and blendv
// picks x where the lane's mask is set.
#define A2(OP) OP
#define A2_CMP(P) _mm256_and_pd(_mm256_cmp_pd(x, y, P), one)
#define A2_PICK(P) _mm256_blendv_pd(y, x, _mm256_or_pd(_mm256_cmp_pd(x, y, P), _mm256_cmp_pd(x, x, _CMP_UNORD_Q)))
#define AVX2_BINARY(NAME, V, S) VECTOR_BINARY(NAME, "avx2", __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, V, S)

AVX2_BINARY(v2_add, _mm256_add_pd(x, y), S_ADD)
AVX2_BINARY(v2_sub, _mm256_sub_pd(x, y), S_SUB)
AVX2_BINARY(v2_mul, _mm256_mul_pd(x, y), S_MUL)
AVX2_BINARY(v2_div, _mm256_div_pd(x, y), S_DIV)
AVX2_BINARY(v2_max, A2_PICK(_CMP_GE_OQ), S_MAX)
AVX2_BINARY(v2_min, A2_PICK(_CMP_LE_OQ), S_MIN)
AVX2_BINARY(v2_eq, A2_CMP(_CMP_EQ_OQ), S_EQ)
AVX2_BINARY(v2_ne, A2_CMP(_CMP_NEQ_UQ), S_NE)
AVX2_BINARY(v2_lt, A2_CMP(_CMP_LT_OQ), S_LT)
AVX2_BINARY(v2_le, A2_CMP(_CMP_LE_OQ), S_LE)
AVX2_BINARY(v2_gt, A2_CMP(_CMP_GT_OQ), S_GT)
AVX2_BINARY(v2_ge, A2_CMP(_CMP_GE_OQ), S_GE)

static const binary_fn avx2_binary[] = {
    v2_add, v2_sub, v2_mul, v2_div, v2_max, v2_min, v2_eq, v2_ne, v2_lt, v2_le, v2_gt, v2_ge,
};

// AVX-512: comparisons give mask registers; a zero-masked move makes 1.0/0.0 and a masked
// blend picks x where the mask is set.
#define A5_CMP(P) _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(x, y, P), one)
#define A5_PICK(P) _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, y, P) | _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q), y, x)
#define AVX512_BINARY(NAME, V, S) VECTOR_BINARY(NAME, "avx512f", __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, V, S)

AVX512_BINARY(v5_add, _mm512_add_pd(x, y), S_ADD)
AVX512_BINARY(v5_sub, _mm512_sub_pd(x, y), S_SUB)
AVX512_BINARY(v5_mul, _mm512_mul_pd(x, y), S_MUL)
AVX512_BINARY(v5_div, _mm512_div_pd(x, y), S_DIV)
AVX512_BINARY(v5_max, A5_PICK(_CMP_GE_OQ), S_MAX)
AVX512_BINARY(v5_min, A5_PICK(_CMP_LE_OQ), S_MIN)
AVX512_BINARY(v5_eq, A5_CMP(_CMP_EQ_OQ), S_EQ)
AVX512_BINARY(v5_ne, A5_CMP(_CMP_NEQ_UQ), S_NE)
AVX512_BINARY(v5_lt, A5_CMP(_CMP_LT_OQ), S_LT)
AVX512_BINARY(v5_le, A5_CMP(_CMP_LE_OQ), S_LE)
AVX512_BINARY(v5_gt, A5_CMP(_CMP_GT_OQ), S_GT)
AVX512_BINARY(v5_ge, A5_CMP(_CMP_GE_OQ), S_GE)

static const binary_fn avx512_binary[] = {
    v5_add, v5_sub, v5_mul, v5_div, v5_max, v5_min, v5_eq, v5_ne, v5_lt, v5_le, v5_gt, v5_ge,
};

#endif

void ck_ew_binary(int op, ptrdiff_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
                  double *out, int level) {
    if (op < CK_EW_ADD || op > CK_EW_GE || n <= 0) return;
#ifdef CK_X86
    if (level >= CK_EW_AVX512 && ck_ew_best_level() >= CK_EW_AVX512) {
        avx512_binary[op](n, a, sa, b, sb, out);
        return;
    }
    if (level >= CK_EW_AVX2 && ck_ew_best_level() >= CK_EW_AVX2) {
        avx2_binary[op](n, a, sa, b, sb, out);
        return;
    }
#endif
    portable_binary[op](n, a, sa, b, sb, out);
}

// MARK: unary

#define S_NEG (-x)
#define S_ABS (fabs(x))
#define S_SQRT (sqrt(x))
#define S_RELU ((x > 0 || x != x) ? x : 0.0)

typedef void (*unary_fn)(ptrdiff_t, const double *, double *);

#define PORTABLE_UNARY(NAME, S) \
    static void NAME(ptrdiff_t n, const double *in, double *out) { \
        for (ptrdiff_t i = 0; i < n; i++) { double x = in[i]; out[i] = S; } \
    }

PORTABLE_UNARY(p_neg, S_NEG)
PORTABLE_UNARY(p_abs, S_ABS)
PORTABLE_UNARY(p_sqrt, S_SQRT)
PORTABLE_UNARY(p_relu, S_RELU)

static const unary_fn portable_unary[] = { p_neg, p_abs, p_sqrt, p_relu };

#ifdef CK_X86

#define VECTOR_UNARY(NAME, TARGET, VT, W, LOAD, STORE, SET1, V, S)                                 \
    __attribute__((target(TARGET))) static void NAME(ptrdiff_t n, const double *in, double *out) { \
        const VT sign = SET1(-0.0), zero = SET1(0.0);                                               \
        (void)sign; (void)zero;                                                                     \
        ptrdiff_t i = 0;                                                                            \
        for (; i + 2 * W <= n; i += 2 * W) {                                                        \
            VT x = LOAD(in + i);                                                                    \
            VT r0 = V;                                                                              \
            x = LOAD(in + i + W);                                                                   \
            STORE(out + i, r0);                                                                     \
            STORE(out + i + W, V);                                                                  \
        }                                                                                           \
        for (; i < n; i++) { double x = in[i]; out[i] = S; }                                        \
    }

#define AVX2_UNARY(NAME, V, S) VECTOR_UNARY(NAME, "avx2", __m256d, 4, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, V, S)
AVX2_UNARY(v2_neg, _mm256_xor_pd(x, sign), S_NEG)
AVX2_UNARY(v2_abs, _mm256_andnot_pd(sign, x), S_ABS)
AVX2_UNARY(v2_sqrt, _mm256_sqrt_pd(x), S_SQRT)
AVX2_UNARY(v2_relu, _mm256_blendv_pd(zero, x, _mm256_or_pd(_mm256_cmp_pd(x, zero, _CMP_GT_OQ), _mm256_cmp_pd(x, x, _CMP_UNORD_Q))), S_RELU)
static const unary_fn avx2_unary[] = { v2_neg, v2_abs, v2_sqrt, v2_relu };

// AVX-512F has no floating-point xor/andnot (those are AVX-512DQ): integer ops on the bits instead.
#define A5_BITS(OP, A, B) _mm512_castsi512_pd(OP(_mm512_castpd_si512(A), _mm512_castpd_si512(B)))
#define AVX512_UNARY(NAME, V, S) VECTOR_UNARY(NAME, "avx512f", __m512d, 8, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, V, S)
AVX512_UNARY(v5_neg, A5_BITS(_mm512_xor_si512, x, sign), S_NEG)
AVX512_UNARY(v5_abs, A5_BITS(_mm512_andnot_si512, sign, x), S_ABS)
AVX512_UNARY(v5_sqrt, _mm512_sqrt_pd(x), S_SQRT)
AVX512_UNARY(v5_relu, _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, zero, _CMP_GT_OQ) | _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q), zero, x), S_RELU)
static const unary_fn avx512_unary[] = { v5_neg, v5_abs, v5_sqrt, v5_relu };

#endif

void ck_ew_unary(int op, ptrdiff_t n, const double *x, double *out, int level) {
    if (op < CK_EW_NEG || op > CK_EW_RELU || n <= 0) return;
#ifdef CK_X86
    if (level >= CK_EW_AVX512 && ck_ew_best_level() >= CK_EW_AVX512) {
        avx512_unary[op](n, x, out);
        return;
    }
    if (level >= CK_EW_AVX2 && ck_ew_best_level() >= CK_EW_AVX2) {
        avx2_unary[op](n, x, out);
        return;
    }
#endif
    portable_unary[op](n, x, out);
}
