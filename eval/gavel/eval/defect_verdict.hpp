#pragma once

#include <vector>

namespace gavel::eval {

/// The averaged model's own equivariance check as the engine decides it: `gavel eval` takes its
/// exit status from `passed`, and the report's `equivariance_defect` block shows the same verdict.
struct DefectVerdict {
  /// The largest defect over the checked elements, samples and fields (0 when none was measured);
  /// NaN when any of them was NaN, so that a defect that could not be measured never passes.
  double max = 0;
  double tolerance = 0;
  bool passed = false;  ///< max ≤ tolerance
};

/// The verdict on defects laid out [checked element][sample × field] (OneStepResult::averaged_defect).
DefectVerdict judge_defects(const std::vector<std::vector<double>>& defects, double tolerance);

}  // namespace gavel::eval
