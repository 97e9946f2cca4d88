#pragma once

#include <cstdint>
#include <vector>

#include "gavel/datasets/well_file.hpp"

namespace gavel::datasets {

/// Where field values come from: a Well HDF5 file, a NetCDF file, data in memory, or another
/// source seen through a transformation. Sources describe themselves with the Well data model
/// (`WellFileInfo`) and hand out frames on demand, so readers, writers and windows never need a
/// whole file in memory.
///
/// Values are float32 in C order, channels last: one frame of a field is `[*space, components]`
/// with components row-major (`D` for a vector, `D*D` for a tensor, 1 for a scalar).
class FieldSource {
 public:
  virtual ~FieldSource() = default;

  /// Structure of the data; `fields` indexes the `field` arguments below.
  virtual const WellFileInfo& info() const = 0;

  /// Frames `first, first+stride, …` (`count` of them) of a time-varying field of one trajectory
  /// into `out[count][*space][components]`. Fields shared by all trajectories
  /// (`sample_varying = false`) ignore `trajectory`. Throws gavel::Error naming the source, the
  /// field and the problem for out-of-range requests or read failures.
  virtual void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                           std::int64_t stride, float* out) const = 0;

  /// The single frame of a constant field (`time_varying = false`) of one trajectory.
  virtual void read_constant(std::size_t field, std::int64_t trajectory, float* out) const = 0;
};

/// Values per frame of a field: product of the spatial shape and the component count.
std::int64_t frame_size(const WellFileInfo& info, const WellField& field);

}  // namespace gavel::datasets
