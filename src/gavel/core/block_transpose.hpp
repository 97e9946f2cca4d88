#pragma once

#include <type_traits>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace gavel::detail {

/// In-register 8×8 transposes for the host kernels' transposed gathers. `runs[q]` points at 8
/// consecutive source values (ascending, or ending at the pointer when `reversed`); the result
/// rows[r][q] = sign · runs[q][±r]. Available for float with AVX2; elsewhere callers use their
/// scalar path.
template <class Scalar>
struct BlockTranspose {
  static constexpr bool available = false;
  static constexpr int width = 8;
  static void transpose(const Scalar* const*, bool, Scalar, Scalar (*)[16], int) {}
};

#if defined(__AVX2__)
template <>
struct BlockTranspose<float> {
  static constexpr bool available = true;
  static constexpr int width = 8;

  /// rows[r][column + q] for r, q < 8.
  static void transpose(const float* const* runs, bool reversed, float sign, float (*rows)[16], int column) {
    const __m256 s = _mm256_set1_ps(sign);
    const __m256i reverse = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);
    __m256 r[8];
    for (int q = 0; q < 8; ++q) {
      __m256 v = reversed ? _mm256_permutevar8x32_ps(_mm256_loadu_ps(runs[q] - 7), reverse) : _mm256_loadu_ps(runs[q]);
      r[q] = _mm256_mul_ps(v, s);
    }
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(rows[0] + column, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_storeu_ps(rows[1] + column, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_storeu_ps(rows[2] + column, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_storeu_ps(rows[3] + column, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_storeu_ps(rows[4] + column, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_storeu_ps(rows[5] + column, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_storeu_ps(rows[6] + column, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_storeu_ps(rows[7] + column, _mm256_permute2f128_ps(s3, s7, 0x31));
  }
};
#endif

}  // namespace gavel::detail
