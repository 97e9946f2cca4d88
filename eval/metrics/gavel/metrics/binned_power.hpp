#pragma once

#include <cstdint>
#include <vector>

#include <Kokkos_Complex.hpp>
#include <Kokkos_Core.hpp>

namespace gavel::eval {

/// The points of a grid grouped by bin, as compressed rows: bin b holds the points
/// points(offsets(b)) … points(offsets(b + 1) − 1) in increasing order. Made on the host (the
/// bins follow the metrics' exact host definitions) and copied once to Memory.
template <class Memory>
struct BinTable {
  Kokkos::View<std::int64_t*, Memory> offsets, points;
  std::int64_t bins = 0;

  /// Memory the table takes.
  static std::int64_t bytes(std::int64_t bins, std::int64_t binned_points) {
    return static_cast<std::int64_t>(sizeof(std::int64_t)) * (bins + 1 + binned_points);
  }
};

/// The table of `bins` bins from each point's bin (a value outside [0, bins) puts it in none).
template <class Memory>
BinTable<Memory> make_bin_table(const std::vector<std::int64_t>& bin_of_point, std::int64_t bins) {
  std::vector<std::int64_t> offsets(static_cast<std::size_t>(bins) + 1, 0);
  for (const auto b : bin_of_point)
    if (b >= 0 && b < bins) ++offsets[static_cast<std::size_t>(b) + 1];
  for (std::size_t b = 0; b < static_cast<std::size_t>(bins); ++b)
    offsets[b + 1] += offsets[b];
  std::vector<std::int64_t> next(offsets.begin(), offsets.end() - 1), points(static_cast<std::size_t>(offsets.back()));
  for (std::size_t p = 0; p < bin_of_point.size(); ++p) {
    const auto b = bin_of_point[p];
    if (b >= 0 && b < bins)
      points[static_cast<std::size_t>(next[static_cast<std::size_t>(b)]++)] = static_cast<std::int64_t>(p);
  }
  BinTable<Memory> table;
  table.bins = bins;
  table.offsets = Kokkos::View<std::int64_t*, Memory>("gavel::bin_offsets", offsets.size());
  table.points = Kokkos::View<std::int64_t*, Memory>("gavel::bin_points", points.size());
  Kokkos::deep_copy(table.offsets,
                    Kokkos::View<const std::int64_t*, Kokkos::HostSpace>(offsets.data(), offsets.size()));
  Kokkos::deep_copy(table.points, Kokkos::View<const std::int64_t*, Kokkos::HostSpace>(points.data(), points.size()));
  return table;
}

/// power(first_row + r, b) = Σ_{p in bin b} |spectra(r·P + p)|² for the `rows` rows of P points
/// in `spectra`, one team per row: a sum over each bin's own points (no atomics), in the same
/// order on every run.
template <class ExecSpace>
void binned_power(const Kokkos::View<const Kokkos::complex<double>*, typename ExecSpace::memory_space>& spectra,
                  std::int64_t rows, std::int64_t points, const BinTable<typename ExecSpace::memory_space>& table,
                  const Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space>& power,
                  std::int64_t first_row, const ExecSpace& exec) {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = typename Policy::member_type;
  const auto offsets = table.offsets;
  const auto members = table.points;
  const std::int64_t bins = table.bins;
  Kokkos::parallel_for(
      "gavel::binned_power", Policy(exec, static_cast<int>(rows), Kokkos::AUTO), KOKKOS_LAMBDA(const Member& team) {
        const std::int64_t row = team.league_rank();
        const Kokkos::complex<double>* spectrum = spectra.data() + row * points;
        for (std::int64_t b = 0; b < bins; ++b) {
          double sum = 0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, offsets(b), offsets(b + 1)),
              [&](const std::int64_t i, double& partial) {
                const Kokkos::complex<double> value = spectrum[members(i)];
                partial += value.real() * value.real() + value.imag() * value.imag();
              },
              sum);
          Kokkos::single(Kokkos::PerTeam(team), [&]() { power(first_row + row, b) = sum; });
        }
      });
}

}  // namespace gavel::eval
