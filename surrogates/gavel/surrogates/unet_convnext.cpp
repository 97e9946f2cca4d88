#include "gavel/surrogates/unet_convnext.hpp"

#include <algorithm>
#include <array>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/weights.hpp"

namespace gavel::surrogates {

namespace {

using Index = std::int64_t;
using detail::level_extent;
using detail::points_of;

}  // namespace

template <class ExecSpace>
UNetConvNext<ExecSpace>::UNetConvNext(const ModelConfig& config, const SafetensorsFile& file, layers::Tiling tiling) {
  ndim_ = static_cast<int>(detail::config_count(config, "n_spatial_dims", -1, 1, 3));
  dim_in_ = detail::config_count(config, "dim_in", -1, 1, Index{1} << 20);
  dim_out_ = detail::config_count(config, "dim_out", -1, 1, Index{1} << 20);
  features_ = detail::config_count(config, "init_features", 32, 1, Index{1} << 16);
  stages_ = static_cast<int>(detail::config_count(config, "stages", 4, 0, 16));
  const Index per_stage = detail::config_count(config, "blocks_per_stage", 1, 0, 1024);
  const Index at_neck = detail::config_count(config, "blocks_at_neck", 1, 0, 1024);

  Weights weights(file);
  auto conv = [&](const std::string& key, Index cin, Index cout, int kernel, int stride, int padding, Index groups) {
    layers::ConvolutionSpec spec;
    spec.ndim = ndim_;
    spec.in_channels = cin;
    spec.out_channels = cout;
    spec.kernel = kernel;
    spec.stride = stride;
    spec.padding = padding;
    spec.groups = groups;
    return layers::Convolution<ExecSpace>(spec, weights.take(key + ".weight", spec.weight_shape()),
                                          weights.take(key + ".bias", {cout}), key, tiling);
  };
  // nn.Linear(cin, cout) on channels-last points is a 1×1 convolution with the same weight layout.
  auto linear = [&](const std::string& key, Index cin, Index cout) {
    layers::ConvolutionSpec spec;
    spec.ndim = ndim_;
    spec.in_channels = cin;
    spec.out_channels = cout;
    spec.kernel = 1;
    return layers::Convolution<ExecSpace>(spec, weights.take(key + ".weight", {cout, cin}),
                                          weights.take(key + ".bias", {cout}), key, tiling);
  };
  auto block = [&](const std::string& key, Index c) {
    Block b;
    b.dwconv = conv(key + ".dwconv", c, c, 7, 1, 3, c);
    b.norm = layers::LayerNorm<ExecSpace>(layers::LayerNormKind::channels_last, weights.take(key + ".norm.weight", {c}),
                                          weights.take(key + ".norm.bias", {c}), 1e-6, key + ".norm", tiling);
    b.pwconv1 = linear(key + ".pwconv1", c, 4 * c);
    b.pwconv2 = linear(key + ".pwconv2", 4 * c, c);
    const auto gamma = weights.take(key + ".gamma", {c});
    b.pwconv2.fold_affine(std::vector<double>(gamma.begin(), gamma.end()),
                          std::vector<double>(static_cast<std::size_t>(c), 0.0));
    return b;
  };
  auto blocks = [&](const std::string& key, Index c, Index count) {
    std::vector<Block> list;
    for (Index k = 0; k < count; ++k)
      list.push_back(block(key + ".blocks." + std::to_string(k), c));
    return list;
  };
  // the_well's channels_first LayerNorm: weight and bias shaped (C, 1, …, 1); the bias is unused.
  auto resample_norm = [&](const std::string& key, Index c) {
    std::vector<Index> shape = {c};
    for (int k = 0; k < ndim_; ++k)
      shape.push_back(1);
    auto weight = weights.take(key + ".weight", shape);
    auto bias = weights.take(key + ".bias", shape);
    return layers::LayerNorm<ExecSpace>(layers::LayerNormKind::channels_first, weight, bias, 1e-6, key, tiling);
  };

  const Index f = features_;
  in_proj_ = conv("in_proj", dim_in_, f, 3, 1, 1, 1);
  out_proj_ = conv("out_proj", f, dim_out_, 3, 1, 1, 1);
  for (int i = 0; i < stages_; ++i) {
    const std::string key = "encoder." + std::to_string(i);
    Stage s;
    s.blocks = blocks(key, f << i, per_stage);
    s.resample_norm = resample_norm(key + ".resample.block.0", f << i);
    s.downsample = conv(key + ".resample.block.1", f << i, f << (i + 1), 2, 2, 0, 1);
    encoder_.push_back(std::move(s));
  }
  neck_.blocks = blocks("neck", f << stages_, at_neck);
  for (int j = 0; j < stages_; ++j) {
    const std::string key = "decoder." + std::to_string(j);
    const int level = stages_ - j;
    Stage s;
    if (j > 0) {
      s.has_skip_proj = true;
      s.skip_proj = conv(key + ".skip_proj", 2 * (f << level), f << level, 1, 1, 0, 1);
    }
    s.blocks = blocks(key, f << level, per_stage);
    s.resample_norm = resample_norm(key + ".resample.block.0", f << level);
    layers::TransposedConvolutionSpec spec;
    spec.ndim = ndim_;
    spec.in_channels = f << level;
    spec.out_channels = f << (level - 1);
    spec.kernel = 2;
    spec.stride = 2;
    s.upsample = layers::TransposedConvolution<ExecSpace>(
        spec, weights.take(key + ".resample.block.1.weight", spec.weight_shape()),
        weights.take(key + ".resample.block.1.bias", {spec.out_channels}), key + ".resample.block.1", tiling);
    decoder_.push_back(std::move(s));
  }
  weights.finish();
  concat_.resize(static_cast<std::size_t>(std::max(stages_, 1)));
}

template <class ExecSpace>
void UNetConvNext<ExecSpace>::run_block(const ExecSpace& exec, Block& b, const std::string& key,
                                        const layers::ConstTensor& x, const layers::Tensor& y, float* t, float* h) {
  const auto tt = layers::make_tensor(t, x.batch, x.channels, x.extent, ndim_);
  const auto hh = layers::make_tensor(h, x.batch, 4 * x.channels, x.extent, ndim_);
  b.dwconv.forward(exec, x, tt, {}, &padding_);
  if (probe_) probe_(key + ".dwconv", tt);
  b.norm.forward(exec, tt, tt);
  if (probe_) probe_(key + ".norm", tt);
  b.pwconv1.forward(exec, tt, hh, {layers::Activation::gelu, {}});
  b.pwconv2.forward(exec, hh, y, {layers::Activation::none, x});
}

template <class ExecSpace>
typename UNetConvNext<ExecSpace>::BufferLengths UNetConvNext<ExecSpace>::buffer_lengths(
    std::int64_t batch, const std::vector<std::int64_t>& space) const {
  BufferLengths lengths;
  lengths.concat.assign(concat_.size(), 0);
  if (batch == 0) return lengths;
  const int S = stages_;
  auto ext = [&](int level) { return level_extent(space, level); };
  auto width = [&](int level) { return features_ << level; };
  Index widest = 0;
  for (int l = 0; l <= S; ++l)
    widest = std::max(widest, width(l) * points_of(ext(l)));
  lengths.top = batch * width(0) * points_of(ext(0));
  lengths.deepest = batch * width(S) * points_of(ext(S));
  lengths.work = batch * widest;
  lengths.tmp = batch * widest;
  lengths.hidden = batch * 4 * widest;
  for (int l = 1; l < S; ++l)
    lengths.concat[static_cast<std::size_t>(l)] = batch * 2 * width(l) * points_of(ext(l));
  // Every convolution that is given padding_ pads its input there (those without padding read in place).
  const auto pad = [&](const layers::Convolution<ExecSpace>& conv, int level) {
    lengths.padding = std::max(lengths.padding, conv.padded_input_length(batch, ext(level)));
  };
  const auto stage = [&](const Stage& s, int level) {
    for (const auto& b : s.blocks)
      pad(b.dwconv, level);
    if (s.has_skip_proj) pad(s.skip_proj, level);
  };
  pad(in_proj_, 0);
  pad(out_proj_, 0);
  for (int i = 0; i < S; ++i) {
    stage(encoder_[static_cast<std::size_t>(i)], i);
    pad(encoder_[static_cast<std::size_t>(i)].downsample, i);
    stage(decoder_[static_cast<std::size_t>(i)], S - i);
  }
  stage(neck_, S);
  return lengths;
}

template <class ExecSpace>
std::size_t UNetConvNext<ExecSpace>::workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const {
  detail::check_unet_space("UNetConvNext", space, ndim_, stages_);
  if (batch < 0) throw Error("UNetConvNext: negative batch size " + std::to_string(batch));
  const BufferLengths lengths = buffer_lengths(batch, space);
  std::size_t bytes = 0;
  const std::array<Index, 6> buffers{lengths.top, lengths.deepest, lengths.work,
                                     lengths.tmp, lengths.hidden,  lengths.padding};
  for (const Index floats : buffers)
    bytes += layers::allocation_bytes(floats, sizeof(float));
  for (const Index floats : lengths.concat)
    bytes += layers::allocation_bytes(floats, sizeof(float));
  return bytes;
}

template <class ExecSpace>
std::size_t UNetConvNext<ExecSpace>::parameter_bytes() const {
  // A neck's unused resampling members and a stage's absent skip_proj hold empty Views (0 bytes).
  const auto stage = [](const Stage& s) {
    std::size_t bytes = s.skip_proj.parameter_bytes() + s.resample_norm.parameter_bytes() +
                        s.downsample.parameter_bytes() + s.upsample.parameter_bytes();
    for (const auto& b : s.blocks)
      bytes += b.dwconv.parameter_bytes() + b.norm.parameter_bytes() + b.pwconv1.parameter_bytes() +
               b.pwconv2.parameter_bytes();
    return bytes;
  };
  std::size_t bytes = in_proj_.parameter_bytes() + out_proj_.parameter_bytes() + stage(neck_);
  for (const auto& s : encoder_)
    bytes += stage(s);
  for (const auto& s : decoder_)
    bytes += stage(s);
  return bytes;
}

template <class ExecSpace>
std::size_t UNetConvNext<ExecSpace>::held_workspace_bytes() const {
  const auto stage = [](const Stage& s) {
    std::size_t bytes = s.skip_proj.held_workspace_bytes() + s.downsample.held_workspace_bytes();
    for (const auto& b : s.blocks)
      bytes += b.dwconv.held_workspace_bytes() + b.pwconv1.held_workspace_bytes() + b.pwconv2.held_workspace_bytes();
    return bytes;
  };
  std::size_t bytes = top_.bytes() + deepest_.bytes() + work_.bytes() + tmp_.bytes() + hidden_.bytes() +
                      padding_.bytes() + in_proj_.held_workspace_bytes() + out_proj_.held_workspace_bytes() +
                      stage(neck_);
  for (const auto& c : concat_)
    bytes += c.bytes();
  for (const auto& s : encoder_)
    bytes += stage(s);
  for (const auto& s : decoder_)
    bytes += stage(s);
  return bytes;
}

template <class ExecSpace>
void UNetConvNext<ExecSpace>::forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space,
                                      const View& out, const ExecSpace& exec) {
  detail::check_unet_space("UNetConvNext", space, ndim_, stages_);
  if (batch < 0) throw Error("UNetConvNext: negative batch size " + std::to_string(batch));
  const Index points = points_of(level_extent(space, 0));
  detail::check_unet_views("UNetConvNext", in.extent(0), out.extent(0), batch * dim_in_ * points,
                           batch * dim_out_ * points);
  if (batch == 0) return;
  const Index f = features_;
  const int S = stages_;
  auto ext = [&](int level) { return level_extent(space, level); };
  auto width = [&](int level) { return f << level; };

  const BufferLengths lengths = buffer_lengths(batch, space);
  float* top = top_.reserve(static_cast<std::size_t>(lengths.top), exec);
  float* deepest = deepest_.reserve(static_cast<std::size_t>(lengths.deepest), exec);
  float* work = work_.reserve(static_cast<std::size_t>(lengths.work), exec);
  float* t = tmp_.reserve(static_cast<std::size_t>(lengths.tmp), exec);
  float* h = hidden_.reserve(static_cast<std::size_t>(lengths.hidden), exec);
  padding_.reserve(static_cast<std::size_t>(lengths.padding), exec);  // the convolutions' padded inputs
  std::vector<layers::Tensor> cat(static_cast<std::size_t>(S) + 1);
  for (int l = 1; l < S; ++l)
    cat[static_cast<std::size_t>(l)] =
        layers::make_tensor(concat_[static_cast<std::size_t>(l)].reserve(
                                static_cast<std::size_t>(lengths.concat[static_cast<std::size_t>(l)]), exec),
                            batch, 2 * width(l), ext(l), ndim_);

  auto probe = [&](const std::string& name, const layers::ConstTensor& v) {
    if (probe_) probe_(name, v);
  };
  // The stage's blocks from `x`; the first writes into `work` (so x, a skip, survives), the
  // others work in place. Returns the stage's running value.
  auto run_blocks = [&](Stage& s, const std::string& key, layers::ConstTensor x, int level) {
    const auto w = layers::make_tensor(work, batch, width(level), ext(level), ndim_);
    for (std::size_t k = 0; k < s.blocks.size(); ++k) {
      const std::string name = key + ".blocks." + std::to_string(k);
      run_block(exec, s.blocks[k], name, x, w, t, h);
      probe(name, w);
      x = w;
    }
    return x;
  };

  const auto input = layers::make_tensor(in.data(), batch, dim_in_, space);
  const auto x0 = layers::make_tensor(top, batch, width(0), ext(0), ndim_);
  in_proj_.forward(exec, input, x0, {}, &padding_);
  probe("in_proj", x0);

  layers::ConstTensor x = x0;
  for (int i = 0; i < S; ++i) {
    const std::string key = "encoder." + std::to_string(i);
    Stage& s = encoder_[static_cast<std::size_t>(i)];
    x = run_blocks(s, key, x, i);
    const auto tt = layers::make_tensor(t, batch, width(i), ext(i), ndim_);
    s.resample_norm.forward(exec, x, tt);
    probe(key + ".resample.block.0", tt);
    // The next stage's input is kept as its skip: the second half of that level's concatenation.
    const layers::Tensor next = i + 1 < S
                                    ? cat[static_cast<std::size_t>(i + 1)].channel_slice(width(i + 1), width(i + 1))
                                    : layers::make_tensor(deepest, batch, width(S), ext(S), ndim_);
    s.downsample.forward(exec, tt, next, {}, &padding_);
    probe(key, next);
    x = next;
  }
  x = run_blocks(neck_, "neck", x, S);
  probe("neck", x);
  for (int j = 0; j < S; ++j) {
    const std::string key = "decoder." + std::to_string(j);
    const int level = S - j;
    Stage& s = decoder_[static_cast<std::size_t>(j)];
    if (s.has_skip_proj) {
      const auto w = layers::make_tensor(work, batch, width(level), ext(level), ndim_);
      s.skip_proj.forward(exec, cat[static_cast<std::size_t>(level)], w, {}, &padding_);
      probe(key + ".skip_proj", w);
      x = w;
    }
    x = run_blocks(s, key, x, level);
    const auto tt = layers::make_tensor(t, batch, width(level), ext(level), ndim_);
    s.resample_norm.forward(exec, x, tt);
    probe(key + ".resample.block.0", tt);
    const layers::Tensor next = level - 1 >= 1
                                    ? cat[static_cast<std::size_t>(level - 1)].channel_slice(0, width(level - 1))
                                    : layers::make_tensor(top, batch, width(0), ext(0), ndim_);
    s.upsample.forward(exec, tt, next);
    probe(key, next);
    x = next;
  }
  const auto y = layers::make_tensor(out.data(), batch, dim_out_, space);
  out_proj_.forward(exec, x, y, {}, &padding_);
  probe("out_proj", y);
}

#define GAVEL_INSTANTIATE_UNET_CONVNEXT(SPACE) template class UNetConvNext<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_UNET_CONVNEXT)

}  // namespace gavel::surrogates
