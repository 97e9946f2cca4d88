#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/datasets/generators/fourier_3d.hpp"
#include "gavel/datasets/generators/white_noise.hpp"
#include "gavel/datasets/memory_source.hpp"

namespace gavel::datasets {

/// The 3-D solver's physical and numerical parameters. The domain is the periodic cube
/// [0, 2π)³ sampled at n×n×n cell centres, so wavenumbers are integers.
struct NavierStokes3dParameters {
  std::int64_t n = 16;
  double viscosity = 0.1;   ///< ν
  double time_step = 0.01;  ///< one Runge–Kutta step
  /// The 2/3-rule band limit on every axis: the largest K with 3K < n, so products of two
  /// band-limited fields alias only onto wavenumbers above K, which are discarded.
  std::int64_t kmax() const { return (n - 1) / 3; }
  /// Throws gavel::Error naming the parameter: n outside [8, 128] (the dense transforms cost
  /// O(n⁴) per field and step), ν negative or not finite, a time step that is not positive and
  /// finite.
  void validate() const;
};

/// The isotropic spectrum random initial velocity is drawn from: a white-noise vector field
/// whose Fourier coefficients are multiplied by a(|k|) = |k| exp(−(|k|/k₀)²) and projected onto
/// divergence-free fields, which gives the energy spectrum E(k) ∝ 4πk²·a² ∝ k⁴ exp(−2(k/k₀)²)
/// peaking at k₀, then scaled to the rms velocity √⟨|u|²⟩ = U.
struct RandomVelocitySpectrum {
  double peak_wavenumber = 2.0;  ///< k₀
  double velocity_rms = 1.0;     ///< U
  double amplitude(double k) const {
    const double q = k / peak_wavenumber;
    return k * std::exp(-q * q);
  }
  /// Throws gavel::Error unless 0 < k₀ ≤ kmax and U is positive and finite.
  void validate(std::int64_t kmax) const;
};

namespace detail {

using Ns3Index = std::int64_t;

template <class ExecSpace>
Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<4>, Kokkos::IndexType<Ns3Index>> ns3_policy(const ExecSpace& space,
                                                                                          Ns3Index e0, Ns3Index e1,
                                                                                          Ns3Index e2, Ns3Index e3) {
  return Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<4>, Kokkos::IndexType<Ns3Index>>(space, {0, 0, 0, 0},
                                                                                        {e0, e1, e2, e3});
}

/// From û (3B entries, component-major: entry d·B + b) the stacked spectra (û, ω̂) of 6B entries,
/// ω̂ = i k × û (the curl).
template <class ExecSpace, class Spectral, class Stacked>
void ns3_velocity_vorticity(const ExecSpace& space, const Spectral& u, const Stacked& s, Ns3Index batch,
                            Ns3Index kmax) {
  using complex_type = Kokkos::complex<double>;
  const Ns3Index m = 2 * kmax + 1;
  Kokkos::parallel_for(
      "gavel::NavierStokes3d::velocity_vorticity", ns3_policy(space, batch, m, m, m),
      KOKKOS_LAMBDA(Ns3Index b, Ns3Index a, Ns3Index e, Ns3Index c) {
        const double kx = static_cast<double>(a - kmax);
        const double ky = static_cast<double>(e - kmax);
        const double kz = static_cast<double>(c - kmax);
        const complex_type ux = u(b, a, e, c);
        const complex_type uy = u(batch + b, a, e, c);
        const complex_type uz = u(2 * batch + b, a, e, c);
        const complex_type cx = ky * uz - kz * uy;  // (k × û), then times i
        const complex_type cy = kz * ux - kx * uz;
        const complex_type cz = kx * uy - ky * ux;
        s(b, a, e, c) = ux;
        s(batch + b, a, e, c) = uy;
        s(2 * batch + b, a, e, c) = uz;
        s(3 * batch + b, a, e, c) = complex_type(-cx.imag(), cx.real());
        s(4 * batch + b, a, e, c) = complex_type(-cy.imag(), cy.real());
        s(5 * batch + b, a, e, c) = complex_type(-cz.imag(), cz.real());
      });
}

/// q = u × ω on the grid from the stacked physical fields p (u then ω, 6B entries); q has 3B.
template <class ExecSpace, class Physical, class Product>
void ns3_cross_product(const ExecSpace& space, const Physical& p, const Product& q, Ns3Index batch, Ns3Index n) {
  Kokkos::parallel_for(
      "gavel::NavierStokes3d::cross_product", ns3_policy(space, batch, n, n, n),
      KOKKOS_LAMBDA(Ns3Index b, Ns3Index i, Ns3Index j, Ns3Index l) {
        const double ux = p(b, i, j, l);
        const double uy = p(batch + b, i, j, l);
        const double uz = p(2 * batch + b, i, j, l);
        const double wx = p(3 * batch + b, i, j, l);
        const double wy = p(4 * batch + b, i, j, l);
        const double wz = p(5 * batch + b, i, j, l);
        q(b, i, j, l) = uy * wz - uz * wy;
        q(batch + b, i, j, l) = uz * wx - ux * wz;
        q(2 * batch + b, i, j, l) = ux * wy - uy * wx;
      });
}

/// v ← P v = v − k (k·v)/|k|² on 3B component-major entries (the Leray projection onto
/// divergence-free fields, which also eliminates the pressure), the k = 0 mode set to 0.
template <class ExecSpace, class Spectral>
void ns3_project(const ExecSpace& space, const Spectral& v, Ns3Index batch, Ns3Index kmax) {
  using complex_type = Kokkos::complex<double>;
  const Ns3Index m = 2 * kmax + 1;
  Kokkos::parallel_for(
      "gavel::NavierStokes3d::project", ns3_policy(space, batch, m, m, m),
      KOKKOS_LAMBDA(Ns3Index b, Ns3Index a, Ns3Index e, Ns3Index c) {
        const double kx = static_cast<double>(a - kmax);
        const double ky = static_cast<double>(e - kmax);
        const double kz = static_cast<double>(c - kmax);
        const double k2 = kx * kx + ky * ky + kz * kz;
        if (k2 == 0.0) {
          for (Ns3Index d = 0; d < 3; ++d)
            v(d * batch + b, a, e, c) = complex_type(0.0, 0.0);
          return;
        }
        const complex_type vx = v(b, a, e, c);
        const complex_type vy = v(batch + b, a, e, c);
        const complex_type vz = v(2 * batch + b, a, e, c);
        const complex_type along = (kx * vx + ky * vy + kz * vz) / k2;
        v(b, a, e, c) = vx - kx * along;
        v(batch + b, a, e, c) = vy - ky * along;
        v(2 * batch + b, a, e, c) = vz - kz * along;
      });
}

/// One stage of the integrating-factor (Lawson) RK4 step for û_t = Lû + N(û), with
/// L = −ν|k|² applied exactly through E = e^{Lh}, Eh = e^{Lh/2}, and N = P (u × ω)^ dealiased;
/// `n1`…`n4` hold N of the four stages, entries d·B + b.
///   stage 1: x = Eh (w + h/2 n1)         stage 2: x = Eh w + h/2 n2
///   stage 3: x = E w + h Eh n3           final:   w = E w + h/6 (E n1 + 2 Eh (n2 + n3) + n4)
template <class ExecSpace, class Spectral, class Factors>
void ns3_lawson_stage(const ExecSpace& space, int stage, double h, const Factors& e_full, const Factors& e_half,
                      const Spectral& w, const Spectral& n1, const Spectral& n2, const Spectral& n3, const Spectral& n4,
                      const Spectral& x, Ns3Index entries) {
  const auto m = static_cast<Ns3Index>(w.extent(1));
  Kokkos::parallel_for(
      "gavel::NavierStokes3d::lawson_stage", ns3_policy(space, entries, m, m, m),
      KOKKOS_LAMBDA(Ns3Index b, Ns3Index a, Ns3Index e, Ns3Index c) {
        const double ef = e_full(a, e, c);
        const double eh = e_half(a, e, c);
        if (stage == 1) {
          x(b, a, e, c) = eh * (w(b, a, e, c) + (0.5 * h) * n1(b, a, e, c));
        } else if (stage == 2) {
          x(b, a, e, c) = eh * w(b, a, e, c) + (0.5 * h) * n2(b, a, e, c);
        } else if (stage == 3) {
          x(b, a, e, c) = ef * w(b, a, e, c) + (h * eh) * n3(b, a, e, c);
        } else {
          w(b, a, e, c) =
              ef * w(b, a, e, c) +
              (h / 6.0) * (ef * n1(b, a, e, c) + (2.0 * eh) * (n2(b, a, e, c) + n3(b, a, e, c)) + n4(b, a, e, c));
        }
      });
}

/// w(d·B + b, ·) *= factor(·) · scale(b) for the three components d.
template <class ExecSpace, class Spectral, class Factors, class Scales>
void ns3_scale(const ExecSpace& space, const Spectral& w, const Factors& factor, const Scales& scale, Ns3Index batch) {
  const auto m = static_cast<Ns3Index>(w.extent(1));
  Kokkos::parallel_for(
      "gavel::NavierStokes3d::scale", ns3_policy(space, 3 * batch, m, m, m),
      KOKKOS_LAMBDA(Ns3Index r, Ns3Index a, Ns3Index e, Ns3Index c) {
        w(r, a, e, c) *= factor(a, e, c) * scale(r % batch);
      });
}

}  // namespace detail

/// 3-D incompressible Navier–Stokes on the periodic cube [0, 2π)³ in rotational form,
///
///   u_t = u × ω − ∇(p + |u|²/2) + ν ∇²u,   ∇·u = 0,   ω = ∇ × u,
///
/// for a batch of independent trajectories (decaying turbulence: no forcing). Pseudo-spectral:
/// the state is the divergence-free, band-limited spectrum û (|k_x|, |k_y|, |k_z| ≤ K, the 2/3
/// rule on the cube band), the pressure is eliminated by the Leray projection P(k) = I − kkᵀ/|k|²,
/// derivatives are multiplications by i k, u × ω is formed on the grid and transformed back
/// (Fourier3d), and time advances with the integrating-factor ("Lawson") RK4 method, which
/// integrates the viscous term exactly. Every kernel is a parallel_for with sequential inner
/// sums, so results are bitwise reproducible for a given execution space and build.
///
/// Spectral views hold the three velocity components of a batch of B trajectories as 3B
/// entries, component-major (entry d·B + b); real views likewise.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class NavierStokes3d {
 public:
  using execution_space = ExecSpace;
  using fourier_type = Fourier3d<ExecSpace>;
  using real_view = typename fourier_type::real_view;
  using spectral_view = typename fourier_type::spectral_view;
  using memory_space = typename ExecSpace::memory_space;

