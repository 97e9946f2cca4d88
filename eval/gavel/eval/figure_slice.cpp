#include "gavel/eval/figure_slice.hpp"

#include "gavel/core/error.hpp"

namespace gavel::eval {

FigureSliceGeometry figure_slice_geometry(const std::vector<std::int64_t>& space, std::int64_t max_side) {
  if (space.empty() || space.size() > 3) throw Error("figure slice: 1-3 spatial dimensions expected");
  FigureSliceGeometry g;
  const std::int64_t rows = space.size() == 1 ? 1 : space[0];
  g.channel_columns = space.size() == 1 ? space[0] : space[1];
  g.depth = space.size() == 3 ? space[2] : 1;
  g.row_step = (rows + max_side - 1) / max_side;
  g.column_step = (g.channel_columns + max_side - 1) / max_side;
  g.rows = (rows + g.row_step - 1) / g.row_step;
  g.columns = (g.channel_columns + g.column_step - 1) / g.column_step;
  return g;
}

std::vector<float> figure_slice(const float* channel, const std::vector<std::int64_t>& space,
                                std::vector<std::int64_t>& shape, std::int64_t max_side) {
  const auto g = figure_slice_geometry(space, max_side);
  shape = {g.rows, g.columns};
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(g.points()));
  for (std::int64_t i = 0; i < g.rows; ++i)
    for (std::int64_t j = 0; j < g.columns; ++j)
      out.push_back(channel[g.offset(i, j)]);
  return out;
}

}  // namespace gavel::eval
