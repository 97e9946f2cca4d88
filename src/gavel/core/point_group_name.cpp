#include "gavel/core/point_group_name.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "gavel/core/error.hpp"

namespace gavel {
namespace {

int rotation_order(const GroupElement& g) {
  return order(g, {0, 0, 0});
}

/// Name of a group of proper rotations of 3-space from its order and largest element order.
std::string rotation_group_type(const std::vector<GroupElement>& rotations) {
  int max_order = 1;
  for (const auto& r : rotations)
    max_order = std::max(max_order, rotation_order(r));
  switch (rotations.size()) {
    case 1:
      return "C1";
    case 2:
      return "C2";
    case 3:
      return "C3";
    case 4:
      return max_order == 4 ? "C4" : "D2";
    case 6:
      return "D3";
    case 8:
      return "D4";
    case 12:
      return "T";
    case 24:
      return "O";
    default:
      throw Error("point group: " + std::to_string(rotations.size()) + " rotations do not form a subgroup of O");
  }
}

GroupElement negate(const GroupElement& g) {
  std::array<int, kMaxSpatialDims> source{0, 1, 2};
  std::array<int, kMaxSpatialDims> sign{1, 1, 1};
  for (int k = 0; k < g.ndim(); ++k) {
    source[static_cast<std::size_t>(k)] = g.source_axis(k);
    sign[static_cast<std::size_t>(k)] = -g.sign(k);
  }
  return GroupElement(g.ndim(), source, sign);
}

std::string three_d_type(const std::vector<GroupElement>& elements) {
  std::vector<GroupElement> proper;
  bool has_inversion = false;
  for (const auto& g : elements) {
    if (g.determinant() > 0) proper.push_back(g);
    if (g == negate(GroupElement::identity(3))) has_inversion = true;
  }
  const std::string rotations = rotation_group_type(proper);
  if (proper.size() == elements.size()) return rotations;
  if (has_inversion) {
    static const std::map<std::string, std::string> with_inversion = {{"C1", "Ci"},  {"C2", "C2h"}, {"C3", "S6"},
                                                                      {"C4", "C4h"}, {"D2", "D2h"}, {"D3", "D3d"},
                                                                      {"D4", "D4h"}, {"T", "Th"},   {"O", "Oh"}};
    return with_inversion.at(rotations);
  }
  // No inversion: the improper elements are −r for the rotations r of a group twice as large.
  std::vector<GroupElement> doubled = proper;
  for (const auto& g : elements)
    if (g.determinant() < 0) doubled.push_back(negate(g));
  static const std::map<std::pair<std::string, std::string>, std::string> improper = {
      {{"C2", "C1"}, "Cs"},  {{"C4", "C2"}, "S4"},  {{"D2", "C2"}, "C2v"}, {{"D3", "C3"}, "C3v"},
      {{"D4", "C4"}, "C4v"}, {{"D4", "D2"}, "D2d"}, {{"O", "T"}, "Td"}};
  return improper.at({rotation_group_type(doubled), rotations});
}

std::string two_d_type(const std::vector<GroupElement>& elements) {
  std::size_t proper = 0;
  for (const auto& g : elements)
    if (g.determinant() > 0) ++proper;
  const bool reflections = proper != elements.size();
  switch (elements.size()) {
    case 1:
      return "C1";
    case 2:
      return reflections ? "D1" : "C2";
    case 4:
      return reflections ? "D2" : "C4";
    case 8:
      return "D4";
    default:
      throw Error("point group: " + std::to_string(elements.size()) + " elements do not form a subgroup of D4");
  }
}

}  // namespace

std::string point_group_type(const std::vector<GroupElement>& elements) {
  if (elements.empty()) throw Error("point group: no elements");
  for (const auto& g : elements)
    if (g.has_shift()) throw Error("point group: element with a shift has no point-group symbol");
  switch (elements.front().ndim()) {
    case 1:
      return elements.size() == 1 ? "C1" : "D1";
    case 2:
      return two_d_type(elements);
    default:
      return three_d_type(elements);
  }
}

}  // namespace gavel