  NavierStokes3d(const NavierStokes3dParameters& parameters, std::int64_t batch, const ExecSpace& space = ExecSpace())
      : parameters_(checked(parameters, batch)),
        batch_(batch),
        space_(space),
        fourier_(parameters.n, parameters.kmax()) {
    const std::int64_t m = fourier_.modes();
    state_ = fourier_.make_spectral("gavel::NavierStokes3d::state", 3 * batch);
    for (auto& a : stage_)
      a = fourier_.make_spectral("gavel::NavierStokes3d::stage", 3 * batch);
    trial_ = fourier_.make_spectral("gavel::NavierStokes3d::trial", 3 * batch);
    stacked_ = fourier_.make_spectral("gavel::NavierStokes3d::stacked", 6 * batch);
    physical_ = fourier_.make_real("gavel::NavierStokes3d::physical", 6 * batch);
    product_ = fourier_.make_real("gavel::NavierStokes3d::product", 3 * batch);
    e_full_ = factor_view_type("gavel::NavierStokes3d::e_full", m, m, m);
    e_half_ = factor_view_type("gavel::NavierStokes3d::e_half", m, m, m);
    auto full_step = Kokkos::create_mirror_view(e_full_);
    auto half_step = Kokkos::create_mirror_view(e_half_);
    const double h = parameters_.time_step;
    for (std::int64_t a = 0; a < m; ++a)
      for (std::int64_t e = 0; e < m; ++e)
        for (std::int64_t c = 0; c < m; ++c) {
          const double rate = -parameters_.viscosity * squared_wavenumber(a, e, c);
          full_step(a, e, c) = std::exp(rate * h);
          half_step(a, e, c) = std::exp(rate * 0.5 * h);
        }
    Kokkos::deep_copy(e_full_, full_step);
    Kokkos::deep_copy(e_half_, half_step);
  }

