#include "gavel/core/checked_size.hpp"

#include <cstdio>
#include <limits>

#include <unistd.h>

#include "gavel/core/error.hpp"

namespace gavel {

namespace {
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

void check_non_negative(std::int64_t value, const std::string& what) {
  if (value < 0) throw Error(what + ": negative size " + std::to_string(value));
}

std::string bytes_text(std::int64_t bytes) {
  const double gib = static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
  char text[64];
  std::snprintf(text, sizeof text, "%.3g GiB", gib);
  return text;
}
}  // namespace

std::int64_t checked_add(std::int64_t a, std::int64_t b, const std::string& what) {
  check_non_negative(a, what);
  check_non_negative(b, what);
  if (a > kMax - b) throw Error(what + ": size overflows (" + std::to_string(a) + " + " + std::to_string(b) + ")");
  return a + b;
}

std::int64_t checked_multiply(std::int64_t a, std::int64_t b, const std::string& what) {
  check_non_negative(a, what);
  check_non_negative(b, what);
  if (a != 0 && b > kMax / a)
    throw Error(what + ": size overflows (" + std::to_string(a) + " x " + std::to_string(b) + ")");
  return a * b;
}

std::int64_t checked_product(const std::vector<std::int64_t>& extents, const std::string& what) {
  std::int64_t product = 1;
  for (const std::int64_t extent : extents)
    check_non_negative(extent, what);
  // Any zero extent makes the product zero even when the others would overflow.
  for (const std::int64_t extent : extents)
    if (extent == 0) return 0;
  for (const std::int64_t extent : extents)
    product = checked_multiply(product, extent, what);
  return product;
}

std::int64_t checked_product(std::initializer_list<std::int64_t> extents, const std::string& what) {
  return checked_product(std::vector<std::int64_t>(extents), what);
}

std::int64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return kMax;
  if (pages > kMax / page_size) return kMax;
  return static_cast<std::int64_t>(pages) * page_size;
}

std::int64_t checked_allocation_bytes(std::int64_t count, std::int64_t value_size, const std::string& what) {
  const std::int64_t bytes = checked_multiply(count, value_size, what);
  const std::int64_t limit = physical_memory_bytes();
  if (bytes > limit)
    throw Error(what + ": needs " + bytes_text(bytes) + " (" + std::to_string(count) +
                " values), more than this machine's " + bytes_text(limit) + " of memory");
  return bytes;
}

}  // namespace gavel
