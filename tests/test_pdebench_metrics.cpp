// PDEBench 0.1.0's metric_func semantics: against its own outputs stored in the metric goldens
// (tools/make_metric_goldens.py), and on small hand-made fields with values known in closed form.
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <limits>

#include "gavel/core/error.hpp"
#include "gavel/metrics/pdebench_metrics.hpp"
#include "metric_golden_support.hpp"

using namespace gavel;
using eval::pdebench_means;
using eval::pdebench_metrics;

namespace {

const std::vector<std::string>& golden_cases() {
  static const std::vector<std::string> names{"d2_16x16",  "d2_12x20", "d2_32x32", "d2_256x256", "d3_8x8x8",
                                              "d3_6x10x4", "d2_const", "d3_const", "d2_equal"};
  return names;
}

std::vector<double> golden(const H5::Group& g, const std::string& name) {
  return test::read_golden<double>(g, name, H5::PredType::NATIVE_DOUBLE);
}

// Tolerances, from what each golden is (worst relative errors seen in brackets):
// - f64 err_RMSE … err_BD: PDEBench in float64 on the same float32 inputs, so only the summation
//   order differs (≤ 4e-16): 1e-12.
// - f64 err_F: PDEBench adds the float64 bin sums into a float32 tensor and takes the batch mean,
//   root and band mean in float32, a few float32 roundings of 2⁻²⁴ ≈ 6e-8 each (≤ 8e-8): 1e-6.
// - float32 goldens: torch sums up to 65536 float32 terms per value (≤ 1.3e-7): 1e-6; its err_F
//   also subtracts two separately transformed complex64 spectra, fftn(x) − fftn(y), losing
//   |F(y)| / |F(x − y)| times float32's precision to cancellation (≤ 3e-7): 2e-6.
constexpr double f64_tolerance = 1e-12;
constexpr double f64_fourier_tolerance = 1e-6;
constexpr double f32_tolerance = 1e-6;
constexpr double f32_fourier_tolerance = 2e-6;

}  // namespace

TEST_CASE("PDEBench metrics equal PDEBench 0.1.0's metric_func on every golden case", "[pdebench][golden]") {
  const H5::H5File file(test::metric_golden_path(), H5F_ACC_RDONLY);
  for (const auto& name : golden_cases()) {
    INFO("case " << name);
    const H5::Group g = file.openGroup(name);
    const auto f = test::read_golden_fields(g, 2);  // [B, T, C, *space]
    const std::int64_t batch = f.lead[0], times = f.lead[1];
    const auto m = pdebench_metrics(f.x.data(), f.y.data(), batch, times, f.channels, f.space);
    CHECK(m.channels == f.channels);
    CHECK(m.times == times);
    CHECK(m.spatial_dims == static_cast<std::int64_t>(f.space.size()));
    CHECK(m.brmse.size() == static_cast<std::size_t>(f.space.size() == 3 ? times : f.channels * times));
    const std::pair<const char*, const std::vector<double>*> results[] = {
        {"err_RMSE", &m.rmse},     {"err_nRMSE", &m.nrmse}, {"err_CSV", &m.crmse},
        {"err_Max", &m.max_error}, {"err_BD", &m.brmse},    {"err_F", &m.frmse}};
    for (const auto& [metric, values] : results) {
      const bool fourier = std::string(metric) == "err_F";
      test::check_relative(*values, golden(g, std::string("pdebench/f64/") + metric),
                           fourier ? f64_fourier_tolerance : f64_tolerance,
                           std::string(metric) + " vs float64 PDEBench");
      test::check_relative(*values, golden(g, std::string("pdebench/") + metric),
                           fourier ? f32_fourier_tolerance : f32_tolerance,
                           std::string(metric) + " vs float32 PDEBench");
    }
    // The double overload gives the same as the float one on the same values.
    const std::vector<double> xd(f.x.begin(), f.x.end()), yd(f.y.begin(), f.y.end());
    const auto md = pdebench_metrics(xd.data(), yd.data(), batch, times, f.channels, f.space);
    CHECK(md.rmse == m.rmse);
    CHECK(md.brmse == m.brmse);

    if (f.space.size() == 3) {
      CHECK_THROWS_AS(pdebench_means(m), Error);  // PDEBench itself raises here
      continue;
    }
    const auto means = pdebench_means(m);
    for (const char* group : {"pdebench/f64/mean/", "pdebench/mean/"}) {
      const bool f64 = std::string(group) == "pdebench/f64/mean/";
      const double tolerance = f64 ? f64_tolerance : f32_tolerance;
      const double fourier = f64 ? f64_fourier_tolerance : f32_fourier_tolerance;
      test::check_relative({means.rmse}, golden(g, std::string(group) + "err_RMSE"), tolerance, "mean RMSE");
      test::check_relative({means.nrmse}, golden(g, std::string(group) + "err_nRMSE"), tolerance, "mean nRMSE");
      test::check_relative({means.crmse}, golden(g, std::string(group) + "err_CSV"), tolerance, "mean cRMSE");
      test::check_relative({means.max_error}, golden(g, std::string(group) + "err_Max"), tolerance, "mean Max");
      test::check_relative({means.brmse}, golden(g, std::string(group) + "err_BD"), tolerance, "mean bRMSE");
      test::check_relative({means.frmse[0], means.frmse[1], means.frmse[2]}, golden(g, std::string(group) + "err_F"),
                           fourier, "mean fRMSE");
    }
  }
}

