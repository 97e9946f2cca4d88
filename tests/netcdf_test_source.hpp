#pragma once
// A FieldSource over data held in memory, for the NetCDF tests: every field's values in The
// Well's layout ([B,] [T,] *space, components), with a switch that makes one frame fail.

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/datasets/field_source.hpp"

namespace gavel::test {

class NetcdfTestSource : public datasets::FieldSource {
 public:
  /// `info.fields[i].shape` is filled in here from the other members.
  explicit NetcdfTestSource(datasets::WellFileInfo info) : info_(std::move(info)) {
    for (auto& f : info_.fields) {
      f.shape.clear();
      if (f.sample_varying) f.shape.push_back(info_.n_trajectories);
      if (f.time_varying) f.shape.push_back(info_.n_steps);
      f.shape.insert(f.shape.end(), info_.spatial_shape.begin(), info_.spatial_shape.end());
      for (int k = 0; k < f.order; ++k)
        f.shape.push_back(info_.ndim());
      std::int64_t n = 1;
      for (auto s : f.shape)
        n *= s;
      values_.emplace_back(static_cast<std::size_t>(n), 0.0f);
    }
  }

  const datasets::WellFileInfo& info() const override { return info_; }

  /// The values of field `field`, [B,] [T,] *space, components.
  std::vector<float>& values(std::size_t field) { return values_.at(field); }

  /// Reading this frame (field, trajectory, step) throws, as a broken source would.
  void fail_at(std::size_t field, std::int64_t trajectory, std::int64_t step) {
    fail_ = true;
    fail_field_ = field;
    fail_trajectory_ = trajectory;
    fail_step_ = step;
  }

  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override {
    const auto& f = info_.fields.at(field);
    if (!f.time_varying) throw Error("test source: field '" + f.name + "' is constant");
    for (std::int64_t k = 0; k < count; ++k)
      copy(field, trajectory, first + k * stride, out + k * datasets::frame_size(info_, f));
  }

  void read_constant(std::size_t field, std::int64_t trajectory, float* out) const override {
    const auto& f = info_.fields.at(field);
    if (f.time_varying) throw Error("test source: field '" + f.name + "' varies in time");
    copy(field, trajectory, 0, out);
  }

 private:
  void copy(std::size_t field, std::int64_t trajectory, std::int64_t step, float* out) const {
    const auto& f = info_.fields[field];
    if (fail_ && field == fail_field_ && trajectory == fail_trajectory_ && step == fail_step_)
      throw Error("test source: frame " + std::to_string(step) + " of '" + f.name + "' is unreadable");
    if (trajectory < 0 || trajectory >= info_.n_trajectories || step < 0 || step >= info_.n_steps)
      throw Error("test source: frame out of range");
    const std::int64_t size = datasets::frame_size(info_, f);
    std::int64_t frame = 0;
    if (f.sample_varying) frame = trajectory;
    if (f.time_varying) frame = frame * info_.n_steps + step;
    std::memcpy(out, values_[field].data() + frame * size, static_cast<std::size_t>(size) * sizeof(float));
  }

  datasets::WellFileInfo info_;
  std::vector<std::vector<float>> values_;
  bool fail_ = false;
  std::size_t fail_field_ = 0;
  std::int64_t fail_trajectory_ = 0, fail_step_ = 0;
};

}  // namespace gavel::test
