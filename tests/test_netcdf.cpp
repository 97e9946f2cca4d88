// NetCDF: round trips through write_netcdf and NetcdfSource, files written independently with the
// netCDF C API (CF names, components by naming rule and by attribute, classic format), bad input,
// and — when the pinned xarray venv exists — xarray's view of a written file.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <netcdf.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/grid.hpp"
#include "gavel/datasets/netcdf_source.hpp"
#include "gavel/datasets/netcdf_writer.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "netcdf_test_source.hpp"
#include "test_paths.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

constexpr auto wall = BoundaryCondition::wall;
constexpr auto open = BoundaryCondition::open;
constexpr auto periodic = BoundaryCondition::periodic;
using Faces = std::vector<std::array<BoundaryCondition, 2>>;

/// A fresh folder under the system's temporary folder, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    std::random_device device;
    path = fs::temp_directory_path() / ("gavel-netcdf-" + std::to_string(device()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

void nc_ok(int status) {
  INFO(nc_strerror(status));
  REQUIRE(status == NC_NOERR);
}

void put_text(int ncid, int varid, const char* name, const std::string& value) {
  nc_ok(nc_put_att_text(ncid, varid, name, value.size(), value.c_str()));
}

WellField field(const std::string& name, int order, bool pseudo = false, bool time_varying = true,
                bool sample_varying = true) {
  WellField f;
  f.name = name;
  f.order = order;
  f.pseudo = pseudo;
  f.time_varying = time_varying;
  f.sample_varying = sample_varying;
  return f;
}

/// A source with scalar, pseudoscalar, vector, tensor and constant fields, scalars and
/// simulation parameters; values random with a few special floats.
test::NetcdfTestSource make_source(int ndim, std::int64_t trajectories, bool sample_varying) {
  WellFileInfo info;
  info.dataset_name = "roundtrip_" + std::to_string(ndim) + "d";
  info.grid_type = "cartesian";
  info.n_trajectories = trajectories;
  info.n_steps = 3;
  const std::vector<std::int64_t> shape =
      ndim == 2 ? std::vector<std::int64_t>{5, 4} : std::vector<std::int64_t>{3, 4, 5};
  for (int k = 0; k < ndim; ++k) {
    info.spatial_dims.push_back(std::string(1, "xyz"[k]));
    info.spatial_shape.push_back(shape[static_cast<std::size_t>(k)]);
    std::vector<double> c;
    for (std::int64_t i = 0; i < shape[static_cast<std::size_t>(k)]; ++i)
      c.push_back((static_cast<double>(i) + 0.5) / static_cast<double>(shape[static_cast<std::size_t>(k)]) * (k + 1));
    info.coordinates.push_back(c);
  }
  info.time = {0.0, 0.1, 0.25};
  info.boundary =
      ndim == 2 ? Faces{{periodic, periodic}, {wall, open}} : Faces{{open, open}, {periodic, periodic}, {wall, wall}};
  info.fields = {field("density", 0, false, true, sample_varying),
                 field("vorticity", 0, true, true, sample_varying),
                 field("mask", 0, false, false, false),
                 field("velocity", 1, false, true, sample_varying),
                 field("forcing", 1, true, false, sample_varying),
                 field("stress", 2, false, true, sample_varying)};
  WellScalar energy;
  energy.name = "energy";
  energy.time_varying = true;
  energy.sample_varying = sample_varying;
  for (std::int64_t i = 0; i < (sample_varying ? trajectories : 1) * info.n_steps; ++i)
    energy.values.push_back(1.5 * static_cast<double>(i));
  WellScalar viscosity;
  viscosity.name = "viscosity";
  viscosity.values = {1e-3};
  info.scalars = {energy, viscosity};
  info.simulation_parameters = {{"Re", 100.0}, {"Pr", 0.71}};
  test::NetcdfTestSource source(info);
  std::mt19937 rng(1234);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (std::size_t i = 0; i < source.info().fields.size(); ++i)
    for (auto& v : source.values(i))
      v = uniform(rng);
  auto& first = source.values(0);
  first[0] = -0.0f;
  first[1] = std::numeric_limits<float>::infinity();
  first[2] = std::numeric_limits<float>::denorm_min();
  first[3] = std::numeric_limits<float>::quiet_NaN();
  return source;
}

/// Every frame of every field of `a` and `b`, compared bit for bit.
void check_same_values(const FieldSource& a, const FieldSource& b) {
  const auto& info = a.info();
  REQUIRE(b.info().fields.size() == info.fields.size());
  for (std::size_t i = 0; i < info.fields.size(); ++i) {
    const WellField& f = info.fields[i];
    const auto size = static_cast<std::size_t>(frame_size(info, f));
    std::vector<float> x(size), y(size);
    for (std::int64_t traj = 0; traj < (f.sample_varying ? info.n_trajectories : 1); ++traj)
      for (std::int64_t t = 0; t < (f.time_varying ? info.n_steps : 1); ++t) {
        if (f.time_varying) {
          a.read_frames(i, traj, t, 1, 1, x.data());
          b.read_frames(i, traj, t, 1, 1, y.data());
        } else {
          a.read_constant(i, traj, x.data());
          b.read_constant(i, traj, y.data());
        }
        INFO("field " << f.name << " trajectory " << traj << " step " << t);
        CHECK(std::memcmp(x.data(), y.data(), size * sizeof(float)) == 0);
      }
  }
}

void check_same_structure(const WellFileInfo& a, const WellFileInfo& b) {
  CHECK(b.dataset_name == a.dataset_name);
  CHECK(b.grid_type == a.grid_type);
  CHECK(b.n_trajectories == a.n_trajectories);
  CHECK(b.n_steps == a.n_steps);
  CHECK(b.spatial_dims == a.spatial_dims);
  CHECK(b.spatial_shape == a.spatial_shape);
  CHECK(b.coordinates == a.coordinates);
  CHECK(b.time == a.time);
  CHECK(b.time_per_trajectory == a.time_per_trajectory);
  CHECK(b.boundary == a.boundary);
  CHECK(b.simulation_parameters == a.simulation_parameters);
  REQUIRE(b.fields.size() == a.fields.size());
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    INFO("field " << a.fields[i].name);
    CHECK(b.fields[i].name == a.fields[i].name);
    CHECK(b.fields[i].order == a.fields[i].order);
    CHECK(b.fields[i].pseudo == a.fields[i].pseudo);
    CHECK(b.fields[i].time_varying == a.fields[i].time_varying);
    CHECK(b.fields[i].sample_varying == a.fields[i].sample_varying);
    CHECK(b.fields[i].shape == a.fields[i].shape);
  }
  REQUIRE(b.scalars.size() == a.scalars.size());
  for (std::size_t i = 0; i < a.scalars.size(); ++i) {
    CHECK(b.scalars[i].name == a.scalars[i].name);
    CHECK(b.scalars[i].time_varying == a.scalars[i].time_varying);
    CHECK(b.scalars[i].sample_varying == a.scalars[i].sample_varying);
    CHECK(b.scalars[i].values == a.scalars[i].values);
  }
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no gavel::Error thrown");
  return "";
}

std::string open_error(const fs::path& path) {
  return error_of([&] { NetcdfSource source(path.string()); });
}

/// A small file over (time, y, x) with the given float variables; `extra` adds to the definition.
fs::path small_file(const fs::path& folder, const std::string& name, const std::vector<std::string>& variables,
                    const std::function<void(int ncid, int time, int y, int x)>& extra = {}) {
  const fs::path path = folder / name;
  int ncid = 0, time = 0, y = 0, x = 0;
  nc_ok(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid));
  nc_ok(nc_def_dim(ncid, "time", 2, &time));
  nc_ok(nc_def_dim(ncid, "y", 3, &y));
  nc_ok(nc_def_dim(ncid, "x", 4, &x));
  const int dims[] = {time, y, x};
  for (const auto& v : variables) {
    int id = 0;
    nc_ok(nc_def_var(ncid, v.c_str(), NC_FLOAT, 3, dims, &id));
  }
  if (extra) extra(ncid, time, y, x);
  nc_ok(nc_close(ncid));
  return path;
}

}  // namespace

