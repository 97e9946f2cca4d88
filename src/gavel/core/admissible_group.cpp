#include "gavel/core/admissible_group.hpp"

#include <string>
#include <vector>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"

namespace gavel {
namespace {

constexpr const char* kAxisNames[] = {"x", "y", "z"};

std::string face_name(int axis, Face face) {
  return std::string(kAxisNames[axis]) + (face == Face::low ? " low" : " high");
}

}  // namespace

ShiftPeriods shift_periods(const Grid& grid) {
  ShiftPeriods periods{0, 0, 0};
  for (int k = 0; k < grid.ndim(); ++k)
    if (grid.is_periodic(k)) periods[static_cast<std::size_t>(k)] = grid.extent(k);
  return periods;
}

std::optional<std::string> why_not_admissible(const GroupElement& g, const Grid& grid, std::int64_t shift_step) {
  const std::string who = element_name(g);
  if (g.ndim() != grid.ndim())
    return who + " is a " + std::to_string(g.ndim()) + "-D element but the grid is " + std::to_string(grid.ndim()) +
           "-D";
  for (int k = 0; k < g.ndim(); ++k) {
    const int m = g.source_axis(k);
    if (m != k && grid.extent(m) != grid.extent(k))
      return who + " maps axis " + kAxisNames[m] + " (length " + std::to_string(grid.extent(m)) + ") onto axis " +
             kAxisNames[k] + " (length " + std::to_string(grid.extent(k)) + "): rotations need equal lengths";
    if (m != k && grid.sampling(m) != grid.sampling(k))
      return who + " maps axis " + kAxisNames[m] + " (" + to_string(grid.sampling(m)) + ") onto axis " + kAxisNames[k] +
             " (" + to_string(grid.sampling(k)) + ")";
    for (Face face : {Face::low, Face::high}) {
      const Face source_face = g.sign(k) > 0 ? face : (face == Face::low ? Face::high : Face::low);
      if (grid.bc(m, source_face) != grid.bc(k, face))
        return who + " maps the " + face_name(m, source_face) + " face (" + to_string(grid.bc(m, source_face)) +
               ") onto the " + face_name(k, face) + " face (" + to_string(grid.bc(k, face)) + ")";
    }
    if (g.shift(k) != 0) {
      if (!grid.is_periodic(k)) return who + " shifts along the non-periodic axis " + kAxisNames[k];
      if (shift_step > 0 && g.shift(k) % shift_step != 0)
        return who + " shifts axis " + kAxisNames[k] + " by " + std::to_string(g.shift(k)) +
               " cells, not a multiple of the shift step " + std::to_string(shift_step);
    }
  }
  return std::nullopt;
}

Group admissible_group(const Grid& grid, std::int64_t shift_step) {
  if (shift_step < 0) throw Error("shift step " + std::to_string(shift_step) + " is negative");
  std::vector<GroupElement> generators;
  for (const auto& g : hyperoctahedral_group(grid.ndim()))
    if (!why_not_admissible(g, grid)) generators.push_back(g);
  if (shift_step > 0) {
    for (int k = 0; k < grid.ndim(); ++k) {
      if (!grid.is_periodic(k)) continue;
      if (grid.extent(k) % shift_step != 0)
        throw Error("shift step " + std::to_string(shift_step) + " does not divide the length " +
                    std::to_string(grid.extent(k)) + " of periodic axis " + kAxisNames[k]);
      std::array<std::int64_t, kMaxSpatialDims> shift{0, 0, 0};
      shift[static_cast<std::size_t>(k)] = shift_step;
      generators.emplace_back(grid.ndim(), std::array<int, kMaxSpatialDims>{0, 1, 2},
                              std::array<int, kMaxSpatialDims>{1, 1, 1}, shift);
    }
  }
  return Group::generated_by(grid.ndim(), generators, shift_periods(grid));
}

}  // namespace gavel
