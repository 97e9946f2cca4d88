#pragma once

#include <cstdint>
#include <string>

namespace gavel {

/// How many NaN and infinite values a block of data held. gavel never drops them silently:
/// readers and metrics count them and reports show the counts.
struct NonFiniteCounts {
  std::int64_t nan = 0;
  std::int64_t positive_infinity = 0;
  std::int64_t negative_infinity = 0;

  std::int64_t total() const { return nan + positive_infinity + negative_infinity; }
  NonFiniteCounts& operator+=(const NonFiniteCounts& other) {
    nan += other.nan;
    positive_infinity += other.positive_infinity;
    negative_infinity += other.negative_infinity;
    return *this;
  }
  friend bool operator==(const NonFiniteCounts& a, const NonFiniteCounts& b) {
    return a.nan == b.nan && a.positive_infinity == b.positive_infinity && a.negative_infinity == b.negative_infinity;
  }
  /// "3 NaN, 1 +Inf, 0 -Inf".
  std::string to_string() const;
};

/// Counts without changing anything.
NonFiniteCounts count_non_finite(const float* values, std::int64_t n);

/// Replaces like torch.nan_to_num with its defaults, as The Well's data formatter does before a
/// model sees the data (NaN → 0, +Inf → the largest float, −Inf → the lowest), and counts what
/// it replaced.
NonFiniteCounts replace_non_finite(float* values, std::int64_t n);

}  // namespace gavel
