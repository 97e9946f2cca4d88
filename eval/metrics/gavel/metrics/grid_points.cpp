#include "gavel/metrics/grid_points.hpp"

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"

namespace gavel::eval {

std::int64_t grid_points(const std::vector<std::int64_t>& shape, const std::string& what) {
  if (shape.empty() || shape.size() > 3)
    throw Error(what + ": 1 to 3 spatial axes, got " + std::to_string(shape.size()));
  for (const auto n : shape)
    if (n < 1) throw Error(what + ": every spatial axis needs at least one point, got " + std::to_string(n));
  return checked_product(shape, what + ": grid points");
}

}  // namespace gavel::eval
