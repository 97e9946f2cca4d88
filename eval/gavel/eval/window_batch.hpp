#pragma once

#include <cstdint>
#include <vector>

#include "gavel/core/non_finite.hpp"
#include "gavel/datasets/model_input.hpp"
#include "gavel/datasets/windows.hpp"

namespace gavel::eval {

/// Reads consecutive windows into the host buffers of one model call, formatted as the_well's
/// DefaultChannelsFirstFormatter does (NaN/Inf replaced like nan_to_num, and counted):
///   inputs  (n, Ti·C + Cc, P)  channels first, time-major then constants;
///   targets (To, n, C, P)      step-major, so each output step is one contiguous (n, C, P) batch.
class WindowBatchReader {
 public:
  explicit WindowBatchReader(const datasets::WindowedDataset& windows);

  std::int64_t input_channels() const { return input_channels_; }
  /// Reads windows first … first+n−1. `targets` may be null when only inputs are needed.
  void read(std::int64_t first, std::int64_t n, float* inputs, float* targets);

  /// Where each window of the last read came from.
  const std::vector<datasets::WindowOrigin>& origins() const { return origins_; }
  /// The time of each window's first output step in the last read.
  const std::vector<double>& first_output_times() const { return first_output_times_; }
  NonFiniteCounts replaced_in_inputs, replaced_in_targets;

 private:
  const datasets::WindowedDataset& windows_;
  std::int64_t input_channels_ = 0;
  datasets::Window window_;
  datasets::ModelInput input_;
  std::vector<datasets::WindowOrigin> origins_;
  std::vector<double> first_output_times_;
};

}  // namespace gavel::eval
