#include "gavel/eval/averaging_plan.hpp"

#include <algorithm>
#include <limits>

#include "gavel/core/error.hpp"
#include "gavel/eval/memory_budget.hpp"

namespace gavel::eval {
namespace {

constexpr std::int64_t kMaxBytes = std::numeric_limits<std::int64_t>::max();

/// The footprint in double so that absurd batches compare as "too large" instead of wrapping.
double footprint_estimate(const AveragingFootprint& f, std::int64_t windows, std::int64_t elements) {
  const double samples = static_cast<double>(windows) * static_cast<double>(elements);
  double workspace = 0;
  if (f.model_workspace) workspace = samples > 1e15 ? 1e30 : static_cast<double>(f.model_workspace(windows * elements));
  return static_cast<double>(f.fixed_bytes) + static_cast<double>(windows) * static_cast<double>(f.bytes_per_window) +
         samples * static_cast<double>(f.bytes_per_copy) + workspace;
}

bool fits(const AveragingFootprint& f, std::int64_t windows, std::int64_t elements, std::int64_t budget) {
  return footprint_estimate(f, windows, elements) <= static_cast<double>(budget);
}

/// Largest v in [1, high] with ok(v), given ok(1) and ok monotone (true then false).
template <class Ok>
std::int64_t largest(std::int64_t high, const Ok& ok) {
  std::int64_t lo = 1, hi = high;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo + 1) / 2;
    if (ok(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

}  // namespace

std::int64_t footprint_bytes(const AveragingFootprint& footprint, std::int64_t windows, std::int64_t elements) {
  const double bytes = footprint_estimate(footprint, windows, elements);
  return bytes >= static_cast<double>(kMaxBytes) ? kMaxBytes : static_cast<std::int64_t>(bytes);
}

AveragingPlan plan_averaging(const AveragingFootprint& footprint, std::int64_t requested, std::int64_t windows,
                             std::int64_t budget_bytes) {
  if (requested < 1) throw Error("--batch " + std::to_string(requested) + ": must be at least 1");
  if (footprint.group_order < 1) throw Error("averaging plan: empty group");
  const std::int64_t order = footprint.group_order;
  if (!fits(footprint, 1, 1, budget_bytes)) {
    const double workspace = footprint.model_workspace ? static_cast<double>(footprint.model_workspace(1)) : 0.0;
    throw Error("--memory " + memory_size_text(budget_bytes) +
                " is below what one window needs: " + memory_size_text(footprint_bytes(footprint, 1, 1)) +
                " (model parameters " + memory_size_text(footprint.fixed_bytes) + ", one model call on one sample " +
                memory_size_text(static_cast<std::int64_t>(workspace) + footprint.bytes_per_copy) +
                ", the evaluation's buffers for one window " + memory_size_text(footprint.bytes_per_window) +
                "); raise --memory");
  }
  const std::int64_t most = std::min(requested, std::max<std::int64_t>(windows, 1));
  AveragingPlan plan;
  plan.budget_bytes = budget_bytes;
  plan.windows_per_call = largest(most, [&](std::int64_t b) { return fits(footprint, b, 1, budget_bytes); });
  const std::int64_t k =
      largest(order, [&](std::int64_t e) { return fits(footprint, plan.windows_per_call, e, budget_bytes); });
  plan.model_calls_per_batch = (order + k - 1) / k;
  plan.elements_per_call = (order + plan.model_calls_per_batch - 1) / plan.model_calls_per_batch;
  plan.planned_bytes = footprint_bytes(footprint, plan.windows_per_call, plan.elements_per_call);
  return plan;
}

}  // namespace gavel::eval
