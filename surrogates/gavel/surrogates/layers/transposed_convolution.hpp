#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/epilogue.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

/// A torch.nn.ConvTranspose{1,2,3}d with kernel = stride on every spatial axis, no padding, no
/// output padding, groups 1 — the up-sampling (k2 s2) and output (k1) layers of The Well's
/// U-Nets. Each output point then receives exactly one tap:
///   out[b, o, k·p + q] = Σ_i w[i, o, q] · in[b, i, p] + bias[o],   0 ≤ q < k.
struct TransposedConvolutionSpec {
  int ndim = 2;
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  int kernel = 2;
  int stride = 2;

  /// torch's weight shape (in, out, k, …, k).
  std::vector<std::int64_t> weight_shape() const;
  /// (n − 1)·stride + kernel per spatial axis.
  std::array<std::int64_t, 3> output_extent(const std::array<std::int64_t, 3>& in) const;
};

template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class TransposedConvolution {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;

  TransposedConvolution() = default;
  /// `weight` in torch's layout (in, out, k, …), `bias` empty or out_channels values. Throws
  /// gavel::Error for kernel ≠ stride (overlapping taps are not implemented; The Well never uses them).
  TransposedConvolution(const TransposedConvolutionSpec& spec, const std::vector<float>& weight,
                        const std::vector<float>& bias, std::string name = "transposed convolution",
                        Tiling tiling = Tiling::automatic);

  const TransposedConvolutionSpec& spec() const { return spec_; }
  void fold_affine(const std::vector<double>& scale, const std::vector<double>& shift) { affine_.fold(scale, shift); }

  /// out = epilogue(convT(in)); throws gavel::Error on mismatched shapes.
  void forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out, const Epilogue& epilogue = {});
  /// Bytes of the packed weights, scale and shift in ExecSpace's memory (the layer keeps no buffers).
  std::size_t parameter_bytes() const { return view_bytes(weight_) + affine_.bytes(); }

 private:
  TransposedConvolutionSpec spec_;
  std::string name_;
  bool wide_ = true;
  std::int64_t blocks_ = 0;
  Kokkos::View<float*, memory_space> weight_;
  ChannelAffine<ExecSpace> affine_;
};

}  // namespace gavel::surrogates::layers