TEST_CASE("NetCDF round trip in 2-D: structure, boundary conditions and every value bit for bit", "[netcdf]") {
  TempDir dir;
  const auto source = make_source(2, 2, true);
  const fs::path path = dir.path / "prediction.nc";
  NetcdfWriteOptions options;
  options.attributes = {{"model", "fno"}, {"group", "D2"}};
  options.units = {{"velocity", "m/s"}};
  write_netcdf(source, path.string(), options);
  CHECK(dir.entries() == std::vector<std::string>{"prediction.nc"});

  const NetcdfSource back(path.string());
  check_same_structure(source.info(), back.info());
  CHECK(back.info().path == path.string());
  check_same_values(source, back);
  CHECK(back.variable_names(3) == std::vector<std::string>{"velocity_x", "velocity_y"});
  CHECK(back.variable_names(5) == std::vector<std::string>{"stress_xx", "stress_xy", "stress_yx", "stress_yy"});
  CHECK(back.info().grid().is_periodic(0));
  CHECK_FALSE(back.info().grid().is_periodic(1));

  // Strided reads agree with single frames.
  const auto size = static_cast<std::size_t>(frame_size(back.info(), back.info().fields[3]));
  std::vector<float> two(2 * size), one(size);
  back.read_frames(3, 1, 0, 2, 2, two.data());
  back.read_frames(3, 1, 2, 1, 1, one.data());
  CHECK(std::memcmp(two.data() + size, one.data(), size * sizeof(float)) == 0);

  // Extra attributes and units are in the file.
  int ncid = 0;
  nc_ok(nc_open(path.c_str(), NC_NOWRITE, &ncid));
  char text[64] = {0};
  nc_ok(nc_get_att_text(ncid, NC_GLOBAL, "model", text));
  CHECK(std::string(text) == "fno");
  int varid = 0;
  nc_ok(nc_inq_varid(ncid, "velocity_y", &varid));
  std::memset(text, 0, sizeof text);
  nc_ok(nc_get_att_text(ncid, varid, "units", text));
  CHECK(std::string(text) == "m/s");
  int format = 0;
  nc_ok(nc_inq_format(ncid, &format));
  CHECK(format == NC_FORMAT_NETCDF4);
  nc_ok(nc_close(ncid));
}

TEST_CASE("NetCDF round trip in 3-D without a trajectory dimension", "[netcdf]") {
  TempDir dir;
  const auto source = make_source(3, 1, false);
  const fs::path path = dir.path / "errors.nc";
  write_netcdf(source, path.string());
  const NetcdfSource back(path.string());
  check_same_structure(source.info(), back.info());
  check_same_values(source, back);
  // No field varies across trajectories, so the file has no trajectory dimension.
  int ncid = 0, dimid = 0;
  nc_ok(nc_open(path.c_str(), NC_NOWRITE, &ncid));
  CHECK(nc_inq_dimid(ncid, "trajectory", &dimid) == NC_EBADDIM);
  int varid = 0, ndims = 0;
  int dims[NC_MAX_VAR_DIMS];
  nc_ok(nc_inq_varid(ncid, "velocity_z", &varid));
  nc_ok(nc_inq_var(ncid, varid, nullptr, nullptr, &ndims, dims, nullptr));
  REQUIRE(ndims == 4);
  std::vector<std::string> names;
  for (int d = 0; d < ndims; ++d) {
    char name[NC_MAX_NAME + 1];
    nc_ok(nc_inq_dimname(ncid, dims[d], name));
    names.emplace_back(name);
  }
  CHECK(names == std::vector<std::string>{"time", "z", "y", "x"});
  nc_ok(nc_close(ncid));

  // Written again from the NetCDF source itself, compressed: still the same.
  const fs::path again = dir.path / "again.nc";
  NetcdfWriteOptions options;
  options.deflate_level = 4;
  write_netcdf(back, again.string(), options);
  const NetcdfSource third(again.string());
  check_same_structure(source.info(), third.info());
  check_same_values(source, third);
}

