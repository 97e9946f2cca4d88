#include "gavel/datasets/transformed_source.hpp"

#include <Kokkos_Core.hpp>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/datasets/memory_source.hpp"

namespace gavel::datasets {

using HostSpace = Kokkos::DefaultHostExecutionSpace;

/// One single-element action per field: each field has its own channel layout.
struct TransformedSource::Actions {
  std::vector<GroupAction<HostSpace>> per_field;
};

WellFileInfo transform_info(const WellFileInfo& info, const GroupElement& g) {
  if (g.ndim() != info.ndim())
    throw Error(info.path + ": a " + std::to_string(g.ndim()) + "-D element on a " + std::to_string(info.ndim()) +
                "-D grid");
  WellFileInfo out = info;
  for (int k = 0; k < info.ndim(); ++k) {
    const auto source = static_cast<std::size_t>(g.source_axis(k));
    const auto axis = static_cast<std::size_t>(k);
    out.spatial_shape[axis] = info.spatial_shape[source];
    out.coordinates[axis] = info.coordinates[source];
    out.boundary[axis] = info.boundary[source];
    if (g.sign(k) < 0) std::swap(out.boundary[axis][0], out.boundary[axis][1]);
  }
  for (auto& field : out.fields) {
    field.dim_varying.clear();  // frames come out full, whatever the input stored
    field.shape = stored_shape(out, field);
  }
  return out;
}

TransformedSource::TransformedSource(std::shared_ptr<const FieldSource> base, const GroupElement& g, bool force)
    : base_(std::move(base)), element_(g), info_(transform_info(base_->info(), g)), actions_(new Actions) {
  const WellFileInfo& in = base_->info();
  const Grid grid = in.grid();
  if (!force) {
    if (const auto reason = why_not_admissible(g, grid))
      throw Error(in.path + ": element " + notation(g) + " is not a symmetry of this grid: " + *reason);
  }
  for (const auto& field : in.fields)
    actions_->per_field.emplace_back(grid, ChannelLayout(in.ndim(), {field.spec()}), std::vector<GroupElement>{g},
                                     KernelVariant::automatic, StorePolicy::cached);
}

TransformedSource::~TransformedSource() = default;

void TransformedSource::transform(std::size_t field, std::int64_t frames, float* values) const {
  const auto& action = actions_->per_field[field];
  const std::int64_t points = action.grid().num_points();
  const std::int64_t channels = action.channels();
  using View = Kokkos::View<float*, HostSpace::memory_space>;
  View in("transform in", static_cast<std::size_t>(frames * channels * points));
  View out("transform out", in.extent(0));
  // Frames are channels last; the kernels act on channels-first batches.
  for (std::int64_t b = 0; b < frames; ++b)
    for (std::int64_t p = 0; p < points; ++p)
      for (std::int64_t c = 0; c < channels; ++c)
        in(static_cast<std::size_t>((b * channels + c) * points + p)) = values[(b * points + p) * channels + c];
  action.apply<float>(0, in, frames, out);
  HostSpace().fence();
  for (std::int64_t b = 0; b < frames; ++b)
    for (std::int64_t p = 0; p < points; ++p)
      for (std::int64_t c = 0; c < channels; ++c)
        values[(b * points + p) * channels + c] = out(static_cast<std::size_t>((b * channels + c) * points + p));
}

void TransformedSource::read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                                    std::int64_t stride, float* out) const {
  base_->read_frames(field, trajectory, first, count, stride, out);
  transform(field, count, out);
}

void TransformedSource::read_constant(std::size_t field, std::int64_t trajectory, float* out) const {
  base_->read_constant(field, trajectory, out);
  transform(field, 1, out);
}

}  // namespace gavel::datasets
