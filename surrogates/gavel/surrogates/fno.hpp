#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/pointwise.hpp"
#include "gavel/surrogates/layers/spectral_conv.hpp"
#include "gavel/surrogates/model.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"

namespace gavel::surrogates {

/// The Well's FNO and TFNO checkpoints (the_well 1.2.0 wrapping neuraloperator 0.3.0's FNO with
/// every argument at its default but n_modes, channels and hidden_channels):
///   lifting MLP (1×1 conv dim_in→256, GELU, 1×1 conv 256→hidden)
///   4 × [ SpectralConv(x) + bias + 1×1 skip(x) (no bias), GELU except after the last ]
///   projection MLP (1×1 conv hidden→256, GELU, 1×1 conv 256→dim_out).
/// The spectral convolutions keep modes1 (, modes2) centred modes on the leading axes and
/// modes_last//2+1 on the last (see layers::ModeSelection), with rfftn/irfftn norm "backward".
/// TFNO stores each spectral weight as a complex Tucker core and factors; it is reconstructed to
/// the dense weight at load. Resolution-independent: any grid works, as in PyTorch (on a grid
/// smaller than the modes the centre of the weight is used).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class FNO : public Model<ExecSpace> {
 public:
  using View = typename Model<ExecSpace>::View;
  using ConstView = typename Model<ExecSpace>::ConstView;
  /// Called after each stage with its output (batch, channels, *space): "lifting",
  /// "fno_blocks.0" … "fno_blocks.{n_layers−1}", "projection".
  using Observer = std::function<void(const std::string& stage, const ConstView& values, std::int64_t channels)>;
  enum class Factorization { detect, dense, tucker };

  static constexpr std::int64_t lifting_channels = 256;
  static constexpr std::int64_t projection_channels = 256;
  static constexpr int n_layers = 4;

  /// Reads the model from a checkpoint's config.json and model.safetensors. `detect` picks
  /// Tucker (TFNO) when the spectral weights are stored as core + factors. Throws gavel::Error
  /// naming the file for an unusable config or tensors that do not fit (all listed at once).
  FNO(const ModelConfig& config, const SafetensorsFile& weights, Factorization factorization = Factorization::detect);

  std::string architecture() const override { return tucker_ ? "TFNO" : "FNO"; }
  int spatial_dims() const override { return static_cast<int>(weight_modes_.size()); }
  int in_channels() const override { return static_cast<int>(in_channels_); }
  int out_channels() const override { return static_cast<int>(out_channels_); }
  std::int64_t hidden_channels() const { return hidden_channels_; }
  /// Weight modes per axis (the last one is the rfft half, modes//2+1).
  const std::vector<std::int64_t>& weight_modes() const { return weight_modes_; }
  /// Layer `i`'s spectral convolution (bias included) and 1×1 skip, e.g. to check them alone.
  const layers::SpectralConv<ExecSpace>& spectral_conv(int i) const { return convs_.at(static_cast<std::size_t>(i)); }
  const layers::Pointwise<ExecSpace>& skip(int i) const { return skips_.at(static_cast<std::size_t>(i)); }

  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override;
  /// forward that reports every stage's output to `observer` (the stream is fenced first).
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const Observer& observer, const ExecSpace& exec = ExecSpace());

  /// The two hidden-width activations, the MLP's 256-wide chunk, and the spectral plan of `space`
  /// (DFT tables, weight map, spectra, scratch). Throws gavel::Error as forward() does for a
  /// grid of the wrong rank or a negative batch.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override;
  /// Lifting, projection and skip weights and biases, and the dense spectral weights (a TFNO's
  /// Tucker factors are not kept: the dense weight rebuilt from them is).
  std::size_t parameter_bytes() const override;
  /// Bytes the buffers and the spectral plan hold now, measured on the Views themselves.
  std::size_t held_workspace_bytes() const;

 private:
  /// Floats of each buffer forward() reserves: `hidden` for current_ and next_ each, `wide` for
  /// the MLP chunk (as many samples as fit wide_budget, at least one).
  struct BufferLengths {
    std::int64_t hidden = 0;
    std::int64_t wide = 0;
  };
  BufferLengths buffer_lengths(std::int64_t batch, std::int64_t points) const;
  /// Samples one pass of a `wide`-channel MLP takes.
  static std::int64_t mlp_chunk(std::int64_t wide, std::int64_t batch, std::int64_t points);
  /// ∏ space after checking its rank and extents against the model; `name` starts the messages.
  std::int64_t checked_points(const std::string& name, const std::vector<std::int64_t>& space) const;
  void run_mlp(const ExecSpace& exec, const layers::Pointwise<ExecSpace>& first,
               const layers::Pointwise<ExecSpace>& second, const ConstView& in, const View& out, std::int64_t batch,
               std::int64_t points);

  bool tucker_ = false;
  std::int64_t in_channels_ = 0, out_channels_ = 0, hidden_channels_ = 0;
  std::vector<std::int64_t> weight_modes_;
  layers::Pointwise<ExecSpace> lifting_[2], projection_[2];
  std::vector<layers::Pointwise<ExecSpace>> skips_;
  std::vector<layers::SpectralConv<ExecSpace>> convs_;
  layers::SpectralPlan<ExecSpace> plan_;
  View wide_, current_, next_;
};

}  // namespace gavel::surrogates
