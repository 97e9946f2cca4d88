#include "gavel/surrogates/layers/activations.hpp"

#include "gavel/core/execution_spaces.hpp"

namespace gavel::surrogates::layers {

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::tanh:
      return "tanh";
    case Activation::gelu:
      return "gelu";
    default:
      return "none";
  }
}

namespace {

struct ActivationKernel {
  float* data;
  std::int64_t sample;        // C · points
  std::int64_t batch_stride;  // distance between samples
  Activation act;
  KOKKOS_INLINE_FUNCTION void operator()(std::int64_t i) const {
    const std::int64_t b = i / sample;
    float& v = data[b * batch_stride + (i - b * sample)];
    v = activate(act, v);
  }
};

}  // namespace

template <class ExecSpace>
void apply_activation(const ExecSpace& exec, const Tensor& x, Activation a) {
  if (a == Activation::none || x.elements() == 0) return;
  const ActivationKernel kernel{x.data, x.channels * x.points(), x.batch_stride, a};
  Kokkos::parallel_for("gavel::layers::activation",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(exec, 0, x.elements()), kernel);
}

#define GAVEL_INSTANTIATE_ACTIVATIONS(SPACE) \
  template void apply_activation<SPACE>(const SPACE&, const Tensor&, Activation);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_ACTIVATIONS)

}  // namespace gavel::surrogates::layers
