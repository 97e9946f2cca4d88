#pragma once

#include <cstdint>
#include <cstring>

#include <Kokkos_Core.hpp>

namespace gavel::surrogates::layers {

/// Element-wise activations of The Well's models: Tanh (UNetClassic) and the exact GELU,
/// x/2 · (1 + erf(x/√2)), of torch's default (FNO, UNetConvNext). The FNO kernels' epilogues
/// take none or gelu.
enum class Activation { none, tanh, gelu };

namespace detail {

/// The float whose IEEE-754 bit pattern is `bits`.
KOKKOS_INLINE_FUNCTION float float_from_bits(std::int32_t bits) {
#if defined(__CUDA_ARCH__)
  return __int_as_float(bits);
#else
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
#endif
}

/// e^y for -87 ≤ y ≤ 0 in branch-free arithmetic that compilers vectorize: y = k·ln 2 + r with
/// |r| ≤ ln 2 / 2 (Cody–Waite split of ln 2), e^r by its Taylor series to r⁷ (relative error
/// below 1e-8), 2^k from the exponent bits.
KOKKOS_INLINE_FUNCTION float exp_nonpositive(float y) {
  const float round_magic = 12582912.0f;  // 1.5·2^23: adding and subtracting it rounds to an integer
  const float k = (y * 1.44269504088896341f + round_magic) - round_magic;
  const float r = (y - k * 0.693359375f) + k * 2.12194440e-4f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  return p * float_from_bits((static_cast<std::int32_t>(k) + 127) * (1 << 23));
}

}  // namespace detail

/// erf(z) by Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7), the approximation PyTorch's
/// vectorized CPU erf also uses; branch-free so that loops over it vectorize.
KOKKOS_INLINE_FUNCTION float erf_approx(float z) {
  const float a = z < 0.0f ? -z : z;
  const float t = 1.0f / (1.0f + 0.3275911f * a);
  float poly = 1.061405429f;
  poly = poly * t - 1.453152027f;
  poly = poly * t + 1.421413741f;
  poly = poly * t - 0.284496736f;
  poly = poly * t + 0.254829592f;
  poly *= t;
  const float a2 = a * a < 87.0f ? a * a : 87.0f;
  const float e = 1.0f - poly * detail::exp_nonpositive(-a2);
  return z < 0.0f ? -e : e;
}

/// GELU in its exact (erf) form, as torch.nn.functional.gelu's default: x·½·(1 + erf(x/√2)).
KOKKOS_INLINE_FUNCTION float gelu(float x) {
  return 0.5f * x * (1.0f + erf_approx(x * 0.70710678118654752f));
}

}  // namespace gavel::surrogates::layers
