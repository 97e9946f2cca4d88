#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

#include "gavel/core/grid.hpp"
#include "gavel/core/group_element.hpp"

namespace gavel {

/// Device-friendly description of how one element gathers its output from its input on a grid:
/// output index j_k reads input axis source(k) at  (offset_k + sign_k·j_k) mod extent_k.
/// Plain data, copied into kernels.
struct ElementMap {
  int ndim = 1;
  /// Output axis whose gather runs along the input's contiguous (last) axis.
  int contiguous_reader = 0;
  std::int64_t extent[kMaxSpatialDims] = {1, 1, 1};
  /// Input stride of the axis read by output axis k.
  std::int64_t in_stride[kMaxSpatialDims] = {0, 0, 0};
  std::int64_t offset[kMaxSpatialDims] = {0, 0, 0};
  int sign[kMaxSpatialDims] = {1, 1, 1};

  /// Input index that output index j_k reads along axis k (offset + sign·j lies within one period
  /// of [0, extent), see make_element_map: one wrap at most).
  KOKKOS_INLINE_FUNCTION std::int64_t source_index(int k, std::int64_t j) const {
    std::int64_t i = offset[k] + sign[k] * j;
    if (i < 0) {
      i += extent[k];
    } else if (i >= extent[k]) {
      i -= extent[k];
    }
    return i;
  }
  /// Offset inside one input field of the sample that output index j_k reads along axis k.
  KOKKOS_INLINE_FUNCTION std::int64_t source_offset(int k, std::int64_t j) const {
    return source_index(k, j) * in_stride[k];
  }
};

/// Builds the gather map of `g` on `grid`. Throws gavel::Error when g permutes axes of unequal
/// length or sampling, or shifts along a non-periodic axis (boundary conditions are not checked
/// here: see why_not_admissible).
ElementMap make_element_map(const GroupElement& g, const Grid& grid);

}  // namespace gavel
