#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gavel/metrics/pdebench_metrics.hpp"
#include "gavel/metrics/spatial_metrics.hpp"
#include "gavel/metrics/spectral_metrics.hpp"

namespace gavel::eval {

/// The metric values of one evaluation mode (baseline, averaged, one group element, …) for
/// every (sample, channel), in The Well's names, accumulated batch by batch: values[name] is
/// row-major [samples][channels]. VRMSE etc. are the square roots of the MSE-type metrics, as
/// the_well defines them.
struct ModeMetrics {
  std::int64_t channels = 0;
  std::int64_t samples = 0;
  std::map<std::string, std::vector<double>> values;
  std::int64_t non_finite_predictions = 0;

  explicit ModeMetrics(std::int64_t channel_count = 0) : channels(channel_count) {}

  /// Appends a batch of spatial metrics (all ten of The Well's spatial metrics).
  void append(const SpatialMetrics& batch);
  /// Appends only VRMSE (per-element and subgroup modes keep just that).
  void append_vrmse(const SpatialMetrics& batch);
  /// Adds the binned spectral MSE/NMSE of the same batch (after append).
  void append_spectral(const SpectralMetrics& batch);

  /// Adds PDEBench's metrics of one sample (computed with batch size 1, one step): cRMSE,
  /// bRMSE (1-D/2-D only: PDEBench sums 3-D boundary errors over channels), fRMSE_low/mid/high.
  void append_pdebench(const PdebenchMetrics& sample);

  /// Mean over samples of one channel, or over samples and channels (channel = −1).
  double mean(const std::string& metric, std::int64_t channel = -1) const;
  /// One channel's value for every sample.
  std::vector<double> channel_values(const std::string& metric, std::int64_t channel) const;
  /// Per-sample means over the channels.
  std::vector<double> per_sample(const std::string& metric) const;

 private:
  /// The [sample][channel] values of `metric`; throws gavel::Error when it was never recorded.
  const std::vector<double>& recorded(const std::string& metric) const;
};

}  // namespace gavel::eval
