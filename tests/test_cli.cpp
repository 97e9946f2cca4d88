// Runs the gavel program as a user would and checks its output, JSON and errors.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"

using Catch::Matchers::ContainsSubstring;
using gavel::test::run_gavel;

namespace {

nlohmann::json group_json(const std::string& arguments) {
  const auto result = run_gavel("group " + arguments + " --json");
  INFO(result.output);
  REQUIRE(result.status == 0);
  return nlohmann::json::parse(result.output);
}

}  // namespace

TEST_CASE("gavel group reports the issue's orders and subgroup counts", "[cli]") {
  auto d4 = group_json("--shape 128,128 --bc periodic");
  CHECK(d4["order"] == 8);
  CHECK(d4["subgroups"].size() == 10);
  CHECK(d4["name"] == "D4");
  CHECK(d4["elements"][0] == "id");
  CHECK(d4["grid"]["shape"] == nlohmann::json::array({128, 128}));
  for (const auto& s : d4["subgroups"]) {
    CHECK(s.contains("name"));
    CHECK(s["elements"].size() == s["order"].get<std::size_t>());
  }
  auto rect = group_json("--shape 256,512");
  CHECK(rect["order"] == 4);
  for (const auto& e : rect["element_details"])
    CHECK_THAT(e["name"].get<std::string>(), !ContainsSubstring("rot90"));
  auto cube = group_json("--shape 64,64,64");
  CHECK(cube["order"] == 48);
  CHECK(cube["subgroups"].size() == 98);
  CHECK(cube["name"] == "Oh");
  auto mixed = group_json("--shape 128,128 --bc periodic,periodic,wall,open");
  CHECK(mixed["order"] == 2);
  CHECK(mixed["elements"] == nlohmann::json::array({"id", "flip_x"}));
  auto shifted = group_json("--shape 8,8 --shifts 4");
  CHECK(shifted["order"] == 32);
  auto too_big = group_json("--shape 64,64 --shifts 4");
  CHECK(too_big["order"] == 8 * 16 * 16);
  CHECK(too_big["subgroups"].empty());
  CHECK_THAT(too_big["subgroups_error"].get<std::string>(), ContainsSubstring("enumeration is limited"));
}

TEST_CASE("gavel group text output lists elements in both notations", "[cli]") {
  const auto result = run_gavel("group --shape 16,16");
  REQUIRE(result.status == 0);
  CHECK_THAT(result.output, ContainsSubstring("rot90"));
  CHECK_THAT(result.output, ContainsSubstring("[-y,x]"));
  CHECK_THAT(result.output, ContainsSubstring("D2_diag"));
}

TEST_CASE("gavel group refuses bad input with a message and non-zero exit", "[cli][errors]") {
  auto bad_bc = run_gavel("group --shape 64,64 --bc periodic,sticky");
  CHECK(bad_bc.status != 0);
  CHECK_THAT(bad_bc.output, ContainsSubstring("unknown boundary condition 'sticky'"));
  auto bad_shape = run_gavel("group --shape 64,-3");
  CHECK(bad_shape.status != 0);
  CHECK_THAT(bad_shape.output, ContainsSubstring("not a positive integer"));
  auto bad_count = run_gavel("group --shape 64,64 --bc wall,wall,wall");
  CHECK(bad_count.status != 0);
  CHECK_THAT(bad_count.output, ContainsSubstring("3 values for a 2-D grid"));
  auto bad_step = run_gavel("group --shape 64,64 --shifts 5");
  CHECK(bad_step.status != 0);
  CHECK_THAT(bad_step.output, ContainsSubstring("does not divide"));
  auto one_sided = run_gavel("group --shape 64,64 --bc periodic,wall,open,open");
  CHECK(one_sided.status != 0);
  CHECK_THAT(one_sided.output, ContainsSubstring("periodic on one face only"));
  auto no_command = run_gavel("");
  CHECK(no_command.status != 0);
  auto unknown = run_gavel("frobnicate");
  CHECK(unknown.status != 0);
}

TEST_CASE("gavel info describes a Well file as JSON", "[cli][well]") {
  const auto result = run_gavel("info " + gavel::test::test_data_dir() + "/well/periodic_2d.hdf5 --json");
  INFO(result.output);
  REQUIRE(result.status == 0);
  const auto j = nlohmann::json::parse(result.output);
  CHECK(j["n_trajectories"] == 2);
  CHECK(j["n_steps"] == 5);
  CHECK(j["grid"]["shape"] == nlohmann::json::array({8, 8}));
  CHECK(j["grid"]["bc"][0] == nlohmann::json::array({"periodic", "periodic"}));
  CHECK(j["fields"].size() == 5);
  CHECK(j["fields"][3]["name"] == "velocity");
  CHECK(j["fields"][3]["kind"] == "vector");
  CHECK(j["fields"][3]["shape"] == nlohmann::json::array({2, 5, 8, 8, 2}));
  CHECK(j["group"]["order"] == 8);
  CHECK(j["group"]["subgroups"].size() == 10);
  CHECK(j["group"]["elements"].size() == 8);
}

