#include "gavel/metrics/pdebench_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/metrics/binned_power.hpp"
#include "gavel/metrics/grid_points.hpp"

namespace gavel::eval {

/// Kernels in a named namespace: nvcc cannot launch extended lambdas from an unnamed one.
namespace pdebench_kernels {

/// The grid's axis lengths for kernels, padded in front to 3 axes.
struct GridExtents {
  std::int64_t n[3] = {1, 1, 1};
  int dims = 0;
};

GridExtents grid_extents(const std::vector<std::int64_t>& shape) {
  GridExtents g;
  g.dims = static_cast<int>(shape.size());
  for (std::size_t a = 0; a < shape.size(); ++a)
    g.n[3 - shape.size() + a] = shape[a];
  return g;
}

/// How many boundary faces (index 0 or Nₐ − 1 on an axis) point p lies on.
KOKKOS_INLINE_FUNCTION double boundary_faces(std::int64_t p, const GridExtents& g) {
  int faces = 0;
  for (int a = 2; a >= 3 - g.dims; --a) {
    const std::int64_t i = p % g.n[a];
    p /= g.n[a];
    faces += (i == 0 ? 1 : 0) + (i == g.n[a] - 1 ? 1 : 0);
  }
  return static_cast<double>(faces);
}

/// The per-row sums pdebench_metrics reduces on the execution space.
enum RowSum : int { sum_squared, sum_reference, sum_error, sum_boundary, max_error_magnitude, nan_errors, row_sums };

/// For the `rows` rows from `first_row`: spectra ← d = pred − target (double), sums(row, …) ← its sums.
template <class ExecSpace, class Real>
void load_differences(const Kokkos::View<const Real*, typename ExecSpace::memory_space>& pred,
                      const Kokkos::View<const Real*, typename ExecSpace::memory_space>& target, std::int64_t first_row,
                      std::int64_t rows, std::int64_t points, const GridExtents& grid,
                      const typename BatchedDft<ExecSpace>::Data& spectra,
                      const Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space>& sums,
                      const ExecSpace& exec) {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  Kokkos::parallel_for(
      "gavel::pdebench_rows", Policy(exec, static_cast<int>(rows), Kokkos::AUTO), KOKKOS_LAMBDA(const Member& team) {
        const std::int64_t local = team.league_rank(), row = first_row + local;
        const Real* x = pred.data() + row * points;
        const Real* y = target.data() + row * points;
        Kokkos::complex<double>* d_row = spectra.data() + local * points;
        const auto range = Kokkos::TeamThreadRange(team, points);
        double squared = 0, reference = 0, sum = 0, boundary = 0, largest = 0, nans = 0;
        Kokkos::parallel_reduce(
            range,
            [&](const std::int64_t p, double& v) {
              const double d = static_cast<double>(x[p]) - static_cast<double>(y[p]);
              d_row[p] = Kokkos::complex<double>(d, 0.0);
              v += d * d;
            },
            squared);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += static_cast<double>(y[p]) * static_cast<double>(y[p]); },
            reference);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += static_cast<double>(x[p]) - static_cast<double>(y[p]); },
            sum);
        Kokkos::parallel_reduce(
            range,
            [&](const std::int64_t p, double& v) {
              const double d = static_cast<double>(x[p]) - static_cast<double>(y[p]);
              v += boundary_faces(p, grid) * d * d;
            },
            boundary);
        // max|d| over the non-NaN differences, the NaNs counted apart: the host makes the row's
        // max NaN when there is one, as torch.max does (a Max reduction alone would drop NaN).
        Kokkos::parallel_reduce(
            range,
            [&](const std::int64_t p, double& v) {
              const double d = static_cast<double>(x[p]) - static_cast<double>(y[p]);
              const double magnitude = d < 0 ? -d : d;
              if (magnitude == magnitude && magnitude > v) v = magnitude;
            },
            Kokkos::Max<double>(largest));
        Kokkos::parallel_reduce(
            range,
            [&](const std::int64_t p, double& v) {
              const double d = static_cast<double>(x[p]) - static_cast<double>(y[p]);
              v += d == d ? 0.0 : 1.0;
            },
            nans);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          const double row_values[row_sums] = {squared, reference, sum, boundary, largest, nans};  // RowSum order
          for (int k = 0; k < row_sums; ++k)
            sums(row, k) = row_values[k];
        });
      });
}

}  // namespace pdebench_kernels

