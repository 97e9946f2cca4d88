#include "gavel/surrogates/fno.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/layers/detail/kernel_support.hpp"
#include "gavel/surrogates/layers/tucker.hpp"
#include "gavel/surrogates/weights.hpp"

namespace gavel::surrogates {

namespace {

/// Largest number of floats the 256-channel MLP buffer may take; the lifting and projection run
/// over as many samples at a time as fit (at least one).
constexpr std::int64_t wide_budget = std::int64_t(1) << 26;

/// Shape of a 1×1 ConvNd weight: (out, in, 1, …, 1).
std::vector<std::int64_t> conv_shape(std::int64_t out, std::int64_t in, int dims) {
  std::vector<std::int64_t> shape{out, in};
  shape.resize(static_cast<std::size_t>(2 + dims), 1);
  return shape;
}

/// Upper limits on config.json's sizes: far above any published model, low enough that a hostile
/// value is refused before it sizes an allocation.
constexpr std::int64_t max_channels = std::int64_t(1) << 20;
constexpr std::int64_t max_hidden_channels = std::int64_t(1) << 16;
constexpr std::int64_t max_modes = std::int64_t(1) << 16;

}  // namespace

template <class ExecSpace>
FNO<ExecSpace>::FNO(const ModelConfig& config, const SafetensorsFile& file, Factorization factorization) {
  const std::int64_t dims = config.integer("n_spatial_dims");
  if (dims != 2 && dims != 3)
    throw Error(config.path() + ": 'n_spatial_dims' is " + std::to_string(dims) + "; FNO/TFNO models are 2-D or 3-D");
  const int d = static_cast<int>(dims);
  in_channels_ = config.count("dim_in", -1, 1, max_channels);
  out_channels_ = config.count("dim_out", -1, 1, max_channels);
  // the_well's FNO/TFNO class defaults: hidden_channels 64, modes3 16.
  hidden_channels_ = config.count("hidden_channels", 64, 1, max_hidden_channels);
  const std::vector<std::string> mode_keys{"modes1", "modes2", "modes3"};
  for (int a = 0; a < d; ++a) {
    const std::string& key = mode_keys[static_cast<std::size_t>(a)];
    const std::int64_t m = config.count(key, a < 2 ? -1 : 16, 1, max_modes);
    weight_modes_.push_back(a + 1 < d ? m : m / 2 + 1);
  }
  tucker_ = factorization == Factorization::tucker ||
            (factorization == Factorization::detect && file.find("model.fno_blocks.convs.weight.0.core") != nullptr);

  Weights weights(file);
  const std::int64_t h = hidden_channels_;
  const auto pointwise = [&](const std::string& name, std::int64_t out, std::int64_t in, bool bias) {
    std::vector<float> w = weights.take(name + ".weight", conv_shape(out, in, d));
    std::vector<float> b = bias ? weights.take(name + ".bias", {out}) : std::vector<float>{};
    return layers::Pointwise<ExecSpace>(in, out, w, b);
  };
  lifting_[0] = pointwise("model.lifting.fcs.0", lifting_channels, in_channels_, true);
  lifting_[1] = pointwise("model.lifting.fcs.1", h, lifting_channels, true);
  projection_[0] = pointwise("model.projection.fcs.0", projection_channels, h, true);
  projection_[1] = pointwise("model.projection.fcs.1", out_channels_, projection_channels, true);

  std::vector<std::int64_t> bias_shape{n_layers, h};
  bias_shape.resize(static_cast<std::size_t>(2 + d), 1);
  const std::vector<float> conv_bias = weights.take("model.fno_blocks.convs.bias", bias_shape);

  // Dense weight dimensions (in, out, M…) and their complex storage shape (…, 2).
  std::vector<std::int64_t> dense_dims{h, h};
  dense_dims.insert(dense_dims.end(), weight_modes_.begin(), weight_modes_.end());
  for (int layer = 0; layer < n_layers; ++layer) {
    const std::string prefix = "model.fno_blocks.convs.weight." + std::to_string(layer);
    std::vector<float> dense;
    if (!tucker_) {
      std::vector<std::int64_t> shape = dense_dims;
      shape.push_back(2);
      dense = weights.take(prefix + ".tensor", shape);
    } else {
      // The Tucker ranks are whatever the core was saved with (tltorch's rank=1.0 gives full
      // ranks); the factors must agree with them and with the dense dimensions.
      std::vector<std::int64_t> ranks = dense_dims;
      const TensorEntry* core_entry = file.find(prefix + ".core");
      if (core_entry && core_entry->shape.size() == dense_dims.size() + 1 && core_entry->shape.back() == 2 &&
          std::all_of(core_entry->shape.begin(), core_entry->shape.end(), [](std::int64_t e) { return e > 0; }))
        ranks.assign(core_entry->shape.begin(), core_entry->shape.end() - 1);
      std::vector<std::int64_t> core_shape = ranks;
      core_shape.push_back(2);
      const std::vector<float> core = weights.take(prefix + ".core", core_shape);
      std::vector<std::vector<float>> factors;
      for (std::size_t k = 0; k < dense_dims.size(); ++k)
        factors.push_back(weights.take(prefix + ".factors.factor_" + std::to_string(k), {dense_dims[k], ranks[k], 2}));
      dense = layers::tucker_to_dense(core, ranks, factors, dense_dims);
    }
    const auto bias_begin = conv_bias.begin() + static_cast<std::ptrdiff_t>(layer * h);
    convs_.emplace_back(h, h, weight_modes_, dense, std::vector<float>(bias_begin, bias_begin + h));
    skips_.push_back(pointwise("model.fno_blocks.fno_skips." + std::to_string(layer), h, h, false));
  }
  weights.finish();
}

template <class ExecSpace>
void FNO<ExecSpace>::forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space,
                             const View& out, const ExecSpace& exec) {
  forward(in, batch, space, out, Observer(), exec);
}