TEST_CASE("PDEBench metrics: the golden cases' empty fRMSE bands are NaN", "[pdebench][golden]") {
  // min N//2 ≤ 12 leaves the high band empty (16×16, 12×20, 3-D); ≤ 4 also the mid band (6×10×4).
  const H5::H5File file(test::metric_golden_path(), H5F_ACC_RDONLY);
  const auto f = test::read_golden_fields(file.openGroup("d3_6x10x4"), 2);
  const auto m = pdebench_metrics(f.x.data(), f.y.data(), f.lead[0], f.lead[1], f.channels, f.space);
  const auto T = static_cast<std::size_t>(m.times);
  for (std::size_t c = 0; c < static_cast<std::size_t>(m.channels); ++c)
    for (std::size_t t = 0; t < T; ++t) {
      CHECK(std::isfinite(m.frmse[(c * 3 + 0) * T + t]));
      CHECK(std::isnan(m.frmse[(c * 3 + 1) * T + t]));
      CHECK(std::isnan(m.frmse[(c * 3 + 2) * T + t]));
    }
}

TEST_CASE("PDEBench metrics in 1-D: a single-point error gives closed-form values", "[pdebench]") {
  // B = 2, T = 1, C = 1, N = 32; target ≡ 1; pred = target except d = a_b at cell 5.
  // |F_k|² = a_b² for every k, so spec_k = √(mean_b a_b²)/N for k = 0 … 16: every band equals it.
  const std::int64_t n = 32;
  const double a0 = 3.0, a1 = 4.0;
  std::vector<double> target(2 * n, 1.0), pred = target;
  pred[5] += a0;
  pred[n + 5] += a1;
  const auto m = pdebench_metrics(pred.data(), target.data(), 2, 1, 1, {n});
  CHECK(m.rmse[0] == (std::sqrt(a0 * a0 / 32) + std::sqrt(a1 * a1 / 32)) / 2);
  CHECK(m.nrmse[0] == m.rmse[0]);                                // mean target² = 1
  CHECK(m.crmse[0] == std::sqrt((a0 * a0 + a1 * a1) / 2) / 32);  // √(mean_b (Σd)²)/N
  CHECK(m.max_error[0] == 4.0);
  CHECK(m.brmse[0] == 0.0);  // cell 5 is not on the boundary
  const double spec = std::sqrt((a0 * a0 + a1 * a1) / 2) / 32;
  for (int band = 0; band < 3; ++band)
    CHECK(std::abs(m.frmse[static_cast<std::size_t>(band)] - spec) <= 1e-14 * spec);  // FFT rounding

  // The boundary cells 0 and N − 1: √((d₀² + d²_{N−1})/2), then the mean over the batch.
  std::vector<double> edge = target;
  edge[0] += 1.0;
  edge[n - 1] += 7.0;
  edge[n] += 2.0;
  const auto e = pdebench_metrics(edge.data(), target.data(), 2, 1, 1, {n});
  CHECK(e.brmse[0] == (std::sqrt((1.0 + 49.0) / 2) + std::sqrt(4.0 / 2)) / 2);
  CHECK(e.max_error[0] == 7.0);
}

TEST_CASE("PDEBench metrics in 1-D: N = 8 leaves 5 frequencies, the high band empty, Lx scales fRMSE only",
          "[pdebench]") {
  std::vector<double> target(8, 0.0), pred(8, 0.0);
  pred[3] = 2.0;  // |F_k|² = 4 for all k
  eval::PdebenchOptions options;
  options.lx = 3.0;
  const auto m = pdebench_metrics(pred.data(), target.data(), 1, 1, 1, {8}, options);
  CHECK(std::abs(m.frmse[0] - 0.75) <= 1e-14);  // k = 0 … 3: √4 / 8 · 3
  CHECK(std::abs(m.frmse[1] - 0.75) <= 1e-14);  // k = 4 only
  CHECK(std::isnan(m.frmse[2]));
  CHECK(m.rmse[0] == std::sqrt(4.0 / 8));
  CHECK(std::isinf(m.nrmse[0]));         // target ≡ 0 and no eps: RMSE / 0
  const auto means = pdebench_means(m);  // 1-D has means, like 2-D
  CHECK(means.rmse == m.rmse[0]);
  CHECK(std::isnan(means.frmse[2]));
}

