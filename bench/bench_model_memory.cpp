// A checkpoint's memory on the default execution space: Model::parameter_bytes and
// Model::workspace_bytes for a grid and batch sizes, and with --run the process's resident memory
// before and after one forward pass (a check that the estimate covers what really gets touched).
// Run by hand; the table in surrogates/README.md comes from it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/load_model.hpp"

namespace {

double mib(std::size_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

/// A /proc/self/status entry in KiB ("VmRSS:" resident now, "VmHWM:" its peak); 0 where it cannot be read.
long status_kib(const std::string& entry) {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == entry) {
      status >> value;
      return value;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("bench_model_memory: parameter and workspace bytes of a checkpoint");
  std::string dir;
  std::vector<std::int64_t> shape = {128, 128};
  std::vector<std::int64_t> batches = {1};
  bool run = false;
  app.add_option("--model", dir, "folder with model.safetensors and config.json")->required();
  app.add_option("--shape", shape, "spatial extents")->delimiter(',');
  app.add_option("--batch", batches, "batch sizes")->delimiter(',');
  app.add_flag("--run", run,
               "run one forward pass of the largest batch and print the resident memory before and after");
  CLI11_PARSE(app, argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  try {
    using Space = Kokkos::DefaultExecutionSpace;
    const auto model = gavel::surrogates::load_model<Space>(dir);
    std::int64_t points = 1;
    for (auto n : shape)
      points *= n;
    std::printf("%s %d-D, %d -> %d channels: parameters %zu bytes (%.1f MiB)\n", model->architecture().c_str(),
                model->spatial_dims(), model->in_channels(), model->out_channels(), model->parameter_bytes(),
                mib(model->parameter_bytes()));
    std::int64_t largest = 0;
    for (const auto batch : batches) {
      const std::size_t bytes = model->workspace_bytes(batch, shape);
      std::printf("  batch %lld: workspace %zu bytes (%.1f MiB)\n", static_cast<long long>(batch), bytes, mib(bytes));
      largest = std::max(largest, batch);
    }
    if (run) {
      const auto io = [&](int channels) { return static_cast<std::size_t>(largest * channels * points); };
      Kokkos::View<float*, Space::memory_space> in("in", io(model->in_channels()));
      Kokkos::View<float*, Space::memory_space> out("out", io(model->out_channels()));
      Kokkos::deep_copy(in, 0.0f);  // touched, so it is resident before the forward pass
      Kokkos::deep_copy(out, 0.0f);
      const long before = status_kib("VmRSS:");
      model->forward(in, largest, shape, out);
      Space().fence();
      std::printf("  forward of batch %lld: resident %.1f MiB before, %.1f MiB after (peak %.1f MiB)\n",
                  static_cast<long long>(largest), static_cast<double>(before) / 1024.0,
                  static_cast<double>(status_kib("VmRSS:")) / 1024.0,
                  static_cast<double>(status_kib("VmHWM:")) / 1024.0);
    }
  } catch (const gavel::Error& e) {
    std::fprintf(stderr, "bench_model_memory: %s\n", e.what());
    return 1;
  }
  return 0;
}
