#include "gavel/report/axis_ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace gavel::report {
namespace {

double nice_step(double span, int target_ticks) {
  const double raw = span / std::max(1, target_ticks);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

}  // namespace

AxisScale nice_axis_scale(double lo, double hi, int target_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  AxisScale scale;
  scale.step = nice_step(hi - lo, target_ticks);
  scale.lo = std::floor(lo / scale.step) * scale.step;
  scale.hi = std::ceil(hi / scale.step) * scale.step;
  const auto count = static_cast<int>(std::lround((scale.hi - scale.lo) / scale.step));
  for (int i = 0; i <= count; ++i)
    scale.ticks.push_back(scale.lo + i * scale.step);
  return scale;
}

std::string format_tick(double value, double step) {
  if (std::abs(value) < std::abs(step) * 1e-9) return "0";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", std::round(value / step) * step);
  return text;
}

}  // namespace gavel::report
