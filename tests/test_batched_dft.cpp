// The batched DFT behind the FFT-based metrics: its portable kernel (separable direct DFT) against
// FFTW on fresh random data, power-of-two sizes or not, and each space's own backend against FFTW.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <complex>
#include <random>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/metrics/batched_dft.hpp"
#include "test_support.hpp"

using namespace gavel;

namespace {

using HostDft = eval::BatchedDft<Kokkos::DefaultHostExecutionSpace>;

/// `values` (rows × points, re/im interleaved) transformed on Exec by `backend`, back on the host.
template <class Exec>
std::vector<std::complex<double>> transformed(const std::vector<std::complex<double>>& values,
                                              const std::vector<std::int64_t>& shape, std::int64_t rows,
                                              eval::DftBackend backend) {
  typename eval::BatchedDft<Exec>::Data data("dft data", values.size());
  auto host = Kokkos::create_mirror_view(data);
  for (std::size_t i = 0; i < values.size(); ++i)
    host(i) = Kokkos::complex<double>(values[i].real(), values[i].imag());
  Kokkos::deep_copy(data, host);
  const Exec exec;
  eval::BatchedDft<Exec> dft(shape, rows, backend);
  dft.forward(data, exec);
  exec.fence();
  Kokkos::deep_copy(host, data);
  std::vector<std::complex<double>> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    out[i] = {host(i).real(), host(i).imag()};
  return out;
}

/// max |got − expected| relative to max |expected|.
double relative_difference(const std::vector<std::complex<double>>& got,
                           const std::vector<std::complex<double>>& expected) {
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    worst = std::max(worst, std::abs(got[i] - expected[i]));
    scale = std::max(scale, std::abs(expected[i]));
  }
  return worst / scale;
}

const std::vector<std::vector<std::int64_t>>& dft_shapes() {
  static const std::vector<std::vector<std::int64_t>> shapes{{7}, {16}, {6, 10}, {8, 8}, {5, 4, 3}, {12, 8, 6}};
  return shapes;
}

std::vector<std::complex<double>> random_rows(std::size_t count) {
  std::mt19937 rng(Catch::getSeed());
  const auto re = test::random_values(count, rng), im = test::random_values(count, rng);
  std::vector<std::complex<double>> values(count);
  for (std::size_t i = 0; i < count; ++i)
    values[i] = {re[i], im[i]};
  return values;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("the portable DFT and each space's own backend equal FFTW", "[dft]", test::ExecutionSpaces) {
  using Exec = TestType;
  const std::int64_t rows = 3;
  for (const auto& shape : dft_shapes()) {
    std::int64_t points = 1;
    for (const auto n : shape)
      points *= n;
    INFO("shape of " << shape.size() << " axes, " << points << " points");
    const auto values = random_rows(static_cast<std::size_t>(rows * points));
    const auto fftw = transformed<Kokkos::DefaultHostExecutionSpace>(values, shape, rows, eval::DftBackend::automatic);
    CHECK(relative_difference(transformed<Exec>(values, shape, rows, eval::DftBackend::portable), fftw) < 1e-12);
    CHECK(relative_difference(transformed<Exec>(values, shape, rows, eval::DftBackend::automatic), fftw) < 1e-12);
  }
}

TEST_CASE("the DFT is unnormalized and forward: a unit impulse at j gives e^{-2πi j·k/N}", "[dft]") {
  const std::int64_t n = 7;
  std::vector<std::complex<double>> impulse(n, 0.0);
  impulse[2] = 1.0;
  for (const auto backend : {eval::DftBackend::automatic, eval::DftBackend::portable}) {
    const auto f = transformed<test::HostTestSpace>(impulse, {n}, 1, backend);
    for (std::int64_t k = 0; k < n; ++k)
      CHECK(std::abs(f[static_cast<std::size_t>(k)] -
                     std::polar(1.0, -2.0 * M_PI * 2.0 * static_cast<double>(k) / 7.0)) < 1e-14);
  }
}

TEST_CASE("the DFT refuses shapes it cannot transform and data of the wrong size", "[dft]") {
  CHECK_THROWS_WITH(HostDft({}, 1), "batched DFT: 1 to 3 spatial axes, got 0");
  CHECK_THROWS_WITH(HostDft({2, 2, 2, 2}, 1), "batched DFT: 1 to 3 spatial axes, got 4");
  CHECK_THROWS_WITH(HostDft({4, 0}, 1), "batched DFT: every spatial axis needs at least one point, got 0");
  CHECK_THROWS_WITH(HostDft({4}, 0), "batched DFT: at least one row is needed, got 0");
  HostDft dft({4}, 2);
  HostDft::Data data("data", 7);
  CHECK_THROWS_WITH(dft.forward(data, Kokkos::DefaultHostExecutionSpace()),
                    "batched DFT: planned for 2 rows of 4 points, given 7 values");
}
