#pragma once

#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/host_transfers.hpp"
#include "gavel/eval/one_step_evaluation.hpp"
#include "gavel/metrics/metric_scratch.hpp"

namespace gavel::eval {

/// One batch of the one-step engine as its spectral work sees it: n windows of C channels on
/// `shape`, channels first, in ExecSpace's memory; the targets also on the host (they were read
/// there), for their figure slices.
template <class ExecSpace>
struct BatchFields {
  using View = Kokkos::View<const float*, typename ExecSpace::memory_space>;
  View baseline, averaged, target;
  const float* host_target = nullptr;
  std::int64_t first_window = 0, windows = 0, channels = 0;
  std::vector<std::int64_t> shape;
};

/// the_well's binned spectral metrics and PDEBench's of the batch's baseline and averaged
/// predictions, appended to result.baseline and result.averaged, and the figure slices of its
/// windows below `figure_windows`, appended to result.figures. Every per-point step runs on `exec`;
/// only the reduced numbers and the baseline and averaged slices cross to the host, through
/// copy_to_host (counted in result.footprint.transfers).
template <class ExecSpace>
void score_batch_spectra(const BatchFields<ExecSpace>& batch, std::int64_t figure_windows, const ExecSpace& exec,
                         OneStepResult& result);

/// What score_batch_spectra allocates on ExecSpace for C channels on `shape`: the larger of the
/// spectral and PDEBench calls (they run one after another) and the slices of `figure_windows`.
template <class ExecSpace>
MetricScratch batch_spectra_scratch(std::int64_t channels, const std::vector<std::int64_t>& shape,
                                    std::int64_t figure_windows);

}  // namespace gavel::eval
