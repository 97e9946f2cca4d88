// The Well file reader on fixtures written with h5py by tools/make_well_fixtures.py.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/datasets/well_file.hpp"
#include "test_paths.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;

namespace {

std::string fixture(const std::string& name) {
  return gavel::test::test_data_dir() + "/well/" + name;
}

using Faces = std::vector<std::array<BoundaryCondition, 2>>;
constexpr auto wall = BoundaryCondition::wall;
constexpr auto open = BoundaryCondition::open;
constexpr auto periodic = BoundaryCondition::periodic;

}  // namespace

TEST_CASE("a periodic 2-D Well file: attributes, fields, channel layout, group", "[well]") {
  const WellFileInfo info = read_well_file(fixture("periodic_2d.hdf5"));
  CHECK(info.dataset_name == "fixture_periodic");
  CHECK(info.grid_type == "cartesian");
  CHECK(info.n_trajectories == 2);
  CHECK(info.n_steps == 5);
  CHECK(info.spatial_dims == std::vector<std::string>{"x", "y"});
  CHECK(info.spatial_shape == std::vector<std::int64_t>{8, 8});
  REQUIRE(info.simulation_parameters.size() == 1);
  CHECK(info.simulation_parameters[0].first == "Re");
  CHECK(info.simulation_parameters[0].second == 100.0);
  CHECK(info.boundary == Faces{{periodic, periodic}, {periodic, periodic}});
  REQUIRE(info.fields.size() == 5);
  // The Well's order: t0 fields, then t1, then t2, each in field_names order.
  CHECK(info.fields[0].name == "density");
  CHECK(info.fields[1].name == "vorticity");
  CHECK(info.fields[1].pseudo);
  CHECK(info.fields[2].name == "obstacle");
  CHECK_FALSE(info.fields[2].time_varying);
  CHECK(info.fields[2].shape == std::vector<std::int64_t>{8, 8});
  CHECK(info.fields[3].kind() == FieldKind::vector);
  CHECK(info.fields[3].shape == std::vector<std::int64_t>{2, 5, 8, 8, 2});
  CHECK(info.fields[4].kind() == FieldKind::tensor);
  const ChannelLayout layout = info.channel_layout(4);
  CHECK(layout.num_channels() == 4 * (1 + 1 + 2 + 4) + 1);  // 4 steps of varying fields, then the constant one
  const auto names = layout.channel_names();
  CHECK(names.front() == "density_t0");
  CHECK(names[4] == "stress_xx_t0");
  CHECK(names.back() == "obstacle");
  CHECK(admissible_group(info.grid()).order() == 8);
}

TEST_CASE("boundary conditions are reduced the way the_well does", "[well]") {
  // x: OPEN at both ends; y: the low face fully masked as WALL, the high face only partly (stays OPEN).
  CHECK(read_well_file(fixture("mixed_bc_2d.hdf5")).boundary == Faces{{open, open}, {wall, open}});
  // One-dimensional masks: x0_wall/xL_open per axis, as in acoustic_scattering.
  const WellFileInfo acoustic = read_well_file(fixture("acoustic_like_2d.hdf5"));
  CHECK(acoustic.boundary == Faces{{wall, open}, {wall, open}});
  const Group group = admissible_group(acoustic.grid());
  REQUIRE(group.order() == 2);
  CHECK(element_name(group.element(1)) == "transpose");
  // No boundary-condition group: every face OPEN.
  CHECK(read_well_file(fixture("no_bc_2d.hdf5")).boundary == Faces{{open, open}, {open, open}});
}

TEST_CASE("a 3-D file with an axial vector field", "[well]") {
  const WellFileInfo cube = read_well_file(fixture("cube_3d.hdf5"));
  CHECK(cube.ndim() == 3);
  REQUIRE(cube.fields.size() == 2);
  CHECK(cube.fields[1].name == "magnetic_field");
  CHECK(cube.fields[1].pseudo);
  CHECK(admissible_group(cube.grid()).order() == 48);
}

TEST_CASE("non-Cartesian grids have no grid symmetry", "[well][errors]") {
  const WellFileInfo sphere = read_well_file(fixture("spherical.hdf5"));
  CHECK(sphere.grid_type == "equiangular");
  CHECK_THROWS_WITH(sphere.grid(), ContainsSubstring("is not Cartesian: no grid symmetry applies"));
}

TEST_CASE("broken Well files are refused with file, object and problem", "[well][errors]") {
  CHECK_THROWS_WITH(read_well_file(fixture("does_not_exist.hdf5")), ContainsSubstring("no such file"));
  CHECK_THROWS_WITH(read_well_file(fixture("not_hdf5.hdf5")), ContainsSubstring("not_hdf5.hdf5: not an HDF5 file"));
  CHECK_THROWS_AS(read_well_file(fixture("truncated.hdf5")), Error);
  CHECK_THROWS_WITH(read_well_file(fixture("bad_bc_type.hdf5")),
                    ContainsSubstring("/boundary_conditions/x_slippery: unknown bc_type 'SLIPPERY'"));
  CHECK_THROWS_WITH(read_well_file(fixture("shape_mismatch.hdf5")),
                    ContainsSubstring("/t1_fields/v: shape (1,2,4,5,2), expected (1,2,4,4,2)"));
  CHECK_THROWS_WITH(read_well_file(fixture("missing_dimensions.hdf5")),
                    ContainsSubstring("group 'dimensions' is missing"));
}
