#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/datasets/generators/navier_stokes_2d.hpp"
#include "gavel/datasets/generators/navier_stokes_3d.hpp"
#include "gavel/datasets/output_kinds.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_stats.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "kokkos_session.hpp"

namespace gavel::app {
namespace {

namespace fs = std::filesystem;

/// The options as given; an option left out takes the chosen equation's default (the bundled
/// dataset's), so each equation's defaults reproduce its bundle.
struct GenerateOptions {
  std::string out;
  bool overwrite = false;
  std::string equation = "navier-stokes-2d";
  std::string trajectories;
  std::int64_t size = 0;
  std::int64_t steps = 0;
  double dt = 0.0;
  std::int64_t substeps = 0;
  double viscosity = 0.0;
  double drag = 0.0;
  double peak_wavenumber = 0.0;
  std::uint64_t seed = 0;
};

/// Which options the command line gave (CLI11's count of each).
struct GivenOptions {
  bool trajectories, size, steps, dt, substeps, viscosity, drag, peak_wavenumber, seed;
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

/// Makes `count` trajectories of split `split` starting at trajectory `first` of that split.
using TrajectoryMaker =
    std::function<datasets::MemorySource(std::int64_t count, std::uint64_t split, std::int64_t first)>;

/// Writes the dataset folder: the splits' files (`<dataset>_<split>[_NNN].hdf5`, a split cut
/// into files of at most kFileValues values) and stats.yaml from the train split, all under a
/// temporary name that replaces `options.out` only when complete.
void write_dataset(const GenerateOptions& options, const std::string& trajectories, const std::string& dataset,
                   std::int64_t steps, std::int64_t values_per_trajectory, const TrajectoryMaker& make) {
  const std::vector<std::int64_t> counts = parse_counts(trajectories);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(options.out, ec)) && !options.overwrite)
    throw Error(options.out +
                ": already exists (refusing to overwrite; pass --overwrite to replace a dataset "
                "folder gavel generated)");
  // Checked, locked and its temporary created before any work.
  AtomicOutput output(options.out, datasets::dataset_folder_output(), {options.overwrite, false, {}});

