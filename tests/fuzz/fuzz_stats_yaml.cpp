// libFuzzer harness: stats.yaml text through WellStats::parse, then the checks against a 2-D
// dataset's fields (a scalar and a vector). Only gavel::Error may escape; accepted scales are
// positive and finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/datasets/well_stats.hpp"

namespace {
gavel::datasets::WellFileInfo two_fields() {
  gavel::datasets::WellFileInfo info;
  info.spatial_shape = {8, 8};
  gavel::datasets::WellField vorticity;
  vorticity.name = "vorticity";
  gavel::datasets::WellField velocity;
  velocity.name = "velocity";
  velocity.order = 1;
  gavel::datasets::WellField mask;
  mask.name = "mask";
  mask.time_varying = false;
  info.fields = {vorticity, velocity, mask};
  return info;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gavel::datasets::WellFileInfo info = two_fields();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto stats = gavel::datasets::WellStats::parse(text, "fuzz/stats.yaml");
    for (const auto& key : stats.keys())
      for (const auto& field : info.fields)
        if (stats.has(key, field.name)) {
          stats.rank(key, field.name);
          for (const double v : stats.values(key, field.name))
            if (!std::isfinite(v) || ((key == "std" || key == "rms") && v <= 0)) std::abort();
        }
    stats.mismatches(info);
  } catch (const gavel::Error&) {
  }
  return 0;
}
