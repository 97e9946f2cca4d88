#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/epilogue.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

/// The two LayerNorm data formats of the_well's UNetConvNext, both normalizing over the
/// channels of each point of a channels-first map:
///  - channels_last: torch.nn.functional.layer_norm over the channel axis (the ConvNeXt block's
///    norm after its permute): y = (x − mean) / √(var + eps) · weight[c] + bias[c], biased var;
///  - channels_first: what the_well's LayerNorm does for data_format="channels_first" (the
///    resampling layers): an L2 normalization, F.normalize(x, p=2, dim=1, eps) · weight,
///    y = x / max(‖x‖₂, eps) · weight[c] — no mean, no variance, and the bias parameter is unused.
enum class LayerNormKind { channels_last, channels_first };

template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class LayerNorm {
 public:
  using memory_space = typename ExecSpace::memory_space;

  LayerNorm() = default;
  /// `weight` and `bias` have one value per channel (`bias` is ignored for channels_first).
  LayerNorm(LayerNormKind kind, const std::vector<float>& weight, const std::vector<float>& bias, double eps = 1e-6,
            std::string name = "layer norm", Tiling tiling = Tiling::automatic);

  /// Normalizes every point of `in` into `out` (which may be `in`).
  void forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out) const;
  /// Bytes of the weight and bias in ExecSpace's memory (a channels_first norm keeps zeros as its bias).
  std::size_t parameter_bytes() const { return view_bytes(weight_) + view_bytes(bias_); }

 private:
  LayerNormKind kind_ = LayerNormKind::channels_last;
  std::string name_;
  float eps_ = 1e-6f;
  bool wide_ = true;
  std::int64_t channels_ = 0;
  Kokkos::View<float*, memory_space> weight_;
  Kokkos::View<float*, memory_space> bias_;
};

}  // namespace gavel::surrogates::layers