TEST_CASE("PDEBench metrics in 2-D: radial bins, corners counted twice, channels kept apart", "[pdebench]") {
  // 6×6, two channels. Channel 0: d = 1 at the corner (0, 0) only → boundary sum 2 (two faces).
  // Channel 1: d = 1 everywhere → boundary sum 4·6 over 2·6 + 2·6 = 24 → bRMSE 1.
  const std::int64_t X = 6, Y = 6, P = X * Y;
  std::vector<double> target(2 * P, 0.5), pred = target;
  pred[0] += 1.0;
  for (std::int64_t p = 0; p < P; ++p)
    pred[static_cast<std::size_t>(P + p)] += 1.0;
  const auto m = pdebench_metrics(pred.data(), target.data(), 1, 1, 2, {X, Y});
  CHECK(m.brmse[0] == std::sqrt(2.0 / 24));
  CHECK(m.brmse[1] == 1.0);
  CHECK(m.crmse[0] == 1.0 / 36);
  CHECK(m.crmse[1] == 1.0);
  // Channel 0: |F|² = 1 everywhere; i, j < 3, r = ⌊√(i² + j²)⌋ < 3: r = 0 {(0,0)}, r = 1 {(0,1),
  // (1,0), (1,1)}, r = 2 {(0,2), (2,0), (1,2), (2,1), (2,2)}: spec = √count/36; low = mean of the 3.
  const double low0 = (1.0 + std::sqrt(3.0) + std::sqrt(5.0)) / 3 / 36;
  CHECK(std::abs(m.frmse[0] - low0) <= 1e-15);
  CHECK(std::isnan(m.frmse[1]));
  CHECK(std::isnan(m.frmse[2]));
  // Channel 1: a constant error sits in F(0, 0) = 36 alone: spec_0 = 36/36, others 0 → low = 1/3.
  CHECK(std::abs(m.frmse[3] - 1.0 / 3) <= 1e-15);
}

TEST_CASE("PDEBench metrics in 3-D: bRMSE sums the channels' face errors", "[pdebench]") {
  // 4×4×4, two channels with d ≡ 1 and d ≡ 2: each face sum over 2(16+16+16) = 96 cells is 96·d²,
  // so per sample √(1 + 4) = √5, with no channel axis.
  const std::int64_t P = 64;
  std::vector<double> target(2 * P, 0.0), pred(2 * P, 0.0);
  for (std::int64_t p = 0; p < P; ++p) {
    pred[static_cast<std::size_t>(p)] = 1.0;
    pred[static_cast<std::size_t>(P + p)] = 2.0;
  }
  const auto m = pdebench_metrics(pred.data(), target.data(), 1, 1, 2, {4, 4, 4});
  REQUIRE(m.brmse.size() == 1);
  CHECK(m.brmse[0] == std::sqrt(5.0));
  CHECK(m.rmse == std::vector<double>{1.0, 2.0});
  CHECK_THROWS_AS(pdebench_means(m), Error);
}

TEST_CASE("PDEBench metrics: a NaN prediction makes the max error NaN", "[pdebench]") {
  std::vector<double> target(4, 0.0), pred{0.0, std::numeric_limits<double>::quiet_NaN(), 5.0, 0.0};
  const auto m = pdebench_metrics(pred.data(), target.data(), 1, 1, 1, {4});
  CHECK(std::isnan(m.max_error[0]));
  CHECK(std::isnan(m.rmse[0]));
}

TEST_CASE("PDEBench metrics: bad input is refused", "[pdebench]") {
  std::vector<double> v(16, 0.0);
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 0, 1, 1, {16}), Error);
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 1, 0, 1, {16}), Error);
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 1, 1, 0, {16}), Error);
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 1, 1, 1, {}), Error);
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 1, 1, 1, {2, 2, 2, 2}), Error);
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 1, 1, 1, {4, 0}), Error);
  CHECK_THROWS_AS(pdebench_metrics(static_cast<const double*>(nullptr), v.data(), 1, 1, 1, {16}), Error);
  eval::PdebenchOptions negative;
  negative.i_low = -1;
  CHECK_THROWS_AS(pdebench_metrics(v.data(), v.data(), 1, 1, 1, {16}, negative), Error);
  try {
    pdebench_metrics(v.data(), v.data(), 1, 1, 1, {2, 2, 2, 2});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "PDEBench metrics: 1 to 3 spatial axes, got 4");
  }
  CHECK_THROWS_AS(pdebench_means(eval::PdebenchMetrics{}), Error);
}
