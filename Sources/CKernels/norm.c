// Batch normalisation's loops over memory: the moments pass (an exact biased sum and the squared
// deviations from a nearby center in one read, or from the mean of a chunk that is still in cache) and the normalising pass y = (x − m)·s + b.
//
// The Swift reductions compile for baseline x86-64, where a 4-lane vector is two SSE2 halves and
// the moments pass is bound by arithmetic, not memory; here the same lanes run as one AVX2 vector
// when the CPU has it. Every operation is rounded on its own, in the Swift code's order, so both
// paths give the Swift code's bits.
#include "ck_norm.h"
#include "ckernels.h"
#include <math.h>
#include <stdatomic.h>


#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CK_X86 1
#endif

#pragma clang fp contract(off)

// MARK: - Portable loops (4 lanes as arrays; the order of every operation is the AVX2 loops')

/// Adds a finished block's two partial squares to the lanes' compensated totals (TwoSum per lane).
static inline void add_block_portable(double *total, double *error, const double *q0, const double *q1) {
    for (int l = 0; l < 4; l++) {
        double q = q0[l] + q1[l];
        double u = total[l] + q;
        double bb = u - total[l];
        error[l] += (total[l] - (u - bb)) + (q - bb);
        total[l] = u;
    }
}

static void deviations_portable(const double *p, ptrdiff_t n, double m, ptrdiff_t block, double *lanes) {
    double s[4] = {0, 0, 0, 0}, c[4] = {0, 0, 0, 0}, d[4] = {0, 0, 0, 0};
    ptrdiff_t j = 0;
    while (j < n) {
        ptrdiff_t end = j + block < n ? j + block : n;
        double q0[4] = {0, 0, 0, 0}, q1[4] = {0, 0, 0, 0};
        for (; j < end; j += 16) {
            for (int l = 0; l < 4; l++) {
                double e0 = p[j + l] - m, e1 = p[j + 4 + l] - m;
                q0[l] += e0 * e0 + e1 * e1;
                double e2 = p[j + 8 + l] - m, e3 = p[j + 12 + l] - m;
                q1[l] += e2 * e2 + e3 * e3;
                d[l] += (e0 + e1) + (e2 + e3);
            }
        }
        add_block_portable(s, c, q0, q1);
    }
    for (int l = 0; l < 4; l++) {
        lanes[l] = s[l];
        lanes[4 + l] = c[l];
        lanes[8 + l] = d[l];
    }
}

static void fused_moments_portable(const double *p, ptrdiff_t n, double bias, double center, ptrdiff_t block,
                                   double *lanes) {
    double s0[4], s1[4], c0[4] = {0, 0, 0, 0}, c1[4] = {0, 0, 0, 0};
    double t[4] = {0, 0, 0, 0}, e[4] = {0, 0, 0, 0};
    for (int l = 0; l < 4; l++) s0[l] = s1[l] = bias;
    ptrdiff_t j = 0;
    while (j < n) {
        ptrdiff_t end = j + block < n ? j + block : n;
        double q0[4] = {0, 0, 0, 0}, q1[4] = {0, 0, 0, 0};
        for (; j < end; j += 16) {
            for (int l = 0; l < 4; l++) {
                double x0 = p[j + l], x1 = p[j + 4 + l], x2 = p[j + 8 + l], x3 = p[j + 12 + l];
                double u0 = s0[l] + x0;
                c0[l] += x0 - (u0 - s0[l]);
                double u1 = s1[l] + x1;
                c1[l] += x1 - (u1 - s1[l]);
                double v0 = u0 + x2;
                c0[l] += x2 - (v0 - u0);
                double v1 = u1 + x3;
                c1[l] += x3 - (v1 - u1);
                s0[l] = v0;
                s1[l] = v1;
                double d0 = x0 - center, d1 = x1 - center, d2 = x2 - center, d3 = x3 - center;
                q0[l] += d0 * d0 + d1 * d1;
                q1[l] += d2 * d2 + d3 * d3;
            }
        }
        add_block_portable(t, e, q0, q1);
    }
    for (int l = 0; l < 4; l++) {
        lanes[l] = s0[l];
        lanes[4 + l] = s1[l];
        lanes[8 + l] = c0[l];
        lanes[12 + l] = c1[l];
        lanes[16 + l] = t[l];
        lanes[20 + l] = e[l];
    }
}

