#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/activation.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"

namespace gavel::surrogates::layers {

/// A 1×1 convolution (channel mixing) over channels-first contiguous fields (B, C, *space):
///   out(b, o, p) = act(Σ_i W(o, i) · in(b, i, p) + bias(o) [+ out(b, o, p) when accumulating]).
/// Register-tiled: on host spaces a task computes an 8-channel × 32-point tile with the points
/// vectorized; on GPUs a thread computes 8 channels of one point (coalesced along the points).
template <class ExecSpace>
class Pointwise {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  using View = Kokkos::View<float*, memory_space>;
  using ConstView = Kokkos::View<const float*, memory_space>;

  Pointwise() = default;
  /// `weight` is (out_channels, in_channels) row-major, as PyTorch stores a 1×1 Conv weight (its
  /// trailing unit axes dropped) or a Linear weight; `bias` is empty or holds out_channels values.
  Pointwise(std::int64_t in_channels, std::int64_t out_channels, const std::vector<float>& weight,
            const std::vector<float>& bias);

  std::int64_t in_channels() const { return in_channels_; }
  std::int64_t out_channels() const { return out_channels_; }
  bool has_bias() const { return bias_.extent(0) > 0; }
  /// Bytes of the weight and bias in ExecSpace's memory.
  std::size_t parameter_bytes() const { return view_bytes(weight_t_) + view_bytes(bias_); }

  /// `in` holds batch·in_channels·points values, `out` batch·out_channels·points (longer views
  /// are fine: the leading part is used). With `accumulate`, out's values are added before the
  /// activation. Throws gavel::Error when a view is too short.
  void apply(const ExecSpace& exec, const ConstView& in, const View& out, std::int64_t batch, std::int64_t points,
             Activation activation = Activation::none, bool accumulate = false) const;

 private:
  std::int64_t in_channels_ = 0;
  std::int64_t out_channels_ = 0;
  Kokkos::View<float*, memory_space> weight_t_;  ///< (in, out): the channels of one input row are contiguous
  Kokkos::View<float*, memory_space> bias_;
};

}  // namespace gavel::surrogates::layers
