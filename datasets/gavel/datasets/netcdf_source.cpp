#include "gavel/datasets/netcdf_source.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include <netcdf>

#include "gavel/core/error.hpp"
#include "gavel/datasets/netcdf_common.hpp"

namespace gavel::datasets {
namespace {

namespace nc = gavel::datasets::netcdf;
using netCDF::exceptions::NcException;

/// What a dimension is for.
enum class Role { other, x, y, z, time, sample };

bool spatial(Role role) {
  return role == Role::x || role == Role::y || role == Role::z;
}
int axis_rank(Role role) {
  return role == Role::x ? 0 : role == Role::y ? 1 : 2;
}

struct Dim {
  int id = -1;
  std::string name;
  std::int64_t size = 0;
  bool unlimited = false;
  Role role = Role::other;
  int coordinate = -1;  ///< varid of its coordinate variable (1-D, same name), or -1
};

struct Var {
  int id = -1;
  std::string name;
  nc_type type = NC_NAT;
  std::vector<int> dims;  ///< dimension ids, in the variable's order
};

/// Where one variable dimension goes: the trajectory, the time step, or an exposed spatial axis.
constexpr int kSampleSlot = -2;
constexpr int kTimeSlot = -1;

/// How to read one component variable.
struct Component {
  netCDF::NcVar var;
  std::string where;                      ///< "file.nc: variable 'u'"
  std::vector<int> slots;                 ///< per variable dimension
  std::vector<std::int64_t> axis_stride;  ///< per exposed axis, in the variable's frame block
  bool packed = false;                    ///< CF packing: value = stored · scale_factor + add_offset
  double scale = 1.0;
  double offset = 0.0;
  std::vector<double> missing;  ///< stored values that mean "no data": `_FillValue`, `missing_value`
};

struct FieldPlan {
  std::vector<Component> components;
};

/// The root group's dimensions by id (netCDF-4 dimension ids need not start at 0 or be contiguous).
class DimTable {
 public:
  std::vector<Dim> list;
  Dim& operator()(int id) {
    for (auto& d : list)
      if (d.id == id) return d;
    throw Error("NetCDF: dimension id " + std::to_string(id) + " is not in the root group");
  }
  /// "(time, y, x)"
  std::string text(const std::vector<int>& ids) {
    std::string out = "(";
    for (std::size_t i = 0; i < ids.size(); ++i)
      out += (i ? ", " : "") + (*this)(ids[i]).name;
    return out + ")";
  }
};

/// One named value of a single-valued numeric attribute.
double single_number(int ncid, int varid, const std::string& name, const std::string& where) {
  const auto values = nc::read_numbers(ncid, varid, name, where);
  if (values.size() != 1)
    throw Error(where + ": attribute '" + name + "' has " + std::to_string(values.size()) + " values, expected 1");
  return values.front();
}

/// A dimension's role from its coordinate variable's CF attributes, then its name.
Role classify(int ncid, const Dim& dim, const std::string& path) {
  if (dim.coordinate >= 0) {
    const std::string where = path + ": coordinate variable '" + dim.name + "'";
    if (nc::has_attribute(ncid, dim.coordinate, "axis")) {
      const std::string axis = nc::lower(nc::read_text(ncid, dim.coordinate, "axis", where));
      if (axis == "x") return Role::x;
      if (axis == "y") return Role::y;
      if (axis == "z") return Role::z;
      if (axis == "t") return Role::time;
      // Not a CF axis: the other rules decide.
    }
    if (nc::has_attribute(ncid, dim.coordinate, "standard_name")) {
      const std::string standard = nc::lower(nc::read_text(ncid, dim.coordinate, "standard_name", where));
      if (standard == "time") return Role::time;
      if (standard == "realization") return Role::sample;
      if (standard == "projection_x_coordinate") return Role::x;
      if (standard == "projection_y_coordinate") return Role::y;
    }
    // CF: a vertical coordinate is recognised by its `positive` attribute.
    if (nc::has_attribute(ncid, dim.coordinate, "positive")) return Role::z;
  }
  const std::string name = nc::lower(dim.name);
  if (name == "x") return Role::x;
  if (name == "y") return Role::y;
  if (name == "z") return Role::z;
  if (name == "time" || name == "t") return Role::time;
  for (const char* word : {"trajectory", "trajectories", "sample", "samples", "realization", "member", "ensemble"})
    if (name == word) return Role::sample;
  return Role::other;
}

/// Names of variables that other variables point at as auxiliary data (CF `coordinates`,
/// `bounds`, `grid_mapping`, `cell_measures`, `ancillary_variables`, `climatology`): not fields.
std::set<std::string> auxiliary_names(int ncid, const std::vector<Var>& vars, const std::string& path) {
  std::set<std::string> names;
  for (const auto& v : vars) {
    const std::string where = path + ": variable '" + v.name + "'";
    for (const char* attribute :
         {"coordinates", "bounds", "grid_mapping", "cell_measures", "ancillary_variables", "climatology"}) {
      if (!nc::has_attribute(ncid, v.id, attribute)) continue;
      nc_type type = NC_NAT;
      std::size_t length = 0;
      if (nc_inq_att(ncid, v.id, attribute, &type, &length) != NC_NOERR || (type != NC_CHAR && type != NC_STRING))
        continue;
      // "area: cell_area" (cell_measures) and "crs: x y" (grid_mapping) name variables after colons.
      for (const auto& word : nc::read_text_list(ncid, v.id, attribute, where))
        if (!word.empty() && word.back() != ':') names.insert(word);
    }
  }
  return names;
}

/// "pseudo" or "polar" from `gavel_parity`; polar when absent.
bool read_parity(int ncid, const Var& v, const std::string& where) {
  if (!nc::has_attribute(ncid, v.id, "gavel_parity")) return false;
  const std::string parity = nc::read_text(ncid, v.id, "gavel_parity", where);
  if (parity != "pseudo" && parity != "polar")
    throw Error(where + ": gavel_parity '" + parity + "' (expected pseudo or polar)");
  return parity == "pseudo";
}

/// The component index of `suffix` ("x", "yz", …) over the file's axis letters, or -1.
int component_index(const std::string& suffix, const std::string& letters) {
  if (suffix.empty() || suffix.size() > 2) return -1;
  int index = 0;
  for (char c : suffix) {
    const auto position = letters.find(c);
    if (position == std::string::npos) return -1;
    index = index * static_cast<int>(letters.size()) + static_cast<int>(position);
  }
  return index;
}

BoundaryCondition parse_bc_word(const std::string& word, const std::string& where) {
  try {
    return parse_boundary_condition(word);
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
}

/// "periodic" (both faces) or "wall,open" (low, high).
std::array<BoundaryCondition, 2> parse_axis_bc(const std::string& text, const std::string& where) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + ",") {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (words.size() == 1) {
    const auto bc = parse_bc_word(words[0], where);
    return {bc, bc};
  }
  if (words.size() == 2) return {parse_bc_word(words[0], where), parse_bc_word(words[1], where)};
  throw Error(where + ": '" + text + "' is not one condition or a low,high pair (periodic, wall, open)");
}

void check_faces(const std::vector<std::array<BoundaryCondition, 2>>& faces, const std::vector<std::string>& names,
                 const std::string& where) {
  for (std::size_t k = 0; k < faces.size(); ++k) {
    const bool low = faces[k][0] == BoundaryCondition::periodic, high = faces[k][1] == BoundaryCondition::periodic;
    if (low != high)
      throw Error(where + ": axis '" + names[k] + "' is periodic on one face only (" + to_string(faces[k][0]) + "/" +
                  to_string(faces[k][1]) + ")");
  }
}

/// Reads a whole numeric variable as doubles (0-D included).
std::vector<double> read_all(const netCDF::NcVar& var, const std::vector<std::int64_t>& shape) {
  std::size_t n = 1;
  for (auto s : shape)
    n *= static_cast<std::size_t>(s);
  std::vector<double> values(n);
  if (n == 0) return values;
  if (shape.empty()) {
    var.getVar(values.data());
  } else {
    const std::vector<std::size_t> start(shape.size(), 0);
    std::vector<std::size_t> count(shape.begin(), shape.end());
    var.getVar(start, count, values.data());
  }
  return values;
}

}  // namespace

struct NetcdfSource::Impl {
  std::string path;
  std::unique_ptr<netCDF::NcFile> file;
  WellFileInfo info;
  std::vector<FieldPlan> plans;
  bool has_time = false;  ///< false: the file is one snapshot (no time dimension)
  mutable std::vector<double> block;

