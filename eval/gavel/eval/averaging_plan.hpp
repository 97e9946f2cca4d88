#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace gavel::eval {

/// What one averaged evaluation allocates on the execution space, as functions of B (windows
/// per batch) and k (group elements per model call): the plan's whole cost is
///   fixed + B·per_window + k·B·per_copy + model_workspace(k·B).
struct AveragingFootprint {
  std::int64_t group_order = 1;
  std::int64_t fixed_bytes = 0;       ///< model parameters, tables
  std::int64_t bytes_per_window = 0;  ///< engine buffers per window: inputs, targets, predictions, sums
  std::int64_t bytes_per_copy = 0;    ///< one transformed input + its model output
  std::function<std::int64_t(std::int64_t samples)> model_workspace;  ///< the model's buffers for one call
};

/// How the |G|·B copies of a batch are split into model calls that fit a memory budget.
struct AveragingPlan {
  std::int64_t windows_per_call = 1;   ///< B
  std::int64_t elements_per_call = 1;  ///< k, balanced: ⌈|G|/k⌉ calls of nearly equal size
  std::int64_t model_calls_per_batch = 1;
  std::int64_t planned_bytes = 0;  ///< the footprint at (B, k)
  std::int64_t budget_bytes = 0;
};

std::int64_t footprint_bytes(const AveragingFootprint& footprint, std::int64_t windows, std::int64_t elements);

/// The plan with the most windows ≤ min(requested, windows) — the --batch asked for whenever it
/// fits — and then the most elements per call that fit `budget_bytes`. Throws gavel::Error when
/// not even one window with one element per call fits, naming the minimum and its parts, or
/// when `requested` < 1.
AveragingPlan plan_averaging(const AveragingFootprint& footprint, std::int64_t requested, std::int64_t windows,
                             std::int64_t budget_bytes);

}  // namespace gavel::eval
