#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

std::int64_t frame_size(const WellFileInfo& info, const WellField& field) {
  std::int64_t size = 1;
  for (auto n : info.spatial_shape)
    size *= n;
  for (int k = 0; k < field.order; ++k)
    size *= info.ndim();
  return size;
}

}  // namespace gavel::datasets
