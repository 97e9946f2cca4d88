#include "gavel/datasets/well_writer.hpp"

#include <algorithm>

#include <H5Cpp.h>

#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/version.hpp"
#include "gavel/datasets/hdf5_writing.hpp"
#include "gavel/datasets/memory_source.hpp"
#include "gavel/datasets/output_kinds.hpp"

namespace gavel::datasets {
namespace {

std::string lower_name(BoundaryCondition bc) {
  switch (bc) {
    case BoundaryCondition::wall:
      return "wall";
    case BoundaryCondition::open:
      return "open";
    case BoundaryCondition::periodic:
      return "periodic";
  }
  return "open";
}

std::string upper_name(BoundaryCondition bc) {
  std::string name = lower_name(bc);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(c - 32); });
  return name;
}

void check_structure(const WellFileInfo& info) {
  const std::string where = "writing '" + info.dataset_name + "'";
  const auto ndim = static_cast<std::size_t>(info.ndim());
  if (info.spatial_dims.size() != ndim || info.coordinates.size() != ndim || info.boundary.size() != ndim)
    throw Error(where + ": spatial_dims, coordinates and boundary conditions must name every axis");
  for (std::size_t k = 0; k < ndim; ++k)
    if (static_cast<std::int64_t>(info.coordinates[k].size()) != info.spatial_shape[k])
      throw Error(where + ": coordinate '" + info.spatial_dims[k] + "' has " +
                  std::to_string(info.coordinates[k].size()) + " values for an axis of " +
                  std::to_string(info.spatial_shape[k]));
  const std::int64_t time_values = info.n_steps * (info.time_per_trajectory ? info.n_trajectories : 1);
  if (static_cast<std::int64_t>(info.time.size()) != time_values)
    throw Error(where + ": " + std::to_string(info.time.size()) + " time values, expected " +
                std::to_string(time_values));
}

void write_dimensions(H5::H5File& file, const WellFileInfo& info) {
  H5::Group dims = file.createGroup("dimensions");
  hdf5::write_string_list(dims, "spatial_dims", info.spatial_dims);
  std::vector<std::int64_t> time_shape{info.n_steps};
  if (info.time_per_trajectory) time_shape.insert(time_shape.begin(), info.n_trajectories);
  H5::DataSet time =
      hdf5::write_floats(dims, "time", time_shape, std::vector<float>(info.time.begin(), info.time.end()));
  hdf5::write_flag(time, "sample_varying", info.time_per_trajectory);
  hdf5::write_flag(time, "time_varying", true);
  for (std::size_t k = 0; k < info.spatial_dims.size(); ++k) {
    const auto& values = info.coordinates[k];
    H5::DataSet axis = hdf5::write_floats(dims, info.spatial_dims[k], {static_cast<std::int64_t>(values.size())},
                                          std::vector<float>(values.begin(), values.end()));
    hdf5::write_flag(axis, "sample_varying", false);
    hdf5::write_flag(axis, "time_varying", false);
  }
}

/// One group per (axis, condition) with a 1-D mask on that axis's faces: the_well then sets a
/// face WALL (whole face masked) or OPEN/PERIODIC (any point masked) exactly as described.
void write_boundary_conditions(H5::H5File& file, const WellFileInfo& info) {
  H5::Group bcs = file.createGroup("boundary_conditions");
  for (std::size_t k = 0; k < info.boundary.size(); ++k) {
    const auto n = info.spatial_shape[k];
    for (BoundaryCondition bc : {BoundaryCondition::open, BoundaryCondition::periodic, BoundaryCondition::wall}) {
      const bool low = info.boundary[k][0] == bc, high = info.boundary[k][1] == bc;
      std::vector<std::uint8_t> mask;
      mask.reserve(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i)
        mask.push_back(static_cast<std::uint8_t>((i == 0 && low) || (i == n - 1 && high)));
      const auto marked = std::count(mask.begin(), mask.end(), std::uint8_t{1});
      if (marked == 0) continue;
      H5::Group group = bcs.createGroup(info.spatial_dims[k] + "_" + lower_name(bc));
      hdf5::write_string(group, "bc_type", upper_name(bc));
      hdf5::write_string_list(group, "associated_dims", {info.spatial_dims[k]});
      hdf5::write_string_list(group, "associated_fields", {});
      hdf5::write_flag(group, "sample_varying", false);
      hdf5::write_flag(group, "time_varying", false);
      hdf5::write_mask(group, "mask", {n}, mask);
      hdf5::write_floats(group, "values", {marked}, std::vector<float>(static_cast<std::size_t>(marked), 0.0f));
    }
  }
}

