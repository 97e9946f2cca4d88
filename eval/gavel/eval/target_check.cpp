#include "gavel/eval/target_check.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "gavel/core/error.hpp"

namespace gavel::eval {

void check_finite_targets(const datasets::WindowedDataset& windows, const datasets::Window& window) {
  if (window.output_non_finite.total() == 0) return;
  const std::vector<std::string> names = windows.channel_names();
  const std::size_t channels = names.size();
  std::vector<NonFiniteCounts> per_channel(channels);
  // output is [To, *space, C]: the channel is the fastest index.
  for (std::size_t i = 0; i < window.output.size(); ++i) {
    if (!std::isfinite(window.output[i])) per_channel[i % channels] += count_non_finite(&window.output[i], 1);
  }
  std::string fields;
  for (std::size_t c = 0; c < channels; ++c)
    if (per_channel[c].total() > 0)
      fields += (fields.empty() ? "" : "; ") + names[c] + ": " + per_channel[c].to_string();
  const auto& o = window.origin;
  throw Error(windows.file_info(o.file).path + ": trajectory " + std::to_string(o.trajectory) + ", window from step " +
              std::to_string(o.start_step) + ": its targets hold " + window.output_non_finite.to_string() +
              " values (" + fields +
              "); gavel does not score a model against non-finite targets (the_well's nan_to_num would turn them "
              "into 0 or ±3.4e38): repair or leave out that trajectory");
}

}  // namespace gavel::eval
