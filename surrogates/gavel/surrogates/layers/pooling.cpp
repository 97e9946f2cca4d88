#include "gavel/surrogates/layers/pooling.hpp"

#include <string>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"

namespace gavel::surrogates::layers {

namespace {

using Index = std::int64_t;

/// One output point per work item (GPUs), or, with Rows (host spaces), one output row per work item
/// with its points looped inside (one index decomposition per row instead of one per point). NaN
/// propagates, as in PyTorch.
template <bool Rows>
struct MaxPoolKernel {
  const float* in;
  float* out;
  Index channels;
  Index n[3];  // input extents
  Index o[3];  // output extents
  Index k[3];
  Index in_batch_stride;
  Index out_batch_stride;

  /// The running maximum after seeing v, in the order the window is scanned: NaN sticks.
  KOKKOS_INLINE_FUNCTION static float take(float m, float v) { return (v > m || v != v) ? v : m; }

  KOKKOS_INLINE_FUNCTION float pool(const float* plane, Index z, Index y, Index x) const {
    float m = plane[((z * k[0]) * n[1] + y * k[1]) * n[2] + x * k[2]];
    for (Index a = 0; a < k[0]; ++a)
      for (Index d = 0; d < k[1]; ++d)
        for (Index e = 0; e < k[2]; ++e) {
          const float v = plane[((z * k[0] + a) * n[1] + (y * k[1] + d)) * n[2] + x * k[2] + e];
          m = take(m, v);
        }
    return m;
  }

  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    Index r = i;
    Index x = 0;
    if (!Rows) {
      x = r % o[2];
      r /= o[2];
    }
    const Index y = r % o[1];
    r /= o[1];
    const Index z = r % o[0];
    r /= o[0];
    const Index c = r % channels;
    const Index b = r / channels;
    const float* plane = in + b * in_batch_stride + c * n[0] * n[1] * n[2];
    float* dst = out + b * out_batch_stride + c * o[0] * o[1] * o[2] + (z * o[1] + y) * o[2];
    if (Rows && k[0] == 1 && k[1] == 2 && k[2] == 2) {  // 2-D, kernel 2: the U-Nets' pooling
      const float* r0 = plane + (z * n[1] + 2 * y) * n[2];
      const float* r1 = r0 + n[2];
      for (Index xx = 0; xx < o[2]; ++xx) {
        float m = r0[2 * xx];
        m = take(m, r0[2 * xx + 1]);
        m = take(m, r1[2 * xx]);
        dst[xx] = take(m, r1[2 * xx + 1]);
      }
    } else if (Rows) {
      for (Index xx = 0; xx < o[2]; ++xx)
        dst[xx] = pool(plane, z, y, xx);
    } else {
      dst[x] = pool(plane, z, y, x);
    }
  }
};

}  // namespace

std::array<std::int64_t, 3> max_pool_extent(const std::array<std::int64_t, 3>& in, int ndim, int kernel) {
  if (kernel < 1) throw Error("max pool: kernel " + std::to_string(kernel) + " is not positive");
  std::array<std::int64_t, 3> out = in;
  for (int a = 3 - ndim; a < 3; ++a) {
    const auto k = static_cast<std::size_t>(a);
    if (in[k] < kernel)
      throw Error("max pool: spatial extent " + std::to_string(in[k]) + " is smaller than the kernel " +
                  std::to_string(kernel));
    out[k] = in[k] / kernel;
  }
  return out;
}

template <class ExecSpace>
void max_pool(const ExecSpace& exec, const ConstTensor& in, const Tensor& out, int kernel) {
  const auto expected = max_pool_extent(in.extent, in.ndim, kernel);
  if (out.channels != in.channels || out.batch != in.batch || out.ndim != in.ndim || out.extent != expected)
    throw Error("max pool: output " + shape_text(out) + " does not fit input " + shape_text(in) + " with kernel " +
                std::to_string(kernel));
  if (out.elements() == 0) return;
  constexpr bool rows = Kokkos::SpaceAccessibility<ExecSpace, Kokkos::HostSpace>::accessible;
  MaxPoolKernel<rows> f{};
  f.in = in.data;
  f.out = out.data;
  f.channels = in.channels;
  for (int a = 0; a < 3; ++a) {
    f.n[a] = in.extent[static_cast<std::size_t>(a)];
    f.o[a] = expected[static_cast<std::size_t>(a)];
    f.k[a] = a >= 3 - in.ndim ? kernel : 1;
  }
  f.in_batch_stride = in.batch_stride;
  f.out_batch_stride = out.batch_stride;
  const Index items = rows ? out.elements() / f.o[2] : out.elements();
  Kokkos::parallel_for("gavel::layers::max_pool",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items), f);
}

#define GAVEL_INSTANTIATE_POOLING(SPACE) \
  template void max_pool<SPACE>(const SPACE&, const ConstTensor&, const Tensor&, int);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_POOLING)

}  // namespace gavel::surrogates::layers