  void open(const NetcdfReadOptions& options);
  void read_frame(std::size_t field, std::int64_t trajectory, std::int64_t step, float* out) const;
};

void NetcdfSource::Impl::open(const NetcdfReadOptions& options) {
  const int ncid = file->getId();
  info.path = path;

  // ---- dimensions and variables of the root group, in id order ----
  int ndims = 0, nvars = 0;
  nc::check(nc_inq(ncid, &ndims, &nvars, nullptr, nullptr), path, "cannot inquire the root group");
  std::vector<int> unlimited_ids(static_cast<std::size_t>(ndims) + 1);
  int n_unlimited = 0;
  nc::check(nc_inq_unlimdims(ncid, &n_unlimited, unlimited_ids.data()), path, "cannot inquire unlimited dims");
  unlimited_ids.resize(static_cast<std::size_t>(n_unlimited));
  std::vector<int> dim_ids(static_cast<std::size_t>(ndims) + 1);
  nc::check(nc_inq_dimids(ncid, &ndims, dim_ids.data(), 0), path, "cannot inquire the dimensions");
  dim_ids.resize(static_cast<std::size_t>(ndims));
  DimTable dim_at;
  auto& dims = dim_at.list;
  dims.resize(static_cast<std::size_t>(ndims));
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const int d = dim_ids[i];
    const netCDF::NcDim dim(*file, d);
    auto& entry = dims[i];
    entry.id = d;
    entry.name = dim.getName();
    entry.size = static_cast<std::int64_t>(dim.getSize());
    entry.unlimited = std::find(unlimited_ids.begin(), unlimited_ids.end(), d) != unlimited_ids.end();
  }
  std::vector<Var> vars(static_cast<std::size_t>(nvars));
  for (int v = 0; v < nvars; ++v) {
    const netCDF::NcVar var(*file, v);
    auto& entry = vars[static_cast<std::size_t>(v)];
    entry.id = v;
    entry.name = var.getName();
    nc::check(nc_inq_vartype(ncid, v, &entry.type), path + ": variable '" + entry.name + "'", "cannot inquire");
    for (const auto& dim : var.getDims())
      entry.dims.push_back(dim.getId());
  }
  for (auto& dim : dims)
    for (const auto& v : vars)
      if (v.name == dim.name && v.dims.size() == 1 && v.dims[0] == dim.id) dim.coordinate = v.id;
  for (auto& dim : dims)
    dim.role = classify(ncid, dim, path);
  // An unlimited dimension is the time axis when nothing else is.
  if (std::none_of(dims.begin(), dims.end(), [](const Dim& d) { return d.role == Role::time; }))
    for (auto& dim : dims)
      if (dim.unlimited && dim.role == Role::other) {
        dim.role = Role::time;
        break;
      }

