// the_well's validation_loop reporting: time windows, per-channel and `full` keys, equal-weight
// batch averaging; against the logged values of the_well 1.2.0's own Trainer in the metric goldens.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <map>
#include <set>

#include "gavel/core/error.hpp"
#include "gavel/metrics/aggregation.hpp"
#include "gavel/metrics/spatial_metrics.hpp"
#include "gavel/metrics/spectral_metrics.hpp"
#include "metric_golden_support.hpp"
#include "test_support.hpp"

using namespace gavel;
using eval::BatchMetric;
using eval::the_well_time_boundaries;
using eval::ValidationAggregator;

namespace {

std::vector<std::string> read_string_dataset(const H5::DataSet& set) {
  const auto n = static_cast<std::size_t>(datasets::hdf5::shape(set).at(0));
  const H5::StrType type = set.getStrType();
  REQUIRE(type.isVariableStr());
  std::vector<char*> raw(n, nullptr);
  set.read(raw.data(), type);
  std::vector<std::string> out;
  for (char* s : raw)
    out.emplace_back(s ? s : "");
  H5::DataSpace space = set.getSpace();
  H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, raw.data());
  return out;
}

std::vector<double> sqrt_of(std::vector<double> v) {
  for (auto& e : v)
    e = std::sqrt(e);
  return v;
}

}  // namespace

TEST_CASE("the_well's time-window boundaries", "[aggregation]") {
  using V = std::vector<std::int64_t>;
  // Expected values from numpy (the_well's own expression) on this machine.
  CHECK(the_well_time_boundaries(1) == V{0, 1});
  CHECK(the_well_time_boundaries(2) == V{0, 1, 2});
  CHECK(the_well_time_boundaries(3) == V{0, 1, 1, 3});
  CHECK(the_well_time_boundaries(4) == V{0, 1, 1, 2, 4});
  CHECK(the_well_time_boundaries(5) == V{0, 1, 1, 2, 3, 4});  // ⌊exp(ln 5)⌋ = 4: step 4 is in no window
  CHECK(the_well_time_boundaries(6) == V{0, 1, 1, 2, 3, 6});
  CHECK(the_well_time_boundaries(7) == V{0, 1, 1, 2, 4, 6});
  CHECK(the_well_time_boundaries(8) == V{0, 1, 1, 2, 4, 7});
  CHECK(the_well_time_boundaries(10) == V{0, 1, 1, 3, 5, 10});
  CHECK(the_well_time_boundaries(16) == V{0, 1, 2, 4, 7, 15});
  CHECK(the_well_time_boundaries(21) == V{0, 1, 2, 4, 9, 21});
  CHECK(the_well_time_boundaries(50) == V{0, 1, 2, 7, 18, 49});
  CHECK(the_well_time_boundaries(100) == V{0, 1, 3, 10, 31, 100});
  CHECK(the_well_time_boundaries(200) == V{0, 1, 3, 14, 53, 199});
  CHECK(the_well_time_boundaries(1000) == V{0, 1, 5, 31, 177, 999});
  CHECK(the_well_time_boundaries(10, 1) == V{0, 1});
  CHECK(the_well_time_boundaries(10, 2) == V{0, 1, 10});
  CHECK(the_well_time_boundaries(10, 3) == V{0, 1, 3, 10});
  CHECK(the_well_time_boundaries(10, 8) == V{0, 1, 1, 1, 2, 3, 5, 7, 10});
  CHECK_THROWS_AS(the_well_time_boundaries(0), Error);
  CHECK_THROWS_AS(the_well_time_boundaries(5, 0), Error);
}

TEST_CASE("validation aggregation: per-channel and full keys, windows, equal-weight batches", "[aggregation]") {
  ValidationAggregator agg("valid", "toy", {"a", "b"});  // T = 3: boundaries [0, 1, 1, 3]
  // [B][T][C]; batch means m: t0 (2, 4), t1 (4, 6), t2 (6, 8).
  agg.add_batch({{"M", {1, 2, 3, 4, 5, 6, 3, 6, 5, 8, 7, 10}}, {"N", std::vector<double>(12, 1.0)}}, 2, 3);
  // One sample: m = t0 (10, 0), t1 (0, 0), t2 (2, 4). It weighs as much as the two-sample batch.
  agg.add_batch({{"M", {10, 0, 0, 0, 2, 4}}, {"N", std::vector<double>(6, 3.0)}}, 1, 3);
  CHECK(agg.batches() == 2);
  const auto logged = agg.logged();
  const std::vector<std::string> suffixes{"T=all", "T=0:1", "T=1:1", "T=1:3"};
  std::vector<std::string> expected_keys;
  for (const char* metric : {"M", "N"})
    for (const char* name : {"a", "b", "full"})
      for (const auto& s : suffixes)
        expected_keys.push_back(std::string("valid_toy/") + name + "_" + metric + "_" + s);
  REQUIRE(logged.size() == expected_keys.size());
  for (std::size_t k = 0; k < logged.size(); ++k)
    CHECK(logged[k].key == expected_keys[k]);

  const std::map<std::string, double> expected{
      {"a_M_T=all", 4.0},     {"a_M_T=0:1", 6.0}, {"a_M_T=1:3", 3.0},           {"b_M_T=all", 11.0 / 3.0},
      {"b_M_T=0:1", 2.0},     {"b_M_T=1:3", 4.5}, {"full_M_T=all", 23.0 / 6.0}, {"full_M_T=0:1", 4.0},
      {"full_M_T=1:3", 3.75}, {"a_N_T=all", 2.0}, {"full_N_T=1:3", 2.0},        {"b_N_T=0:1", 2.0}};
  for (const auto& [key, value] : expected) {
    INFO(key);
    CHECK(agg.value("valid_toy/" + key) == Catch::Approx(value).epsilon(1e-15));
  }
  for (const char* name : {"a", "b", "full"})
    for (const char* metric : {"M", "N"})
      CHECK(std::isnan(agg.value(std::string("valid_toy/") + name + "_" + metric + "_T=1:1")));
}

