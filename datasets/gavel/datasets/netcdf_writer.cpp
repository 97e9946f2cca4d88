#include "gavel/datasets/netcdf_writer.hpp"

#include <filesystem>
#include <mutex>
#include <set>

#include <netcdf>

#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/version.hpp"
#include "gavel/datasets/netcdf_common.hpp"
#include "gavel/datasets/netcdf_source.hpp"
#include "gavel/datasets/output_kinds.hpp"

namespace gavel::datasets {
namespace {

namespace fs = std::filesystem;
using netCDF::exceptions::NcException;

/// Chunks of at most this many bytes: whole frames where they fit, else slabs of the slowest axes.
constexpr std::int64_t kChunkBytes = std::int64_t{16} << 20;

struct ComponentVar {
  std::string name;
  std::string suffix;
  netCDF::NcVar var;
};

struct FieldVars {
  std::vector<ComponentVar> components;
  std::vector<std::string> dims;  ///< the variable's dimensions, outermost first
};

std::string bc_text(const std::array<BoundaryCondition, 2>& faces) {
  if (faces[0] == faces[1]) return to_string(faces[0]);
  return to_string(faces[0]) + "," + to_string(faces[1]);
}

std::string component_label(const std::string& suffix) {
  return suffix.size() == 1 ? suffix + " component" : suffix + " entry";
}

/// Everything the file will hold, checked before anything is created.
struct Layout {
  bool trajectory_dim = false;
  std::vector<std::string> spatial_reversed;  ///< z, y, x
  std::vector<FieldVars> fields;
  std::set<std::string> names;  ///< dimension and variable names in use
  std::vector<std::pair<std::string, std::string>> text_attributes;
  std::vector<std::pair<std::string, double>> number_attributes;
};

Layout plan(const WellFileInfo& info, const NetcdfWriteOptions& options, const std::string& path) {
  Layout layout;
  const int ndim = info.ndim();
  if (ndim < 1 || ndim > kMaxSpatialDims)
    throw Error(path + ": the source has " + std::to_string(ndim) + " spatial axes, 1 to 3 supported");
  if (info.spatial_dims.size() != info.spatial_shape.size())
    throw Error(path + ": the source names " + std::to_string(info.spatial_dims.size()) + " spatial dims for " +
                std::to_string(ndim) + " axes");
  if (options.deflate_level < 0 || options.deflate_level > 9)
    throw Error(path + ": deflate level " + std::to_string(options.deflate_level) + " (expected 0 to 9)");
  if (info.boundary.size() != info.spatial_shape.size())
    throw Error(path + ": the source gives boundary conditions for " + std::to_string(info.boundary.size()) +
                " axes, it has " + std::to_string(ndim));

  layout.trajectory_dim = info.n_trajectories > 1 || info.time_per_trajectory;
  for (const auto& f : info.fields)
    layout.trajectory_dim = layout.trajectory_dim || f.sample_varying;
  for (const auto& s : info.scalars)
    layout.trajectory_dim = layout.trajectory_dim || s.sample_varying;

  auto claim = [&](const std::string& name, const std::string& what) {
    if (name.empty()) throw Error(path + ": " + what + " has an empty name");
    if (!layout.names.insert(name).second)
      throw Error(path + ": " + what + " is named '" + name + "', a name already in use in the file");
  };
  claim("time", "the time dimension");
  if (layout.trajectory_dim) claim("trajectory", "the trajectory dimension");
  for (int k = ndim - 1; k >= 0; --k) {
    const std::string& name = info.spatial_dims[static_cast<std::size_t>(k)];
    claim(name, "spatial dimension " + std::to_string(k));
    layout.spatial_reversed.push_back(name);
  }
  if (info.time_per_trajectory) claim("trajectory_time", "the per-trajectory time variable");

  for (const auto& f : info.fields) {
    if (f.order < 0 || f.order > 2)
      throw Error(path + ": field '" + f.name + "' has tensor order " + std::to_string(f.order));
    FieldVars vars;
    if (f.sample_varying) vars.dims.push_back("trajectory");
    if (f.time_varying) vars.dims.push_back("time");
    vars.dims.insert(vars.dims.end(), layout.spatial_reversed.begin(), layout.spatial_reversed.end());
    for (const auto& suffix : netcdf_component_suffixes(f.order, ndim)) {
      const std::string name = suffix.empty() ? f.name : f.name + "_" + suffix;
      claim(name, "the variable of field '" + f.name + "'" + (suffix.empty() ? "" : " " + component_label(suffix)));
      vars.components.push_back({name, suffix, {}});
    }
    layout.fields.push_back(std::move(vars));
  }
  for (const auto& s : info.scalars) {
    claim(s.name, "scalar '" + s.name + "'");
    std::size_t expected = 1;
    if (s.sample_varying) expected *= static_cast<std::size_t>(info.n_trajectories);
    if (s.time_varying) expected *= static_cast<std::size_t>(info.n_steps);
    if (s.values.size() != expected)
      throw Error(path + ": scalar '" + s.name + "' has " + std::to_string(s.values.size()) + " values, expected " +
                  std::to_string(expected));
  }
  for (const auto& [field, units] : options.units) {
    (void)units;
    bool known = false;
    for (const auto& f : info.fields)
      known = known || f.name == field;
    if (!known) throw Error(path + ": units given for '" + field + "', which is not a field of the source");
  }

  // Global attributes: gavel's own, the simulation parameters, then the caller's.
  std::set<std::string> global;
  auto text = [&](const std::string& name, const std::string& value, const std::string& what) {
    if (name.empty()) throw Error(path + ": " + what + " has an empty name");
    if (!global.insert(name).second)
      throw Error(path + ": global attribute '" + name + "' (" + what + ") is already written by gavel or given twice");
    layout.text_attributes.emplace_back(name, value);
  };
  text("Conventions", "CF-1.8", "gavel");
  text("title", info.dataset_name, "gavel");
  text("dataset_name", info.dataset_name, "gavel");
  text("grid_type", info.grid_type.empty() ? "cartesian" : info.grid_type, "gavel");
  text("gavel_version", kVersion, "gavel");
  text("gavel_kind", "netcdf", "gavel");
  text("source", std::string("gavel ") + kVersion, "gavel");
  for (int k = 0; k < ndim; ++k)
    text(std::string("gavel_bc_") + netcdf::kAxisLetters[k], bc_text(info.boundary[static_cast<std::size_t>(k)]),
         "gavel");
  if (!info.simulation_parameters.empty()) {
    std::string list;
    for (const auto& [name, value] : info.simulation_parameters) {
      (void)value;
      list += (list.empty() ? "" : ",") + name;
    }
    text("simulation_parameters", list, "gavel");
    for (const auto& [name, value] : info.simulation_parameters) {
      if (name.empty() || !global.insert(name).second)
        throw Error(path + ": simulation parameter '" + name + "' clashes with a global attribute gavel writes");
      layout.number_attributes.emplace_back(name, value);
    }
  }
  for (const auto& [name, value] : options.attributes)
    text(name, value, "an extra attribute");
  return layout;
}

/// Chunk shape of a field variable: 1 along trajectory and time, whole frames where they fit in
/// kChunkBytes, else the slowest spatial axes cut down.
std::vector<std::size_t> chunk_shape(const std::vector<std::string>& dims, const WellFileInfo& info) {
  std::vector<std::size_t> chunks;
  const std::size_t leading = dims.size() - info.spatial_shape.size();
  for (std::size_t j = 0; j < leading; ++j)
    chunks.push_back(1);
  std::int64_t bytes = 4;
  for (int k = info.ndim() - 1; k >= 0; --k) {
    chunks.push_back(static_cast<std::size_t>(info.spatial_shape[static_cast<std::size_t>(k)]));
    bytes *= info.spatial_shape[static_cast<std::size_t>(k)];
  }
  for (std::size_t j = leading; j < chunks.size() && bytes > kChunkBytes; ++j) {
    while (chunks[j] > 1 && bytes > kChunkBytes) {
      const std::size_t half = (chunks[j] + 1) / 2;
      bytes = bytes / static_cast<std::int64_t>(chunks[j]) * static_cast<std::int64_t>(half);
      chunks[j] = half;
    }
  }
  return chunks;
}

std::string netcdf_message(const NcException& e) {
  return e.errorCode() ? std::string(nc_strerror(e.errorCode())) : std::string(e.what());
}

/// The temporary file: created with the C API (the C++ wrapper prints to stderr when a close
/// fails in its destructor), closed under the library lock, removed unless committed.
class TemporaryFile {
 public:
  explicit TemporaryFile(fs::path path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    if (ncid_ >= 0) {
      std::lock_guard<std::mutex> lock(netcdf::library_mutex());
      nc_close(ncid_);
    }
    if (!committed_) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const fs::path& path() const { return path_; }
  /// A new netCDF-4 file; call with the library lock held.
  netCDF::NcGroup create(const std::string& where) {
    netcdf::check(nc_create(path_.c_str(), NC_NETCDF4 | NC_NOCLOBBER, &ncid_), where,
                  "cannot create " + path_.string());
    return netCDF::NcGroup(ncid_);
  }
  void close(const std::string& where) {
    std::lock_guard<std::mutex> lock(netcdf::library_mutex());
    const int id = ncid_;
    ncid_ = -1;
    netcdf::check(nc_close(id), where, "cannot finish " + path_.string());
  }
  void committed() { committed_ = true; }

 private:
  fs::path path_;
  int ncid_ = -1;
  bool committed_ = false;
};

}  // namespace

void write_netcdf(const FieldSource& source, const std::string& path, const NetcdfWriteOptions& options) {
  const WellFileInfo& info = source.info();
  if (path.empty()) throw Error("NetCDF output: empty path");
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) throw Error(path + ": is a folder, not a file name");
  if (fs::exists(target, ec) && !options.overwrite)
    throw Error(path + ": already exists (pass overwrite to replace it)");
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) throw Error(path + ": folder '" + folder.string() + "' does not exist");
  const Layout layout = plan(info, options, path);
  const int ndim = info.ndim();