  // ---- field variables: every non-coordinate, non-auxiliary variable over a spatial dimension ----
  const auto auxiliary = auxiliary_names(ncid, vars, path);
  auto is_coordinate = [&](const Var& v) {
    return std::any_of(dims.begin(), dims.end(), [&](const Dim& d) { return d.coordinate == v.id; });
  };
  std::vector<const Var*> candidates;
  for (const auto& v : vars) {
    if (is_coordinate(v) || auxiliary.count(v.name)) continue;
    if (std::any_of(v.dims.begin(), v.dims.end(), [&](int d) { return spatial(dim_at(d).role); }))
      candidates.push_back(&v);
  }
  if (candidates.empty()) {
    std::string listing;
    for (const auto& d : dims)
      listing += (listing.empty() ? "" : ", ") + d.name + "(" + std::to_string(d.size) + ")";
    throw Error(path + ": no recognisable spatial dimension (dimensions: " + (listing.empty() ? "none" : listing) +
                "): name them x, y, z or give their coordinate variables the CF attribute axis = \"X\", \"Y\" or "
                "\"Z\"");
  }

  // The spatial, time and sample dimensions the fields use: one of each role at most.
  std::map<Role, std::pair<int, std::string>> used;  // role → (dim id, first variable using it)
  for (const Var* v : candidates)
    for (int d : v->dims) {
      const Dim& dim = dim_at(d);
      if (dim.role == Role::other) continue;
      const auto it = used.find(dim.role);
      if (it == used.end()) {
        used[dim.role] = {d, v->name};
      } else if (it->second.first != d) {
        const std::string role = spatial(dim.role) ? std::string(1, nc::kAxisLetters[axis_rank(dim.role)]) + " axes"
                                 : dim.role == Role::time ? "time axes"
                                                          : "sample axes";
        throw Error(path + ": dimensions '" + dim_at(it->second.first).name + "' (variable '" + it->second.second +
                    "') and '" + dim.name + "' (variable '" + v->name + "') are both " + role +
                    "; one grid per file is supported");
      }
    }
  auto first_of_role = [&](Role role) {
    if (used.count(role)) return used[role].first;
    for (const auto& d : dims)
      if (d.role == role) return d.id;
    return -1;
  };
  const int time_dim = first_of_role(Role::time);
  const int sample_dim = first_of_role(Role::sample);
  has_time = time_dim >= 0;

  std::vector<int> axes;  // dim ids of the exposed axes, in x, y, z order
  for (Role role : {Role::x, Role::y, Role::z})
    if (used.count(role)) axes.push_back(used[role].first);
  std::string letters;  // component letters of the exposed axes
  for (int d : axes) {
    const Dim& dim = dim_at(d);
    letters += nc::kAxisLetters[axis_rank(dim.role)];
    if (dim.size < 1) throw Error(path + ": spatial dimension '" + dim.name + "' has length 0");
    info.spatial_dims.push_back(dim.name);
    info.spatial_shape.push_back(dim.size);
  }
  const int ndim = static_cast<int>(axes.size());