static void affine_run_portable(const double *x, double *y, ptrdiff_t n, double m, double s, double b) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = (x[i] - m) * s + b;
}

static void affine_slab_portable(const double *x, double *y, ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t stride,
                                 const double *m, const double *s, const double *b) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const double *xr = x + r * stride;
        double *yr = y + r * stride;
        for (ptrdiff_t j = 0; j < cols; j++) yr[j] = (xr[j] - m[j]) * s[j] + b[j];
    }
}

/// TwoSum of `x` into `*s` with its error added to `*c`.
static inline void two_sum_scalar(double *s, double *c, double x) {
    double t = *s + x;
    double bb = t - *s;
    *c += (*s - (t - bb)) + (x - bb);
    *s = t;
}

static inline double term_of(double x, int term, double p) {
    if (term == CK_TERM_CENTERED_SQUARE) {
        double d = x - p;
        return d * d;
    }
    if (term == CK_TERM_SCALED_SQUARE) {
        double d = x * p;
        return d * d;
    }
    return x;
}

static void two_sum_portable(const double *p, ptrdiff_t n, int term, double parameter, double *lanes) {
    double s0[8], s1[8], c0[8] = {0}, c1[8] = {0};
    for (int l = 0; l < 8; l++) s0[l] = s1[l] = -0.0;
    for (ptrdiff_t j = 0; j + 16 <= n; j += 16) {
        for (int l = 0; l < 8; l++) {
            double x0 = term_of(p[j + l], term, parameter), x1 = term_of(p[j + 8 + l], term, parameter);
            double t0 = s0[l] + x0, t1 = s1[l] + x1;
            double b0 = t0 - s0[l], b1 = t1 - s1[l];
            c0[l] += (s0[l] - (t0 - b0)) + (x0 - b0);
            c1[l] += (s1[l] - (t1 - b1)) + (x1 - b1);
            s0[l] = t0;
            s1[l] = t1;
        }
    }
    for (int l = 0; l < 8; l++) {
        lanes[l] = s0[l];
        lanes[8 + l] = s1[l];
        lanes[16 + l] = c0[l];
        lanes[24 + l] = c1[l];
    }
}

// MARK: - AVX2 loops

#ifdef CK_X86
/// The term of four elements; `term` is a constant in each caller, so the branches fold away.
__attribute__((target("avx2"), always_inline))
static inline __m256d term_avx2(__m256d x, int term, __m256d p) {
    if (term == CK_TERM_CENTERED_SQUARE) {
        __m256d d = _mm256_sub_pd(x, p);
        return _mm256_mul_pd(d, d);
    }
    if (term == CK_TERM_SCALED_SQUARE) {
        __m256d d = _mm256_mul_pd(x, p);
        return _mm256_mul_pd(d, d);
    }
    return x;
}

/// TwoSum of `t` into the lane accumulators `s` and `c`.
#define CK_TWO_SUM(s, c, t)                                                                               \
    do {                                                                                                  \
        __m256d sum_ = _mm256_add_pd(s, t);                                                               \
        __m256d b_ = _mm256_sub_pd(sum_, s);                                                              \
        c = _mm256_add_pd(c, _mm256_add_pd(_mm256_sub_pd(s, _mm256_sub_pd(sum_, b_)), _mm256_sub_pd(t, b_))); \
        s = sum_;                                                                                         \
    } while (0)

/// Calls `fn(p, n, TERM, parameter, out)` with the term as a constant, so each term's loop is
/// compiled on its own with the term's branches folded away.
#define CK_WITH_CONSTANT_TERM(fn, p, n, term, parameter, out)                                           \
    do {                                                                                                \
        switch (term) {                                                                                 \
        case CK_TERM_CENTERED_SQUARE: fn(p, n, CK_TERM_CENTERED_SQUARE, parameter, out); break;         \
        case CK_TERM_SCALED_SQUARE: fn(p, n, CK_TERM_SCALED_SQUARE, parameter, out); break;             \
        default: fn(p, n, CK_TERM_PLAIN, parameter, out); break;                                        \
        }                                                                                               \
    } while (0)

