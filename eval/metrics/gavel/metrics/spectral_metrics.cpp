#include "gavel/metrics/spectral_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <complex>

#include "gavel/core/error.hpp"
#include "gavel/metrics/in_place_dft.hpp"

namespace gavel::eval {
namespace {

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

/// Bin of every point in C order (3 = beyond the last edge, dropped), from float32 wavenumbers.
std::vector<int> wavenumber_bins(const std::vector<std::int64_t>& shape, const std::array<float, 4>& edges) {
  std::int64_t points = 1;
  for (auto n : shape)
    points *= n;
  const float two_pi = static_cast<float>(2.0 * M_PI);
  std::vector<int> bins(static_cast<std::size_t>(points));
  for (std::int64_t flat = 0; flat < points; ++flat) {
    float squared = 0.0f;
    std::int64_t rest = flat;
    std::vector<std::int64_t> index(shape.size());
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
    int bin = 3;
    for (int b = 0; b < 3; ++b)
      if (edges[static_cast<std::size_t>(b)] <= magnitude && magnitude < edges[static_cast<std::size_t>(b) + 1])
        bin = b;
    bins[static_cast<std::size_t>(flat)] = bin;
  }
  return bins;
}

}  // namespace

SpectralMetrics binned_spectral_metrics(const float* x, const float* y, std::int64_t samples, std::int64_t channels,
                                        const std::vector<std::int64_t>& shape) {
  if (shape.empty() || shape.size() > 3) throw Error("spectral metrics: 1 to 3 spatial axes");
  std::int64_t points = 1;
  for (auto n : shape)
    points *= n;
  const double dims = static_cast<double>(shape.size());
  const std::int64_t longest = *std::max_element(shape.begin(), shape.end());
  auto edges =
      logspace4(std::log10(2.0 * M_PI / static_cast<double>(longest)), std::log10(M_PI * std::sqrt(dims) + 1e-6));
  edges[0] = 0.0f;
  const auto bins = wavenumber_bins(shape, edges);

  SpectralMetrics m;
  m.samples = samples;
  m.channels = channels;
  for (int i = 0; i < 4; ++i)
    m.edges[static_cast<std::size_t>(i)] = edges[static_cast<std::size_t>(i)];
  for (int b : bins)
    if (b < 3) ++m.counts[static_cast<std::size_t>(b)];

  InPlaceDft dft(shape);
  auto& buffer = dft.buffer();
  auto binned_power = [&](auto value_at) {
    for (std::int64_t p = 0; p < points; ++p)
      buffer[static_cast<std::size_t>(p)] = value_at(p);
    dft.execute();
    std::array<double, 3> power{};
    for (std::int64_t p = 0; p < points; ++p) {
      const int b = bins[static_cast<std::size_t>(p)];
      if (b < 3) power[static_cast<std::size_t>(b)] += std::norm(buffer[static_cast<std::size_t>(p)]);
    }
    for (std::size_t b = 0; b < 3; ++b) {
      // the_well adds 1e-7 to integer counts in float32: c for c ≥ 2, 1 + 2⁻²³ for c = 1.
      const float count = static_cast<float>(m.counts[b]);
      const double denominator = static_cast<double>(count + 1e-7f);
      power[b] = power[b] * (static_cast<double>(count) / denominator) /
                 (static_cast<double>(points) * static_cast<double>(points));
    }
    return power;
  };
  for (std::int64_t row = 0; row < samples * channels; ++row) {
    const float* px = x + row * points;
    const float* py = y + row * points;
    // x − y in float32 first, as torch subtracts before transforming.
    const auto error = binned_power([&](std::int64_t p) { return std::complex<double>(px[p] - py[p], 0.0); });
    const auto truth = binned_power([&](std::int64_t p) { return std::complex<double>(py[p], 0.0); });
    for (std::size_t b = 0; b < 3; ++b) {
      m.mse_per_bin[b].push_back(error[b]);
      m.nmse_per_bin[b].push_back(error[b] / (truth[b] + 1e-7));
    }
  }
  return m;
}

}  // namespace gavel::eval