  const NavierStokes3dParameters& parameters() const { return parameters_; }
  std::int64_t batch() const { return batch_; }
  std::int64_t n() const { return parameters_.n; }
  /// Time since the initial condition was set.
  double time() const { return static_cast<double>(steps_) * parameters_.time_step; }
  std::int64_t steps_taken() const { return steps_; }
  /// The state û, (3B, 2K+1, 2K+1, 2K+1) in Fourier3d's layout, entries d·B + b.
  const spectral_view& spectrum() const { return state_; }
  fourier_type& fourier() { return fourier_; }
  /// A (count·B, n, n, n) field: count = 3 for a vector field of this solver's batch.
  real_view make_fields(const std::string& label, std::int64_t count) const {
    return fourier_.make_real(label, count * batch_);
  }

  /// u(0) = the divergence-free part of `velocity` (3B, n, n, n) within the band, its mean
  /// removed; the clock restarts at 0.
  void set_velocity(const real_view& velocity) {
    fourier_.forward(velocity, state_, 3 * batch_, space_);
    detail::ns3_project(space_, state_, batch_, parameters_.kmax());
    space_.fence();
    steps_ = 0;
  }

  /// u(0) from white noise (B·3·n³ host values: trajectory-major, then component x, y, z, then
  /// the grid x-major) filtered to `spectrum`'s isotropic shape, made divergence-free and scaled
  /// per trajectory to its rms velocity.
  void set_random_velocity(const std::vector<double>& noise, const RandomVelocitySpectrum& spectrum) {
    spectrum.validate(parameters_.kmax());
    const std::int64_t n = parameters_.n;
    const std::int64_t points = n * n * n;
    if (static_cast<std::int64_t>(noise.size()) != 3 * batch_ * points)
      throw Error("Navier–Stokes 3-D: " + std::to_string(noise.size()) + " noise values for " + std::to_string(batch_) +
                  " trajectories of 3 components on " + std::to_string(n) + "^3");
    real_view field = make_fields("gavel::NavierStokes3d::noise", 3);
    auto host = Kokkos::create_mirror_view(field);
    for (std::int64_t b = 0; b < batch_; ++b)
      for (std::int64_t d = 0; d < 3; ++d)
        for (std::int64_t i = 0; i < n; ++i)
          for (std::int64_t j = 0; j < n; ++j)
            for (std::int64_t l = 0; l < n; ++l)
              host(d * batch_ + b, i, j, l) =
                  noise[static_cast<std::size_t>(((b * 3 + d) * n + i) * n * n + j * n + l)];
    Kokkos::deep_copy(field, host);
    set_velocity(field);
    const std::int64_t m = fourier_.modes();
    factor_view_type filter("gavel::NavierStokes3d::filter", m, m, m);
    auto filter_host = Kokkos::create_mirror_view(filter);
    for (std::int64_t a = 0; a < m; ++a)
      for (std::int64_t e = 0; e < m; ++e)
        for (std::int64_t c = 0; c < m; ++c) {
          const double k2 = squared_wavenumber(a, e, c);
          filter_host(a, e, c) = k2 > 0.0 ? spectrum.amplitude(std::sqrt(k2)) : 0.0;
        }
    Kokkos::deep_copy(filter, filter_host);
    Kokkos::View<double*, memory_space> scale("gavel::NavierStokes3d::scale", batch_);
    Kokkos::deep_copy(scale, 1.0);
    detail::ns3_scale(space_, state_, filter, scale, batch_);
    space_.fence();
    const std::vector<double> e = energy();
    auto scale_host = Kokkos::create_mirror_view(scale);
    for (std::int64_t b = 0; b < batch_; ++b) {
      const double u_rms = std::sqrt(2.0 * e[static_cast<std::size_t>(b)]);
      if (!(u_rms > 0.0)) throw Error("Navier–Stokes 3-D: random initial condition " + std::to_string(b) + " is zero");
      scale_host(b) = spectrum.velocity_rms / u_rms;
    }
    Kokkos::deep_copy(scale, scale_host);
    Kokkos::deep_copy(filter, 1.0);
    detail::ns3_scale(space_, state_, filter, scale, batch_);
    space_.fence();
  }

