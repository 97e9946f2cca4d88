#include "gavel/surrogates/unet_classic.hpp"

#include <algorithm>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
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
  Index tmp = 0, pooled = 0, decoded = 0;
  for (int l = 0; l <= kDepth; ++l) {
    const Index p = points_of(level_extent(space, l));
    tmp = std::max(tmp, (f << l) * p);
    decoded = std::max(decoded, (f << l) * p);
    if (l > 0) pooled = std::max(pooled, (f << (l - 1)) * p);
  }
  std::array<float*, kDepth> concat{};
  for (int l = 0; l < kDepth; ++l)
    concat[static_cast<std::size_t>(l)] = concat_[static_cast<std::size_t>(l)].reserve(
        static_cast<std::size_t>(batch * 2 * (f << l) * points_of(level_extent(space, l))), exec);
  float* tmp_data = block_tmp_.reserve(static_cast<std::size_t>(batch * tmp), exec);
  float* pooled_data = pooled_.reserve(static_cast<std::size_t>(batch * pooled), exec);
  float* decoded_data = decoded_.reserve(static_cast<std::size_t>(batch * decoded), exec);

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
