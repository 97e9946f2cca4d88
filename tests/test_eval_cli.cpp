// gavel eval as a user runs it: defaults, options, reports on disk, and every bad input ending
// in a clear message and a non-zero exit.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

const std::string kFno = gavel::test::source_root() + "/surrogates/reference/fno";
const std::string kData = gavel::test::reference_data_dir() + "/navier_stokes_2d";

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

std::string quick(const std::string& out) {
  return "eval -q --model " + kFno + " --data " + kData + " --bootstrap 500 --defect-samples 2 --out " + out;
}

}  // namespace

TEST_CASE("gavel eval writes every report and prints the table", "[cli][eval]") {
  test::TempFolder tmp;
  const auto out = tmp.path() / "report";
  const auto run =
      test::run_gavel(quick(out.string()) + " --max-samples 8 --rollout 3 --windows 0:2,1:3 --subgroups all --seed 7");
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.output, ContainsSubstring("FNO on navier_stokes_2d (test, 8 windows) · group D4 (order 8"));
  CHECK_THAT(run.output, ContainsSubstring("baseline VRMSE"));
  CHECK_THAT(run.output, ContainsSubstring("rollout VRMSE 0:2") && ContainsSubstring("rollout VRMSE 1:3"));
  CHECK_THAT(run.output, ContainsSubstring("passed"));
  for (const char* file : {"report.json", "metrics.csv", "summary.md", "report.html"})
    CHECK(std::filesystem::is_regular_file(out / file));

  const auto r = read_json(out / "report.json");
  CHECK(r["schema"] == "gavel-report/1");
  CHECK(r["status"] == "complete");
  CHECK(r["model"]["architecture"] == "FNO");
  CHECK(r["group"]["name"] == "D4");
  CHECK(r["group"]["order"] == 8);
  CHECK(r["one_step"]["samples"] == 8);
  CHECK(r["one_step"]["baseline"]["VRMSE"].is_number());
  CHECK(r["one_step"]["averaged"]["per_field"].contains("velocity_y"));
  CHECK(r["subgroups"].size() == 10);
  CHECK(r["rollout"]["steps"] == 3);
  CHECK(r["rollout"]["trajectories"] == 2);  // --max-samples caps trajectories too (2 in the test split)
  CHECK(r["per_element"].size() == 8);
  CHECK(r["equivariance_defect"]["passed"] == true);
  CHECK(r["manifest"]["seed"] == 7);
  // The manifest holds the command line as given, every option included.
  CHECK(r["manifest"]["command"] ==
        "gavel " + quick(out.string()) + " --max-samples 8 --rollout 3 --windows 0:2,1:3 --subgroups all --seed 7");
  // The data hashes equal those Python's hashlib recorded when the models were trained.
  const auto training = read_json(kFno + "/training.json");
  CHECK(r["manifest"]["data_sha256"]["data/test/navier_stokes_2d_test.hdf5"] ==
        training["dataset"]["files_sha256"]["data/test/navier_stokes_2d_test.hdf5"]);
  CHECK(r["manifest"]["data_sha256"]["stats.yaml"] == training["dataset"]["stats_yaml_sha256"]);

  // gavel report renders the same views again from report.json.
  const auto again = tmp.path() / "again";
  const auto rerun = test::run_gavel("report " + out.string() + " --out " + again.string());
  INFO(rerun.output);
  CHECK(rerun.status == 0);
  CHECK(std::filesystem::is_regular_file(again / "report.html"));
}

TEST_CASE("gavel eval without arguments evaluates the bundled models on the bundled dataset", "[cli][eval]") {
  test::TempFolder tmp;
  const auto run = test::run_gavel("eval -q --bootstrap 500 --defect-samples 2 --out " + (tmp.path() / "r").string());
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.output, ContainsSubstring("FNO on navier_stokes_2d (test, 32 windows)"));
  CHECK_THAT(run.output, ContainsSubstring("UNetClassic on navier_stokes_2d (test, 32 windows)"));
  for (const char* model : {"fno", "unet_classic"}) {
    const auto r = read_json(tmp.path() / "r" / model / "report.json");
    CHECK(r["rollout"]["steps"] == 16);
    CHECK(r["rollout"]["windows"].size() == 2);
    CHECK(r["equivariance_defect"]["averaged"]["max"].get<double>() <= 1e-6);
    // The averaged model is checked on D4's generators, each named.
    CHECK(r["group"]["generators"] == nlohmann::json::array({"rot90", "flip_x"}));
    CHECK(r["equivariance_defect"]["averaged"]["elements_checked"] == "generators");
    CHECK(r["equivariance_defect"]["averaged"]["per_element"].size() == 2);
    CHECK(r["equivariance_defect"]["averaged"]["per_element"][1]["element"] == "flip_x");
  }
  CHECK_THAT(run.output, ContainsSubstring("(max on generators rot90, flip_x; tolerance 1.0e-06: passed)"));
}

