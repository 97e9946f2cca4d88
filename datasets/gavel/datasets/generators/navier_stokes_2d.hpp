#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/datasets/generators/fourier_2d.hpp"
#include "gavel/datasets/generators/white_noise.hpp"
#include "gavel/datasets/memory_source.hpp"

namespace gavel::datasets {

/// The solver's physical and numerical parameters. The domain is the periodic square
/// [0, 2π)² sampled at n×n cell centres, so wavenumbers are integers.
struct NavierStokes2dParameters {
  std::int64_t n = 32;
  double viscosity = 0.02;  ///< ν
  double drag = 0.0;        ///< α, linear (Ekman) drag
  double time_step = 0.01;  ///< one Runge–Kutta step
  /// The 2/3-rule band limit: the largest K with 3K < n, so products of two band-limited fields
  /// alias only onto wavenumbers above K, which are discarded.
  std::int64_t kmax() const { return (n - 1) / 3; }
  /// Throws gavel::Error naming the parameter: n outside [8, 1024], ν or α negative or not
  /// finite, a time step that is not positive and finite.
  void validate() const;
};

/// The isotropic spectrum random initial vorticity is drawn from: white noise on the grid whose
/// Fourier coefficients are multiplied by a(|k|) = |k|^{5/2} exp(−(|k|/k₀)²), which gives the
/// energy spectrum E(k) ∝ k⁴ exp(−2(k/k₀)²) peaking at k₀, then scaled to the rms velocity
/// √⟨|u|²⟩ = U.
struct RandomVorticitySpectrum {
  double peak_wavenumber = 3.0;  ///< k₀
  double velocity_rms = 1.0;     ///< U
  double amplitude(double k) const {
    const double q = k / peak_wavenumber;
    return k * k * std::sqrt(k) * std::exp(-q * q);
  }
  /// Throws gavel::Error unless 0 < k₀ ≤ kmax and U is positive and finite.
  void validate(std::int64_t kmax) const;
};

namespace detail {

using NsIndex = std::int64_t;

template <class ExecSpace>
Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<3>, Kokkos::IndexType<NsIndex>> ns_policy(const ExecSpace& space,
                                                                                        NsIndex e0, NsIndex e1,
                                                                                        NsIndex e2) {
  return Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<3>, Kokkos::IndexType<NsIndex>>(space, {0, 0, 0}, {e0, e1, e2});
}

/// From ω̂ (B entries): s = (û_x, û_y, ∂̂_x ω, ∂̂_y ω) stacked as 4B entries, with ψ̂ = ω̂/|k|²,
/// u = (∂_y ψ, −∂_x ψ).
template <class ExecSpace, class Spectral, class Stacked>
void ns_gradients(const ExecSpace& space, const Spectral& w, const Stacked& s, NsIndex batch, NsIndex kmax) {
  using complex_type = Kokkos::complex<double>;
  Kokkos::parallel_for(
      "gavel::NavierStokes2d::gradients", ns_policy(space, batch, 2 * kmax + 1, kmax + 1),
      KOKKOS_LAMBDA(NsIndex b, NsIndex a, NsIndex c) {
        const double kx = static_cast<double>(a - kmax);
        const double ky = static_cast<double>(c);
        const double k2 = kx * kx + ky * ky;
        const complex_type omega = w(b, a, c);
        const complex_type psi = k2 > 0.0 ? omega / k2 : complex_type(0.0, 0.0);
        const complex_type i_psi(-psi.imag(), psi.real());        // i ψ̂
        const complex_type i_omega(-omega.imag(), omega.real());  // i ω̂
        s(b, a, c) = ky * i_psi;
        s(batch + b, a, c) = -kx * i_psi;
        s(2 * batch + b, a, c) = kx * i_omega;
        s(3 * batch + b, a, c) = ky * i_omega;
      });
}

/// q = u_x ∂_x ω + u_y ∂_y ω on the grid from the stacked physical fields p (4B entries).
template <class ExecSpace, class Physical, class Product>
void ns_advection_product(const ExecSpace& space, const Physical& p, const Product& q, NsIndex batch, NsIndex n) {
  Kokkos::parallel_for(
      "gavel::NavierStokes2d::advection_product", ns_policy(space, batch, n, n),
      KOKKOS_LAMBDA(NsIndex b, NsIndex i, NsIndex j) {
        q(b, i, j) = p(b, i, j) * p(2 * batch + b, i, j) + p(batch + b, i, j) * p(3 * batch + b, i, j);
      });
}

/// One stage of the integrating-factor (Lawson) RK4 step for ω̂_t = Lω̂ + N(ω̂), with
/// L = −ν|k|² − α applied exactly through E = e^{Lh}, Eh = e^{Lh/2}, and N = −(u·∇ω)^ dealiased;
/// `a1`…`a4` hold the advection spectra (u·∇ω)^ of the four stages (N = −a).
///   stage 1: x = Eh (w − h/2 a1)         stage 2: x = Eh w − h/2 a2
///   stage 3: x = E w − h Eh a3           final:   w = E w − h/6 (E a1 + 2 Eh (a2 + a3) + a4)
template <class ExecSpace, class Spectral, class Factors>
void ns_lawson_stage(const ExecSpace& space, int stage, double h, const Factors& e_full, const Factors& e_half,
                     const Spectral& w, const Spectral& a1, const Spectral& a2, const Spectral& a3, const Spectral& a4,
                     const Spectral& x, NsIndex batch) {
  Kokkos::parallel_for(
      "gavel::NavierStokes2d::lawson_stage", ns_policy(space, batch, w.extent(1), w.extent(2)),
      KOKKOS_LAMBDA(NsIndex b, NsIndex a, NsIndex c) {
        const double e = e_full(a, c);
        const double eh = e_half(a, c);
        if (stage == 1) {
          x(b, a, c) = eh * (w(b, a, c) - (0.5 * h) * a1(b, a, c));
        } else if (stage == 2) {
          x(b, a, c) = eh * w(b, a, c) - (0.5 * h) * a2(b, a, c);
        } else if (stage == 3) {
          x(b, a, c) = e * w(b, a, c) - (h * eh) * a3(b, a, c);
        } else {
          w(b, a, c) =
              e * w(b, a, c) - (h / 6.0) * (e * a1(b, a, c) + (2.0 * eh) * (a2(b, a, c) + a3(b, a, c)) + a4(b, a, c));
        }
      });
}

/// w(b, ·) *= factor(a, c) · scale(b).
template <class ExecSpace, class Spectral, class Factors, class Scales>
void ns_scale(const ExecSpace& space, const Spectral& w, const Factors& factor, const Scales& scale, NsIndex batch) {
  Kokkos::parallel_for(
      "gavel::NavierStokes2d::scale", ns_policy(space, batch, w.extent(1), w.extent(2)),
      KOKKOS_LAMBDA(NsIndex b, NsIndex a, NsIndex c) { w(b, a, c) *= factor(a, c) * scale(b); });
}

/// out(b, i, j) = in(offset + b, i, j).
template <class ExecSpace, class In, class Out>
void ns_copy(const ExecSpace& space, const In& in, NsIndex offset, const Out& out, NsIndex batch) {
  Kokkos::parallel_for(
      "gavel::NavierStokes2d::copy", ns_policy(space, batch, out.extent(1), out.extent(2)),
      KOKKOS_LAMBDA(NsIndex b, NsIndex i, NsIndex j) { out(b, i, j) = in(offset + b, i, j); });
}

}  // namespace detail

/// 2-D incompressible Navier–Stokes in vorticity form on the periodic square [0, 2π)²,
///
///   ω_t + u·∇ω = ν ∇²ω − α ω,   u = (∂_y ψ, −∂_x ψ),   ∇²ψ = −ω,
///
/// for a batch of independent trajectories. Pseudo-spectral: the state is the band-limited
/// spectrum ω̂ (|k_x|, |k_y| ≤ K, the 2/3 rule), derivatives are multiplications by i k, the
/// product u·∇ω is formed on the grid and transformed back (Fourier2d, dense DFTs as Kokkos
/// kernels), and time advances with the integrating-factor ("Lawson") RK4 method, which
/// integrates the linear terms exactly. Every kernel is a parallel_for with sequential inner
/// sums, so results are bitwise reproducible for a given execution space and build.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class NavierStokes2d {
 public:
  using execution_space = ExecSpace;
  using fourier_type = Fourier2d<ExecSpace>;
  using real_view = typename fourier_type::real_view;
  using spectral_view = typename fourier_type::spectral_view;
  using memory_space = typename ExecSpace::memory_space;

