#pragma once

#include <cstdint>
#include <vector>

namespace gavel::eval {

/// A 2-D view of one channel for a figure: 1-D data as one row, 2-D as is, 3-D the middle slice
/// of the last axis; each side strided down to at most `max_side` points. `shape` receives the
/// (rows, columns) of the result, rows along the first spatial axis.
std::vector<float> figure_slice(const float* channel, const std::vector<std::int64_t>& space,
                                std::vector<std::int64_t>& shape, std::int64_t max_side = 128);

}  // namespace gavel::eval
