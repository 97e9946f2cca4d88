#pragma once

#include <cstdint>
#include <string>

#include <Kokkos_Core.hpp>

namespace gavel::eval {

/// `--memory` text to bytes: a positive number with an optional unit — B, kB/KB, MB, GB, TB
/// (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024); "6GB", "512MiB", "1.5GiB", "4000000".
/// Throws gavel::Error naming the text for anything else (no unit guessing: "6G" is refused).
std::int64_t parse_memory_size(const std::string& text);

/// "6.00 GB (6000000000 bytes)": how reports and messages show a size.
std::string memory_size_text(std::int64_t bytes);

/// Free memory of a memory space in bytes: MemAvailable of /proc/meminfo for host memory (the
/// physical memory when that file is missing), the device's free memory for CUDA spaces.
std::int64_t free_memory_bytes(bool host_memory);

/// The default budget when --memory is not given: this fraction of the execution space's free
/// memory. The rest is left for the dataset reader, the report and the rest of the system.
inline constexpr double kDefaultMemoryFraction = 0.75;

template <class ExecSpace>
std::int64_t default_memory_budget() {
  constexpr bool host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename ExecSpace::memory_space>::accessible;
  return static_cast<std::int64_t>(kDefaultMemoryFraction * static_cast<double>(free_memory_bytes(host)));
}

/// Peak resident memory of this process so far (VmHWM of /proc/self/status), 0 when unknown.
std::int64_t peak_resident_bytes();

/// Resident memory of this process now (VmRSS of /proc/self/status), 0 when unknown.
std::int64_t resident_bytes();

}  // namespace gavel::eval