  /// Advances every trajectory by `count` time steps.
  void step(std::int64_t count = 1) {
    const double h = parameters_.time_step;
    const std::int64_t entries = 3 * batch_;
    for (std::int64_t s = 0; s < count; ++s) {
      nonlinear_spectrum(state_, stage_[0]);
      detail::ns3_lawson_stage(space_, 1, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                               trial_, entries);
      nonlinear_spectrum(trial_, stage_[1]);
      detail::ns3_lawson_stage(space_, 2, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                               trial_, entries);
      nonlinear_spectrum(trial_, stage_[2]);
      detail::ns3_lawson_stage(space_, 3, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                               trial_, entries);
      nonlinear_spectrum(trial_, stage_[3]);
      detail::ns3_lawson_stage(space_, 4, h, e_full_, e_half_, state_, stage_[0], stage_[1], stage_[2], stage_[3],
                               trial_, entries);
      ++steps_;
    }
    space_.fence();
  }

  /// Velocity and vorticity on the grid: `out` (6B, n, n, n) gets u_x, u_y, u_z, ω_x, ω_y, ω_z,
  /// each B entries (entry d·B + b).
  void velocity_and_vorticity(const real_view& out) {
    detail::ns3_velocity_vorticity(space_, state_, stacked_, batch_, parameters_.kmax());
    fourier_.inverse(stacked_, out, 6 * batch_, space_);
    space_.fence();
  }

