#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace gavel {

/// Largest number of spatial dimensions gavel handles (The Well has 2-D and 3-D data).
inline constexpr int kMaxSpatialDims = 3;

/// Boundary condition of one grid face. The numeric values are The Well's codes.
enum class BoundaryCondition : int { wall = 0, open = 1, periodic = 2 };

/// Where samples sit along an axis: at cell centres (The Well's default) or at nodes.
enum class Sampling : int { cell_centred = 0, node_centred = 1 };

/// Which end of an axis a face is.
enum class Face : int { low = 0, high = 1 };

std::string to_string(BoundaryCondition bc);
std::string to_string(Sampling sampling);
/// Accepts periodic/wall/open (any case); throws gavel::Error naming the bad word otherwise.
BoundaryCondition parse_boundary_condition(const std::string& word);
/// Accepts cell/cell_centred/cell-centered and node/node_centred/node-centered.
Sampling parse_sampling(const std::string& word);

/// A Cartesian grid of 1–3 spatial dimensions: per-axis length, sampling and a boundary
/// condition on each of the two faces of every axis. Axes are x, y, z in `spatial_dims` order.
class Grid {
 public:
  /// A grid whose faces all carry `bc` and whose axes all use `sampling`.
  Grid(std::vector<std::int64_t> shape, BoundaryCondition bc = BoundaryCondition::periodic,
       Sampling sampling = Sampling::cell_centred);
  /// `face_bc[k]` holds the (low, high) conditions of axis k.
  Grid(std::vector<std::int64_t> shape, std::vector<std::array<BoundaryCondition, 2>> face_bc,
       std::vector<Sampling> sampling);

  int ndim() const { return static_cast<int>(shape_.size()); }
  std::int64_t extent(int axis) const { return shape_.at(axis); }
  const std::vector<std::int64_t>& shape() const { return shape_; }
  std::int64_t num_points() const;
  BoundaryCondition bc(int axis, Face face) const { return face_bc_.at(axis)[static_cast<int>(face)]; }
  Sampling sampling(int axis) const { return sampling_.at(axis); }
  /// Both faces periodic.
  bool is_periodic(int axis) const;
  /// Index of the mirror image of sample 0 under the reflection of this axis:
  /// N−1 for cell-centred or non-periodic node-centred axes, 0 for node-centred periodic ones
  /// (so the flip is i ↦ (c − i) mod N).
  std::int64_t reflection_offset(int axis) const;

  /// "128x128" style shape text.
  std::string shape_string() const;

  friend bool operator==(const Grid& a, const Grid& b) {
    return a.shape_ == b.shape_ && a.face_bc_ == b.face_bc_ && a.sampling_ == b.sampling_;
  }

 private:
  void validate() const;
  std::vector<std::int64_t> shape_;
  std::vector<std::array<BoundaryCondition, 2>> face_bc_;
  std::vector<Sampling> sampling_;
};

/// Parses the command-line form of boundary conditions for an `ndim`-dimensional grid:
/// one word for all faces, one per axis (both faces), or one per face in the order
/// x low, x high, y low, y high, ... Throws gavel::Error for any other count or word.
std::vector<std::array<BoundaryCondition, 2>> parse_face_conditions(const std::string& text, int ndim);

/// Parses "128,128" or "128x128" into a shape of 1–3 positive extents.
std::vector<std::int64_t> parse_shape(const std::string& text);

}  // namespace gavel