TEST_CASE("Well HDF5 fixtures convert to NetCDF and back with the same structure and values", "[netcdf][well]") {
  TempDir dir;
  for (const std::string name :
       {"periodic_2d", "cube_3d", "mixed_bc_2d", "acoustic_like_2d", "no_bc_2d", "spherical"}) {
    INFO(name);
    const WellFileSource well(gavel::test::test_data_dir() + "/well/" + name + ".hdf5");
    const fs::path path = dir.path / (name + ".nc");
    write_netcdf(well, path.string());
    const NetcdfSource back(path.string());
    check_same_structure(well.info(), back.info());
    check_same_values(well, back);
  }
}

TEST_CASE("NetCDF round trip with times per trajectory; a file without time is one snapshot", "[netcdf]") {
  TempDir dir;
  auto source = make_source(2, 2, true);
  WellFileInfo info = source.info();
  info.time_per_trajectory = true;
  info.time = {0.0, 0.5, 1.0, 10.0, 10.5, 11.0};
  test::NetcdfTestSource per_trajectory(info);
  for (std::size_t i = 0; i < info.fields.size(); ++i)
    per_trajectory.values(i) = source.values(i);
  const fs::path path = dir.path / "per_trajectory.nc";
  write_netcdf(per_trajectory, path.string());
  const NetcdfSource back(path.string());
  check_same_structure(per_trajectory.info(), back.info());
  check_same_values(per_trajectory, back);
  CHECK(back.info().trajectory_time(1) == std::vector<double>{10.0, 10.5, 11.0});

  const fs::path snapshot = dir.path / "snapshot.nc";
  {
    int ncid = 0, dims[2], id = 0;
    nc_ok(nc_create(snapshot.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid));
    nc_ok(nc_def_dim(ncid, "y", 2, &dims[0]));
    nc_ok(nc_def_dim(ncid, "x", 3, &dims[1]));
    nc_ok(nc_def_var(ncid, "density", NC_DOUBLE, 2, dims, &id));
    const double values[] = {0, 1, 2, 10, 11, 12};
    nc_ok(nc_put_var_double(ncid, id, values));
    nc_ok(nc_close(ncid));
  }
  const NetcdfSource one(snapshot.string());
  CHECK(one.info().n_steps == 1);
  CHECK(one.info().time == std::vector<double>{0.0});
  REQUIRE(one.info().fields.size() == 1);
  CHECK(one.info().fields[0].time_varying);
  CHECK(one.info().fields[0].shape == std::vector<std::int64_t>{1, 3, 2});
  std::vector<float> frame(6);
  one.read_frames(0, 0, 0, 1, 1, frame.data());
  CHECK(frame == std::vector<float>{0, 10, 1, 11, 2, 12});  // x slowest
}