  info.n_trajectories = sample_dim >= 0 ? dim_at(sample_dim).size : 1;
  info.n_steps = has_time ? dim_at(time_dim).size : 1;
  if (info.n_trajectories < 1) throw Error(path + ": sample dimension '" + dim_at(sample_dim).name + "' has length 0");

  // ---- global attributes ----
  info.dataset_name = nc::has_attribute(ncid, NC_GLOBAL, "dataset_name")
                          ? nc::read_text(ncid, NC_GLOBAL, "dataset_name", path)
                          : std::filesystem::path(path).stem().string();
  info.grid_type =
      nc::has_attribute(ncid, NC_GLOBAL, "grid_type") ? nc::read_text(ncid, NC_GLOBAL, "grid_type", path) : "cartesian";
  if (nc::has_attribute(ncid, NC_GLOBAL, "simulation_parameters"))
    for (const auto& name : nc::read_text_list(ncid, NC_GLOBAL, "simulation_parameters", path)) {
      if (!nc::has_attribute(ncid, NC_GLOBAL, name))
        throw Error(path + ": global attribute '" + name + "' (listed in simulation_parameters) is missing");
      info.simulation_parameters.emplace_back(name, single_number(ncid, NC_GLOBAL, name, path + " (global)"));
    }

  // ---- coordinates ----
  for (int d : axes) {
    const Dim& dim = dim_at(d);
    std::vector<double> values;
    if (dim.coordinate >= 0 && nc::is_numeric(vars[static_cast<std::size_t>(dim.coordinate)].type)) {
      values = read_all(netCDF::NcVar(*file, dim.coordinate), {dim.size});
    } else {
      for (std::int64_t i = 0; i < dim.size; ++i)
        values.push_back(static_cast<double>(i));
    }
    info.coordinates.push_back(std::move(values));
  }

  // ---- time: per trajectory (2-D variable with standard_name or axis time), else the coordinate ----
  const Var* trajectory_time = nullptr;
  if (has_time && sample_dim >= 0)
    for (const auto& v : vars) {
      if (v.dims.size() != 2 || is_coordinate(v) || !nc::is_numeric(v.type)) continue;
      if (!((v.dims[0] == sample_dim && v.dims[1] == time_dim) || (v.dims[0] == time_dim && v.dims[1] == sample_dim)))
        continue;
      const std::string where = path + ": variable '" + v.name + "'";
      const bool named_time =
          (nc::has_attribute(ncid, v.id, "standard_name") &&
           nc::lower(nc::read_text(ncid, v.id, "standard_name", where)) == "time") ||
          (nc::has_attribute(ncid, v.id, "axis") && nc::lower(nc::read_text(ncid, v.id, "axis", where)) == "t");
      if (named_time) {
        trajectory_time = &v;
        break;
      }
    }
  if (trajectory_time) {
    const auto raw = read_all(netCDF::NcVar(*file, trajectory_time->id),
                              {dim_at(trajectory_time->dims[0]).size, dim_at(trajectory_time->dims[1]).size});
    const bool sample_first = trajectory_time->dims[0] == sample_dim;
    info.time.resize(raw.size());
    for (std::int64_t b = 0; b < info.n_trajectories; ++b)
      for (std::int64_t t = 0; t < info.n_steps; ++t)
        info.time[static_cast<std::size_t>(b * info.n_steps + t)] =
            raw[static_cast<std::size_t>(sample_first ? b * info.n_steps + t : t * info.n_trajectories + b)];
    info.time_per_trajectory = true;
  } else if (has_time && dim_at(time_dim).coordinate >= 0) {
    const Dim& dim = dim_at(time_dim);
    if (!nc::is_numeric(vars[static_cast<std::size_t>(dim.coordinate)].type))
      throw Error(path + ": time coordinate '" + dim.name + "' has type " +
                  nc::type_name(ncid, vars[static_cast<std::size_t>(dim.coordinate)].type) + ", expected numbers");
    info.time = read_all(netCDF::NcVar(*file, dim.coordinate), {dim.size});
  } else {
    for (std::int64_t t = 0; t < info.n_steps; ++t)
      info.time.push_back(static_cast<double>(t));
  }

