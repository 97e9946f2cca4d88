// `gavel generate --equation navier-stokes-3d`: argument checks, a dataset folder that `gavel
// info` opens with the 48 elements of O_h and vorticity marked pseudo, and the same data for the
// same seed.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;
using test::run_gavel;

namespace {

const std::string kSmall3d = " --equation navier-stokes-3d --size 8 --steps 2 --dt 0.1 --peak-wavenumber 1.5";

std::vector<float> all_values(const std::string& path, std::size_t field) {
  const datasets::WellFileSource source(path);
  const auto& info = source.info();
  const auto per_trajectory =
      static_cast<std::size_t>(datasets::frame_size(info, info.fields.at(field)) * info.n_steps);
  std::vector<float> values(per_trajectory * static_cast<std::size_t>(info.n_trajectories));
  for (std::int64_t t = 0; t < info.n_trajectories; ++t)
    source.read_frames(field, t, 0, info.n_steps, 1, values.data() + static_cast<std::size_t>(t) * per_trajectory);
  return values;
}

}  // namespace

TEST_CASE("gavel generate --equation navier-stokes-3d refuses bad arguments with a message",
          "[cli][generate][errors]") {
  test::TempFolder folder;
  const std::string out = " --out " + (folder / "ds");
  const struct {
    std::string arguments;
    std::string message;
  } cases[] = {
      {out + " --equation navier-stokes-3d --size 4", "grid size 4 (expected 8 to 128"},
      {out + " --equation navier-stokes-3d --size 0", "grid size 0"},
      {out + " --equation navier-stokes-3d --size -16", "grid size -16"},
      {out + " --equation navier-stokes-3d --size 4096", "grid size 4096"},
      {out + " --equation navier-stokes-3d --size 99999999999999999999", "grid size"},
      {out + " --equation navier-stokes-3d --size 16x", "--size"},
      {out + " --equation navier-stokes-3d --peak-wavenumber 6", "peak wavenumber 6"},
      {out + " --equation navier-stokes-3d --drag 0.1", "--drag: the 3-D equation has no drag term"},
      {out + " --equation navier-stokes-3d --viscosity 0", "viscosity must be positive"},
      {out + " --equation navier-stokes-3d --steps 1", "saved steps"},
      {out + " --equation navier-stokes-3d --trajectories 1,1", "three counts"},
      {out + " --equation navier-stokes-4d", "--equation"},
  };
  for (const auto& c : cases) {
    const auto result = run_gavel("generate" + c.arguments);
    INFO(c.arguments << "\n" << result.output);
    CHECK(result.status != 0);
    CHECK_THAT(result.output, ContainsSubstring(c.message));
  }
  CHECK(folder.entries() == 0);  // nothing half-written left behind
  const auto help = run_gavel("generate --help");
  CHECK(help.status == 0);
  CHECK_THAT(help.output, ContainsSubstring("navier-stokes-3d") && ContainsSubstring("default 32 in 2-D, 16 in 3-D"));
}

TEST_CASE("gavel generate --equation navier-stokes-3d writes a dataset folder that gavel info opens",
          "[cli][generate][well]") {
  test::TempFolder folder;
  const std::string out = folder / "navier_stokes_3d";
  const auto made = run_gavel("generate --out " + out + kSmall3d + " --trajectories 2,1,0 --seed 3");
  INFO(made.output);
  REQUIRE(made.status == 0);
  CHECK_THAT(made.output, ContainsSubstring("3-D Navier-Stokes, 8x8x8"));
  CHECK(std::filesystem::is_regular_file(out + "/data/train/navier_stokes_3d_train.hdf5"));
  CHECK(std::filesystem::is_regular_file(out + "/data/valid/navier_stokes_3d_valid.hdf5"));
  CHECK(!std::filesystem::exists(out + "/data/test"));

  const auto info = run_gavel("info " + out + " --json");
  INFO(info.output);
  REQUIRE(info.status == 0);
  const auto j = nlohmann::json::parse(info.output);
  CHECK(j["grid"]["shape"] == nlohmann::json::array({8, 8, 8}));
  CHECK(j["grid"]["bc"] ==
        nlohmann::json::array({{"periodic", "periodic"}, {"periodic", "periodic"}, {"periodic", "periodic"}}));
  CHECK(j["n_trajectories"] == 2);
  CHECK(j["n_steps"] == 2);
  CHECK(j["group"]["order"] == 48);
  CHECK(j["group"]["subgroups"].size() == 98);
  CHECK(j["stats"]["mismatches"].empty());
  REQUIRE(j["fields"].size() == 2);
  CHECK(j["fields"][0]["name"] == "velocity");
  CHECK(j["fields"][0]["kind"] == "vector");
  CHECK(j["fields"][0]["pseudo"] == false);
  CHECK(j["fields"][1]["name"] == "vorticity");
  CHECK(j["fields"][1]["kind"] == "vector");
  CHECK(j["fields"][1]["pseudo"] == true);
  CHECK(j["simulation_parameters"]["viscosity"] == 0.1);

  // The same seed gives the same data, another seed other data.
  const std::string twin = folder / "twin";
  REQUIRE(run_gavel("generate --out " + twin + kSmall3d + " --trajectories 2,1,0 --seed 3").status == 0);
  const std::string other = folder / "other";
  REQUIRE(run_gavel("generate --out " + other + kSmall3d + " --trajectories 2,1,0 --seed 4").status == 0);
  const std::string train = "/data/train/navier_stokes_3d_train.hdf5";
  for (std::size_t f = 0; f < 2; ++f) {
    CHECK(all_values(out + train, f) == all_values(twin + train, f));
    CHECK(all_values(out + train, f) != all_values(other + train, f));
  }
}
