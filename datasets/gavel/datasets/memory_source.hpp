#pragma once

#include <cstdint>
#include <vector>

#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

/// Field values held in memory, laid out as a Well file stores them: per field
/// `[B,] [T,] *space, components` (float32, C order). For generated data, tests and small
/// results; large data should stream through another FieldSource.
class MemorySource : public FieldSource {
 public:
  /// Zero-filled storage for every field of `info` (shapes from its flags, not `WellField::shape`,
  /// which is filled in here).
  explicit MemorySource(WellFileInfo info);

  const WellFileInfo& info() const override { return info_; }
  /// Time values, scalars and attributes may be filled in after construction; the fields and
  /// shapes must stay as they are (the storage was sized from them).
  std::vector<double>& time() { return info_.time; }
  std::vector<WellScalar>& scalars() { return info_.scalars; }
  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override;
  void read_constant(std::size_t field, std::int64_t trajectory, float* out) const override;

  /// All values of one field, in stored order.
  std::vector<float>& values(std::size_t field) { return values_.at(field); }
  const std::vector<float>& values(std::size_t field) const { return values_.at(field); }
  /// The frame of `field` at (trajectory, step); `step` is ignored for constant fields and
  /// `trajectory` for fields shared by all trajectories.
  float* frame(std::size_t field, std::int64_t trajectory, std::int64_t step);
  const float* frame(std::size_t field, std::int64_t trajectory, std::int64_t step) const;

 private:
  std::int64_t frame_offset(std::size_t field, std::int64_t trajectory, std::int64_t step) const;

  WellFileInfo info_;
  std::vector<std::vector<float>> values_;
};

/// The stored shape of `field` in a file described by `info`: [B,] [T,] *space, [D, [D]].
std::vector<std::int64_t> stored_shape(const WellFileInfo& info, const WellField& field);

}  // namespace gavel::datasets
