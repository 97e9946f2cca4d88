#include "gavel/datasets/generators/navier_stokes_2d.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace gavel::datasets {
namespace {

std::string number_text(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void require_finite(double x, const char* name, bool positive, bool zero_allowed) {
  const bool ok = std::isfinite(x) && (positive ? (zero_allowed ? x >= 0.0 : x > 0.0) : true);
  if (!ok)
    throw Error(std::string("Navier–Stokes: ") + name + " " + number_text(x) + " (expected a finite " +
                (zero_allowed ? "non-negative" : "positive") + " number)");
}

constexpr std::int64_t kMaxBatch = 64;

}  // namespace

void NavierStokes2dParameters::validate() const {
  if (n < 8 || n > 1024)
    throw Error("Navier–Stokes: grid size " + std::to_string(n) + " (expected 8 to 1024 points per axis)");
  require_finite(viscosity, "viscosity", true, true);
  require_finite(drag, "drag", true, true);
  require_finite(time_step, "time step", true, false);
}

void RandomVorticitySpectrum::validate(std::int64_t kmax) const {
  if (!(std::isfinite(peak_wavenumber) && peak_wavenumber > 0.0 && peak_wavenumber <= static_cast<double>(kmax)))
    throw Error("Navier–Stokes: peak wavenumber " + number_text(peak_wavenumber) +
                " (expected 0 < k0 <= " + std::to_string(kmax) + ", the grid's band limit)");
  require_finite(velocity_rms, "rms velocity", true, false);
}

std::int64_t NavierStokes2dRun::resolved_substeps() const {
  if (substeps != 0) return substeps;
  const double largest = 0.5 / (static_cast<double>(solver.n) * spectrum.velocity_rms);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(save_interval / largest - 1e-9)));
}

NavierStokes2dParameters NavierStokes2dRun::solver_parameters() const {
  NavierStokes2dParameters p = solver;
  p.time_step = save_interval / static_cast<double>(resolved_substeps());
  return p;
}

double NavierStokes2dRun::reynolds_number() const {
  return spectrum.velocity_rms / (spectrum.peak_wavenumber * solver.viscosity);
}

void NavierStokes2dRun::validate() const {
  NavierStokes2dParameters p = solver;
  p.time_step = 1.0;
  p.validate();
  if (!(solver.viscosity > 0.0)) throw Error("Navier–Stokes: viscosity must be positive for a generated dataset");
  spectrum.validate(solver.kmax());
  require_finite(save_interval, "time between saved steps (dt)", true, false);
  if (steps < 2) throw Error("Navier–Stokes: " + std::to_string(steps) + " saved steps (at least 2 needed)");
  if (substeps < 0 || substeps > 1000000)
    throw Error("Navier–Stokes: " + std::to_string(substeps) + " substeps (expected 0 for automatic, or 1 to 1000000)");
  if (resolved_substeps() > 1000000)
    throw Error("Navier–Stokes: dt " + number_text(save_interval) + " needs more than 1000000 substeps");
}

