// Dataset folders and stats.yaml, on fixtures written by tools/make_well_fixtures.py.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

#include "gavel/core/error.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "test_paths.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {
std::string data(const std::string& name) {
  return gavel::test::test_data_dir() + "/well_dataset/" + name;
}
}  // namespace

TEST_CASE("a dataset folder: splits in order, sorted files, stats.yaml", "[well]") {
  const WellDatasetFolder dataset = open_well_dataset(data("fixture_small"));
  CHECK(dataset.name == "fixture_small");
  REQUIRE(dataset.splits.size() == 3);
  CHECK(dataset.splits[0].name == "train");
  CHECK(dataset.splits[2].name == "test");
  REQUIRE(dataset.splits[1].files.size() == 1);
  CHECK_THAT(dataset.first_file(), ContainsSubstring("train/fixture_small_Re_100.hdf5"));
  REQUIRE(dataset.stats.has_value());
  const WellStats& stats = *dataset.stats;
  CHECK(stats.keys() == std::vector<std::string>{"mean", "mean_delta", "rms", "rms_delta", "std", "std_delta"});
  CHECK(stats.values("mean", "tracer").size() == 1);
  REQUIRE(stats.values("std", "velocity").size() == 2);
  CHECK(stats.values("std", "velocity")[0] == Approx(9.8453e-01).epsilon(1e-12));
  CHECK(stats.mismatches(read_well_file(dataset.first_file())).empty());
  // The data/ folder itself opens the same dataset.
  CHECK(open_well_dataset(data("fixture_small/data")).name == "fixture_small");
}

TEST_CASE("statistics that do not fit the fields are reported", "[well][errors]") {
  const WellDatasetFolder dataset = open_well_dataset(data("bad_stats"));
  REQUIRE(dataset.stats.has_value());
  const auto problems = dataset.stats->mismatches(read_well_file(dataset.first_file()));
  REQUIRE(problems.size() == 2);
  CHECK(problems[0] == "mean/velocity: 1 values for a vector with 2 components");
  CHECK(problems[1] == "std: no entry for field 'velocity'");
  CHECK_THROWS_WITH(dataset.stats->values("rms", "tracer"),
                    ContainsSubstring("no 'rms' statistics for field 'tracer'"));
}

TEST_CASE("bad dataset folders and stats files are refused", "[well][errors]") {
  CHECK_THROWS_WITH(WellStats::read(data("broken.yaml")), ContainsSubstring("broken.yaml: not valid YAML"));
  CHECK_THROWS_WITH(WellStats::read(data("nothing.yaml")), ContainsSubstring("no such file"));
  CHECK_THROWS_WITH(open_well_dataset(data("fixture_small/stats.yaml")), ContainsSubstring("not a folder"));
  CHECK_THROWS_WITH(open_well_dataset(gavel::test::test_data_dir() + "/well"),
                    ContainsSubstring("not a Well dataset folder"));
}
