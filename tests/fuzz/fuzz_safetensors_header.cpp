// libFuzzer harness: the safetensors header parser on arbitrary bytes (the 8-byte length, the
// JSON header, the data block). Every rejection must be a gavel::Error; accepted headers must
// describe byte ranges inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto header = gavel::surrogates::parse_safetensors_header(data, size, "fuzz.safetensors");
    for (const auto& t : header.tensors) {
      // The parser promised: in the file, sized by the shape, no wrap-around.
      if (t.end < t.begin || header.data_start + t.end > size) std::abort();
      if (t.elements() < 0) std::abort();
    }
  } catch (const gavel::Error&) {
  }
  return 0;
}
