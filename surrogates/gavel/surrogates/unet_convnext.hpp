#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/convolution.hpp"
#include "gavel/surrogates/layers/layer_norm.hpp"
#include "gavel/surrogates/layers/transposed_convolution.hpp"
#include "gavel/surrogates/layers/workspace.hpp"
#include "gavel/surrogates/model.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/unet_common.hpp"

namespace gavel::surrogates {

/// The Well's UNetConvNext ("CNextU-net", the_well.benchmark.models.UNetConvNext), 1-, 2- or 3-D.
/// With F = init_features and S = stages, widths C_l = F·2^l:
///   in_proj (3×3 conv, bias, zero padding) → encoder stages 0..S−1 → neck → decoder stages
///   0..S−1 → out_proj (3×3 conv, bias).
/// A stage is [skip_proj] → blocks → resample. Encoder stage i works at width C_i and ends with
/// Downsample (channels-first LayerNorm, then a k2 s2 convolution to C_{i+1}); decoder stage j
/// works at C_{S−j}, starts (j > 0) with skip_proj, a 1×1 convolution of the concatenation
/// [decoder output, encoder stage S−j's input] down to C_{S−j}, and ends with Upsample
/// (channels-first LayerNorm, then a k2 s2 ConvTranspose to C_{S−j−1}). The neck has only blocks.
/// A ConvNeXt block: x + gamma ⊙ pwconv2(GELU(pwconv1(LayerNorm(dwconv(x))))) with a depthwise
/// 7×7 convolution (zero padding 3, bias), LayerNorm over channels (eps 1e-6), pointwise
/// Linear C→4C and 4C→C. The channels-first LayerNorm of the resampling layers is the_well's
/// L2 normalization x / max(‖x‖₂, 1e-6) · weight (its bias is stored but unused).
/// Spatial extents must be multiples of 2^S.
///
/// config.json: dim_in, dim_out, n_spatial_dims, stages (default 4), blocks_per_stage (1),
/// blocks_at_neck (1), init_features (32).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class UNetConvNext : public Model<ExecSpace> {
 public:
  using typename Model<ExecSpace>::View;
  using typename Model<ExecSpace>::ConstView;

  /// Reads every tensor by its PyTorch key; missing, extra or mis-shaped tensors → gavel::Error
  /// listing them.
  UNetConvNext(const ModelConfig& config, const SafetensorsFile& file,
               layers::Tiling tiling = layers::Tiling::automatic);

  std::string architecture() const override { return "UNetConvNext"; }
  int spatial_dims() const override { return ndim_; }
  int in_channels() const override { return static_cast<int>(dim_in_); }
  int out_channels() const override { return static_cast<int>(dim_out_); }
  int stages() const { return stages_; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override;
  /// Intermediate outputs named after the PyTorch modules: in_proj, <stage>.blocks.{k}.dwconv,
  /// <stage>.blocks.{k}.norm (channels-first here, channels-last in PyTorch), <stage>.blocks.{k},
  /// <stage>.resample.block.0, encoder.{i}, neck, decoder.{j}.skip_proj, decoder.{j}, out_proj.
  void set_probe(LayerProbe probe) { probe_ = std::move(probe); }
  /// The level-0 and deepest maps, the skip concatenations, the blocks' running value,
  /// depthwise/LayerNorm temporary and 4C hidden map, and the padded copy of the widest padded
  /// convolution input. Throws gavel::Error as forward() does for an unsuitable grid.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override;
  /// Packed convolution weights with their bias (and folded layer scale), LayerNorm weights and
  /// biases, the transposed convolutions' weights and bias.
  std::size_t parameter_bytes() const override;
  /// Bytes the Workspaces (the layers' own included) hold now, measured on the buffers.
  std::size_t held_workspace_bytes() const;

 private:
  /// Floats of each Workspace forward() reserves for a batch on a grid; concat[l] for levels
  /// 1..S−1 (concat[0] stays empty).
  struct BufferLengths {
    std::vector<std::int64_t> concat;
    std::int64_t top = 0, deepest = 0, work = 0, tmp = 0, hidden = 0, padding = 0;
  };
  BufferLengths buffer_lengths(std::int64_t batch, const std::vector<std::int64_t>& space) const;
  struct Block {
    layers::Convolution<ExecSpace> dwconv;
    layers::LayerNorm<ExecSpace> norm;
    layers::Convolution<ExecSpace> pwconv1;  // + GELU
    layers::Convolution<ExecSpace> pwconv2;  // × gamma, + input
  };
  struct Stage {
    std::vector<Block> blocks;
    bool has_skip_proj = false;
    layers::Convolution<ExecSpace> skip_proj;
    layers::LayerNorm<ExecSpace> resample_norm;
    layers::Convolution<ExecSpace> downsample;          // encoder stages
    layers::TransposedConvolution<ExecSpace> upsample;  // decoder stages
  };

  /// One block: `x` → `y` (y may be x). Temporaries in the t and h buffers.
  void run_block(const ExecSpace& exec, Block& b, const std::string& key, const layers::ConstTensor& x,
                 const layers::Tensor& y, float* t, float* h);

  int ndim_ = 2;
  int stages_ = 4;
  std::int64_t dim_in_ = 0;
  std::int64_t dim_out_ = 0;
  std::int64_t features_ = 0;
  layers::Convolution<ExecSpace> in_proj_;
  layers::Convolution<ExecSpace> out_proj_;
  std::vector<Stage> encoder_;
  Stage neck_;
  std::vector<Stage> decoder_;
  LayerProbe probe_;
  // Buffers kept between calls.
  std::vector<layers::Workspace<ExecSpace>> concat_;  // levels 1..S−1: [decoder output, skip]
  layers::Workspace<ExecSpace> top_;                  // level 0: in_proj and last decoder output
  layers::Workspace<ExecSpace> deepest_;              // level S: encoder output into the neck
  layers::Workspace<ExecSpace> work_;
  layers::Workspace<ExecSpace> tmp_;
  layers::Workspace<ExecSpace> hidden_;
  layers::Workspace<ExecSpace> padding_;
};

}  // namespace gavel::surrogates
