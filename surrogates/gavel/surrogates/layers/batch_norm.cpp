#include "gavel/surrogates/layers/batch_norm.hpp"

#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"

namespace gavel::surrogates::layers {

namespace {

using Index = std::int64_t;

struct ChannelAffineKernel {
  const float* in;
  float* out;
  const float* scale;
  const float* shift;
  Index points;
  Index channels;
  Index in_batch_stride;
  Index out_batch_stride;
  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    const Index p = i % points;
    const Index r = i / points;
    const Index c = r % channels;
    const Index b = r / channels;
    out[b * out_batch_stride + c * points + p] = scale[c] * in[b * in_batch_stride + c * points + p] + shift[c];
  }
};

}  // namespace

template <class ExecSpace>
BatchNorm<ExecSpace>::BatchNorm(const std::vector<float>& weight, const std::vector<float>& bias,
                                const std::vector<float>& running_mean, const std::vector<float>& running_var,
                                double eps, std::string name)
    : name_(std::move(name)) {
  const std::size_t n = weight.size();
  if (bias.size() != n || running_mean.size() != n || running_var.size() != n || n == 0)
    throw Error(name_ + ": weight, bias, running_mean and running_var must have one value per channel (" +
                std::to_string(weight.size()) + ", " + std::to_string(bias.size()) + ", " +
                std::to_string(running_mean.size()) + ", " + std::to_string(running_var.size()) + ")");
  scale_.resize(n);
  shift_.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    if (!(running_var[c] + eps > 0.0))
      throw Error(name_ + ": running_var[" + std::to_string(c) + "] + eps is not positive");
    scale_[c] = static_cast<double>(weight[c]) / std::sqrt(static_cast<double>(running_var[c]) + eps);
    shift_[c] = static_cast<double>(bias[c]) - static_cast<double>(running_mean[c]) * scale_[c];
  }
  affine_ = ChannelAffine<ExecSpace>(static_cast<std::int64_t>(n), {});
  affine_.fold(scale_, shift_);
}

template <class ExecSpace>
void BatchNorm<ExecSpace>::forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out) const {
  if (in.channels != static_cast<Index>(scale_.size()) || out.channels != in.channels || out.batch != in.batch ||
      out.extent != in.extent)
    throw Error(name_ + ": input " + shape_text(in) + " / output " + shape_text(out) + " do not fit " +
                std::to_string(scale_.size()) + " channels");
  if (in.elements() == 0) return;
  const ChannelAffineKernel k{in.data,     out.data,    affine_.scale(), affine_.shift(),
                              in.points(), in.channels, in.batch_stride, out.batch_stride};
  Kokkos::parallel_for("gavel::layers::batch_norm",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, in.elements()), k);
}

#define GAVEL_INSTANTIATE_BATCH_NORM(SPACE) template class BatchNorm<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_BATCH_NORM)

}  // namespace gavel::surrogates::layers