namespace {

using namespace pdebench_kernels;

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

/// The fRMSE bin of every grid point (C order; −1 = unused), R, and PDEBench's boundary size.
struct FourierBins {
  std::vector<std::int64_t> of_point;
  std::int64_t bins = 0;           ///< R
  std::int64_t boundary_size = 0;  ///< Σₐ 2·N/Nₐ, PDEBench's boundary denominator
};

FourierBins fourier_bins(const std::vector<std::int64_t>& shape, std::int64_t points) {
  FourierBins tables;
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
  tables.of_point.assign(static_cast<std::size_t>(points), -1);
  std::vector<std::int64_t> index(dims);
  for (std::int64_t flat = 0; flat < points; ++flat) {
    std::int64_t rest = flat;
    for (std::size_t a = dims; a-- > 0;) {
      index[a] = rest % shape[a];
      rest /= shape[a];
    }
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
    tables.of_point[static_cast<std::size_t>(flat)] = bin;
  }
  return tables;
}

/// max that keeps a NaN once met, as torch.max does.
void keep_max(double& current, double value) {
  if (std::isnan(current)) return;
  if (std::isnan(value) || value > current) current = value;
}

template <class ExecSpace, class Real>
PdebenchMetrics compute(const Kokkos::View<const Real*, typename ExecSpace::memory_space>& pred,
                        const Kokkos::View<const Real*, typename ExecSpace::memory_space>& target, std::int64_t batch,
                        std::int64_t times, std::int64_t channels, const std::vector<std::int64_t>& shape,
                        const PdebenchOptions& options, const ExecSpace& exec, HostTransfers* transfers,
                        DftBackend backend) {
  using Memory = typename ExecSpace::memory_space;
  if (batch < 1 || times < 1 || channels < 1)
    throw Error("PDEBench metrics: batch, steps and channels must each be at least 1, got " + std::to_string(batch) +
                ", " + std::to_string(times) + ", " + std::to_string(channels));
  const std::int64_t points = grid_points(shape, "PDEBench metrics");
  if (options.i_low < 0 || options.i_high < 0)
    throw Error("PDEBench metrics: the fRMSE band limits iLow and iHigh must not be negative, got " +
                std::to_string(options.i_low) + " and " + std::to_string(options.i_high));
  const std::int64_t rows = batch * times * channels;
  if (static_cast<std::int64_t>(pred.extent(0)) != rows * points ||
      static_cast<std::int64_t>(target.extent(0)) != rows * points)
    throw Error("PDEBench metrics: prediction and reference must hold " + std::to_string(rows * points) +
                " values (batch × steps × channels × points), got " + std::to_string(pred.extent(0)) + " and " +
                std::to_string(target.extent(0)));

  const auto dims = static_cast<std::int64_t>(shape.size());
  const FourierBins tables = fourier_bins(shape, points);
  const auto P = static_cast<double>(points);
  const auto B = static_cast<double>(batch);
  const auto C = static_cast<std::size_t>(channels);
  const auto T = static_cast<std::size_t>(times);
  const auto R = static_cast<std::size_t>(tables.bins);

  // On the execution space, one (b, t) — C rows — at a time: d, its sums, its DFT, |F|² per bin.
  const auto table = make_bin_table<Memory>(tables.of_point, tables.bins);
  typename BatchedDft<ExecSpace>::Data spectra("gavel::pdebench_rows", static_cast<std::size_t>(channels * points));
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> sums("gavel::pdebench_sums", static_cast<std::size_t>(rows),
                                                           static_cast<std::size_t>(row_sums));
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> power("gavel::pdebench_power", static_cast<std::size_t>(rows), R);
  BatchedDft<ExecSpace> dft(shape, channels, backend);
  const GridExtents grid = grid_extents(shape);
  for (std::int64_t first_row = 0; first_row < rows; first_row += channels) {
    load_differences<ExecSpace, Real>(pred, target, first_row, channels, points, grid, spectra, sums, exec);
    dft.forward(spectra, exec);
    binned_power<ExecSpace>(spectra, channels, points, table, power, first_row, exec);
  }
  exec.fence();  // on host memory copy_to_host reads the results in place
  const auto host_sums = copy_to_host(sums, transfers);
  const auto host_power = copy_to_host(power, transfers);

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
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t c = 0; c < C; ++c) {
        const auto row = static_cast<std::size_t>((b * times + static_cast<std::int64_t>(t)) * channels +
                                                  static_cast<std::int64_t>(c));
        const double squared = host_sums(row, sum_squared), boundary = host_sums(row, sum_boundary);
        const double sum = host_sums(row, sum_error);
        const double largest = host_sums(row, nan_errors) > 0 ? nan_value : host_sums(row, max_error_magnitude);
        const std::size_t ct = c * T + t;
        const double rmse = std::sqrt(squared / P);
        m.rmse[ct] += rmse;
        m.nrmse[ct] += rmse / std::sqrt(host_sums(row, sum_reference) / P);
        m.crmse[ct] += sum * sum;
        keep_max(m.max_error[ct], largest);
        if (dims == 3)
          faces_3d[static_cast<std::size_t>(b) * T + t] += boundary;
        else
          m.brmse[ct] += std::sqrt(boundary / static_cast<double>(tables.boundary_size));
        for (std::size_t r = 0; r < R; ++r)
          spectrum[(c * R + r) * T + t] += host_power(row, r);
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

template <class ExecSpace, class Real>
PdebenchMetrics pdebench_metrics(const Kokkos::View<const Real*, typename ExecSpace::memory_space>& pred,
                                 const Kokkos::View<const Real*, typename ExecSpace::memory_space>& target,
                                 std::int64_t batch, std::int64_t times, std::int64_t channels,
                                 const std::vector<std::int64_t>& shape, const PdebenchOptions& options,
                                 const ExecSpace& exec, HostTransfers* transfers, DftBackend backend) {
  return compute<ExecSpace, Real>(pred, target, batch, times, channels, shape, options, exec, transfers, backend);
}

template <class ExecSpace>
MetricScratch pdebench_scratch(std::int64_t channels, const std::vector<std::int64_t>& shape) {
  const std::int64_t points = grid_points(shape, "PDEBench metrics");
  const FourierBins tables = fourier_bins(shape, points);
  std::int64_t binned = 0;
  for (const auto b : tables.of_point)
    binned += b >= 0 ? 1 : 0;
  MetricScratch scratch;
  scratch.fixed_bytes = static_cast<std::int64_t>(sizeof(Kokkos::complex<double>)) * channels * points +
                        BatchedDft<ExecSpace>::workspace_bytes(shape, channels) +
                        BinTable<typename ExecSpace::memory_space>::bytes(tables.bins, binned);
  scratch.bytes_per_sample = static_cast<std::int64_t>(sizeof(double)) * channels * (row_sums + tables.bins);
  return scratch;
}

namespace {

/// The host-pointer entry points: unmanaged Views on the default host space.
template <class Real>
PdebenchMetrics host_pdebench_metrics(const Real* pred, const Real* target, std::int64_t batch, std::int64_t times,
                                      std::int64_t channels, const std::vector<std::int64_t>& shape,
                                      const PdebenchOptions& options) {
  using Host = Kokkos::DefaultHostExecutionSpace;
  if (pred == nullptr || target == nullptr) throw Error("PDEBench metrics: no prediction or reference data given");
  const std::int64_t values =
      std::max<std::int64_t>(0, batch * times * channels * grid_points(shape, "PDEBench metrics"));
  const Kokkos::View<const Real*, Host::memory_space> p(pred, static_cast<std::size_t>(values)),
      t(target, static_cast<std::size_t>(values));
  return pdebench_metrics<Host, Real>(p, t, batch, times, channels, shape, options, Host());
}

}  // namespace

PdebenchMetrics pdebench_metrics(const float* pred, const float* target, std::int64_t batch, std::int64_t times,
                                 std::int64_t channels, const std::vector<std::int64_t>& shape,
                                 const PdebenchOptions& options) {
  return host_pdebench_metrics(pred, target, batch, times, channels, shape, options);
}

PdebenchMetrics pdebench_metrics(const double* pred, const double* target, std::int64_t batch, std::int64_t times,
                                 std::int64_t channels, const std::vector<std::int64_t>& shape,
                                 const PdebenchOptions& options) {
  return host_pdebench_metrics(pred, target, batch, times, channels, shape, options);
}

PdebenchMetrics pdebench_step(const PdebenchMetrics& metrics, std::int64_t step) {
  if (step < 0 || step >= metrics.times)
    throw Error("PDEBench metrics: step " + std::to_string(step) + " of " + std::to_string(metrics.times));
  const auto T = static_cast<std::size_t>(metrics.times), t = static_cast<std::size_t>(step);
  const auto pick = [&](const std::vector<double>& values) {
    std::vector<double> one;
    for (std::size_t i = t; i < values.size(); i += T)
      one.push_back(values[i]);
    return one;
  };
  PdebenchMetrics one = metrics;
  one.times = 1;
  one.rmse = pick(metrics.rmse);
  one.nrmse = pick(metrics.nrmse);
  one.crmse = pick(metrics.crmse);
  one.max_error = pick(metrics.max_error);
  one.brmse = pick(metrics.brmse);
  one.frmse = pick(metrics.frmse);
  return one;
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

#define GAVEL_INSTANTIATE_PDEBENCH_FOR(SPACE, REAL)                                                                 \
  template PdebenchMetrics pdebench_metrics<SPACE, REAL>(                                                           \
      const Kokkos::View<const REAL*, SPACE::memory_space>&, const Kokkos::View<const REAL*, SPACE::memory_space>&, \
      std::int64_t, std::int64_t, std::int64_t, const std::vector<std::int64_t>&, const PdebenchOptions&,           \
      const SPACE&, HostTransfers*, DftBackend);
#define GAVEL_INSTANTIATE_PDEBENCH(SPACE)       \
  GAVEL_INSTANTIATE_PDEBENCH_FOR(SPACE, float)  \
  GAVEL_INSTANTIATE_PDEBENCH_FOR(SPACE, double) \
  template MetricScratch pdebench_scratch<SPACE>(std::int64_t, const std::vector<std::int64_t>&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_PDEBENCH)

}  // namespace gavel::eval
