// Double-precision matrix product with packed panels and a register-blocked micro-kernel.
//
// Rounding is that of the naive loop on purpose: each product is rounded, then added, in
// order of the inner index. With FMA the last digit of printed lesson numbers would depend
// on the CPU; on AMD Zen, separate multiplies and adds run on separate pipes, so the
// throughput matches FMA anyway.
#include "ckernels.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CK_X86 1
#endif

// Keep a*b+c as two roundings in the portable kernel too (clang would fuse on aarch64).
#pragma clang fp contract(off)

enum {
    MR = 6,    // rows of the micro-tile
    NR = 8,    // columns of the micro-tile: two AVX2 vectors
    KC = 256,  // depth of a packed panel: an NR-wide B sliver (16 KiB) stays in L1
    MC = 72,   // rows of A packed at once (144 KiB, in L2)
    NC = 1024, // columns of B packed at once (2 MiB, in L3)
};

/// A's rows [0, mc) × depth [0, kc) as slivers of MR rows, each stored depth-major; short slivers zero-padded.
static void pack_a(ptrdiff_t mc, ptrdiff_t kc, const double *a, ptrdiff_t rsa, ptrdiff_t csa, double *out) {
    for (ptrdiff_t i0 = 0; i0 < mc; i0 += MR) {
        ptrdiff_t rows = mc - i0 < MR ? mc - i0 : MR;
        const double *base = a + i0 * rsa;
        for (ptrdiff_t t = 0; t < kc; t++) {
            const double *col = base + t * csa;
            ptrdiff_t r = 0;
            for (; r < rows; r++) out[r] = col[r * rsa];
            for (; r < MR; r++) out[r] = 0;
            out += MR;
        }
    }
}

/// B's depth [0, kc) × columns [0, nc) as slivers of NR columns, each stored depth-major; short slivers zero-padded.
static void pack_b(ptrdiff_t kc, ptrdiff_t nc, const double *b, ptrdiff_t rsb, ptrdiff_t csb, double *out) {
    for (ptrdiff_t j0 = 0; j0 < nc; j0 += NR) {
        ptrdiff_t cols = nc - j0 < NR ? nc - j0 : NR;
        const double *base = b + j0 * csb;
        if (cols == NR && csb == 1) {
            for (ptrdiff_t t = 0; t < kc; t++) {
                memcpy(out, base + t * rsb, NR * sizeof(double));
                out += NR;
            }
            continue;
        }
        for (ptrdiff_t t = 0; t < kc; t++) {
            const double *row = base + t * rsb;
            ptrdiff_t j = 0;
            for (; j < cols; j++) out[j] = row[j * csb];
            for (; j < NR; j++) out[j] = 0;
            out += NR;
        }
    }
}

/// c[MR][NR] (row stride ldc) = (first ? 0 : c) + Σ_t ap[t]·bp[t], in order of t. Portable C.
/// Two passes of NR/2 columns: 6 × 4 accumulators fit the 16 SSE2 registers, 6 × 8 would spill.
static void micro_portable(ptrdiff_t kc, const double *ap, const double *bp, double *c, ptrdiff_t ldc, int first) {
    enum { H = NR / 2 };
    for (int half = 0; half < 2; half++) {
        double acc[MR][H];
        double *ch = c + half * H;
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < H; j++) acc[r][j] = first ? 0.0 : ch[r * ldc + j];
        const double *a = ap, *b = bp + half * H;
        for (ptrdiff_t t = 0; t < kc; t++) {
            for (int r = 0; r < MR; r++) {
                double v = a[r];
                for (int j = 0; j < H; j++) {
                    double product = v * b[j];
                    acc[r][j] = acc[r][j] + product;
                }
            }
            a += MR;
            b += NR;
        }
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < H; j++) ch[r * ldc + j] = acc[r][j];
    }
}

