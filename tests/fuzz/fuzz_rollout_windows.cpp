// libFuzzer harness: `gavel eval --windows` text. Only gavel::Error may escape; every window
// returned satisfies 0 <= START < END.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/eval/rollout_windows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& [start, end] : gavel::eval::parse_rollout_windows(text))
      if (start < 0 || end <= start) std::abort();
  } catch (const gavel::Error&) {
  }
  return 0;
}