TEST_CASE("NetCDF reader on a CF file written with the C API: axes by attribute, components by name and attribute",
          "[netcdf]") {
  TempDir dir;
  const fs::path path = dir.path / "cf_2d.nc";
  constexpr int T = 3, Y = 4, X = 5;
  {
    int ncid = 0, t = 0, yc = 0, xc = 0;
    nc_ok(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid));
    nc_ok(nc_def_dim(ncid, "step", NC_UNLIMITED, &t));  // unlimited: the time axis
    nc_ok(nc_def_dim(ncid, "yc", Y, &yc));
    nc_ok(nc_def_dim(ncid, "xc", X, &xc));
    int step_var = 0, x_var = 0, y_var = 0;
    nc_ok(nc_def_var(ncid, "step", NC_DOUBLE, 1, &t, &step_var));
    nc_ok(nc_def_var(ncid, "yc", NC_DOUBLE, 1, &yc, &y_var));
    put_text(ncid, y_var, "axis", "Y");
    put_text(ncid, y_var, "gavel_bc", "wall,open");
    nc_ok(nc_def_var(ncid, "xc", NC_DOUBLE, 1, &xc, &x_var));
    put_text(ncid, x_var, "axis", "X");
    put_text(ncid, NC_GLOBAL, "gavel_bc_x", "periodic");
    put_text(ncid, NC_GLOBAL, "dataset_name", "cf_fixture");
    const int tyx[] = {t, yc, xc}, txy[] = {t, xc, yc}, yx[] = {yc, xc};
    int temperature = 0, u_x = 0, u_y = 0, bx = 0, by = 0, grad = 0, height = 0, crs = 0, re = 0, energy = 0;
    nc_ok(nc_def_var(ncid, "temperature", NC_FLOAT, 3, tyx, &temperature));
    put_text(ncid, temperature, "grid_mapping", "crs");
    nc_ok(nc_def_var(ncid, "u_x", NC_DOUBLE, 3, tyx, &u_x));
    nc_ok(nc_def_var(ncid, "u_y", NC_DOUBLE, 3, tyx, &u_y));
    // A pseudo vector by attribute, stored (time, x, y).
    nc_ok(nc_def_var(ncid, "Bx", NC_FLOAT, 3, txy, &bx));
    nc_ok(nc_def_var(ncid, "By", NC_FLOAT, 3, txy, &by));
    const std::array<std::pair<int, const char*>, 2> b_components = {{{bx, "x"}, {by, "y"}}};
    for (const auto& [id, component] : b_components) {
      put_text(ncid, id, "gavel_field", "B");
      put_text(ncid, id, "gavel_component", component);
      put_text(ncid, id, "gavel_parity", "pseudo");
    }
    // Looks like a vector component by name, kept a scalar by its attribute.
    nc_ok(nc_def_var(ncid, "grad_x", NC_FLOAT, 3, tyx, &grad));
    put_text(ncid, grad, "gavel_field", "grad_x");
    // Packed integers with a fill value, constant in time.
    nc_ok(nc_def_var(ncid, "height", NC_SHORT, 2, yx, &height));
    const float scale = 0.5f, offset = 1.0f;
    const short fill = -999;
    nc_ok(nc_put_att_float(ncid, height, "scale_factor", NC_FLOAT, 1, &scale));
    nc_ok(nc_put_att_float(ncid, height, "add_offset", NC_FLOAT, 1, &offset));
    nc_ok(nc_put_att_short(ncid, height, "_FillValue", NC_SHORT, 1, &fill));
    nc_ok(nc_def_var(ncid, "crs", NC_INT, 0, nullptr, &crs));
    nc_ok(nc_def_var(ncid, "Re", NC_DOUBLE, 0, nullptr, &re));
    nc_ok(nc_def_var(ncid, "energy", NC_DOUBLE, 1, &t, &energy));
    nc_ok(nc_enddef(ncid));

    const double steps[] = {0.0, 0.5, 1.0}, xs[] = {0, 1, 2, 3, 4}, ys[] = {0, 0.25, 0.5, 0.75};
    const std::size_t start1 = 0, count_t = T;
    nc_ok(nc_put_vara_double(ncid, step_var, &start1, &count_t, steps));
    nc_ok(nc_put_var_double(ncid, x_var, xs));
    nc_ok(nc_put_var_double(ncid, y_var, ys));
    std::vector<float> tyx_f(T * Y * X), txy_f(T * X * Y), bx_f(T * X * Y);
    std::vector<double> ux(T * Y * X), uy(T * Y * X);
    for (int s = 0; s < T; ++s)
      for (int j = 0; j < Y; ++j)
        for (int i = 0; i < X; ++i) {
          const double base = 100.0 * s + 10.0 * j + i;
          const auto a = static_cast<std::size_t>((s * Y + j) * X + i),
                     b = static_cast<std::size_t>((s * X + i) * Y + j);
          tyx_f[a] = static_cast<float>(base);
          ux[a] = 1000.0 + base;
          uy[a] = 1000.5 + base;
          bx_f[b] = static_cast<float>(-base);
          txy_f[b] = static_cast<float>(-base - 0.25);
        }
    const std::size_t start3[] = {0, 0, 0}, count3[] = {T, Y, X}, count3t[] = {T, X, Y};
    nc_ok(nc_put_vara_float(ncid, temperature, start3, count3, tyx_f.data()));
    nc_ok(nc_put_vara_double(ncid, u_x, start3, count3, ux.data()));
    nc_ok(nc_put_vara_double(ncid, u_y, start3, count3, uy.data()));
    nc_ok(nc_put_vara_float(ncid, bx, start3, count3t, bx_f.data()));
    nc_ok(nc_put_vara_float(ncid, by, start3, count3t, txy_f.data()));
    std::vector<float> sevens(T * Y * X, 7.0f);
    nc_ok(nc_put_vara_float(ncid, grad, start3, count3, sevens.data()));
    std::vector<short> raw(Y * X);
    for (int k = 0; k < Y * X; ++k)
      raw[static_cast<std::size_t>(k)] = static_cast<short>(k);
    raw[0] = fill;
    nc_ok(nc_put_var_short(ncid, height, raw.data()));
    const int zero = 0;
    const double reynolds = 250.0, energies[] = {3.0, 2.0, 1.0};
    nc_ok(nc_put_var_int(ncid, crs, &zero));
    nc_ok(nc_put_var_double(ncid, re, &reynolds));
    nc_ok(nc_put_vara_double(ncid, energy, &start1, &count_t, energies));
    nc_ok(nc_close(ncid));
  }

  const NetcdfSource source(path.string());
  const WellFileInfo& info = source.info();
  CHECK(info.dataset_name == "cf_fixture");
  CHECK(info.grid_type == "cartesian");
  CHECK(info.spatial_dims == std::vector<std::string>{"xc", "yc"});  // x, y order, not the file's
  CHECK(info.spatial_shape == std::vector<std::int64_t>{X, Y});
  CHECK(info.n_trajectories == 1);
  CHECK(info.n_steps == T);
  CHECK(info.time == std::vector<double>{0.0, 0.5, 1.0});
  CHECK(info.coordinates[1] == std::vector<double>{0, 0.25, 0.5, 0.75});
  CHECK(info.boundary == Faces{{periodic, periodic}, {wall, open}});
  REQUIRE(info.fields.size() == 5);
  CHECK(info.fields[0].name == "temperature");
  CHECK(info.fields[1].name == "grad_x");
  CHECK(info.fields[1].order == 0);
  CHECK(info.fields[2].name == "height");
  CHECK_FALSE(info.fields[2].time_varying);
  CHECK(info.fields[3].name == "u");
  CHECK(info.fields[3].order == 1);
  CHECK_FALSE(info.fields[3].pseudo);
  CHECK(info.fields[4].name == "B");
  CHECK(info.fields[4].pseudo);
  CHECK(info.fields[4].shape == std::vector<std::int64_t>{T, X, Y, 2});
  CHECK(source.variable_names(4) == std::vector<std::string>{"Bx", "By"});
  REQUIRE(info.scalars.size() == 2);
  CHECK(info.scalars[0].name == "Re");
  CHECK(info.scalars[0].values == std::vector<double>{250.0});
  CHECK(info.scalars[1].name == "energy");
  CHECK(info.scalars[1].time_varying);
  CHECK(info.scalars[1].values == std::vector<double>{3.0, 2.0, 1.0});

  std::vector<float> scalar(X * Y), vector(X * Y * 2);
  for (int s = 0; s < T; ++s) {
    source.read_frames(0, 0, s, 1, 1, scalar.data());
    source.read_frames(3, 0, s, 1, 1, vector.data());
    std::vector<float> b(X * Y * 2);
    source.read_frames(4, 0, s, 1, 1, b.data());
    for (int i = 0; i < X; ++i)
      for (int j = 0; j < Y; ++j) {
        const auto p = static_cast<std::size_t>(i * Y + j);  // channels last, x slowest
        const double base = 100.0 * s + 10.0 * j + i;
        INFO("step " << s << " x " << i << " y " << j);
        CHECK(scalar[p] == static_cast<float>(base));
        CHECK(vector[2 * p] == static_cast<float>(1000.0 + base));
        CHECK(vector[2 * p + 1] == static_cast<float>(1000.5 + base));
        CHECK(b[2 * p] == static_cast<float>(-base));
        CHECK(b[2 * p + 1] == static_cast<float>(-base - 0.25));
      }
  }
  std::vector<float> height(X * Y);
  source.read_constant(2, 0, height.data());
  CHECK(std::isnan(height[0]));  // the fill value
  for (int i = 0; i < X; ++i)
    for (int j = 0; j < Y; ++j)
      if (i + j > 0) CHECK(height[static_cast<std::size_t>(i * Y + j)] == 0.5f * static_cast<float>(j * X + i) + 1.0f);

  // The caller's boundary conditions replace the file's.
  NetcdfReadOptions options;
  options.boundary = parse_face_conditions("open", 2);
  CHECK(NetcdfSource(path.string(), options).info().boundary == Faces{{open, open}, {open, open}});
  options.boundary = parse_face_conditions("open", 3);
  CHECK_THAT(error_of([&] { NetcdfSource s(path.string(), options); }), ContainsSubstring("3 axes"));
}

