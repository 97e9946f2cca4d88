#pragma once

#include <cstdint>

namespace gavel::eval {

/// Memory of the execution space one call of an FFT-based metric allocates besides its inputs:
/// the buffers of one chunk of rows (a sample's channels), whatever the batch, and the reduced
/// numbers it copies back, which grow with the samples. The engine's memory plan counts both.
struct MetricScratch {
  std::int64_t fixed_bytes = 0;
  std::int64_t bytes_per_sample = 0;
};

/// The larger of two scratch needs, for calls that run one after another.
inline MetricScratch larger_scratch(const MetricScratch& a, const MetricScratch& b) {
  return {a.fixed_bytes > b.fixed_bytes ? a.fixed_bytes : b.fixed_bytes,
          a.bytes_per_sample > b.bytes_per_sample ? a.bytes_per_sample : b.bytes_per_sample};
}

}  // namespace gavel::eval
