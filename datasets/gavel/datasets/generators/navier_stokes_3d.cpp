#include "gavel/datasets/generators/navier_stokes_3d.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace gavel::datasets {
namespace {

std::string number_text(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void require_finite(double x, const char* name, bool zero_allowed) {
  const bool ok = std::isfinite(x) && (zero_allowed ? x >= 0.0 : x > 0.0);
  if (!ok)
    throw Error(std::string("Navier–Stokes 3-D: ") + name + " " + number_text(x) + " (expected a finite " +
                (zero_allowed ? "non-negative" : "positive") + " number)");
}

/// Trajectories solved together: 16 at 16³ hold about 60 MB of solver state.
constexpr std::int64_t kMaxBatch = 16;

}  // namespace

void NavierStokes3dParameters::validate() const {
  if (n < 8 || n > 128)
    throw Error("Navier–Stokes 3-D: grid size " + std::to_string(n) +
                " (expected 8 to 128 points per axis; the dense transforms cost O(n^4) per field and step)");
  require_finite(viscosity, "viscosity", true);
  require_finite(time_step, "time step", false);
}

void RandomVelocitySpectrum::validate(std::int64_t kmax) const {
  if (!(std::isfinite(peak_wavenumber) && peak_wavenumber > 0.0 && peak_wavenumber <= static_cast<double>(kmax)))
    throw Error("Navier–Stokes 3-D: peak wavenumber " + number_text(peak_wavenumber) +
                " (expected 0 < k0 <= " + std::to_string(kmax) + ", the grid's band limit)");
  require_finite(velocity_rms, "rms velocity", false);
}

std::int64_t NavierStokes3dRun::resolved_substeps() const {
  if (substeps != 0) return substeps;
  const double largest = 0.5 / (static_cast<double>(solver.n) * spectrum.velocity_rms);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(save_interval / largest - 1e-9)));
}

NavierStokes3dParameters NavierStokes3dRun::solver_parameters() const {
  NavierStokes3dParameters p = solver;
  p.time_step = save_interval / static_cast<double>(resolved_substeps());
  return p;
}

double NavierStokes3dRun::reynolds_number() const {
  return spectrum.velocity_rms / (spectrum.peak_wavenumber * solver.viscosity);
}

void NavierStokes3dRun::validate() const {
  NavierStokes3dParameters p = solver;
  p.time_step = 1.0;
  p.validate();
  if (!(solver.viscosity > 0.0)) throw Error("Navier–Stokes 3-D: viscosity must be positive for a generated dataset");
  spectrum.validate(solver.kmax());
  require_finite(save_interval, "time between saved steps (dt)", false);
  if (steps < 2) throw Error("Navier–Stokes 3-D: " + std::to_string(steps) + " saved steps (at least 2 needed)");
  if (substeps < 0 || substeps > 1000000)
    throw Error("Navier–Stokes 3-D: " + std::to_string(substeps) +
                " substeps (expected 0 for automatic, or 1 to 1000000)");
  if (resolved_substeps() > 1000000)
    throw Error("Navier–Stokes 3-D: dt " + number_text(save_interval) + " needs more than 1000000 substeps");
}

