#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace gavel::eval {

/// the_well's binned spectral errors of one batch, per (sample, channel), row-major [N][C]:
/// with X = FFT(x − y), Y = FFT(y) over the spatial axes (unnormalized) and the isotropic
/// wavenumber |k| (k = 2π·fftfreq per axis), three bins with edges [0, b1, b2, π√d + 1e-6] —
/// b1, b2 logarithmically spaced from 2π/max(N) as torch.logspace gives them in float32 —
///   mse_per_bin[i]  = Σ_{k∈bin i} |X|² · cnt/fl32(cnt + 1e-7) / P²
///   nmse_per_bin[i] = mse_per_bin[i] / (the same of Y + 1e-7)
/// Wavenumbers, edges and bin membership are computed in float32 exactly as the_well does, so
/// points on an edge land in the same bin; the transforms run in double (FFTW).
struct SpectralMetrics {
  std::int64_t samples = 0, channels = 0;
  std::array<double, 4> edges{};
  std::array<std::int64_t, 3> counts{};
  std::array<std::vector<double>, 3> mse_per_bin, nmse_per_bin;
};

/// x and y: host arrays, channels first (N, C, *shape).
SpectralMetrics binned_spectral_metrics(const float* x, const float* y, std::int64_t samples, std::int64_t channels,
                                        const std::vector<std::int64_t>& shape);

}  // namespace gavel::eval
