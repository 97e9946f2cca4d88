// Options and data that used to crash gavel or slip through: --batch, --windows, clashing report
// folders, non-finite targets. Each ends in a message and a non-zero exit, or (huge batches) in
// a normal run with the batch capped at the windows there are.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <filesystem>
#include <limits>

#include <H5Cpp.h>

#include "cli_support.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/batch_size.hpp"
#include "gavel/eval/rollout_windows.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

const std::string kFno = test::source_root() + "/surrogates/reference/fno";
const std::string kData = test::reference_data_dir() + "/navier_stokes_2d";

/// A small evaluation; `windows` are the rollout windows.
std::string eval_quick(const std::string& out, const std::string& windows = "0:2") {
  return "eval -q --model " + kFno + " --data " + kData + " --max-samples 2 --rollout 2 --windows " + windows +
         " --bootstrap 100 --defect-samples 1 --out " + out;
}

/// A copy of the bundled dataset whose test file holds `value` at one point of trajectory 0,
/// step 4 (the target of window 0) of the vorticity.
fs::path dataset_with_target_value(const test::TempFolder& tmp, float value) {
  const fs::path folder = tmp.path() / "data-copy";
  fs::copy(kData, folder, fs::copy_options::recursive);
  const std::string file = (folder / "data" / "test" / "navier_stokes_2d_test.hdf5").string();
  H5::H5File h5(file, H5F_ACC_RDWR);
  H5::DataSet set = h5.openDataSet("t0_fields/vorticity");
  H5::DataSpace space = set.getSpace();
  const hsize_t start[4] = {0, 4, 3, 5}, count[4] = {1, 1, 1, 1};
  space.selectHyperslab(H5S_SELECT_SET, count, start);
  H5::DataSpace one(4, count);
  set.write(&value, H5::PredType::NATIVE_FLOAT, one, space);
  return folder;
}

}  // namespace

