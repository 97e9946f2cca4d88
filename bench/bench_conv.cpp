// GFLOP/s of gavel's dense 3×3 convolution (zero padding 1, no bias) at the layer shapes of The
// Well's UNetClassic (48 features; 44 → 48 at 256² is its first layer on 11-field data), on the
// default execution space: median wall and process CPU time over repeats after one warm-up.
// FLOPs counted as 2 · B · C_out · C_in · 9 · points. Run by hand; see bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/convolution.hpp"

namespace {

struct LayerShape {
  std::int64_t in_channels, out_channels, size;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void time_layer(const LayerShape& shape, std::int64_t batch, int repeats) {
  using namespace gavel::surrogates::layers;
  using Space = Kokkos::DefaultExecutionSpace;
  ConvolutionSpec spec;
  spec.ndim = 2;
  spec.in_channels = shape.in_channels;
  spec.out_channels = shape.out_channels;
  spec.kernel = 3;
  spec.padding = 1;
  std::vector<float> weight(static_cast<std::size_t>(shape.out_channels * shape.in_channels * 9));
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  for (auto& w : weight)
    w = normal(rng);
  Convolution<Space> conv(spec, weight, {});
  const std::int64_t points = shape.size * shape.size;
  Kokkos::View<float*, Space::memory_space> in("in", static_cast<std::size_t>(batch * shape.in_channels * points));
  Kokkos::View<float*, Space::memory_space> out("out", static_cast<std::size_t>(batch * shape.out_channels * points));
  Kokkos::deep_copy(in, 0.5f);
  const std::vector<std::int64_t> space = {shape.size, shape.size};
  const auto input = make_tensor<const float>(in.data(), batch, shape.in_channels, space);
  const auto output = make_tensor<float>(out.data(), batch, shape.out_channels, space);
  const Space exec;
  conv.forward(exec, input, output);
  exec.fence();
  std::vector<double> wall, cpu;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    conv.forward(exec, input, output);
    exec.fence();
    cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const double flops = 2.0 * static_cast<double>(batch * shape.out_channels * shape.in_channels * 9 * points);
  const double w = median(wall), c = median(cpu);
  std::printf("| %ld -> %ld | %ldx%ld | %ld | %.4f | %.1f | %.4f | %.1f |\n", static_cast<long>(shape.in_channels),
              static_cast<long>(shape.out_channels), static_cast<long>(shape.size), static_cast<long>(shape.size),
              static_cast<long>(batch), w, flops / w * 1e-9, c, flops / c * 1e-9);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_conv: GFLOP/s of the dense 3x3 convolution at UNetClassic's layer shapes"};
  std::int64_t batch = 8;
  int repeats = 5;
  app.add_option("--batch", batch, "batch size")->check(CLI::PositiveNumber);
  app.add_option("--repeats", repeats, "timed runs per layer")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  Kokkos::initialize(argc, argv);
  {
    std::printf("| layer | map | batch | wall s | GFLOP/s | CPU s | GFLOP/CPU-s |\n|---|---|---|---|---|---|---|\n");
    const std::vector<LayerShape> shapes = {{44, 48, 256},  {48, 48, 256},  {96, 96, 128},
                                            {192, 192, 64}, {384, 384, 32}, {768, 768, 16}};
    for (const auto& shape : shapes)
      time_layer(shape, batch, repeats);
  }
  Kokkos::finalize();
  return 0;
}
