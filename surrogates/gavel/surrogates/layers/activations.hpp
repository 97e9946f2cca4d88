#pragma once

#include <math.h>

#include <string>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/activation.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

std::string activation_name(Activation a);

KOKKOS_INLINE_FUNCTION float activate(Activation a, float x) {
  switch (a) {
    case Activation::tanh:
      return ::tanhf(x);
    case Activation::gelu:
      return 0.5f * x * (1.0f + ::erff(x * 0.7071067811865475244f));
    default:
      return x;
  }
}

/// x ← a(x) for every element of `x` (which lives in ExecSpace's memory).
template <class ExecSpace>
void apply_activation(const ExecSpace& exec, const Tensor& x, Activation a);

}  // namespace gavel::surrogates::layers
