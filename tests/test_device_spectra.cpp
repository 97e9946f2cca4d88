// The spectral and PDEBench metrics on the execution space: equal to the host results (which
// tests/test_metrics_golden.cpp and test_pdebench_metrics.cpp hold to the_well's and PDEBench's
// goldens) on every space and DFT backend, NaN handled as on the host, bad input refused, and
// only the reduced numbers read back.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <limits>

#include "gavel/core/error.hpp"
#include "gavel/metrics/pdebench_metrics.hpp"
#include "gavel/metrics/spectral_metrics.hpp"
#include "metric_golden_support.hpp"
#include "test_support.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

template <class Exec>
using Values = Kokkos::View<const float*, typename Exec::memory_space>;

template <class Exec>
Values<Exec> on_space(const std::vector<float>& values) {
  return test::to_device<float, Exec>(std::vector<double>(values.begin(), values.end()));
}

const std::vector<std::string>& golden_cases() {
  static const std::vector<std::string> names{"d2_16x16",  "d2_12x20", "d2_32x32", "d3_8x8x8",
                                              "d3_6x10x4", "d2_const", "d3_const", "d2_equal"};
  return names;
}

/// The host and device sums differ in order only (relative 1e-10); the portable direct DFT also
/// leaves rounding of the data's size times 1e-16 where FFTW's transform of a constant field is
/// exactly 0 (absolute 1e-14 on values of O(1) data).
void check_same(const std::vector<double>& got, const std::vector<double>& expected, const std::string& what) {
  INFO(what);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("value " << i << ": got " << got[i] << ", expected " << expected[i]);
    CHECK((test::relative_error(got[i], expected[i]) <= 1e-10 || std::abs(got[i] - expected[i]) <= 1e-14));
  }
}

void check_spectral(const eval::SpectralMetrics& got, const eval::SpectralMetrics& host) {
  CHECK(got.edges == host.edges);
  CHECK(got.counts == host.counts);
  for (std::size_t b = 0; b < 3; ++b) {
    check_same(got.mse_per_bin[b], host.mse_per_bin[b], "mse bin " + std::to_string(b));
    check_same(got.nmse_per_bin[b], host.nmse_per_bin[b], "nmse bin " + std::to_string(b));
  }
}

