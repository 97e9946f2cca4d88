#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

namespace gavel {

/// Counts what the evaluation engine reads back from the execution space: every device→host
/// copy of the engine goes through copy_to_host, so a run can state — and a test can bound — the
/// bytes per window that cross (reduced numbers and figure slices, not fields).
struct HostTransfers {
  std::int64_t bytes = 0;
  std::int64_t copies = 0;
};

/// A host copy of `view` (the view itself when its memory is host-accessible: then nothing is
/// copied, but the bytes still count, as they would cross on a device), counted in `counter`.
template <class View>
auto copy_to_host(const View& view, HostTransfers* counter) {
  if (counter) {
    counter->bytes += static_cast<std::int64_t>(view.span() * sizeof(typename View::value_type));
    ++counter->copies;
  }
  return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
}

/// Whether kernels on ExecSpace's memory can be read by host code in place (no copy needed).
template <class ExecSpace>
constexpr bool host_accessible() {
  return Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible;
}

}  // namespace gavel