#ifdef CK_X86
/// The same as micro_portable with 12 AVX2 accumulators: per step 2 loads of B, 6 broadcasts of A, 12 mul + 12 add.
__attribute__((target("avx2")))
static void micro_avx2(ptrdiff_t kc, const double *ap, const double *bp, double *c, ptrdiff_t ldc, int first) {
    __m256d c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (first) {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_pd();
    } else {
        c00 = _mm256_loadu_pd(c + 0 * ldc); c01 = _mm256_loadu_pd(c + 0 * ldc + 4);
        c10 = _mm256_loadu_pd(c + 1 * ldc); c11 = _mm256_loadu_pd(c + 1 * ldc + 4);
        c20 = _mm256_loadu_pd(c + 2 * ldc); c21 = _mm256_loadu_pd(c + 2 * ldc + 4);
        c30 = _mm256_loadu_pd(c + 3 * ldc); c31 = _mm256_loadu_pd(c + 3 * ldc + 4);
        c40 = _mm256_loadu_pd(c + 4 * ldc); c41 = _mm256_loadu_pd(c + 4 * ldc + 4);
        c50 = _mm256_loadu_pd(c + 5 * ldc); c51 = _mm256_loadu_pd(c + 5 * ldc + 4);
    }
    for (ptrdiff_t t = 0; t < kc; t++) {
        __m256d b0 = _mm256_loadu_pd(bp), b1 = _mm256_loadu_pd(bp + 4), v;
        v = _mm256_broadcast_sd(ap + 0);
        c00 = _mm256_add_pd(c00, _mm256_mul_pd(v, b0)); c01 = _mm256_add_pd(c01, _mm256_mul_pd(v, b1));
        v = _mm256_broadcast_sd(ap + 1);
        c10 = _mm256_add_pd(c10, _mm256_mul_pd(v, b0)); c11 = _mm256_add_pd(c11, _mm256_mul_pd(v, b1));
        v = _mm256_broadcast_sd(ap + 2);
        c20 = _mm256_add_pd(c20, _mm256_mul_pd(v, b0)); c21 = _mm256_add_pd(c21, _mm256_mul_pd(v, b1));
        v = _mm256_broadcast_sd(ap + 3);
        c30 = _mm256_add_pd(c30, _mm256_mul_pd(v, b0)); c31 = _mm256_add_pd(c31, _mm256_mul_pd(v, b1));
        v = _mm256_broadcast_sd(ap + 4);
        c40 = _mm256_add_pd(c40, _mm256_mul_pd(v, b0)); c41 = _mm256_add_pd(c41, _mm256_mul_pd(v, b1));
        v = _mm256_broadcast_sd(ap + 5);
        c50 = _mm256_add_pd(c50, _mm256_mul_pd(v, b0)); c51 = _mm256_add_pd(c51, _mm256_mul_pd(v, b1));
        ap += MR;
        bp += NR;
    }
    _mm256_storeu_pd(c + 0 * ldc, c00); _mm256_storeu_pd(c + 0 * ldc + 4, c01);
    _mm256_storeu_pd(c + 1 * ldc, c10); _mm256_storeu_pd(c + 1 * ldc + 4, c11);
    _mm256_storeu_pd(c + 2 * ldc, c20); _mm256_storeu_pd(c + 2 * ldc + 4, c21);
    _mm256_storeu_pd(c + 3 * ldc, c30); _mm256_storeu_pd(c + 3 * ldc + 4, c31);
    _mm256_storeu_pd(c + 4 * ldc, c40); _mm256_storeu_pd(c + 4 * ldc + 4, c41);
    _mm256_storeu_pd(c + 5 * ldc, c50); _mm256_storeu_pd(c + 5 * ldc + 4, c51);
}
#endif

typedef void (*micro_fn)(ptrdiff_t, const double *, const double *, double *, ptrdiff_t, int);

int ck_dgemm_has_avx2(void) {
#ifdef CK_X86
    static atomic_int cached = -1;
    int known = atomic_load_explicit(&cached, memory_order_relaxed);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
        atomic_store_explicit(&cached, known, memory_order_relaxed);
    }
    return known;
#else
    return 0;
#endif
}

int ck_dgemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
             const double *a, ptrdiff_t rsa, ptrdiff_t csa,
             const double *b, ptrdiff_t rsb, ptrdiff_t csb,
             double *c, ptrdiff_t ldc, int portable,
             ck_stop_fn stop, void *stop_context) {
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0) {
        for (ptrdiff_t i = 0; i < m; i++)
            for (ptrdiff_t j = 0; j < n; j++) c[i * ldc + j] = 0.0;
        return 0;
    }
    micro_fn micro = micro_portable;
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) micro = micro_avx2;
#endif
    // Scratch sized to the problem, so that small products take little.
    ptrdiff_t kcMax = k < KC ? k : KC;
    ptrdiff_t mcMax = m < MC ? m : MC, ncMax = n < NC ? n : NC;
    ptrdiff_t mcRound = (mcMax + MR - 1) / MR * MR, ncRound = (ncMax + NR - 1) / NR * NR;
    double *packA = NULL, *packB = NULL;
    if (posix_memalign((void **)&packA, 64, (size_t)(mcRound * kcMax) * sizeof(double)) != 0) return 2;
    if (posix_memalign((void **)&packB, 64, (size_t)(kcMax * ncRound) * sizeof(double)) != 0) {
        free(packA);
        return 2;
    }
    double edge[MR * NR] = {0};
    int stopped = 0;
    for (ptrdiff_t jc = 0; jc < n && !stopped; jc += NC) {
        ptrdiff_t nc = n - jc < NC ? n - jc : NC;
        // Depth blocks in increasing order: later blocks add to the partial sums already in C,
        // which keeps each element's additions in order of t.
        for (ptrdiff_t pc = 0; pc < k && !stopped; pc += KC) {
            ptrdiff_t kc = k - pc < KC ? k - pc : KC;
            int first = pc == 0;
            pack_b(kc, nc, b + pc * rsb + jc * csb, rsb, csb, packB);
            for (ptrdiff_t ic = 0; ic < m; ic += MC) {
                if (stop && stop(stop_context)) {
                    stopped = 1;
                    break;
                }
                ptrdiff_t mc = m - ic < MC ? m - ic : MC;
                pack_a(mc, kc, a + ic * rsa + pc * csa, rsa, csa, packA);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    ptrdiff_t cols = nc - jr < NR ? nc - jr : NR;
                    const double *bp = packB + jr * kc;
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        ptrdiff_t rows = mc - ir < MR ? mc - ir : MR;
                        const double *ap = packA + ir * kc;
                        double *ct = c + (ic + ir) * ldc + jc + jr;
                        if (rows == MR && cols == NR) {
                            micro(kc, ap, bp, ct, ldc, first);
                            continue;
                        }
                        // A partial tile goes through a full-size buffer; its padding lanes are dropped.
                        if (!first)
                            for (ptrdiff_t r = 0; r < rows; r++) memcpy(edge + r * NR, ct + r * ldc, (size_t)cols * sizeof(double));
                        micro(kc, ap, bp, edge, NR, first);
                        for (ptrdiff_t r = 0; r < rows; r++) memcpy(ct + r * ldc, edge + r * NR, (size_t)cols * sizeof(double));
                    }
                }
            }
        }
    }
    free(packA);
    free(packB);
    return stopped;
}