TEST_CASE("NetCDF reader on a classic-format 3-D file with samples, vectors and tensors by naming rule", "[netcdf]") {
  TempDir dir;
  const fs::path path = dir.path / "classic_3d.nc";
  constexpr int B = 2, T = 2, Z = 2, Y = 3, X = 4;
  auto value = [](int b, int t, int z, int y, int x, int c) {
    return static_cast<float>(10000 * b + 1000 * t + 100 * z + 10 * y + x) + 0.125f * static_cast<float>(c);
  };
  {
    int ncid = 0, dims[5];
    nc_ok(nc_create(path.c_str(), NC_CLOBBER, &ncid));  // classic CDF-1
    const char* names[] = {"sample", "time", "z", "y", "x"};
    const int sizes[] = {B, T, Z, Y, X};
    for (int d = 0; d < 5; ++d)
      nc_ok(nc_def_dim(ncid, names[d], static_cast<std::size_t>(sizes[d]), &dims[d]));
    int time_var = 0;
    nc_ok(nc_def_var(ncid, "time", NC_DOUBLE, 1, &dims[1], &time_var));
    put_text(ncid, time_var, "units", "s");
    put_text(ncid, NC_GLOBAL, "gavel_bc", "periodic");
    put_text(ncid, NC_GLOBAL, "gavel_bc_z", "wall");
    std::vector<std::pair<int, int>> vars;  // (varid, component)
    int p = 0;
    nc_ok(nc_def_var(ncid, "p", NC_FLOAT, 5, dims, &p));
    vars.emplace_back(p, 0);
    for (int c = 0; c < 3; ++c) {
      int id = 0;
      nc_ok(nc_def_var(ncid, (std::string("velocity_") + "xyz"[c]).c_str(), NC_FLOAT, 5, dims, &id));
      vars.emplace_back(id, c);
    }
    for (int c = 0; c < 9; ++c) {
      int id = 0;
      const std::string name = std::string("T_") + "xyz"[c / 3] + "xyz"[c % 3];
      nc_ok(nc_def_var(ncid, name.c_str(), NC_DOUBLE, 5, dims, &id));
      vars.emplace_back(id, c);
    }
    nc_ok(nc_enddef(ncid));
    const double times[] = {0.0, 2.0};
    nc_ok(nc_put_var_double(ncid, time_var, times));
    for (const auto& [id, c] : vars) {
      std::vector<float> data;
      for (int b = 0; b < B; ++b)
        for (int t = 0; t < T; ++t)
          for (int z = 0; z < Z; ++z)
            for (int y = 0; y < Y; ++y)
              for (int x = 0; x < X; ++x)
                data.push_back(value(b, t, z, y, x, c));
      nc_ok(nc_put_var_float(ncid, id, data.data()));
    }
    nc_ok(nc_close(ncid));
  }
  const NetcdfSource source(path.string());
  const auto& info = source.info();
  CHECK(info.spatial_dims == std::vector<std::string>{"x", "y", "z"});
  CHECK(info.spatial_shape == std::vector<std::int64_t>{X, Y, Z});
  CHECK(info.n_trajectories == B);
  CHECK(info.time == std::vector<double>{0.0, 2.0});
  CHECK(info.coordinates[2] == std::vector<double>{0.0, 1.0});  // no coordinate variable: indices
  CHECK(info.boundary == Faces{{periodic, periodic}, {periodic, periodic}, {wall, wall}});
  REQUIRE(info.fields.size() == 3);
  CHECK(info.fields[0].name == "p");
  CHECK(info.fields[1].name == "velocity");
  CHECK(info.fields[2].name == "T");
  CHECK(info.fields[2].shape == std::vector<std::int64_t>{B, T, X, Y, Z, 3, 3});
  std::vector<float> tensor(X * Y * Z * 9), vector(X * Y * Z * 3);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      source.read_frames(2, b, t, 1, 1, tensor.data());
      source.read_frames(1, b, t, 1, 1, vector.data());
      bool all = true;
      for (int x = 0; x < X; ++x)
        for (int y = 0; y < Y; ++y)
          for (int z = 0; z < Z; ++z) {
            const auto p = static_cast<std::size_t>((x * Y + y) * Z + z);
            for (int c = 0; c < 9; ++c)
              all = all && tensor[p * 9 + static_cast<std::size_t>(c)] == value(b, t, z, y, x, c);
            for (int c = 0; c < 3; ++c)
              all = all && vector[p * 3 + static_cast<std::size_t>(c)] == value(b, t, z, y, x, c);
          }
      CHECK(all);
    }
}

