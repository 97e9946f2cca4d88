#pragma once
// In-memory field data for the NetCDF tests (datasets::MemorySource), with a switch that makes
// one frame fail to read, as a broken source would.

#include <cstdint>
#include <string>
#include <utility>

#include "gavel/core/error.hpp"
#include "gavel/datasets/memory_source.hpp"

namespace gavel::test {

class NetcdfTestSource : public datasets::MemorySource {
 public:
  explicit NetcdfTestSource(datasets::WellFileInfo info) : MemorySource(std::move(info)) {}

  /// Reading this frame (field, trajectory, step) throws.
  void fail_at(std::size_t field, std::int64_t trajectory, std::int64_t step) {
    fail_ = true;
    fail_field_ = field;
    fail_trajectory_ = trajectory;
    fail_step_ = step;
  }

  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override {
    for (std::int64_t k = 0; k < count; ++k)
      if (fail_ && field == fail_field_ && trajectory == fail_trajectory_ && first + k * stride == fail_step_)
        throw Error("test source: frame " + std::to_string(fail_step_) + " of '" + info().fields[field].name +
                    "' is unreadable");
    MemorySource::read_frames(field, trajectory, first, count, stride, out);
  }

 private:
  bool fail_ = false;
  std::size_t fail_field_ = 0;
  std::int64_t fail_trajectory_ = 0, fail_step_ = 0;
};

}  // namespace gavel::test
