#include "gavel/surrogates/layers/convolution.hpp"

#include <algorithm>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/conv_kernels.hpp"
#include "gavel/surrogates/layers/conv_kernels_host.hpp"

namespace gavel::surrogates::layers {

namespace {

using Index = std::int64_t;

/// Narrow register tiles (GPU): output channels × points per work item.
constexpr int kNarrowChannels = 4;
constexpr int kNarrowRun = 1;
template <class ExecSpace>
constexpr bool kHostSpace = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible;

template <class ExecSpace>
using Range = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>;

struct PadKernel {
  const float* in;
  float* out;
  Index in_batch_stride;
  Index channels;
  Index n[3];  // input extents
  Index m[3];  // padded extents
  Index pad[3];
  bool circular;
  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    Index r = i;
    const Index x = r % m[2];
    r /= m[2];
    const Index y = r % m[1];
    r /= m[1];
    const Index z = r % m[0];
    r /= m[0];
    const Index c = r % channels;
    const Index b = r / channels;
    Index s[3] = {z - pad[0], y - pad[1], x - pad[2]};
    bool inside = true;
    for (int k = 0; k < 3; ++k) {
      if (s[k] < 0 || s[k] >= n[k]) {
        if (circular) {
          s[k] = s[k] < 0 ? s[k] + n[k] : s[k] - n[k];
        } else {
          inside = false;
        }
      }
    }
    out[i] = inside ? in[b * in_batch_stride + c * n[0] * n[1] * n[2] + (s[0] * n[1] + s[1]) * n[2] + s[2]] : 0.0f;
  }
};

/// The host form of PadKernel: one work item per padded row, the interior copied as a run.
struct PadRowKernel {
  PadKernel k;
  KOKKOS_INLINE_FUNCTION void operator()(Index row) const {
    Index r = row;
    const Index y = r % k.m[1];
    r /= k.m[1];
    const Index z = r % k.m[0];
    r /= k.m[0];
    const Index c = r % k.channels;
    const Index b = r / k.channels;
    float* dst = k.out + row * k.m[2];
    Index sz = z - k.pad[0], sy = y - k.pad[1];
    const bool outside = sz < 0 || sz >= k.n[0] || sy < 0 || sy >= k.n[1];
    if (outside && !k.circular) {
      for (Index x = 0; x < k.m[2]; ++x)
        dst[x] = 0.0f;
      return;
    }
    if (sz < 0) sz += k.n[0];
    if (sz >= k.n[0]) sz -= k.n[0];
    if (sy < 0) sy += k.n[1];
    if (sy >= k.n[1]) sy -= k.n[1];
    const float* src = k.in + b * k.in_batch_stride + c * k.n[0] * k.n[1] * k.n[2] + (sz * k.n[1] + sy) * k.n[2];
    const Index p = k.pad[2], n = k.n[2];
    for (Index x = 0; x < p; ++x)
      dst[x] = k.circular ? src[n - p + x] : 0.0f;
    for (Index x = 0; x < n; ++x)
      dst[p + x] = src[x];
    for (Index x = 0; x < p; ++x)
      dst[p + n + x] = k.circular ? src[x] : 0.0f;
  }
};

std::string spec_text(const ConvolutionSpec& s) {
  return std::to_string(s.ndim) + "-D, " + std::to_string(s.in_channels) + "→" + std::to_string(s.out_channels) +
         " channels, kernel " + std::to_string(s.kernel) + ", stride " + std::to_string(s.stride) + ", padding " +
         std::to_string(s.padding) + ", groups " + std::to_string(s.groups);
}

}  // namespace

std::vector<std::int64_t> ConvolutionSpec::weight_shape() const {
  std::vector<std::int64_t> shape = {out_channels, groups > 0 ? in_channels / groups : 0};
  for (int k = 0; k < ndim; ++k)
    shape.push_back(kernel);
  return shape;
}