  NavierStokes2d(const NavierStokes2dParameters& parameters, std::int64_t batch, const ExecSpace& space = ExecSpace())
      : parameters_(checked(parameters, batch)),
        batch_(batch),
        space_(space),
        fourier_(parameters.n, parameters.kmax()) {
    const std::int64_t mx = fourier_.modes_x();
    const std::int64_t my = fourier_.modes_y();
    state_ = fourier_.make_spectral("gavel::NavierStokes2d::state", batch);
    for (auto& a : stage_)
      a = fourier_.make_spectral("gavel::NavierStokes2d::stage", batch);
    trial_ = fourier_.make_spectral("gavel::NavierStokes2d::trial", batch);
    stacked_ = fourier_.make_spectral("gavel::NavierStokes2d::stacked", 4 * batch);
    physical_ = fourier_.make_real("gavel::NavierStokes2d::physical", 4 * batch);
    product_ = fourier_.make_real("gavel::NavierStokes2d::product", batch);
    e_full_ = factor_view("gavel::NavierStokes2d::e_full", mx, my);
    e_half_ = factor_view("gavel::NavierStokes2d::e_half", mx, my);
    auto full = Kokkos::create_mirror_view(e_full_);
    auto half = Kokkos::create_mirror_view(e_half_);
    const double h = parameters_.time_step;
    for (std::int64_t a = 0; a < mx; ++a)
      for (std::int64_t c = 0; c < my; ++c) {
        const double k2 = squared_wavenumber(a, c);
        const double rate = -parameters_.viscosity * k2 - parameters_.drag;
        full(a, c) = std::exp(rate * h);
        half(a, c) = std::exp(rate * 0.5 * h);
      }
    Kokkos::deep_copy(e_full_, full);
    Kokkos::deep_copy(e_half_, half);
  }

