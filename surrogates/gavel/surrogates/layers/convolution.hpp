#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/epilogue.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"
#include "gavel/surrogates/layers/workspace.hpp"

namespace gavel::surrogates::layers {

/// How a convolution fills the border: zeros (torch's default, used by both U-Nets) or
/// circular (periodic wrap, torch's padding_mode="circular").
enum class Padding { zeros, circular };

/// A torch.nn.Conv{1,2,3}d: cubic kernel, equal stride and padding on every spatial axis,
/// dilation 1, `groups` (groups = in = out channels is a depthwise convolution).
struct ConvolutionSpec {
  int ndim = 2;
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  int kernel = 3;
  int stride = 1;
  int padding = 0;
  Padding padding_mode = Padding::zeros;
  std::int64_t groups = 1;

  /// torch's weight shape (out, in/groups, k, …, k).
  std::vector<std::int64_t> weight_shape() const;
  /// floor((n + 2·padding − kernel) / stride) + 1 per spatial axis; throws gavel::Error when an
  /// axis is too small for the kernel.
  std::array<std::int64_t, 3> output_extent(const std::array<std::int64_t, 3>& in) const;
};

/// A convolution layer with its weights in ExecSpace's memory, packed for the kernel family.
///   out[b, o, p] = epilogue(Σ_{i in o's group} Σ_taps w[o, i, tap] · in[b, i, stride·p + tap − padding] + bias[o])
/// Depthwise convolutions (one input and one output channel per group) run a kernel of their
/// own; everything else runs a register-tiled direct convolution over a padded copy of the input
/// (no im2col). Inputs that need no padding are read in place.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Convolution {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;

  Convolution() = default;
  /// `weight` in torch's layout (ConvolutionSpec::weight_shape()), `bias` empty or out_channels
  /// values; `name` appears in error messages.
  Convolution(const ConvolutionSpec& spec, const std::vector<float>& weight, const std::vector<float>& bias,
              std::string name = "convolution", Tiling tiling = Tiling::automatic);

  const ConvolutionSpec& spec() const { return spec_; }
  const std::string& name() const { return name_; }
  /// Composes a per-output-channel affine map after the convolution (BatchNorm, layer scale).
  void fold_affine(const std::vector<double>& scale, const std::vector<double>& shift) { affine_.fold(scale, shift); }

  /// out = epilogue(conv(in)); `out` must have the output extent of `in`. Uses `workspace` (or
  /// one of its own) for the padded input copy. Throws gavel::Error on mismatched shapes.
  void forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out, const Epilogue& epilogue = {},
               Workspace<ExecSpace>* workspace = nullptr);
  /// Floats forward() reserves in its workspace for the padded copy of a (batch, in_channels,
  /// *extent) input: 0 when the layer has no padding (the input is read in place).
  std::int64_t padded_input_length(std::int64_t batch, const std::array<std::int64_t, 3>& extent) const;
  /// Bytes of the packed weights, scale and shift in ExecSpace's memory.
  std::size_t parameter_bytes() const { return view_bytes(weight_) + affine_.bytes(); }
  /// Bytes of the padding buffer the layer keeps for calls that pass no workspace.
  std::size_t held_workspace_bytes() const { return own_workspace_.bytes(); }

 private:
  ConvolutionSpec spec_;
  std::string name_;
  bool wide_ = true;
  bool depthwise_ = false;
  std::int64_t blocks_per_group_ = 0;
  Kokkos::View<float*, memory_space> weight_;
  ChannelAffine<ExecSpace> affine_;
  Workspace<ExecSpace> own_workspace_;
};

/// The input padded by `padding` cells on each side of each spatial axis, packed (B, C, *space+2p),
/// into `padded` (ExecSpace memory, at least B·C·Π(n + 2p) floats). Zeros or a periodic wrap
/// (which needs padding ≤ n, as in torch).
template <class ExecSpace>
void pad_input(const ExecSpace& exec, const ConstTensor& in, int padding, Padding mode, float* padded);

}  // namespace gavel::surrogates::layers
