#pragma once

#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/host_transfers.hpp"

namespace gavel::eval {

/// The Well's spatial metrics of one batch, reduced over space for every (sample, channel):
/// row-major [N][C] vectors in double. Definitions (the_well 1.2.0, x = prediction,
/// y = reference, means over the P points, eps = 1e-7):
///   MSE = mean((x−y)²), MAE = mean|x−y|, NMAE = MAE / (mean|y| + eps),
///   NMSE = MSE / (mean(y²) + eps), VMSE = MSE / (var(y) + eps) with the unbiased variance,
///   LInfinity = max|x−y|, PearsonR = mean((x−x̄)(y−ȳ)) / (std(x)·std(y) + eps) with unbiased
///   standard deviations; RMSE, NRMSE and VRMSE are the square roots.
struct SpatialMetrics {
  std::int64_t samples = 0, channels = 0;
  std::vector<double> mse, mae, nmae, nmse, vmse, linf, pearson;
  /// Non-finite values met in the prediction (the reference is sanitized before it gets here).
  std::int64_t non_finite_predictions = 0;
  /// The same per (sample, channel), row-major [N][C].
  std::vector<std::int64_t> non_finite;

  /// Adds the non-finite counts of every sample to `per_channel` (C entries).
  void add_non_finite_per_channel(std::vector<std::int64_t>& per_channel) const {
    for (std::size_t i = 0; i < non_finite.size(); ++i)
      per_channel[i % per_channel.size()] += non_finite[i];
  }
};

/// x and y: channels-first (N, C, P) contiguous Views in ExecSpace's memory. Only the reduced
/// sums cross to the host (counted in `transfers` when given).
template <class ExecSpace>
SpatialMetrics spatial_metrics(const Kokkos::View<const float*, typename ExecSpace::memory_space>& x,
                               const Kokkos::View<const float*, typename ExecSpace::memory_space>& y,
                               std::int64_t samples, std::int64_t channels, std::int64_t points,
                               const ExecSpace& space = ExecSpace(), HostTransfers* transfers = nullptr);

}  // namespace gavel::eval
