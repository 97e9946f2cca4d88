#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/host_transfers.hpp"
#include "gavel/metrics/batched_dft.hpp"
#include "gavel/metrics/metric_scratch.hpp"

namespace gavel::eval {

/// PDEBench's domain lengths (they scale fRMSE only) and fRMSE band limits, with its defaults.
struct PdebenchOptions {
  double lx = 1.0, ly = 1.0, lz = 1.0;
  std::int64_t i_low = 4, i_high = 12;
};

/// PDEBench 0.1.0's `metric_func(pred, target, if_mean=False)` (pdebench.models.metrics), computed
/// in double from the definitions in tools/the-well-semantics.md ("PDEBench metrics as installed").
/// With d = pred − target, N = Πₐ Nₐ points, per (sample b, channel c, step t):
///   rmse      = mean_b √(mean_space d²)
///   nrmse     = mean_b [√(mean_space d²) / √(mean_space target²)]   (no eps: target ≡ 0 gives ±Inf/NaN)
///   crmse     = √(mean_b (Σ_space d)²) / N                           (PDEBench's err_CSV)
///   max_error = max over space and batch of |d|                       (NaN if any d is NaN)
///   brmse     = mean_b √(Σ_{boundary cells} d² / boundary size)       (PDEBench's err_BD)
///     boundary = the cells with index 0 or Nₐ − 1 on an axis, one cell wide, whatever the
///     boundary conditions; 1-D: (d₀² + d²_{N−1}) / 2; 2-D: the two x-faces (Y cells each) and the
///     two y-faces (X cells each) over 2X + 2Y, corner cells counted twice; 3-D: the six faces over
///     2(XY + YZ + ZX) **and summed over the channels** (PDEBench's quirk): one value per step.
///   frmse[band] (PDEBench's err_F), F = unnormalized DFT of d over space:
///     2-D/3-D: only 0 ≤ iₐ < Nₐ//2 is used; S_r = Σ |F|² over the indices with ⌊√(Σ iₐ²)⌋ = r,
///       r < R = minₐ Nₐ//2; spec_r = √(mean_b S_r) / N · Lx·Ly(·Lz).
///     1-D: spec_k = √(mean_b |F_k|²) / N · Lx for k = 0 … N//2 (R = N//2 + 1, no binning).
///     low/mid/high = mean of spec_r over r ∈ [0, i_low), [i_low, i_high), [i_high, R), each range
///     clipped to [0, R); an empty band is NaN (high whenever R ≤ i_high, e.g. grids below 26).
/// PDEBench accumulates fRMSE in float32; here everything is double (d = pred − target included).
struct PdebenchMetrics {
  std::int64_t channels = 0, times = 0, spatial_dims = 0;
  std::vector<double> rmse, nrmse, crmse, max_error;  ///< [C][T]
  std::vector<double> brmse;                          ///< [C][T]; [T] in 3-D (summed over channels)
  std::vector<double> frmse;                          ///< [C][3][T], bands low, mid, high
};

/// pred and target: channels first, (B, T, C, *shape) contiguous Views in ExecSpace's memory (the
/// layout gavel's other metrics use with N = B·T samples; PDEBench's own is [B, *space, T, C],
/// same values), Real float or double. shape: 1 to 3 axis lengths, each ≥ 1. Every per-point step
/// runs on `exec`, one (b, t)'s channels at a time: d, its DFT (BatchedDft, `backend`), the per-row
/// sums Σd², Σtarget², Σd, Σ faces·d², max|d| (NaN if any d is NaN) and |F|² per radial bin; only
/// those 6 + R numbers per row cross to the host, through copy_to_host (counted in `transfers`).
/// Throws gavel::Error for empty or inconsistent sizes or negative band limits.
template <class ExecSpace, class Real>
PdebenchMetrics pdebench_metrics(const Kokkos::View<const Real*, typename ExecSpace::memory_space>& pred,
                                 const Kokkos::View<const Real*, typename ExecSpace::memory_space>& target,
                                 std::int64_t batch, std::int64_t times, std::int64_t channels,
                                 const std::vector<std::int64_t>& shape, const PdebenchOptions& options = {},
                                 const ExecSpace& exec = ExecSpace(), HostTransfers* transfers = nullptr,
                                 DftBackend backend = DftBackend::automatic);

/// What one call of pdebench_metrics<ExecSpace, Real> allocates on ExecSpace (per sample = per (b, t)).
template <class ExecSpace>
MetricScratch pdebench_scratch(std::int64_t channels, const std::vector<std::int64_t>& shape);

/// pred and target: host arrays, the same on the default host space; null pointers are refused.
PdebenchMetrics pdebench_metrics(const float* pred, const float* target, std::int64_t batch, std::int64_t times,
                                 std::int64_t channels, const std::vector<std::int64_t>& shape,
                                 const PdebenchOptions& options = {});
PdebenchMetrics pdebench_metrics(const double* pred, const double* target, std::int64_t batch, std::int64_t times,
                                 std::int64_t channels, const std::vector<std::int64_t>& shape,
                                 const PdebenchOptions& options = {});

/// The values of step `step` alone, as a result with times = 1. With batch 1 the steps are
/// independent, so one call with times = N gives N samples' metrics in one pass.
PdebenchMetrics pdebench_step(const PdebenchMetrics& metrics, std::int64_t step);

/// `metric_func(..., if_mean=True)`: each [C][T] metric averaged over channels and steps, fRMSE per
/// band (NaN stays NaN). PDEBench 0.1.0 raises there in 3-D (its 3-D err_BD has no channel axis), so
/// this throws gavel::Error for 3-D metrics: use the per-(channel, step) values instead.
struct PdebenchMeans {
  double rmse = 0, nrmse = 0, crmse = 0, max_error = 0, brmse = 0;
  std::array<double, 3> frmse{};
};
PdebenchMeans pdebench_means(const PdebenchMetrics& metrics);

}  // namespace gavel::eval
