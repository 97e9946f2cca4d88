#pragma once

#include <cstddef>
#include <cstdint>

namespace gavel::surrogates::layers {

/// Bytes Kokkos allocates for the data of a View of `count` values of `value_size` bytes: it
/// rounds every allocation up to a multiple of 8 bytes (ViewMapping's MemorySpanMask, in 3.4 and
/// 4.x), so an odd number of floats takes 4 bytes more.
inline std::size_t allocation_bytes(std::int64_t count, std::size_t value_size) {
  const std::size_t bytes = static_cast<std::size_t>(count) * value_size;
  return (bytes + 7) / 8 * 8;
}

/// What a 1-D View's allocation holds (0 for an empty View).
template <class View>
std::size_t view_bytes(const View& view) {
  return allocation_bytes(static_cast<std::int64_t>(view.extent(0)), sizeof(typename View::value_type));
}

}  // namespace gavel::surrogates::layers
