#include "gavel/surrogates/layers/concatenation.hpp"

#include <string>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"

namespace gavel::surrogates::layers {

namespace {

using Index = std::int64_t;

struct CopyKernel {
  const float* in;
  float* out;
  Index sample;  // C · points of the copied part
  Index in_batch_stride;
  Index out_batch_stride;
  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    const Index b = i / sample;
    const Index j = i - b * sample;
    out[b * out_batch_stride + j] = in[b * in_batch_stride + j];
  }
};

template <class ExecSpace>
void launch_copy(const ExecSpace& exec, const ConstTensor& in, const Tensor& out) {
  if (in.elements() == 0) return;
  const CopyKernel k{in.data, out.data, in.channels * in.points(), in.batch_stride, out.batch_stride};
  Kokkos::parallel_for("gavel::layers::copy",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, in.elements()), k);
}

}  // namespace

template <class ExecSpace>
void concatenate_channels(const ExecSpace& exec, const ConstTensor& a, const ConstTensor& b, const Tensor& out) {
  if (a.batch != b.batch || a.extent != b.extent || a.ndim != b.ndim || out.batch != a.batch ||
      out.extent != a.extent || out.channels != a.channels + b.channels)
    throw Error("concatenation: " + shape_text(a) + " and " + shape_text(b) + " do not make " + shape_text(out));
  launch_copy(exec, a, out.channel_slice(0, a.channels));
  launch_copy(exec, b, out.channel_slice(a.channels, b.channels));
}

template <class ExecSpace>
void copy_tensor(const ExecSpace& exec, const ConstTensor& in, const Tensor& out) {
  if (in.batch != out.batch || in.channels != out.channels || in.extent != out.extent)
    throw Error("copy: " + shape_text(in) + " into " + shape_text(out));
  launch_copy(exec, in, out);
}

#define GAVEL_INSTANTIATE_CONCATENATION(SPACE)                                                                    \
  template void concatenate_channels<SPACE>(const SPACE&, const ConstTensor&, const ConstTensor&, const Tensor&); \
  template void copy_tensor<SPACE>(const SPACE&, const ConstTensor&, const Tensor&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_CONCATENATION)

}  // namespace gavel::surrogates::layers
