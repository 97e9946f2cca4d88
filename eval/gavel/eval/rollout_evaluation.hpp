#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gavel/core/non_finite.hpp"
#include "gavel/datasets/windows.hpp"
#include "gavel/eval/evaluation_setup.hpp"
#include "gavel/eval/one_step_evaluation.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

struct RolloutOptions {
  std::int64_t batch = 8;          ///< trajectories per model call (independent rollouts run |G|·batch)
  std::int64_t max_samples = -1;   ///< roll out only the first trajectories (−1: all)
  std::int64_t memory_budget = 0;  ///< bytes of the execution space's memory (0: the default budget)
  std::int64_t memory_in_use = 0;  ///< bytes of it taken already (see OneStepOptions::memory_in_use)
  ProgressCallback progress;
};

/// VRMSE of one rollout mode per step, sample and channel: vrmse[step] is [samples][channels].
struct RolloutCurves {
  std::vector<std::vector<double>> vrmse;
  std::vector<std::int64_t> non_finite;  ///< per channel, over all steps
  /// Mean over samples of one channel (−1: over samples and channels) at `step`.
  double mean(std::size_t step, std::int64_t channel = -1) const;
};

/// Autoregressive rollouts from the first Ti steps of each trajectory (windows in full-trajectory
/// mode), predictions fed back as the_well does:
///   baseline            f applied step after step;
///   averaged_each_step  f_G applied step after step;
///   independent_average 1/|G| Σ_g g⁻¹·f^n(g·x), the average of |G| independent rollouts.
struct RolloutResult {
  int steps = 0;
  std::int64_t samples = 0, channels = 0;
  std::vector<datasets::WindowOrigin> origins;
  RolloutCurves baseline, averaged_each_step, independent_average;
  /// Mean and max over samples and non-identity elements of ‖g⁻¹·f^n(g·x) − f^n(x)‖/‖f^n(x)‖ per
  /// step (L2 over all channels): how far the raw model's rollouts drift apart.
  std::vector<double> baseline_defect_mean, baseline_defect_max;
  /// The same per element, mean over samples: [element][step] (element 0, the identity, is 0).
  std::vector<std::vector<double>> baseline_defect_per_element;
  /// Per subgroup of the setup: 1/|H| Σ_{h∈H} h⁻¹·f^n(h·x), the average of the subgroup's
  /// independent rollouts — free from the |G| rollouts above (accuracy against |H| and time).
  std::vector<RolloutCurves> subgroups;
  double seconds = 0;
  EvaluationFootprint footprint;
};

template <class ExecSpace>
RolloutResult evaluate_rollout(const datasets::WindowedDataset& trajectories,
                               const std::shared_ptr<surrogates::Model<ExecSpace>>& model, const EvaluationSetup& setup,
                               const RolloutOptions& options);

}  // namespace gavel::eval