  // ---- boundary conditions: global gavel_bc, then gavel_bc_<axis>, then the coordinate's gavel_bc ----
  info.boundary.assign(axes.size(), {BoundaryCondition::open, BoundaryCondition::open});
  if (nc::has_attribute(ncid, NC_GLOBAL, "gavel_bc")) {
    const std::string text = nc::read_text(ncid, NC_GLOBAL, "gavel_bc", path);
    try {
      info.boundary = parse_face_conditions(text, ndim);
    } catch (const Error& e) {
      throw Error(path + ": global attribute 'gavel_bc': " + e.what());
    }
  }
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const Dim& dim = dim_at(axes[k]);
    const std::string global = std::string("gavel_bc_") + letters[k];
    if (nc::has_attribute(ncid, NC_GLOBAL, global))
      info.boundary[k] =
          parse_axis_bc(nc::read_text(ncid, NC_GLOBAL, global, path), path + ": global attribute '" + global + "'");
    if (dim.coordinate >= 0 && nc::has_attribute(ncid, dim.coordinate, "gavel_bc")) {
      const std::string where = path + ": coordinate variable '" + dim.name + "'";
      info.boundary[k] =
          parse_axis_bc(nc::read_text(ncid, dim.coordinate, "gavel_bc", where), where + ": attribute 'gavel_bc'");
    }
  }
  check_faces(info.boundary, info.spatial_dims, path + ": boundary-condition attributes");
  if (options.boundary) {
    if (options.boundary->size() != axes.size())
      throw Error(path + ": " + std::to_string(options.boundary->size()) + " axes of boundary conditions given, the " +
                  "file has " + std::to_string(axes.size()) + " spatial axes");
    check_faces(*options.boundary, info.spatial_dims, path + ": given boundary conditions");
    info.boundary = *options.boundary;
  }

  // ---- fields: group the candidates into scalars, vectors and tensors ----
  struct Group {
    std::string name;
    int order = -1;
    std::string first;                   // the first variable seen, for messages
    std::vector<const Var*> components;  // by component index
  };
  std::vector<Group> groups;
  auto group_of = [&](const std::string& name) -> Group& {
    for (auto& g : groups)
      if (g.name == name) return g;
    groups.push_back({name, -1, "", {}});
    return groups.back();
  };
  for (const Var* v : candidates) {
    const std::string where = path + ": variable '" + v->name + "'";
    // Dimensions: every spatial axis once, optionally the time and sample ones, nothing else.
    std::vector<int> seen;
    for (int d : v->dims) {
      const Dim& dim = dim_at(d);
      if (std::find(seen.begin(), seen.end(), d) != seen.end())
        throw Error(where + ": dimension '" + dim.name + "' appears twice in " + dim_at.text(v->dims));
      seen.push_back(d);
      const bool known = std::find(axes.begin(), axes.end(), d) != axes.end() || d == time_dim || d == sample_dim;
      if (!known)
        throw Error(where + ": dimension '" + dim.name + "' in " + dim_at.text(v->dims) +
                    " is neither a spatial, a time nor a sample dimension");
    }
    for (int d : axes)
      if (std::find(v->dims.begin(), v->dims.end(), d) == v->dims.end())
        throw Error(where + ": spans " + dim_at.text(v->dims) + " but not the spatial dimension '" + dim_at(d).name +
                    "' (the fields' spatial dimensions are " + dim_at.text(axes) + ")");
    if (!nc::is_numeric(v->type))
      throw Error(where + ": type " + nc::type_name(ncid, v->type) + " cannot be converted to float32");

    std::string field = v->name;
    std::string suffix;
    std::string via = "by name";
    if (nc::has_attribute(ncid, v->id, "gavel_field")) {
      field = nc::read_text(ncid, v->id, "gavel_field", where);
      if (field.empty()) throw Error(where + ": attribute 'gavel_field' is empty");
      if (nc::has_attribute(ncid, v->id, "gavel_component"))
        suffix = nc::read_text(ncid, v->id, "gavel_component", where);
      via = "by attribute";
      if (!suffix.empty() && component_index(suffix, letters) < 0)
        throw Error(where + ": gavel_component '" + suffix + "' is not one or two of the axis letters '" + letters +
                    "'");
    } else if (nc::has_attribute(ncid, v->id, "gavel_component")) {
      throw Error(where + ": attribute 'gavel_component' without 'gavel_field' (name the field it belongs to)");
    } else {
      const auto underscore = v->name.rfind('_');
      if (underscore != std::string::npos && underscore > 0 &&
          component_index(v->name.substr(underscore + 1), letters) >= 0) {
        field = v->name.substr(0, underscore);
        suffix = v->name.substr(underscore + 1);
      }
    }
    const int order = static_cast<int>(suffix.size());
    Group& group = group_of(field);
    if (group.order >= 0 && group.order != order) {
      const char* kinds[] = {"a scalar", "a vector", "a tensor"};
      throw Error(where + ": makes field '" + field + "' " + kinds[order] + " (" + via + "), but variable '" +
                  group.first + "' makes it " + kinds[group.order]);
    }
    if (group.order < 0) {
      group.order = order;
      group.first = v->name;
      int count = 1;
      for (int k = 0; k < order; ++k)
        count *= ndim;
      group.components.assign(static_cast<std::size_t>(count), nullptr);
    }
    const std::size_t index = order == 0 ? 0 : static_cast<std::size_t>(component_index(suffix, letters));
    if (group.components[index])
      throw Error(where + ": field '" + field + "'" + (order ? " component '" + suffix + "'" : std::string()) +
                  " is already given by variable '" + group.components[index]->name + "'");
    group.components[index] = v;
  }

  // ---- validate the groups and build the read plans, in The Well's order (t0, t1, t2) ----
  for (int order = 0; order <= 2; ++order)
    for (const auto& group : groups) {
      if (group.order != order) continue;
      const auto suffixes = netcdf_component_suffixes(order, ndim);
      std::string missing;
      const Var* present = nullptr;
      for (std::size_t c = 0; c < group.components.size(); ++c) {
        if (group.components[c]) {
          present = present ? present : group.components[c];
          continue;
        }
        // The component's letters in the file's own axis letters (x, z for an x-z slice).
        std::string file_suffix;
        for (char letter : suffixes[c])
          file_suffix += letters[static_cast<std::size_t>(letter - 'x')];
        missing += (missing.empty() ? "" : ", ") + group.name + "_" + file_suffix;
      }
      if (!missing.empty())
        throw Error(path + ": field '" + group.name + "' (from variable '" + present->name + "') is a " +
                    (order == 1 ? "vector" : "tensor") + " but its component variable(s) " + missing +
                    " are missing (give a scalar the attribute gavel_field = \"" + present->name +
                    "\" to keep it apart)");
      WellField field;
      field.name = group.name;
      field.order = order;
      FieldPlan plan;
      for (std::size_t c = 0; c < group.components.size(); ++c) {
        const Var& v = *group.components[c];
        const std::string where = path + ": variable '" + v.name + "'";
        const bool varies_in_time = std::find(v.dims.begin(), v.dims.end(), time_dim) != v.dims.end();
        const bool varies_in_sample = std::find(v.dims.begin(), v.dims.end(), sample_dim) != v.dims.end();
        const bool pseudo = read_parity(ncid, v, where);
        if (c == 0) {
          field.time_varying = varies_in_time || !has_time;
          field.sample_varying = varies_in_sample;
          field.pseudo = pseudo;
        } else {
          const Var& first = *group.components[0];
          if (field.time_varying != (varies_in_time || !has_time) || field.sample_varying != varies_in_sample)
            throw Error(where + ": dimensions " + dim_at.text(v.dims) + " do not match " + dim_at.text(first.dims) +
                        " of variable '" + first.name + "' (same field '" + group.name + "')");
          if (field.pseudo != pseudo)
            throw Error(where + ": gavel_parity differs from variable '" + first.name + "' (same field '" + group.name +
                        "')");
        }
        Component component;
        component.var = netCDF::NcVar(*file, v.id);
        component.where = where;
        component.axis_stride.assign(axes.size(), 0);
        std::int64_t stride = 1;
        component.slots.assign(v.dims.size(), 0);
        for (std::size_t j = v.dims.size(); j-- > 0;) {
          const int d = v.dims[j];
          if (d == time_dim) {
            component.slots[j] = kTimeSlot;
          } else if (d == sample_dim) {
            component.slots[j] = kSampleSlot;
          } else {
            const int axis = static_cast<int>(std::find(axes.begin(), axes.end(), d) - axes.begin());
            component.slots[j] = axis;
            component.axis_stride[static_cast<std::size_t>(axis)] = stride;
            stride *= dim_at(d).size;
          }
        }
        if (nc::has_attribute(ncid, v.id, "scale_factor")) {
          component.scale = single_number(ncid, v.id, "scale_factor", where);
          component.packed = true;
        }
        if (nc::has_attribute(ncid, v.id, "add_offset")) {
          component.offset = single_number(ncid, v.id, "add_offset", where);
          component.packed = true;
        }
        for (const char* attribute : {"_FillValue", "missing_value"})
          if (nc::has_attribute(ncid, v.id, attribute)) {
            const auto values = nc::read_numbers(ncid, v.id, attribute, where);
            component.missing.insert(component.missing.end(), values.begin(), values.end());
          }
        plan.components.push_back(std::move(component));
      }
      if (field.sample_varying) field.shape.push_back(info.n_trajectories);
      if (field.time_varying) field.shape.push_back(info.n_steps);
      field.shape.insert(field.shape.end(), info.spatial_shape.begin(), info.spatial_shape.end());
      for (int k = 0; k < order; ++k)
        field.shape.push_back(ndim);
      info.fields.push_back(std::move(field));
      plans.push_back(std::move(plan));
    }

  // ---- scalars: numeric variables over the sample and/or time dimensions only ----
  for (const auto& v : vars) {
    if (is_coordinate(v) || auxiliary.count(v.name) || &v == trajectory_time || !nc::is_numeric(v.type)) continue;
    if (std::find_if(candidates.begin(), candidates.end(), [&](const Var* c) { return c == &v; }) != candidates.end())
      continue;
    bool fits = true;
    std::vector<int> seen;
    for (int d : v.dims) {
      if ((d != sample_dim && d != time_dim) || std::find(seen.begin(), seen.end(), d) != seen.end()) fits = false;
      seen.push_back(d);
    }
    if (!fits) continue;
    WellScalar scalar;
    scalar.name = v.name;
    std::vector<std::int64_t> shape;
    for (int d : v.dims)
      shape.push_back(dim_at(d).size);
    const auto raw = read_all(netCDF::NcVar(*file, v.id), shape);
    scalar.sample_varying = std::find(v.dims.begin(), v.dims.end(), sample_dim) != v.dims.end();
    scalar.time_varying = std::find(v.dims.begin(), v.dims.end(), time_dim) != v.dims.end();
    if (v.dims.size() == 2 && v.dims[0] == time_dim) {
      // Stored (time, sample): The Well's order is (sample, time).
      scalar.values.resize(raw.size());
      for (std::int64_t b = 0; b < info.n_trajectories; ++b)
        for (std::int64_t t = 0; t < info.n_steps; ++t)
          scalar.values[static_cast<std::size_t>(b * info.n_steps + t)] =
              raw[static_cast<std::size_t>(t * info.n_trajectories + b)];
    } else {
      scalar.values = raw;
    }
    info.scalars.push_back(std::move(scalar));
  }

  std::int64_t points = 1;
  for (auto n : info.spatial_shape)
    points *= n;
  block.assign(static_cast<std::size_t>(points), 0.0);
}

