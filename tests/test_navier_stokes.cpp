// The reference-data solver: its DFT pair, exact solutions, the advection term, conservation and
// decay, determinism, and equivariance under the admissible group of the periodic square checked
// with gavel's own group-action kernels (vorticity as a pseudoscalar, velocity as a vector).
#include <catch2/catch_approx.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/datasets/generators/navier_stokes_2d.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_stats.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr double kTwoPi = 2.0 * kPi;

template <class View>
View field_to_device(const std::vector<double>& values, std::int64_t batch, std::int64_t n) {
  View view("test_field", batch, n, n);
  auto host = Kokkos::create_mirror_view(view);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j)
        host(b, i, j) = values[static_cast<std::size_t>((b * n + i) * n + j)];
  Kokkos::deep_copy(view, host);
  return view;
}

template <class View>
std::vector<double> field_to_host(const View& view) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
  std::vector<double> values;
  for (std::size_t b = 0; b < view.extent(0); ++b)
    for (std::size_t i = 0; i < view.extent(1); ++i)
      for (std::size_t j = 0; j < view.extent(2); ++j)
        values.push_back(host(b, i, j));
  return values;
}

/// max |a − b| / max |b|.
double relative_error(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double diff = 0.0;
  double scale = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    diff = std::max(diff, std::abs(a[k] - b[k]));
    scale = std::max(scale, std::abs(b[k]));
  }
  return diff / scale;
}

/// Cell-centre coordinate of index i on an n-point axis of [0, 2π).
double centre(std::int64_t i, std::int64_t n) {
  return (static_cast<double>(i) + 0.5) * kTwoPi / static_cast<double>(n);
}

std::vector<double> sample(std::int64_t n, double (*f)(double, double)) {
  std::vector<double> values;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      values.push_back(f(centre(i, n), centre(j, n)));
  return values;
}

/// Noise for `batch` trajectories, as generate_navier_stokes_2d draws it.
std::vector<double> noise_for(std::int64_t batch, std::int64_t n, std::uint64_t seed) {
  std::vector<double> noise;
  for (std::int64_t b = 0; b < batch; ++b) {
    const auto v = white_noise(n * n, trajectory_seed(seed, 0, static_cast<std::uint64_t>(b)));
    noise.insert(noise.end(), v.begin(), v.end());
  }
  return noise;
}

/// The 8 elements of D4 and three with periodic shifts.
std::vector<GroupElement> test_elements(const Grid& grid) {
  std::vector<GroupElement> elements = admissible_group(grid).elements();
  elements.push_back(parse_element("id+shift(5,3)", 2));
  elements.push_back(parse_element("rot90+shift(4,-7)", 2));
  elements.push_back(parse_element("transpose+shift(1,11)", 2));
  return elements;
}

