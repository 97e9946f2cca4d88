// The Well's metrics against values computed by the_well 1.2.0's own metric classes
// (tools/make_metric_goldens.py): float64 references to 1e-9, float32 ones to 1e-6 relative.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cmath>

#include <H5Cpp.h>

#include "gavel/metrics/spatial_metrics.hpp"
#include "gavel/metrics/spectral_metrics.hpp"
#include "metric_golden_support.hpp"
#include "test_support.hpp"

using namespace gavel;

namespace {

using test::read_golden;

/// A golden case [B, T, *space, C], channels first, and its sample count B·T.
struct Case {
  test::GoldenFields fields;
  std::int64_t samples() const { return fields.lead.at(0) * fields.lead.at(1); }
};

Case load_case(const H5::Group& g) {
  return {test::read_golden_fields(g, 2)};
}

/// `got` is [N][C] like the golden [B, T, C].
void check_close(const std::vector<double>& got, const std::vector<double>& expected, double tolerance,
                 const std::string& what) {
  INFO(what);
  REQUIRE(got.size() == expected.size());
  std::size_t bad = 0;
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double scale = std::max(std::abs(expected[i]), 1e-30);
    const double error = std::abs(got[i] - expected[i]) / scale;
    const bool both_nan = std::isnan(got[i]) && std::isnan(expected[i]);
    if (!both_nan && !(error <= tolerance) && std::abs(got[i] - expected[i]) > 1e-12) ++bad;
    if (!both_nan) worst = std::max(worst, error);
  }
  INFO("worst relative error " << worst);
  CHECK(bad == 0);
}

std::vector<double> sqrt_of(std::vector<double> v) {
  for (auto& e : v)
    e = std::sqrt(e);
  return v;
}

const std::vector<std::string>& case_names() {
  static const std::vector<std::string> names{"d2_16x16",  "d2_12x20", "d2_32x32", "d2_256x256", "d3_8x8x8",
                                              "d3_6x10x4", "d2_const", "d3_const", "d2_equal"};
  return names;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("spatial metrics equal the_well's", "[metrics][golden]", test::ExecutionSpaces) {
  using Exec = TestType;
  const H5::H5File file(test::metric_golden_path(), H5F_ACC_RDONLY);
  for (const auto& name : case_names()) {
    INFO("case " << name);
    const H5::Group g = file.openGroup(name);
    const Case golden = load_case(g);
    const auto& c = golden.fields;
    Kokkos::View<float*, typename Exec::memory_space> x("x", c.x.size()), y("y", c.y.size());
    auto hx = Kokkos::create_mirror_view(x), hy = Kokkos::create_mirror_view(y);
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      hx(i) = c.x[i];
      hy(i) = c.y[i];
    }
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(y, hy);
    const auto m = eval::spatial_metrics<Exec>(x, y, golden.samples(), c.channels, c.points);
    const std::pair<const char*, std::vector<double>> results[] = {
        {"MSE", m.mse},        {"MAE", m.mae},           {"NMAE", m.nmae},           {"NMSE", m.nmse},
        {"VMSE", m.vmse},      {"RMSE", sqrt_of(m.mse)}, {"NRMSE", sqrt_of(m.nmse)}, {"VRMSE", sqrt_of(m.vmse)},
        {"LInfinity", m.linf}, {"PearsonR", m.pearson}};
    for (const auto& [metric, values] : results) {
      check_close(values, read_golden<double>(g, std::string("f64/") + metric, H5::PredType::NATIVE_DOUBLE), 1e-9,
                  std::string(metric) + " vs float64 the_well");
      check_close(values, read_golden<double>(g, metric, H5::PredType::NATIVE_DOUBLE), 1e-6,
                  std::string(metric) + " vs float32 the_well");
    }
    CHECK(m.non_finite_predictions == 0);
  }
}

TEST_CASE("binned spectral MSE/NMSE equal the_well's, with its float32 bin edges", "[metrics][golden]") {
  const H5::H5File file(test::metric_golden_path(), H5F_ACC_RDONLY);
  for (const auto& name : case_names()) {
    INFO("case " << name);
    const H5::Group g = file.openGroup(name);
    const Case golden = load_case(g);
    const auto& c = golden.fields;
    const auto m = eval::binned_spectral_metrics(c.x.data(), c.y.data(), golden.samples(), c.channels, c.space);
    const auto edges = read_golden<float>(g, "spectral/bin_edges", H5::PredType::NATIVE_FLOAT);
    const auto counts = read_golden<std::int64_t>(g, "spectral/counts", H5::PredType::NATIVE_INT64);
    for (std::size_t i = 0; i < 4; ++i)
      CHECK(static_cast<float>(m.edges[i]) == edges[i]);
    for (std::size_t i = 0; i < 3; ++i)
      CHECK(m.counts[i] == counts[i]);
    for (int bin = 0; bin < 3; ++bin) {
      const std::string suffix = "_per_bin_" + std::to_string(bin);
      const auto b = static_cast<std::size_t>(bin);
      check_close(
          m.mse_per_bin[b],
          read_golden<double>(g, "f64/binned_spectral_mse/spectral_error_mse" + suffix, H5::PredType::NATIVE_DOUBLE),
          1e-9, "mse" + suffix + " vs float64");
      check_close(
          m.nmse_per_bin[b],
          read_golden<double>(g, "f64/binned_spectral_mse/spectral_error_nmse" + suffix, H5::PredType::NATIVE_DOUBLE),
          1e-9, "nmse" + suffix + " vs float64");
      check_close(
          m.mse_per_bin[b],
          read_golden<double>(g, "binned_spectral_mse/spectral_error_mse" + suffix, H5::PredType::NATIVE_DOUBLE), 1e-5,
          "mse" + suffix + " vs float32");
    }
  }
}