  const NavierStokes2dParameters& parameters() const { return parameters_; }
  std::int64_t batch() const { return batch_; }
  std::int64_t n() const { return parameters_.n; }
  /// Time since the initial condition was set.
  double time() const { return static_cast<double>(steps_) * parameters_.time_step; }
  std::int64_t steps_taken() const { return steps_; }
  /// The state ω̂, (B, 2K+1, K+1) in Fourier2d's layout.
  const spectral_view& spectrum() const { return state_; }
  fourier_type& fourier() { return fourier_; }
  /// A (B, n, n) field for this solver's batch.
  real_view make_field(const std::string& label) const { return fourier_.make_real(label, batch_); }

  /// ω(0) = the part of `omega` (B, n, n) within the band; the clock restarts at 0.
  void set_vorticity(const real_view& omega) {
    fourier_.forward(omega, state_, batch_, space_);
    steps_ = 0;
  }

  /// ω(0) from white noise (B·n·n host values, trajectory-major, x-major within one) filtered
  /// to `spectrum`'s isotropic shape and scaled per trajectory to its rms velocity.
  void set_random_vorticity(const std::vector<double>& noise, const RandomVorticitySpectrum& spectrum) {
    spectrum.validate(parameters_.kmax());
    const std::int64_t n = parameters_.n;
    if (static_cast<std::int64_t>(noise.size()) != batch_ * n * n)
      throw Error("Navier–Stokes: " + std::to_string(noise.size()) + " noise values for " + std::to_string(batch_) +
                  " trajectories of " + std::to_string(n) + "x" + std::to_string(n));
    real_view field = make_field("gavel::NavierStokes2d::noise");
    auto host = Kokkos::create_mirror_view(field);
    for (std::int64_t b = 0; b < batch_; ++b)
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j)
          host(b, i, j) = noise[static_cast<std::size_t>((b * n + i) * n + j)];
    Kokkos::deep_copy(field, host);
    set_vorticity(field);
    const std::int64_t mx = fourier_.modes_x();
    const std::int64_t my = fourier_.modes_y();
    auto filter = factor_view("gavel::NavierStokes2d::filter", mx, my);
    auto filter_host = Kokkos::create_mirror_view(filter);
    for (std::int64_t a = 0; a < mx; ++a)
      for (std::int64_t c = 0; c < my; ++c) {
        const double k2 = squared_wavenumber(a, c);
        filter_host(a, c) = k2 > 0.0 ? spectrum.amplitude(std::sqrt(k2)) : 0.0;
      }
    Kokkos::deep_copy(filter, filter_host);
    Kokkos::View<double*, memory_space> ones("gavel::NavierStokes2d::ones", batch_);
    Kokkos::deep_copy(ones, 1.0);
    detail::ns_scale(space_, state_, filter, ones, batch_);
    space_.fence();
    const std::vector<double> e = energy();
    Kokkos::View<double*, memory_space> scale("gavel::NavierStokes2d::scale", batch_);
    auto scale_host = Kokkos::create_mirror_view(scale);
    for (std::int64_t b = 0; b < batch_; ++b) {
      const double u_rms = std::sqrt(2.0 * e[static_cast<std::size_t>(b)]);
      if (!(u_rms > 0.0)) throw Error("Navier–Stokes: random initial condition " + std::to_string(b) + " is zero");
      scale_host(b) = spectrum.velocity_rms / u_rms;
    }
    Kokkos::deep_copy(scale, scale_host);
    auto unit = factor_view("gavel::NavierStokes2d::unit", mx, my);
    Kokkos::deep_copy(unit, 1.0);
    detail::ns_scale(space_, state_, unit, scale, batch_);
    space_.fence();
  }

  /// Advances every trajectory by `count` time steps.
  void step(std::int64_t count = 1) {
    const double h = parameters_.time_step;
    for (std::int64_t s = 0; s < count; ++s) {
      advection_spectrum(state_, stage_[0]);
      detail::ns_lawson_stage(space_, 1, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                              trial_, batch_);
      advection_spectrum(trial_, stage_[1]);
      detail::ns_lawson_stage(space_, 2, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                              trial_, batch_);
      advection_spectrum(trial_, stage_[2]);
      detail::ns_lawson_stage(space_, 3, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                              trial_, batch_);
      advection_spectrum(trial_, stage_[3]);
      detail::ns_lawson_stage(space_, 4, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                              trial_, batch_);
      ++steps_;
    }
    space_.fence();
  }

  /// The vorticity on the grid, (B, n, n).
  void vorticity(const real_view& out) {
    fourier_.inverse(state_, out, batch_, space_);
    space_.fence();
  }

  /// The velocity components on the grid, (B, n, n) each.
  void velocity(const real_view& ux, const real_view& uy) {
    detail::ns_gradients(space_, state_, stacked_, batch_, parameters_.kmax());
    const auto pair = std::make_pair(std::int64_t{0}, 2 * batch_);
    fourier_.inverse(Kokkos::subview(stacked_, pair, Kokkos::ALL, Kokkos::ALL),
                     Kokkos::subview(physical_, pair, Kokkos::ALL, Kokkos::ALL), 2 * batch_, space_);
    detail::ns_copy(space_, physical_, 0, ux, batch_);
    detail::ns_copy(space_, physical_, batch_, uy, batch_);
    space_.fence();
  }

  /// out = u·∇ω for the band-limited part of `omega` (B, n, n), itself band-limited (the
  /// dealiased advection term the solver uses); the state is left alone.
  void advection(const real_view& omega, const real_view& out) {
    fourier_.forward(omega, trial_, batch_, space_);
    advection_spectrum(trial_, stage_[0]);
    fourier_.inverse(stage_[0], out, batch_, space_);
    space_.fence();
  }

  /// Per trajectory, from the spectrum by Parseval: kinetic energy E = ½⟨|u|²⟩ and enstrophy
  /// Z = ½⟨ω²⟩, ⟨·⟩ the mean over the domain.
  std::vector<double> energy() const { return quadratic(true); }
  std::vector<double> enstrophy() const { return quadratic(false); }

 private:
  using factor_view_type = Kokkos::View<double**, Kokkos::LayoutRight, memory_space>;

  static const NavierStokes2dParameters& checked(const NavierStokes2dParameters& p, std::int64_t batch) {
    p.validate();
    if (batch < 1) throw Error("Navier–Stokes: batch of " + std::to_string(batch) + " trajectories");
    return p;
  }

  static factor_view_type factor_view(const std::string& label, std::int64_t mx, std::int64_t my) {
    return factor_view_type(label, mx, my);
  }

  double squared_wavenumber(std::int64_t a, std::int64_t c) const {
    const auto kx = static_cast<double>(fourier_.wavenumber_x(a));
    const auto ky = static_cast<double>(fourier_.wavenumber_y(c));
    return kx * kx + ky * ky;
  }

  /// out = (u·∇ω)^ of the spectrum w, band-limited.
  void advection_spectrum(const spectral_view& w, const spectral_view& out) {
    detail::ns_gradients(space_, w, stacked_, batch_, parameters_.kmax());
    fourier_.inverse(stacked_, physical_, 4 * batch_, space_);
    detail::ns_advection_product(space_, physical_, product_, batch_, parameters_.n);
    fourier_.forward(product_, out, batch_, space_);
  }

  std::vector<double> quadratic(bool energy) const {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), state_);
    std::vector<double> result(static_cast<std::size_t>(batch_), 0.0);
    for (std::int64_t b = 0; b < batch_; ++b) {
      double sum = 0.0;
      for (std::int64_t a = 0; a < fourier_.modes_x(); ++a)
        for (std::int64_t c = 0; c < fourier_.modes_y(); ++c) {
          const double k2 = squared_wavenumber(a, c);
          const double weight = c == 0 ? 1.0 : 2.0;  // k_y < 0 mirrors k_y > 0
          const double power = Kokkos::abs(host(b, a, c)) * Kokkos::abs(host(b, a, c));
          if (energy) {
            if (k2 > 0.0) sum += weight * power / k2;
          } else {
            sum += weight * power;
          }
        }
      result[static_cast<std::size_t>(b)] = 0.5 * sum;
    }
    return result;
  }

  NavierStokes2dParameters parameters_;
  std::int64_t batch_;
  ExecSpace space_;
  fourier_type fourier_;
  std::int64_t steps_ = 0;
  spectral_view state_;
  spectral_view stage_[4];
  spectral_view trial_;
  spectral_view stacked_;
  real_view physical_;
  real_view product_;
  factor_view_type e_full_;
  factor_view_type e_half_;
};