/// Every element applied to one (C, n, n) field: |E| fields, element-major.
template <class Space>
std::vector<double> apply_all(const Grid& grid, const ChannelLayout& layout, const std::vector<GroupElement>& elements,
                              const std::vector<double>& field) {
  const GroupAction<Space> action(grid, layout, elements);
  const auto in = test::to_device<double, Space>(field);
  Kokkos::View<double*, typename Space::memory_space> out("test_all", field.size() * elements.size());
  action.template apply_all<double>(in, 1, out);
  return test::to_host(out);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("the band-limited DFT pair round-trips to rounding", "[navier_stokes]", test::ExecutionSpaces) {
  using Space = TestType;
  using View = typename Fourier2d<Space>::real_view;
  std::mt19937 rng(Catch::getSeed());
  SECTION("odd n with K = (n-1)/2: every real field") {
    const std::int64_t n = 33;
    Fourier2d<Space> fourier(n, 16);
    const auto values = test::random_values(static_cast<std::size_t>(3 * n * n), rng);
    const auto field = field_to_device<View>(values, 3, n);
    auto spectrum = fourier.make_spectral("spectrum", 3);
    auto back = fourier.make_real("back", 3);
    fourier.forward(field, spectrum, 3);
    fourier.inverse(spectrum, back, 3);
    CHECK(relative_error(field_to_host(back), values) < 1e-13);
  }
  SECTION("even n, 2/3-rule band: band-limited spectra") {
    const std::int64_t n = 32;
    Fourier2d<Space> fourier(n, 10);
    const auto values = test::random_values(static_cast<std::size_t>(2 * n * n), rng);
    auto spectrum = fourier.make_spectral("spectrum", 2);
    auto again = fourier.make_spectral("again", 2);
    auto field = fourier.make_real("field", 2);
    fourier.forward(field_to_device<View>(values, 2, n), spectrum, 2);  // a valid band-limited spectrum
    fourier.inverse(spectrum, field, 2);
    fourier.forward(field, again, 2);
    auto a = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), spectrum);
    auto b = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), again);
    double diff = 0.0;
    double scale = 0.0;
    for (std::size_t s = 0; s < 2; ++s)
      for (std::int64_t x = 0; x < fourier.modes_x(); ++x)
        for (std::int64_t y = 0; y < fourier.modes_y(); ++y) {
          diff = std::max(diff, Kokkos::abs(a(s, x, y) - b(s, x, y)));
          scale = std::max(scale, Kokkos::abs(a(s, x, y)));
        }
    CHECK(diff / scale < 1e-13);
  }
  SECTION("single modes land where the definition puts them") {
    const std::int64_t n = 16;
    Fourier2d<Space> fourier(n, 5);
    std::vector<double> values;
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        const double t = kTwoPi / static_cast<double>(n);
        values.push_back(std::cos(t * static_cast<double>(3 * i + 2 * j)) +
                         0.25 * std::sin(t * static_cast<double>(-4 * i + 5 * j)) + 0.5);
      }
    auto spectrum = fourier.make_spectral("spectrum", 1);
    fourier.forward(field_to_device<View>(values, 1, n), spectrum, 1);
    auto s = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), spectrum);
    using C = Kokkos::complex<double>;
    for (std::int64_t a = 0; a < fourier.modes_x(); ++a)
      for (std::int64_t c = 0; c < fourier.modes_y(); ++c) {
        const std::int64_t kx = fourier.wavenumber_x(a);
        const std::int64_t ky = fourier.wavenumber_y(c);
        C expected(0.0, 0.0);
        if (kx == 3 && ky == 2) expected = C(0.5, 0.0);
        if (kx == -4 && ky == 5) expected = C(0.0, -0.125);  // 0.25 sin θ = 0.25 (e^{iθ} − e^{−iθ}) / 2i
        if (kx == 0 && ky == 0) expected = C(0.5, 0.0);
        INFO("k = (" << kx << ", " << ky << ")");
        CHECK(Kokkos::abs(s(0, a, c) - expected) < 1e-14);
      }
  }
  SECTION("bad band limits are refused") {
    CHECK_THROWS_AS(Fourier2d<Space>(16, 8), Error);
    CHECK_THROWS_AS(Fourier2d<Space>(16, -1), Error);
    CHECK_THROWS_AS(Fourier2d<Space>(1, 0), Error);
  }
}

TEMPLATE_LIST_TEST_CASE("Taylor-Green vortices decay as exp(-(2 nu k^2 + alpha) t)", "[navier_stokes]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  using View = typename NavierStokes2d<Space>::real_view;
  // The integrating factor makes the linear part exact and the nonlinear term vanishes for
  // these eigenfunctions of the Laplacian, so even a coarse step reproduces the decay.
  const std::int64_t n = 16;
  NavierStokes2dParameters p;
  p.n = n;
  p.viscosity = 0.05;
  p.drag = 0.1;
  p.time_step = 0.05;
  for (const int k : {1, 2, 5}) {
    INFO("k = " << k);
    const double kk = k;
    std::vector<double> omega0, ux0, uy0;
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        const double x = centre(i, n);
        const double y = centre(j, n);
        omega0.push_back(2.0 * kk * kk * std::cos(kk * x) * std::cos(kk * y));  // ψ = cos kx cos ky
        ux0.push_back(-kk * std::cos(kk * x) * std::sin(kk * y));               // ∂_y ψ
        uy0.push_back(kk * std::sin(kk * x) * std::cos(kk * y));                // −∂_x ψ
      }
    NavierStokes2d<Space> solver(p, 1);
    solver.set_vorticity(field_to_device<View>(omega0, 1, n));
    solver.step(20);
    const double decay = std::exp(-(2.0 * p.viscosity * kk * kk + p.drag) * solver.time());
    auto omega = solver.make_field("omega");
    auto ux = solver.make_field("ux");
    auto uy = solver.make_field("uy");
    solver.vorticity(omega);
    solver.velocity(ux, uy);
    auto scaled = [decay](std::vector<double> v) {
      for (auto& x : v)
        x *= decay;
      return v;
    };
    CHECK(solver.time() == Catch::Approx(1.0));
    CHECK(relative_error(field_to_host(omega), scaled(omega0)) < 1e-12);
    CHECK(relative_error(field_to_host(ux), scaled(ux0)) < 1e-12);
    CHECK(relative_error(field_to_host(uy), scaled(uy0)) < 1e-12);
    CHECK(solver.energy()[0] == Catch::Approx(kk * kk / 4.0 * decay * decay).epsilon(1e-12));
    CHECK(solver.enstrophy()[0] == Catch::Approx(0.5 * kk * kk * kk * kk * decay * decay).epsilon(1e-12));
  }
}

