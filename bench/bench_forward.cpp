// Forward pass of a checkpoint (model.safetensors + config.json, any native family) on the
// default execution space, driven one repetition at a time over stdin so that a second process
// (tools/bench_forward_torch.py) can interleave its own repetitions with ours. Protocol, one line
// each way:
//   start-up: load the model, read --input (raw float32, (B, C_in, *space)), run one forward
//             (warm-up), compare with --reference (raw float32, (B, C_out, *space)) when given and
//             print `check rel_l2 <value>`, then `ready`.
//   `run`   → one forward, fenced, printed as `time <wall seconds> <process CPU seconds>` (steady
//             clock; CPU time of all threads).
//   `quit`  → `rss_kib <peak resident set of this process (VmHWM)>`, exit.
// Run by hand through bench/run_forward_bench.sh; see bench/README.md.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/load_model.hpp"

namespace {

using Space = Kokkos::DefaultExecutionSpace;
using HostView = Kokkos::View<float*, Kokkos::HostSpace>;

HostView read_raw(const std::string& path, std::size_t count) {
  HostView v(Kokkos::view_alloc(Kokkos::WithoutInitializing, "raw"), count);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw gavel::Error("bench_forward: cannot open " + path);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(float)));
  if (f.gcount() != static_cast<std::streamsize>(count * sizeof(float)) || f.peek() != EOF)
    throw gavel::Error("bench_forward: " + path + " does not hold exactly " + std::to_string(count) +
                       " float32 values");
  return v;
}

// CPU time of the whole process (all threads), seconds.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// VmHWM of this process; unlike getrusage's ru_maxrss it starts afresh at exec, so it does not
// include the peak of the parent that spawned us.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmHWM:") {
      status >> value;
      return value;
    }
    status.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

int run(const std::string& dir, const std::vector<std::int64_t>& shape, std::int64_t batch, const std::string& input,
        const std::string& reference) {
  const auto model = gavel::surrogates::load_model<Space>(dir);
  std::int64_t points = 1;
  for (auto n : shape)
    points *= n;
  const auto in_count = static_cast<std::size_t>(batch * model->in_channels() * points);
  const auto out_count = static_cast<std::size_t>(batch * model->out_channels() * points);
  Kokkos::View<float*, Space::memory_space> in("in", in_count), out("out", out_count);
  {
    const auto host_in = read_raw(input, in_count);
    Kokkos::deep_copy(in, host_in);
  }
  const Space exec;
  model->forward(in, batch, shape, out, exec);
  exec.fence();
  if (!reference.empty()) {
    const auto ref = read_raw(reference, out_count);
    const auto got = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
    double diff = 0.0, norm = 0.0;
    for (std::size_t i = 0; i < out_count; ++i) {
      const double d = static_cast<double>(got(i)) - static_cast<double>(ref(i));
      diff += d * d;
      norm += static_cast<double>(ref(i)) * static_cast<double>(ref(i));
    }
    std::printf("check rel_l2 %.3e\n", norm > 0.0 ? std::sqrt(diff / norm) : std::sqrt(diff));
  }
  std::printf("ready %s\n", model->architecture().c_str());
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line == "run") {
      const double cpu_start = cpu_seconds();
      const auto start = std::chrono::steady_clock::now();
      model->forward(in, batch, shape, out, exec);
      exec.fence();
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("time %.6f %.6f\n", wall, cpu_seconds() - cpu_start);
    } else if (line == "quit") {
      break;
    } else {
      std::printf("error unknown command '%s'\n", line.c_str());
    }
    std::fflush(stdout);
  }
  std::printf("rss_kib %ld\n", peak_rss_kib());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("bench_forward: forward passes of a checkpoint, one per `run` line on stdin");
  std::string dir, input, reference;
  std::vector<std::int64_t> shape;
  std::int64_t batch = 1;
  app.add_option("--model", dir, "folder with model.safetensors and config.json")->required();
  app.add_option("--shape", shape, "spatial extents, e.g. 128,128")->delimiter(',')->required();
  app.add_option("--batch", batch, "batch size")->required();
  app.add_option("--input", input, "raw float32 input (B, C_in, *space)")->required();
  app.add_option("--reference", reference, "raw float32 reference output (B, C_out, *space) to compare with");
  CLI11_PARSE(app, argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  try {
    return run(dir, shape, batch, input, reference);
  } catch (const gavel::Error& e) {
    std::fprintf(stderr, "bench_forward: %s\n", e.what());
    return 1;
  }
}
