#include "gavel/metrics/paired_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "gavel/core/error.hpp"

namespace gavel::eval {
namespace {

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double e : v)
    sum += e;
  return sum / static_cast<double>(v.size());
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// numpy's "linear" quantile of sorted values: h = (R − 1)·q, interpolated between neighbours.
double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const double below = std::floor(h);
  const auto i = static_cast<std::size_t>(below);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - below) * (sorted[i + 1] - sorted[i]);
}

}  // namespace

std::uint64_t draw_index(std::mt19937_64& engine, std::uint64_t bound) {
  if (bound == 0) throw Error("bootstrap: an index bound must be at least 1");
  // 2⁶⁴ mod bound: the outputs below it would make the low residues more likely.
  const std::uint64_t threshold = (std::uint64_t{0} - bound) % bound;
  for (;;) {
    const std::uint64_t r = engine();
    if (r >= threshold) return r % bound;
  }
}

PairedSummary paired_statistics(const std::vector<double>& baseline, const std::vector<double>& averaged,
                                const BootstrapOptions& options) {
  if (baseline.size() != averaged.size())
    throw Error("paired statistics: " + std::to_string(baseline.size()) + " baseline values but " +
                std::to_string(averaged.size()) + " averaged values; they must pair up one to one");
  if (options.resamples < 1)
    throw Error("paired statistics: the number of bootstrap resamples must be at least 1, got " +
                std::to_string(options.resamples));
  if (!(options.confidence > 0.0 && options.confidence < 1.0))
    throw Error("paired statistics: the confidence level must lie strictly between 0 and 1, got " +
                std::to_string(options.confidence));

  PairedSummary s;
  std::vector<double> base, avg, change;
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    if (!std::isfinite(baseline[i]) || !std::isfinite(averaged[i])) {
      ++s.excluded_non_finite;
      continue;
    }
    base.push_back(baseline[i]);
    avg.push_back(averaged[i]);
    change.push_back(averaged[i] - baseline[i]);
  }
  if (change.empty())
    throw Error("paired statistics: no pair with two finite values (" + std::to_string(baseline.size()) +
                " pairs given, " + std::to_string(s.excluded_non_finite) + " with NaN or Inf)");

  const std::size_t n = change.size();
  s.n = static_cast<std::int64_t>(n);
  s.mean_baseline = mean_of(base);
  s.mean_averaged = mean_of(avg);
  s.mean_change = mean_of(change);
  s.median_change = median_of(change);
  std::int64_t improved = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (avg[i] < base[i]) ++improved;
  s.fraction_improved = static_cast<double>(improved) / static_cast<double>(n);
  s.relative_change_percent = s.mean_baseline == 0.0 ? std::numeric_limits<double>::quiet_NaN()
                                                     : 100.0 * (s.mean_averaged - s.mean_baseline) / s.mean_baseline;

  s.confidence = options.confidence;
  s.resamples = options.resamples;
  s.seed = options.seed;
  std::mt19937_64 engine(options.seed);
  std::vector<double> means(static_cast<std::size_t>(options.resamples));
  for (auto& m : means) {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k)
      sum += change[static_cast<std::size_t>(draw_index(engine, n))];
    m = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  const double alpha = 1.0 - options.confidence;
  s.ci_low = quantile_of_sorted(means, alpha / 2);
  s.ci_high = quantile_of_sorted(means, 1.0 - alpha / 2);
  return s;
}

GroupedPairs group_means(const std::vector<std::string>& keys, const std::vector<double>& baseline,
                         const std::vector<double>& averaged) {
  if (keys.size() != baseline.size() || keys.size() != averaged.size())
    throw Error("grouping paired values: " + std::to_string(keys.size()) + " keys, " + std::to_string(baseline.size()) +
                " baseline and " + std::to_string(averaged.size()) +
                " averaged values; all three must have the same length");
  if (keys.empty()) throw Error("grouping paired values: no values given");
  GroupedPairs g;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto [it, inserted] = index.emplace(keys[i], g.keys.size());
    if (inserted) {
      g.keys.push_back(keys[i]);
      g.counts.push_back(0);
      g.baseline.push_back(0.0);
      g.averaged.push_back(0.0);
    }
    const std::size_t k = it->second;
    ++g.counts[k];
    g.baseline[k] += baseline[i];
    g.averaged[k] += averaged[i];
  }
  for (std::size_t k = 0; k < g.keys.size(); ++k) {
    g.baseline[k] /= static_cast<double>(g.counts[k]);
    g.averaged[k] /= static_cast<double>(g.counts[k]);
  }
  return g;
}

}  // namespace gavel::eval
