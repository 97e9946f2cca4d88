#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "gavel/core/grid.hpp"

namespace gavel {

/// A symmetry of a grid: a signed axis permutation (an element of the hyperoctahedral group)
/// followed by a periodic shift. It acts on points in grid coordinates centred on the grid's
/// reflection centre as  p'_k = sign_k · p_{source_k} + shift_k  — written `[-y,x]` for the
/// 90° rotation (the image of the point (x, y)), `[-y,x]+shift(4,0)` with a shift in cells.
class GroupElement {
 public:
  /// The identity of an `ndim`-dimensional space.
  static GroupElement identity(int ndim);
  /// Output axis k takes input axis `source[k]` with sign `sign[k]` (±1) and then moves by
  /// `shift[k]` cells. Throws gavel::Error unless `source` is a permutation and signs are ±1.
  GroupElement(int ndim, const std::array<int, kMaxSpatialDims>& source, const std::array<int, kMaxSpatialDims>& sign,
               const std::array<std::int64_t, kMaxSpatialDims>& shift = {0, 0, 0});

  int ndim() const { return ndim_; }
  int source_axis(int k) const { return source_[static_cast<std::size_t>(k)]; }
  int sign(int k) const { return sign_[static_cast<std::size_t>(k)]; }
  std::int64_t shift(int k) const { return shift_[static_cast<std::size_t>(k)]; }
  bool has_shift() const;
  bool is_identity() const;
  /// Entry (row, col) of the signed permutation matrix R (shift excluded).
  int matrix(int row, int col) const { return source_axis(row) == col ? sign(row) : 0; }
  /// det R = ±1; −1 for reflections. Pseudo fields pick this factor up.
  int determinant() const;
  /// The same element without its shift.
  GroupElement point_part() const;
  /// Reduces shifts modulo `periods` (0 = non-periodic axis: the shift must then be zero,
  /// otherwise gavel::Error).
  GroupElement reduced(const std::array<std::int64_t, kMaxSpatialDims>& periods) const;

  friend bool operator==(const GroupElement& a, const GroupElement& b) {
    return a.ndim_ == b.ndim_ && a.source_ == b.source_ && a.sign_ == b.sign_ && a.shift_ == b.shift_;
  }
  friend bool operator!=(const GroupElement& a, const GroupElement& b) { return !(a == b); }
  /// A total order (for sorting and maps): identity first, then proper before improper.
  friend bool operator<(const GroupElement& a, const GroupElement& b);

 private:
  int ndim_;
  std::array<int, kMaxSpatialDims> source_;
  std::array<int, kMaxSpatialDims> sign_;
  std::array<std::int64_t, kMaxSpatialDims> shift_;
};

/// (g ∘ h)(p) = g(h(p)): apply h first. Shifts are not reduced (see GroupElement::reduced).
GroupElement compose(const GroupElement& g, const GroupElement& h);
/// The inverse element (shifts negated and rotated back; not reduced).
GroupElement inverse(const GroupElement& g);
/// Smallest n ≥ 1 with gⁿ = id, shifts reduced modulo `periods`.
int order(const GroupElement& g, const std::array<std::int64_t, kMaxSpatialDims>& periods);

/// All 2^d·d! signed axis permutations of `ndim` dimensions, identity first.
std::vector<GroupElement> hyperoctahedral_group(int ndim);

/// The grid seen after applying `g`: out axis k has the extent and sampling of input axis
/// source_k and its faces swapped where sign_k = −1.
Grid transform_grid(const GroupElement& g, const Grid& grid);

}  // namespace gavel
