#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gavel/core/host_transfers.hpp"
#include "gavel/core/non_finite.hpp"
#include "gavel/datasets/windows.hpp"
#include "gavel/eval/averaging_plan.hpp"
#include "gavel/eval/evaluation_setup.hpp"
#include "gavel/metrics/mode_metrics.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

struct OneStepOptions {
  std::int64_t batch = 8;           ///< windows per model call (the averaged call runs |G|·batch)
  std::int64_t max_samples = -1;    ///< evaluate only the first windows (−1: all)
  std::int64_t defect_samples = 8;  ///< windows on which the averaged model's own defect is measured
  std::int64_t figure_samples = 2;  ///< windows whose fields are kept for the report's heat maps
  /// Bytes of the execution space's memory the evaluation may use (--memory); 0: the default
  /// fraction of its free memory (memory_budget.hpp).
  std::int64_t memory_budget = 0;
  /// Bytes of the budget already taken before the evaluation starts (the process's resident
  /// memory, model parameters included, when the execution space uses host memory); the plan
  /// counts max(this, the model's parameter bytes) as fixed.
  std::int64_t memory_in_use = 0;
  ProgressCallback progress;
};

/// What the run cost in memory and host traffic.
struct EvaluationFootprint {
  AveragingPlan plan;                    ///< windows and group elements per model call, planned bytes
  std::int64_t peak_resident_bytes = 0;  ///< the process's VmHWM after the run (host memory)
  HostTransfers transfers;               ///< everything the engine copied back from the execution space
};

/// One channel of one window kept for the report's figures: a 2-D slice (the middle of the
/// last axis in 3-D), strided down to at most 128 points per side.
struct FigureSample {
  std::int64_t window = 0;
  std::int64_t channel = 0;
  std::vector<std::int64_t> shape;
  std::vector<float> target, baseline, averaged;
};

/// Everything the one-step evaluation measured.
struct OneStepResult {
  std::vector<datasets::WindowOrigin> origins;  ///< per sample
  ModeMetrics baseline, averaged;               ///< all metrics incl. binned spectral ones
  std::vector<ModeMetrics> elements;            ///< VRMSE of g⁻¹·f(g·x) per element
  std::vector<ModeMetrics> subgroups;           ///< VRMSE of each subgroup's average
  /// ‖g⁻¹·f(g·x) − f(x)‖/‖f(x)‖ per element, sample and output field: [element][sample][field].
  std::vector<std::vector<double>> baseline_defect;
  /// ‖g⁻¹·f_G(g·x) − f_G(x)‖/‖f(x)‖ for the averaged model f_G — relative to the model's own
  /// output, the size of the terms f_G averages — on the first defect_samples windows, for the
  /// elements setup.defect_elements names: [checked element][sample][field].
  std::vector<std::vector<double>> averaged_defect;
  std::vector<std::size_t> averaged_defect_elements;  ///< which element each averaged_defect row is
  std::int64_t defect_checked_samples = 0;
  NonFiniteCounts replaced_in_inputs, replaced_in_targets;
  std::vector<std::int64_t> non_finite_baseline, non_finite_averaged;  ///< per channel
  double baseline_seconds = 0;        ///< the model's time for one of the |G| copies (the baseline is the identity's)
  double averaged_seconds = 0;        ///< forward calls of the averaged model (transforms included)
  double averaged_model_seconds = 0;  ///< the model's share of averaged_seconds
  std::vector<FigureSample> figures;
  EvaluationFootprint footprint;
};

/// One-step evaluation over the windows (n_steps_output = 1) of a split: the model f (physical
/// units) and its average f_G over setup.elements, both scored against the targets with The
/// Well's metrics; per-element scores, equivariance defects and subgroup averages from the same
/// model calls. Throws gavel::Error when the model does not fit the data.
template <class ExecSpace>
OneStepResult evaluate_one_step(const datasets::WindowedDataset& windows,
                                const std::shared_ptr<surrogates::Model<ExecSpace>>& model,
                                const EvaluationSetup& setup, const OneStepOptions& options);

}  // namespace gavel::eval