void NetcdfSource::Impl::read_frame(std::size_t field, std::int64_t trajectory, std::int64_t step, float* out) const {
  const FieldPlan& plan = plans[field];
  const auto n_components = static_cast<std::int64_t>(plan.components.size());
  const int ndim = info.ndim();
  const auto& shape = info.spatial_shape;
  for (std::int64_t c = 0; c < n_components; ++c) {
    const Component& component = plan.components[static_cast<std::size_t>(c)];
    std::vector<std::size_t> start(component.slots.size()), count(component.slots.size());
    for (std::size_t j = 0; j < component.slots.size(); ++j) {
      const int slot = component.slots[j];
      start[j] = slot == kSampleSlot ? static_cast<std::size_t>(trajectory)
                 : slot == kTimeSlot ? static_cast<std::size_t>(step)
                                     : 0;
      count[j] = slot < 0 ? 1 : static_cast<std::size_t>(shape[static_cast<std::size_t>(slot)]);
    }
    try {
      component.var.getVar(start, count, block.data());
    } catch (const NcException& e) {
      throw Error(component.where + ": cannot read trajectory " + std::to_string(trajectory) + ", step " +
                  std::to_string(step) + ": " + (e.errorCode() ? nc_strerror(e.errorCode()) : e.what()));
    }
    // Walk the exposed (x, y, z) order, picking values from the variable's own order.
    std::int64_t index[3] = {0, 0, 0};
    std::int64_t offset = 0;
    float* target = out + c;
    const std::int64_t points = static_cast<std::int64_t>(block.size());
    for (std::int64_t p = 0; p < points; ++p) {
      double value = block[static_cast<std::size_t>(offset)];
      if (std::find(component.missing.begin(), component.missing.end(), value) != component.missing.end()) {
        value = std::numeric_limits<double>::quiet_NaN();
      } else if (component.packed) {
        value = value * component.scale + component.offset;
      }
      if (std::isfinite(value) && std::fabs(value) > static_cast<double>(FLT_MAX))
        throw Error(component.where + ": value " + std::to_string(value) + " at trajectory " +
                    std::to_string(trajectory) + ", step " + std::to_string(step) + " is out of the float32 range");
      *target = static_cast<float>(value);
      target += n_components;
      for (int k = ndim - 1; k >= 0; --k) {
        offset += component.axis_stride[static_cast<std::size_t>(k)];
        if (++index[k] < shape[static_cast<std::size_t>(k)]) break;
        offset -= component.axis_stride[static_cast<std::size_t>(k)] * shape[static_cast<std::size_t>(k)];
        index[k] = 0;
      }
    }
  }
}

