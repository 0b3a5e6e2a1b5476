// The memory floor's two passes, as fast as this CPU allows: wide loads, independent
// accumulators, and (optionally) non-temporal stores, with no arithmetic worth the name.
#include "bench_floor.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static double read_avx2(const double *x, ptrdiff_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        a0 = _mm256_add_pd(a0, _mm256_loadu_pd(x + i));
        a1 = _mm256_add_pd(a1, _mm256_loadu_pd(x + i + 4));
        a2 = _mm256_add_pd(a2, _mm256_loadu_pd(x + i + 8));
        a3 = _mm256_add_pd(a3, _mm256_loadu_pd(x + i + 12));
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
    double s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < n; i++) s += x[i];
    return s;
}

__attribute__((target("avx2")))
static void read_write_avx2(const double *x, double *y, ptrdiff_t n, double a, double b, int streaming) {
    __m256d va = _mm256_set1_pd(a), vb = _mm256_set1_pd(b);
    ptrdiff_t i = 0;
    if (streaming) {
        while (i < n && ((size_t)(y + i) & 31) != 0) {
            y[i] = x[i] * a + b;
            i++;
        }
        for (; i + 8 <= n; i += 8) {
            _mm256_stream_pd(y + i, _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(x + i), va), vb));
            _mm256_stream_pd(y + i + 4, _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(x + i + 4), va), vb));
        }
        _mm_sfence();
    } else {
        for (; i + 8 <= n; i += 8) {
            _mm256_storeu_pd(y + i, _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(x + i), va), vb));
            _mm256_storeu_pd(y + i + 4, _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(x + i + 4), va), vb));
        }
    }
    for (; i < n; i++) y[i] = x[i] * a + b;
}
#endif

double floor_read(const double *x, ptrdiff_t n) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) return read_avx2(x, n);
#endif
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i];
        s1 += x[i + 1];
        s2 += x[i + 2];
        s3 += x[i + 3];
    }
    for (; i < n; i++) s0 += x[i];
    return (s0 + s1) + (s2 + s3);
}

void floor_read_write(const double *x, double *y, ptrdiff_t n, double a, double b, int streaming) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        read_write_avx2(x, y, n, a, b, streaming);
        return;
    }
#endif
    (void)streaming;
    for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] * a + b;
}