void write_scalars(H5::H5File& file, const WellFileInfo& info) {
  H5::Group group = file.createGroup("scalars");
  std::vector<std::string> names;
  for (const auto& scalar : info.scalars) {
    std::vector<std::int64_t> shape;
    if (scalar.sample_varying) shape.push_back(info.n_trajectories);
    if (scalar.time_varying) shape.push_back(info.n_steps);
    std::int64_t size = 1;
    for (auto n : shape)
      size *= n;
    if (static_cast<std::int64_t>(scalar.values.size()) != size)
      throw Error("writing '" + info.dataset_name + "': scalar '" + scalar.name + "' has " +
                  std::to_string(scalar.values.size()) + " values, expected " + std::to_string(size));
    H5::DataSet set =
        hdf5::write_floats(group, scalar.name, shape, std::vector<float>(scalar.values.begin(), scalar.values.end()));
    hdf5::write_flag(set, "sample_varying", scalar.sample_varying);
    hdf5::write_flag(set, "time_varying", scalar.time_varying);
    names.push_back(scalar.name);
  }
  // The Well's format checker wants every simulation parameter as a /scalars dataset too.
  for (const auto& [name, value] : info.simulation_parameters) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    H5::DataSet set = hdf5::write_floats(group, name, {}, {static_cast<float>(value)});
    hdf5::write_flag(set, "sample_varying", false);
    hdf5::write_flag(set, "time_varying", false);
    names.push_back(name);
  }
  hdf5::write_string_list(group, "field_names", names);
}

/// Streams one field into its dataset: whole frames per hyperslab, `buffer_values` at a time.
void write_field_values(H5::DataSet& set, const FieldSource& source, std::size_t index,
                        const WellWriteOptions& options) {
  const WellFileInfo& info = source.info();
  const WellField& field = info.fields[index];
  const auto shape = stored_shape(info, field);
  const std::int64_t frame = frame_size(info, field);
  const H5::DataSpace file_space = set.getSpace();
  const std::int64_t trajectories = field.sample_varying ? info.n_trajectories : 1;
  const std::int64_t steps = field.time_varying ? info.n_steps : 1;
  const std::int64_t per_write = std::max<std::int64_t>(1, options.buffer_values / std::max<std::int64_t>(frame, 1));
  std::vector<float> buffer;
  for (std::int64_t b = 0; b < trajectories; ++b) {
    for (std::int64_t t = 0; t < steps; t += per_write) {
      const std::int64_t count = std::min(per_write, steps - t);
      buffer.resize(static_cast<std::size_t>(count * frame));
      if (field.time_varying)
        source.read_frames(index, b, t, count, 1, buffer.data());
      else
        source.read_constant(index, b, buffer.data());
      std::vector<hsize_t> start(shape.size(), 0), extent(shape.begin(), shape.end());
      std::size_t axis = 0;
      if (field.sample_varying) {
        start[axis] = static_cast<hsize_t>(b);
        extent[axis++] = 1;
      }
      if (field.time_varying) {
        start[axis] = static_cast<hsize_t>(t);
        extent[axis] = static_cast<hsize_t>(count);
      }
      H5::DataSpace selection = file_space;
      selection.selectHyperslab(H5S_SELECT_SET, extent.data(), start.data());
      const hsize_t flat[1] = {static_cast<hsize_t>(count * frame)};
      const H5::DataSpace memory(1, flat);
      set.write(buffer.data(), H5::PredType::NATIVE_FLOAT, memory, selection);
    }
  }
}

void write_fields(H5::H5File& file, const FieldSource& source, const WellWriteOptions& options) {
  const WellFileInfo& info = source.info();
  for (int order = 0; order <= 2; ++order) {
    H5::Group group = file.createGroup("t" + std::to_string(order) + "_fields");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < info.fields.size(); ++i) {
      const WellField& field = info.fields[i];
      if (field.order != order) continue;
      const auto shape = stored_shape(info, field);
      const std::vector<hsize_t> dims(shape.begin(), shape.end());
      H5::DataSet set = group.createDataSet(field.name, H5::PredType::IEEE_F32LE,
                                            H5::DataSpace(static_cast<int>(dims.size()), dims.data()));
      hdf5::write_flag(set, "time_varying", field.time_varying);
      hdf5::write_flag(set, "sample_varying", field.sample_varying);
      hdf5::write_flag_list(set, "dim_varying", std::vector<bool>(static_cast<std::size_t>(info.ndim()), true));
      if (field.pseudo) hdf5::write_string(set, "gavel_parity", "pseudo");
      write_field_values(set, source, i, options);
      names.push_back(field.name);
    }
    hdf5::write_string_list(group, "field_names", names);
  }
}

}  // namespace

void write_well_file(const std::string& path, const FieldSource& source, const WellWriteOptions& options) {
  const WellFileInfo& info = source.info();
  check_structure(info);
  AtomicOutput output(path, well_file_output(), {options.overwrite, false, options.inputs});
  H5::Exception::dontPrint();
  try {
    H5::H5File file(output.temporary(), H5F_ACC_EXCL);
    hdf5::write_string(file, "dataset_name", info.dataset_name);
    hdf5::write_string(file, "gavel_version", kVersion);
    hdf5::write_string(file, "gavel_kind", "well");
    hdf5::write_string(file, "grid_type", info.grid_type);
    hdf5::write_integer(file, "n_spatial_dims", info.ndim());
    hdf5::write_integer(file, "n_trajectories", info.n_trajectories);
    std::vector<std::string> parameters;
    for (const auto& [name, value] : info.simulation_parameters) {
      hdf5::write_number(file, name, value);
      parameters.push_back(name);
    }
    hdf5::write_string_list(file, "simulation_parameters", parameters);
    write_dimensions(file, info);
    write_boundary_conditions(file, info);
    write_scalars(file, info);
    write_fields(file, source, options);
    file.close();
  } catch (const H5::Exception& e) {
    throw Error(path + ": HDF5 error while writing, in " + e.getFuncName() + ": " + e.getDetailMsg());
  }
  output.commit();
}

}  // namespace gavel::datasets
