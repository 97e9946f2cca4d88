#include "gavel/core/element_map.hpp"

#include <string>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"

namespace gavel {

ElementMap make_element_map(const GroupElement& g, const Grid& grid) {
  constexpr const char* axis_names[] = {"x", "y", "z"};
  const int d = grid.ndim();
  if (g.ndim() != d)
    throw Error("element " + element_name(g) + " is " + std::to_string(g.ndim()) + "-D but the grid is " +
                std::to_string(d) + "-D");
  const GroupElement reduced = g.reduced(shift_periods(grid));
  std::int64_t stride[kMaxSpatialDims] = {1, 1, 1};
  for (int k = d - 2; k >= 0; --k)
    stride[k] = stride[k + 1] * grid.extent(k + 1);
  ElementMap map;
  map.ndim = d;
  for (int k = 0; k < d; ++k) {
    const int m = reduced.source_axis(k);
    if (grid.extent(m) != grid.extent(k))
      throw Error("element " + element_name(g) + " maps axis " + axis_names[m] + " (length " +
                  std::to_string(grid.extent(m)) + ") onto axis " + axis_names[k] + " (length " +
                  std::to_string(grid.extent(k)) + "): the grid is not square there");
    if (grid.sampling(m) != grid.sampling(k))
      throw Error("element " + element_name(g) + " maps axis " + axis_names[m] + " onto axis " + axis_names[k] +
                  " with different sampling");
    const std::int64_t n = grid.extent(k);
    const std::int64_t t = reduced.shift(k);
    map.extent[k] = n;
    map.in_stride[k] = stride[m];
    map.sign[k] = reduced.sign(k);
    map.offset[k] = reduced.sign(k) > 0 ? -t : grid.reflection_offset(m) + t;
    if (m == d - 1) map.contiguous_reader = k;
  }
  return map;
}

}  // namespace gavel