WellFileInfo navier_stokes_3d_info(const NavierStokes3dRun& run, std::int64_t trajectories) {
  run.validate();
  if (trajectories < 1) throw Error("Navier–Stokes 3-D: " + std::to_string(trajectories) + " trajectories");
  const std::int64_t n = run.solver.n;
  WellFileInfo info;
  info.dataset_name = "navier_stokes_3d";
  info.grid_type = "cartesian";
  info.n_trajectories = trajectories;
  info.n_steps = run.steps;
  info.spatial_dims = {"x", "y", "z"};
  info.spatial_shape = {n, n, n};
  std::vector<double> centres(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    centres[static_cast<std::size_t>(i)] = (static_cast<double>(i) + 0.5) * 2.0 * kPi / static_cast<double>(n);
  info.coordinates = {centres, centres, centres};
  for (std::int64_t s = 0; s < run.steps; ++s)
    info.time.push_back(static_cast<double>(s) * run.save_interval);
  info.simulation_parameters = {{"viscosity", run.solver.viscosity},
                                {"peak_wavenumber", run.spectrum.peak_wavenumber},
                                {"velocity_rms", run.spectrum.velocity_rms},
                                {"Re", run.reynolds_number()}};
  for (const auto& [name, value] : info.simulation_parameters)
    info.scalars.push_back({name, false, false, {value}});
  const std::array<BoundaryCondition, 2> periodic{BoundaryCondition::periodic, BoundaryCondition::periodic};
  info.boundary = {periodic, periodic, periodic};
  WellField velocity;
  velocity.name = "velocity";
  velocity.order = 1;
  WellField vorticity;
  vorticity.name = "vorticity";
  vorticity.order = 1;
  vorticity.pseudo = true;  // the curl of a vector is an axial vector: it picks up det R
  info.fields = {velocity, vorticity};
  return info;
}

MemorySource generate_navier_stokes_3d(const NavierStokes3dRun& run, std::int64_t trajectories, std::uint64_t stream,
                                       std::int64_t first_trajectory) {
  if (first_trajectory < 0)
    throw Error("Navier–Stokes 3-D: first trajectory " + std::to_string(first_trajectory) + " is negative");
  MemorySource source(navier_stokes_3d_info(run, trajectories));
  const NavierStokes3dParameters parameters = run.solver_parameters();
  const std::int64_t n = parameters.n;
  const std::int64_t points = n * n * n;
  const std::int64_t substeps = run.resolved_substeps();
  for (std::int64_t first = 0; first < trajectories; first += kMaxBatch) {
    const std::int64_t batch = std::min(kMaxBatch, trajectories - first);
    NavierStokes3d<> solver(parameters, batch);
    std::vector<double> noise;
    noise.reserve(static_cast<std::size_t>(3 * batch * points));
    for (std::int64_t b = 0; b < batch; ++b) {
      const auto index = static_cast<std::uint64_t>(first_trajectory + first + b);
      const auto values = white_noise(3 * points, trajectory_seed(run.seed, stream, index));
      noise.insert(noise.end(), values.begin(), values.end());
    }
    solver.set_random_velocity(noise, run.spectrum);
    auto fields = solver.make_fields("gavel::generate::velocity_vorticity", 6);
    auto fields_host = Kokkos::create_mirror_view(fields);
    std::vector<double> energy = solver.energy();
    for (std::int64_t s = 0; s < run.steps; ++s) {
      if (s > 0) {
        solver.step(substeps);
        const std::vector<double> now = solver.energy();
        for (std::int64_t b = 0; b < batch; ++b) {
          const double e = now[static_cast<std::size_t>(b)];
          if (!std::isfinite(e) || e > energy[static_cast<std::size_t>(b)] * (1.0 + 1e-9))
            throw Error("Navier–Stokes 3-D: trajectory " + std::to_string(first_trajectory + first + b) +
                        " became unstable at t = " + number_text(solver.time()) + " (energy " + number_text(e) +
                        "); use a smaller dt or more substeps");
        }
        energy = now;
      }
      solver.velocity_and_vorticity(fields);
      Kokkos::deep_copy(fields_host, fields);
      for (std::int64_t b = 0; b < batch; ++b) {
        float* u = source.frame(0, first + b, s);
        float* w = source.frame(1, first + b, s);
        for (std::int64_t i = 0; i < n; ++i)
          for (std::int64_t j = 0; j < n; ++j)
            for (std::int64_t l = 0; l < n; ++l) {
              const auto p = static_cast<std::size_t>((i * n + j) * n + l);
              for (std::int64_t d = 0; d < 3; ++d) {
                u[3 * p + static_cast<std::size_t>(d)] = static_cast<float>(fields_host(d * batch + b, i, j, l));
                w[3 * p + static_cast<std::size_t>(d)] = static_cast<float>(fields_host((3 + d) * batch + b, i, j, l));
              }
            }
      }
    }
  }
  return source;
}

}  // namespace gavel::datasets
