#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

namespace gavel::eval {

/// out = weight·values (when `overwrite`) or out += weight·values, element-wise on `exec`:
/// how chunked averages and subgroup sums accumulate on the execution space.
template <class ExecSpace, class View>
void accumulate_scaled(const View& values, float weight, bool overwrite, const View& out, const ExecSpace& exec) {
  const View in = values, acc = out;
  Kokkos::parallel_for(
      "gavel::accumulate_scaled",
      Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(exec, 0,
                                                                      static_cast<std::int64_t>(acc.extent(0))),
      KOKKOS_LAMBDA(const std::int64_t i) { acc(i) = overwrite ? weight * in(i) : acc(i) + weight * in(i); });
}

}  // namespace gavel::eval
