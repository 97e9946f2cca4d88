// `gavel generate`: argument checks, refusing existing output, a dataset folder that `gavel info`
// and the statistics reader accept, and the same dataset for the same seed.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_stats.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;
using test::run_gavel;

namespace {

const std::string kSmall = " --size 16 --steps 4 --dt 0.1 --trajectories 2,1,1";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Every value of every field of two Well files with the same structure.
bool same_values(const std::string& a, const std::string& b) {
  const datasets::WellFileSource x(a);
  const datasets::WellFileSource y(b);
  const auto& info = x.info();
  for (std::size_t f = 0; f < info.fields.size(); ++f)
    for (std::int64_t t = 0; t < info.n_trajectories; ++t) {
      const auto size = static_cast<std::size_t>(datasets::frame_size(info, info.fields[f]) * info.n_steps);
      std::vector<float> u(size), v(size);
      x.read_frames(f, t, 0, info.n_steps, 1, u.data());
      y.read_frames(f, t, 0, info.n_steps, 1, v.data());
      if (u != v) return false;
    }
  return true;
}

}  // namespace

TEST_CASE("gavel generate refuses bad arguments with a message", "[cli][generate][errors]") {
  test::TempFolder folder;
  const std::string out = " --out " + (folder / "ds");
  const struct {
    std::string arguments;
    std::string message;
  } cases[] = {
      {out + " --size 4", "grid size 4"},
      {out + " --size 32 --peak-wavenumber 12", "peak wavenumber 12"},
      {out + " --trajectories 1,2", "three counts"},
      {out + " --trajectories 1,x,2", "three counts"},
      {out + " --trajectories 0,1,1", "train split needs at least one"},
      {out + " --dt -1", "time between saved steps"},
      {out + " --viscosity 0", "viscosity must be positive"},
      {out + " --drag -0.5", "drag"},
      {out + " --steps 1", "saved steps"},
      {out + " --substeps -2", "substeps"},
      {out + " --seed -1", "--seed"},
      {"", "--out is required"},
  };
  for (const auto& c : cases) {
    const auto result = run_gavel("generate" + c.arguments);
    INFO(c.arguments << "\n" << result.output);
    CHECK(result.status != 0);
    CHECK_THAT(result.output, ContainsSubstring(c.message));
  }
  CHECK(folder.entries() == 0);  // nothing half-written left behind
}

TEST_CASE("gavel generate writes a dataset folder that gavel info opens", "[cli][generate][well]") {
  test::TempFolder folder;
  const std::string out = folder / "navier_stokes_2d";
  const auto made = run_gavel("generate --out " + out + kSmall + " --seed 3");
  INFO(made.output);
  REQUIRE(made.status == 0);
  CHECK(folder.entries() == 1);
  for (const char* split : {"train", "valid", "test"})
    CHECK(std::filesystem::is_regular_file(out + "/data/" + split + "/navier_stokes_2d_" + split + ".hdf5"));

  const auto info = run_gavel("info " + out + " --json");
  INFO(info.output);
  REQUIRE(info.status == 0);
  const auto j = nlohmann::json::parse(info.output);
  CHECK(j["grid"]["shape"] == nlohmann::json::array({16, 16}));
  CHECK(j["grid"]["bc"] == nlohmann::json::array({{"periodic", "periodic"}, {"periodic", "periodic"}}));
  CHECK(j["n_trajectories"] == 2);
  CHECK(j["n_steps"] == 4);
  CHECK(j["group"]["order"] == 8);
  CHECK(j["group"]["subgroups"].size() == 10);
  CHECK(j["splits"].size() == 3);
  CHECK(j["stats"]["mismatches"].empty());
  REQUIRE(j["fields"].size() == 2);
  CHECK(j["fields"][0]["name"] == "vorticity");
  CHECK(j["fields"][0]["pseudo"] == true);
  CHECK(j["fields"][1]["name"] == "velocity");
  CHECK(j["fields"][1]["kind"] == "vector");
  CHECK(j["simulation_parameters"]["viscosity"] == 0.02);

  const auto stats = datasets::WellStats::read(out + "/stats.yaml");
  CHECK(stats.keys() == std::vector<std::string>{"mean", "mean_delta", "rms", "rms_delta", "std", "std_delta"});
  CHECK(stats.values("rms", "velocity").size() == 2);

  SECTION("an existing folder is refused unless --overwrite") {
    const auto again = run_gavel("generate --out " + out + kSmall);
    CHECK(again.status != 0);
    CHECK_THAT(again.output, ContainsSubstring("already exists"));
    const auto trailing_slash = run_gavel("generate --out " + out + "/" + kSmall);
    CHECK(trailing_slash.status != 0);
    const auto replaced = run_gavel("generate --out " + out + kSmall + " --seed 4 --overwrite");
    INFO(replaced.output);
    CHECK(replaced.status == 0);
    CHECK(folder.entries() == 1);
  }
  SECTION("the same seed gives the same data, another seed other data") {
    const std::string twin = folder / "twin";
    REQUIRE(run_gavel("generate --out " + twin + kSmall + " --seed 3").status == 0);
    CHECK(read_text(out + "/stats.yaml") == read_text(twin + "/stats.yaml"));
    for (const char* split : {"train", "valid", "test"}) {
      const std::string name = std::string("/data/") + split + "/navier_stokes_2d_" + split + ".hdf5";
      CHECK(same_values(out + name, twin + name));
    }
    const std::string other = folder / "other";
    REQUIRE(run_gavel("generate --out " + other + kSmall + " --seed 5").status == 0);
    CHECK_FALSE(same_values(out + "/data/train/navier_stokes_2d_train.hdf5",
                            other + "/data/train/navier_stokes_2d_train.hdf5"));
  }
}