TEST_CASE("gavel info refuses broken files and folders", "[cli][well][errors]") {
  const std::string data = gavel::test::test_data_dir() + "/well/";
  auto not_hdf5 = run_gavel("info " + data + "not_hdf5.hdf5");
  CHECK(not_hdf5.status != 0);
  CHECK_THAT(not_hdf5.output, ContainsSubstring("not an HDF5 file"));
  auto bad_bc = run_gavel("info " + data + "bad_bc_type.hdf5 --json");
  CHECK(bad_bc.status != 0);
  CHECK_THAT(bad_bc.output, ContainsSubstring("unknown bc_type 'SLIPPERY'"));
  auto folder = run_gavel("info " + data);
  CHECK(folder.status != 0);
  CHECK_THAT(folder.output, ContainsSubstring("not a Well dataset folder"));
  auto sphere = run_gavel("info " + data + "spherical.hdf5 --json");
  REQUIRE(sphere.status == 0);
  CHECK(nlohmann::json::parse(sphere.output)["group"]["order"] == 1);
}

TEST_CASE("gavel info on a dataset folder lists splits and statistics", "[cli][well]") {
  const std::string data = gavel::test::test_data_dir() + "/well_dataset/";
  const auto good = run_gavel("info " + data + "fixture_small --json");
  INFO(good.output);
  REQUIRE(good.status == 0);
  const auto j = nlohmann::json::parse(good.output);
  REQUIRE(j["splits"].size() == 3);
  CHECK(j["splits"][0]["name"] == "train");
  CHECK(j["splits"][0]["files"].size() == 1);
  CHECK(j["stats"]["mismatches"].empty());
  CHECK(j["fields"][1]["name"] == "velocity");
  const auto bad = run_gavel("info " + data + "bad_stats");
  CHECK(bad.status == 0);  // the structure is fine; the statistics get a warning
  CHECK_THAT(bad.output, ContainsSubstring("warning"));
  CHECK_THAT(bad.output, ContainsSubstring("mean/velocity: 1 values for a vector with 2 components"));
}

TEST_CASE("gavel transform writes a transformed Well file and refuses bad requests", "[cli][transform]") {
  const std::string data = gavel::test::test_data_dir() + "/well/";
  gavel::test::TempFolder folder;
  const std::string out = folder / "rotated.hdf5";
  const auto ok = run_gavel("transform --element rot90 " + data + "periodic_2d.hdf5 " + out);
  INFO(ok.output);
  REQUIRE(ok.status == 0);
  CHECK_THAT(ok.output, ContainsSubstring("[-y,x]"));
  const auto info = run_gavel("info " + out + " --json");
  REQUIRE(info.status == 0);
  const auto j = nlohmann::json::parse(info.output);
  CHECK(j["fields"].size() == 5);
  CHECK(j["fields"][1]["pseudo"] == true);
  CHECK(j["group"]["order"] == 8);

  const auto again = run_gavel("transform --element rot90 " + data + "periodic_2d.hdf5 " + out);
  CHECK(again.status != 0);
  CHECK_THAT(again.output, ContainsSubstring("already exists"));
  CHECK(run_gavel("transform -e flip_x --overwrite " + data + "periodic_2d.hdf5 " + out).status == 0);
  const auto bad_element = run_gavel("transform -e twirl " + data + "periodic_2d.hdf5 " + folder / "x.hdf5");
  CHECK(bad_element.status != 0);
  CHECK_THAT(bad_element.output, ContainsSubstring("twirl"));
  const auto bad_field =
      run_gavel("transform -e rot90 --pseudo pressure " + data + "periodic_2d.hdf5 " + folder / "x.hdf5");
  CHECK(bad_field.status != 0);
  CHECK_THAT(bad_field.output, ContainsSubstring("no field 'pressure'"));
  const auto not_symmetric = run_gavel("transform -e flip_y " + data + "mixed_bc_2d.hdf5 " + folder / "x.hdf5");
  CHECK(not_symmetric.status != 0);
  CHECK_THAT(not_symmetric.output, ContainsSubstring("not a symmetry of this grid"));
  CHECK(run_gavel("transform -e flip_y --force " + data + "mixed_bc_2d.hdf5 " + folder / "x.hdf5").status == 0);
  CHECK(folder.entries() == 2);  // rotated.hdf5 and x.hdf5, no temporaries
}
