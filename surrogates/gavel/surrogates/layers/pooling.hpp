#pragma once

#include <array>
#include <cstdint>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

/// torch.nn.MaxPool{1,2,3}d(kernel_size=k, stride=k): no padding, floor mode, so each spatial
/// extent becomes floor(n / k) and trailing cells that do not fill a window are dropped. A NaN in
/// a window gives NaN, as in torch.
std::array<std::int64_t, 3> max_pool_extent(const std::array<std::int64_t, 3>& in, int ndim, int kernel);

/// out = max-pool(in); `out` must have max_pool_extent(in). Throws gavel::Error otherwise.
template <class ExecSpace>
void max_pool(const ExecSpace& exec, const ConstTensor& in, const Tensor& out, int kernel = 2);

}  // namespace gavel::surrogates::layers
