// Optimizer updates over a parameter's elements, vectorised with AVX2 when the CPU has it.
//
// Every element goes through the same operations in the same order as PyTorch's
// `_single_tensor_adam` (and bnlab's scalar reference), each rounded on its own: no fused
// multiply-add, so the result is bit for bit the same on every path and every CPU.
#include "ckernels.h"

#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CK_X86 1
#endif

#pragma clang fp contract(off)

static void adam_portable(ptrdiff_t from, ptrdiff_t n, double *p, const double *g, double *m, double *v,
                          const ck_adam_settings *s) {
    for (ptrdiff_t i = from; i < n; i++) {
        double d = g[i];
        if (s->weight_decay != 0) d = d + s->weight_decay * p[i];
        double mi = s->lerp_small ? m[i] + s->weight * (d - m[i]) : d - (d - m[i]) * s->one_minus_weight;
        double vi = v[i] * s->beta2 + s->scale2 * d * d;
        m[i] = mi;
        v[i] = vi;
        double denom = sqrt(vi) / s->bias_correction2_sqrt + s->eps;
        p[i] = p[i] + -s->step_size * mi / denom;
    }
}

#ifdef CK_X86
__attribute__((target("avx2")))
static ptrdiff_t adam_avx2(ptrdiff_t n, double *p, const double *g, double *m, double *v, const ck_adam_settings *s) {
    const __m256d wd = _mm256_set1_pd(s->weight_decay), weight = _mm256_set1_pd(s->weight);
    const __m256d one_minus = _mm256_set1_pd(s->one_minus_weight), beta2 = _mm256_set1_pd(s->beta2);
    const __m256d scale2 = _mm256_set1_pd(s->scale2), bc2 = _mm256_set1_pd(s->bias_correction2_sqrt);
    const __m256d eps = _mm256_set1_pd(s->eps), step = _mm256_set1_pd(-s->step_size);
    const int decay = s->weight_decay != 0, small = s->lerp_small;
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d pi = _mm256_loadu_pd(p + i), mo = _mm256_loadu_pd(m + i), d = _mm256_loadu_pd(g + i);
        if (decay) d = _mm256_add_pd(d, _mm256_mul_pd(wd, pi));
        __m256d diff = _mm256_sub_pd(d, mo);
        __m256d mi = small ? _mm256_add_pd(mo, _mm256_mul_pd(weight, diff)) : _mm256_sub_pd(d, _mm256_mul_pd(diff, one_minus));
        __m256d vi = _mm256_add_pd(_mm256_mul_pd(_mm256_loadu_pd(v + i), beta2), _mm256_mul_pd(_mm256_mul_pd(scale2, d), d));
        _mm256_storeu_pd(m + i, mi);
        _mm256_storeu_pd(v + i, vi);
        __m256d denom = _mm256_add_pd(_mm256_div_pd(_mm256_sqrt_pd(vi), bc2), eps);
        _mm256_storeu_pd(p + i, _mm256_add_pd(pi, _mm256_div_pd(_mm256_mul_pd(step, mi), denom)));
    }
    return i;
}
#endif

void ck_adam(ptrdiff_t n, double *p, const double *g, double *m, double *v, const ck_adam_settings *s, int portable) {
    ptrdiff_t done = 0;
#ifdef CK_X86
    if (!portable && ck_dgemm_has_avx2()) done = adam_avx2(n, p, g, m, v, s);
#else
    (void)portable;
#endif
    adam_portable(done, n, p, g, m, v, s);
}
