#include "gavel/datasets/well_file.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <H5Cpp.h>

#include "gavel/core/error.hpp"
#include "gavel/core/shape_text.hpp"
#include "gavel/datasets/hdf5_attributes.hpp"

namespace gavel::datasets {
namespace {

bool link_exists(const H5::Group& group, const std::string& name) {
  return H5Lexists(group.getId(), name.c_str(), H5P_DEFAULT) > 0;
}

H5::Group open_group(const H5::Group& parent, const std::string& name, const std::string& where) {
  if (!link_exists(parent, name)) throw Error(where + ": group '" + name + "' is missing");
  return parent.openGroup(name);
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

BoundaryCondition parse_bc_type(const std::string& text, const std::string& where) {
  const std::string t = upper(text);
  if (t == "WALL") return BoundaryCondition::wall;
  if (t == "OPEN") return BoundaryCondition::open;
  if (t == "PERIODIC") return BoundaryCondition::periodic;
  throw Error(where + ": unknown bc_type '" + text + "' (expected WALL, OPEN or PERIODIC)");
}

/// the_well's reduction of one boundary-condition group: on each associated axis, the mask's
/// first and last slices decide the low and high faces — all true for WALL, any true otherwise.
void apply_bc_group(const H5::Group& group, const std::string& where, const WellFileInfo& info,
                    std::vector<std::array<BoundaryCondition, 2>>& faces) {
  const BoundaryCondition type = parse_bc_type(hdf5::read_string(group, "bc_type", where), where);
  const auto dims = hdf5::read_string_list(group, "associated_dims", where);
  if (dims.empty()) throw Error(where + ": associated_dims is empty");
  std::vector<int> axes;
  std::vector<std::int64_t> expected;
  for (const auto& d : dims) {
    const auto it = std::find(info.spatial_dims.begin(), info.spatial_dims.end(), d);
    if (it == info.spatial_dims.end()) throw Error(where + ": associated dim '" + d + "' is not a spatial dim");
    axes.push_back(static_cast<int>(it - info.spatial_dims.begin()));
    expected.push_back(info.spatial_shape[static_cast<std::size_t>(axes.back())]);
  }
  if (!link_exists(group, "mask")) throw Error(where + ": dataset 'mask' is missing");
  const H5::DataSet mask_set = group.openDataSet("mask");
  const auto mask_shape = hdf5::shape(mask_set);
  if (mask_shape != expected)
    throw Error(where + "/mask: shape " + shape_text(mask_shape) + " does not match the associated dims " +
                shape_text(expected));
  const auto mask = hdf5::read_mask(mask_set, where + "/mask");
  const std::size_t rank = mask_shape.size();
  for (std::size_t position = 0; position < rank; ++position) {
    for (int side = 0; side < 2; ++side) {
      const std::int64_t index = side == 0 ? 0 : mask_shape[position] - 1;
      bool all = true, any = false;
      // Visit every mask entry whose coordinate along `position` is `index`.
      for (std::size_t flat = 0; flat < mask.size(); ++flat) {
        std::size_t rest = flat;
        std::int64_t coordinate = 0;
        for (std::size_t k = rank; k-- > 0;) {
          const auto extent = static_cast<std::size_t>(mask_shape[k]);
          if (k == position) coordinate = static_cast<std::int64_t>(rest % extent);
          rest /= extent;
        }
        if (coordinate != index) continue;
        all = all && mask[flat] != 0;
        any = any || mask[flat] != 0;
      }
      const bool set = type == BoundaryCondition::wall ? all : any;
      if (set) faces[static_cast<std::size_t>(axes[position])][static_cast<std::size_t>(side)] = type;
    }
  }
}

WellField read_field(const H5::Group& group, const std::string& name, int order, const WellFileInfo& info,
                     const std::string& where) {
  if (!link_exists(group, name)) throw Error(where + ": dataset '" + name + "' (listed in field_names) is missing");
  const H5::DataSet set = group.openDataSet(name);
  const std::string here = where + "/" + name;
  WellField field;
  field.name = name;
  field.order = order;
  field.time_varying = hdf5::read_flag(set, "time_varying", true, here);
  field.sample_varying = hdf5::read_flag(set, "sample_varying", true, here);
  if (hdf5::has_attribute(set, "gavel_parity")) {
    const std::string parity = hdf5::read_string(set, "gavel_parity", here);
    if (parity != "pseudo" && parity != "polar")
      throw Error(here + ": gavel_parity '" + parity + "' (expected pseudo or polar)");
    field.pseudo = parity == "pseudo";
  }
  if (hdf5::has_attribute(set, "dim_varying")) {
    field.dim_varying = hdf5::read_flag_list(set, "dim_varying", here);
    if (static_cast<int>(field.dim_varying.size()) != info.ndim())
      throw Error(here + ": dim_varying has " + std::to_string(field.dim_varying.size()) + " entries for " +
                  std::to_string(info.ndim()) + " spatial dims");
  }
  field.shape = hdf5::shape(set);
  std::vector<std::int64_t> expected;
  if (field.sample_varying) expected.push_back(info.n_trajectories);
  if (field.time_varying) expected.push_back(info.n_steps);
  for (int k = 0; k < info.ndim(); ++k)
    expected.push_back(field.varies_along(k) ? info.spatial_shape[static_cast<std::size_t>(k)] : 1);
  for (int k = 0; k < order; ++k)
    expected.push_back(info.ndim());
  if (field.shape != expected)
    throw Error(here + ": shape " + shape_text(field.shape) + ", expected " + shape_text(expected) +
                " ([trajectories,] [time,] space with extent 1 where dim_varying is false, components)");
  return field;
}

std::vector<WellScalar> read_scalars(const H5::Group& group, const std::string& where, const WellFileInfo& info) {
  std::vector<WellScalar> scalars;
  if (!hdf5::has_attribute(group, "field_names")) return scalars;
  for (const auto& name : hdf5::read_string_list(group, "field_names", where)) {
    if (!link_exists(group, name)) throw Error(where + ": dataset '" + name + "' (listed in field_names) is missing");
    const H5::DataSet set = group.openDataSet(name);
    const std::string here = where + "/" + name;
    WellScalar scalar;
    scalar.name = name;
    scalar.time_varying = hdf5::read_flag(set, "time_varying", false, here);
    scalar.sample_varying = hdf5::read_flag(set, "sample_varying", false, here);
    std::vector<std::int64_t> expected;
    if (scalar.sample_varying) expected.push_back(info.n_trajectories);
    if (scalar.time_varying) expected.push_back(info.n_steps);
    const auto stored = hdf5::shape(set);
    if (stored != expected)
      throw Error(here + ": shape " + shape_text(stored) + ", expected " + shape_text(expected) +
                  " ([trajectories,] [time])");
    scalar.values = hdf5::read_numbers(set, here);
    scalars.push_back(std::move(scalar));
  }
  return scalars;
}

WellFileInfo read_structure(const H5::H5File& file, const std::string& path) {
  WellFileInfo info;
  info.path = path;
  const std::string root = path + ": /";
  info.dataset_name = hdf5::read_string(file, "dataset_name", root);
  info.grid_type = hdf5::read_string(file, "grid_type", root);
  const std::int64_t ndim = hdf5::read_integer(file, "n_spatial_dims", root);
  if (ndim < 1 || ndim > kMaxSpatialDims)
    throw Error(root + ": n_spatial_dims is " + std::to_string(ndim) + ", 1 to 3 supported");
  info.n_trajectories = hdf5::read_integer(file, "n_trajectories", root);
  if (info.n_trajectories < 1) throw Error(root + ": n_trajectories is " + std::to_string(info.n_trajectories));
  for (const auto& p : hdf5::read_string_list(file, "simulation_parameters", root))
    info.simulation_parameters.emplace_back(p, hdf5::read_number(file, p, root));

  const std::string dims_where = path + ": /dimensions";
  const H5::Group dimensions = open_group(file, "dimensions", path + ": /");
  info.spatial_dims = hdf5::read_string_list(dimensions, "spatial_dims", dims_where);
  if (static_cast<std::int64_t>(info.spatial_dims.size()) != ndim)
    throw Error(dims_where + ": spatial_dims names " + std::to_string(info.spatial_dims.size()) +
                " axes but n_spatial_dims is " + std::to_string(ndim));
  for (const auto& d : info.spatial_dims) {
    if (!link_exists(dimensions, d)) throw Error(dims_where + ": coordinate dataset '" + d + "' is missing");
    const auto s = hdf5::shape(dimensions.openDataSet(d));
    if (s.size() != 1 || s[0] < 1)
      throw Error(dims_where + "/" + d + ": expected a non-empty 1-D coordinate, got shape " + shape_text(s));
    info.spatial_shape.push_back(s[0]);
    info.coordinates.push_back(hdf5::read_numbers(dimensions.openDataSet(d), dims_where + "/" + d));
  }
  if (!link_exists(dimensions, "time")) throw Error(dims_where + ": dataset 'time' is missing");
  const H5::DataSet time = dimensions.openDataSet("time");
  const auto time_shape = hdf5::shape(time);
  if (time_shape.empty() || time_shape.size() > 2 || time_shape.back() < 1)
    throw Error(dims_where + "/time: expected shape (T) or (B,T), got " + shape_text(time_shape));
  if (time_shape.size() == 2 && time_shape[0] != info.n_trajectories)
    throw Error(dims_where + "/time: shape " + shape_text(time_shape) + " but the file has " +
                std::to_string(info.n_trajectories) + " trajectories");
  info.n_steps = time_shape.back();
  info.time = hdf5::read_numbers(time, dims_where + "/time");
  info.time_per_trajectory = time_shape.size() == 2;
  if (link_exists(file, "scalars")) info.scalars = read_scalars(file.openGroup("scalars"), path + ": /scalars", info);

  info.boundary.assign(info.spatial_shape.size(), {BoundaryCondition::open, BoundaryCondition::open});
  if (link_exists(file, "boundary_conditions")) {
    const H5::Group bcs = file.openGroup("boundary_conditions");
    for (const auto& name : hdf5::member_names(bcs))
      apply_bc_group(bcs.openGroup(name), path + ": /boundary_conditions/" + name, info, info.boundary);
  }

  for (int order = 0; order <= 2; ++order) {
    const std::string group_name = "t" + std::to_string(order) + "_fields";
    const std::string where = path + ": /" + group_name;
    const H5::Group group = open_group(file, group_name, path + ": /");
    for (const auto& name : hdf5::read_string_list(group, "field_names", where))
      info.fields.push_back(read_field(group, name, order, info, where));
  }
  return info;
}

}  // namespace

Grid WellFileInfo::grid() const {
  if (!cartesian()) throw Error(path + ": grid_type '" + grid_type + "' is not Cartesian: no grid symmetry applies");
  try {
    return Grid(spatial_shape, boundary, std::vector<Sampling>(spatial_shape.size(), Sampling::cell_centred));
  } catch (const Error& e) {
    throw Error(path + ": /boundary_conditions: " + e.what());
  }
}

std::vector<double> WellFileInfo::trajectory_time(std::int64_t trajectory) const {
  if (trajectory < 0 || trajectory >= n_trajectories)
    throw Error(path + ": trajectory " + std::to_string(trajectory) + " out of range (the file has " +
                std::to_string(n_trajectories) + ")");
  const auto begin = time.begin() + (time_per_trajectory ? trajectory * n_steps : 0);
  return std::vector<double>(begin, begin + n_steps);
}

std::vector<WellField> WellFileInfo::time_varying_fields() const {
  std::vector<WellField> out;
  for (const auto& f : fields)
    if (f.time_varying) out.push_back(f);
  return out;
}

std::vector<WellField> WellFileInfo::constant_fields() const {
  std::vector<WellField> out;
  for (const auto& f : fields)
    if (!f.time_varying) out.push_back(f);
  return out;
}

ChannelLayout WellFileInfo::channel_layout(int time_steps) const {
  std::vector<FieldSpec> varying, constant;
  for (const auto& f : time_varying_fields())
    varying.push_back(f.spec());
  for (const auto& f : constant_fields())
    constant.push_back(f.spec());
  return ChannelLayout(ndim(), varying, time_steps, constant);
}

void override_parity(WellFileInfo& info, const std::vector<std::string>& pseudo,
                     const std::vector<std::string>& polar) {
  auto set = [&](const std::string& name, bool value) {
    const auto it =
        std::find_if(info.fields.begin(), info.fields.end(), [&](const WellField& f) { return f.name == name; });
    if (it == info.fields.end()) {
      std::string known;
      for (const auto& f : info.fields)
        known += (known.empty() ? "" : ", ") + f.name;
      throw Error(info.path + ": no field '" + name + "' to mark " + (value ? "pseudo" : "polar") +
                  " (fields: " + known + ")");
    }
    it->pseudo = value;
  };
  for (const auto& name : pseudo) {
    if (std::find(polar.begin(), polar.end(), name) != polar.end())
      throw Error(info.path + ": field '" + name + "' marked both pseudo and polar");
    set(name, true);
  }
  for (const auto& name : polar)
    set(name, false);
}

WellFileInfo read_well_file(const std::string& path) {
  H5::Exception::dontPrint();
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  bool is_hdf5 = false;
  try {
    is_hdf5 = H5::H5File::isHdf5(path.c_str());
  } catch (const H5::Exception&) {
    is_hdf5 = false;
  }
  if (!is_hdf5) throw Error(path + ": not an HDF5 file");
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    return read_structure(file, path);
  } catch (const H5::Exception& e) {
    throw Error(path + ": HDF5 error in " + e.getFuncName() + ": " + e.getDetailMsg() +
                " (truncated or corrupt file?)");
  }
}

}  // namespace gavel::datasets
