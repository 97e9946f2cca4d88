#include "gavel/eval/memory_budget.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>
#include <vector>

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"

#if defined(KOKKOS_ENABLE_CUDA)
#include <cuda_runtime.h>
#endif

namespace gavel::eval {
namespace {

/// Reads "Key:   12345 kB" from a /proc file; -1 when absent.
std::int64_t proc_kilobytes(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0 || line.size() <= key.size() || line[key.size()] != ':') continue;
    std::istringstream fields(line.substr(key.size() + 1));
    long long kilobytes = -1;
    if (fields >> kilobytes && kilobytes >= 0) return static_cast<std::int64_t>(kilobytes);
  }
  return -1;
}

}  // namespace

std::int64_t parse_memory_size(const std::string& text) {
  const std::string what = "--memory " + (text.empty() ? std::string("\"\"") : text);
  static const std::vector<std::pair<std::string, double>> units = {{"KiB", 1024.0},
                                                                    {"MiB", 1024.0 * 1024},
                                                                    {"GiB", 1024.0 * 1024 * 1024},
                                                                    {"TiB", 1024.0 * 1024 * 1024 * 1024},
                                                                    {"kB", 1e3},
                                                                    {"KB", 1e3},
                                                                    {"MB", 1e6},
                                                                    {"GB", 1e9},
                                                                    {"TB", 1e12},
                                                                    {"B", 1.0}};
  std::size_t end = 0;
  while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '.'))
    ++end;
  const std::string number = text.substr(0, end), unit = text.substr(end);
  double scale = 0;
  if (unit.empty()) scale = 1.0;
  for (const auto& u : units)
    if (unit == u.first) scale = u.second;
  if (number.empty() || number.find('.') != number.rfind('.') || number == "." || scale == 0)
    throw Error(what + ": not a size (a number with one of the units B, kB, MB, GB, TB, KiB, MiB, GiB, TiB, e.g. 6GB)");
  const double bytes = std::stod(number) * scale;
  if (!(bytes >= 1.0)) throw Error(what + ": must be at least one byte");
  if (bytes >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) throw Error(what + ": too large");
  return static_cast<std::int64_t>(bytes);
}

std::string memory_size_text(std::int64_t bytes) {
  char text[96];
  const double b = static_cast<double>(bytes);
  if (b >= 1e9)
    std::snprintf(text, sizeof text, "%.2f GB", b / 1e9);
  else if (b >= 1e6)
    std::snprintf(text, sizeof text, "%.1f MB", b / 1e6);
  else
    std::snprintf(text, sizeof text, "%.1f kB", b / 1e3);
  return std::string(text) + " (" + std::to_string(bytes) + " bytes)";
}

std::int64_t free_memory_bytes(bool host_memory) {
  if (!host_memory) {
#if defined(KOKKOS_ENABLE_CUDA)
    std::size_t free = 0, total = 0;
    if (cudaMemGetInfo(&free, &total) == cudaSuccess) return static_cast<std::int64_t>(free);
#endif
    throw Error("memory budget: cannot read the device's free memory; give --memory");
  }
  const std::int64_t available = proc_kilobytes("/proc/meminfo", "MemAvailable");
  return available >= 0 ? available * 1024 : physical_memory_bytes();
}

std::int64_t peak_resident_bytes() {
  const std::int64_t peak = proc_kilobytes("/proc/self/status", "VmHWM");
  return peak >= 0 ? peak * 1024 : 0;
}

std::int64_t resident_bytes() {
  const std::int64_t now = proc_kilobytes("/proc/self/status", "VmRSS");
  return now >= 0 ? now * 1024 : 0;
}

}  // namespace gavel::eval
