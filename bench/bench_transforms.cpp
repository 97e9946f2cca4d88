// Bandwidth of the symmetry kernels next to a plain copy of the same bytes on the same
// execution space: every element of D4 on (64, 4, 256²) and of O_h on (8, 4, 64³), single
// element, whole group batched, and the fused inverse-accumulate. Prints a Markdown table.
#include <algorithm>
#include <chrono>
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

template <class Body>
double median_seconds(int repeats, const Body& body) {
  body();  // warm-up: first touch, caches, JIT of nothing
  Kokkos::fence();
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    body();
    Kokkos::fence();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

struct CopyKernel {
  View::const_type in;
  View out;
  KOKKOS_FUNCTION void operator()(const std::int64_t i) const { out(i) = in(i); }
};

void print_row(const std::string& shape, const std::string& what, double bytes, double seconds, double copy_gbps) {
  const double gbps = bytes / seconds / 1e9;
  std::printf("| %s | %s | %.3f | %.1f | %.0f %% |\n", shape.c_str(), what.c_str(), seconds * 1e3, gbps,
              100.0 * gbps / copy_gbps);
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
  View all(Kokkos::view_alloc(Kokkos::WithoutInitializing, "all"), n * order);
  View big(Kokkos::view_alloc(Kokkos::WithoutInitializing, "big"), n * order);
  Kokkos::deep_copy(in, 1.0f);
  Kokkos::deep_copy(all, 1.0f);
  Kokkos::deep_copy(big, 2.0f);

  const double bytes = 2.0 * static_cast<double>(n) * sizeof(float);
  const double t_deep = median_seconds(repeats, [&] { Kokkos::deep_copy(out, in); });
  const double t_kernel = median_seconds(repeats, [&] {
    Kokkos::parallel_for("copy", Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, n),
                         CopyKernel{in, out});
  });
  const double t_copy = std::min(t_deep, t_kernel);
  const double copy_gbps = bytes / t_copy / 1e9;
  print_row(shape, "copy: Kokkos::deep_copy", bytes, t_deep, copy_gbps);
  print_row(shape, "copy: RangePolicy kernel", bytes, t_kernel, copy_gbps);

  std::vector<double> ratios;
  for (std::size_t e = 0; e < group.order(); ++e) {
    const double t = median_seconds(repeats, [&] { action.apply<float>(e, in, batch, out); });
    ratios.push_back(bytes / t / 1e9 / copy_gbps);
    if (grid.ndim() == 2 || e < 4 || e + 1 == group.order())
      print_row(shape, "apply " + gavel::element_name(group.element(e)), bytes, t, copy_gbps);
  }
  std::sort(ratios.begin(), ratios.end());
  std::printf("| %s | apply, all %zu elements: min / median of copy | | | %.0f %% / %.0f %% |\n", shape.c_str(),
              group.order(), 100 * ratios.front(), 100 * ratios[ratios.size() / 2]);

  const double group_bytes = 2.0 * static_cast<double>(n * order) * sizeof(float);
  const double t_copy_group = median_seconds(repeats, [&] { Kokkos::deep_copy(big, all); });
  const double group_copy_gbps = group_bytes / t_copy_group / 1e9;
  print_row(shape, "copy of the |G|-sized batch", group_bytes, t_copy_group, group_copy_gbps);
  const double t_all = median_seconds(repeats, [&] { action.apply_all<float>(in, batch, all); });
  print_row(shape, "apply_all (|G| = " + std::to_string(order) + ")", group_bytes, t_all, group_copy_gbps);
  const double avg_bytes = static_cast<double>(n * order + n) * sizeof(float);
  const double t_avg = median_seconds(repeats, [&] { action.average_inverse<float>(big, batch, out); });
  print_row(shape, "average_inverse (fused)", avg_bytes, t_avg, group_copy_gbps);
}

}  // namespace

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  CLI::App app{"Bandwidth of gavel's symmetry kernels vs a plain copy"};
  int repeats = 9;
  bool quick = false;
  std::string stores = "automatic";
  app.add_option("--repeats", repeats, "Timed repetitions per kernel (median reported)");
  app.add_flag("--quick", quick, "Smaller shapes, for a smoke run");
  app.add_option("--stores", stores, "Host store policy: automatic, cached or streaming")
      ->check(CLI::IsMember({"automatic", "cached", "streaming"}));
  app.allow_extras();
  CLI11_PARSE(app, argc, argv);
  std::printf("execution space: %s, concurrency %d\n", Space::name(), Space().concurrency());
  std::printf("| shape | kernel | median ms | GB/s | of copy |\n|---|---|---|---|---|\n");
  const auto policy = stores == "cached"      ? gavel::StorePolicy::cached
                      : stores == "streaming" ? gavel::StorePolicy::streaming
                                              : gavel::StorePolicy::automatic;
  std::printf("store policy: %s\n\n", stores.c_str());
  run_shape(gavel::Grid({256, 256}), quick ? 4 : 64, 4, repeats, policy);
  run_shape(gavel::Grid({64, 64, 64}), quick ? 1 : 8, 4, repeats, policy);
  return 0;
}
