#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/datasets/generators/navier_stokes_2d.hpp"
#include "gavel/datasets/output_kinds.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_stats.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "kokkos_session.hpp"

namespace gavel::app {
namespace {

namespace fs = std::filesystem;

struct GenerateOptions {
  std::string out;
  bool overwrite = false;
  std::string trajectories = "6,2,2";
  datasets::NavierStokes2dRun run;  ///< its defaults are the bundled dataset's
};

const char* const kSplits[] = {"train", "valid", "test"};

/// Values held in memory per file at most; larger splits are cut into several files.
constexpr std::int64_t kFileValues = std::int64_t{1} << 27;

/// "6,2,2" → {6, 2, 2}: train at least 1, valid and test at least 0.
std::vector<std::int64_t> parse_counts(const std::string& text) {
  std::vector<std::int64_t> counts;
  std::stringstream in(text);
  std::string item;
  const std::string bad = "--trajectories '" + text + "': expected three counts train,valid,test such as 6,2,2";
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    long long value = -1;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception&) {
      throw Error(bad);
    }
    if (used != item.size() || value < 0 || value > 100000) throw Error(bad);
    counts.push_back(value);
  }
  if (counts.size() != 3 || text.back() == ',') throw Error(bad);
  if (counts[0] < 1) throw Error("--trajectories '" + text + "': the train split needs at least one trajectory");
  return counts;
}

void generate(const GenerateOptions& options) {
  const datasets::NavierStokes2dRun& run = options.run;
  run.validate();
  if (run.steps > 100000) throw Error("--steps " + std::to_string(run.steps) + ": at most 100000 saved steps");
  const std::vector<std::int64_t> counts = parse_counts(options.trajectories);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(options.out, ec)) && !options.overwrite)
    throw Error(options.out +
                ": already exists (refusing to overwrite; pass --overwrite to replace a dataset "
                "folder gavel generated)");
  // Checked, locked and its temporary created before any work.
  AtomicOutput output(options.out, datasets::dataset_folder_output(), {options.overwrite, false, {}});

  ensure_kokkos();
  const auto start = std::chrono::steady_clock::now();
  const fs::path root(output.temporary());
  const std::int64_t values_per_trajectory = run.steps * run.solver.n * run.solver.n * 3;
  const std::int64_t per_file = std::max<std::int64_t>(1, kFileValues / values_per_trajectory);
  std::vector<std::string> train_files;
  fs::create_directory(root / "data");
  for (std::size_t s = 0; s < 3; ++s) {
    const std::int64_t count = counts[s];
    if (count == 0) continue;
    const fs::path folder = root / "data" / kSplits[s];
    fs::create_directories(folder);
    const std::int64_t files = (count + per_file - 1) / per_file;
    for (std::int64_t f = 0; f < files; ++f) {
      const std::int64_t first = f * per_file;
      const std::int64_t n = std::min(per_file, count - first);
      std::string name = std::string("navier_stokes_2d_") + kSplits[s];
      if (files > 1) {
        std::string index = std::to_string(f);
        name += "_" + std::string(index.size() < 3 ? 3 - index.size() : 0, '0') + index;
      }
      const fs::path file = folder / (name + ".hdf5");
      const datasets::MemorySource source = datasets::generate_navier_stokes_2d(run, n, s, first);
      datasets::write_well_file(file.string(), source);
      if (s == 0) train_files.push_back(file.string());
      std::cout << "  " << kSplits[s] << ": "
                << (fs::path(options.out) / "data" / kSplits[s] / file.filename()).string() << " (" << n
                << " trajectories of " << run.steps << " steps)\n";
    }
  }
  // Statistics from the written training files, as the_well computes them from its train split.
  std::vector<datasets::WellFileSource> sources;
  for (const auto& file : train_files)
    sources.emplace_back(file);
  std::vector<const datasets::FieldSource*> pointers;
  for (const auto& s : sources)
    pointers.push_back(&s);
  datasets::WellStats::compute(pointers).write((root / "stats.yaml").string());
  sources.clear();
  output.commit();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto p = run.solver_parameters();
  std::cout << "wrote " << options.out << " (2-D Navier-Stokes, " << p.n << "x" << p.n << ", nu = " << p.viscosity
            << ", alpha = " << p.drag << ", k0 = " << run.spectrum.peak_wavenumber << ", Re = " << run.reynolds_number()
            << ", dt = " << run.save_interval << " in " << run.resolved_substeps() << " substeps, seed " << run.seed
            << ") in " << seconds << " s\n";
}

}  // namespace

void register_generate_command(CLI::App& app) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Generate the reference dataset: 2-D Navier-Stokes (decaying turbulence) in The Well's format");
  cmd->add_option("--out", options->out,
                  "Dataset folder to create: <out>/data/{train,valid,test}/*.hdf5, <out>/stats.yaml")
      ->required();
  cmd->add_flag("--overwrite", options->overwrite,
                "Replace an existing dataset folder that gavel generate wrote (its .gavel-output marker lists every "
                "file in it); any other folder or file is refused");
  datasets::NavierStokes2dRun& run = options->run;
  cmd->add_option("--size", run.solver.n, "Grid points per axis of the periodic square (8 to 1024)")
      ->capture_default_str();
  cmd->add_option("--trajectories", options->trajectories, "Trajectories per split: train,valid,test")
      ->capture_default_str();
  cmd->add_option("--steps", run.steps, "Saved time steps per trajectory, t = 0 included")->capture_default_str();
  cmd->add_option("--dt", run.save_interval, "Time between saved steps")->capture_default_str();
  cmd->add_option("--substeps", run.substeps,
                  "Solver steps per saved step; 0 picks the fewest with a step of at most 0.5/size")
      ->capture_default_str();
  cmd->add_option("--viscosity", run.solver.viscosity, "Kinematic viscosity nu (positive)")->capture_default_str();
  cmd->add_option("--drag", run.solver.drag, "Linear drag alpha (non-negative)")->capture_default_str();
  cmd->add_option("--peak-wavenumber", run.spectrum.peak_wavenumber,
                  "Peak k0 of the initial energy spectrum k^4 exp(-2 (k/k0)^2)")
      ->capture_default_str();
  cmd->add_option("--seed", run.seed, "Random seed (0 to 2^64-1); the same seed gives the same dataset")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->footer(
      "Solves w_t + u.grad(w) = nu lap(w) - alpha w, u = (d_y psi, -d_x psi), lap(psi) = -w on [0, 2 pi)^2\n"
      "(periodic), pseudo-spectral with the 2/3 rule and integrating-factor RK4, from random isotropic initial\n"
      "vorticity with rms velocity 1. Fields: vorticity (t0, pseudo) and velocity (t1), float32. The equation\n"
      "is equivariant under the grid's whole admissible group (D4 and periodic shifts). Deterministic for a seed.");
  cmd->callback([options]() { generate(*options); });
}

}  // namespace gavel::app