void check_pdebench(const eval::PdebenchMetrics& got, const eval::PdebenchMetrics& host) {
  check_same(got.rmse, host.rmse, "rmse");
  check_same(got.nrmse, host.nrmse, "nrmse");
  check_same(got.crmse, host.crmse, "crmse");
  check_same(got.max_error, host.max_error, "max error");
  check_same(got.brmse, host.brmse, "brmse");
  check_same(got.frmse, host.frmse, "frmse");
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("spectral and PDEBench metrics on the execution space equal the host's on the goldens",
                        "[metrics][device]", test::ExecutionSpaces) {
  using Exec = TestType;
  const H5::H5File file(test::metric_golden_path(), H5F_ACC_RDONLY);
  for (const auto& name : golden_cases()) {
    INFO("case " << name);
    const auto f = test::read_golden_fields(file.openGroup(name), 2);
    const std::int64_t batch = f.lead[0], times = f.lead[1], samples = batch * times;
    const auto x = on_space<Exec>(f.x), y = on_space<Exec>(f.y);
    const auto spectral = eval::binned_spectral_metrics(f.x.data(), f.y.data(), samples, f.channels, f.space);
    const auto pdebench = eval::pdebench_metrics(f.x.data(), f.y.data(), batch, times, f.channels, f.space);
    for (const auto backend : {eval::DftBackend::automatic, eval::DftBackend::portable}) {
      INFO("backend " << (backend == eval::DftBackend::portable ? "portable" : "automatic"));
      HostTransfers transfers;
      check_spectral(
          eval::binned_spectral_metrics<Exec>(x, y, samples, f.channels, f.space, Exec(), &transfers, backend),
          spectral);
      // 6 bin sums per (sample, channel): the error's 3 and the target's 3.
      CHECK(transfers.bytes == 8 * 6 * samples * f.channels);
      transfers = {};
      check_pdebench(
          eval::pdebench_metrics<Exec, float>(x, y, batch, times, f.channels, f.space, {}, Exec(), &transfers, backend),
          pdebench);
      // 6 sums and R radial bins per row.
      std::int64_t radial = std::numeric_limits<std::int64_t>::max();
      for (const auto n : f.space)
        radial = std::min(radial, n / 2);
      CHECK(transfers.bytes == 8 * (6 + radial) * samples * f.channels);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("PDEBench metrics on the execution space take double fields too", "[metrics][device]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  // 1-D, N = 9 (odd, R = N//2 + 1 = 5), B = 2, T = 1, C = 2.
  std::mt19937 rng(Catch::getSeed());
  const auto pred = test::random_values(36, rng), target = test::random_values(36, rng);
  const auto host = eval::pdebench_metrics(pred.data(), target.data(), 2, 1, 2, {9});
  const Kokkos::View<const double*, typename Exec::memory_space> p = test::to_device<double, Exec>(pred),
                                                                 t = test::to_device<double, Exec>(target);
  check_pdebench(eval::pdebench_metrics<Exec, double>(p, t, 2, 1, 2, {9}), host);
  check_pdebench(
      eval::pdebench_metrics<Exec, double>(p, t, 2, 1, 2, {9}, {}, Exec(), nullptr, eval::DftBackend::portable), host);
}

TEMPLATE_LIST_TEST_CASE("a NaN in a prediction on the execution space: that row NaN, the others unchanged",
                        "[metrics][device]", test::ExecutionSpaces) {
  using Exec = TestType;
  // 2 samples, 2 channels, 6×5; a NaN in sample 1, channel 0.
  const std::int64_t points = 30;
  std::mt19937 rng(Catch::getSeed());
  auto x = test::random_values(4 * points, rng);
  const auto y = test::random_values(4 * points, rng);
  x[2 * points + 7] = std::numeric_limits<double>::quiet_NaN();
  const std::vector<float> xf(x.begin(), x.end()), yf(y.begin(), y.end());
  const auto spectral = eval::binned_spectral_metrics<Exec>(on_space<Exec>(xf), on_space<Exec>(yf), 2, 2, {6, 5});
  for (std::size_t b = 0; b < 3; ++b) {
    CHECK(std::isnan(spectral.mse_per_bin[b][2]));
    CHECK(std::isfinite(spectral.mse_per_bin[b][0]));
    CHECK(std::isfinite(spectral.mse_per_bin[b][3]));
  }
  check_spectral(spectral, eval::binned_spectral_metrics(xf.data(), yf.data(), 2, 2, {6, 5}));
  const auto pdebench = eval::pdebench_metrics<Exec, float>(on_space<Exec>(xf), on_space<Exec>(yf), 1, 2, 2, {6, 5});
  // [C][T]: channel 0 of step 1 is NaN; max|d| keeps the NaN (torch.max does).
  CHECK(std::isnan(pdebench.max_error[1]));
  CHECK(std::isnan(pdebench.rmse[1]));
  CHECK(std::isfinite(pdebench.max_error[0]));
  CHECK(std::isfinite(pdebench.max_error[2]));
  check_pdebench(pdebench, eval::pdebench_metrics(xf.data(), yf.data(), 1, 2, 2, {6, 5}));
}

TEMPLATE_LIST_TEST_CASE("the metrics on the execution space refuse bad shapes and sizes", "[metrics][device]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  const auto v = on_space<Exec>(std::vector<float>(16, 0.0f));
  CHECK_THROWS_WITH(eval::binned_spectral_metrics<Exec>(v, v, 1, 1, {}),
                    "spectral metrics: 1 to 3 spatial axes, got 0");
  CHECK_THROWS_WITH(eval::binned_spectral_metrics<Exec>(v, v, 1, 1, {2, 2, 2, 2}),
                    "spectral metrics: 1 to 3 spatial axes, got 4");
  CHECK_THROWS_WITH(eval::binned_spectral_metrics<Exec>(v, v, 1, 1, {4, 5}),
                    ContainsSubstring("must hold 20 values (samples × channels × points), got 16 and 16"));
  CHECK_THROWS_WITH((eval::pdebench_metrics<Exec, float>(v, v, 1, 1, 1, {})),
                    "PDEBench metrics: 1 to 3 spatial axes, got 0");
  CHECK_THROWS_WITH((eval::pdebench_metrics<Exec, float>(v, v, 1, 1, 1, {2, 2, 2, 2})),
                    "PDEBench metrics: 1 to 3 spatial axes, got 4");
  CHECK_THROWS_WITH((eval::pdebench_metrics<Exec, float>(v, v, 2, 1, 1, {16})),
                    ContainsSubstring("must hold 32 values (batch × steps × channels × points), got 16 and 16"));
  CHECK_THROWS_AS(eval::binned_spectral_metrics(static_cast<const float*>(nullptr), nullptr, 1, 1, {4}), Error);
}
