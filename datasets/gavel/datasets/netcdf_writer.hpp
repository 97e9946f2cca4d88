#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

/// Options of `write_netcdf`.
struct NetcdfWriteOptions {
  /// Replace an existing NetCDF file gavel wrote at the output path (atomically, by rename; never
  /// anything else, see AtomicOutput). Without it an existing path is an error.
  bool overwrite = false;
  /// Paths the command reads: the output may be none of them, nor hold one.
  std::vector<std::string> inputs;
  /// Extra global attributes (model, group, metric, …), written as text after gavel's own. A name
  /// gavel writes itself (Conventions, dataset_name, gavel_bc_x, …) is an error.
  std::vector<std::pair<std::string, std::string>> attributes;
  /// `units` attribute per field name; fields not listed get none.
  std::map<std::string, std::string> units;
  /// zlib level 0–9 for the field variables (with the shuffle filter); 0 writes uncompressed.
  int deflate_level = 0;
};

/// Writes every field of `source` to a CF-1.8 NetCDF-4 file that xarray and the NetCDF reader
/// (`NetcdfSource`) open with the same structure, streaming one frame at a time.
///
/// Dimensions `trajectory` (when a field or scalar varies across trajectories, or there are
/// several), `time`, then the spatial dimensions in reverse (`z, y, x`: x varies fastest, CF's
/// order), named as in `info().spatial_dims`, each with a coordinate variable (`axis` X/Y/Z by
/// position, values from `info().coordinates`, else indices). A scalar field is one variable
/// named after it; vector and tensor components are variables `<field>_x`, `<field>_xy`, …
/// carrying `gavel_field`, `gavel_component`, `gavel_parity` (pseudo fields), `long_name` and
/// `units`. Global attributes: Conventions, dataset_name, grid_type, gavel_version, gavel_kind, gavel_bc_x,
/// … (boundary conditions per axis), simulation parameters, then `options.attributes`.
///
/// The file is written under a temporary name in the output's folder and renamed into place when
/// complete: a failure leaves nothing behind. Throws gavel::Error naming the file, the object and
/// the problem.
void write_netcdf(const FieldSource& source, const std::string& path, const NetcdfWriteOptions& options = {});

}  // namespace gavel::datasets
