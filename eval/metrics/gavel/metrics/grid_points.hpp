#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gavel::eval {

/// Points of a 1–3-D grid, the spatial shape every FFT-based metric takes. Throws gavel::Error,
/// its message starting with `what`, for an empty shape, more than 3 axes or an axis below 1 point.
std::int64_t grid_points(const std::vector<std::int64_t>& shape, const std::string& what);

}  // namespace gavel::eval
