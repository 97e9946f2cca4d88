#pragma once

#include <string>
#include <vector>

#include "gavel/core/group_element.hpp"

namespace gavel {

/// Structural symbol of a group of signed axis permutations without shifts (the elements must
/// form a group): 1-D C1, D1; 2-D C1, C2, D1, C4, D2, D4; 3-D the Schoenflies symbol of the
/// point group (C1 … Oh — e.g. C4v, D2d, Td, O, Oh).
std::string point_group_type(const std::vector<GroupElement>& elements);

}  // namespace gavel
