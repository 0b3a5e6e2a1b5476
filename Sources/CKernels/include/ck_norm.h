#ifndef CK_NORM_H
#define CK_NORM_H

#include <stddef.h>

// The inner loops of batch normalisation's two passes over memory. Each exists twice, AVX2 and
// portable, with the same lanes and the same order of operations (a fused multiply-add appears only
// as a · 1 + b, which rounds as a + b does), so the result is bit for bit the same on every CPU;
// `portable` non-zero forces the portable loop.

/// The vector part of `MomentsKernel.deviations` over p[0, n), n a multiple of 16: squared
/// deviations from m summed in blocks of `block` elements (a multiple of 16) whose lanes are then
/// added with TwoSum. Writes 12 doubles to `lanes`: the total s[4], its error c[4], and Σ(x − m) d[4].
void ck_deviations(const double *p, ptrdiff_t n, double m, ptrdiff_t block, double *lanes, int portable);

/// One read for both moments of a run, over p[0, n), n a multiple of 16: a biased exact sum
/// (Fast2Sum in 8 lanes started at `bias`, lane l taking elements l, l + 8, …; see the Swift
/// `MomentsKernel`) and Σ(x − center)² summed as `ck_deviations` sums squares. Writes 24 doubles to
/// `lanes`: the accumulators s0[4], s1[4] (still biased), their errors c0[4], c1[4], then the
/// squares' total[4] and error[4].
void ck_fused_moments(const double *p, ptrdiff_t n, double bias, double center, ptrdiff_t block, double *lanes,
                      int portable);

/// y[i] = (x[i] − m) · s + b for i in [0, n): one channel's run. With `streaming` non-zero the
/// stores bypass the cache (for results far larger than it, which nothing reads soon); the thread
/// then calls `ck_store_fence` once after its last such run, before another thread reads y (a fence
/// per run of 4096 cost 2 % of the pass).
void ck_affine_run(const double *x, double *y, ptrdiff_t n, double m, double s, double b, int streaming, int portable);

/// Orders this thread's streaming stores before its later stores (an sfence on x86).
void ck_store_fence(void);

/// y[r·stride + j] = (x[r·stride + j] − m[j]) · s[j] + b[j] for rows r in [0, rows) and columns j
/// in [0, cols): a slab whose columns are channels.
void ck_affine_slab(const double *x, double *y, ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t stride,
                    const double *m, const double *s, const double *b, int streaming, int portable);

/// One run of the moments pass, as `MomentsKernel.run` needs it: the bias and center from the
/// run's first 64 elements, both moments in one read (`ck_fused_moments`), the lanes added up, the
/// squares turned into squared deviations from the mean (or summed again from cache when that
/// would cancel), and the check that the biased sums were exact. Returns 1 and writes the sum, its
/// error, the mean, Σ(x − m)², its error and Σ(x − m) to out[0…5]; returns 0 when the run needs
/// TwoSum on every element instead (zero, tiny, huge or non-finite values, or outliers).
int ck_moments_run(const double *p, ptrdiff_t n, ptrdiff_t block, int portable, double *out);

/// What each element adds in `ck_two_sum`: x, (x − p)², or (x · p)².
enum { CK_TERM_PLAIN = 0, CK_TERM_CENTERED_SQUARE = 1, CK_TERM_SCALED_SQUARE = 2 };

/// The vector part of the compensated sum `SumKernel.runSum` over p[0, n), n a multiple of 16:
/// 16 lanes (two accumulators of 8) each running TwoSum on the term of each element. Writes 32
/// doubles to `lanes`: s0[8], s1[8] (starting at -0) and their errors c0[8], c1[8].
void ck_two_sum(const double *p, ptrdiff_t n, int term, double parameter, double *lanes, int portable);

/// The compensated sum of the terms of p[0, n) as result[0] (sum) and result[1] (error): the lanes
/// of `ck_two_sum` over the first n rounded down to 16, added by halving with TwoSum (16 → 8 → 4 →
/// 2 → 1), their errors added, then the rest one TwoSum at a time. One call per run, for runs so
/// short that the lanes' setup and reduction cost as much as the loop.
void ck_run_sum(const double *p, ptrdiff_t n, int term, double parameter, double *result, int portable);

/// Adds the terms of p[0, n) to 16 lanes kept by the caller, in `ck_two_sum`'s layout (s[16] then
/// their errors c[16]; lanes 0–7 are s0, 8–15 s1): element i of each whole block of 16 goes by
/// TwoSum into lane i, and the j-th element past the last whole block into lane j. For many short
/// runs of one output: the lanes are added up once, by `ck_lanes_total`, instead of once per run.
void ck_lanes_add(const double *p, ptrdiff_t n, int term, double parameter, double *lanes, int portable);

/// The lanes' compensated total as result[0] (sum) and result[1] (error), halved as in `ck_run_sum`.
void ck_lanes_total(const double *lanes, double *result);

// The AVX2 loops run when `ck_dgemm_has_avx2()` (ckernels.h) says the CPU has AVX2.

#endif
