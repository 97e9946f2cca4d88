#include "gavel/datasets/memory_source.hpp"

#include <algorithm>
#include <string>

#include "gavel/core/error.hpp"

namespace gavel::datasets {

std::vector<std::int64_t> stored_shape(const WellFileInfo& info, const WellField& field) {
  std::vector<std::int64_t> shape;
  if (field.sample_varying) shape.push_back(info.n_trajectories);
  if (field.time_varying) shape.push_back(info.n_steps);
  shape.insert(shape.end(), info.spatial_shape.begin(), info.spatial_shape.end());
  for (int k = 0; k < field.order; ++k)
    shape.push_back(info.ndim());
  return shape;
}

MemorySource::MemorySource(WellFileInfo info) : info_(std::move(info)) {
  for (auto& field : info_.fields) {
    field.shape = stored_shape(info_, field);
    std::int64_t size = 1;
    for (auto n : field.shape)
      size *= n;
    values_.emplace_back(static_cast<std::size_t>(size), 0.0f);
  }
}

std::int64_t MemorySource::frame_offset(std::size_t field, std::int64_t trajectory, std::int64_t step) const {
  const WellField& f = info_.fields.at(field);
  const std::string where = "memory source '" + info_.dataset_name + "', field '" + f.name + "'";
  if (trajectory < 0 || trajectory >= info_.n_trajectories)
    throw Error(where + ": trajectory " + std::to_string(trajectory) + " out of range");
  if (f.time_varying && (step < 0 || step >= info_.n_steps))
    throw Error(where + ": step " + std::to_string(step) + " out of range");
  std::int64_t index = 0;
  if (f.sample_varying) index = trajectory;
  if (f.time_varying) index = index * info_.n_steps + step;
  return index * frame_size(info_, f);
}

float* MemorySource::frame(std::size_t field, std::int64_t trajectory, std::int64_t step) {
  const auto offset = frame_offset(field, trajectory, step);
  return values_[field].data() + offset;
}

const float* MemorySource::frame(std::size_t field, std::int64_t trajectory, std::int64_t step) const {
  const auto offset = frame_offset(field, trajectory, step);
  return values_[field].data() + offset;
}

void MemorySource::read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                               std::int64_t stride, float* out) const {
  const WellField& f = info_.fields.at(field);
  if (!f.time_varying) throw Error("memory source: field '" + f.name + "' is constant in time");
  const auto size = frame_size(info_, f);
  for (std::int64_t i = 0; i < count; ++i) {
    const float* from = frame(field, trajectory, first + i * stride);
    std::copy(from, from + size, out + i * size);
  }
}

void MemorySource::read_constant(std::size_t field, std::int64_t trajectory, float* out) const {
  const WellField& f = info_.fields.at(field);
  if (f.time_varying) throw Error("memory source: field '" + f.name + "' varies in time");
  const float* from = frame(field, trajectory, 0);
  std::copy(from, from + frame_size(info_, f), out);
}

}  // namespace gavel::datasets
