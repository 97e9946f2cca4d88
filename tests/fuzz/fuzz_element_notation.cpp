// libFuzzer harness: group-element notation ("rot90", "[-y,x]", "flip_x+shift(4,0)", ...) in 1 to
// 3 dimensions (the first byte picks). Only gavel::Error may escape; whatever parses must print
// as notation and name that parse back to the same element.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int ndim = 1 + data[0] % 3;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  gavel::GroupElement g = gavel::GroupElement::identity(ndim);
  try {
    g = gavel::parse_element(text, ndim);
  } catch (const gavel::Error&) {
    return 0;
  }
  try {
    if (!(gavel::parse_element(gavel::notation(g), ndim) == g)) std::abort();
    if (!(gavel::parse_element(gavel::element_name(g), ndim) == g)) std::abort();
  } catch (const gavel::Error&) {
    std::abort();  // gavel's own output must parse
  }
  gavel::common_name_rank(g);
  return 0;
}