  ensure_kokkos();
  const fs::path root(output.temporary());
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
      std::string name = dataset + "_" + kSplits[s];
      if (files > 1) {
        std::string index = std::to_string(f);
        name += "_" + std::string(index.size() < 3 ? 3 - index.size() : 0, '0') + index;
      }
      const fs::path file = folder / (name + ".hdf5");
      const datasets::MemorySource source = make(n, s, first);
      datasets::write_well_file(file.string(), source);
      if (s == 0) train_files.push_back(file.string());
      std::cout << "  " << kSplits[s] << ": "
                << (fs::path(options.out) / "data" / kSplits[s] / file.filename()).string() << " (" << n
                << " trajectories of " << steps << " steps)\n";
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
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void generate_2d(const GenerateOptions& o, const GivenOptions& given) {
  datasets::NavierStokes2dRun run;  // its defaults are the bundled dataset's
  if (given.size) run.solver.n = o.size;
  if (given.steps) run.steps = o.steps;
  if (given.dt) run.save_interval = o.dt;
  if (given.substeps) run.substeps = o.substeps;
  if (given.viscosity) run.solver.viscosity = o.viscosity;
  if (given.drag) run.solver.drag = o.drag;
  if (given.peak_wavenumber) run.spectrum.peak_wavenumber = o.peak_wavenumber;
  if (given.seed) run.seed = o.seed;
  run.validate();
  if (run.steps > 100000) throw Error("--steps " + std::to_string(run.steps) + ": at most 100000 saved steps");
  const auto start = std::chrono::steady_clock::now();
  write_dataset(o, given.trajectories ? o.trajectories : "6,2,2", "navier_stokes_2d", run.steps,
                run.steps * run.solver.n * run.solver.n * 3,
                [&run](std::int64_t count, std::uint64_t split, std::int64_t first) {
                  return datasets::generate_navier_stokes_2d(run, count, split, first);
                });
  const auto p = run.solver_parameters();
  std::cout << "wrote " << o.out << " (2-D Navier-Stokes, " << p.n << "x" << p.n << ", nu = " << p.viscosity
            << ", alpha = " << p.drag << ", k0 = " << run.spectrum.peak_wavenumber << ", Re = " << run.reynolds_number()
            << ", dt = " << run.save_interval << " in " << run.resolved_substeps() << " substeps, seed " << run.seed
            << ") in " << seconds_since(start) << " s\n";
}

void generate_3d(const GenerateOptions& o, const GivenOptions& given) {
  if (given.drag) throw Error("--drag: the 3-D equation has no drag term (navier-stokes-2d only)");
  datasets::NavierStokes3dRun run;  // its defaults are the bundled dataset's
  if (given.size) run.solver.n = o.size;
  if (given.steps) run.steps = o.steps;
  if (given.dt) run.save_interval = o.dt;
  if (given.substeps) run.substeps = o.substeps;
  if (given.viscosity) run.solver.viscosity = o.viscosity;
  if (given.peak_wavenumber) run.spectrum.peak_wavenumber = o.peak_wavenumber;
  if (given.seed) run.seed = o.seed;
  run.validate();
  if (run.steps > 100000) throw Error("--steps " + std::to_string(run.steps) + ": at most 100000 saved steps");
  const std::int64_t n = run.solver.n;
  const auto start = std::chrono::steady_clock::now();
  write_dataset(o, given.trajectories ? o.trajectories : "3,1,1", "navier_stokes_3d", run.steps,
                run.steps * n * n * n * 6, [&run](std::int64_t count, std::uint64_t split, std::int64_t first) {
                  return datasets::generate_navier_stokes_3d(run, count, split, first);
                });
  const auto p = run.solver_parameters();
  std::cout << "wrote " << o.out << " (3-D Navier-Stokes, " << n << "x" << n << "x" << n << ", nu = " << p.viscosity
            << ", k0 = " << run.spectrum.peak_wavenumber << ", Re = " << run.reynolds_number()
            << ", dt = " << run.save_interval << " in " << run.resolved_substeps() << " substeps, seed " << run.seed
            << ") in " << seconds_since(start) << " s\n";
}

}  // namespace

void register_generate_command(CLI::App& app) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Generate a reference dataset in The Well's format: 2-D or 3-D incompressible Navier-Stokes (decaying "
      "turbulence)");
  cmd->add_option("--out", options->out,
                  "Dataset folder to create: <out>/data/{train,valid,test}/*.hdf5, <out>/stats.yaml")
      ->required();
  cmd->add_flag("--overwrite", options->overwrite,
                "Replace an existing dataset folder that gavel generate wrote (its .gavel-output marker lists every "
                "file in it); any other folder or file is refused");
  cmd->add_option("--equation", options->equation,
                  "navier-stokes-2d (vorticity form on a periodic square) or navier-stokes-3d (velocity form on a "
                  "periodic cube); the options below default to that equation's bundled dataset")
      ->check(CLI::IsMember({"navier-stokes-2d", "navier-stokes-3d"}))
      ->capture_default_str();
  GenerateOptions& o = *options;
  cmd->add_option("--size", o.size,
                  "Grid points per axis (default 32 in 2-D, 16 in 3-D; 8 to 1024 in 2-D, 8 to 128 in 3-D)");
  cmd->add_option("--trajectories", o.trajectories,
                  "Trajectories per split: train,valid,test (default 6,2,2 in "
                  "2-D, 3,1,1 in 3-D)");
  cmd->add_option("--steps", o.steps, "Saved time steps per trajectory, t = 0 included (default 20 in 2-D, 5 in 3-D)");
  cmd->add_option("--dt", o.dt, "Time between saved steps (default 0.2 in 2-D, 0.25 in 3-D)");
  cmd->add_option("--substeps", o.substeps,
                  "Solver steps per saved step; 0 (default) picks the fewest with a step of at most 0.5/size");
  cmd->add_option("--viscosity", o.viscosity, "Kinematic viscosity nu, positive (default 0.02 in 2-D, 0.1 in 3-D)");
  cmd->add_option("--drag", o.drag, "Linear drag alpha, non-negative (2-D only; default 0)");
  cmd->add_option("--peak-wavenumber", o.peak_wavenumber,
                  "Peak k0 of the initial energy spectrum k^4 exp(-2 (k/k0)^2) (default 3 in 2-D, 2 in 3-D)");
  cmd->add_option("--seed", o.seed, "Random seed (0 to 2^64-1, default 0); the same seed gives the same dataset")
      ->check(CLI::NonNegativeNumber);
  cmd->footer(
      "navier-stokes-2d solves w_t + u.grad(w) = nu lap(w) - alpha w, u = (d_y psi, -d_x psi), lap(psi) = -w on\n"
      "[0, 2 pi)^2: fields vorticity (t0, pseudo) and velocity (t1). navier-stokes-3d solves\n"
      "u_t = u x w - grad(p + |u|^2/2) + nu lap(u), div(u) = 0, w = curl(u) on [0, 2 pi)^3: fields velocity (t1) and\n"
      "vorticity (t1, pseudo: an axial vector). Both are periodic, pseudo-spectral with the 2/3 rule and\n"
      "integrating-factor RK4, from random isotropic initial conditions with rms velocity 1, float32, and\n"
      "equivariant under the grid's whole admissible group (D4 or O_h, and periodic shifts). Deterministic for\n"
      "a seed.");
  cmd->callback([options, cmd]() {
    const GivenOptions given{cmd->count("--trajectories") > 0, cmd->count("--size") > 0,
                             cmd->count("--steps") > 0,        cmd->count("--dt") > 0,
                             cmd->count("--substeps") > 0,     cmd->count("--viscosity") > 0,
                             cmd->count("--drag") > 0,         cmd->count("--peak-wavenumber") > 0,
                             cmd->count("--seed") > 0};
    if (options->equation == "navier-stokes-3d")
      generate_3d(*options, given);
    else
      generate_2d(*options, given);
  });
}

}  // namespace gavel::app
