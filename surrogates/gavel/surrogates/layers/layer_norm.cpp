#include "gavel/surrogates/layers/layer_norm.hpp"

#include <math.h>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"

namespace gavel::surrogates::layers {

namespace {

using Index = std::int64_t;
constexpr int kWideRun = 16;

/// One work item = one sample, Run consecutive points; reductions over channels per point.
template <int Run>
struct LayerNormKernel {
  const float* in;
  float* out;
  const float* weight;
  const float* bias;
  Index channels;
  Index points;
  Index in_batch_stride;
  Index out_batch_stride;
  Index runs;
  float eps;
  bool l2;

  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    const Index b = i / runs;
    const Index p0 = (i - b * runs) * Run;
    const int n = static_cast<int>(points - p0 < Run ? points - p0 : Run);
    const float* x = in + b * in_batch_stride + p0;
    float* y = out + b * out_batch_stride + p0;
    const float inv_c = 1.0f / static_cast<float>(channels);
    float a[Run] = {};
    float m[Run] = {};
    if (l2) {
      for (Index c = 0; c < channels; ++c)
        for (int t = 0; t < n; ++t)
          a[t] += x[c * points + t] * x[c * points + t];
      for (int t = 0; t < n; ++t) {
        const float norm = ::sqrtf(a[t]);
        a[t] = 1.0f / (norm > eps ? norm : eps);
      }
      for (Index c = 0; c < channels; ++c) {
        const float w = weight[c];
        for (int t = 0; t < n; ++t)
          y[c * points + t] = x[c * points + t] * a[t] * w;
      }
      return;
    }
    for (Index c = 0; c < channels; ++c)
      for (int t = 0; t < n; ++t)
        m[t] += x[c * points + t];
    for (int t = 0; t < n; ++t)
      m[t] *= inv_c;
    for (Index c = 0; c < channels; ++c)
      for (int t = 0; t < n; ++t) {
        const float d = x[c * points + t] - m[t];
        a[t] += d * d;
      }
    for (int t = 0; t < n; ++t)
      a[t] = 1.0f / ::sqrtf(a[t] * inv_c + eps);
    for (Index c = 0; c < channels; ++c) {
      const float w = weight[c];
      const float s = bias[c];
      for (int t = 0; t < n; ++t)
        y[c * points + t] = (x[c * points + t] - m[t]) * a[t] * w + s;
    }
  }
};

}  // namespace

template <class ExecSpace>
LayerNorm<ExecSpace>::LayerNorm(LayerNormKind kind, const std::vector<float>& weight, const std::vector<float>& bias,
                                double eps, std::string name, Tiling tiling)
    : kind_(kind),
      name_(std::move(name)),
      eps_(static_cast<float>(eps)),
      wide_(use_wide_tiles<ExecSpace>(tiling)),
      channels_(static_cast<std::int64_t>(weight.size())) {
  if (weight.empty() || (kind == LayerNormKind::channels_last && bias.size() != weight.size()))
    throw Error(name_ + ": " + std::to_string(weight.size()) + " weights and " + std::to_string(bias.size()) +
                " biases (one per channel expected)");
  if (!(eps > 0.0)) throw Error(name_ + ": eps must be positive");
  weight_ = upload_values<memory_space>(weight, "gavel::layers::layer_norm_weight");
  bias_ = upload_values<memory_space>(kind == LayerNormKind::channels_last ? bias : std::vector<float>(weight.size()),
                                      "gavel::layers::layer_norm_bias");
}

template <class ExecSpace>
void LayerNorm<ExecSpace>::forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out) const {
  if (in.channels != channels_ || out.channels != channels_ || out.batch != in.batch || out.extent != in.extent)
    throw Error(name_ + ": input " + shape_text(in) + " / output " + shape_text(out) + " do not fit " +
                std::to_string(channels_) + " channels");
  if (in.elements() == 0) return;
  auto launch = [&](auto run_tag) {
    constexpr int Run = decltype(run_tag)::value;
    const Index runs = (in.points() + Run - 1) / Run;
    const LayerNormKernel<Run> k{in.data,
                                 out.data,
                                 weight_.data(),
                                 bias_.data(),
                                 channels_,
                                 in.points(),
                                 in.batch_stride,
                                 out.batch_stride,
                                 runs,
                                 eps_,
                                 kind_ == LayerNormKind::channels_first};
    Kokkos::parallel_for("gavel::layers::layer_norm",
                         Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, in.batch * runs), k);
  };
  if (wide_)
    launch(std::integral_constant<int, kWideRun>());
  else
    launch(std::integral_constant<int, 1>());
}

#define GAVEL_INSTANTIATE_LAYER_NORM(SPACE) template class LayerNorm<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_LAYER_NORM)

}  // namespace gavel::surrogates::layers
