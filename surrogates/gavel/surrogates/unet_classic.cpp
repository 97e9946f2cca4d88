#include "gavel/surrogates/unet_classic.hpp"

#include <algorithm>
#include <array>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/layers/batch_norm.hpp"
#include "gavel/surrogates/layers/pooling.hpp"
#include "gavel/surrogates/weights.hpp"

namespace gavel::surrogates {

namespace {

using Index = std::int64_t;
using detail::level_extent;
using detail::points_of;

}  // namespace

template <class ExecSpace>
UNetClassic<ExecSpace>::UNetClassic(const ModelConfig& config, const SafetensorsFile& file, layers::Tiling tiling) {
  ndim_ = static_cast<int>(detail::config_count(config, "n_spatial_dims", -1, 1, 3));
  dim_in_ = detail::config_count(config, "dim_in", -1, 1, Index{1} << 20);
  dim_out_ = detail::config_count(config, "dim_out", -1, 1, Index{1} << 20);
  features_ = detail::config_count(config, "init_features", 32, 1, Index{1} << 16);

  Weights weights(file);
  weights.ignore_suffix(".num_batches_tracked");
  // conv (no bias) → BatchNorm, the BatchNorm folded into the convolution's output.
  auto conv_bn = [&](const std::string& conv, const std::string& norm, Index cin, Index cout) {
    layers::ConvolutionSpec spec;
    spec.ndim = ndim_;
    spec.in_channels = cin;
    spec.out_channels = cout;
    spec.kernel = 3;
    spec.stride = 1;
    spec.padding = 1;
    layers::Convolution<ExecSpace> c(spec, weights.take(conv + ".weight", spec.weight_shape()), {}, conv, tiling);
    const std::vector<Index> channel = {cout};
    const layers::BatchNorm<ExecSpace> bn(
        weights.take(norm + ".weight", channel), weights.take(norm + ".bias", channel),
        weights.take(norm + ".running_mean", channel), weights.take(norm + ".running_var", channel), 1e-5, norm);
    c.fold_affine(bn.scale(), bn.shift());
    return c;
  };
  auto block = [&](const std::string& module, const std::string& name, Index cin, Index cout) {
    Block b;
    b.conv1 = conv_bn(module + "." + name + "conv1", module + "." + name + "norm1", cin, cout);
    b.conv2 = conv_bn(module + "." + name + "conv2", module + "." + name + "norm2", cout, cout);
    return b;
  };
  auto transposed = [&](const std::string& key, Index cin, Index cout, int kernel) {
    layers::TransposedConvolutionSpec spec;
    spec.ndim = ndim_;
    spec.in_channels = cin;
    spec.out_channels = cout;
    spec.kernel = kernel;
    spec.stride = kernel;
    return layers::TransposedConvolution<ExecSpace>(spec, weights.take(key + ".weight", spec.weight_shape()),
                                                    weights.take(key + ".bias", {cout}), key, tiling);
  };

  const Index f = features_;
  Index cin = dim_in_;
  for (int l = 0; l < kDepth; ++l) {
    const std::string n = std::to_string(l + 1);
    encoders_[static_cast<std::size_t>(l)] = block("encoder" + n, "enc" + n, cin, f << l);
    cin = f << l;
  }
  bottleneck_ = block("bottleneck", "bottleneck", f << (kDepth - 1), f << kDepth);
  for (int l = kDepth - 1; l >= 0; --l) {
    const std::string n = std::to_string(l + 1);
    upconvs_[static_cast<std::size_t>(l)] = transposed("upconv" + n, f << (l + 1), f << l, 2);
    decoders_[static_cast<std::size_t>(l)] = block("decoder" + n, "dec" + n, 2 * (f << l), f << l);
  }
  output_ = transposed("conv", f, dim_out_, 1);
  weights.finish();
}

template <class ExecSpace>
typename UNetClassic<ExecSpace>::BufferLengths UNetClassic<ExecSpace>::buffer_lengths(
    std::int64_t batch, const std::vector<std::int64_t>& space) const {
  BufferLengths lengths;
  if (batch == 0) return lengths;
  const Index f = features_;
  for (int l = 0; l <= kDepth; ++l) {
    const Index p = points_of(level_extent(space, l));
    lengths.block_tmp = std::max(lengths.block_tmp, batch * (f << l) * p);
    lengths.decoded = std::max(lengths.decoded, batch * (f << l) * p);
    if (l > 0) lengths.pooled = std::max(lengths.pooled, batch * (f << (l - 1)) * p);
    if (l < kDepth)
      lengths.concat[static_cast<std::size_t>(l)] = batch * 2 * (f << l) * points_of(level_extent(space, l));
  }
  // Every block convolution pads its input into the one shared padding Workspace.
  const auto pad = [&](const Block& b, int level) {
    const auto e = level_extent(space, level);
    lengths.padding =
        std::max({lengths.padding, b.conv1.padded_input_length(batch, e), b.conv2.padded_input_length(batch, e)});
  };
  for (int l = 0; l < kDepth; ++l) {
    pad(encoders_[static_cast<std::size_t>(l)], l);
    pad(decoders_[static_cast<std::size_t>(l)], l);
  }
  pad(bottleneck_, kDepth);
  return lengths;
}

template <class ExecSpace>
std::size_t UNetClassic<ExecSpace>::workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const {
  detail::check_unet_space("UNetClassic", space, ndim_, kDepth);
  if (batch < 0) throw Error("UNetClassic: negative batch size " + std::to_string(batch));
  const BufferLengths lengths = buffer_lengths(batch, space);
  std::size_t bytes = 0;
  const std::array<Index, 4> buffers{lengths.block_tmp, lengths.pooled, lengths.decoded, lengths.padding};
  for (const Index floats : buffers)
    bytes += layers::allocation_bytes(floats, sizeof(float));
  for (const Index floats : lengths.concat)
    bytes += layers::allocation_bytes(floats, sizeof(float));
  return bytes;
}

template <class ExecSpace>
std::size_t UNetClassic<ExecSpace>::parameter_bytes() const {
  std::size_t bytes = output_.parameter_bytes();
  const auto block = [](const Block& b) { return b.conv1.parameter_bytes() + b.conv2.parameter_bytes(); };
  for (int l = 0; l < kDepth; ++l) {
    const auto k = static_cast<std::size_t>(l);
    bytes += block(encoders_[k]) + block(decoders_[k]) + upconvs_[k].parameter_bytes();
  }
  return bytes + block(bottleneck_);
}

template <class ExecSpace>
std::size_t UNetClassic<ExecSpace>::held_workspace_bytes() const {
  std::size_t bytes = block_tmp_.bytes() + pooled_.bytes() + decoded_.bytes() + padding_.bytes();
  for (const auto& c : concat_)
    bytes += c.bytes();
  const auto block = [](const Block& b) { return b.conv1.held_workspace_bytes() + b.conv2.held_workspace_bytes(); };
  for (int l = 0; l < kDepth; ++l)
    bytes += block(encoders_[static_cast<std::size_t>(l)]) + block(decoders_[static_cast<std::size_t>(l)]);
  return bytes + block(bottleneck_);
}

template <class ExecSpace>
void UNetClassic<ExecSpace>::forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space,
                                     const View& out, const ExecSpace& exec) {
  detail::check_unet_space("UNetClassic", space, ndim_, kDepth);
  if (batch < 0) throw Error("UNetClassic: negative batch size " + std::to_string(batch));
  const Index points = points_of(level_extent(space, 0));
  detail::check_unet_views("UNetClassic", in.extent(0), out.extent(0), batch * dim_in_ * points,
                           batch * dim_out_ * points);
  if (batch == 0) return;
  const Index f = features_;

  // Buffer sizes for this batch and grid; the Workspaces only ever grow.
  const BufferLengths lengths = buffer_lengths(batch, space);
  std::array<float*, kDepth> concat{};
  for (int l = 0; l < kDepth; ++l)
    concat[static_cast<std::size_t>(l)] = concat_[static_cast<std::size_t>(l)].reserve(
        static_cast<std::size_t>(lengths.concat[static_cast<std::size_t>(l)]), exec);
  float* tmp_data = block_tmp_.reserve(static_cast<std::size_t>(lengths.block_tmp), exec);
  float* pooled_data = pooled_.reserve(static_cast<std::size_t>(lengths.pooled), exec);
  float* decoded_data = decoded_.reserve(static_cast<std::size_t>(lengths.decoded), exec);
  padding_.reserve(static_cast<std::size_t>(lengths.padding), exec);  // the convolutions' padded inputs

  auto probe = [&](const std::string& name, const layers::ConstTensor& t) {
    if (probe_) probe_(name, t);
  };
  auto run_block = [&](Block& b, const layers::ConstTensor& x, const layers::Tensor& y) {
    const auto t = layers::make_tensor(tmp_data, batch, y.channels, y.extent, ndim_);
    b.conv1.forward(exec, x, t, {layers::Activation::tanh, {}}, &padding_);
    b.conv2.forward(exec, t, y, {layers::Activation::tanh, {}}, &padding_);
  };

  layers::ConstTensor x = layers::make_tensor(in.data(), batch, dim_in_, space);
  std::array<layers::Tensor, kDepth> cat;
  for (int l = 0; l < kDepth; ++l) {
    const auto k = static_cast<std::size_t>(l);
    cat[k] = layers::make_tensor(concat[k], batch, 2 * (f << l), level_extent(space, l), ndim_);
    const auto skip = cat[k].channel_slice(f << l, f << l);  // torch.cat((up, skip)): skip second
    run_block(encoders_[k], x, skip);
    probe("encoder" + std::to_string(l + 1), skip);
    const auto p = layers::make_tensor(pooled_data, batch, f << l, level_extent(space, l + 1), ndim_);
    layers::max_pool(exec, skip, p, 2);
    probe("pool" + std::to_string(l + 1), p);
    x = p;
  }
  auto d = layers::make_tensor(decoded_data, batch, f << kDepth, level_extent(space, kDepth), ndim_);
  run_block(bottleneck_, x, d);
  probe("bottleneck", d);
  for (int l = kDepth - 1; l >= 0; --l) {
    const auto k = static_cast<std::size_t>(l);
    const auto up = cat[k].channel_slice(0, f << l);
    upconvs_[k].forward(exec, d, up);
    probe("upconv" + std::to_string(l + 1), up);
    d = layers::make_tensor(decoded_data, batch, f << l, level_extent(space, l), ndim_);
    run_block(decoders_[k], cat[k], d);
    probe("decoder" + std::to_string(l + 1), d);
  }
  const auto y = layers::make_tensor(out.data(), batch, dim_out_, space);
  output_.forward(exec, d, y);
  probe("conv", y);
}

#define GAVEL_INSTANTIATE_UNET_CLASSIC(SPACE) template class UNetClassic<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_UNET_CLASSIC)

}  // namespace gavel::surrogates
