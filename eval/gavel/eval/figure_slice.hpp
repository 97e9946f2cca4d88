#pragma once

#include <cstdint>
#include <vector>

#include <Kokkos_Macros.hpp>

namespace gavel::eval {

/// Which points of one channel a figure shows: 1-D data as one row, 2-D as is, 3-D the middle
/// slice of the last axis; each side strided down to at most `max_side` points. Rows run along
/// the first spatial axis.
struct FigureSliceGeometry {
  std::int64_t rows = 0, columns = 0;           ///< of the slice
  std::int64_t row_step = 1, column_step = 1;   ///< strides through the channel's rows and columns
  std::int64_t channel_columns = 0, depth = 1;  ///< the channel's own column count and last-axis length
  KOKKOS_INLINE_FUNCTION std::int64_t points() const { return rows * columns; }
  /// Offset in the channel (C order) of slice point (i, j); callable in kernels.
  KOKKOS_INLINE_FUNCTION std::int64_t offset(std::int64_t i, std::int64_t j) const {
    return (i * row_step * channel_columns + j * column_step) * depth + depth / 2;
  }
};

/// Throws gavel::Error unless `space` has 1 to 3 axes.
FigureSliceGeometry figure_slice_geometry(const std::vector<std::int64_t>& space, std::int64_t max_side = 128);

/// The slice of a host channel; `shape` receives its (rows, columns).
std::vector<float> figure_slice(const float* channel, const std::vector<std::int64_t>& space,
                                std::vector<std::int64_t>& shape, std::int64_t max_side = 128);

}  // namespace gavel::eval