NetcdfSource::NetcdfSource(const std::string& path, const NetcdfReadOptions& options) : impl_(new Impl) {
  impl_->path = path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": no such file");
  std::lock_guard<std::mutex> lock(netcdf::library_mutex());
  try {
    impl_->file = std::make_unique<netCDF::NcFile>(path, netCDF::NcFile::read);
  } catch (const NcException& e) {
    throw Error(path + ": not a NetCDF file, or a damaged one (" +
                (e.errorCode() ? std::string(nc_strerror(e.errorCode())) : std::string(e.what())) + ")");
  }
  try {
    impl_->open(options);
  } catch (const NcException& e) {
    throw Error(path +
                ": netCDF error: " + (e.errorCode() ? std::string(nc_strerror(e.errorCode())) : std::string(e.what())));
  }
}

NetcdfSource::~NetcdfSource() {
  std::lock_guard<std::mutex> lock(netcdf::library_mutex());
  impl_.reset();
}

const WellFileInfo& NetcdfSource::info() const {
  return impl_->info;
}

void NetcdfSource::read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                               std::int64_t stride, float* out) const {
  const WellFileInfo& info = impl_->info;
  if (field >= info.fields.size())
    throw Error(info.path + ": field " + std::to_string(field) + " out of range (the file has " +
                std::to_string(info.fields.size()) + ")");
  const WellField& f = info.fields[field];
  const std::string where = info.path + ": field '" + f.name + "'";
  if (!f.time_varying) throw Error(where + ": is constant in time (read it with read_constant)");
  if (f.sample_varying && (trajectory < 0 || trajectory >= info.n_trajectories))
    throw Error(where + ": trajectory " + std::to_string(trajectory) + " out of range (the file has " +
                std::to_string(info.n_trajectories) + ")");
  if (count < 0 || stride < 1 || first < 0 || (count > 0 && first + (count - 1) * stride >= info.n_steps))
    throw Error(where + ": frames " + std::to_string(first) + " + " + std::to_string(stride) + "·k for k < " +
                std::to_string(count) + " are out of range (the file has " + std::to_string(info.n_steps) + " steps)");
  const std::int64_t size = frame_size(info, f);
  std::lock_guard<std::mutex> lock(netcdf::library_mutex());
  for (std::int64_t k = 0; k < count; ++k)
    impl_->read_frame(field, f.sample_varying ? trajectory : 0, impl_->has_time ? first + k * stride : 0,
                      out + k * size);
}