TEST_CASE("validation aggregation: one step logs T=all only; NaN metrics stay NaN", "[aggregation]") {
  ValidationAggregator agg("test", "set", {"u"}, 5);
  agg.add_batch({{"VRMSE", {1.0, 3.0}}}, 2, 1);
  agg.add_batch({{"VRMSE", {std::nan(""), 1.0}}}, 2, 1);
  const auto logged = agg.logged();
  REQUIRE(logged.size() == 2);
  CHECK(logged[0].key == "test_set/u_VRMSE_T=all");
  CHECK(logged[1].key == "test_set/full_VRMSE_T=all");
  CHECK(std::isnan(logged[0].value));
}

TEST_CASE("validation aggregation: a window repeated by the boundaries is logged once", "[aggregation]") {
  // T = 10 with 8 intervals: boundaries [0, 1, 1, 1, 2, 3, 5, 7, 10] give the window 1:1 twice.
  ValidationAggregator agg("valid", "d", {"c"}, 8);
  std::vector<double> values(10);
  for (std::size_t t = 0; t < 10; ++t)
    values[t] = static_cast<double>(t);
  agg.add_batch({{"MSE", values}}, 1, 10);
  const auto logged = agg.logged();
  std::vector<std::string> keys;
  for (const auto& l : logged)
    keys.push_back(l.key);
  const std::vector<std::string> expected{"valid_d/c_MSE_T=all", "valid_d/c_MSE_T=0:1", "valid_d/c_MSE_T=1:1",
                                          "valid_d/c_MSE_T=1:2", "valid_d/c_MSE_T=2:3", "valid_d/c_MSE_T=3:5",
                                          "valid_d/c_MSE_T=5:7", "valid_d/c_MSE_T=7:10"};
  REQUIRE(keys.size() == 2 * expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k)
    CHECK(keys[k] == expected[k]);
  CHECK(agg.value("valid_d/c_MSE_T=all") == 4.5);
  CHECK(agg.value("valid_d/c_MSE_T=7:10") == 8.0);
  CHECK(agg.value("valid_d/full_MSE_T=3:5") == 3.5);
}

TEST_CASE("validation aggregation: bad input is refused", "[aggregation]") {
  CHECK_THROWS_AS(ValidationAggregator("valid", "d", {}), Error);
  CHECK_THROWS_AS(ValidationAggregator("valid", "d", {"a", "a"}), Error);
  CHECK_THROWS_AS(ValidationAggregator("valid", "d", {"a", ""}), Error);
  CHECK_THROWS_AS(ValidationAggregator("valid", "d", {"full"}), Error);
  CHECK_THROWS_AS(ValidationAggregator("valid", "d", {"a"}, 0), Error);
  ValidationAggregator agg("valid", "d", {"a", "b"});
  CHECK_THROWS_AS(agg.logged(), Error);
  CHECK_THROWS_AS(agg.value("valid_d/a_M_T=all"), Error);
  try {
    agg.add_batch({{"M", {1, 2, 3}}}, 1, 2);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "validation aggregation: metric 'M' has 3 values, expected samples × steps × channels = 1 × 2 × 2");
  }
  CHECK_THROWS_AS(agg.add_batch({}, 1, 2), Error);
  CHECK_THROWS_AS(agg.add_batch({{"M", {}}}, 0, 2), Error);
  CHECK_THROWS_AS(agg.add_batch({{"M", {1, 2, 3, 4}}, {"M", {1, 2, 3, 4}}}, 1, 2), Error);
  CHECK_THROWS_AS(agg.add_batch({{"", {1, 2, 3, 4}}}, 1, 2), Error);
  CHECK(agg.batches() == 0);  // refused batches add nothing
  agg.add_batch({{"M", {1, 2, 3, 4}}}, 1, 2);
  CHECK_THROWS_AS(agg.add_batch({{"M", {1, 2, 3, 4, 5, 6}}}, 1, 3), Error);  // other step count
  CHECK_THROWS_AS(agg.add_batch({{"N", {1, 2, 3, 4}}}, 1, 2), Error);        // other metric
  CHECK_THROWS_AS(agg.add_batch({{"M", {1, 2, 3, 4}}, {"N", {1, 2, 3, 4}}}, 1, 2), Error);
  CHECK(agg.batches() == 1);
  CHECK(agg.value("valid_d/full_M_T=all") == 2.5);
  CHECK_THROWS_AS(agg.value("valid_d/c_M_T=all"), Error);
}

