// gavel predict on the bundled dataset with the bundled FNO, and its refusals.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>

#include "cli_support.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"

using Catch::Matchers::ContainsSubstring;

namespace {
std::string reference(const std::string& path) {
  return gavel::test::source_root() + "/" + path;
}
}  // namespace

TEST_CASE("gavel predict writes one-step predictions of the bundled FNO", "[cli][predict]") {
  gavel::test::TempFolder folder;
  const std::string model = reference("surrogates/reference/fno");
  const std::string data = reference("datasets/reference/navier_stokes_2d");
  const auto ok =
      gavel::test::run_gavel("predict --model " + model + " --data " + data + " --out " + folder / "p.hdf5");
  INFO(ok.output);
  REQUIRE(ok.status == 0);
  CHECK_THAT(ok.output, ContainsSubstring("32 one-step predictions of FNO on navier_stokes_2d (test)"));
  const gavel::datasets::WellFileSource predictions(folder / "p.hdf5");
  const auto& info = predictions.info();
  CHECK(info.n_trajectories == 32);  // 2 test trajectories × (20 − 4) windows
  CHECK(info.n_steps == 1);
  REQUIRE(info.fields.size() == 2);
  CHECK(info.fields[0].pseudo);
  REQUIRE(info.scalars.size() == 3);
  CHECK(info.scalars[2].name == "window_start");
  CHECK(info.scalars[2].values[17] == 1.0);  // trajectory 1, second window
  std::vector<float> frame(32 * 32 * 2);
  predictions.read_frames(1, 5, 0, 1, 1, frame.data());
  double energy = 0;
  for (float v : frame) {
    CHECK(std::isfinite(v));
    energy += static_cast<double>(v) * v;
  }
  CHECK(energy > 0);

  const auto netcdf = gavel::test::run_gavel("predict -m " + model + " -d " + data + " -o " + folder / "p.nc" +
                                             " --max-windows 3 --split valid");
  INFO(netcdf.output);
  CHECK(netcdf.status == 0);
  CHECK_THAT(netcdf.output, ContainsSubstring("3 one-step predictions"));
}

TEST_CASE("gavel predict refuses models that do not fit and existing outputs", "[cli][predict][errors]") {
  gavel::test::TempFolder folder;
  const std::string data = reference("datasets/reference/navier_stokes_2d");
  const auto wrong = gavel::test::run_gavel("predict -m " + gavel::test::test_data_dir() + "/models/fno2d -d " + data +
                                            " -o " + folder / "x.hdf5");
  CHECK(wrong.status != 0);
  CHECK_THAT(wrong.output, ContainsSubstring("the model takes 3 channels"));
  const auto missing =
      gavel::test::run_gavel("predict -m " + folder / "nothing" + " -d " + data + " -o " + folder / "x.hdf5");
  CHECK(missing.status != 0);
  CHECK_THAT(missing.output, ContainsSubstring("no model.safetensors"));
  const auto split = gavel::test::run_gavel("predict -m " + reference("surrogates/reference/fno") + " -d " + data +
                                            " --split nope -o " + folder / "x.hdf5");
  CHECK(split.status != 0);
  CHECK_THAT(split.output, ContainsSubstring("no split 'nope'"));
  CHECK(folder.entries() == 0);
}
