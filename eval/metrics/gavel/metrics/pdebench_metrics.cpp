#include "gavel/metrics/pdebench_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/metrics/in_place_dft.hpp"

namespace gavel::eval {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

/// ⌊√n⌋ exactly, for the radial Fourier bins.
std::int64_t integer_sqrt(std::int64_t n) {
  auto r = static_cast<std::int64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n)
    --r;
  while ((r + 1) * (r + 1) <= n)
    ++r;
  return r;
}

/// Per grid point (C order): its fRMSE bin (−1 = unused) and how many boundary faces it lies on.
struct PointTables {
  std::vector<std::int64_t> bin, faces;
  std::int64_t bins = 0;           ///< R
  std::int64_t boundary_size = 0;  ///< Σₐ 2·N/Nₐ, PDEBench's boundary denominator
};

PointTables point_tables(const std::vector<std::int64_t>& shape, std::int64_t points) {
  PointTables tables;
  const std::size_t dims = shape.size();
  if (dims == 1) {
    tables.bins = shape[0] / 2 + 1;  // rfft frequencies 0 … N//2
  } else {
    tables.bins = std::numeric_limits<std::int64_t>::max();
    for (auto n : shape)
      tables.bins = std::min(tables.bins, n / 2);
  }
  for (auto n : shape)
    tables.boundary_size += 2 * (points / n);
  tables.bin.assign(static_cast<std::size_t>(points), -1);
  tables.faces.assign(static_cast<std::size_t>(points), 0);
  std::vector<std::int64_t> index(dims);
  for (std::int64_t flat = 0; flat < points; ++flat) {
    std::int64_t rest = flat;
    for (std::size_t a = dims; a-- > 0;) {
      index[a] = rest % shape[a];
      rest /= shape[a];
    }
    std::int64_t faces = 0;
    for (std::size_t a = 0; a < dims; ++a)
      faces += (index[a] == 0 ? 1 : 0) + (index[a] == shape[a] - 1 ? 1 : 0);
    tables.faces[static_cast<std::size_t>(flat)] = faces;
    std::int64_t bin = -1;
    if (dims == 1) {
      if (index[0] <= shape[0] / 2) bin = index[0];
    } else {
      bool inside = true;
      std::int64_t squared = 0;
      for (std::size_t a = 0; a < dims; ++a) {
        inside = inside && index[a] < shape[a] / 2;
        squared += index[a] * index[a];
      }
      if (inside) {
        const std::int64_t r = integer_sqrt(squared);
        if (r < tables.bins) bin = r;
      }
    }
    tables.bin[static_cast<std::size_t>(flat)] = bin;
  }
  return tables;
}

/// max that keeps a NaN once met, as torch.max does.
void keep_max(double& current, double value) {
  if (std::isnan(current)) return;
  if (std::isnan(value) || value > current) current = value;
}