template <class ExecSpace>
std::int64_t FNO<ExecSpace>::mlp_chunk(std::int64_t wide, std::int64_t batch, std::int64_t points) {
  return std::max<std::int64_t>(1, std::min(batch, wide_budget / (wide * points)));
}

template <class ExecSpace>
typename FNO<ExecSpace>::BufferLengths FNO<ExecSpace>::buffer_lengths(std::int64_t batch, std::int64_t points) const {
  BufferLengths lengths;
  if (batch == 0) return lengths;
  lengths.hidden = batch * hidden_channels_ * points;
  for (const auto* mlp : {&lifting_[0], &projection_[0]}) {
    const std::int64_t wide = mlp->out_channels();
    lengths.wide = std::max(lengths.wide, mlp_chunk(wide, batch, points) * wide * points);
  }
  return lengths;
}

template <class ExecSpace>
std::int64_t FNO<ExecSpace>::checked_points(const std::string& name, const std::vector<std::int64_t>& space) const {
  if (static_cast<int>(space.size()) != spatial_dims())
    throw Error(name + "the model is " + std::to_string(spatial_dims()) + "-D, the input has " +
                std::to_string(space.size()) + " spatial axes");
  std::int64_t points = 1;
  for (auto n : space) {
    if (n <= 0) throw Error(name + "spatial extents must be positive");
    points *= n;
  }
  return points;
}

template <class ExecSpace>
std::size_t FNO<ExecSpace>::workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const {
  const std::int64_t points = checked_points(architecture() + " workspace: ", space);
  if (batch < 0) throw Error(architecture() + " workspace: negative batch size");
  if (batch == 0) return 0;  // forward() returns before allocating anything
  const BufferLengths lengths = buffer_lengths(batch, points);
  const layers::ModeSelection modes = layers::ModeSelection::make(space, weight_modes_);
  std::array<std::int64_t, 2> spectra{}, scratch{};
  for (const auto& conv : convs_) {
    const auto need =
        layers::SpectralPlan<ExecSpace>::work_lengths(modes, batch, conv.in_channels(), conv.out_channels());
    for (std::size_t s = 0; s < 2; ++s) {
      spectra[s] = std::max(spectra[s], need.spectra[s]);
      scratch[s] = std::max(scratch[s], need.scratch[s]);
    }
  }
  std::size_t bytes = layers::SpectralPlan<ExecSpace>::table_bytes(modes);
  const std::array<std::int64_t, 7> buffers{lengths.hidden, lengths.hidden, lengths.wide, spectra[0],
                                            spectra[1],     scratch[0],     scratch[1]};
  for (const std::int64_t floats : buffers)
    bytes += layers::allocation_bytes(floats, sizeof(float));
  return bytes;
}

