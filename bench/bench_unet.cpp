// Forward time of a UNetClassic or UNetConvNext checkpoint (model.safetensors + config.json) on
// the default execution space and on the host's serial space: median over repeats after one
// warm-up, random N(0,1)-ish input. Run by hand; see bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/unet_classic.hpp"
#include "gavel/surrogates/unet_convnext.hpp"

namespace {

template <class Space>
std::unique_ptr<gavel::surrogates::Model<Space>> load(const std::string& dir) {
  const auto config = gavel::surrogates::ModelConfig::read(dir + "/config.json");
  const gavel::surrogates::SafetensorsFile file(dir + "/model.safetensors");
  if (config.has("stages")) return std::make_unique<gavel::surrogates::UNetConvNext<Space>>(config, file);
  return std::make_unique<gavel::surrogates::UNetClassic<Space>>(config, file);
}

template <class Space>
void run(const std::string& dir, const std::vector<std::int64_t>& shape, std::int64_t batch, int repeats) {
  auto model = load<Space>(dir);
  std::int64_t points = 1;
  for (auto n : shape)
    points *= n;
  Kokkos::View<float*, typename Space::memory_space> in(
      "in", static_cast<std::size_t>(batch * model->in_channels() * points));
  Kokkos::View<float*, typename Space::memory_space> out(
      "out", static_cast<std::size_t>(batch * model->out_channels() * points));
  auto host = Kokkos::create_mirror_view(in);
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  for (std::size_t i = 0; i < host.extent(0); ++i)
    host(i) = normal(rng);
  Kokkos::deep_copy(in, host);
  const Space exec;
  model->forward(in, batch, shape, out, exec);
  exec.fence();
  std::vector<double> t, cpu;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    model->forward(in, batch, shape, out, exec);
    exec.fence();
    cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "%-14s %-8s batch %3lld: %9.1f ms per forward (process CPU time %9.1f ms), %8.2f samples/s (median of %d)\n",
      model->architecture().c_str(), Space::name(), static_cast<long long>(batch), t[t.size() / 2] * 1e3,
      cpu[cpu.size() / 2] * 1e3, static_cast<double>(batch) / t[t.size() / 2], repeats);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("bench_unet: forward time of a U-Net checkpoint");
  std::string dir;
  std::vector<std::int64_t> shape = {128, 128};
  std::int64_t batch = 1;
  int repeats = 5;
  bool serial = false;
  app.add_option("--model", dir, "folder with model.safetensors and config.json")->required();
  app.add_option("--shape", shape, "spatial extents")->delimiter(',');
  app.add_option("--batch", batch, "batch size");
  app.add_option("--repeats", repeats, "timed runs");
  app.add_flag("--serial", serial, "also time the serial host space");
  CLI11_PARSE(app, argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  try {
    run<Kokkos::DefaultExecutionSpace>(dir, shape, batch, repeats);
#if defined(KOKKOS_ENABLE_SERIAL)
    if (serial) run<Kokkos::Serial>(dir, shape, batch, repeats);
#endif
  } catch (const gavel::Error& e) {
    std::fprintf(stderr, "bench_unet: %s\n", e.what());
    return 1;
  }
  return 0;
}
