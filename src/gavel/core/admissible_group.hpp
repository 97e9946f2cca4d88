#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gavel/core/grid.hpp"
#include "gavel/core/group.hpp"
#include "gavel/core/group_element.hpp"

namespace gavel {

/// Shift moduli of a grid: the length of each periodic axis, 0 on the others.
ShiftPeriods shift_periods(const Grid& grid);

/// Why `g` does not map `grid` and its boundary conditions onto themselves, or nothing when it
/// does. Axes may be permuted only among axes of equal length, sampling and boundary
/// conditions, flipped only where both faces carry the same condition, shifted only when
/// periodic (and, when `shift_step` > 0, by multiples of it).
std::optional<std::string> why_not_admissible(const GroupElement& g, const Grid& grid, std::int64_t shift_step = 0);

/// The admissible group of a grid: every signed axis permutation that maps the grid onto
/// itself, plus, when `shift_step` > 0, shifts by multiples of `shift_step` cells along each
/// periodic axis. Throws gavel::Error when the step does not divide a periodic axis length or
/// the group would be too large to tabulate.
Group admissible_group(const Grid& grid, std::int64_t shift_step = 0);

}  // namespace gavel
