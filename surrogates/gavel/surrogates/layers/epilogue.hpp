#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/layers/activations.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

/// What a convolution does with each output value v of channel c before storing it:
///   out = [residual +] act(scale[c] · v + shift[c])
/// where (scale, shift) start as (1, bias) and absorb a following BatchNorm or layer scale
/// (ChannelAffine::fold). `residual`, when given, has the output's shape.
struct Epilogue {
  Activation act = Activation::none;
  ConstTensor residual;
};

/// Per-output-channel scale and shift of a layer, on the host and in ExecSpace's memory.
template <class ExecSpace>
class ChannelAffine {
 public:
  using memory_space = typename ExecSpace::memory_space;

  ChannelAffine() = default;
  /// scale 1 and shift `bias` (or 0 when `bias` is empty) for `channels` channels.
  ChannelAffine(std::int64_t channels, const std::vector<float>& bias)
      : scale_(static_cast<std::size_t>(channels), 1.0), shift_(static_cast<std::size_t>(channels), 0.0) {
    if (!bias.empty() && static_cast<std::int64_t>(bias.size()) != channels)
      throw Error("layer: bias of " + std::to_string(bias.size()) + " values for " + std::to_string(channels) +
                  " channels");
    for (std::size_t c = 0; c < bias.size(); ++c)
      shift_[c] = bias[c];
    upload();
  }

  /// Composes y ↦ a[c] · y + b[c] after the current map (in double, rounded once).
  void fold(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != scale_.size() || b.size() != scale_.size())
      throw Error("layer: per-channel affine map of " + std::to_string(a.size()) + "/" + std::to_string(b.size()) +
                  " values for " + std::to_string(scale_.size()) + " channels");
    for (std::size_t c = 0; c < scale_.size(); ++c) {
      scale_[c] *= a[c];
      shift_[c] = shift_[c] * a[c] + b[c];
    }
    upload();
  }

  const float* scale() const { return scale_view_.data(); }
  const float* shift() const { return shift_view_.data(); }
  /// Bytes of the scale and shift in ExecSpace's memory.
  std::size_t bytes() const { return view_bytes(scale_view_) + view_bytes(shift_view_); }

 private:
  void upload() {
    const auto n = scale_.size();
    scale_view_ =
        Kokkos::View<float*, memory_space>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "gavel::layers::scale"), n);
    shift_view_ =
        Kokkos::View<float*, memory_space>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "gavel::layers::shift"), n);
    auto hs = Kokkos::create_mirror_view(scale_view_);
    auto ht = Kokkos::create_mirror_view(shift_view_);
    for (std::size_t c = 0; c < n; ++c) {
      hs(c) = static_cast<float>(scale_[c]);
      ht(c) = static_cast<float>(shift_[c]);
    }
    Kokkos::deep_copy(scale_view_, hs);
    Kokkos::deep_copy(shift_view_, ht);
  }

  std::vector<double> scale_;
  std::vector<double> shift_;
  Kokkos::View<float*, memory_space> scale_view_;
  Kokkos::View<float*, memory_space> shift_view_;
};

/// Copies a host vector into a new View of ExecSpace's memory.
template <class MemorySpace>
Kokkos::View<float*, MemorySpace> upload_values(const std::vector<float>& values, const std::string& label) {
  // Every value is copied in: no zero-filling kernel (one per View adds up over a model's layers).
  Kokkos::View<float*, MemorySpace> view(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (std::size_t i = 0; i < values.size(); ++i)
    host(i) = values[i];
  Kokkos::deep_copy(view, host);
  return view;
}

/// Which kernel family a layer launches: `wide` (a block of output channels × 16 consecutive
/// outputs per work item, vector registers: the CPU path, host spaces only), `narrow` (a few
/// output channels of one point per work item, neighbouring items on neighbouring points: the
/// GPU path); `automatic` picks wide on host spaces. Tests force both on the host.
enum class Tiling { automatic, wide, narrow };

template <class ExecSpace>
bool use_wide_tiles(Tiling t) {
  constexpr bool host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible;
  return host && t != Tiling::narrow;
}

}  // namespace gavel::surrogates::layers
