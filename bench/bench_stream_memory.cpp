// Peak memory while streaming a large Well file: writes a file of the requested size from a
// synthetic source (frames made on the fly), then iterates every window of it the way an
// evaluation does (read + channels-first model input). Each phase runs in its own process so
// the peak resident set (getrusage ru_maxrss) belongs to that phase alone.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "gavel/datasets/model_input.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "gavel/datasets/windows.hpp"

namespace {

using namespace gavel;
using namespace gavel::datasets;

/// Deterministic frames computed on demand: nothing but the request is ever held in memory.
class SyntheticSource : public FieldSource {
 public:
  SyntheticSource(std::int64_t n, std::int64_t trajectories, std::int64_t steps) {
    info_.dataset_name = "synthetic_stream";
    info_.grid_type = "cartesian";
    info_.n_trajectories = trajectories;
    info_.n_steps = steps;
    info_.spatial_dims = {"x", "y"};
    info_.spatial_shape = {n, n};
    for (int k = 0; k < 2; ++k) {
      std::vector<double> c;
      for (std::int64_t i = 0; i < n; ++i)
        c.push_back((static_cast<double>(i) + 0.5) / static_cast<double>(n));
      info_.coordinates.push_back(c);
    }
    for (std::int64_t t = 0; t < steps; ++t)
      info_.time.push_back(0.01 * static_cast<double>(t));
    info_.boundary = {{BoundaryCondition::periodic, BoundaryCondition::periodic},
                      {BoundaryCondition::periodic, BoundaryCondition::periodic}};
    info_.fields.resize(2);
    info_.fields[0].name = "pressure";
    info_.fields[1].name = "velocity";
    info_.fields[1].order = 1;
    for (auto& f : info_.fields) {
      f.shape = {trajectories, steps, n, n};
      for (int k = 0; k < f.order; ++k)
        f.shape.push_back(2);
    }
  }
  const WellFileInfo& info() const override { return info_; }
  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override {
    const std::int64_t size = frame_size(info_, info_.fields[field]);
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t t = first + i * stride;
      for (std::int64_t v = 0; v < size; ++v)
        out[i * size + v] = static_cast<float>(std::sin(0.001 * static_cast<double>(v) + 0.1 * static_cast<double>(t) +
                                                        static_cast<double>(trajectory + field)));
    }
  }
  void read_constant(std::size_t, std::int64_t, float*) const override {}

 private:
  WellFileInfo info_;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void write_phase(const std::string& path, double gigabytes, std::int64_t n) {
  const double bytes_per_step = static_cast<double>(n * n * 3 * 4);
  const std::int64_t steps = 100;
  const auto trajectories =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(gigabytes * 1e9 / (bytes_per_step * steps))));
  const SyntheticSource source(n, trajectories, steps);
  const auto start = std::chrono::steady_clock::now();
  WellWriteOptions options;
  options.overwrite = true;
  write_well_file(path, source, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "write: %s, %lld trajectories x %lld steps of %lldx%lld (3 channels), %.2f GB on disk, %.1f s, "
      "peak RSS %.1f MiB\n",
      path.c_str(), static_cast<long long>(trajectories), static_cast<long long>(steps), static_cast<long long>(n),
      static_cast<long long>(n), static_cast<double>(std::filesystem::file_size(path)) / 1e9, seconds, peak_rss_mib());
}

void windows_phase(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const WindowedDataset windows = WindowedDataset::open({path}, WindowSpec{});
  Window w;
  ModelInput m;
  double checksum = 0;
  for (std::int64_t i = 0; i < windows.size(); ++i) {
    windows.read(i, w);
    format_channels_first(windows, w, m);
    checksum += static_cast<double>(m.x[static_cast<std::size_t>(i) % m.x.size()]);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "windows: %lld windows (4 in, 1 out) of %.2f GB, %.1f s, %.2f GB/s of window data, "
      "peak RSS %.1f MiB (checksum %.6g)\n",
      static_cast<long long>(windows.size()), static_cast<double>(std::filesystem::file_size(path)) / 1e9, seconds,
      static_cast<double>(windows.size()) * 5 * static_cast<double>(windows.points()) * 3 * 4 / 1e9 / seconds,
      peak_rss_mib(), checksum);
}

/// Runs `phase` in a child process so its peak RSS is its own.
int in_child(const std::function<void()>& phase) {
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    try {
      phase();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_stream_memory: %s\n", e.what());
      _exit(1);
    }
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Peak memory while writing and windowing a large Well file (results: bench/README.md)."};
  std::string path = "stream_bench.hdf5";
  double gigabytes = 2.2;
  std::int64_t n = 256;
  bool keep = false;
  app.add_option("--file", path, "file to write and read (created; removed afterwards unless --keep)");
  app.add_option("--gigabytes", gigabytes, "size of the file to write");
  app.add_option("--size", n, "grid points per axis (square 2-D grid, pressure + velocity)");
  app.add_flag("--keep", keep, "keep the file");
  CLI11_PARSE(app, argc, argv);
  std::printf("baseline: peak RSS of this process before any work %.1f MiB\n", peak_rss_mib());
  int status = in_child([&] { write_phase(path, gigabytes, n); });
  if (status == 0) status = in_child([&] { windows_phase(path); });
  if (!keep) std::filesystem::remove(path);
  return status;
}