TEST_CASE("validation aggregation equals the_well's Trainer.validation_loop on the golden batches",
          "[aggregation][golden]") {
  using Exec = test::HostTestSpace;
  const H5::H5File file(test::metric_golden_path(), H5F_ACC_RDONLY);
  const H5::Group g = file.openGroup("aggregation");
  const auto fields = test::read_golden_fields(g, 3);  // [loader batch, B, T, C, *space]
  const std::int64_t loader = fields.lead[0], batch = fields.lead[1], times = fields.lead[2];
  const auto channels = datasets::hdf5::read_string_list(g, "field_names", "golden");
  const auto dataset = datasets::hdf5::read_string(g, "dataset_name", "golden");
  const auto intervals = datasets::hdf5::read_integer(g, "num_time_intervals", "golden");
  REQUIRE(static_cast<std::int64_t>(channels.size()) == fields.channels);

  const H5::Attribute bounds_attribute = g.openAttribute("time_boundaries");
  std::vector<std::int64_t> bounds(static_cast<std::size_t>(bounds_attribute.getSpace().getSimpleExtentNpoints()));
  bounds_attribute.read(H5::PredType::NATIVE_INT64, bounds.data());
  CHECK(the_well_time_boundaries(times, intervals) == bounds);

  ValidationAggregator agg("valid", dataset, channels, intervals);
  const std::int64_t samples = batch * times, per_batch = samples * fields.channels * fields.points;
  for (std::int64_t k = 0; k < loader; ++k) {
    const float* x = fields.x.data() + k * per_batch;
    const float* y = fields.y.data() + k * per_batch;
    Kokkos::View<float*, Exec::memory_space> vx("x", static_cast<std::size_t>(per_batch)),
        vy("y", static_cast<std::size_t>(per_batch));
    for (std::int64_t i = 0; i < per_batch; ++i) {
      vx(static_cast<std::size_t>(i)) = x[i];
      vy(static_cast<std::size_t>(i)) = y[i];
    }
    const auto s = eval::spatial_metrics<Exec>(vx, vy, samples, fields.channels, fields.points);
    const auto sp = eval::binned_spectral_metrics(x, y, samples, fields.channels, fields.space);
    // The trainer's suite in its order; the loss function (MSE) last.
    std::vector<BatchMetric> metrics{
        {"RMSE", sqrt_of(s.mse)}, {"NRMSE", sqrt_of(s.nmse)}, {"LInfinity", s.linf}, {"VRMSE", sqrt_of(s.vmse)}};
    for (std::size_t bin = 0; bin < 3; ++bin)
      metrics.push_back({"spectral_error_mse_per_bin_" + std::to_string(bin), sp.mse_per_bin[bin]});
    for (std::size_t bin = 0; bin < 3; ++bin)
      metrics.push_back({"spectral_error_nmse_per_bin_" + std::to_string(bin), sp.nmse_per_bin[bin]});
    metrics.push_back({"PearsonR", s.pearson});
    metrics.push_back({"MSE", s.mse});
    agg.add_batch(metrics, batch, times);
  }

  const auto names = read_string_dataset(g.openDataSet("names"));
  const auto values = test::read_golden<double>(g, "values", H5::PredType::NATIVE_DOUBLE);
  REQUIRE(names.size() == 288);
  REQUIRE(values.size() == names.size());
  const auto logged = agg.logged();
  std::set<std::string> ours, theirs(names.begin(), names.end());
  std::vector<double> got;
  for (const auto& l : logged)
    ours.insert(l.key);
  CHECK(ours == theirs);
  for (const auto& name : names)
    got.push_back(agg.value(name));
  // The golden values are the trainer's float32 results from float32 metrics; ours are double
  // metrics of the same float32 fields, aggregated in double.
  test::check_relative(got, values, 1e-6, "every logged key");
  const double loss = datasets::hdf5::read_number(g, "validation_loss", "golden");
  CHECK(test::relative_error(agg.value("valid_" + dataset + "/full_MSE_T=all"), loss) <= 1e-6);
}
