#pragma once

#include <string>
#include <vector>

#include "gavel/report/color_scale.hpp"

namespace gavel::report {

/// A 2-D slice as a data: URI of an 8-bit BMP image, one pixel per grid point. `values` is
/// row-major over (nx, ny) — the first axis x, the second y — and the image shows x to the right
/// and y upwards. Values map linearly onto `map` over [lo, hi] (clamped); NaN and infinities are grey.
std::string heat_map_data_uri(const std::vector<double>& values, int nx, int ny, ColorMap map, double lo, double hi);

}  // namespace gavel::report
