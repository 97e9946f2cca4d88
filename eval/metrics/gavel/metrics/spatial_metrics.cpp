#include "gavel/metrics/spatial_metrics.hpp"

#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"

namespace gavel::eval {
namespace {

/// Per (sample, channel) sums, one team each: first pass the raw sums, second the centred ones.
KOKKOS_INLINE_FUNCTION double magnitude(double v) {
  return v < 0 ? -v : v;
}
/// Finite iff v − v is 0 (NaN and ±Inf give NaN); portable to every backend of Kokkos 3.4.
KOKKOS_INLINE_FUNCTION bool finite(float v) {
  return (v - v) == 0.0f;
}

enum Sum : int { sum_x, sum_y, sum_sq_err, sum_abs_err, max_abs_err, sum_y2, sum_abs_y, cov, var_x, var_y, bad, count };

}  // namespace

template <class ExecSpace>
SpatialMetrics spatial_metrics(const Kokkos::View<const float*, typename ExecSpace::memory_space>& x,
                               const Kokkos::View<const float*, typename ExecSpace::memory_space>& y,
                               std::int64_t samples, std::int64_t channels, std::int64_t points, const ExecSpace& space,
                               HostTransfers* transfers) {
  const std::int64_t rows = samples * channels;
  if (static_cast<std::int64_t>(x.extent(0)) != rows * points ||
      static_cast<std::int64_t>(y.extent(0)) != rows * points)
    throw Error("metrics: prediction and reference must hold " + std::to_string(rows * points) + " values");
  if (points < 2) throw Error("metrics: at least 2 points are needed (unbiased variance)");
  using Memory = typename ExecSpace::memory_space;
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> sums("metric sums", static_cast<std::size_t>(rows), count);
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  Kokkos::parallel_for(
      "gavel::spatial_metrics", Policy(space, static_cast<int>(rows), Kokkos::AUTO), KOKKOS_LAMBDA(const Member& team) {
        const std::int64_t row = team.league_rank();
        const float* px = x.data() + row * points;
        const float* py = y.data() + row * points;
        const auto range = Kokkos::TeamThreadRange(team, points);
        double sx = 0, sy = 0, se = 0, sa = 0, sy2 = 0, say = 0, nonfinite = 0, worst = 0;
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += px[p]; }, sx);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += py[p]; }, sy);
        Kokkos::parallel_reduce(
            range,
            [&](const std::int64_t p, double& v) {
              const double d = static_cast<double>(px[p]) - py[p];
              v += d * d;
            },
            se);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += magnitude(static_cast<double>(px[p]) - py[p]); }, sa);
        Kokkos::parallel_reduce(
            range,
            [&](const std::int64_t p, double& v) {
              const double d = magnitude(static_cast<double>(px[p]) - py[p]);
              if (d > v) v = d;
            },
            Kokkos::Max<double>(worst));
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += static_cast<double>(py[p]) * py[p]; }, sy2);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += magnitude(static_cast<double>(py[p])); }, say);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += finite(px[p]) ? 0.0 : 1.0; }, nonfinite);
        const double mx = sx / static_cast<double>(points), my = sy / static_cast<double>(points);
        double c = 0, vx = 0, vy = 0;
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += (px[p] - mx) * (py[p] - my); }, c);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += (px[p] - mx) * (px[p] - mx); }, vx);
        Kokkos::parallel_reduce(
            range, [&](const std::int64_t p, double& v) { v += (py[p] - my) * (py[p] - my); }, vy);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          sums(row, sum_x) = sx;
          sums(row, sum_y) = sy;
          sums(row, sum_sq_err) = se;
          sums(row, sum_abs_err) = sa;
          sums(row, max_abs_err) = worst;
          sums(row, sum_y2) = sy2;
          sums(row, sum_abs_y) = say;
          sums(row, cov) = c;
          sums(row, var_x) = vx;
          sums(row, var_y) = vy;
          sums(row, bad) = nonfinite;
        });
      });
  const auto host = copy_to_host(sums, transfers);
  SpatialMetrics m;
  m.samples = samples;
  m.channels = channels;
  const double n = static_cast<double>(points), eps = 1e-7;
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto i = static_cast<std::size_t>(r);
    const double mse = host(i, sum_sq_err) / n;
    const double variance_y = host(i, var_y) / (n - 1), variance_x = host(i, var_x) / (n - 1);
    m.mse.push_back(mse);
    m.mae.push_back(host(i, sum_abs_err) / n);
    m.nmae.push_back(host(i, sum_abs_err) / n / (host(i, sum_abs_y) / n + eps));
    m.nmse.push_back(mse / (host(i, sum_y2) / n + eps));
    m.vmse.push_back(mse / (variance_y + eps));
    m.linf.push_back(host(i, max_abs_err));
    m.pearson.push_back(host(i, cov) / n / (std::sqrt(variance_x) * std::sqrt(variance_y) + eps));
    m.non_finite_predictions += static_cast<std::int64_t>(host(i, bad));
    m.non_finite.push_back(static_cast<std::int64_t>(host(i, bad)));
  }
  return m;
}

#define GAVEL_INSTANTIATE_SPATIAL_METRICS(SPACE)                                                                       \
  template SpatialMetrics spatial_metrics<SPACE>(const Kokkos::View<const float*, SPACE::memory_space>&,               \
                                                 const Kokkos::View<const float*, SPACE::memory_space>&, std::int64_t, \
                                                 std::int64_t, std::int64_t, const SPACE&, HostTransfers*);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_SPATIAL_METRICS)

}  // namespace gavel::eval