void NetcdfSource::read_constant(std::size_t field, std::int64_t trajectory, float* out) const {
  const WellFileInfo& info = impl_->info;
  if (field >= info.fields.size())
    throw Error(info.path + ": field " + std::to_string(field) + " out of range (the file has " +
                std::to_string(info.fields.size()) + ")");
  const WellField& f = info.fields[field];
  const std::string where = info.path + ": field '" + f.name + "'";
  if (f.time_varying) throw Error(where + ": varies in time (read it with read_frames)");
  if (f.sample_varying && (trajectory < 0 || trajectory >= info.n_trajectories))
    throw Error(where + ": trajectory " + std::to_string(trajectory) + " out of range (the file has " +
                std::to_string(info.n_trajectories) + ")");
  std::lock_guard<std::mutex> lock(netcdf::library_mutex());
  impl_->read_frame(field, f.sample_varying ? trajectory : 0, 0, out);
}

std::vector<std::string> NetcdfSource::variable_names(std::size_t field) const {
  if (field >= impl_->plans.size())
    throw Error(impl_->info.path + ": field " + std::to_string(field) + " out of range");
  std::vector<std::string> names;
  std::lock_guard<std::mutex> lock(netcdf::library_mutex());
  for (const auto& c : impl_->plans[field].components)
    names.push_back(c.var.getName());
  return names;
}

std::vector<std::string> netcdf_component_suffixes(int order, int ndim) {
  if (order < 0 || order > 2 || ndim < 1 || ndim > kMaxSpatialDims)
    throw Error("NetCDF component names: order " + std::to_string(order) + " on " + std::to_string(ndim) +
                " axes is not supported");
  if (order == 0) return {""};
  std::vector<std::string> out;
  for (int k = 0; k < ndim; ++k) {
    if (order == 1) {
      out.emplace_back(1, netcdf::kAxisLetters[k]);
      continue;
    }
    for (int l = 0; l < ndim; ++l)
      out.push_back(std::string(1, netcdf::kAxisLetters[k]) + netcdf::kAxisLetters[l]);
  }
  return out;
}

bool looks_like_netcdf(const std::string& path) {
  const std::string extension = netcdf::lower(std::filesystem::path(path).extension().string());
  if (extension == ".nc" || extension == ".nc4" || extension == ".cdf" || extension == ".netcdf") return true;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {0, 0, 0, 0};
  if (!in.read(magic, 4)) return false;
  return std::memcmp(magic, "CDF", 3) == 0 && (magic[3] == 1 || magic[3] == 2 || magic[3] == 5);
}

}  // namespace gavel::datasets
