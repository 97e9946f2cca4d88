#include "gavel/metrics/field_reductions.hpp"

#include <cmath>
#include <limits>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"

namespace gavel::eval {

template <class ExecSpace>
std::vector<double> relative_l2_per_field(const Kokkos::View<const float*, typename ExecSpace::memory_space>& a,
                                          const Kokkos::View<const float*, typename ExecSpace::memory_space>& b,
                                          const Kokkos::View<const float*, typename ExecSpace::memory_space>& reference,
                                          std::int64_t samples, std::int64_t channels, std::int64_t points,
                                          const std::vector<std::pair<std::int64_t, std::int64_t>>& fields,
                                          const ExecSpace& space, HostTransfers* transfers) {
  const std::int64_t values = samples * channels * points;
  if (static_cast<std::int64_t>(a.extent(0)) < values || static_cast<std::int64_t>(b.extent(0)) < values ||
      static_cast<std::int64_t>(reference.extent(0)) < values)
    throw Error("relative L2: the views hold fewer than " + std::to_string(values) + " values");
  using Memory = typename ExecSpace::memory_space;
  const auto nfields = static_cast<std::int64_t>(fields.size());
  Kokkos::View<std::int64_t**, Kokkos::LayoutRight, Memory> ranges("field ranges", fields.size(), 2);
  auto host_ranges = Kokkos::create_mirror_view(ranges);
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].first < 0 || fields[f].second < 1 || fields[f].first + fields[f].second > channels)
      throw Error("relative L2: field channels out of range");
    host_ranges(f, 0) = fields[f].first;
    host_ranges(f, 1) = fields[f].second;
  }
  Kokkos::deep_copy(ranges, host_ranges);
  // Two sums per (sample, field): ‖a − b‖² and ‖reference‖², one team each.
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> sums("relative L2 sums",
                                                           static_cast<std::size_t>(samples * nfields), 2);
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  Kokkos::parallel_for(
      "gavel::relative_l2_per_field", Policy(space, static_cast<int>(samples * nfields), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Member& team) {
        const std::int64_t row = team.league_rank();
        const std::int64_t s = row / nfields, f = row % nfields;
        const std::int64_t begin = (s * channels + ranges(f, 0)) * points, n = ranges(f, 1) * points;
        const float* pa = a.data() + begin;
        const float* pb = b.data() + begin;
        const float* pr = reference.data() + begin;
        double num = 0, den = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n),
            [&](const std::int64_t i, double& v) {
              const double d = static_cast<double>(pa[i]) - static_cast<double>(pb[i]);
              v += d * d;
            },
            num);
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n),
            [&](const std::int64_t i, double& v) { v += static_cast<double>(pr[i]) * static_cast<double>(pr[i]); },
            den);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          sums(row, 0) = num;
          sums(row, 1) = den;
        });
      });
  const auto host = copy_to_host(sums, transfers);
  std::vector<double> out(static_cast<std::size_t>(samples * nfields));
  for (std::size_t r = 0; r < out.size(); ++r) {
    const double num = host(r, 0), den = host(r, 1);
    if (std::isnan(num) || std::isnan(den))
      out[r] = std::numeric_limits<double>::quiet_NaN();
    else if (den > 0)
      out[r] = std::sqrt(num / den);
    else
      out[r] = num > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return out;
}

#define GAVEL_INSTANTIATE_RELATIVE_L2(SPACE)                                                                          \
  template std::vector<double> relative_l2_per_field<SPACE>(                                                          \
      const Kokkos::View<const float*, SPACE::memory_space>&, const Kokkos::View<const float*, SPACE::memory_space>&, \
      const Kokkos::View<const float*, SPACE::memory_space>&, std::int64_t, std::int64_t, std::int64_t,               \
      const std::vector<std::pair<std::int64_t, std::int64_t>>&, const SPACE&, HostTransfers*);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_RELATIVE_L2)

}  // namespace gavel::eval
