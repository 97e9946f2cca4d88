#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gavel/core/grid.hpp"
#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

/// How a NetCDF file is read; everything else comes from the file (see datasets/NETCDF.md).
struct NetcdfReadOptions {
  /// (low, high) per axis in x, y, z order, e.g. from `parse_face_conditions("periodic", ndim)`;
  /// replaces whatever the file's attributes say. Empty: the file's attributes, else OPEN.
  std::optional<std::vector<std::array<BoundaryCondition, 2>>> boundary;
};

/// A CF-style NetCDF file (netCDF-4 or classic) seen through the Well data model.
///
/// The root group's dimensions are recognised by the CF `axis` attribute (X, Y, Z, T) of their
/// coordinate variables, by `standard_name`, or by name (x, y, z; time, t; trajectory, sample,
/// realization, member, ensemble); an unlimited dimension with no other role is time. Every
/// variable over the spatial dimensions is a field component: scalars by their own name, vector
/// and tensor components grouped by the attributes `gavel_field` / `gavel_component` or by the
/// naming rule `<name>_x`, `<name>_y`[, `<name>_z`] (vector) and `<name>_xx`, `<name>_xy`, …
/// (tensor). The data are exposed with the spatial axes in x, y, z order — The Well's order —
/// whatever their order in the file (`(time, z, y, x)` is transposed while reading), and vector
/// and tensor components follow the same axis order. Values are converted to float32 with CF
/// packing (`scale_factor`, `add_offset`) applied and `_FillValue` / `missing_value` read as NaN.
///
/// The file stays open; frames are read on demand. Calls are serialised on one process-wide lock
/// (the netCDF library is not thread-safe).
class NetcdfSource : public FieldSource {
 public:
  /// Opens and validates `path`. Throws gavel::Error naming the file, the variable or dimension
  /// and the problem: no such file, not NetCDF, no recognisable spatial dimension, a component
  /// missing, shapes or dimensions that disagree, a type that does not convert to float.
  explicit NetcdfSource(const std::string& path, const NetcdfReadOptions& options = {});
  ~NetcdfSource() override;
  NetcdfSource(const NetcdfSource&) = delete;
  NetcdfSource& operator=(const NetcdfSource&) = delete;

  const WellFileInfo& info() const override;
  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override;
  void read_constant(std::size_t field, std::int64_t trajectory, float* out) const override;

  /// The NetCDF variables holding field `field`, one per component in component order.
  std::vector<std::string> variable_names(std::size_t field) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Suffixes of the component variables of a field of rank `order` (0, 1, 2) on `ndim` axes, in
/// component order: `{""}` for a scalar, `{"x", "y"}` for a 2-D vector, `{"xx", "xy", "yx", "yy"}`
/// for a 2-D tensor. A component variable is named `<field>_<suffix>`.
std::vector<std::string> netcdf_component_suffixes(int order, int ndim);

/// Whether `path` looks like a NetCDF file: a classic signature (`CDF\1`, `CDF\2`, `CDF\5`), or a
/// `.nc`, `.nc4`, `.cdf` or `.netcdf` name. (netCDF-4 files are HDF5 files inside.)
bool looks_like_netcdf(const std::string& path);

}  // namespace gavel::datasets
