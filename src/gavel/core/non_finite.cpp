#include "gavel/core/non_finite.hpp"

#include <cmath>
#include <limits>

namespace gavel {

std::string NonFiniteCounts::to_string() const {
  return std::to_string(nan) + " NaN, " + std::to_string(positive_infinity) + " +Inf, " +
         std::to_string(negative_infinity) + " -Inf";
}

NonFiniteCounts count_non_finite(const float* values, std::int64_t n) {
  NonFiniteCounts counts;
  for (std::int64_t i = 0; i < n; ++i) {
    const float v = values[i];
    if (std::isfinite(v)) continue;
    if (std::isnan(v))
      ++counts.nan;
    else if (v > 0)
      ++counts.positive_infinity;
    else
      ++counts.negative_infinity;
  }
  return counts;
}

NonFiniteCounts replace_non_finite(float* values, std::int64_t n) {
  NonFiniteCounts counts;
  for (std::int64_t i = 0; i < n; ++i) {
    float& v = values[i];
    if (std::isfinite(v)) continue;
    if (std::isnan(v)) {
      ++counts.nan;
      v = 0.0f;
    } else if (v > 0) {
      ++counts.positive_infinity;
      v = std::numeric_limits<float>::max();
    } else {
      ++counts.negative_infinity;
      v = std::numeric_limits<float>::lowest();
    }
  }
  return counts;
}

}  // namespace gavel
