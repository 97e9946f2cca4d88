#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gavel/eval/defect_verdict.hpp"
#include "gavel/eval/group_choice.hpp"
#include "gavel/eval/physical_model.hpp"

namespace gavel::eval {

/// One `gavel eval` run: a checkpoint on a dataset split, with and without group averaging.
struct EvaluationRequest {
  ModelRequest model;
  std::string data;  ///< dataset folder
  std::string split = "test";
  GroupRequest group;
  int rollout_steps = -1;  ///< −1: as many as the trajectories allow (at most 100); 0: no rollout
  /// the_well's rollout windows over prediction steps, half-open [start, end), 0-based.
  std::vector<std::pair<int, int>> rollout_windows = {{6, 12}, {13, 30}};
  std::int64_t batch = 8;
  /// Bytes of the execution space's memory the evaluation may use (--memory); 0: the default
  /// fraction of its free memory.
  std::int64_t memory_budget = 0;
  std::int64_t max_samples = -1;
  std::int64_t defect_samples = 8;
  /// Measure the averaged model's defect on every element instead of the group's generators.
  bool defect_all_elements = false;
  std::int64_t figure_samples = 2;
  std::uint64_t seed = 0;
  int bootstrap_resamples = 10000;
  double defect_tolerance = 1e-6;
  std::string command_line;
  /// Called as (phase, done, total) while the evaluation runs.
  std::function<void(const std::string&, std::int64_t, std::int64_t)> progress;
};

/// What one run produced: the typed verdict the caller acts on, and the report document rendered
/// from the same measurements (report.json, and through it metrics.csv, summary.md, report.html).
struct EvaluationResult {
  /// The averaged model's own defect check: the caller fails the run loudly when it did not pass.
  DefectVerdict averaged_defect;
  /// eval/REPORT.md: one-step metrics of the model and its group average, per-element scores,
  /// equivariance defects (its "equivariance_defect.passed" is averaged_defect.passed), subgroup
  /// sweep, rollouts, paired statistics, normalization audit, cost and manifest.
  nlohmann::json report;
};

/// Runs the evaluation on ExecSpace. Throws gavel::Error on bad input.
template <class ExecSpace>
EvaluationResult evaluate(const EvaluationRequest& request);

}  // namespace gavel::eval
