#include "gavel/surrogates/layers/transposed_convolution.hpp"

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/conv_kernels.hpp"
#include "gavel/surrogates/layers/conv_kernels_host.hpp"

namespace gavel::surrogates::layers {

namespace {

using Index = std::int64_t;
constexpr int kNarrowChannels = 4;
constexpr int kNarrowRun = 1;

std::string spec_text(const TransposedConvolutionSpec& s) {
  return std::to_string(s.ndim) + "-D, " + std::to_string(s.in_channels) + "→" + std::to_string(s.out_channels) +
         " channels, kernel " + std::to_string(s.kernel) + ", stride " + std::to_string(s.stride);
}

}  // namespace

std::vector<std::int64_t> TransposedConvolutionSpec::weight_shape() const {
  std::vector<std::int64_t> shape = {in_channels, out_channels};
  for (int k = 0; k < ndim; ++k)
    shape.push_back(kernel);
  return shape;
}

std::array<std::int64_t, 3> TransposedConvolutionSpec::output_extent(const std::array<std::int64_t, 3>& in) const {
  std::array<std::int64_t, 3> out = {1, 1, 1};
  for (int k = 3 - ndim; k < 3; ++k)
    out[static_cast<std::size_t>(k)] = (in[static_cast<std::size_t>(k)] - 1) * stride + kernel;
  return out;
}

template <class ExecSpace>
TransposedConvolution<ExecSpace>::TransposedConvolution(const TransposedConvolutionSpec& spec,
                                                        const std::vector<float>& weight,
                                                        const std::vector<float>& bias, std::string name, Tiling tiling)
    : spec_(spec), name_(std::move(name)), wide_(use_wide_tiles<ExecSpace>(tiling)) {
  if (spec.ndim < 1 || spec.ndim > 3 || spec.in_channels < 1 || spec.out_channels < 1 || spec.kernel < 1 ||
      spec.stride < 1)
    throw Error(name_ + ": unsupported transposed convolution (" + spec_text(spec) + ")");
  if (spec.kernel != spec.stride)
    throw Error(name_ + ": transposed convolution with kernel " + std::to_string(spec.kernel) + " ≠ stride " +
                std::to_string(spec.stride) + " is not implemented (only kernel = stride, as The Well's U-Nets use)");
  Index taps = 1;
  for (int k = 0; k < spec.ndim; ++k)
    taps *= spec.kernel;
  const Index cin = spec.in_channels;
  const Index cout = spec.out_channels;
  if (static_cast<Index>(weight.size()) != cin * cout * taps)
    throw Error(name_ + ": " + std::to_string(weight.size()) + " weights, expected " +
                std::to_string(cin * cout * taps));
  affine_ = ChannelAffine<ExecSpace>(cout, bias);
  // Packed as [channel block][tap][input channel][channel in block].
  const int block = wide_ ? detail::kWideChannels : kNarrowChannels;
  blocks_ = (cout + block - 1) / block;
  std::vector<float> packed(static_cast<std::size_t>(blocks_ * taps * cin * block), 0.0f);
  for (Index i = 0; i < cin; ++i)
    for (Index o = 0; o < cout; ++o)
      for (Index t = 0; t < taps; ++t)
        packed[static_cast<std::size_t>(((o / block * taps + t) * cin + i) * block + o % block)] =
            weight[static_cast<std::size_t>((i * cout + o) * taps + t)];
  weight_ = upload_values<memory_space>(packed, "gavel::layers::conv_transposed_weight");
}

template <class ExecSpace>
void TransposedConvolution<ExecSpace>::forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out,
                                               const Epilogue& epilogue) {
  const auto& s = spec_;
  if (in.ndim != s.ndim || in.channels != s.in_channels)
    throw Error(name_ + ": input " + shape_text(in) + " does not fit (" + spec_text(s) + ")");
  const auto expected = s.output_extent(in.extent);
  if (out.ndim != s.ndim || out.channels != s.out_channels || out.batch != in.batch || out.extent != expected)
    throw Error(name_ + ": output " + shape_text(out) + " does not fit input " + shape_text(in) + " (" + spec_text(s) +
                ")");
  const auto& res = epilogue.residual;
  if (!res.empty() && (res.batch != out.batch || res.channels != out.channels || res.extent != out.extent))
    throw Error(name_ + ": residual " + shape_text(res) + " does not match the output " + shape_text(out));
  if (out.elements() == 0) return;

  detail::ConvGeometry geo{};
  geo.in = in.data;
  geo.in_batch_stride = in.batch_stride;
  geo.in_channel_stride = in.points();
  geo.out = out.data;
  geo.out_batch_stride = out.batch_stride;
  geo.out_channel_stride = out.points();
  geo.residual = res.data;
  geo.residual_batch_stride = res.batch_stride;
  geo.weight = weight_.data();
  geo.scale = affine_.scale();
  geo.shift = affine_.shift();
  geo.act = epilogue.act;
  geo.cig = s.in_channels;
  geo.cog = s.out_channels;
  geo.blocks_per_group = blocks_;
  for (int a = 0; a < 3; ++a) {
    const bool spatial = a >= 3 - s.ndim;
    geo.k[a] = spatial ? s.kernel : 1;
    geo.stride[a] = geo.k[a];
    geo.m[a] = in.extent[static_cast<std::size_t>(a)];
    geo.o[a] = expected[static_cast<std::size_t>(a)];
  }
  if (s.kernel == 1) {
    // A 1×1 transposed convolution is a channel mix: the spatial axes flattened into one row.
    geo.m[0] = geo.m[1] = geo.o[0] = geo.o[1] = 1;
    geo.m[2] = geo.o[2] = in.points();
  }
  geo.taps = geo.k[0] * geo.k[1] * geo.k[2];
  if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, memory_space>::accessible) {
    if (wide_) {
      detail::launch_host_splat_transposed<ExecSpace, detail::kWideChannels>(exec, geo, in.batch);
      return;
    }
  }
  detail::launch_splat_transposed<ExecSpace, kNarrowChannels, kNarrowRun>(exec, geo, in.batch);
}

#define GAVEL_INSTANTIATE_TRANSPOSED_CONVOLUTION(SPACE) template class TransposedConvolution<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_TRANSPOSED_CONVOLUTION)

}  // namespace gavel::surrogates::layers