template <class Real>
PdebenchMetrics compute(const Real* pred, const Real* target, std::int64_t batch, std::int64_t times,
                        std::int64_t channels, const std::vector<std::int64_t>& shape, const PdebenchOptions& options) {
  if (pred == nullptr || target == nullptr) throw Error("PDEBench metrics: no prediction or reference data given");
  if (batch < 1 || times < 1 || channels < 1)
    throw Error("PDEBench metrics: batch, steps and channels must each be at least 1, got " + std::to_string(batch) +
                ", " + std::to_string(times) + ", " + std::to_string(channels));
  if (shape.empty() || shape.size() > 3)
    throw Error("PDEBench metrics: 1 to 3 spatial axes, got " + std::to_string(shape.size()));
  for (auto n : shape)
    if (n < 1) throw Error("PDEBench metrics: every spatial axis needs at least one point, got " + std::to_string(n));
  if (options.i_low < 0 || options.i_high < 0)
    throw Error("PDEBench metrics: the fRMSE band limits iLow and iHigh must not be negative, got " +
                std::to_string(options.i_low) + " and " + std::to_string(options.i_high));

  std::int64_t points = 1;
  for (auto n : shape)
    points *= n;
  const auto dims = static_cast<std::int64_t>(shape.size());
  const PointTables tables = point_tables(shape, points);
  const auto P = static_cast<double>(points);
  const auto B = static_cast<double>(batch);
  const auto C = static_cast<std::size_t>(channels);
  const auto T = static_cast<std::size_t>(times);
  const auto R = static_cast<std::size_t>(tables.bins);

  PdebenchMetrics m;
  m.channels = channels;
  m.times = times;
  m.spatial_dims = dims;
  m.rmse.assign(C * T, 0.0);
  m.nrmse.assign(C * T, 0.0);
  m.crmse.assign(C * T, 0.0);
  m.max_error.assign(C * T, -std::numeric_limits<double>::infinity());
  m.brmse.assign(dims == 3 ? T : C * T, 0.0);
  std::vector<double> faces_3d(static_cast<std::size_t>(batch) * T, 0.0);  // [B][T], 3-D only
  std::vector<double> spectrum(C * R * T, 0.0);                            // [C][R][T], Σ over the batch

  InPlaceDft dft(shape);
  auto& buffer = dft.buffer();
  std::vector<double> bins(R);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t c = 0; c < C; ++c) {
        const std::int64_t row = (b * times + static_cast<std::int64_t>(t)) * channels + static_cast<std::int64_t>(c);
        const Real* x = pred + row * points;
        const Real* y = target + row * points;
        double squared = 0, reference = 0, sum = 0, boundary = 0, largest = 0;
        for (std::int64_t p = 0; p < points; ++p) {
          const double d = static_cast<double>(x[p]) - static_cast<double>(y[p]);
          squared += d * d;
          reference += static_cast<double>(y[p]) * static_cast<double>(y[p]);
          sum += d;
          boundary += static_cast<double>(tables.faces[static_cast<std::size_t>(p)]) * d * d;
          keep_max(largest, std::abs(d));
          buffer[static_cast<std::size_t>(p)] = std::complex<double>(d, 0.0);
        }
        const std::size_t ct = c * T + t;
        const double rmse = std::sqrt(squared / P);
        m.rmse[ct] += rmse;
        m.nrmse[ct] += rmse / std::sqrt(reference / P);
        m.crmse[ct] += sum * sum;
        keep_max(m.max_error[ct], largest);
        if (dims == 3)
          faces_3d[static_cast<std::size_t>(b) * T + t] += boundary;
        else
          m.brmse[ct] += std::sqrt(boundary / static_cast<double>(tables.boundary_size));

        dft.execute();
        std::fill(bins.begin(), bins.end(), 0.0);
        for (std::int64_t p = 0; p < points; ++p) {
          const std::int64_t bin = tables.bin[static_cast<std::size_t>(p)];
          if (bin >= 0) bins[static_cast<std::size_t>(bin)] += std::norm(buffer[static_cast<std::size_t>(p)]);
        }
        for (std::size_t r = 0; r < R; ++r)
          spectrum[(c * R + r) * T + t] += bins[r];
      }

  for (std::size_t ct = 0; ct < C * T; ++ct) {
    m.rmse[ct] /= B;
    m.nrmse[ct] /= B;
    m.crmse[ct] = std::sqrt(m.crmse[ct] / B) / P;
    if (dims != 3) m.brmse[ct] /= B;
  }
  if (dims == 3) {
    for (std::int64_t b = 0; b < batch; ++b)
      for (std::size_t t = 0; t < T; ++t)
        m.brmse[t] +=
            std::sqrt(faces_3d[static_cast<std::size_t>(b) * T + t] / static_cast<double>(tables.boundary_size));
    for (auto& v : m.brmse)
      v /= B;
  }

  double lengths = options.lx;
  if (dims >= 2) lengths *= options.ly;
  if (dims == 3) lengths *= options.lz;
  const auto clip = [&](std::int64_t i) { return static_cast<std::size_t>(std::min(i, tables.bins)); };
  const std::size_t edges[4] = {0, clip(options.i_low), clip(options.i_high), R};
  m.frmse.assign(C * 3 * T, 0.0);
  for (std::size_t c = 0; c < C; ++c)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t band = 0; band < 3; ++band) {
        const std::size_t lo = edges[band], hi = edges[band + 1];
        double value = nan_value;
        if (lo < hi) {
          double total = 0;
          for (std::size_t r = lo; r < hi; ++r)
            total += std::sqrt(spectrum[(c * R + r) * T + t] / B) / P * lengths;
          value = total / static_cast<double>(hi - lo);
        }
        m.frmse[(c * 3 + band) * T + t] = value;
      }
  return m;
}

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double e : v)
    sum += e;
  return sum / static_cast<double>(v.size());
}

}  // namespace

PdebenchMetrics pdebench_metrics(const float* pred, const float* target, std::int64_t batch, std::int64_t times,
                                 std::int64_t channels, const std::vector<std::int64_t>& shape,
                                 const PdebenchOptions& options) {
  return compute(pred, target, batch, times, channels, shape, options);
}

PdebenchMetrics pdebench_metrics(const double* pred, const double* target, std::int64_t batch, std::int64_t times,
                                 std::int64_t channels, const std::vector<std::int64_t>& shape,
                                 const PdebenchOptions& options) {
  return compute(pred, target, batch, times, channels, shape, options);
}

PdebenchMeans pdebench_means(const PdebenchMetrics& metrics) {
  if (metrics.spatial_dims == 3)
    throw Error(
        "PDEBench metrics: PDEBench 0.1.0's if_mean=True fails in 3-D (its boundary error has no channel axis: "
        "'dim 0 appears multiple times in the list of dims'); use the per-(channel, step) values");
  const auto size = static_cast<std::size_t>(metrics.channels * metrics.times);
  if (metrics.spatial_dims < 1 || size == 0 || metrics.rmse.size() != size || metrics.nrmse.size() != size ||
      metrics.crmse.size() != size || metrics.max_error.size() != size || metrics.brmse.size() != size ||
      metrics.frmse.size() != 3 * size)
    throw Error("PDEBench metrics: the per-(channel, step) values to average are empty or of inconsistent size");
  PdebenchMeans means;
  means.rmse = mean_of(metrics.rmse);
  means.nrmse = mean_of(metrics.nrmse);
  means.crmse = mean_of(metrics.crmse);
  means.max_error = mean_of(metrics.max_error);
  means.brmse = mean_of(metrics.brmse);
  const auto T = static_cast<std::size_t>(metrics.times);
  for (std::size_t band = 0; band < 3; ++band) {
    double sum = 0;
    for (std::size_t c = 0; c < static_cast<std::size_t>(metrics.channels); ++c)
      for (std::size_t t = 0; t < T; ++t)
        sum += metrics.frmse[(c * 3 + band) * T + t];
    means.frmse[band] = sum / static_cast<double>(size);
  }
  return means;
}

}  // namespace gavel::eval
