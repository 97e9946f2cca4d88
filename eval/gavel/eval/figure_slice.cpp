#include "gavel/eval/figure_slice.hpp"

#include "gavel/core/error.hpp"

namespace gavel::eval {

std::vector<float> figure_slice(const float* channel, const std::vector<std::int64_t>& space,
                                std::vector<std::int64_t>& shape, std::int64_t max_side) {
  if (space.empty() || space.size() > 3) throw Error("figure slice: 1-3 spatial dimensions expected");
  const std::int64_t rows = space.size() == 1 ? 1 : space[0];
  const std::int64_t columns = space.size() == 1 ? space[0] : space[1];
  const std::int64_t depth = space.size() == 3 ? space[2] : 1;
  const std::int64_t middle = depth / 2;
  const std::int64_t row_step = (rows + max_side - 1) / max_side, column_step = (columns + max_side - 1) / max_side;
  shape = {(rows + row_step - 1) / row_step, (columns + column_step - 1) / column_step};
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(shape[0] * shape[1]));
  for (std::int64_t i = 0; i < rows; i += row_step)
    for (std::int64_t j = 0; j < columns; j += column_step)
      out.push_back(channel[(i * columns + j) * depth + middle]);
  return out;
}

}  // namespace gavel::eval
