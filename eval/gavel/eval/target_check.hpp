#pragma once

#include "gavel/datasets/windows.hpp"

namespace gavel::eval {

/// Refuses a window whose targets hold NaN or Inf: the_well would replace them (nan_to_num) and
/// score the model against 0 or ±3.4e38, which makes every metric of the run meaningless. The
/// gavel::Error names the file, trajectory, first output step, and the count in each field.
void check_finite_targets(const datasets::WindowedDataset& windows, const datasets::Window& window);

}  // namespace gavel::eval
