#pragma once

#include <string>
#include <vector>

#include "gavel/core/group_element.hpp"

namespace gavel {

/// Bracket notation of an element: the image of the point (x, y[, z]), e.g. "[-y,x]", with
/// "+shift(dx,dy)" appended when the element shifts.
std::string notation(const GroupElement& g);

/// The common name of an element ("rot90", "flip_x", "rot90_z", "transpose_xy", ...), with
/// "+shift(..)" appended when it shifts; the bracket notation where it has no common name.
std::string element_name(const GroupElement& g);

/// Parses a common name, bracket notation ("[-y,x]"), a shift ("shift(4,0)") or a sum of an
/// element and a shift ("rot90+shift(4,0)") for an `ndim`-dimensional grid. Throws gavel::Error
/// naming the text and the problem; the message lists the common names of that dimension.
GroupElement parse_element(const std::string& text, int ndim);

/// Position of g's point part in the table of common names (id first, then rotations, then
/// reflections), or the table's size when it has no common name: a presentation order.
std::size_t common_name_rank(const GroupElement& g);

/// The common names known in `ndim` dimensions (for help texts and error messages).
std::vector<std::string> common_element_names(int ndim);

}  // namespace gavel
