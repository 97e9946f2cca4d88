#pragma once
// Helpers shared by the layer kernels: host/device choice, uploads, grow-only buffers, checks.

#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"

namespace gavel::surrogates::layers::detail {

/// Whether ExecSpace runs on the CPU (host kernels: vectorized point tiles) or on a device
/// (one thread per point, coalesced).
template <class ExecSpace>
constexpr bool host_space = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible;

template <class ExecSpace>
using RangePolicy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;

/// A View in `MemorySpace` holding `values`.
template <class MemorySpace, class Scalar>
Kokkos::View<Scalar*, MemorySpace> upload(const std::vector<Scalar>& values, const std::string& label) {
  Kokkos::View<Scalar*, MemorySpace> view(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), values.size());
  Kokkos::View<const Scalar*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> host(values.data(),
                                                                                               values.size());
  Kokkos::deep_copy(view, host);
  return view;
}

/// Makes `view` hold at least `n` values, reallocating (without keeping contents) only to grow.
template <class View>
void reserve(View& view, std::int64_t n, const std::string& label) {
  if (static_cast<std::int64_t>(view.extent(0)) >= n) return;
  view = View(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), static_cast<std::size_t>(n));
}

/// Throws gavel::Error unless `view` holds at least `n` values.
template <class View>
void require_length(const View& view, std::int64_t n, const std::string& what) {
  if (static_cast<std::int64_t>(view.extent(0)) < n)
    throw Error(what + " holds " + std::to_string(view.extent(0)) + " values, " + std::to_string(n) + " needed");
}

KOKKOS_INLINE_FUNCTION std::int64_t min64(std::int64_t a, std::int64_t b) {
  return a < b ? a : b;
}

}  // namespace gavel::surrogates::layers::detail
