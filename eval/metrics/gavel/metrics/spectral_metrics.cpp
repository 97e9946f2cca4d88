#include "gavel/metrics/spectral_metrics.hpp"

#include <algorithm>
#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/metrics/binned_power.hpp"
#include "gavel/metrics/grid_points.hpp"

namespace gavel::eval {
namespace {

constexpr std::int64_t spectral_bins = 3;

/// torch.logspace(start, end, 4) on its float32 path, bit for bit: endpoints rounded to float,
/// the step from their float difference in double, the first half counted from the start and
/// the second from the end, each power rounded to float.
std::array<float, 4> logspace4(double start, double end) {
  const float s = static_cast<float>(start), e = static_cast<float>(end);
  const double step = static_cast<double>(e - s) / 3.0;
  return {static_cast<float>(std::pow(10.0, static_cast<double>(s))),
          static_cast<float>(std::pow(10.0, static_cast<double>(s) + step)),
          static_cast<float>(std::pow(10.0, static_cast<double>(e) - step)),
          static_cast<float>(std::pow(10.0, static_cast<double>(e)))};
}

/// the_well's bin edges for `shape`, the first set to 0.
std::array<float, 4> bin_edges(const std::vector<std::int64_t>& shape) {
  const double dims = static_cast<double>(shape.size());
  const std::int64_t longest = *std::max_element(shape.begin(), shape.end());
  auto edges =
      logspace4(std::log10(2.0 * M_PI / static_cast<double>(longest)), std::log10(M_PI * std::sqrt(dims) + 1e-6));
  edges[0] = 0.0f;
  return edges;
}

/// Bin of every point in C order (3 = beyond the last edge, dropped), from float32 wavenumbers.
std::vector<std::int64_t> wavenumber_bins(const std::vector<std::int64_t>& shape, const std::array<float, 4>& edges,
                                          std::int64_t points) {
  const float two_pi = static_cast<float>(2.0 * M_PI);
  std::vector<std::int64_t> bins(static_cast<std::size_t>(points));
  std::vector<std::int64_t> index(shape.size());
  for (std::int64_t flat = 0; flat < points; ++flat) {
    float squared = 0.0f;
    std::int64_t rest = flat;
    for (std::size_t k = shape.size(); k-- > 0;) {
      index[k] = rest % shape[k];
      rest /= shape[k];
    }
    for (std::size_t k = 0; k < shape.size(); ++k) {
      const std::int64_t n = shape[k];
      const std::int64_t signed_k = index[k] < (n + 1) / 2 ? index[k] : index[k] - n;
      const float frequency = static_cast<float>(signed_k) * static_cast<float>(1.0 / static_cast<double>(n));
      const float wavenumber = two_pi * frequency;
      squared += wavenumber * wavenumber;
    }
    const float magnitude = std::sqrt(squared);
    std::int64_t bin = spectral_bins;
    for (std::size_t b = 0; b < 3; ++b)
      if (edges[b] <= magnitude && magnitude < edges[b + 1]) bin = static_cast<std::int64_t>(b);
    bins[static_cast<std::size_t>(flat)] = bin;
  }
  return bins;
}

}  // namespace

/// Kernels in a named namespace: nvcc cannot launch extended lambdas from an unnamed one.
namespace spectral_kernels {

/// Rows 0 … C−1 of `spectra` ← x − y of sample `sample` (subtracted in float32), rows C … 2C−1 ← y.
template <class ExecSpace>
void load_error_and_truth(const Kokkos::View<const float*, typename ExecSpace::memory_space>& x,
                          const Kokkos::View<const float*, typename ExecSpace::memory_space>& y, std::int64_t sample,
                          std::int64_t sample_values, const typename BatchedDft<ExecSpace>::Data& spectra,
                          const ExecSpace& exec) {
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  const std::int64_t first = sample * sample_values;
  Kokkos::parallel_for(
      "gavel::spectral_load", Policy(exec, 0, 2 * sample_values), KOKKOS_LAMBDA(const std::int64_t i) {
        const bool truth = i >= sample_values;
        const std::int64_t source = first + (truth ? i - sample_values : i);
        const float value = truth ? y(source) : x(source) - y(source);
        spectra(i) = Kokkos::complex<double>(static_cast<double>(value), 0.0);
      });
}

}  // namespace spectral_kernels

template <class ExecSpace>
SpectralMetrics binned_spectral_metrics(const Kokkos::View<const float*, typename ExecSpace::memory_space>& x,
                                        const Kokkos::View<const float*, typename ExecSpace::memory_space>& y,
                                        std::int64_t samples, std::int64_t channels,
                                        const std::vector<std::int64_t>& shape, const ExecSpace& exec,
                                        HostTransfers* transfers, DftBackend backend) {
  using Memory = typename ExecSpace::memory_space;
  const std::int64_t points = grid_points(shape, "spectral metrics");
  if (samples < 0 || channels < 1)
    throw Error("spectral metrics: samples must not be negative and channels at least 1, got " +
                std::to_string(samples) + " and " + std::to_string(channels));
  const std::int64_t rows = samples * channels;
  if (static_cast<std::int64_t>(x.extent(0)) != rows * points ||
      static_cast<std::int64_t>(y.extent(0)) != rows * points)
    throw Error("spectral metrics: prediction and reference must hold " + std::to_string(rows * points) +
                " values (samples × channels × points), got " + std::to_string(x.extent(0)) + " and " +
                std::to_string(y.extent(0)));
  const auto edges = bin_edges(shape);
  const auto bin_of_point = wavenumber_bins(shape, edges, points);

  SpectralMetrics m;
  m.samples = samples;
  m.channels = channels;
  for (std::size_t i = 0; i < 4; ++i)
    m.edges[i] = edges[i];
  for (const auto b : bin_of_point)
    if (b < spectral_bins) ++m.counts[static_cast<std::size_t>(b)];
  if (rows == 0) return m;

  // Per sample: 2C rows (C errors, C truths) transformed together; power row 2C·s + k.
  const std::int64_t chunk_rows = 2 * channels;
  const auto table = make_bin_table<Memory>(bin_of_point, spectral_bins);
  typename BatchedDft<ExecSpace>::Data spectra("gavel::spectral_rows", static_cast<std::size_t>(chunk_rows * points));
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> power(
      "gavel::spectral_power", static_cast<std::size_t>(samples * chunk_rows), static_cast<std::size_t>(spectral_bins));
  BatchedDft<ExecSpace> dft(shape, chunk_rows, backend);
  for (std::int64_t s = 0; s < samples; ++s) {
    spectral_kernels::load_error_and_truth<ExecSpace>(x, y, s, channels * points, spectra, exec);
    dft.forward(spectra, exec);
    binned_power<ExecSpace>(spectra, chunk_rows, points, table, power, s * chunk_rows, exec);
  }
  exec.fence();  // on host memory copy_to_host reads the results in place
  const auto host = copy_to_host(power, transfers);

  const auto P = static_cast<double>(points);
  const auto normalized = [&](std::int64_t row, std::size_t b) {
    // the_well adds 1e-7 to integer counts in float32: c for c ≥ 2, 1 + 2⁻²³ for c = 1.
    const float count = static_cast<float>(m.counts[b]);
    const double denominator = static_cast<double>(count + 1e-7f);
    return host(static_cast<std::size_t>(row), b) * (static_cast<double>(count) / denominator) / (P * P);
  };
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::int64_t s = row / channels, c = row % channels;
    for (std::size_t b = 0; b < 3; ++b) {
      const double error = normalized(s * chunk_rows + c, b);
      const double truth = normalized(s * chunk_rows + channels + c, b);
      m.mse_per_bin[b].push_back(error);
      m.nmse_per_bin[b].push_back(error / (truth + 1e-7));
    }
  }
  return m;
}