  /// out = P(u × ω) for the band-limited divergence-free part of `velocity` (3B, n, n, n),
  /// itself band-limited (the dealiased nonlinear term the solver uses); the state is left alone.
  void nonlinear_term(const real_view& velocity, const real_view& out) {
    fourier_.forward(velocity, trial_, 3 * batch_, space_);
    detail::ns3_project(space_, trial_, batch_, parameters_.kmax());
    nonlinear_spectrum(trial_, stage_[0]);
    fourier_.inverse(stage_[0], out, 3 * batch_, space_);
    space_.fence();
  }

  /// Per trajectory, from the spectrum by Parseval: kinetic energy E = ½⟨|u|²⟩ and enstrophy
  /// Z = ½⟨|ω|²⟩, ⟨·⟩ the mean over the domain.
  std::vector<double> energy() const { return quadratic(false); }
  std::vector<double> enstrophy() const { return quadratic(true); }

 private:
  using factor_view_type = Kokkos::View<double***, Kokkos::LayoutRight, memory_space>;

  static const NavierStokes3dParameters& checked(const NavierStokes3dParameters& p, std::int64_t batch) {
    p.validate();
    if (batch < 1) throw Error("Navier–Stokes 3-D: batch of " + std::to_string(batch) + " trajectories");
    return p;
  }

  double squared_wavenumber(std::int64_t a, std::int64_t e, std::int64_t c) const {
    const auto kx = static_cast<double>(fourier_.wavenumber(a));
    const auto ky = static_cast<double>(fourier_.wavenumber(e));
    const auto kz = static_cast<double>(fourier_.wavenumber(c));
    return kx * kx + ky * ky + kz * kz;
  }