TEST_CASE("NetCDF reader refuses bad files naming the file, the variable and the problem", "[netcdf][errors]") {
  TempDir dir;
  const fs::path text = dir.path / "notes.nc";
  std::ofstream(text) << "this is not NetCDF\n";
  auto message = open_error(text);
  CHECK_THAT(message, ContainsSubstring(text.string()));
  CHECK_THAT(message, ContainsSubstring("not a NetCDF file"));
  CHECK_THAT(open_error(dir.path / "absent.nc"), ContainsSubstring("no such file"));

  {
    const fs::path path = dir.path / "no_axes.nc";
    int ncid = 0, dims[2], id = 0;
    nc_ok(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid));
    nc_ok(nc_def_dim(ncid, "a", 3, &dims[0]));
    nc_ok(nc_def_dim(ncid, "b", 4, &dims[1]));
    nc_ok(nc_def_var(ncid, "foo", NC_FLOAT, 2, dims, &id));
    nc_ok(nc_close(ncid));
    message = open_error(path);
    CHECK_THAT(message, ContainsSubstring(path.string()));
    CHECK_THAT(message, ContainsSubstring("no recognisable spatial dimension"));
    CHECK_THAT(message, ContainsSubstring("a(3), b(4)"));
  }

  message = open_error(small_file(dir.path, "missing.nc", {"density", "velocity_x"}));
  CHECK_THAT(message, ContainsSubstring("velocity_y"));
  CHECK_THAT(message, ContainsSubstring("missing"));
  CHECK_THAT(message, ContainsSubstring("missing.nc"));

  message = open_error(small_file(dir.path, "mixed.nc", {"a_x", "a_y", "a_xy"}));
  CHECK_THAT(message, ContainsSubstring("a_xy"));
  CHECK_THAT(message, ContainsSubstring("makes field 'a' a tensor"));

  message = open_error(small_file(dir.path, "chars.nc", {"density"}, [](int ncid, int, int y, int x) {
    const int dims[] = {y, x};
    int id = 0;
    nc_ok(nc_def_var(ncid, "label", NC_CHAR, 2, dims, &id));
  }));
  CHECK_THAT(message, ContainsSubstring("variable 'label'"));
  CHECK_THAT(message, ContainsSubstring("char cannot be converted to float32"));

  message = open_error(small_file(dir.path, "shapes.nc", {"velocity_x"}, [](int ncid, int, int y, int x) {
    const int dims[] = {y, x};
    int id = 0;
    nc_ok(nc_def_var(ncid, "velocity_y", NC_FLOAT, 2, dims, &id));
  }));
  CHECK_THAT(message, ContainsSubstring("variable 'velocity_y'"));
  CHECK_THAT(message, ContainsSubstring("do not match"));

  message = open_error(small_file(dir.path, "extra_dim.nc", {}, [](int ncid, int time, int y, int x) {
    int nv = 0, id = 0;
    nc_ok(nc_def_dim(ncid, "nv", 2, &nv));
    const int dims[] = {time, y, x, nv};
    nc_ok(nc_def_var(ncid, "flux", NC_FLOAT, 4, dims, &id));
  }));
  CHECK_THAT(message, ContainsSubstring("variable 'flux'"));
  CHECK_THAT(message, ContainsSubstring("dimension 'nv'"));

  message = open_error(small_file(dir.path, "partial.nc", {"density"}, [](int ncid, int time, int, int x) {
    const int dims[] = {time, x};
    int id = 0;
    nc_ok(nc_def_var(ncid, "line", NC_FLOAT, 2, dims, &id));
  }));
  CHECK_THAT(message, ContainsSubstring("variable 'line'"));
  CHECK_THAT(message, ContainsSubstring("not the spatial dimension 'y'"));

  message = open_error(small_file(dir.path, "bad_bc.nc", {"density"},
                                  [](int ncid, int, int, int) { put_text(ncid, NC_GLOBAL, "gavel_bc_y", "sticky"); }));
  CHECK_THAT(message, ContainsSubstring("gavel_bc_y"));
  CHECK_THAT(message, ContainsSubstring("sticky"));

  message = open_error(small_file(dir.path, "one_sided.nc", {"density"}, [](int ncid, int, int, int) {
    put_text(ncid, NC_GLOBAL, "gavel_bc_x", "periodic,wall");
  }));
  CHECK_THAT(message, ContainsSubstring("periodic on one face only"));

  message = open_error(small_file(dir.path, "component_only.nc", {"density"}, [](int ncid, int, int, int) {
    int id = 0;
    nc_ok(nc_inq_varid(ncid, "density", &id));
    put_text(ncid, id, "gavel_component", "x");
  }));
  CHECK_THAT(message, ContainsSubstring("gavel_component' without 'gavel_field'"));

  // Out-of-range requests on a good file.
  const NetcdfSource good(small_file(dir.path, "good.nc", {"density"}).string());
  std::vector<float> frame(12);
  CHECK_THAT(error_of([&] { good.read_frames(0, 0, 1, 2, 1, frame.data()); }), ContainsSubstring("out of range"));
  CHECK_THAT(error_of([&] { good.read_frames(3, 0, 0, 1, 1, frame.data()); }), ContainsSubstring("out of range"));
  CHECK_THAT(error_of([&] { good.read_constant(0, 0, frame.data()); }), ContainsSubstring("varies in time"));
}

