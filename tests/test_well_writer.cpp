// Writing The Well's HDF5 format and reading frames back with hyperslabs.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <fstream>

#include "gavel/core/error.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "random_well_source.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr auto wall = BoundaryCondition::wall;
constexpr auto open = BoundaryCondition::open;
constexpr auto periodic = BoundaryCondition::periodic;
using Faces = std::vector<std::array<BoundaryCondition, 2>>;

/// Every frame of every field equal, bit for bit, including strided reads.
void check_same_values(const FieldSource& a, const FieldSource& b) {
  const WellFileInfo& info = a.info();
  for (std::size_t f = 0; f < info.fields.size(); ++f) {
    const auto& field = info.fields[f];
    const auto size = frame_size(info, field);
    for (std::int64_t traj = 0; traj < info.n_trajectories; ++traj) {
      if (!field.time_varying) {
        std::vector<float> x(static_cast<std::size_t>(size)), y(x.size());
        a.read_constant(f, traj, x.data());
        b.read_constant(f, traj, y.data());
        CHECK(x == y);
        continue;
      }
      for (std::int64_t stride = 1; stride <= 2; ++stride) {
        const std::int64_t count = (info.n_steps - 1) / stride;  // starting at step 1
        std::vector<float> x(static_cast<std::size_t>(count * size)), y(x.size());
        a.read_frames(f, traj, 1, count, stride, x.data());
        b.read_frames(f, traj, 1, count, stride, y.data());
        CHECK(x == y);
      }
    }
  }
}

}  // namespace

TEST_CASE("a Well file written by gavel reads back with the same structure and values", "[well][writer]") {
  const auto [shape, faces] = GENERATE(table<std::vector<std::int64_t>, Faces>({
      {{6, 5}, {{periodic, periodic}, {wall, open}}},
      {{4, 3, 5}, {{open, open}, {periodic, periodic}, {wall, wall}}},
      {{7}, {{open, wall}}},
  }));
  const auto info = test::random_well_info(shape, faces, 2, 5);
  const auto source = test::random_well_source(info, 7);
  test::TempFolder folder;
  const std::string path = folder / "written.hdf5";
  WellWriteOptions options;
  options.buffer_values = 50;  // several writes per trajectory
  write_well_file(path, source, options);
  CHECK(folder.entries() == 1);

  const WellFileSource back(path);
  const WellFileInfo& read = back.info();
  CHECK(read.dataset_name == info.dataset_name);
  CHECK(read.spatial_shape == shape);
  CHECK(read.boundary == faces);
  CHECK(read.n_trajectories == 2);
  CHECK(read.n_steps == 5);
  CHECK(read.time == info.time);
  CHECK(read.coordinates.size() == shape.size());
  for (std::size_t k = 0; k < shape.size(); ++k)
    for (std::size_t i = 0; i < read.coordinates[k].size(); ++i)
      CHECK(read.coordinates[k][i] == static_cast<double>(static_cast<float>(info.coordinates[k][i])));
  REQUIRE(read.simulation_parameters.size() == 1);
  CHECK(read.simulation_parameters[0] == info.simulation_parameters[0]);
  REQUIRE(read.scalars.size() == 1);  // every simulation parameter is also a /scalars entry
  CHECK(read.scalars[0].name == "viscosity");
  REQUIRE(read.fields.size() == info.fields.size());
  for (std::size_t f = 0; f < info.fields.size(); ++f) {
    CHECK(read.fields[f].name == info.fields[f].name);
    CHECK(read.fields[f].order == info.fields[f].order);
    CHECK(read.fields[f].pseudo == info.fields[f].pseudo);
    CHECK(read.fields[f].time_varying == info.fields[f].time_varying);
    CHECK(read.fields[f].sample_varying == info.fields[f].sample_varying);
    CHECK(read.fields[f].shape == source.info().fields[f].shape);
  }
  check_same_values(source, back);
}

TEST_CASE("the writer refuses an existing path and leaves nothing half-written", "[well][writer][errors]") {
  const auto info = test::random_well_info({4, 4}, {{periodic, periodic}, {periodic, periodic}}, 1, 3);
  const auto source = test::random_well_source(info, 1);
  test::TempFolder folder;
  const std::string path = folder / "out.hdf5";
  { std::ofstream(path) << "precious"; }
  CHECK_THROWS_WITH(write_well_file(path, source),
                    ContainsSubstring("out.hdf5") && ContainsSubstring("already exists"));
  CHECK(folder.entries() == 1);
  WellWriteOptions overwrite;
  overwrite.overwrite = true;
  // Overwriting replaces only a Well file gavel wrote: the user's file is refused and kept.
  CHECK_THROWS_WITH(write_well_file(path, source, overwrite),
                    ContainsSubstring("out.hdf5: refusing to replace it: it is not an HDF5 file"));
  {
    std::ifstream in(path);
    std::string content;
    std::getline(in, content);
    CHECK(content == "precious");
  }
  std::filesystem::remove(path);
  write_well_file(path, source);
  write_well_file(path, source, overwrite);
  CHECK(WellFileSource(path).info().n_steps == 3);
  CHECK(folder.entries() == 1);

  // A structure that cannot be written fails before anything appears.
  auto broken = info;
  broken.coordinates[1].pop_back();
  const MemorySource broken_source(broken);
  CHECK_THROWS_WITH(write_well_file(folder / "broken.hdf5", broken_source),
                    ContainsSubstring("coordinate 'y' has 3 values"));
  CHECK(folder.entries() == 1);
  CHECK_THROWS_WITH(write_well_file(folder / "missing/out.hdf5", source), ContainsSubstring("does not exist"));
}

TEST_CASE("frame reads outside the file are refused with the file and field named", "[well][writer][errors]") {
  const auto info = test::random_well_info({4, 4}, {{periodic, periodic}, {periodic, periodic}}, 2, 3);
  test::TempFolder folder;
  write_well_file(folder / "f.hdf5", test::random_well_source(info, 3));
  const WellFileSource source(folder / "f.hdf5");
  std::vector<float> buffer(16 * 4 * 4);
  CHECK_THROWS_WITH(source.read_frames(0, 0, 2, 2, 1, buffer.data()),
                    ContainsSubstring("f.hdf5: /t0_fields/density") && ContainsSubstring("out of range"));
  CHECK_THROWS_WITH(source.read_frames(0, 2, 0, 1, 1, buffer.data()), ContainsSubstring("trajectory 2"));
  CHECK_THROWS_WITH(source.read_frames(2, 0, 0, 1, 1, buffer.data()), ContainsSubstring("constant in time"));
  CHECK_THROWS_WITH(source.read_constant(0, 0, buffer.data()), ContainsSubstring("varies in time"));
}