  AtomicOutput output(path, netcdf_file_output(), {options.overwrite, false, options.inputs});
  TemporaryFile temporary(output.temporary());
  std::vector<FieldVars> fields = layout.fields;
  std::string doing = "creating " + temporary.path().string();
  try {
    // ---- define everything ----
    {
      std::lock_guard<std::mutex> lock(netcdf::library_mutex());
      const netCDF::NcGroup file = temporary.create(path);
      doing = "defining dimensions";
      if (layout.trajectory_dim) file.addDim("trajectory", static_cast<std::size_t>(info.n_trajectories));
      file.addDim("time", static_cast<std::size_t>(info.n_steps));
      for (int k = 0; k < ndim; ++k)
        file.addDim(info.spatial_dims[static_cast<std::size_t>(k)],
                    static_cast<std::size_t>(info.spatial_shape[static_cast<std::size_t>(k)]));

      doing = "writing coordinates";
      if (layout.trajectory_dim) {
        const auto var = file.addVar("trajectory", netCDF::ncInt64, file.getDim("trajectory"));
        var.putAtt("long_name", "trajectory index");
        std::vector<long long> index(static_cast<std::size_t>(info.n_trajectories));
        for (std::size_t b = 0; b < index.size(); ++b)
          index[b] = static_cast<long long>(b);
        if (!index.empty()) var.putVar(index.data());
      }
      if (info.time_per_trajectory) {
        const auto var = file.addVar("trajectory_time", netCDF::ncDouble,
                                     std::vector<netCDF::NcDim>{file.getDim("trajectory"), file.getDim("time")});
        var.putAtt("standard_name", "time");
        var.putAtt("long_name", "time of each trajectory's steps");
        if (info.time.size() != static_cast<std::size_t>(info.n_trajectories * info.n_steps))
          throw Error(path + ": the source has " + std::to_string(info.time.size()) + " time values for " +
                      std::to_string(info.n_trajectories) + " trajectories of " + std::to_string(info.n_steps) +
                      " steps");
        if (!info.time.empty()) var.putVar(info.time.data());
      } else {
        const auto var = file.addVar("time", netCDF::ncDouble, file.getDim("time"));
        var.putAtt("axis", "T");
        var.putAtt("long_name", "time");
        std::vector<double> time = info.time;
        if (time.size() != static_cast<std::size_t>(info.n_steps)) {
          time.clear();
          for (std::int64_t t = 0; t < info.n_steps; ++t)
            time.push_back(static_cast<double>(t));
        }
        if (!time.empty()) var.putVar(time.data());
      }
      for (int k = 0; k < ndim; ++k) {
        const auto& name = info.spatial_dims[static_cast<std::size_t>(k)];
        const auto n = static_cast<std::size_t>(info.spatial_shape[static_cast<std::size_t>(k)]);
        const auto var = file.addVar(name, netCDF::ncDouble, file.getDim(name));
        var.putAtt("axis", std::string(1, static_cast<char>(std::toupper(netcdf::kAxisLetters[k]))));
        var.putAtt("long_name", name + " coordinate");
        std::vector<double> values;
        if (static_cast<std::size_t>(k) < info.coordinates.size() &&
            info.coordinates[static_cast<std::size_t>(k)].size() == n)
          values = info.coordinates[static_cast<std::size_t>(k)];
        for (std::size_t i = values.size(); i < n; ++i)
          values.push_back(static_cast<double>(i));
        var.putVar(values.data());
      }

      for (std::size_t i = 0; i < info.fields.size(); ++i) {
        const WellField& f = info.fields[i];
        std::vector<netCDF::NcDim> dims;
        for (const auto& d : fields[i].dims)
          dims.push_back(file.getDim(d));
        const auto chunks = chunk_shape(fields[i].dims, info);
        for (auto& component : fields[i].components) {
          doing = "defining variable '" + component.name + "'";
          component.var = file.addVar(component.name, netCDF::ncFloat, dims);
          auto sizes = chunks;
          component.var.setChunking(netCDF::NcVar::nc_CHUNKED, sizes);
          component.var.setFill(false, static_cast<void*>(nullptr));
          if (options.deflate_level > 0) component.var.setCompression(true, true, options.deflate_level);
          component.var.putAtt("gavel_field", f.name);
          if (!component.suffix.empty()) component.var.putAtt("gavel_component", component.suffix);
          if (f.pseudo) component.var.putAtt("gavel_parity", "pseudo");
          component.var.putAtt("long_name",
                               component.suffix.empty() ? f.name : f.name + ", " + component_label(component.suffix));
          const auto units = options.units.find(f.name);
          if (units != options.units.end()) component.var.putAtt("units", units->second);
          if (info.time_per_trajectory && f.time_varying) component.var.putAtt("coordinates", "trajectory_time");
        }
      }

      for (const auto& s : info.scalars) {
        doing = "writing scalar '" + s.name + "'";
        std::vector<netCDF::NcDim> dims;
        if (s.sample_varying) dims.push_back(file.getDim("trajectory"));
        if (s.time_varying) dims.push_back(file.getDim("time"));
        const auto var = file.addVar(s.name, netCDF::ncDouble, dims);
        var.putAtt("long_name", s.name);
        if (!s.values.empty()) var.putVar(s.values.data());
      }

      doing = "writing global attributes";
      for (const auto& [name, value] : layout.text_attributes)
        file.putAtt(name, value);
      for (const auto& [name, value] : layout.number_attributes)
        file.putAtt(name, netCDF::ncDouble, value);
    }

    // ---- stream the fields frame by frame: x, y, z channels-last frames to z, y, x variables ----
    std::int64_t points = 1;
    for (auto n : info.spatial_shape)
      points *= n;
    std::vector<std::int64_t> out_stride(static_cast<std::size_t>(ndim));  // x fastest in the file
    std::int64_t stride = 1;
    for (int k = 0; k < ndim; ++k) {
      out_stride[static_cast<std::size_t>(k)] = stride;
      stride *= info.spatial_shape[static_cast<std::size_t>(k)];
    }
    std::vector<float> frame;
    std::vector<float> planes;
    for (std::size_t i = 0; i < info.fields.size(); ++i) {
      const WellField& f = info.fields[i];
      const auto components = static_cast<std::int64_t>(fields[i].components.size());
      frame.assign(static_cast<std::size_t>(points * components), 0.0f);
      planes.assign(frame.size(), 0.0f);
      const std::int64_t trajectories = f.sample_varying ? info.n_trajectories : 1;
      const std::int64_t steps = f.time_varying ? info.n_steps : 1;
      for (std::int64_t b = 0; b < trajectories; ++b)
        for (std::int64_t t = 0; t < steps; ++t) {
          doing = "reading field '" + f.name + "', trajectory " + std::to_string(b) +
                  (f.time_varying ? ", step " + std::to_string(t) : std::string()) + " from the source";
          if (f.time_varying) {
            source.read_frames(i, b, t, 1, 1, frame.data());
          } else {
            source.read_constant(i, b, frame.data());
          }
          std::int64_t index[3] = {0, 0, 0};
          std::int64_t offset = 0;
          for (std::int64_t p = 0; p < points; ++p) {
            for (std::int64_t c = 0; c < components; ++c)
              planes[static_cast<std::size_t>(c * points + offset)] =
                  frame[static_cast<std::size_t>(p * components + c)];
            for (int k = ndim - 1; k >= 0; --k) {
              offset += out_stride[static_cast<std::size_t>(k)];
              if (++index[k] < info.spatial_shape[static_cast<std::size_t>(k)]) break;
              offset -= out_stride[static_cast<std::size_t>(k)] * info.spatial_shape[static_cast<std::size_t>(k)];
              index[k] = 0;
            }
          }
          std::vector<std::size_t> start, count;
          if (f.sample_varying) {
            start.push_back(static_cast<std::size_t>(b));
            count.push_back(1);
          }
          if (f.time_varying) {
            start.push_back(static_cast<std::size_t>(t));
            count.push_back(1);
          }
          for (int k = ndim - 1; k >= 0; --k) {
            start.push_back(0);
            count.push_back(static_cast<std::size_t>(info.spatial_shape[static_cast<std::size_t>(k)]));
          }
          doing = "writing field '" + f.name + "', trajectory " + std::to_string(b) +
                  (f.time_varying ? ", step " + std::to_string(t) : std::string());
          std::lock_guard<std::mutex> lock(netcdf::library_mutex());
          for (std::int64_t c = 0; c < components; ++c)
            fields[i].components[static_cast<std::size_t>(c)].var.putVar(start, count, planes.data() + c * points);
        }
    }
    doing = "closing " + temporary.path().string();
    temporary.close(path);
  } catch (const NcException& e) {
    throw Error(path + ": netCDF error while " + doing + ": " + netcdf_message(e));
  } catch (const Error& e) {
    if (doing.rfind("reading", 0) == 0) throw Error(path + ": " + doing + ": " + e.what());
    throw;
  }
  output.commit();
  temporary.committed();
}

}  // namespace gavel::datasets
