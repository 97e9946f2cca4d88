#pragma once

#include <cstring>
#include <type_traits>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace gavel::detail {

/// In-register Width × Width transposes for the host kernels' transposed gathers. `runs[q]`
/// points at Width consecutive source values (ascending, or ending at the pointer when
/// `reversed`); the result is rows[r · row_stride + q] = sign · runs[q][±r] for r, q < Width.
/// With Stream (16 × 16 only) each row is stored non-temporally; rows must then start on 64-byte
/// lines. Available for float: 16 × 16 with AVX-512, 8 × 8 with AVX2; elsewhere callers use their
/// scalar path.
template <class Scalar, int Width>
struct BlockTranspose {
  static constexpr bool available = false;
  static constexpr int width = Width;
  template <bool Stream = false>
  static void transpose(const Scalar* const*, bool, Scalar, Scalar*, int) {}
};

// 512-bit GCC/Clang vector types (__builtin_shufflevector) for the host kernels: AVX-512, GCC 12 or
// Clang, and not under nvcc/hipcc, whose front ends need not know the builtin.
#if defined(__AVX512F__) && (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)) && !defined(__CUDACC__) && \
    !defined(__HIPCC__)
#define GAVEL_HOST_VECTOR_512 1
#else
#define GAVEL_HOST_VECTOR_512 0
#endif

#if GAVEL_HOST_VECTOR_512
/// 16 × 16 with AVX-512, written with GCC/Clang vector types (the compiler emits vunpck*ps,
/// vshufps and vshuff32x4; the intrinsics trip GCC 12's -Wmaybe-uninitialized).
template <>
struct BlockTranspose<float, 16> {
  static constexpr bool available = true;
  static constexpr int width = 16;
  typedef float Run __attribute__((vector_size(16 * sizeof(float))));

  template <bool Stream = false>
  static void transpose(const float* const* runs, bool reversed, float sign, float* rows, int row_stride) {
    Run r[16];
    Run t[16];
    for (int q = 0; q < 16; ++q) {
      Run v;
      if (reversed) {
        std::memcpy(&v, runs[q] - 15, sizeof v);
        v = __builtin_shufflevector(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
      } else {
        std::memcpy(&v, runs[q], sizeof v);
      }
      r[q] = v * sign;
    }
    // Pairs of runs interleaved, then quadruples (both within 128-bit lanes), then the lanes
    // exchanged twice.
    for (int k = 0; k < 16; k += 2) {
      t[k] = __builtin_shufflevector(r[k], r[k + 1], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
      t[k + 1] = __builtin_shufflevector(r[k], r[k + 1], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    }
    for (int k = 0; k < 16; k += 4) {
      r[k] = __builtin_shufflevector(t[k], t[k + 2], 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
      r[k + 1] = __builtin_shufflevector(t[k], t[k + 2], 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
      r[k + 2] = __builtin_shufflevector(t[k + 1], t[k + 3], 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
      r[k + 3] =
          __builtin_shufflevector(t[k + 1], t[k + 3], 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    }
    for (int h = 0; h < 16; h += 8) {
      for (int k = 0; k < 4; ++k) {
        t[h + k] =
            __builtin_shufflevector(r[h + k], r[h + k + 4], 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        t[h + k + 4] =
            __builtin_shufflevector(r[h + k], r[h + k + 4], 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
      }
    }
    for (int k = 0; k < 8; ++k) {
      const Run low = __builtin_shufflevector(t[k], t[k + 8], 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
      const Run high =
          __builtin_shufflevector(t[k], t[k + 8], 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
      put<Stream>(rows + k * row_stride, low);
      put<Stream>(rows + (k + 8) * row_stride, high);
    }
  }

 private:
  template <bool Stream>
  static void put(float* row, Run value) {
    if constexpr (Stream) {
      _mm512_stream_ps(row, static_cast<__m512>(value));
    } else {
      std::memcpy(row, &value, sizeof value);
    }
  }
};
#endif

#if defined(__AVX2__)
template <>
struct BlockTranspose<float, 8> {
  static constexpr bool available = true;
  static constexpr int width = 8;

  template <bool Stream = false>
  static void transpose(const float* const* runs, bool reversed, float sign, float* rows, int row_stride) {
    static_assert(!Stream, "the 8 x 8 transpose does not stream");
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
    _mm256_storeu_ps(rows + 0 * row_stride, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_storeu_ps(rows + 1 * row_stride, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_storeu_ps(rows + 2 * row_stride, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_storeu_ps(rows + 3 * row_stride, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_storeu_ps(rows + 4 * row_stride, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_storeu_ps(rows + 5 * row_stride, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_storeu_ps(rows + 6 * row_stride, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_storeu_ps(rows + 7 * row_stride, _mm256_permute2f128_ps(s3, s7, 0x31));
  }
};
#endif

/// The widest available transpose for Scalar (8 × 8 when none is: callers then take their scalar
/// path).
template <class Scalar>
using WideTranspose =
    std::conditional_t<BlockTranspose<Scalar, 16>::available, BlockTranspose<Scalar, 16>, BlockTranspose<Scalar, 8>>;

}  // namespace gavel::detail
