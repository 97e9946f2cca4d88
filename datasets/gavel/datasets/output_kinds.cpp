#include "gavel/datasets/output_kinds.hpp"

#include <fstream>
#include <mutex>
#include <string>

#include <H5Cpp.h>
#include <netcdf.h>

#include "gavel/core/error.hpp"
#include "gavel/datasets/hdf5_attributes.hpp"
#include "gavel/datasets/netcdf_common.hpp"

namespace gavel::datasets {
namespace fs = std::filesystem;

namespace {

std::string why_not_well_file(const fs::path& path) {
  H5::Exception::dontPrint();
  if (H5Fis_hdf5(path.c_str()) <= 0) return "it is not an HDF5 file";
  try {
    const H5::H5File file(path.string(), H5F_ACC_RDONLY);
    if (!hdf5::has_attribute(file, "gavel_kind"))
      return "it is an HDF5 file gavel did not write (no gavel_kind attribute)";
    const std::string kind = hdf5::read_string(file, "gavel_kind", path.string());
    if (kind != "well") return "it is gavel's " + kind + " file, not a Well file";
    return {};
  } catch (const H5::Exception&) {
    return "it is an HDF5 file gavel cannot read";
  } catch (const Error&) {
    return "its gavel_kind attribute is not text";
  }
}

std::string why_not_netcdf_file(const fs::path& path) {
  std::lock_guard<std::mutex> lock(netcdf::library_mutex());
  int ncid = -1;
  if (nc_open(path.c_str(), NC_NOWRITE, &ncid) != NC_NOERR) return "it is not a NetCDF file";
  std::string why;
  try {
    if (!netcdf::has_attribute(ncid, NC_GLOBAL, "gavel_version")) {
      why = "it is a NetCDF file gavel did not write (no gavel_version attribute)";
    } else if (netcdf::has_attribute(ncid, NC_GLOBAL, "gavel_kind")) {
      const std::string kind = netcdf::read_text(ncid, NC_GLOBAL, "gavel_kind", path.string());
      if (kind != "netcdf") why = "it is gavel's " + kind + " file, not a NetCDF file";
    }
  } catch (const Error&) {
    why = "its gavel_kind attribute is not text";
  }
  nc_close(ncid);
  return why;
}

std::string why_not_stats_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line.rfind(kStatsHeader, 0) != 0)
    return "it is a file gavel did not write (its first line is not '" + std::string(kStatsHeader) + "')";
  return {};
}

}  // namespace

OutputKind well_file_output() {
  return {"Well HDF5 file", false, "", why_not_well_file};
}
OutputKind netcdf_file_output() {
  return {"NetCDF file", false, "", why_not_netcdf_file};
}
OutputKind stats_file_output() {
  return {"stats.yaml", false, "", why_not_stats_file};
}
OutputKind dataset_folder_output() {
  return {"dataset folder", true, "dataset", {}};
}

}  // namespace gavel::datasets