/// The TwoSum lanes' loop over whole blocks of 16: s[0], s[1] are lanes 0–3 and 4–7 (the
/// portable loop's s0), s[2], s[3] lanes 8–15 (its s1); c their errors. Inlined, the arrays are
/// registers.
__attribute__((target("avx2"), always_inline))
static inline void two_sum_blocks_avx2(const double *p, ptrdiff_t n, const int term, double parameter, __m256d *s,
                                       __m256d *c) {
    __m256d pv = _mm256_set1_pd(parameter);
    for (ptrdiff_t j = 0; j + 16 <= n; j += 16) {
        for (int v = 0; v < 4; v++) {
            __m256d x = term_avx2(_mm256_loadu_pd(p + j + 4 * v), term, pv);
            CK_TWO_SUM(s[v], c[v], x);
        }
    }
}

/// The lanes of `a` then `b` added one by one to `start`, in lane order.
__attribute__((target("avx2"), always_inline))
static inline double lanes_in_order(double start, __m256d a, __m256d b) {
    double v[8];
    _mm256_storeu_pd(v, a);
    _mm256_storeu_pd(v + 4, b);
    for (int l = 0; l < 8; l++) start += v[l];
    return start;
}

/// TwoSum of the lanes of a and b, lane by lane: the sums, and the errors in `error`.
#define CK_TWO_SUM_LANES(t, error, a, b, add, sub)                                                       \
    do {                                                                                                  \
        t = add(a, b);                                                                                    \
        __m256d bb_ = sub(t, a);                                                                          \
        error = add(sub(a, sub(t, bb_)), sub(b, bb_));                                                    \
    } while (0)

/// `ck_run_sum` with the lanes kept in registers from the loop to the last halving.
__attribute__((target("avx2"), always_inline))
static inline void run_sum_avx2_term(const double *p, ptrdiff_t n, const int term, double parameter, double *result) {
    __m256d lane[4], error[4];
    for (int v = 0; v < 4; v++) {
        lane[v] = _mm256_set1_pd(-0.0);
        error[v] = _mm256_setzero_pd();
    }
    two_sum_blocks_avx2(p, n, term, parameter, lane, error);
    __m256d s0a = lane[0], s0b = lane[1], s1a = lane[2], s1b = lane[3];
    __m256d c0a = error[0], c0b = error[1], c1a = error[2], c1b = error[3];
    ptrdiff_t j = n & ~(ptrdiff_t)15;
    // 16 → 8: lane l of s0 with lane l of s1.
    __m256d t8a, t8b, e8a, e8b;
    CK_TWO_SUM_LANES(t8a, e8a, s0a, s1a, _mm256_add_pd, _mm256_sub_pd);
    CK_TWO_SUM_LANES(t8b, e8b, s0b, s1b, _mm256_add_pd, _mm256_sub_pd);
    double e8 = lanes_in_order(-0.0, e8a, e8b);
    // 8 → 4: lane l with lane l + 4.
    __m256d t4, e4v;
    CK_TWO_SUM_LANES(t4, e4v, t8a, t8b, _mm256_add_pd, _mm256_sub_pd);
    double e4s[4];
    _mm256_storeu_pd(e4s, e4v);
    double e4 = -0.0;
    for (int l = 0; l < 4; l++) e4 += e4s[l];
    // 4 → 2 → 1 as scalars.
    double t4s[4];
    _mm256_storeu_pd(t4s, t4);
    double t2[2], e2 = -0.0;
    for (int l = 0; l < 2; l++) {
        double a = t4s[l], b = t4s[l + 2];
        double t = a + b, bb = t - a;
        t2[l] = t;
        e2 += (a - (t - bb)) + (b - bb);
    }
    double s = t2[0], c = 0;
    two_sum_scalar(&s, &c, t2[1]);
    c = ((c + e8) + e4) + e2;
    c += lanes_in_order(-0.0, _mm256_add_pd(c0a, c1a), _mm256_add_pd(c0b, c1b));
    for (; j < n; j++) two_sum_scalar(&s, &c, term_of(p[j], term, parameter));
    result[0] = s;
    result[1] = c;
}

