#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace gavel::eval {

/// How the bootstrap confidence interval of a paired change is drawn.
struct BootstrapOptions {
  std::int64_t resamples = 10000;  ///< number of bootstrap resamples (≥ 1)
  std::uint64_t seed = 5489;       ///< seed of the std::mt19937_64 that draws the resample indices
  double confidence = 0.95;        ///< two-sided level of the percentile interval, in (0, 1)
};

/// Summary of the paired change d_i = averaged_i − baseline_i over the pairs whose two values are
/// both finite (baseline_i: e.g. a model's VRMSE on sample i; averaged_i: the group-averaged
/// model's on the same sample). Negative changes are improvements when lower is better.
struct PairedSummary {
  std::int64_t n = 0;                    ///< pairs used (both values finite)
  std::int64_t excluded_non_finite = 0;  ///< pairs left out because a value was NaN or ±Inf
  double mean_baseline = 0, mean_averaged = 0;
  double mean_change = 0;    ///< mean of d_i
  double median_change = 0;  ///< median of d_i (mean of the two middle values when n is even)
  /// Percentile bootstrap interval of the mean change (see `paired_statistics`).
  double ci_low = 0, ci_high = 0;
  double confidence = 0;         ///< the interval's level
  std::int64_t resamples = 0;    ///< bootstrap resamples drawn
  std::uint64_t seed = 0;        ///< seed they were drawn with
  double fraction_improved = 0;  ///< share of pairs with averaged < baseline (ties do not count)
  /// 100 · (mean_averaged − mean_baseline) / mean_baseline; NaN when mean_baseline is 0.
  double relative_change_percent = 0;
};

/// The unbiased draw of an index in [0, bound) from a std::mt19937_64 stream, specified exactly
/// so that results are the same with every standard library (std::uniform_int_distribution is
/// not): threshold = 2⁶⁴ mod bound (computed as (2⁶⁴ − bound) mod bound in 64-bit arithmetic);
/// draw r = engine() until r ≥ threshold; return r mod bound. bound must be ≥ 1.
std::uint64_t draw_index(std::mt19937_64& engine, std::uint64_t bound);

/// Summary of the paired change between `baseline` and `averaged` (same length; element i of each
/// belongs to the same sample). Pairs with a non-finite value are excluded and counted in
/// `excluded_non_finite`. The confidence interval is the percentile bootstrap of the mean change:
/// a std::mt19937_64 seeded with `options.seed` draws, for resample b = 0 … R−1 in turn, n indices
/// j₁ … jₙ with `draw_index(engine, n)` (in that order); the resample mean is (Σₖ d_{jₖ}) / n,
/// summed in draw order. With the R resample means sorted, ci_low and ci_high are their quantiles
/// at α/2 and 1 − α/2 (α = 1 − confidence), interpolated linearly between order statistics
/// (numpy's default "linear" method: position h = (R − 1)·q, value m₍⌊h⌋₎ + (h − ⌊h⌋)·(m₍⌊h⌋+1₎ − m₍⌊h⌋₎)).
/// With n = 1 every resample is the single change, so the interval is that value.
/// Throws gavel::Error when the lengths differ, no finite pair is left (n = 0), resamples < 1 or
/// confidence is not in (0, 1).
PairedSummary paired_statistics(const std::vector<double>& baseline, const std::vector<double>& averaged,
                                const BootstrapOptions& options = {});

/// Per-sample values averaged per group (e.g. per trajectory), groups in order of first appearance.
struct GroupedPairs {
  std::vector<std::string> keys;
  std::vector<std::int64_t> counts;        ///< samples in each group
  std::vector<double> baseline, averaged;  ///< the plain mean of each group's values
};

/// Groups the pairs (baseline_i, averaged_i) by keys_i and averages each group, so that
/// `paired_statistics(g.baseline, g.averaged)` gives per-trajectory statistics. A non-finite value
/// makes its group's mean non-finite, so that `paired_statistics` excludes and counts the group
/// instead of hiding it. Throws gavel::Error when the three lengths differ or they are empty.
GroupedPairs group_means(const std::vector<std::string>& keys, const std::vector<double>& baseline,
                         const std::vector<double>& averaged);

}  // namespace gavel::eval
