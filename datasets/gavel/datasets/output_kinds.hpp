#pragma once

#include "gavel/core/output_kind.hpp"

namespace gavel::datasets {

/// The outputs of the datasets library, each recognised by what gavel stamps into it, so that
/// `--overwrite` replaces only its own files and folders.

/// A Well HDF5 file gavel wrote: root attribute `gavel_kind = "well"` (and `gavel_version`).
OutputKind well_file_output();
/// A NetCDF file gavel wrote: global attribute `gavel_version`, and `gavel_kind = "netcdf"`
/// where present.
OutputKind netcdf_file_output();
/// A stats.yaml gavel wrote: its first line is the comment kStatsHeader.
OutputKind stats_file_output();
/// A dataset folder `gavel generate` wrote: gavel's marker of kind "dataset".
OutputKind dataset_folder_output();

/// The first line of every stats.yaml gavel writes (a YAML comment).
inline constexpr const char* kStatsHeader = "# statistics written by gavel";

}  // namespace gavel::datasets