__attribute__((target("avx2")))
static void run_sum_avx2(const double *p, ptrdiff_t n, int term, double parameter, double *result) {
    CK_WITH_CONSTANT_TERM(run_sum_avx2_term, p, n, term, parameter, result);
}

/// `ck_lanes_add`'s whole blocks of 16: the lanes are loaded, run as in `ck_two_sum`, and stored back.
__attribute__((target("avx2"), always_inline))
static inline void lanes_add_avx2_term(const double *p, ptrdiff_t n, const int term, double parameter, double *lanes) {
    __m256d s[4], c[4];
    for (int v = 0; v < 4; v++) {
        s[v] = _mm256_loadu_pd(lanes + 4 * v);
        c[v] = _mm256_loadu_pd(lanes + 16 + 4 * v);
    }
    two_sum_blocks_avx2(p, n, term, parameter, s, c);
    for (int v = 0; v < 4; v++) {
        _mm256_storeu_pd(lanes + 4 * v, s[v]);
        _mm256_storeu_pd(lanes + 16 + 4 * v, c[v]);
    }
}

__attribute__((target("avx2")))
static void lanes_add_avx2(const double *p, ptrdiff_t n, int term, double parameter, double *lanes) {
    CK_WITH_CONSTANT_TERM(lanes_add_avx2_term, p, n, term, parameter, lanes);
}

__attribute__((target("avx2")))
static void deviations_avx2(const double *p, ptrdiff_t n, double m, ptrdiff_t block, double *lanes) {
    __m256d m4 = _mm256_set1_pd(m);
    __m256d s = _mm256_setzero_pd(), c = s, d = s;
    ptrdiff_t j = 0;
    while (j < n) {
        ptrdiff_t end = j + block < n ? j + block : n;
        __m256d q0 = _mm256_setzero_pd(), q1 = q0;
        for (; j < end; j += 16) {
            // The next stretch of memory (the walk's next run starts where this one ends) is
            // fetched while this cached one is summed again, so memory is never idle.
            _mm_prefetch((const char *)(p + n + j), _MM_HINT_T1);
            _mm_prefetch((const char *)(p + n + j + 8), _MM_HINT_T1);
            __m256d e0 = _mm256_sub_pd(_mm256_loadu_pd(p + j), m4);
            __m256d e1 = _mm256_sub_pd(_mm256_loadu_pd(p + j + 4), m4);
            q0 = _mm256_add_pd(q0, _mm256_add_pd(_mm256_mul_pd(e0, e0), _mm256_mul_pd(e1, e1)));
            __m256d e2 = _mm256_sub_pd(_mm256_loadu_pd(p + j + 8), m4);
            __m256d e3 = _mm256_sub_pd(_mm256_loadu_pd(p + j + 12), m4);
            q1 = _mm256_add_pd(q1, _mm256_add_pd(_mm256_mul_pd(e2, e2), _mm256_mul_pd(e3, e3)));
            d = _mm256_add_pd(d, _mm256_add_pd(_mm256_add_pd(e0, e1), _mm256_add_pd(e2, e3)));
        }
        __m256d q = _mm256_add_pd(q0, q1);
        CK_TWO_SUM(s, c, q);
    }
    _mm256_storeu_pd(lanes, s);
    _mm256_storeu_pd(lanes + 4, c);
    _mm256_storeu_pd(lanes + 8, d);
}

