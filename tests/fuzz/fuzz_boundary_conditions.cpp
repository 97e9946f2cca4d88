// libFuzzer harness: `--bc` text (one word, one per axis, or one per face) for 1- to 3-D grids
// (the first byte picks), and `--shape` text. Only gavel::Error may escape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/core/grid.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int ndim = 1 + data[0] % 3;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const auto faces = gavel::parse_face_conditions(text, ndim);
    if (faces.size() != static_cast<std::size_t>(ndim)) std::abort();
  } catch (const gavel::Error&) {
  }
  try {
    for (const auto extent : gavel::parse_shape(text))
      if (extent <= 0) std::abort();
  } catch (const gavel::Error&) {
  }
  return 0;
}
