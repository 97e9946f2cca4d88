// Paired change statistics (mean, median, bootstrap interval, fraction improved) and the
// per-group averaging in front of them.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_get_random_seed.hpp>
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "gavel/core/error.hpp"
#include "gavel/metrics/paired_statistics.hpp"

using namespace gavel;
using eval::BootstrapOptions;
using eval::paired_statistics;

namespace {

/// Uniform in [0, 1) from the top 53 bits of one engine output (exact on every platform).
double uniform01(std::mt19937_64& engine) {
  return static_cast<double>(engine() >> 11) * 0x1.0p-53;
}

double straightforward_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

TEST_CASE("paired statistics: mean, median and fraction improved equal a direct computation", "[stats]") {
  std::mt19937_64 engine(Catch::getSeed());  // fresh inputs every run (--rng-seed repeats one)
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t size : {1u, 2u, 7u, 64u, 501u}) {
    INFO("size " << size);
    std::vector<double> baseline, averaged;
    std::vector<double> kept_b, kept_a, kept_d;
    std::int64_t excluded = 0;
    for (std::size_t i = 0; i < size; ++i) {
      const double b = 0.5 + uniform01(engine);
      const double u = uniform01(engine);
      double a = u < 0.1 ? b : b * (0.7 + 0.5 * uniform01(engine));  // about 10 % ties
      double bb = b;
      if (size > 2 && i % 13 == 5) a = nan;
      if (size > 2 && i % 17 == 3) bb = -inf;
      baseline.push_back(bb);
      averaged.push_back(a);
      if (std::isfinite(a) && std::isfinite(bb)) {
        kept_b.push_back(bb);
        kept_a.push_back(a);
        kept_d.push_back(a - bb);
      } else {
        ++excluded;
      }
    }
    const auto s = paired_statistics(baseline, averaged, BootstrapOptions{500, 7, 0.95});
    const double n = static_cast<double>(kept_d.size());
    CHECK(s.n == static_cast<std::int64_t>(kept_d.size()));
    CHECK(s.excluded_non_finite == excluded);
    CHECK(s.n + s.excluded_non_finite == static_cast<std::int64_t>(size));
    CHECK(s.mean_change == std::accumulate(kept_d.begin(), kept_d.end(), 0.0) / n);
    CHECK(s.mean_baseline == std::accumulate(kept_b.begin(), kept_b.end(), 0.0) / n);
    CHECK(s.mean_averaged == std::accumulate(kept_a.begin(), kept_a.end(), 0.0) / n);
    CHECK(s.median_change == straightforward_median(kept_d));
    std::int64_t improved = 0;
    for (std::size_t i = 0; i < kept_d.size(); ++i)
      improved += kept_a[i] < kept_b[i] ? 1 : 0;  // a tie is not an improvement
    CHECK(s.fraction_improved == static_cast<double>(improved) / n);
    CHECK(s.relative_change_percent == 100.0 * (s.mean_averaged - s.mean_baseline) / s.mean_baseline);
    CHECK(s.resamples == 500);
    CHECK(s.seed == 7);
    CHECK(s.confidence == 0.95);
    CHECK(s.ci_low <= s.mean_change);
    CHECK(s.mean_change <= s.ci_high);
  }
}

TEST_CASE("paired statistics: ties are not improvements, and a zero baseline mean gives a NaN relative change",
          "[stats]") {
  const auto s = paired_statistics({1.0, 2.0, -3.0, 0.0}, {1.0, 1.5, -2.0, 0.5});
  CHECK(s.fraction_improved == 0.25);  // only 1.5 < 2.0; 1.0 == 1.0 is a tie
  CHECK(s.mean_change == 0.25);
  CHECK(s.median_change == 0.25);  // changes 0, −0.5, 1, 0.5 → middle values 0 and 0.5
  CHECK(s.mean_baseline == 0.0);
  CHECK(std::isnan(s.relative_change_percent));
  const auto r = paired_statistics({2.0, 4.0}, {1.0, 2.0});
  CHECK(r.relative_change_percent == -50.0);
}

TEST_CASE("paired statistics: the interval is degenerate for a constant change and for one pair", "[stats]") {
  const std::vector<double> baseline{0.3, 1.7, 2.25, 0.5, 9.0, 4.0};
  std::vector<double> averaged;
  for (double b : baseline)
    averaged.push_back(b - 0.25);
  const auto s = paired_statistics(baseline, averaged, BootstrapOptions{2000, 11, 0.95});
  CHECK(s.ci_low == s.ci_high);
  CHECK(s.ci_low == Catch::Approx(-0.25).epsilon(1e-14));
  CHECK(s.fraction_improved == 1.0);

  const auto one = paired_statistics({0.8125}, {0.6875});
  CHECK(one.n == 1);
  CHECK(one.mean_change == -0.125);
  CHECK(one.median_change == -0.125);
  CHECK(one.ci_low == -0.125);
  CHECK(one.ci_high == -0.125);
  CHECK(one.fraction_improved == 1.0);
}