/// One `gavel generate` run: solver parameters, the initial spectrum, what is saved and the seed.
/// The defaults are the bundled dataset's (datasets/reference/navier_stokes_2d).
struct NavierStokes2dRun {
  NavierStokes2dParameters solver;  ///< its time_step is set from save_interval / substeps
  RandomVorticitySpectrum spectrum;
  double save_interval = 0.2;  ///< time between saved steps
  std::int64_t steps = 20;     ///< saved steps per trajectory, t = 0 included
  std::int64_t substeps = 0;   ///< solver steps per saved interval; 0 picks resolved_substeps()
  std::uint64_t seed = 0;
  /// `substeps`, or when 0 the fewest steps with h ≤ 0.5/(n·U): the advection CFL number
  /// |u|·h·K stays below 2.8 (RK4's limit on the imaginary axis) for |u| up to ≈ 16 U.
  std::int64_t resolved_substeps() const;
  /// The parameters the solver runs with (time_step = save_interval / resolved_substeps()).
  NavierStokes2dParameters solver_parameters() const;
  /// Re = U / (k₀ ν): the Reynolds number of the energy-containing scale 1/k₀.
  double reynolds_number() const;
  /// Throws gavel::Error naming the first bad parameter (ν must be positive here).
  void validate() const;
};