  /// out = P (u × ω)^ of the spectrum w, band-limited.
  void nonlinear_spectrum(const spectral_view& w, const spectral_view& out) {
    detail::ns3_velocity_vorticity(space_, w, stacked_, batch_, parameters_.kmax());
    fourier_.inverse(stacked_, physical_, 6 * batch_, space_);
    detail::ns3_cross_product(space_, physical_, product_, batch_, parameters_.n);
    fourier_.forward(product_, out, 3 * batch_, space_);
    detail::ns3_project(space_, out, batch_, parameters_.kmax());
  }

  std::vector<double> quadratic(bool enstrophy) const {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), state_);
    const std::int64_t m = fourier_.modes();
    std::vector<double> result(static_cast<std::size_t>(batch_), 0.0);
    for (std::int64_t b = 0; b < batch_; ++b) {
      double sum = 0.0;
      for (std::int64_t d = 0; d < 3; ++d)
        for (std::int64_t a = 0; a < m; ++a)
          for (std::int64_t e = 0; e < m; ++e)
            for (std::int64_t c = 0; c < m; ++c) {
              const double magnitude = Kokkos::abs(host(d * batch_ + b, a, e, c));
              // |ω̂|² = |k × û|² = |k|²|û|² for divergence-free û.
              sum += (enstrophy ? squared_wavenumber(a, e, c) : 1.0) * magnitude * magnitude;
            }
      result[static_cast<std::size_t>(b)] = 0.5 * sum;
    }
    return result;
  }

  NavierStokes3dParameters parameters_;
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

/// One `gavel generate --equation navier-stokes-3d` run: solver parameters, the initial
/// spectrum, what is saved and the seed. The defaults are the bundled dataset's
/// (datasets/reference/navier_stokes_3d).
struct NavierStokes3dRun {
  NavierStokes3dParameters solver;  ///< its time_step is set from save_interval / substeps
  RandomVelocitySpectrum spectrum;
  double save_interval = 0.25;  ///< time between saved steps
  std::int64_t steps = 5;       ///< saved steps per trajectory, t = 0 included
  std::int64_t substeps = 0;    ///< solver steps per saved interval; 0 picks resolved_substeps()
  std::uint64_t seed = 0;
  /// `substeps`, or when 0 the fewest steps with h ≤ 0.5/(n·U): the advective CFL number
  /// |k·u|·h ≤ √3·K·|u|·h stays below 2.8 (RK4's limit on the imaginary axis) for |u| up to
  /// ≈ 9.7 U.
  std::int64_t resolved_substeps() const;
  /// The parameters the solver runs with (time_step = save_interval / resolved_substeps()).
  NavierStokes3dParameters solver_parameters() const;
  /// Re = U / (k₀ ν): the Reynolds number of the energy-containing scale 1/k₀.
  double reynolds_number() const;
  /// Throws gavel::Error naming the first bad parameter (ν must be positive here).
  void validate() const;
};

/// The Well description of `trajectories` trajectories of `run`: dataset `navier_stokes_3d`,
/// Cartesian axes x, y, z with cell-centred coordinates (i + ½)·2π/n and periodic boundaries,
/// time values s·save_interval, the fields `velocity` (t1, polar) and `vorticity` (t1, pseudo:
/// an axial vector), and the simulation parameters viscosity, peak_wavenumber, velocity_rms and
/// Re (also as scalars).
WellFileInfo navier_stokes_3d_info(const NavierStokes3dRun& run, std::int64_t trajectories);

/// Runs `trajectories` trajectories of `run` on the default execution space, in batches, and
/// keeps the saved steps as float32 in a MemorySource laid out as navier_stokes_3d_info says.
/// Trajectory t of the result is trajectory `first_trajectory + t` of the stream: it starts from
/// white_noise(3n³, trajectory_seed(run.seed, stream, first_trajectory + t)), so it does not
/// depend on the batch size, on how many trajectories are asked for or on how a split is cut
/// into files. Throws gavel::Error when the solution stops being finite or its energy grows
/// (too large a time step).
MemorySource generate_navier_stokes_3d(const NavierStokes3dRun& run, std::int64_t trajectories, std::uint64_t stream,
                                       std::int64_t first_trajectory = 0);

}  // namespace gavel::datasets
