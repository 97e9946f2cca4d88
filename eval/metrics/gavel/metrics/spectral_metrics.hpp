#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/host_transfers.hpp"
#include "gavel/metrics/batched_dft.hpp"
#include "gavel/metrics/metric_scratch.hpp"

namespace gavel::eval {

/// the_well's binned spectral errors of one batch, per (sample, channel), row-major [N][C]:
/// with X = FFT(x − y), Y = FFT(y) over the spatial axes (unnormalized) and the isotropic
/// wavenumber |k| (k = 2π·fftfreq per axis), three bins with edges [0, b1, b2, π√d + 1e-6] —
/// b1, b2 logarithmically spaced from 2π/max(N) as torch.logspace gives them in float32 —
///   mse_per_bin[i]  = Σ_{k∈bin i} |X|² · cnt/fl32(cnt + 1e-7) / P²
///   nmse_per_bin[i] = mse_per_bin[i] / (the same of Y + 1e-7)
/// Wavenumbers, edges and bin membership are computed in float32 exactly as the_well does, so
/// points on an edge land in the same bin; x − y is subtracted in float32 (as torch does before
/// transforming), the transforms and sums run in double. A NaN in x makes that row's
/// values NaN (an Inf makes them non-finite).
struct SpectralMetrics {
  std::int64_t samples = 0, channels = 0;
  std::array<double, 4> edges{};
  std::array<std::int64_t, 3> counts{};
  std::array<std::vector<double>, 3> mse_per_bin, nmse_per_bin;
};

/// x and y: channels-first (N, C, *shape) contiguous Views in ExecSpace's memory, shape 1 to 3
/// axes. Every per-point step (difference, DFT — BatchedDft, `backend` — and |F|² per bin) runs
/// on `exec`, one sample's channels at a time; only the 6 bin sums per (sample, channel) cross to
/// the host, through copy_to_host (counted in `transfers` when given). Throws gavel::Error for a
/// bad shape, no channels, or Views whose sizes are not N·C·points.
template <class ExecSpace>
SpectralMetrics binned_spectral_metrics(const Kokkos::View<const float*, typename ExecSpace::memory_space>& x,
                                        const Kokkos::View<const float*, typename ExecSpace::memory_space>& y,
                                        std::int64_t samples, std::int64_t channels,
                                        const std::vector<std::int64_t>& shape, const ExecSpace& exec = ExecSpace(),
                                        HostTransfers* transfers = nullptr, DftBackend backend = DftBackend::automatic);

/// What one call of binned_spectral_metrics<ExecSpace> allocates on ExecSpace.
template <class ExecSpace>
MetricScratch binned_spectral_scratch(std::int64_t channels, const std::vector<std::int64_t>& shape);

/// x and y: host arrays, channels first (N, C, *shape): the same, on the default host space.
SpectralMetrics binned_spectral_metrics(const float* x, const float* y, std::int64_t samples, std::int64_t channels,
                                        const std::vector<std::int64_t>& shape);

}  // namespace gavel::eval