/// The Well description of `trajectories` trajectories of `run`: dataset `navier_stokes_2d`,
/// Cartesian axes x, y with cell-centred coordinates (i + ½)·2π/n and periodic boundaries, time
/// values s·save_interval, the fields `vorticity` (t0, pseudo) and `velocity` (t1), and the
/// simulation parameters viscosity, drag, peak_wavenumber, velocity_rms and Re (also as scalars).
WellFileInfo navier_stokes_2d_info(const NavierStokes2dRun& run, std::int64_t trajectories);

/// Runs `trajectories` trajectories of `run` on the default execution space, in batches, and
/// keeps the saved steps as float32 in a MemorySource laid out as navier_stokes_2d_info says.
/// Trajectory t of the result is trajectory `first_trajectory + t` of the stream: it starts from
/// white_noise(n², trajectory_seed(run.seed, stream, first_trajectory + t)), so it does not
/// depend on the batch size, on how many trajectories are asked for or on how a split is cut
/// into files. Throws gavel::Error when the solution stops being finite or its energy grows
/// (too large a time step).
MemorySource generate_navier_stokes_2d(const NavierStokes2dRun& run, std::int64_t trajectories, std::uint64_t stream,
                                       std::int64_t first_trajectory = 0);

}  // namespace gavel::datasets