std::array<std::int64_t, 3> ConvolutionSpec::output_extent(const std::array<std::int64_t, 3>& in) const {
  std::array<std::int64_t, 3> out = {1, 1, 1};
  for (int k = 3 - ndim; k < 3; ++k) {
    const auto a = static_cast<std::size_t>(k);
    const std::int64_t span = in[a] + 2 * padding - kernel;
    if (in[a] < 1 || span < 0)
      throw Error("convolution: spatial extent " + std::to_string(in[a]) + " is too small for kernel " +
                  std::to_string(kernel) + " with padding " + std::to_string(padding));
    out[a] = span / stride + 1;
  }
  return out;
}

template <class ExecSpace>
void pad_input(const ExecSpace& exec, const ConstTensor& in, int padding, Padding mode, float* padded) {
  PadKernel k{};
  k.in = in.data;
  k.out = padded;
  k.in_batch_stride = in.batch_stride;
  k.channels = in.channels;
  k.circular = mode == Padding::circular;
  Index total = in.batch * in.channels;
  for (int a = 0; a < 3; ++a) {
    const bool spatial = a >= 3 - in.ndim;
    k.n[a] = in.extent[static_cast<std::size_t>(a)];
    k.pad[a] = spatial ? padding : 0;
    k.m[a] = k.n[a] + 2 * k.pad[a];
    if (k.circular && k.pad[a] > k.n[a])
      throw Error("convolution: circular padding " + std::to_string(padding) + " exceeds the extent " +
                  std::to_string(k.n[a]));
    total *= k.m[a];
  }
  if (total == 0) return;
  if constexpr (kHostSpace<ExecSpace>) {
    Kokkos::parallel_for("gavel::layers::pad_rows", Range<ExecSpace>(exec, 0, total / k.m[2]), PadRowKernel{k});
  } else {
    Kokkos::parallel_for("gavel::layers::pad", Range<ExecSpace>(exec, 0, total), k);
  }
}

template <class ExecSpace>
Convolution<ExecSpace>::Convolution(const ConvolutionSpec& spec, const std::vector<float>& weight,
                                    const std::vector<float>& bias, std::string name, Tiling tiling)
    : spec_(spec), name_(std::move(name)), wide_(use_wide_tiles<ExecSpace>(tiling)) {
  if (spec.ndim < 1 || spec.ndim > 3 || spec.in_channels < 1 || spec.out_channels < 1 || spec.kernel < 1 ||
      spec.stride < 1 || spec.padding < 0 || spec.groups < 1 || spec.in_channels % spec.groups != 0 ||
      spec.out_channels % spec.groups != 0)
    throw Error(name_ + ": unsupported convolution (" + spec_text(spec) + ")");
  std::int64_t expected = 1;
  for (auto e : spec.weight_shape())
    expected *= e;
  if (static_cast<std::int64_t>(weight.size()) != expected)
    throw Error(name_ + ": " + std::to_string(weight.size()) + " weights, expected " + std::to_string(expected));
  affine_ = ChannelAffine<ExecSpace>(spec.out_channels, bias);
  const Index cig = spec.in_channels / spec.groups;
  const Index cog = spec.out_channels / spec.groups;
  Index taps = 1;
  for (int k = 0; k < spec.ndim; ++k)
    taps *= spec.kernel;
  depthwise_ = cig == 1 && cog == 1;
  if (depthwise_) {
    weight_ = upload_values<memory_space>(weight, "gavel::layers::conv_weight");
    return;
  }
  // Packed as [group][channel block][input channel][tap][channel in block], zero past the group.
  const int block = wide_ ? detail::kWideChannels : kNarrowChannels;
  blocks_per_group_ = (cog + block - 1) / block;
  std::vector<float> packed(static_cast<std::size_t>(spec.groups * blocks_per_group_ * cig * taps * block), 0.0f);
  for (Index g = 0; g < spec.groups; ++g)
    for (Index o = 0; o < cog; ++o) {
      const Index blk = g * blocks_per_group_ + o / block;
      for (Index i = 0; i < cig; ++i)
        for (Index t = 0; t < taps; ++t)
          packed[static_cast<std::size_t>(((blk * cig + i) * taps + t) * block + o % block)] =
              weight[static_cast<std::size_t>(((g * cog + o) * cig + i) * taps + t)];
    }
  weight_ = upload_values<memory_space>(packed, "gavel::layers::conv_weight");
}

