// libFuzzer harness: NetCDF attributes as gavel reads them. Each input is a recipe: the first
// byte picks the format (CDF-5, or for one value in 32 netCDF-4, whose string attributes CDF-5
// lacks but whose files take 30 times longer to write) and a few layout choices;
// the rest is a list of attributes (target variable, name, type, values) put on a small CF-style
// file (x, y, time and three field variables). The file is then read through the attribute
// helpers of netcdf_common and through NetcdfSource (roles, fields, boundary conditions,
// packing, fill values) and one frame is read. Only gavel::Error may escape. The bytes never
// reach netCDF's own file-format parser (not gavel's code), only gavel's reading of what the
// library returns.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <netcdf.h>

#include "gavel/core/error.hpp"
#include "gavel/datasets/netcdf_common.hpp"
#include "gavel/datasets/netcdf_source.hpp"

namespace {

/// Attribute names gavel looks at, and a few it does not.
const char* const kNames[] = {"axis",
                              "standard_name",
                              "positive",
                              "gavel_bc",
                              "gavel_bc_x",
                              "gavel_bc_y",
                              "gavel_field",
                              "gavel_component",
                              "gavel_parity",
                              "scale_factor",
                              "add_offset",
                              "_FillValue",
                              "missing_value",
                              "dataset_name",
                              "grid_type",
                              "simulation_parameters",
                              "Re",
                              "coordinates",
                              "ancillary_variables",
                              "units"};
constexpr std::size_t kNameCount = sizeof kNames / sizeof kNames[0];

const nc_type kTypes[] = {NC_CHAR, NC_CHAR,  NC_BYTE,   NC_UBYTE, NC_SHORT,  NC_USHORT, NC_INT,
                          NC_UINT, NC_INT64, NC_UINT64, NC_FLOAT, NC_DOUBLE, NC_STRING};
constexpr std::size_t kTypeCount = sizeof kTypes / sizeof kTypes[0];

std::size_t type_size(nc_type type) {
  switch (type) {
    case NC_CHAR:
    case NC_BYTE:
    case NC_UBYTE:
      return 1;
    case NC_SHORT:
    case NC_USHORT:
      return 2;
    case NC_INT:
    case NC_UINT:
    case NC_FLOAT:
      return 4;
    default:
      return 8;
  }
}

struct Reader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  bool done() const { return at >= size; }
  std::uint8_t byte() { return at < size ? data[at++] : 0; }
  std::string bytes(std::size_t n) {
    n = std::min(n, size - std::min(at, size));
    std::string out(reinterpret_cast<const char*>(data + at), n);
    at += n;
    return out;
  }
};

