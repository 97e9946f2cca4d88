#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/host_transfers.hpp"

namespace gavel::eval {

/// ‖a − b‖₂ / ‖reference‖₂ over the channels [first, first + count) of each field, for every
/// sample, reduced on the execution space: [sample][field] row-major. a, b, reference: (N, C, P)
/// contiguous. NaN when either sum is NaN; +Inf when ‖reference‖ = 0 < ‖a − b‖; 0 when both are
/// 0 — as relative_l2.
template <class ExecSpace>
std::vector<double> relative_l2_per_field(const Kokkos::View<const float*, typename ExecSpace::memory_space>& a,
                                          const Kokkos::View<const float*, typename ExecSpace::memory_space>& b,
                                          const Kokkos::View<const float*, typename ExecSpace::memory_space>& reference,
                                          std::int64_t samples, std::int64_t channels, std::int64_t points,
                                          const std::vector<std::pair<std::int64_t, std::int64_t>>& fields,
                                          const ExecSpace& space, HostTransfers* transfers);

/// ‖a − b‖₂ / ‖b‖₂ per sample and field, as above with reference = b.
template <class ExecSpace>
std::vector<double> relative_l2_per_field(const Kokkos::View<const float*, typename ExecSpace::memory_space>& a,
                                          const Kokkos::View<const float*, typename ExecSpace::memory_space>& b,
                                          std::int64_t samples, std::int64_t channels, std::int64_t points,
                                          const std::vector<std::pair<std::int64_t, std::int64_t>>& fields,
                                          const ExecSpace& space, HostTransfers* transfers) {
  return relative_l2_per_field<ExecSpace>(a, b, b, samples, channels, points, fields, space, transfers);
}

}  // namespace gavel::eval
