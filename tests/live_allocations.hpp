#pragma once

// Bytes Kokkos has allocated and not yet freed in one memory space, counted through the Kokkos
// Tools allocation callbacks: an independent measure of what a model holds, which catches a
// buffer its own byte counts forget.
#include <cstdint>
#include <cstring>
#include <string>

#include <Kokkos_Core.hpp>

namespace gavel::test {

/// While alive, counts the data bytes of every View allocated minus those freed in the memory
/// space named `space_name` (e.g. Kokkos::HostSpace::name()); the callbacks installed before are
/// restored on destruction. One at a time (the callbacks are process-wide).
class LiveAllocations {
 public:
  explicit LiveAllocations(const char* space_name) : previous_(Kokkos::Tools::Experimental::get_callbacks()) {
    space() = space_name;
    bytes() = 0;
    Kokkos::Tools::Experimental::set_allocate_data_callback(&allocated);
    Kokkos::Tools::Experimental::set_deallocate_data_callback(&freed);
  }
  ~LiveAllocations() { Kokkos::Tools::Experimental::set_callbacks(previous_); }
  LiveAllocations(const LiveAllocations&) = delete;
  LiveAllocations& operator=(const LiveAllocations&) = delete;

  /// Allocated minus freed since construction (negative when more was freed than allocated).
  std::int64_t net_bytes() const { return bytes(); }

 private:
  static std::string& space() {
    static std::string name;
    return name;
  }
  static std::int64_t& bytes() {
    static std::int64_t count = 0;
    return count;
  }
  static void allocated(const Kokkos::Tools::SpaceHandle handle, const char*, const void*, const std::uint64_t size) {
    if (space() == handle.name) bytes() += static_cast<std::int64_t>(size);
  }
  static void freed(const Kokkos::Tools::SpaceHandle handle, const char*, const void*, const std::uint64_t size) {
    if (space() == handle.name) bytes() -= static_cast<std::int64_t>(size);
  }

  Kokkos::Tools::Experimental::EventSet previous_;
};

}  // namespace gavel::test
