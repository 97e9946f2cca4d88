#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gavel/core/field_layout.hpp"
#include "gavel/core/grid.hpp"

namespace gavel::datasets {

/// One field of a Well file: `t0_fields` (scalar), `t1_fields` (vector) or `t2_fields` (tensor).
struct WellField {
  std::string name;
  int order = 0;        ///< 0, 1 or 2: the group it lives in
  bool pseudo = false;  ///< from the attribute `gavel_parity = "pseudo"` (The Well records no parity)
  bool time_varying = true;
  bool sample_varying = true;
  std::vector<std::int64_t> shape;  ///< as stored: [B,] [T,] *space [, D [, D]]
  /// Per spatial axis: false where the field is constant along it and stored with extent 1
  /// (readers broadcast it, as the_well tiles it). Empty means varying along every axis.
  std::vector<bool> dim_varying;
  bool varies_along(int axis) const { return dim_varying.empty() || dim_varying[static_cast<std::size_t>(axis)]; }
  FieldKind kind() const { return static_cast<FieldKind>(order); }
  FieldSpec spec() const { return {name, kind(), pseudo}; }
};

/// One entry of `/scalars`: a number per file, per trajectory and/or per time step.
struct WellScalar {
  std::string name;
  bool time_varying = false;
  bool sample_varying = false;
  std::vector<double> values;  ///< [B,] [T,] flattened; one value when neither varies
};

/// The structure of one Well HDF5 file, validated: root attributes, dimensions, the boundary
/// condition of every face reduced exactly as the_well's WellDataset does, and the fields in
/// The Well's channel order (t0, then t1, then t2, each in `field_names` order).
struct WellFileInfo {
  std::string path;
  std::string dataset_name;
  std::string grid_type;
  std::int64_t n_trajectories = 0;
  std::int64_t n_steps = 0;
  std::vector<std::string> spatial_dims;
  std::vector<std::int64_t> spatial_shape;
  /// `/dimensions/<axis>` values, one vector per spatial axis.
  std::vector<std::vector<double>> coordinates;
  /// `/dimensions/time`: T values, or B×T (trajectory-major) when `time_per_trajectory`.
  std::vector<double> time;
  bool time_per_trajectory = false;
  std::vector<WellScalar> scalars;
  std::vector<std::pair<std::string, double>> simulation_parameters;
  /// (low, high) per axis in spatial_dims order: OPEN unless a boundary-condition group sets it
  /// (WALL when its mask covers the whole face, OPEN/PERIODIC when it touches it), later groups
  /// in name order overriding earlier ones.
  std::vector<std::array<BoundaryCondition, 2>> boundary;
  std::vector<WellField> fields;

  /// The time values of one trajectory's steps.
  std::vector<double> trajectory_time(std::int64_t trajectory) const;
  int ndim() const { return static_cast<int>(spatial_shape.size()); }
  bool cartesian() const { return grid_type == "cartesian"; }
  /// The cell-centred grid with the file's boundary conditions. Throws gavel::Error for a
  /// non-Cartesian grid (no grid symmetry applies) or one-sided periodicity.
  Grid grid() const;
  /// Fields that vary in time, and those that do not (The Well's constant fields).
  std::vector<WellField> time_varying_fields() const;
  std::vector<WellField> constant_fields() const;
  /// Model-input layout: `time_steps` copies of the time-varying fields, then the constant ones.
  ChannelLayout channel_layout(int time_steps) const;
};

/// Overrides parity from the command line (The Well's format records none): fields named in
/// `pseudo` become pseudo, those in `polar` ordinary. Throws gavel::Error for a name that is not
/// a field of `info`, or one named in both lists.
void override_parity(WellFileInfo& info, const std::vector<std::string>& pseudo, const std::vector<std::string>& polar);

/// Reads and validates the structure of a Well file (no field data is read). Throws gavel::Error
/// naming the file, the HDF5 object and the problem for anything malformed.
WellFileInfo read_well_file(const std::string& path);

}  // namespace gavel::datasets
