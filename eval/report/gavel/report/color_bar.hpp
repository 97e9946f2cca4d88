#pragma once

#include <string>

#include "gavel/report/color_scale.hpp"

namespace gavel::report {

/// An inline <svg class="colorbar"> of `map` over [lo, hi]: a vertical bar `height` pixels tall
/// with round tick values and, above it, `label` (HTML-escaped here).
std::string color_bar_svg(ColorMap map, double lo, double hi, const std::string& label, int height = 160);

}  // namespace gavel::report
