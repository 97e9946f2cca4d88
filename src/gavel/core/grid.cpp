#include "gavel/core/grid.hpp"

#include "gavel/core/shape_text.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "gavel/core/error.hpp"

namespace gavel {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_list(const std::string& text, const std::string& separators) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (separators.find(c) != std::string::npos) {
      parts.push_back(trim(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(trim(current));
  return parts;
}

}  // namespace

std::string to_string(BoundaryCondition bc) {
  switch (bc) {
    case BoundaryCondition::wall:
      return "wall";
    case BoundaryCondition::open:
      return "open";
    case BoundaryCondition::periodic:
      return "periodic";
  }
  return "unknown";
}

std::string to_string(Sampling sampling) {
  return sampling == Sampling::cell_centred ? "cell_centred" : "node_centred";
}

BoundaryCondition parse_boundary_condition(const std::string& word) {
  const std::string w = lower(trim(word));
  if (w == "periodic") return BoundaryCondition::periodic;
  if (w == "wall") return BoundaryCondition::wall;
  if (w == "open") return BoundaryCondition::open;
  throw Error("unknown boundary condition '" + word + "' (expected periodic, wall or open)");
}

Sampling parse_sampling(const std::string& word) {
  const std::string w = lower(trim(word));
  if (w == "cell" || w == "cell_centred" || w == "cell-centred" || w == "cell_centered" || w == "cell-centered")
    return Sampling::cell_centred;
  if (w == "node" || w == "node_centred" || w == "node-centred" || w == "node_centered" || w == "node-centered")
    return Sampling::node_centred;
  throw Error("unknown sampling '" + word + "' (expected cell or node)");
}

Grid::Grid(std::vector<std::int64_t> shape, BoundaryCondition bc, Sampling sampling)
    : shape_(std::move(shape)),
      face_bc_(shape_.size(), std::array<BoundaryCondition, 2>{bc, bc}),
      sampling_(shape_.size(), sampling) {
  validate();
}

Grid::Grid(std::vector<std::int64_t> shape, std::vector<std::array<BoundaryCondition, 2>> face_bc,
           std::vector<Sampling> sampling)
    : shape_(std::move(shape)), face_bc_(std::move(face_bc)), sampling_(std::move(sampling)) {
  validate();
}

void Grid::validate() const {
  if (shape_.empty() || shape_.size() > static_cast<std::size_t>(kMaxSpatialDims))
    throw Error("grid: " + std::to_string(shape_.size()) + " spatial dimensions given, 1 to 3 supported");
  for (std::size_t k = 0; k < shape_.size(); ++k)
    if (shape_[k] <= 0)
      throw Error("grid: axis " + std::to_string(k) + " has non-positive length " + std::to_string(shape_[k]));
  if (face_bc_.size() != shape_.size())
    throw Error("grid: " + std::to_string(face_bc_.size()) + " boundary-condition pairs for " +
                std::to_string(shape_.size()) + " axes");
  if (sampling_.size() != shape_.size())
    throw Error("grid: " + std::to_string(sampling_.size()) + " sampling entries for " + std::to_string(shape_.size()) +
                " axes");
  for (std::size_t k = 0; k < shape_.size(); ++k) {
    const bool low_periodic = face_bc_[k][0] == BoundaryCondition::periodic;
    const bool high_periodic = face_bc_[k][1] == BoundaryCondition::periodic;
    if (low_periodic != high_periodic)
      throw Error("grid: axis " + std::to_string(k) + " is periodic on one face only (" + to_string(face_bc_[k][0]) +
                  ", " + to_string(face_bc_[k][1]) + ")");
  }
}

std::int64_t Grid::num_points() const {
  std::int64_t n = 1;
  for (auto e : shape_)
    n *= e;
  return n;
}

bool Grid::is_periodic(int axis) const {
  return face_bc_.at(axis)[0] == BoundaryCondition::periodic && face_bc_.at(axis)[1] == BoundaryCondition::periodic;
}

std::int64_t Grid::reflection_offset(int axis) const {
  if (sampling(axis) == Sampling::node_centred && is_periodic(axis)) return 0;
  return extent(axis) - 1;
}

std::string Grid::shape_string() const {
  return extents_text(shape_);
}

std::vector<std::array<BoundaryCondition, 2>> parse_face_conditions(const std::string& text, int ndim) {
  const auto words = split_list(text, ",");
  std::vector<BoundaryCondition> parsed;
  for (const auto& w : words)
    parsed.push_back(parse_boundary_condition(w));
  std::vector<std::array<BoundaryCondition, 2>> faces(static_cast<std::size_t>(ndim));
  const std::size_t n = parsed.size();
  for (int k = 0; k < ndim; ++k) {
    auto& f = faces[static_cast<std::size_t>(k)];
    if (n == 1) {
      f = {parsed[0], parsed[0]};
    } else if (n == static_cast<std::size_t>(ndim)) {
      f = {parsed[k], parsed[k]};
    } else if (n == static_cast<std::size_t>(2 * ndim)) {
      f = {parsed[2 * k], parsed[2 * k + 1]};
    } else {
      throw Error("boundary conditions '" + text + "': " + std::to_string(n) + " values for a " + std::to_string(ndim) +
                  "-D grid (give 1, " + std::to_string(ndim) + " or " + std::to_string(2 * ndim) + ")");
    }
  }
  return faces;
}

std::vector<std::int64_t> parse_shape(const std::string& text) {
  const auto words = split_list(text, ",x");
  std::vector<std::int64_t> shape;
  for (const auto& w : words) {
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(w, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (w.empty() || used != w.size() || value <= 0)
      throw Error("shape '" + text + "': '" + w + "' is not a positive integer");
    shape.push_back(value);
  }
  if (shape.size() > static_cast<std::size_t>(kMaxSpatialDims))
    throw Error("shape '" + text + "': " + std::to_string(shape.size()) + " axes, at most 3 supported");
  return shape;
}

}  // namespace gavel