TEST_CASE("NetCDF writer refuses an existing path and leaves nothing half-written", "[netcdf][errors]") {
  TempDir dir;
  auto source = make_source(2, 2, true);
  const fs::path path = dir.path / "out.nc";
  std::ofstream(path) << "keep me";
  auto message = error_of([&] { write_netcdf(source, path.string()); });
  CHECK_THAT(message, ContainsSubstring(path.string()));
  CHECK_THAT(message, ContainsSubstring("already exists"));
  {
    std::ifstream in(path);
    std::string content;
    std::getline(in, content);
    CHECK(content == "keep me");
  }
  CHECK(dir.entries() == std::vector<std::string>{"out.nc"});

  NetcdfWriteOptions overwrite;
  overwrite.overwrite = true;
  // Overwriting replaces only a NetCDF file gavel wrote: the user's file is refused and kept.
  message = error_of([&] { write_netcdf(source, path.string(), overwrite); });
  CHECK_THAT(message, ContainsSubstring(path.string() + ": refusing to replace it: it is not a NetCDF file"));
  {
    std::ifstream in(path);
    std::string content;
    std::getline(in, content);
    CHECK(content == "keep me");
  }
  fs::remove(path);
  write_netcdf(source, path.string());
  write_netcdf(source, path.string(), overwrite);
  CHECK(NetcdfSource(path.string()).info().fields.size() == source.info().fields.size());
  CHECK(dir.entries() == std::vector<std::string>{"out.nc"});

  // A source failing halfway: an error naming the output and the frame, and no file at all.
  source.fail_at(3, 1, 2);
  const fs::path broken = dir.path / "broken.nc";
  message = error_of([&] { write_netcdf(source, broken.string()); });
  CHECK_THAT(message, ContainsSubstring(broken.string()));
  CHECK_THAT(message, ContainsSubstring("field 'velocity', trajectory 1, step 2"));
  CHECK_THAT(message, ContainsSubstring("unreadable"));
  CHECK(dir.entries() == std::vector<std::string>{"out.nc"});
  // Also when replacing: the old file stays as it was.
  message = error_of([&] { write_netcdf(source, path.string(), overwrite); });
  CHECK(dir.entries() == std::vector<std::string>{"out.nc"});
  CHECK(NetcdfSource(path.string()).info().n_trajectories == 2);

  CHECK_THAT(error_of([&] { write_netcdf(source, (dir.path / "nope" / "out.nc").string()); }),
             ContainsSubstring("does not exist"));
  CHECK_THAT(error_of([&] { write_netcdf(source, dir.path.string()); }), ContainsSubstring("is a folder"));
  NetcdfWriteOptions clash;
  clash.attributes = {{"dataset_name", "other"}};
  CHECK_THAT(error_of([&] { write_netcdf(source, (dir.path / "clash.nc").string(), clash); }),
             ContainsSubstring("global attribute 'dataset_name'"));
  NetcdfWriteOptions units;
  units.units = {{"pressure", "Pa"}};
  CHECK_THAT(error_of([&] { write_netcdf(source, (dir.path / "units.nc").string(), units); }),
             ContainsSubstring("'pressure', which is not a field"));

  WellFileInfo info = source.info();
  info.fields = {field("x", 0)};
  const test::NetcdfTestSource named_x(info);
  message = error_of([&] { write_netcdf(named_x, (dir.path / "x.nc").string()); });
  CHECK_THAT(message, ContainsSubstring("'x', a name already in use"));
  CHECK(dir.entries() == std::vector<std::string>{"out.nc"});
}