TEMPLATE_LIST_TEST_CASE("the advection term matches u.grad(omega) worked out by hand", "[navier_stokes]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  using View = typename NavierStokes2d<Space>::real_view;
  // ω = cos x + cos 2y: ψ = cos x + cos(2y)/4, u = (−sin(2y)/2, sin x), u·∇ω = −1.5 sin x sin 2y.
  NavierStokes2dParameters p;
  p.n = 16;
  NavierStokes2d<Space> solver(p, 1);
  const auto omega = sample(16, [](double x, double y) { return std::cos(x) + std::cos(2.0 * y); });
  const auto expected = sample(16, [](double x, double y) { return -1.5 * std::sin(x) * std::sin(2.0 * y); });
  auto out = solver.make_field("advection");
  solver.advection(field_to_device<View>(omega, 1, 16), out);
  CHECK(relative_error(field_to_host(out), expected) < 1e-13);
}

TEMPLATE_LIST_TEST_CASE("energy and enstrophy: conserved without dissipation, decreasing with it", "[navier_stokes]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  NavierStokes2dParameters p;
  p.n = 24;
  p.time_step = 0.02;
  RandomVorticitySpectrum spectrum;
  SECTION("inviscid: the dealiased nonlinear term conserves both") {
    p.viscosity = 0.0;
    NavierStokes2d<Space> solver(p, 2);
    solver.set_random_vorticity(noise_for(2, p.n, 7), spectrum);
    const auto e0 = solver.energy();
    const auto z0 = solver.enstrophy();
    CHECK(e0[0] == Catch::Approx(0.5).epsilon(1e-12));  // ½ U², U = 1
    solver.step(25);
    for (std::size_t b = 0; b < 2; ++b) {
      CHECK(std::abs(solver.energy()[b] / e0[b] - 1.0) < 1e-7);
      CHECK(std::abs(solver.enstrophy()[b] / z0[b] - 1.0) < 1e-6);
    }
  }
  SECTION("viscous and with drag: both fall at every step, E at the rate 2 nu Z + 2 alpha E") {
    p.viscosity = 0.02;
    p.drag = 0.05;
    NavierStokes2d<Space> solver(p, 2);
    solver.set_random_vorticity(noise_for(2, p.n, 8), spectrum);
    auto e = solver.energy();
    auto z = solver.enstrophy();
    for (int s = 0; s < 30; ++s) {
      solver.step(1);
      const auto e1 = solver.energy();
      const auto z1 = solver.enstrophy();
      for (std::size_t b = 0; b < 2; ++b) {
        REQUIRE(e1[b] < e[b]);
        REQUIRE(z1[b] < z[b]);
        // dE/dt = −2νZ − 2αE exactly for the Galerkin-truncated system; midpoint estimate.
        const double rate = (e1[b] - e[b]) / p.time_step;
        const double expected = -2.0 * p.viscosity * 0.5 * (z[b] + z1[b]) - 2.0 * p.drag * 0.5 * (e[b] + e1[b]);
        REQUIRE(rate == Catch::Approx(expected).epsilon(1e-3));
      }
      e = e1;
      z = z1;
    }
  }
}