WellFileInfo navier_stokes_2d_info(const NavierStokes2dRun& run, std::int64_t trajectories) {
  run.validate();
  if (trajectories < 1) throw Error("Navier–Stokes: " + std::to_string(trajectories) + " trajectories");
  const std::int64_t n = run.solver.n;
  WellFileInfo info;
  info.dataset_name = "navier_stokes_2d";
  info.grid_type = "cartesian";
  info.n_trajectories = trajectories;
  info.n_steps = run.steps;
  info.spatial_dims = {"x", "y"};
  info.spatial_shape = {n, n};
  std::vector<double> centres(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    centres[static_cast<std::size_t>(i)] = (static_cast<double>(i) + 0.5) * 2.0 * kPi / static_cast<double>(n);
  info.coordinates = {centres, centres};
  for (std::int64_t s = 0; s < run.steps; ++s)
    info.time.push_back(static_cast<double>(s) * run.save_interval);
  info.simulation_parameters = {{"viscosity", run.solver.viscosity},
                                {"drag", run.solver.drag},
                                {"peak_wavenumber", run.spectrum.peak_wavenumber},
                                {"velocity_rms", run.spectrum.velocity_rms},
                                {"Re", run.reynolds_number()}};
  for (const auto& [name, value] : info.simulation_parameters)
    info.scalars.push_back({name, false, false, {value}});
  info.boundary = {{BoundaryCondition::periodic, BoundaryCondition::periodic},
                   {BoundaryCondition::periodic, BoundaryCondition::periodic}};
  WellField vorticity;
  vorticity.name = "vorticity";
  vorticity.order = 0;
  vorticity.pseudo = true;
  WellField velocity;
  velocity.name = "velocity";
  velocity.order = 1;
  info.fields = {vorticity, velocity};
  return info;
}

MemorySource generate_navier_stokes_2d(const NavierStokes2dRun& run, std::int64_t trajectories, std::uint64_t stream,
                                       std::int64_t first_trajectory) {
  if (first_trajectory < 0)
    throw Error("Navier–Stokes: first trajectory " + std::to_string(first_trajectory) + " is negative");
  MemorySource source(navier_stokes_2d_info(run, trajectories));
  const NavierStokes2dParameters parameters = run.solver_parameters();
  const std::int64_t n = parameters.n;
  const std::int64_t points = n * n;
  const std::int64_t substeps = run.resolved_substeps();
  for (std::int64_t first = 0; first < trajectories; first += kMaxBatch) {
    const std::int64_t batch = std::min(kMaxBatch, trajectories - first);
    NavierStokes2d<> solver(parameters, batch);
    std::vector<double> noise;
    noise.reserve(static_cast<std::size_t>(batch * points));
    for (std::int64_t b = 0; b < batch; ++b) {
      const auto index = static_cast<std::uint64_t>(first_trajectory + first + b);
      const auto values = white_noise(points, trajectory_seed(run.seed, stream, index));
      noise.insert(noise.end(), values.begin(), values.end());
    }
    solver.set_random_vorticity(noise, run.spectrum);
    auto omega = solver.make_field("gavel::generate::vorticity");
    auto ux = solver.make_field("gavel::generate::velocity_x");
    auto uy = solver.make_field("gavel::generate::velocity_y");
    auto omega_host = Kokkos::create_mirror_view(omega);
    auto ux_host = Kokkos::create_mirror_view(ux);
    auto uy_host = Kokkos::create_mirror_view(uy);
    std::vector<double> energy = solver.energy();
    for (std::int64_t s = 0; s < run.steps; ++s) {
      if (s > 0) {
        solver.step(substeps);
        const std::vector<double> now = solver.energy();
        for (std::int64_t b = 0; b < batch; ++b) {
          const double e = now[static_cast<std::size_t>(b)];
          if (!std::isfinite(e) || e > energy[static_cast<std::size_t>(b)] * (1.0 + 1e-9))
            throw Error("Navier–Stokes: trajectory " + std::to_string(first_trajectory + first + b) +
                        " became unstable at t = " + number_text(solver.time()) + " (energy " + number_text(e) +
                        "); use a smaller dt or more substeps");
        }
        energy = now;
      }
      solver.vorticity(omega);
      solver.velocity(ux, uy);
      Kokkos::deep_copy(omega_host, omega);
      Kokkos::deep_copy(ux_host, ux);
      Kokkos::deep_copy(uy_host, uy);
      for (std::int64_t b = 0; b < batch; ++b) {
        float* w = source.frame(0, first + b, s);
        float* u = source.frame(1, first + b, s);
        for (std::int64_t i = 0; i < n; ++i)
          for (std::int64_t j = 0; j < n; ++j) {
            const auto p = static_cast<std::size_t>(i * n + j);
            w[p] = static_cast<float>(omega_host(b, i, j));
            u[2 * p] = static_cast<float>(ux_host(b, i, j));
            u[2 * p + 1] = static_cast<float>(uy_host(b, i, j));
          }
      }
    }
  }
  return source;
}

}  // namespace gavel::datasets