TEST_CASE("gavel eval --defect-elements all checks every element; other values are refused", "[cli][eval]") {
  test::TempFolder tmp;
  const auto out = tmp.path() / "r";
  const auto run = test::run_gavel(quick(out.string()) + " --max-samples 2 --rollout 0 --defect-elements all");
  INFO(run.output);
  REQUIRE(run.status == 0);
  const auto r = read_json(out / "report.json");
  CHECK(r["equivariance_defect"]["averaged"]["elements_checked"] == "all");
  CHECK(r["equivariance_defect"]["averaged"]["per_element"].size() == 7);  // every element but the identity
  CHECK(r["equivariance_defect"]["passed"] == true);
  CHECK_THAT(run.output, ContainsSubstring("(max on all elements; tolerance"));
  const auto bad = test::run_gavel(quick((tmp.path() / "s").string()) + " --defect-elements rot90");
  CHECK(bad.status != 0);
  CHECK_THAT(bad.output, ContainsSubstring("--defect-elements"));
  CHECK(!std::filesystem::exists(tmp.path() / "s"));
}

TEST_CASE("gavel eval reads options from a config file", "[cli][eval]") {
  test::TempFolder tmp;
  const auto config = tmp.path() / "eval.ini";
  std::ofstream(config) << "[eval]\nmax-samples=4\nrollout=0\ngroup=C4\n";
  const auto out = tmp.path() / "r";
  const auto run = test::run_gavel(quick(out.string()) + " --config " + config.string());
  INFO(run.output);
  REQUIRE(run.status == 0);
  const auto r = read_json(out / "report.json");
  CHECK(r["one_step"]["samples"] == 4);
  CHECK(!r.contains("rollout"));
  CHECK(r["group"]["name"] == "C4");
  CHECK(r["group"]["source"] == "--group");
}

TEST_CASE("gavel eval refuses bad input with a clear message", "[cli][eval]") {
  test::TempFolder tmp;
  const auto out = (tmp.path() / "r").string();
  struct Case {
    std::string arguments, message;
  };
  const std::vector<Case> cases = {
      {"--split nope", "no split 'nope'"}, {"--group flip_x --constraints no-reflection", "not admissible"},
      {"--group nonsense", "nonsense"},    {"--n-steps-input 3", "model takes 12 channels"},
      {"--windows 6-12", "--windows"},     {"--normalization none --delta", "--delta needs normalization statistics"},
  };
  for (const auto& c : cases) {
    const auto run =
        test::run_gavel("eval -q --model " + kFno + " --data " + kData + " --out " + out + " " + c.arguments);
    INFO(c.arguments << "\n" << run.output);
    CHECK(run.status == 1);
    CHECK_THAT(run.output, ContainsSubstring("error") && ContainsSubstring(c.message));
    CHECK(!std::filesystem::exists(std::filesystem::path(out) / "report.json"));
  }
  const auto missing =
      test::run_gavel("eval -q --model " + kFno + " --data " + (tmp.path() / "missing").string() + " --out " + out);
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, ContainsSubstring("error") && ContainsSubstring("missing"));
  // A dataset whose test split holds no files.
  const auto folder = tmp.path() / "ds";
  std::filesystem::create_directories(folder / "data" / "train");
  std::filesystem::create_directories(folder / "data" / "test");
  std::filesystem::copy_file(kData + "/data/train/navier_stokes_2d_train.hdf5",
                             folder / "data" / "train" / "navier_stokes_2d_train.hdf5");
  std::filesystem::copy_file(kData + "/stats.yaml", folder / "stats.yaml");
  const auto empty =
      test::run_gavel("eval -q --model " + kFno + " --data " + folder.string() + " --split test --out " + out);
  INFO(empty.output);
  CHECK(empty.status == 1);
  CHECK_THAT(empty.output, ContainsSubstring("split 'test'"));
  // An output "folder" that is a file cannot be written: refused before any work.
  const auto file = tmp.path() / "a-file";
  std::ofstream(file) << "x";
  const auto blocked = test::run_gavel(quick(file.string()) + " --max-samples 2 --rollout 0");
  CHECK(blocked.status == 1);
  CHECK_THAT(blocked.output, ContainsSubstring("a-file: refusing to replace it: it is a file, not a report folder"));
  // A group the physics rules out runs with --force, and the report says so.
  const auto forced =
      test::run_gavel(quick(out) + " --max-samples 2 --rollout 0 --group flip_x --constraints no-reflection --force");
  INFO(forced.output);
  REQUIRE(forced.status == 0);
  const auto r = read_json(std::filesystem::path(out) / "report.json");
  CHECK(r["group"]["forced"] == true);
  CHECK(r["group"]["violations"].size() == 1);
}

TEST_CASE("the manifest's command quotes what a shell would need quoted", "[cli][eval]") {
  test::TempFolder tmp;
  const auto out = tmp.path() / "with space's";
  const auto run = test::run_gavel("eval -q --model " + kFno + " --max-samples 2 --rollout 0 --bootstrap 100 --out \"" +
                                   out.string() + "\"");
  INFO(run.output);
  REQUIRE(run.status == 0);
  const auto r = read_json(out / "report.json");
  const std::string quoted_out = "'" + tmp.path().string() + "/with space'\\''s'";
  CHECK(r["manifest"]["command"] ==
        "gavel eval -q --model " + kFno + " --max-samples 2 --rollout 0 --bootstrap 100 --out " + quoted_out);
}
