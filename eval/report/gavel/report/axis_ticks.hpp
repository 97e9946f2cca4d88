#pragma once

#include <string>
#include <vector>

namespace gavel::report {

/// A linear axis range widened to round tick values: about `target_ticks` ticks spaced 1, 2 or 5
/// times a power of ten, the range extended to the outer ticks.
struct AxisScale {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> ticks;
};
AxisScale nice_axis_scale(double lo, double hi, int target_ticks = 5);

/// A tick value as short text: rounded to the tick spacing, "0" for values within rounding of zero.
std::string format_tick(double value, double step);

}  // namespace gavel::report