/// a + b and a − b on the fused multiply-add units: (a · 1) + b and (b · −1) + a round once, exactly
/// as the add and the subtract do, so the bits are the same; the adds then share the CPU's
/// multiply ports with the multiplies instead of queueing on the two add ports. `one` must come
/// from `ck_opaque_one`, or the compiler folds the product back into an add.
#define CK_ADD_ON_FMA(a, b, one) _mm256_fmadd_pd(a, one, b)
#define CK_SUB_ON_FMA(a, b, minus_one) _mm256_fmadd_pd(b, minus_one, a)

/// 1.0 in every lane, hidden from the optimiser.
__attribute__((target("avx2"), always_inline))
static inline __m256d ck_opaque_one(void) {
    __m256d one = _mm256_set1_pd(1.0);
    __asm__("" : "+x"(one));
    return one;
}

/// The moments loop is bound by arithmetic whenever memory is fast: 28 vector operations per 16
/// elements, 24 of them adds, on a CPU with two add ports. Ten of the adds run on the FMA units.
__attribute__((target("avx2,fma")))
static void fused_moments_avx2(const double *p, ptrdiff_t n, double bias, double center, ptrdiff_t block,
                               double *lanes) {
    __m256d s0 = _mm256_set1_pd(bias), s1 = s0, c0 = _mm256_setzero_pd(), c1 = c0;
    __m256d k4 = _mm256_set1_pd(center), t = _mm256_setzero_pd(), e = t;
    __m256d one = ck_opaque_one(), minus = _mm256_sub_pd(_mm256_setzero_pd(), one);
    ptrdiff_t j = 0;
    while (j < n) {
        ptrdiff_t end = j + block < n ? j + block : n;
        __m256d q0 = _mm256_setzero_pd(), q1 = q0;
        for (; j < end; j += 16) {
            __m256d x0 = _mm256_loadu_pd(p + j), x1 = _mm256_loadu_pd(p + j + 4);
            __m256d x2 = _mm256_loadu_pd(p + j + 8), x3 = _mm256_loadu_pd(p + j + 12);
            __m256d u0 = _mm256_add_pd(s0, x0);
            c0 = CK_ADD_ON_FMA(c0, _mm256_sub_pd(x0, _mm256_sub_pd(u0, s0)), one);
            __m256d u1 = _mm256_add_pd(s1, x1);
            c1 = CK_ADD_ON_FMA(c1, _mm256_sub_pd(x1, _mm256_sub_pd(u1, s1)), one);
            __m256d v0 = _mm256_add_pd(u0, x2);
            c0 = CK_ADD_ON_FMA(c0, _mm256_sub_pd(x2, _mm256_sub_pd(v0, u0)), one);
            __m256d v1 = _mm256_add_pd(u1, x3);
            c1 = CK_ADD_ON_FMA(c1, _mm256_sub_pd(x3, _mm256_sub_pd(v1, u1)), one);
            s0 = v0;
            s1 = v1;
            __m256d d0 = CK_SUB_ON_FMA(x0, k4, minus), d1 = CK_SUB_ON_FMA(x1, k4, minus);
            __m256d d2 = CK_SUB_ON_FMA(x2, k4, minus), d3 = CK_SUB_ON_FMA(x3, k4, minus);
            q0 = _mm256_add_pd(q0, CK_ADD_ON_FMA(_mm256_mul_pd(d0, d0), _mm256_mul_pd(d1, d1), one));
            q1 = _mm256_add_pd(q1, CK_ADD_ON_FMA(_mm256_mul_pd(d2, d2), _mm256_mul_pd(d3, d3), one));
        }
        __m256d q = _mm256_add_pd(q0, q1);
        CK_TWO_SUM(t, e, q);
    }
    _mm256_storeu_pd(lanes, s0);
    _mm256_storeu_pd(lanes + 4, s1);
    _mm256_storeu_pd(lanes + 8, c0);
    _mm256_storeu_pd(lanes + 12, c1);
    _mm256_storeu_pd(lanes + 16, t);
    _mm256_storeu_pd(lanes + 20, e);
}

