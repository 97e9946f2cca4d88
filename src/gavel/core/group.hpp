#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "gavel/core/group_element.hpp"

namespace gavel {

/// Shift moduli per axis: the axis length on periodic axes, 0 where shifts are not allowed.
using ShiftPeriods = std::array<std::int64_t, kMaxSpatialDims>;

/// A finite group of grid symmetries with its multiplication table. Elements are kept in the
/// canonical order of GroupElement's operator< (identity first), shifts reduced by the periods.
class Group {
 public:
  /// Largest order gavel builds a table for; larger groups (tiny shift steps on big grids)
  /// are refused with a message that says so.
  static constexpr std::size_t kMaxOrder = 4096;

  /// The closure of `generators` (identity included). Throws gavel::Error if an element shifts
  /// along a non-periodic axis or the closure exceeds kMaxOrder.
  static Group generated_by(int ndim, const std::vector<GroupElement>& generators,
                            const ShiftPeriods& periods = {0, 0, 0});

  int ndim() const { return ndim_; }
  std::size_t order() const { return elements_.size(); }
  const ShiftPeriods& periods() const { return periods_; }
  const std::vector<GroupElement>& elements() const { return elements_; }
  const GroupElement& element(std::size_t i) const { return elements_.at(i); }
  /// Index of `g` (shift reduced first) or nothing when g is not in the group.
  std::optional<std::size_t> find(const GroupElement& g) const;
  /// Index of g ∘ h given the indices of g and h.
  std::size_t product(std::size_t g, std::size_t h) const { return table_[g * order() + h]; }
  std::size_t inverse_of(std::size_t g) const { return inverses_.at(g); }
  /// Index of the identity (always 0).
  std::size_t identity_index() const { return 0; }
  bool has_shifts() const;
  /// The elements' indices as a subgroup closure of the given element indices.
  std::vector<std::size_t> closure(const std::vector<std::size_t>& generators) const;
  /// Reduces g's shifts by this group's periods (throws for shifts on non-periodic axes).
  GroupElement reduce(const GroupElement& g) const { return g.reduced(periods_); }

 private:
  Group(int ndim, std::vector<GroupElement> elements, const ShiftPeriods& periods);
  int ndim_;
  ShiftPeriods periods_;
  std::vector<GroupElement> elements_;
  std::map<GroupElement, std::size_t> index_;
  std::vector<std::size_t> table_;
  std::vector<std::size_t> inverses_;
};

}  // namespace gavel