TEST_CASE("paired statistics: two values 0 and 1 give the interval [0, 1]", "[stats]") {
  // Resample means are 0, 1/2, 1 with probabilities 1/4, 1/2, 1/4: the 2.5 % and 97.5 %
  // quantiles of 10000 of them are 0 and 1 (≈2500 of each at either end).
  const auto s = paired_statistics({0.0, 0.0}, {0.0, 1.0});
  CHECK(s.resamples == 10000);
  CHECK(s.ci_low == 0.0);
  CHECK(s.ci_high == 1.0);
  CHECK(s.mean_change == 0.5);
}

TEST_CASE("paired statistics: the interval follows the documented draws and linear quantiles", "[stats]") {
  const std::vector<double> baseline{1.0, 2.0, 4.0, 8.0, 16.0};
  const std::vector<double> averaged{0.5, 2.5, 3.0, 8.5, 10.0};
  std::vector<double> change(5);
  for (std::size_t i = 0; i < 5; ++i)
    change[i] = averaged[i] - baseline[i];
  const std::int64_t resamples = 7;
  const std::uint64_t seed = 424242;
  std::mt19937_64 engine(seed);
  std::vector<double> means;
  for (std::int64_t b = 0; b < resamples; ++b) {
    double sum = 0;
    for (int k = 0; k < 5; ++k)
      sum += change[eval::draw_index(engine, 5)];
    means.push_back(sum / 5);
  }
  std::sort(means.begin(), means.end());
  // confidence 0.8: q = 0.1 and 0.9, positions 0.6 and 5.4 among the 7 sorted means.
  const double low = means[0] + 0.6 * (means[1] - means[0]);
  const double high = means[5] + (5.4 - 5.0) * (means[6] - means[5]);
  const auto s = paired_statistics(baseline, averaged, BootstrapOptions{resamples, seed, 0.8});
  CHECK(s.ci_low == Catch::Approx(low).epsilon(1e-15));
  CHECK(s.ci_high == Catch::Approx(high).epsilon(1e-15));
}

TEST_CASE("paired statistics: the same seed gives the same interval, another seed another one", "[stats]") {
  std::mt19937_64 engine(99);
  std::vector<double> baseline, averaged;
  for (int i = 0; i < 40; ++i) {
    baseline.push_back(uniform01(engine));
    averaged.push_back(uniform01(engine));
  }
  const auto a = paired_statistics(baseline, averaged, BootstrapOptions{1000, 1, 0.95});
  const auto b = paired_statistics(baseline, averaged, BootstrapOptions{1000, 1, 0.95});
  CHECK(a.ci_low == b.ci_low);
  CHECK(a.ci_high == b.ci_high);
  int differing = 0;
  for (std::uint64_t seed = 2; seed < 7; ++seed) {
    const auto c = paired_statistics(baseline, averaged, BootstrapOptions{1000, seed, 0.95});
    differing += (c.ci_low != a.ci_low || c.ci_high != a.ci_high) ? 1 : 0;
    CHECK(c.mean_change == a.mean_change);  // only the interval depends on the seed
  }
  CHECK(differing == 5);
}

TEST_CASE("paired statistics: the 95 % interval covers the true mean about 95 % of the time", "[stats]") {
  // Changes uniform on [−0.5, 1.5): true mean 0.5. 200 experiments of 40 pairs each.
  std::mt19937_64 engine(31337);
  int covered = 0;
  const int experiments = 200;
  for (int e = 0; e < experiments; ++e) {
    std::vector<double> baseline(40, 1.0), averaged;
    for (int i = 0; i < 40; ++i)
      averaged.push_back(1.0 - 0.5 + 2.0 * uniform01(engine));
    const auto s = paired_statistics(baseline, averaged, BootstrapOptions{2000, static_cast<std::uint64_t>(e), 0.95});
    covered += (s.ci_low <= 0.5 && 0.5 <= s.ci_high) ? 1 : 0;
  }
  INFO("covered " << covered << " of " << experiments);
  CHECK(covered >= 176);  // 88 %
  CHECK(covered <= 198);  // 99 %
}