__attribute__((target("avx2")))
static void affine_run_avx2(const double *x, double *y, ptrdiff_t n, double m, double s, double b, int streaming) {
    __m256d m4 = _mm256_set1_pd(m), s4 = _mm256_set1_pd(s), b4 = _mm256_set1_pd(b);
    ptrdiff_t i = 0;
    if (streaming) {
        // Non-temporal stores need 32-byte alignment: the head goes one element at a time.
        while (i < n && ((size_t)(y + i) & 31) != 0) {
            y[i] = (x[i] - m) * s + b;
            i++;
        }
        for (; i + 8 <= n; i += 8) {
            __m256d a0 = _mm256_loadu_pd(x + i), a1 = _mm256_loadu_pd(x + i + 4);
            _mm256_stream_pd(y + i, _mm256_add_pd(_mm256_mul_pd(_mm256_sub_pd(a0, m4), s4), b4));
            _mm256_stream_pd(y + i + 4, _mm256_add_pd(_mm256_mul_pd(_mm256_sub_pd(a1, m4), s4), b4));
        }
    } else {
        for (; i + 8 <= n; i += 8) {
            __m256d a0 = _mm256_loadu_pd(x + i), a1 = _mm256_loadu_pd(x + i + 4);
            _mm256_storeu_pd(y + i, _mm256_add_pd(_mm256_mul_pd(_mm256_sub_pd(a0, m4), s4), b4));
            _mm256_storeu_pd(y + i + 4, _mm256_add_pd(_mm256_mul_pd(_mm256_sub_pd(a1, m4), s4), b4));
        }
    }
    for (; i < n; i++) y[i] = (x[i] - m) * s + b;
}

__attribute__((target("avx2")))
static void affine_slab_avx2(const double *x, double *y, ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t stride,
                             const double *m, const double *s, const double *b) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const double *xr = x + r * stride;
        double *yr = y + r * stride;
        ptrdiff_t j = 0;
        for (; j + 4 <= cols; j += 4) {
            __m256d v = _mm256_sub_pd(_mm256_loadu_pd(xr + j), _mm256_loadu_pd(m + j));
            v = _mm256_add_pd(_mm256_mul_pd(v, _mm256_loadu_pd(s + j)), _mm256_loadu_pd(b + j));
            _mm256_storeu_pd(yr + j, v);
        }
        for (; j < cols; j++) yr[j] = (xr[j] - m[j]) * s[j] + b[j];
    }
}
#endif

// MARK: - Dispatch

void ck_two_sum(const double *p, ptrdiff_t n, int term, double parameter, double *lanes, int portable) {
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) {
        for (int l = 0; l < 16; l++) {
            lanes[l] = -0.0;
            lanes[16 + l] = 0;
        }
        lanes_add_avx2(p, n, term, parameter, lanes);
        return;
    }
#endif
    two_sum_portable(p, n, term, parameter, lanes);
}

/// Adds a[l] + b[l] for l in [0, width) with TwoSum: the sums go to t, the errors' plain sum
/// (from -0, lane by lane) is returned.
static inline double two_sum_halves(const double *a, const double *b, double *t, int width) {
    double errors = -0.0;
    for (int l = 0; l < width; l++) {
        double sum = a[l] + b[l];
        double bb = sum - a[l];
        t[l] = sum;
        errors += (a[l] - (sum - bb)) + (b[l] - bb);
    }
    return errors;
}

/// Swift's `lanesTotal(a[0..<8], a[8..<16])`: the 16 lanes halved with TwoSum to (sum, error).
static void lanes16_total(const double *a, double *sum, double *error) {
    double t8[8], t4[4], t2[2];
    double e8 = two_sum_halves(a, a + 8, t8, 8);
    double e4 = two_sum_halves(t8, t8 + 4, t4, 4);
    double e2 = two_sum_halves(t4, t4 + 2, t2, 2);
    double s = t2[0], c = 0;
    two_sum_scalar(&s, &c, t2[1]);
    *sum = s;
    *error = ((c + e8) + e4) + e2;
}

/// The halving of `ck_run_sum` on lanes in `ck_two_sum`'s layout: (sum, error) into result.
static void lanes_total(const double *lanes, double *result) {
    double s, c;
    lanes16_total(lanes, &s, &c);
    double lanesError = -0.0;
    for (int l = 0; l < 8; l++) lanesError += lanes[16 + l] + lanes[24 + l];
    result[0] = s;
    result[1] = c + lanesError;
}

