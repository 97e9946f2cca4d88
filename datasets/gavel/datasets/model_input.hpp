#pragma once

#include <vector>

#include "gavel/core/non_finite.hpp"
#include "gavel/datasets/windows.hpp"

namespace gavel::datasets {

/// A window as The Well's DefaultChannelsFirstFormatter hands it to a model: the input
/// flattened time-major to channels first, `x = [Ti·C + Cc, *space]` (`t c -> (t c)`, then the
/// constant channels), the target `y = [To, *space, C]` channels last, and NaN/Inf replaced as
/// torch.nan_to_num does — with what was replaced counted.
struct ModelInput {
  std::vector<float> x;
  std::vector<float> y;
  NonFiniteCounts replaced_in_x, replaced_in_y;
};

void format_channels_first(const WindowedDataset& dataset, const Window& window, ModelInput& out);

}  // namespace gavel::datasets