TEST_CASE("draw_index: engine output mod bound, rejecting the outputs below 2^64 mod bound", "[stats]") {
  // bound 10: 2⁶⁴ mod 10 = 6, so only outputs 0 … 5 would be redrawn.
  std::mt19937_64 engine(5489), reference(5489);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t r = reference();
    CHECK(eval::draw_index(engine, 10) == r % 10);
  }
  // bound 2⁶³ + 1: 2⁶⁴ mod bound = 2⁶³ − 1, so about half of the outputs are redrawn.
  const std::uint64_t bound = (std::uint64_t{1} << 63) + 1;
  const std::uint64_t threshold = (std::uint64_t{1} << 63) - 1;
  std::mt19937_64 a(12345), b(12345);
  int rejected = 0;
  for (int i = 0; i < 200; ++i) {
    std::uint64_t r = b();
    while (r < threshold) {
      r = b();
      ++rejected;
    }
    CHECK(eval::draw_index(a, bound) == r % bound);
  }
  CHECK(rejected > 100);  // the rejection path was exercised (about 200 expected)
  // bound 1 always gives 0; bound 3 is unbiased to within sampling noise.
  CHECK(eval::draw_index(a, 1) == 0);
  std::array<int, 3> counts{};
  for (int i = 0; i < 30000; ++i)
    ++counts[eval::draw_index(a, 3)];
  for (int c : counts)
    CHECK(std::abs(c - 10000) < 400);  // ±4.9 standard deviations
  CHECK_THROWS_AS(eval::draw_index(a, 0), Error);
}

TEST_CASE("paired statistics: bad input is refused with a clear message", "[stats]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(paired_statistics({1.0, 2.0}, {1.0}), Error);
  CHECK_THROWS_AS(paired_statistics({}, {}), Error);
  try {
    paired_statistics({nan, 1.0}, {1.0, inf});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "paired statistics: no pair with two finite values (2 pairs given, 2 with NaN or Inf)");
  }
  CHECK_THROWS_AS(paired_statistics({1.0}, {2.0}, BootstrapOptions{0, 1, 0.95}), Error);
  CHECK_THROWS_AS(paired_statistics({1.0}, {2.0}, BootstrapOptions{100, 1, 1.0}), Error);
  CHECK_THROWS_AS(paired_statistics({1.0}, {2.0}, BootstrapOptions{100, 1, 0.0}), Error);
  CHECK_THROWS_AS(paired_statistics({1.0}, {2.0}, BootstrapOptions{100, 1, nan}), Error);
}

TEST_CASE("group_means: per-trajectory means in order of first appearance", "[stats]") {
  const std::vector<std::string> keys{"traj_b", "traj_a", "traj_b", "traj_c", "traj_a", "traj_b"};
  const std::vector<double> baseline{1.0, 2.0, 3.0, 4.0, 6.0, 5.0};
  const std::vector<double> averaged{0.5, 2.5, 1.5, 3.0, 1.5, 4.0};
  const auto g = eval::group_means(keys, baseline, averaged);
  CHECK(g.keys == std::vector<std::string>{"traj_b", "traj_a", "traj_c"});
  CHECK(g.counts == std::vector<std::int64_t>{3, 2, 1});
  CHECK(g.baseline == std::vector<double>{3.0, 4.0, 4.0});
  CHECK(g.averaged == std::vector<double>{2.0, 2.0, 3.0});
  const auto s = paired_statistics(g.baseline, g.averaged);
  CHECK(s.n == 3);
  CHECK(s.mean_change == Catch::Approx(-4.0 / 3.0).epsilon(1e-15));
  CHECK(s.fraction_improved == 1.0);
}

TEST_CASE("group_means: a NaN makes its group's mean NaN, which the statistics then count", "[stats]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto g = eval::group_means({"x", "y", "x"}, {1.0, 2.0, 3.0}, {nan, 1.0, 2.0});
  CHECK(g.counts == std::vector<std::int64_t>{2, 1});
  CHECK(std::isnan(g.averaged[0]));
  CHECK(g.baseline[0] == 2.0);
  const auto s = paired_statistics(g.baseline, g.averaged);
  CHECK(s.n == 1);
  CHECK(s.excluded_non_finite == 1);
  CHECK(s.mean_change == -1.0);
}

TEST_CASE("group_means: bad input is refused", "[stats]") {
  CHECK_THROWS_AS(eval::group_means({"a"}, {1.0, 2.0}, {1.0, 2.0}), Error);
  CHECK_THROWS_AS(eval::group_means({"a", "b"}, {1.0, 2.0}, {1.0}), Error);
  CHECK_THROWS_AS(eval::group_means({}, {}, {}), Error);
}
