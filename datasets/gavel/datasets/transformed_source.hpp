#pragma once

#include <memory>

#include "gavel/core/group_element.hpp"
#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

/// Another source seen through one group element g: every frame of every field becomes
/// (g·f)(p) = ρ(g) f(g⁻¹p) — scalars moved, vectors R·v, tensors R·T·Rᵀ, pseudo fields also
/// times det R — with the grid, coordinates and boundary conditions transformed consistently
/// (output axis k takes input axis source_k's extent, coordinates and faces, swapped where
/// g flips it). Frames are transformed on demand with the foundation's host kernels.
class TransformedSource : public FieldSource {
 public:
  /// Throws gavel::Error when g is not admissible on the source's grid (with the reason),
  /// unless `force`; elements that cannot act at all (a shift along a non-periodic axis,
  /// swapping axes of unequal length) are refused always.
  TransformedSource(std::shared_ptr<const FieldSource> base, const GroupElement& g, bool force = false);
  ~TransformedSource() override;

  const WellFileInfo& info() const override { return info_; }
  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override;
  void read_constant(std::size_t field, std::int64_t trajectory, float* out) const override;

 private:
  void transform(std::size_t field, std::int64_t frames, float* values) const;

  std::shared_ptr<const FieldSource> base_;
  GroupElement element_;
  WellFileInfo info_;
  struct Actions;
  std::unique_ptr<Actions> actions_;
};

/// `info` with the structure after g: permuted shape, coordinates and faces.
WellFileInfo transform_info(const WellFileInfo& info, const GroupElement& g);

}  // namespace gavel::datasets