template <class ExecSpace>
void Convolution<ExecSpace>::forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out,
                                     const Epilogue& epilogue, Workspace<ExecSpace>* workspace) {
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
  geo.out = out.data;
  geo.out_batch_stride = out.batch_stride;
  geo.residual = res.data;
  geo.residual_batch_stride = res.batch_stride;
  geo.scale = affine_.scale();
  geo.shift = affine_.shift();
  geo.weight = weight_.data();
  geo.act = epilogue.act;
  geo.groups = s.groups;
  geo.cig = s.in_channels / s.groups;
  geo.cog = s.out_channels / s.groups;
  for (int a = 0; a < 3; ++a) {
    const bool spatial = a >= 3 - s.ndim;
    geo.k[a] = spatial ? s.kernel : 1;
    geo.stride[a] = spatial ? s.stride : 1;
    geo.o[a] = expected[static_cast<std::size_t>(a)];
  }
  const bool pointwise = s.kernel == 1 && s.stride == 1 && s.padding == 0;
  if (pointwise) {
    // A 1×1 convolution: the spatial axes flattened into one long row.
    geo.o[0] = geo.o[1] = 1;
    geo.o[2] = in.points();
  }
  geo.in_batch_stride = in.batch_stride;
  if (s.padding == 0) {
    geo.in = in.data;
    for (int a = 0; a < 3; ++a)
      geo.m[a] = pointwise ? geo.o[a] : in.extent[static_cast<std::size_t>(a)];
  } else {
    for (int a = 0; a < 3; ++a)
      geo.m[a] = in.extent[static_cast<std::size_t>(a)] + (a >= 3 - s.ndim ? 2 * s.padding : 0);
    Workspace<ExecSpace>& ws = workspace ? *workspace : own_workspace_;
    float* buffer = ws.reserve(static_cast<std::size_t>(padded_input_length(in.batch, in.extent)), exec);
    pad_input(exec, in, s.padding, s.padding_mode, buffer);
    geo.in = buffer;
    geo.in_batch_stride = in.channels * geo.m[0] * geo.m[1] * geo.m[2];
  }
  geo.in_channel_stride = geo.m[0] * geo.m[1] * geo.m[2];
  geo.out_channel_stride = geo.o[0] * geo.o[1] * geo.o[2];
  geo.taps = geo.k[0] * geo.k[1] * geo.k[2];

  geo.blocks_per_group = blocks_per_group_;
  if constexpr (kHostSpace<ExecSpace>) {
    if (wide_) {
      if (depthwise_)
        detail::launch_host_depthwise<ExecSpace>(exec, geo, in.batch);
      else
        detail::launch_host_dense<ExecSpace, detail::kWideChannels>(exec, geo, in.batch);
      return;
    }
  }
  if (depthwise_)
    detail::launch_depthwise<ExecSpace, kNarrowRun>(exec, geo, in.batch);
  else
    detail::launch_dense<ExecSpace, kNarrowChannels, kNarrowRun>(exec, geo, in.batch);
}

template <class ExecSpace>
std::int64_t Convolution<ExecSpace>::padded_input_length(std::int64_t batch,
                                                         const std::array<std::int64_t, 3>& extent) const {
  if (spec_.padding == 0) return 0;
  Index padded = batch * spec_.in_channels;
  for (int a = 0; a < 3; ++a)
    padded *= extent[static_cast<std::size_t>(a)] + (a >= 3 - spec_.ndim ? 2 * spec_.padding : 0);
  return padded;
}

#define GAVEL_INSTANTIATE_CONVOLUTION(SPACE) \
  template class Convolution<SPACE>;         \
  template void pad_input<SPACE>(const SPACE&, const ConstTensor&, int, Padding, float*);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_CONVOLUTION)

}  // namespace gavel::surrogates::layers
