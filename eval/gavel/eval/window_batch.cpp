#include "gavel/eval/window_batch.hpp"

#include <algorithm>

#include "gavel/eval/target_check.hpp"

namespace gavel::eval {

WindowBatchReader::WindowBatchReader(const datasets::WindowedDataset& windows)
    : windows_(windows),
      input_channels_(static_cast<std::int64_t>(windows.spec().n_steps_input) * windows.channels() +
                      windows.constant_channels()) {}

void WindowBatchReader::read(std::int64_t first, std::int64_t n, float* inputs, float* targets) {
  const std::int64_t points = windows_.points(), channels = windows_.channels();
  const std::int64_t steps = windows_.output_steps();
  origins_.clear();
  first_output_times_.clear();
  for (std::int64_t k = 0; k < n; ++k) {
    windows_.read(first + k, window_);
    if (targets) check_finite_targets(windows_, window_);
    datasets::format_channels_first(windows_, window_, input_);
    replaced_in_inputs += input_.replaced_in_x;
    replaced_in_targets += input_.replaced_in_y;
    std::copy(input_.x.begin(), input_.x.end(), inputs + k * input_channels_ * points);
    origins_.push_back(window_.origin);
    first_output_times_.push_back(window_.output_time.empty() ? 0.0 : window_.output_time.front());
    if (!targets) continue;
    // y is [To, *space, C] channels last; targets are (To, n, C, P).
    for (std::int64_t s = 0; s < steps; ++s) {
      const float* from = input_.y.data() + s * points * channels;
      float* to = targets + (s * n + k) * channels * points;
      for (std::int64_t p = 0; p < points; ++p)
        for (std::int64_t c = 0; c < channels; ++c)
          to[c * points + p] = from[p * channels + c];
    }
  }
}

}  // namespace gavel::eval