void ck_run_sum(const double *p, ptrdiff_t n, int term, double parameter, double *result, int portable) {
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) {
        run_sum_avx2(p, n, term, parameter, result);
        return;
    }
#endif
    double lanes[32];
    ptrdiff_t vectorEnd = n & ~(ptrdiff_t)15;
    ck_two_sum(p, vectorEnd, term, parameter, lanes, portable);
    lanes_total(lanes, result);
    for (ptrdiff_t j = vectorEnd; j < n; j++) two_sum_scalar(&result[0], &result[1], term_of(p[j], term, parameter));
}

void ck_lanes_total(const double *lanes, double *result) { lanes_total(lanes, result); }

void ck_lanes_add(const double *p, ptrdiff_t n, int term, double parameter, double *lanes, int portable) {
    ptrdiff_t vectorEnd = n & ~(ptrdiff_t)15;
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) {
        lanes_add_avx2(p, vectorEnd, term, parameter, lanes);
    } else
#endif
    {
        for (ptrdiff_t j = 0; j < vectorEnd; j += 16)
            for (int l = 0; l < 16; l++) two_sum_scalar(&lanes[l], &lanes[16 + l], term_of(p[j + l], term, parameter));
    }
    for (ptrdiff_t j = vectorEnd; j < n; j++)
        two_sum_scalar(&lanes[j - vectorEnd], &lanes[16 + j - vectorEnd], term_of(p[j], term, parameter));
}

/// Whether the CPU has FMA as well as AVX2 (asked once).
static int has_avx2_fma(void) {
#ifdef CK_X86
    static atomic_int cached = -1;
    int known = atomic_load_explicit(&cached, memory_order_relaxed);
    if (known < 0) {
        __builtin_cpu_init();
        known = ck_dgemm_has_avx2() && __builtin_cpu_supports("fma") ? 1 : 0;
        atomic_store_explicit(&cached, known, memory_order_relaxed);
    }
    return known;
#else
    return 0;
#endif
}

void ck_fused_moments(const double *p, ptrdiff_t n, double bias, double center, ptrdiff_t block, double *lanes,
                      int portable) {
#ifdef CK_X86
    if (!portable && has_avx2_fma()) {
        fused_moments_avx2(p, n, bias, center, block, lanes);
        return;
    }
#endif
    fused_moments_portable(p, n, bias, center, block, lanes);
}

void ck_deviations(const double *p, ptrdiff_t n, double m, ptrdiff_t block, double *lanes, int portable) {
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) {
        deviations_avx2(p, n, m, block, lanes);
        return;
    }
#endif
    deviations_portable(p, n, m, block, lanes);
}

// MARK: - One run of the moments pass

/// The lanes of `a` in order, from −0 (Swift's `SIMD.sum()`).
static inline double sum_in_order(const double *a, int count) {
    double r = -0.0;
    for (int l = 0; l < count; l++) r += a[l];
    return r;
}

/// s + c when the sum is finite and c adds something, else s (Swift's `compensatedTotal`).
static inline double compensated_total(double s, double c) { return isfinite(s) && c != 0 ? s + c : s; }