TEST_CASE("rollout windows (--windows) are parsed strictly", "[options][windows]") {
  using eval::parse_rollout_windows;
  CHECK(parse_rollout_windows("6:12,13:30") == std::vector<std::pair<int, int>>{{6, 12}, {13, 30}});
  CHECK(parse_rollout_windows("0:1") == std::vector<std::pair<int, int>>{{0, 1}});
  for (const char* bad : {"", ",", "6:12,", ",6:12", "6:12,,13:30", "6-12", "6:", ":12", "12:6", "6:6", "-1:3", "+1:3",
                          " 1:3", "1:3 ", "1:3x", "1:99999999999", "1:2:3", "6:12,6:12", "a:b"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(parse_rollout_windows(bad), Error);
  }
  CHECK_THROWS_WITH(parse_rollout_windows(""), ContainsSubstring("--windows ''") && ContainsSubstring("no window"));
  CHECK_THROWS_WITH(parse_rollout_windows("6:12,"), ContainsSubstring("empty window"));
  CHECK_THROWS_WITH(parse_rollout_windows("6:12,6:12"), ContainsSubstring("given twice"));
}

TEST_CASE("the windows per model call are capped and their buffers checked", "[options][batch]") {
  CHECK(eval::windows_per_call(8, 32, 8, 1000) == 8);
  CHECK(eval::windows_per_call(4611686018427387904, 32, 8, 1000) == 32);
  CHECK(eval::windows_per_call(1, 0, 8, 1000) == 1);
  CHECK_THROWS_WITH(eval::windows_per_call(0, 32, 8, 1000), ContainsSubstring("--batch 0: must be at least 1"));
  CHECK_THROWS_WITH(eval::windows_per_call(-3, 32, 8, 1000), ContainsSubstring("--batch -3"));
  // Capped at a million windows, 48 copies of 2^30 values each cannot fit in any memory.
  CHECK_THROWS_WITH(eval::windows_per_call(1 << 20, 1 << 20, 48, std::int64_t{1} << 30),
                    ContainsSubstring("--batch 1048576") && ContainsSubstring("lower --batch"));
}

#ifdef GAVEL_TEST_HAS_PROGRAM
TEST_CASE("huge --batch values run with the batch capped (they used to crash)", "[cli][options][batch]") {
  test::TempFolder tmp;
  for (const char* batch : {"4611686018427387904", "1000000000000"}) {
    INFO(batch);
    const auto eval = test::run_gavel(eval_quick((tmp.path() / "r").string()) + " --batch " + batch);
    INFO(eval.output);
    CHECK(eval.status == 0);
    CHECK(fs::exists(tmp.path() / "r" / "report.json"));
    fs::remove_all(tmp.path() / "r");
    const auto predict = test::run_gavel("predict --model " + kFno + " --data " + kData + " --max-windows 3 --out " +
                                         (tmp.path() / "p.hdf5").string() + " --batch " + batch);
    INFO(predict.output);
    CHECK(predict.status == 0);
    CHECK(fs::exists(tmp.path() / "p.hdf5"));
    fs::remove(tmp.path() / "p.hdf5");
  }
}

TEST_CASE("gavel predict refuses --batch below 1 or not an integer", "[cli][options][batch]") {
  test::TempFolder tmp;
  for (const char* batch : {"0", "-3", "1e12", "x"}) {
    const auto run = test::run_gavel("predict --model " + kFno + " --data " + kData + " --out " +
                                     (tmp.path() / "p.hdf5").string() + " --batch " + batch);
    INFO(run.output);
    CHECK(run.status != 0);
    CHECK_THAT(run.output, ContainsSubstring("--batch"));
    CHECK(tmp.entries() == 0);
  }
}

TEST_CASE("gavel eval refuses bad --windows before any work", "[cli][options][windows]") {
  test::TempFolder tmp;
  for (const char* windows : {"''", "6:12,", "6:12,6:12", "0:2,"}) {
    const auto run = test::run_gavel(eval_quick((tmp.path() / "r").string(), windows));
    INFO(windows << "\n" << run.output);
    CHECK(run.status == 1);
    CHECK_THAT(run.output, ContainsSubstring("error: --windows"));
    CHECK(tmp.entries() == 0);
  }
}

TEST_CASE("gavel eval and predict refuse counts out of range instead of reinterpreting them", "[cli][options]") {
  test::TempFolder tmp;
  // Each used to run: negative counts meant "all", a negative seed wrapped around, and zero
  // defect samples reported the skipped correctness check as passed.
  for (const char* bad : {"--max-samples -5", "--rollout -7", "--seed -1", "--defect-samples 0", "--figure-samples -1",
                          "--n-steps-input -1"}) {
    const auto run = test::run_gavel("eval -q --model " + kFno + " --data " + kData + " --out " +
                                     (tmp.path() / "r").string() + " " + bad);
    INFO(bad << "\n" << run.output);
    CHECK(run.status != 0);
    CHECK_THAT(run.output, ContainsSubstring(std::string(bad).substr(0, std::string(bad).find(' '))));
    CHECK(tmp.entries() == 0);
  }
  for (const char* bad : {"--max-windows -2", "--max-windows 0", "--n-steps-input 0"}) {
    const auto run = test::run_gavel("predict --model " + kFno + " --data " + kData + " --out " +
                                     (tmp.path() / "p.hdf5").string() + " " + bad);
    INFO(bad << "\n" << run.output);
    CHECK(run.status != 0);
    CHECK(tmp.entries() == 0);
  }
}

TEST_CASE("two checkpoints whose folders share a name are refused, not written over each other", "[cli][options]") {
  test::TempFolder tmp;
  for (const char* copy : {"a", "b"}) {
    fs::create_directories(tmp.path() / copy);
    fs::copy(kFno, tmp.path() / copy / "fno", fs::copy_options::recursive);
  }
  const auto out = tmp.path() / "reports";
  const auto run = test::run_gavel("eval -q --model " + (tmp.path() / "a" / "fno").string() + " --model " +
                                   (tmp.path() / "b" / "fno").string() + " --data " + kData +
                                   " --max-samples 2 --rollout 0 --bootstrap 100 --out " + out.string());
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK_THAT(run.output, ContainsSubstring("share the name 'fno'") && ContainsSubstring((out / "fno").string()));
  CHECK(!fs::exists(out));
}

TEST_CASE("non-finite targets end the run with the file, field and count", "[cli][options][non_finite]") {
  test::TempFolder tmp;
  for (const float value : {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()}) {
    const fs::path data = dataset_with_target_value(tmp, value);
    const auto out = tmp.path() / "r";
    const auto run = test::run_gavel("eval -q --model " + kFno + " --data " + data.string() +
                                     " --max-samples 2 --rollout 0 --bootstrap 100 --out " + out.string());
    INFO(run.output);
    CHECK(run.status == 1);
    CHECK_THAT(run.output, ContainsSubstring("navier_stokes_2d_test.hdf5: trajectory 0, window from step 0"));
    CHECK_THAT(run.output, ContainsSubstring(std::isnan(value) ? "vorticity: 1 NaN, 0 +Inf, 0 -Inf"
                                                               : "vorticity: 0 NaN, 1 +Inf, 0 -Inf"));
    CHECK_THAT(run.output, !ContainsSubstring("paired statistics"));
    CHECK(!fs::exists(out / "report.json"));
    fs::remove_all(data);
  }
}
#endif