TEST_CASE("xarray opens the writer's output with the right dimensions, coordinates and attributes",
          "[netcdf][xarray]") {
  // Runs only where the pinned venv of tools/requirements-xarray.txt exists (not in CI).
  std::string python;
  if (const char* p = std::getenv("GAVEL_XARRAY_PYTHON"); p && *p) {
    python = p;
  } else {
    const char* cache = std::getenv("GAVEL_CACHE");
    const char* home = std::getenv("HOME");
    const fs::path folder = cache && *cache ? fs::path(cache) : fs::path(home ? home : "/") / ".cache" / "gavel";
    python = (folder / "venv-xarray" / "bin" / "python").string();
  }
  if (!fs::exists(python)) SKIP("no xarray venv at " + python + " (see tools/check_netcdf_xarray.py)");
  const fs::path script = fs::path(gavel::test::source_root()) / "tools" / "check_netcdf_xarray.py";
  REQUIRE(fs::exists(script));

  TempDir dir;
  auto source = make_source(2, 2, true);
  source.values(0)[1] = 2.0f;  // no infinity or NaN: JSON has neither
  source.values(0)[3] = 1.0f;
  const fs::path path = dir.path / "for_xarray.nc";
  NetcdfWriteOptions options;
  options.attributes = {{"model", "tfno"}};
  options.units = {{"density", "kg/m3"}};
  write_netcdf(source, path.string(), options);

  // What xarray should see, with values in the file's (trajectory, time, y, x) order.
  const auto& info = source.info();
  nlohmann::json expected;
  expected["dims"] = {{"trajectory", 2}, {"time", 3}, {"x", 5}, {"y", 4}};
  expected["coords"] = {
      {"x", info.coordinates[0]}, {"y", info.coordinates[1]}, {"time", info.time}, {"trajectory", {0, 1}}};
  expected["attrs"] = {{"Conventions", "CF-1.8"},
                       {"dataset_name", "roundtrip_2d"},
                       {"gavel_bc_x", "periodic"},
                       {"gavel_bc_y", "wall,open"},
                       {"model", "tfno"},
                       {"Re", 100.0},
                       {"simulation_parameters", "Re,Pr"}};
  nlohmann::json variables = nlohmann::json::object();
  const std::int64_t X = 5, Y = 4;
  for (std::size_t i = 0; i < info.fields.size(); ++i) {
    const auto& f = info.fields[i];
    const auto suffixes = netcdf_component_suffixes(f.order, 2);
    const auto C = static_cast<std::int64_t>(suffixes.size());
    const std::int64_t B = f.sample_varying ? 2 : 1, T = f.time_varying ? 3 : 1;
    for (std::int64_t c = 0; c < C; ++c) {
      const std::string name =
          suffixes[static_cast<std::size_t>(c)].empty() ? f.name : f.name + "_" + suffixes[static_cast<std::size_t>(c)];
      nlohmann::json dims = nlohmann::json::array(), shape = nlohmann::json::array();
      if (f.sample_varying) dims.push_back("trajectory"), shape.push_back(B);
      if (f.time_varying) dims.push_back("time"), shape.push_back(T);
      dims.push_back("y"), shape.push_back(Y);
      dims.push_back("x"), shape.push_back(X);
      std::vector<float> values;
      const auto& all = source.values(i);
      for (std::int64_t b = 0; b < B; ++b)
        for (std::int64_t t = 0; t < T; ++t)
          for (std::int64_t y = 0; y < Y; ++y)
            for (std::int64_t x = 0; x < X; ++x)
              values.push_back(all[static_cast<std::size_t>((((b * T + t) * X + x) * Y + y) * C + c)]);
      nlohmann::json attrs = {{"gavel_field", f.name}};
      if (f.order > 0) attrs["gavel_component"] = suffixes[static_cast<std::size_t>(c)];
      if (f.pseudo) attrs["gavel_parity"] = "pseudo";
      if (f.name == "density") attrs["units"] = "kg/m3";
      variables[name] = {{"dims", dims}, {"shape", shape}, {"attrs", attrs}, {"values", values}};
    }
  }
  expected["variables"] = variables;
  expected["scalars"] = {{"energy", {{"dims", {"trajectory", "time"}}}},
                         {"viscosity", {{"dims", nlohmann::json::array()}}}};
  const fs::path expected_path = dir.path / "expected.json";
  std::ofstream(expected_path) << expected.dump();

  const std::string command = "\"" + python + "\" \"" + script.string() + "\" \"" + path.string() + "\" \"" +
                              expected_path.string() + "\" 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe))
    output += buffer.data();
  const int status = pclose(pipe);
  INFO(output);
  CHECK(status == 0);
  CHECK_THAT(output, ContainsSubstring("xarray check passed"));
  if (const char* keep = std::getenv("GAVEL_NETCDF_KEEP"); keep && *keep) {
    fs::copy_file(path, fs::path(keep) / path.filename(), fs::copy_options::overwrite_existing);
    fs::copy_file(expected_path, fs::path(keep) / expected_path.filename(), fs::copy_options::overwrite_existing);
  }
}

#ifdef GAVEL_TEST_HAS_PROGRAM
TEST_CASE("gavel info reads NetCDF files; --bc overrides their boundary conditions", "[netcdf][cli]") {
  TempDir dir;
  const auto source = make_source(2, 2, true);
  const fs::path path = dir.path / "prediction.nc";
  write_netcdf(source, path.string());
  using gavel::test::run_gavel;
  const auto described = run_gavel("info \"" + path.string() + "\" --json");
  INFO(described.output);
  REQUIRE(described.status == 0);
  const auto j = nlohmann::json::parse(described.output);
  CHECK(j["dataset_name"] == "roundtrip_2d");
  CHECK(j["n_trajectories"] == 2);
  CHECK(j["fields"].size() == 6);
  CHECK(j["fields"][3]["name"] == "velocity");
  CHECK(j["grid"]["bc"][0] == nlohmann::json::array({"periodic", "periodic"}));
  CHECK(j["group"]["order"] == 2);  // flip_x only: y has a wall and an open face

  const auto overridden = run_gavel("info \"" + path.string() + "\" --json --bc periodic");
  REQUIRE(overridden.status == 0);
  CHECK(nlohmann::json::parse(overridden.output)["group"]["order"] == 4);  // 5x4 periodic: D2

  const fs::path text = dir.path / "notes.nc";
  std::ofstream(text) << "not NetCDF";
  const auto refused = run_gavel("info \"" + text.string() + "\"");
  CHECK(refused.status != 0);
  CHECK_THAT(refused.output, ContainsSubstring("not a NetCDF file"));
}
#endif