int ck_moments_run(const double *p, ptrdiff_t n, ptrdiff_t block, int portable, double *out) {
    // The bias and center from the first 64 elements: 8 lanes of sums and largest magnitudes.
    double largest = 0, total = 0;
    ptrdiff_t samples;
    if (n >= 64) {
        samples = 64;
        double sums[8] = {0}, magnitudes[8] = {0};
        for (int k = 0; k < 64; k += 8) {
            for (int l = 0; l < 8; l++) {
                double v = p[k + l], a = v < 0 ? -v : v;
                sums[l] += v;
                if (a > magnitudes[l]) magnitudes[l] = a;
            }
        }
        largest = magnitudes[0];
        for (int l = 1; l < 8; l++)
            if (magnitudes[l] > largest) largest = magnitudes[l];
        total = sum_in_order(sums, 8);
    } else {
        samples = n;
        for (ptrdiff_t i = 0; i < n; i++) {
            double a = fabs(p[i]);
            if (a >= largest) largest = a;  // Swift.max(largest, a): a when a >= largest, so nan is passed over
            total += p[i];
        }
    }
    if (!(largest >= 0x1p-300 && largest <= 0x1p900)) return 0;
    double bias = ldexp(1.0, ilogb(largest) + 21), center = total / (double)samples;

    // Both moments in one read, then the lanes added up as the Swift code did.
    ptrdiff_t vectorEnd = n & ~(ptrdiff_t)15;
    double lanes[24];
    ck_fused_moments(p, vectorEnd, bias, center, block, lanes, portable);
    double shifted[16] = {0};
    for (int l = 0; l < 8; l++) shifted[l] = lanes[l] - bias;
    double s, c, sq, e;
    lanes16_total(shifted, &s, &c);
    double errors[4];
    for (int l = 0; l < 4; l++) errors[l] = lanes[8 + l] + lanes[12 + l];
    c += sum_in_order(errors, 4);
    double squares[16] = {0};
    for (int l = 0; l < 4; l++) squares[l] = lanes[16 + l];
    lanes16_total(squares, &sq, &e);
    e += sum_in_order(lanes + 20, 4);
    for (ptrdiff_t j = vectorEnd; j < n; j++) {
        two_sum_scalar(&s, &c, p[j]);
        double d = p[j] - center;
        two_sum_scalar(&sq, &e, d * d);
    }
    double count = (double)n;
    double m = compensated_total(s, c) / count;
    // Σx − n·v with the product split exactly, so that only the final additions round.
#define CK_MINUS_PRODUCT(v) ((s - count * (v)) + (c - fma(count, (v), -(count * (v)))))
    double delta = m - center;
    double shift = 2 * delta * CK_MINUS_PRODUCT(center) - count * delta * delta;
    double q, qc, d;
    if (isfinite(sq) && isfinite(shift) && fabs(shift) <= sq / 8) {
        q = sq;
        qc = e - shift;
        d = CK_MINUS_PRODUCT(m);
    } else {
        // The identity would cancel too much: the squared deviations from the mean, from cache.
        double dl[12];
        ck_deviations(p, vectorEnd, m, block, dl, portable);
        double first[16] = {0};
        for (int l = 0; l < 4; l++) first[l] = dl[l];
        lanes16_total(first, &q, &qc);
        qc += sum_in_order(dl + 4, 4);
        d = sum_in_order(dl + 8, 4);
        for (ptrdiff_t j = vectorEnd; j < n; j++) {
            double x = p[j] - m;
            d += x;
            two_sum_scalar(&q, &qc, x * x);
        }
    }
#undef CK_MINUS_PRODUCT
    // The biased sums were exact only if no lane's Σ|x| reached an eighth of the bias.
    double lane = (double)((n + 7) / 8);
    double bound = sqrt(lane * (q + qc)) + lane * fabs(m) + 0x1p-400;
    if (!(8 * bound <= bias)) return 0;
    out[0] = s;
    out[1] = c;
    out[2] = m;
    out[3] = q;
    out[4] = qc;
    out[5] = d;
    return 1;
}

void ck_affine_run(const double *x, double *y, ptrdiff_t n, double m, double s, double b, int streaming, int portable) {
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) {
        affine_run_avx2(x, y, n, m, s, b, streaming);
        return;
    }
#endif
    (void)streaming;
    affine_run_portable(x, y, n, m, s, b);
}

void ck_store_fence(void) {
#ifdef CK_X86
    _mm_sfence();
#endif
}

void ck_affine_slab(const double *x, double *y, ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t stride,
                    const double *m, const double *s, const double *b, int streaming, int portable) {
    (void)streaming;
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) {
        affine_slab_avx2(x, y, rows, cols, stride, m, s, b);
        return;
    }
#endif
    affine_slab_portable(x, y, rows, cols, stride, m, s, b);
}
