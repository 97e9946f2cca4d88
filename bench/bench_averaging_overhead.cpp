// What group averaging costs beyond the model: f_G runs the |G| transformed copies of a batch
// through model calls of k elements each (--elements-per-call; all |G| in one call by default),
// so its time is model time (|G|·B samples) plus the transforms in, the fused inverse-and-average
// out and, with several calls, the weighted accumulation of each chunk's average. This bench times both on the default
// execution space for a checkpoint (random inputs at the checkpoint's resolution or --shape), median over repeats, and
// prints the overhead fraction (target: ≤ 3 % of model time). Run by hand; bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/averaged_model.hpp"
#include "gavel/eval/timed_model.hpp"
#include "gavel/surrogates/load_model.hpp"
#include "gavel/surrogates/model_config.hpp"

namespace {

using Exec = Kokkos::DefaultExecutionSpace;
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void run(const std::string& dir, std::vector<std::int64_t> shape, std::int64_t batch, std::size_t per_call,
         int repeats) {
  if (shape.empty()) shape = gavel::surrogates::ModelConfig::read(dir + "/config.json").integers("spatial_resolution");
  auto timed = std::make_shared<gavel::eval::TimedModel<Exec>>(gavel::surrogates::load_model<Exec>(dir));
  const int ndim = static_cast<int>(shape.size());
  const gavel::Grid grid(shape);
  const auto elements = gavel::admissible_group(grid).elements();
  // Channels as plain scalars: the kernels' cost does not depend on the field kinds.
  const gavel::ChannelLayout input(ndim, {{"u", gavel::FieldKind::scalar}}, timed->in_channels());
  const gavel::ChannelLayout output(ndim, {{"u", gavel::FieldKind::scalar}}, timed->out_channels());
  gavel::eval::AveragedModel<Exec> averaged(timed, grid, input, output, elements);
  averaged.set_elements_per_call(per_call > 0 ? per_call : elements.size());
  std::int64_t points = 1;
  for (const auto n : shape)
    points *= n;
  Kokkos::View<float*, Exec::memory_space> x("x", static_cast<std::size_t>(batch * timed->in_channels() * points)),
      y("y", static_cast<std::size_t>(batch * timed->out_channels() * points));
  {
    auto h = Kokkos::create_mirror_view(x);
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    for (std::size_t i = 0; i < h.extent(0); ++i)
      h(i) = normal(rng);
    Kokkos::deep_copy(x, h);
  }
  averaged.forward(x, batch, shape, y);  // warm-up: buffers, plans
  Exec().fence();
  std::vector<double> total, model, overhead;
  for (int r = 0; r < repeats; ++r) {
    const double model_before = timed->seconds();
    const auto start = Clock::now();
    averaged.forward(x, batch, shape, y);
    Exec().fence();
    const double t = std::chrono::duration<double>(Clock::now() - start).count();
    const double m = timed->seconds() - model_before;
    total.push_back(t);
    model.push_back(m);
    overhead.push_back((t - m) / m);
  }
  std::string shape_text;
  for (const auto n : shape)
    shape_text += (shape_text.empty() ? "" : "x") + std::to_string(n);
  std::printf("%s  %s  %s  |G|=%zu  batch %lld, %zu model calls of %lld samples  space %s (%d threads)\n", dir.c_str(),
              timed->architecture().c_str(), shape_text.c_str(), elements.size(), static_cast<long long>(batch),
              averaged.calls_per_forward(),
              static_cast<long long>(batch * static_cast<std::int64_t>(averaged.elements_per_call())), Exec::name(),
              Exec().concurrency());
  std::printf("  median over %d: averaged forward %.4f s, model %.4f s, transforms+average %.5f s, overhead %.2f %%\n",
              repeats, median(total), median(model), median(total) - median(model), 100 * median(overhead));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Overhead of group averaging over the model alone (bench/README.md)"};
  std::vector<std::string> models;
  std::vector<std::int64_t> shape;
  std::int64_t batch = 8;
  int repeats = 5;
  std::vector<std::size_t> per_call = {0};
  app.add_option("models", models, "checkpoint folders")->required();
  app.add_option("--shape", shape, "grid (default: the checkpoint's spatial_resolution)")->delimiter(',');
  app.add_option("--batch", batch, "samples per averaged call")->capture_default_str();
  app.add_option("--repeats", repeats, "timed repeats")->capture_default_str();
  app.add_option("--elements-per-call", per_call, "group elements per model call, a list (0: all |G| in one call)")
      ->delimiter(',')
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  try {
    for (const auto& m : models)
      for (const auto k : per_call)
        run(m, shape, batch, k, repeats);
  } catch (const gavel::Error& e) {
    std::fprintf(stderr, "bench_averaging_overhead: %s\n", e.what());
    return 1;
  }
  return 0;
}
