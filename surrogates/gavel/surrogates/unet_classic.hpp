#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/convolution.hpp"
#include "gavel/surrogates/layers/transposed_convolution.hpp"
#include "gavel/surrogates/layers/workspace.hpp"
#include "gavel/surrogates/model.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/unet_common.hpp"

namespace gavel::surrogates {

/// The Well's UNetClassic (the_well.benchmark.models.UNetClassic, after PDEBench), 1-, 2- or 3-D.
/// With F = init_features: encoders 1–4 of widths F, 2F, 4F, 8F, each followed by a max-pool
/// (k2 s2); a bottleneck of width 16F; up-convolutions `upconv4..1` (ConvTranspose k2 s2 with
/// bias, halving the width) whose outputs are concatenated (up first, skip second) with the
/// matching encoder output and fed to decoders 4–1; the output layer `conv` is a 1×1
/// ConvTranspose with bias. Every block is 2 × [3×3 convolution, zero padding 1, no bias →
/// BatchNorm (running statistics, eps 1e-5) → Tanh]; the BatchNorm is folded into the
/// convolution's output scale and shift. Spatial extents must be multiples of 16.
///
/// config.json: dim_in, dim_out, n_spatial_dims, init_features (default 32);
/// spatial_resolution and gradient_checkpointing do not change the function.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class UNetClassic : public Model<ExecSpace> {
 public:
  using typename Model<ExecSpace>::View;
  using typename Model<ExecSpace>::ConstView;

  /// Reads every tensor by its PyTorch key; missing, extra or mis-shaped tensors → gavel::Error
  /// listing them (num_batches_tracked is ignored).
  UNetClassic(const ModelConfig& config, const SafetensorsFile& file,
              layers::Tiling tiling = layers::Tiling::automatic);

  std::string architecture() const override { return "UNetClassic"; }
  int spatial_dims() const override { return ndim_; }
  int in_channels() const override { return static_cast<int>(dim_in_); }
  int out_channels() const override { return static_cast<int>(dim_out_); }
  std::int64_t init_features() const { return features_; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override;
  /// Intermediate outputs named after the PyTorch modules: encoder1..4, pool1..4, bottleneck,
  /// upconv4..1, decoder4..1, conv.
  void set_probe(LayerProbe probe) { probe_ = std::move(probe); }
  /// The skip concatenations, block temporary, pooled and decoded maps and the padded copy of the
  /// widest convolution input. Throws gavel::Error as forward() does for an unsuitable grid.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override;
  /// Packed convolution weights with their folded BatchNorm scale and shift, and the transposed
  /// convolutions' weights, scale and bias.
  std::size_t parameter_bytes() const override;
  /// Bytes the Workspaces (the layers' own included) hold now, measured on the buffers.
  std::size_t held_workspace_bytes() const;

  static constexpr int kDepth = 4;

 private:
  /// Floats of each Workspace forward() reserves for a batch on a grid.
  struct BufferLengths {
    std::array<std::int64_t, kDepth> concat{};
    std::int64_t block_tmp = 0, pooled = 0, decoded = 0, padding = 0;
  };
  BufferLengths buffer_lengths(std::int64_t batch, const std::vector<std::int64_t>& space) const;
  /// Two [conv → BatchNorm → Tanh] with BatchNorm folded into each convolution.
  struct Block {
    layers::Convolution<ExecSpace> conv1;
    layers::Convolution<ExecSpace> conv2;
  };

  int ndim_ = 2;
  std::int64_t dim_in_ = 0;
  std::int64_t dim_out_ = 0;
  std::int64_t features_ = 0;
  std::array<Block, kDepth> encoders_;
  Block bottleneck_;
  std::array<layers::TransposedConvolution<ExecSpace>, kDepth> upconvs_;  // upconv1..4 at [0..3]
  std::array<Block, kDepth> decoders_;                                    // decoder1..4 at [0..3]
  layers::TransposedConvolution<ExecSpace> output_;
  LayerProbe probe_;
  // Buffers kept between calls: one skip-concatenation buffer per level, block temporaries.
  std::array<layers::Workspace<ExecSpace>, kDepth> concat_;
  layers::Workspace<ExecSpace> block_tmp_;
  layers::Workspace<ExecSpace> pooled_;
  layers::Workspace<ExecSpace> decoded_;
  layers::Workspace<ExecSpace> padding_;
};

}  // namespace gavel::surrogates