template <class ExecSpace>
std::size_t FNO<ExecSpace>::parameter_bytes() const {
  std::size_t bytes = 0;
  for (const auto* layer : {&lifting_[0], &lifting_[1], &projection_[0], &projection_[1]})
    bytes += layer->parameter_bytes();
  for (const auto& skip : skips_)
    bytes += skip.parameter_bytes();
  for (const auto& conv : convs_)
    bytes += conv.parameter_bytes();
  return bytes;
}

template <class ExecSpace>
std::size_t FNO<ExecSpace>::held_workspace_bytes() const {
  return layers::view_bytes(current_) + layers::view_bytes(next_) + layers::view_bytes(wide_) + plan_.held_bytes();
}

template <class ExecSpace>
void FNO<ExecSpace>::run_mlp(const ExecSpace& exec, const layers::Pointwise<ExecSpace>& first,
                             const layers::Pointwise<ExecSpace>& second, const ConstView& in, const View& out,
                             std::int64_t batch, std::int64_t points) {
  const std::int64_t wide = first.out_channels();
  const std::int64_t chunk = mlp_chunk(wide, batch, points);
  layers::detail::require_length(wide_, chunk * wide * points, "gavel::FNO::wide");  // forward() reserved it
  for (std::int64_t b0 = 0; b0 < batch; b0 += chunk) {
    const std::int64_t nb = std::min(chunk, batch - b0);
    const std::int64_t in_size = first.in_channels() * points, out_size = second.out_channels() * points;
    const ConstView in_part = Kokkos::subview(in, std::make_pair(b0 * in_size, (b0 + nb) * in_size));
    const View out_part = Kokkos::subview(out, std::make_pair(b0 * out_size, (b0 + nb) * out_size));
    first.apply(exec, in_part, wide_, nb, points, layers::Activation::gelu);
    second.apply(exec, wide_, out_part, nb, points, layers::Activation::none);
  }
}

template <class ExecSpace>
void FNO<ExecSpace>::forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space,
                             const View& out, const Observer& observer, const ExecSpace& exec) {
  const std::string name = architecture() + " forward: ";
  const std::int64_t points = checked_points(name, space);
  if (batch < 0) throw Error(name + "negative batch size");
  layers::detail::require_length(
      in, batch * in_channels_ * points,
      name + "input (batch " + std::to_string(batch) + ", " + std::to_string(in_channels_) + " channels)");
  layers::detail::require_length(
      out, batch * out_channels_ * points,
      name + "output (batch " + std::to_string(batch) + ", " + std::to_string(out_channels_) + " channels)");
  if (batch == 0) return;
  if (!plan_.valid() || plan_.grid() != space) plan_ = layers::SpectralPlan<ExecSpace>(space, weight_modes_);
  const BufferLengths lengths = buffer_lengths(batch, points);
  layers::detail::reserve(current_, lengths.hidden, "gavel::FNO::hidden");
  layers::detail::reserve(next_, lengths.hidden, "gavel::FNO::hidden");
  layers::detail::reserve(wide_, lengths.wide, "gavel::FNO::wide");
  const auto report = [&](const std::string& stage, const ConstView& values, std::int64_t channels) {
    if (!observer) return;
    exec.fence();
    observer(stage, Kokkos::subview(values, std::make_pair(std::int64_t(0), batch * channels * points)), channels);
  };

  run_mlp(exec, lifting_[0], lifting_[1], in, current_, batch, points);
  report("lifting", current_, hidden_channels_);
  for (int layer = 0; layer < n_layers; ++layer) {
    // next = act(SpectralConv(x) + bias + skip(x)), the skip written first and accumulated.
    skips_[static_cast<std::size_t>(layer)].apply(exec, current_, next_, batch, points);
    const auto act = layer + 1 < n_layers ? layers::Activation::gelu : layers::Activation::none;
    convs_[static_cast<std::size_t>(layer)].apply(exec, plan_, current_, next_, batch, act, true);
    std::swap(current_, next_);
    report("fno_blocks." + std::to_string(layer), current_, hidden_channels_);
  }
  run_mlp(exec, projection_[0], projection_[1], current_, out, batch, points);
  report("projection", out, out_channels_);
}

#define GAVEL_INSTANTIATE_FNO(SPACE) template class FNO<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_FNO)
#undef GAVEL_INSTANTIATE_FNO

}  // namespace gavel::surrogates