TEMPLATE_LIST_TEST_CASE("evolving g.omega equals g applied to the evolved omega", "[navier_stokes][equivariance]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  using View = typename NavierStokes2d<Space>::real_view;
  const std::int64_t n = 24;
  const Grid grid({n, n});
  const auto elements = test_elements(grid);
  const auto count = static_cast<std::int64_t>(elements.size());
  const ChannelLayout pseudo(2, {{"vorticity", FieldKind::scalar, true}});
  const ChannelLayout scalar(2, {{"vorticity", FieldKind::scalar, false}});
  const ChannelLayout vector(2, {{"velocity", FieldKind::vector, false}});
  NavierStokes2dParameters p;
  p.n = n;
  p.viscosity = 0.02;
  p.drag = 0.01;
  p.time_step = 0.02;
  const std::int64_t steps = 50;  // t = 1, about four turnover times 1/ω_rms

  NavierStokes2d<Space> base(p, 1);
  base.set_random_vorticity(noise_for(1, n, 2026), RandomVorticitySpectrum{});
  auto field = base.make_field("omega0");
  base.vorticity(field);
  const auto omega0 = field_to_host(field);
  base.step(steps);
  base.vorticity(field);
  const auto omega_t = field_to_host(field);
  auto ux = base.make_field("ux");
  auto uy = base.make_field("uy");
  base.velocity(ux, uy);
  std::vector<double> u_t = field_to_host(ux);
  const auto uy_t = field_to_host(uy);
  u_t.insert(u_t.end(), uy_t.begin(), uy_t.end());  // (C = 2, n, n)

  auto evolve = [&](const std::vector<double>& initial) {
    NavierStokes2d<Space> solver(p, count);
    solver.set_vorticity(field_to_device<View>(initial, count, n));
    solver.step(steps);
    auto w = solver.make_field("omega");
    auto vx = solver.make_field("ux");
    auto vy = solver.make_field("uy");
    solver.vorticity(w);
    solver.velocity(vx, vy);
    const auto vx_host = field_to_host(vx);
    const auto vy_host = field_to_host(vy);
    std::vector<double> velocity;  // (|E|, 2, n, n)
    const auto points = static_cast<std::size_t>(n * n);
    for (std::size_t e = 0; e < elements.size(); ++e) {
      velocity.insert(velocity.end(), vx_host.begin() + static_cast<std::ptrdiff_t>(e * points),
                      vx_host.begin() + static_cast<std::ptrdiff_t>((e + 1) * points));
      velocity.insert(velocity.end(), vy_host.begin() + static_cast<std::ptrdiff_t>(e * points),
                      vy_host.begin() + static_cast<std::ptrdiff_t>((e + 1) * points));
    }
    return std::make_pair(field_to_host(w), velocity);
  };

  const auto [omega_g, u_g] = evolve(apply_all<Space>(grid, pseudo, elements, omega0));
  const auto expected_omega = apply_all<Space>(grid, pseudo, elements, omega_t);
  const auto expected_u = apply_all<Space>(grid, vector, elements, u_t);
  const auto points = static_cast<std::ptrdiff_t>(n * n);
  double worst = 0.0;
  for (std::size_t e = 0; e < elements.size(); ++e) {
    INFO("element " << notation(elements[e]));
    const auto at = static_cast<std::ptrdiff_t>(e);
    const std::vector<double> w(omega_g.begin() + at * points, omega_g.begin() + (at + 1) * points);
    const std::vector<double> w_ref(expected_omega.begin() + at * points, expected_omega.begin() + (at + 1) * points);
    const std::vector<double> u(u_g.begin() + 2 * at * points, u_g.begin() + 2 * (at + 1) * points);
    const std::vector<double> u_ref(expected_u.begin() + 2 * at * points, expected_u.begin() + 2 * (at + 1) * points);
    const double err_w = relative_error(w, w_ref);
    const double err_u = relative_error(u, u_ref);
    worst = std::max({worst, err_w, err_u});
    CHECK(err_w < 1e-12);
    CHECK(err_u < 1e-12);
  }
  UNSCOPED_INFO("largest relative equivariance error (float64, t = 1): " << worst);
  CHECK(worst < 1e-12);

  // Treating vorticity as a plain scalar breaks it for every reflection: −ω does not evolve
  // into −(evolved ω), since the advection term is quadratic in ω.
  const auto [omega_s, u_s] = evolve(apply_all<Space>(grid, scalar, elements, omega0));
  const auto expected_s = apply_all<Space>(grid, scalar, elements, omega_t);
  for (std::size_t e = 0; e < elements.size(); ++e) {
    const auto at = static_cast<std::ptrdiff_t>(e);
    const std::vector<double> w(omega_s.begin() + at * points, omega_s.begin() + (at + 1) * points);
    const std::vector<double> w_ref(expected_s.begin() + at * points, expected_s.begin() + (at + 1) * points);
    INFO("element " << notation(elements[e]));
    if (elements[e].determinant() < 0) {
      CHECK(relative_error(w, w_ref) > 1e-2);
    } else {
      CHECK(relative_error(w, w_ref) < 1e-12);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("random initial conditions: filtering commutes with the group", "[navier_stokes]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  const std::int64_t n = 32;
  const Grid grid({n, n});
  const auto elements = test_elements(grid);
  const auto count = static_cast<std::int64_t>(elements.size());
  const ChannelLayout scalar(2, {{"noise", FieldKind::scalar, false}});
  NavierStokes2dParameters p;
  p.n = n;
  const auto noise = white_noise(n * n, 99);
  NavierStokes2d<Space> one(p, 1);
  one.set_random_vorticity(noise, RandomVorticitySpectrum{});
  auto field = one.make_field("omega");
  one.vorticity(field);
  const auto expected = apply_all<Space>(grid, scalar, elements, field_to_host(field));
  NavierStokes2d<Space> all(p, count);
  all.set_random_vorticity(apply_all<Space>(grid, scalar, elements, noise), RandomVorticitySpectrum{});
  auto fields = all.make_field("omega_all");
  all.vorticity(fields);
  // The noise's distribution is also invariant under ω ↦ −ω, so the ensemble of initial
  // conditions is invariant under the pseudoscalar action too.
  CHECK(relative_error(field_to_host(fields), expected) < 1e-12);
}

TEST_CASE("generated trajectories are deterministic by seed", "[navier_stokes]") {
  NavierStokes2dRun run;
  run.solver.n = 16;
  run.steps = 3;
  run.save_interval = 0.05;
  run.seed = 11;
  const MemorySource a = generate_navier_stokes_2d(run, 3, 0);
  const MemorySource b = generate_navier_stokes_2d(run, 3, 0);
  const MemorySource fewer = generate_navier_stokes_2d(run, 2, 0);
  CHECK(a.values(0) == b.values(0));
  CHECK(a.values(1) == b.values(1));
  const std::size_t frames = 16 * 16 * 3;
  const std::vector<float> first_two(a.values(0).begin(), a.values(0).begin() + 2 * frames);
  CHECK(first_two == fewer.values(0));
  const MemorySource last = generate_navier_stokes_2d(run, 1, 0, 2);
  const std::vector<float> third(a.values(0).begin() + 2 * frames, a.values(0).end());
  CHECK(third == last.values(0));
  const MemorySource other_stream = generate_navier_stokes_2d(run, 3, 1);
  CHECK(other_stream.values(0) != a.values(0));
  run.seed = 12;
  const MemorySource other_seed = generate_navier_stokes_2d(run, 3, 0);
  CHECK(other_seed.values(0) != a.values(0));
  CHECK(white_noise(5, 3) == white_noise(5, 3));
  CHECK(trajectory_seed(1, 0, 0) != trajectory_seed(1, 0, 1));
  CHECK(trajectory_seed(1, 0, 0) != trajectory_seed(1, 1, 0));
  CHECK(trajectory_seed(1, 0, 0) != trajectory_seed(2, 0, 0));
}

TEST_CASE("generated data: Well description, values and time", "[navier_stokes]") {
  NavierStokes2dRun run;
  run.solver.n = 16;
  run.steps = 3;
  run.save_interval = 0.25;
  const MemorySource source = generate_navier_stokes_2d(run, 2, 0);
  const WellFileInfo& info = source.info();
  CHECK(info.dataset_name == "navier_stokes_2d");
  CHECK(info.spatial_shape == std::vector<std::int64_t>{16, 16});
  CHECK(info.time == std::vector<double>{0.0, 0.25, 0.5});
  REQUIRE(info.fields.size() == 2);
  CHECK(info.fields[0].pseudo);
  CHECK(info.fields[0].shape == std::vector<std::int64_t>{2, 3, 16, 16});
  CHECK(info.fields[1].shape == std::vector<std::int64_t>{2, 3, 16, 16, 2});
  CHECK(info.grid() == Grid({16, 16}));
  CHECK(info.coordinates[0].front() == Catch::Approx(kPi / 16));
  // The saved velocity has rms 1 at t = 0 and zero mean vorticity.
  double u2 = 0.0;
  double w = 0.0;
  for (std::size_t p = 0; p < 256; ++p) {
    u2 += source.frame(1, 1, 0)[2 * p] * source.frame(1, 1, 0)[2 * p] +
          source.frame(1, 1, 0)[2 * p + 1] * source.frame(1, 1, 0)[2 * p + 1];
    w += source.frame(0, 1, 0)[p];
  }
  CHECK(std::sqrt(u2 / 256) == Catch::Approx(1.0).epsilon(1e-6));
  CHECK(std::abs(w / 256) < 1e-6);
}

TEST_CASE("bad solver and run parameters are refused with the parameter named", "[navier_stokes]") {
  NavierStokes2dParameters p;
  p.n = 4;
  CHECK_THROWS_WITH(p.validate(), ContainsSubstring("grid size 4"));
  p.n = 32;
  p.viscosity = -1.0;
  CHECK_THROWS_WITH(p.validate(), ContainsSubstring("viscosity"));
  p.viscosity = 0.01;
  p.time_step = 0.0;
  CHECK_THROWS_WITH(p.validate(), ContainsSubstring("time step"));
  p.time_step = std::nan("");
  CHECK_THROWS_AS(p.validate(), Error);
  NavierStokes2dRun run;
  run.spectrum.peak_wavenumber = 11.0;  // K = 10 at n = 32
  CHECK_THROWS_WITH(run.validate(), ContainsSubstring("peak wavenumber"));
  run.spectrum.peak_wavenumber = 3.0;
  run.solver.viscosity = 0.0;
  CHECK_THROWS_WITH(run.validate(), ContainsSubstring("viscosity must be positive"));
  run.solver.viscosity = 0.02;
  run.steps = 1;
  CHECK_THROWS_WITH(run.validate(), ContainsSubstring("saved steps"));
  run.steps = 5;
  CHECK_NOTHROW(run.validate());
  CHECK(run.resolved_substeps() == 13);  // h ≤ 0.5/(32·1): 0.2 / 13 ≈ 0.0154
  CHECK_THROWS_AS(generate_navier_stokes_2d(run, 0, 0), Error);
  NavierStokes2dParameters ok;
  CHECK_THROWS_AS(NavierStokes2d<>(ok, 0), Error);
  NavierStokes2d<> solver(ok, 1);
  CHECK_THROWS_WITH(solver.set_random_vorticity(std::vector<double>(10), RandomVorticitySpectrum{}),
                    ContainsSubstring("noise values"));
}

TEST_CASE("the bundled reference dataset is what the generator makes, with its statistics", "[navier_stokes]") {
  const std::string root = gavel::test::reference_data_dir() + "/navier_stokes_2d";
  const WellDatasetFolder folder = open_well_dataset(root);
  REQUIRE(folder.splits.size() == 3);
  REQUIRE(folder.stats.has_value());
  const WellFileSource train(folder.splits[0].files.at(0));
  const WellFileInfo& info = train.info();
  CHECK(info.n_trajectories == 6);
  CHECK(info.n_steps == 20);
  CHECK(info.grid() == Grid({32, 32}));
  CHECK(folder.stats->mismatches(info).empty());

  // The defaults of NavierStokes2dRun are the bundle's parameters (documented command line).
  const NavierStokes2dRun run;
  for (const auto& [name, value] : info.simulation_parameters) {
    if (name == "viscosity") CHECK(value == run.solver.viscosity);
    if (name == "Re") CHECK(value == Catch::Approx(run.reynolds_number()));
  }
  // The first four saved steps of trajectory 1 of the train split again, here: equal up to the
  // float32 rounding differences another build or execution space may introduce.
  NavierStokes2dRun shorter = run;
  shorter.steps = 4;
  const MemorySource again = generate_navier_stokes_2d(shorter, 1, 0, 1);
  for (std::size_t f = 0; f < 2; ++f) {
    const auto size = static_cast<std::size_t>(frame_size(info, info.fields[f]) * shorter.steps);
    std::vector<float> stored(size);
    train.read_frames(f, 1, 0, shorter.steps, 1, stored.data());
    const std::vector<double> a(stored.begin(), stored.end());
    const std::vector<double> b(again.values(f).begin(), again.values(f).end());
    INFO(info.fields[f].name);
    UNSCOPED_INFO("largest difference from the bundled data, relative: " << relative_error(b, a));
    CHECK(relative_error(b, a) < 1e-5);
  }
  // stats.yaml is WellStats::compute of the train split.
  const WellStats stats = WellStats::compute({&train});
  for (const auto& key : stats.keys())
    for (const auto& field : info.fields) {
      INFO(key << "/" << field.name);
      const auto& computed = stats.values(key, field.name);
      const auto& stored = folder.stats->values(key, field.name);
      REQUIRE(computed.size() == stored.size());
      for (std::size_t c = 0; c < computed.size(); ++c)
        CHECK(computed[c] == Catch::Approx(stored[c]).epsilon(1e-12).margin(1e-15));
    }
}
