// relative_l2_per_field: the engine's equivariance defects, reduced on the execution space.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/metrics/field_reductions.hpp"
#include "test_support.hpp"

using namespace gavel;

namespace {

using Ranges = std::vector<std::pair<std::int64_t, std::int64_t>>;

/// ‖a − b‖ / ‖reference‖ over a field's channels of one sample, in double, from the definition.
double expected(const std::vector<double>& a, const std::vector<double>& b, const std::vector<double>& reference,
                std::int64_t sample, std::pair<std::int64_t, std::int64_t> field, std::int64_t channels,
                std::int64_t points) {
  double num = 0, den = 0;
  for (std::int64_t c = field.first; c < field.first + field.second; ++c)
    for (std::int64_t p = 0; p < points; ++p) {
      const auto i = static_cast<std::size_t>((sample * channels + c) * points + p);
      const double d = static_cast<double>(static_cast<float>(a[i])) - static_cast<float>(b[i]);
      num += d * d;
      den += static_cast<double>(static_cast<float>(reference[i])) * static_cast<float>(reference[i]);
    }
  return std::sqrt(num / den);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("relative L2 per field against its own or another reference", "[metrics][defects]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  std::mt19937 rng(Catch::getSeed());
  const std::int64_t samples = 3, channels = 4, points = 37;
  const auto size = static_cast<std::size_t>(samples * channels * points);
  const auto a = test::random_values(size, rng), b = test::random_values(size, rng);
  auto reference = test::random_values(size, rng);
  for (auto& v : reference)
    v *= 5;  // another scale than b: the denominator must be the reference's
  const Ranges fields = {{0, 1}, {1, 3}};
  const auto da = test::to_device<float, Exec>(a), db = test::to_device<float, Exec>(b),
             dr = test::to_device<float, Exec>(reference);
  HostTransfers transfers;
  const auto own = eval::relative_l2_per_field<Exec>(da, db, samples, channels, points, fields, Exec(), &transfers);
  const auto scaled = eval::relative_l2_per_field<Exec>(da, db, dr, samples, channels, points, fields, Exec(), nullptr);
  REQUIRE(own.size() == static_cast<std::size_t>(samples) * fields.size());
  REQUIRE(scaled.size() == own.size());
  for (std::int64_t s = 0; s < samples; ++s)
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const auto k = static_cast<std::size_t>(s) * fields.size() + f;
      CHECK(own[k] == Catch::Approx(expected(a, b, b, s, fields[f], channels, points)).epsilon(1e-12));
      CHECK(scaled[k] == Catch::Approx(expected(a, b, reference, s, fields[f], channels, points)).epsilon(1e-12));
    }
  // Two sums per (sample, field) cross to the host, nothing else.
  CHECK(transfers.copies == 1);
  CHECK(transfers.bytes == static_cast<std::int64_t>(2 * sizeof(double) * samples * fields.size()));
}

TEMPLATE_LIST_TEST_CASE("relative L2 per field: zero references, NaN and bad ranges", "[metrics][defects][errors]",
                        test::ExecutionSpaces) {
  using Exec = TestType;
  const std::int64_t channels = 2, points = 4;
  std::vector<double> a(8, 0.0), b(8, 0.0), reference(8, 0.0);
  a[0] = 1.0;                                       // field 0 differs, its reference is 0
  a[5] = std::numeric_limits<double>::quiet_NaN();  // field 1 holds a NaN
  const auto da = test::to_device<float, Exec>(a), db = test::to_device<float, Exec>(b),
             dr = test::to_device<float, Exec>(reference);
  const Ranges fields = {{0, 1}, {1, 1}};
  const auto out = eval::relative_l2_per_field<Exec>(da, db, dr, 1, channels, points, fields, Exec(), nullptr);
  CHECK(std::isinf(out[0]));
  CHECK(std::isnan(out[1]));
  const auto same = eval::relative_l2_per_field<Exec>(db, db, dr, 1, channels, points, {{0, 2}}, Exec(), nullptr);
  CHECK(same[0] == 0.0);  // nothing differs and nothing to compare with: 0, not NaN
  CHECK_THROWS_AS(eval::relative_l2_per_field<Exec>(da, db, dr, 1, channels, points, {{1, 2}}, Exec(), nullptr), Error);
  CHECK_THROWS_AS(eval::relative_l2_per_field<Exec>(da, db, dr, 2, channels, points, fields, Exec(), nullptr), Error);
}
