#include "gavel/eval/normalization_audit.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"

namespace gavel::eval {
namespace {

bool close(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max({std::abs(a), std::abs(b), 1e-30});
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

}  // namespace

std::vector<NormalizationIssue> audit_normalization(const std::vector<ChannelStatistics>& statistics,
                                                    const std::vector<GroupElement>& elements,
                                                    double relative_tolerance) {
  std::vector<NormalizationIssue> issues;
  for (const auto& block : statistics) {
    const auto names = block.layout.channel_names();
    const auto channels = static_cast<std::size_t>(block.layout.num_channels());
    if (block.shift.size() != channels || block.scale.size() != channels)
      throw Error("normalization audit: " + block.kind + " statistics have " + std::to_string(block.shift.size()) +
                  " shifts and " + std::to_string(block.scale.size()) + " scales for " + std::to_string(channels) +
                  " channels");
    std::set<std::size_t> reported;
    for (const auto& g : elements) {
      const auto map = block.layout.channel_map(g);
      for (std::size_t c = 0; c < channels; ++c) {
        if (reported.count(c)) continue;
        const auto s = static_cast<std::size_t>(map.source[c]);
        const double sign = map.sign[c];
        const bool scale_ok = close(block.scale[c], block.scale[s], relative_tolerance);
        // Means matter relative to the scale they are divided by: a mean of 1e-10 against a std
        // of 0.5 is zero for the normalized data, whatever its sign.
        const double shift_scale =
            std::max(std::abs(static_cast<double>(block.scale[c])), std::abs(static_cast<double>(block.scale[s])));
        const bool shift_ok = std::abs(block.shift[c] - sign * block.shift[s]) <= relative_tolerance * shift_scale;
        if (scale_ok && shift_ok) continue;
        std::string problem;
        if (!scale_ok)
          problem = "scale " + number(block.scale[c]) + " vs " + number(block.scale[s]) + " of " + names[s];
        if (!shift_ok)
          problem += std::string(problem.empty() ? "" : "; ") + "shift " + number(block.shift[c]) + " vs " +
                     (sign < 0 ? "the negated " : "") + number(block.shift[s]) + (s == c ? "" : " of " + names[s]) +
                     (sign < 0 ? " (sign flipped)" : "");
        issues.push_back({block.kind, names[c], element_name(g), problem});
        reported.insert(c);
      }
    }
  }
  return issues;
}

}  // namespace gavel::eval