/// Writes the recipe's file to `path`; false when netCDF refuses the recipe (nothing to read).
bool write_file(const std::string& path, Reader& in) {
  const std::uint8_t layout = in.byte();
  const bool netcdf4 = (layout & 0xf1) == 0xf1;
  int ncid = 0;
  if (nc_create(path.c_str(), NC_CLOBBER | (netcdf4 ? NC_NETCDF4 : NC_64BIT_DATA), &ncid) != NC_NOERR) return false;
  int x = 0, y = 0, t = 0;
  nc_def_dim(ncid, (layout & 2) ? "lon" : "x", 4, &x);
  nc_def_dim(ncid, "y", 3, &y);
  nc_def_dim(ncid, "time", (layout & 4) ? NC_UNLIMITED : 2, &t);
  std::vector<int> vars;
  int id = 0;
  if (nc_def_var(ncid, (layout & 2) ? "lon" : "x", NC_DOUBLE, 1, &x, &id) == NC_NOERR) vars.push_back(id);
  if (nc_def_var(ncid, "y", NC_FLOAT, 1, &y, &id) == NC_NOERR) vars.push_back(id);
  if (nc_def_var(ncid, "time", NC_DOUBLE, 1, &t, &id) == NC_NOERR) vars.push_back(id);
  const int field_dims[] = {t, y, x};
  for (const char* name : {"u", "velocity_x", "velocity_y"})
    if (nc_def_var(ncid, name, (layout & 8) ? NC_SHORT : NC_FLOAT, 3, field_dims, &id) == NC_NOERR) vars.push_back(id);
  while (!in.done()) {
    const std::uint8_t target = in.byte();
    const int varid = target % (vars.size() + 1) == 0 ? NC_GLOBAL : vars[target % (vars.size() + 1) - 1];
    const std::uint8_t which = in.byte();
    const std::string name = which < 0xf0 ? kNames[which % kNameCount] : "a" + in.bytes(which & 0x0f);
    const nc_type type = kTypes[in.byte() % kTypeCount];
    const std::size_t length = in.byte() % 8;
    if (type == NC_STRING) {
      std::vector<std::string> texts;
      for (std::size_t i = 0; i < length; ++i)
        texts.push_back(in.bytes(in.byte() % 16));
      std::vector<const char*> pointers;
      for (const auto& s : texts)
        pointers.push_back(s.c_str());
      nc_put_att_string(ncid, varid, name.c_str(), pointers.size(), pointers.data());
    } else if (type == NC_CHAR) {
      const std::string text = in.bytes(in.byte() % 24);
      nc_put_att_text(ncid, varid, name.c_str(), text.size(), text.data());
    } else {
      std::string values = in.bytes(length * type_size(type));
      values.resize(length * type_size(type), '\0');
      nc_put_att(ncid, varid, name.c_str(), type, length, values.data());
    }
  }
  if (nc_enddef(ncid) != NC_NOERR) {
    nc_close(ncid);
    return false;
  }
  const double xs[] = {0, 1, 2, 3}, times[] = {0, 0.5};
  const float ys[] = {0, 1, 2};
  const std::size_t start[] = {0, 0, 0}, count[] = {2, 3, 4};
  std::vector<float> values(24);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<float>(i) - 7.0f;
  nc_put_var_double(ncid, vars[0], xs);
  nc_put_var_float(ncid, vars[1], ys);
  nc_put_vara_double(ncid, vars[2], start, count, times);
  for (std::size_t v = 3; v < vars.size(); ++v)
    nc_put_vara_float(ncid, vars[v], start, count, values.data());
  return nc_close(ncid) == NC_NOERR;
}

void read_attributes(const std::string& path) {
  namespace nc = gavel::datasets::netcdf;
  int ncid = 0;
  if (nc_open(path.c_str(), NC_NOWRITE, &ncid) != NC_NOERR) return;
  int nvars = 0;
  nc_inq_nvars(ncid, &nvars);
  for (int varid = NC_GLOBAL; varid < nvars; ++varid) {
    int natts = 0;
    if (nc_inq_varnatts(ncid, varid, &natts) != NC_NOERR) continue;
    for (int a = 0; a < natts; ++a) {
      char name[NC_MAX_NAME + 1] = {0};
      if (nc_inq_attname(ncid, varid, a, name) != NC_NOERR) continue;
      if (!nc::has_attribute(ncid, varid, name)) std::abort();
      for (int reader = 0; reader < 3; ++reader) {
        try {
          if (reader == 0) nc::lower(nc::read_text(ncid, varid, name, "fuzz.nc"));
          if (reader == 1) nc::read_text_list(ncid, varid, name, "fuzz.nc");
          if (reader == 2) nc::read_numbers(ncid, varid, name, "fuzz.nc");
        } catch (const gavel::Error&) {
        }
      }
    }
  }
  nc_close(ncid);
}

/// In $GAVEL_FUZZ_SCRATCH (run.sh's temporary folder, removed after the run; libFuzzer's exit
/// skips atexit handlers), else /dev/shm.
const std::string& scratch_path() {
  static const std::string path = [] {
    const char* folder = std::getenv("GAVEL_FUZZ_SCRATCH");
    return std::string(folder ? folder : "/dev/shm") + "/gavel-fuzz-netcdf-" + std::to_string(::getpid()) + ".nc";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = scratch_path();
  Reader in{data, size};
  if (!write_file(path, in)) return 0;
  read_attributes(path);
  try {
    const gavel::datasets::NetcdfSource source(path);
    const auto& info = source.info();
    if (!info.fields.empty()) {
      std::vector<float> frame(static_cast<std::size_t>(gavel::datasets::frame_size(info, info.fields[0])));
      if (info.fields[0].time_varying)
        source.read_frames(0, 0, 0, 1, 1, frame.data());
      else
        source.read_constant(0, 0, frame.data());
    }
  } catch (const gavel::Error&) {
  }
  return 0;
}
