#include "gavel/eval/defect_verdict.hpp"

#include <cmath>

namespace gavel::eval {

DefectVerdict judge_defects(const std::vector<std::vector<double>>& defects, double tolerance) {
  DefectVerdict verdict;
  verdict.tolerance = tolerance;
  for (const auto& element : defects)
    for (const double d : element)
      if (!std::isnan(verdict.max) && (std::isnan(d) || d > verdict.max)) verdict.max = d;
  verdict.passed = !std::isnan(verdict.max) && verdict.max <= tolerance;
  return verdict;
}

}  // namespace gavel::eval