template <class ExecSpace>
MetricScratch binned_spectral_scratch(std::int64_t channels, const std::vector<std::int64_t>& shape) {
  const std::int64_t points = grid_points(shape, "spectral metrics");
  const std::int64_t chunk_rows = 2 * channels;
  MetricScratch scratch;
  scratch.fixed_bytes = static_cast<std::int64_t>(sizeof(Kokkos::complex<double>)) * chunk_rows * points +
                        BatchedDft<ExecSpace>::workspace_bytes(shape, chunk_rows) +
                        BinTable<typename ExecSpace::memory_space>::bytes(spectral_bins, points);
  scratch.bytes_per_sample = static_cast<std::int64_t>(sizeof(double)) * chunk_rows * spectral_bins;
  return scratch;
}

SpectralMetrics binned_spectral_metrics(const float* x, const float* y, std::int64_t samples, std::int64_t channels,
                                        const std::vector<std::int64_t>& shape) {
  using Host = Kokkos::DefaultHostExecutionSpace;
  const std::int64_t values = std::max<std::int64_t>(0, samples * channels * grid_points(shape, "spectral metrics"));
  if ((x == nullptr || y == nullptr) && values > 0)
    throw Error("spectral metrics: no prediction or reference data given");
  const Kokkos::View<const float*, Host::memory_space> xs(x, static_cast<std::size_t>(values)),
      ys(y, static_cast<std::size_t>(values));
  return binned_spectral_metrics<Host>(xs, ys, samples, channels, shape, Host());
}

#define GAVEL_INSTANTIATE_SPECTRAL_METRICS(SPACE)                                                                     \
  template SpectralMetrics binned_spectral_metrics<SPACE>(                                                            \
      const Kokkos::View<const float*, SPACE::memory_space>&, const Kokkos::View<const float*, SPACE::memory_space>&, \
      std::int64_t, std::int64_t, const std::vector<std::int64_t>&, const SPACE&, HostTransfers*, DftBackend);        \
  template MetricScratch binned_spectral_scratch<SPACE>(std::int64_t, const std::vector<std::int64_t>&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_SPECTRAL_METRICS)

}  // namespace gavel::eval
