// Bandwidth of the symmetry kernels next to a plain copy of the same bytes on the same execution
// space: every element of D4 on (64, 4, 256²) and of O_h on (8, 4, 64³), single element, whole
// group batched, and the fused inverse-accumulate. Each kernel run is paired with a copy run
// (Kokkos::deep_copy) right before it; the table gives median times and the median of the
// per-pair bandwidth ratios, so slow drifts of a shared machine cancel out.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/group_action.hpp"

namespace {

using Space = Kokkos::DefaultExecutionSpace;
using View = Kokkos::View<float*, Space::memory_space>;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class Body>
double seconds(const Body& body) {
  const auto start = std::chrono::steady_clock::now();
  body();
  Kokkos::fence();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Pairing {
  double kernel_s;
  double copy_s;
  double ratio;  ///< kernel bandwidth / copy bandwidth, median over pairs
};

/// Runs copy then kernel `repeats` times (after one warm-up each).
template <class Kernel, class Copy>
Pairing paired(int repeats, double kernel_bytes, double copy_bytes, const Kernel& kernel, const Copy& copy) {
  copy();
  kernel();
  Kokkos::fence();
  std::vector<double> k, c, r;
  for (int i = 0; i < repeats; ++i) {
    c.push_back(seconds(copy));
    k.push_back(seconds(kernel));
    r.push_back((kernel_bytes / k.back()) / (copy_bytes / c.back()));
  }
  return {median(k), median(c), median(r)};
}

void run_shape(const gavel::Grid& grid, std::int64_t batch, int channels, int repeats, gavel::StorePolicy stores) {
  const gavel::Group group = gavel::admissible_group(grid);
  const gavel::ChannelLayout layout(grid.ndim(), {{"u", gavel::FieldKind::scalar}}, channels);
  const gavel::GroupAction<Space> action(grid, layout, group.elements(), gavel::KernelVariant::automatic, stores);
  const std::int64_t n = action.batch_size(batch);
  const auto order = static_cast<std::int64_t>(group.order());
  const std::string shape = "B=" + std::to_string(batch) + " C=" + std::to_string(channels) + " " + grid.shape_string();

  View in(Kokkos::view_alloc(Kokkos::WithoutInitializing, "in"), n);
  View out(Kokkos::view_alloc(Kokkos::WithoutInitializing, "out"), n);
  View copy_out(Kokkos::view_alloc(Kokkos::WithoutInitializing, "copy_out"), n);
  View all(Kokkos::view_alloc(Kokkos::WithoutInitializing, "all"), n * order);
  View big(Kokkos::view_alloc(Kokkos::WithoutInitializing, "big"), n * order);
  Kokkos::deep_copy(in, 1.0f);
  Kokkos::deep_copy(out, 0.0f);
  Kokkos::deep_copy(copy_out, 0.0f);
  Kokkos::deep_copy(all, 1.0f);
  Kokkos::deep_copy(big, 2.0f);

  const double bytes = 2.0 * static_cast<double>(n) * sizeof(float);
  const auto copy = [&] { Kokkos::deep_copy(copy_out, in); };
  std::vector<std::pair<double, std::string>> ratios;
  for (std::size_t e = 0; e < group.order(); ++e) {
    const Pairing p = paired(
        repeats, bytes, bytes, [&] { action.apply<float>(e, in, batch, out); }, copy);
    ratios.emplace_back(p.ratio, gavel::element_name(group.element(e)));
    if (grid.ndim() == 2)
      std::printf("| %s | apply %s | %.2f | %.1f | %.1f | %.0f %% |\n", shape.c_str(), ratios.back().second.c_str(),
                  p.kernel_s * 1e3, bytes / p.kernel_s / 1e9, bytes / p.copy_s / 1e9, 100.0 * p.ratio);
  }
  std::sort(ratios.begin(), ratios.end());
  std::printf(
      "| %s | apply, each of the %zu elements: min / median / max of copy (worst: %s, %s) | | | | %.0f / %.0f / %.0f "
      "%% |\n",
      shape.c_str(), group.order(), ratios[0].second.c_str(), ratios[1].second.c_str(), 100 * ratios.front().first,
      100 * ratios[ratios.size() / 2].first, 100 * ratios.back().first);

  const double group_bytes = 2.0 * static_cast<double>(n * order) * sizeof(float);
  const auto group_copy = [&] { Kokkos::deep_copy(big, all); };
  const Pairing p_all = paired(
      repeats, group_bytes, group_bytes, [&] { action.apply_all<float>(in, batch, all); }, group_copy);
  std::printf("| %s | apply_all, all %lld elements | %.2f | %.1f | %.1f | %.0f %% |\n", shape.c_str(),
              static_cast<long long>(order), p_all.kernel_s * 1e3, group_bytes / p_all.kernel_s / 1e9,
              group_bytes / p_all.copy_s / 1e9, 100.0 * p_all.ratio);
  // The fused average mostly reads; a plain read of the same |G| batches shows how close to the
  // machine's read bandwidth it runs (reads alone reach well under a copy's read + write).
  const double read_bytes = static_cast<double>(n * order) * sizeof(float);
  const auto read_all = [&] {
    std::uint32_t checksum = 0;
    const float* values = big.data();
    const std::int64_t total = n * order;
    // On the host, one iteration sums a block of values converted to integers: wrapping integer
    // sums may be reordered, so the inner loop vectorises (a float sum would be one long
    // dependency chain). On a device, one value per iteration keeps the loads coalesced.
    constexpr std::int64_t block =
        Kokkos::SpaceAccessibility<Kokkos::HostSpace, Space::memory_space>::accessible ? 4096 : 1;
    Kokkos::parallel_reduce(
        "bench::read", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, (total + block - 1) / block),
        KOKKOS_LAMBDA(const std::int64_t b, std::uint32_t& acc) {
          const std::int64_t end = (b + 1) * block < total ? (b + 1) * block : total;
          std::uint32_t sum = 0;
          for (std::int64_t i = b * block; i < end; ++i)
            sum += static_cast<std::uint32_t>(values[i]);  // the inputs are small and positive
          acc += sum;
        },
        checksum);
    if (checksum == 1) std::printf(" ");  // keeps the reduction
  };
  const Pairing p_read = paired(repeats, read_bytes, group_bytes, read_all, group_copy);
  std::printf(
      "| %s | plain read of the %lld batches (reference for average_inverse) | %.2f | %.1f | %.1f | %.0f %% |\n",
      shape.c_str(), static_cast<long long>(order), p_read.kernel_s * 1e3, read_bytes / p_read.kernel_s / 1e9,
      group_bytes / p_read.copy_s / 1e9, 100.0 * p_read.ratio);
  const double avg_bytes = static_cast<double>(n * order + n) * sizeof(float);
  const Pairing p_avg = paired(
      repeats, avg_bytes, group_bytes, [&] { action.average_inverse<float>(big, batch, out); }, group_copy);
  std::printf("| %s | average_inverse (fused), %lld elements | %.2f | %.1f | %.1f | %.0f %% |\n", shape.c_str(),
              static_cast<long long>(order), p_avg.kernel_s * 1e3, avg_bytes / p_avg.kernel_s / 1e9,
              group_bytes / p_avg.copy_s / 1e9, 100.0 * p_avg.ratio);
}

}  // namespace

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  CLI::App app{"Bandwidth of gavel's symmetry kernels vs a plain copy"};
  int repeats = 9;
  bool quick = false;
  std::string stores = "automatic";
  app.add_option("--repeats", repeats, "Timed (copy, kernel) pairs per kernel; medians are reported")
      ->check(CLI::PositiveNumber);
  app.add_flag("--quick", quick, "Smaller shapes, for a smoke run");
  app.add_option("--stores", stores, "Host store policy: automatic, cached or streaming")
      ->check(CLI::IsMember({"automatic", "cached", "streaming"}));
  app.allow_extras();
  CLI11_PARSE(app, argc, argv);
  const auto policy = stores == "cached"      ? gavel::StorePolicy::cached
                      : stores == "streaming" ? gavel::StorePolicy::streaming
                                              : gavel::StorePolicy::automatic;
  std::printf("execution space: %s, concurrency %d, store policy: %s\n\n", Space::name(), Space().concurrency(),
              stores.c_str());
  std::printf("| shape | kernel | median ms | GB/s | copy GB/s | of copy |\n|---|---|---|---|---|---|\n");
  run_shape(gavel::Grid({256, 256}), quick ? 4 : 64, 4, repeats, policy);
  run_shape(gavel::Grid({64, 64, 64}), quick ? 1 : 8, 4, repeats, policy);
  return 0;
}
