// The 3-D reference-data solver: its DFT pair, exact solutions (ABC flows), the nonlinear term,
// conservation and decay, divergence-free velocity and vorticity = curl(velocity) in the saved
// data, determinism, and equivariance under O_h and periodic shifts checked with gavel's own
// group-action kernels (velocity a vector, vorticity an axial vector).
#include <catch2/catch_approx.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/datasets/generators/navier_stokes_3d.hpp"
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

/// (count, n, n, n) values, row-major, to a rank-4 view and back.
template <class View>
View fields_to_device(const std::vector<double>& values, std::int64_t count, std::int64_t n) {
  View view("test_fields", count, n, n, n);
  auto host = Kokkos::create_mirror_view(view);
  std::size_t k = 0;
  for (std::int64_t b = 0; b < count; ++b)
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t l = 0; l < n; ++l)
          host(b, i, j, l) = values[k++];
  Kokkos::deep_copy(view, host);
  return view;
}

template <class View>
std::vector<double> fields_to_host(const View& view) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
  std::vector<double> values;
  for (std::size_t b = 0; b < view.extent(0); ++b)
    for (std::size_t i = 0; i < view.extent(1); ++i)
      for (std::size_t j = 0; j < view.extent(2); ++j)
        for (std::size_t l = 0; l < view.extent(3); ++l)
          values.push_back(host(b, i, j, l));
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

double centre(std::int64_t i, std::int64_t n) {
  return (static_cast<double>(i) + 0.5) * kTwoPi / static_cast<double>(n);
}

/// A vector field (3, n, n, n) sampled from f(x, y, z, component).
template <class F>
std::vector<double> sample_vector(std::int64_t n, F f) {
  std::vector<double> values;
  for (int d = 0; d < 3; ++d)
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t l = 0; l < n; ++l)
          values.push_back(f(centre(i, n), centre(j, n), centre(l, n), d));
  return values;
}

/// The ABC (Arnold–Beltrami–Childress) flow of wavenumber k: curl u = k u, so u × ω = 0 and it
/// decays as exp(−ν k² t) exactly.
std::vector<double> abc_flow(std::int64_t n, int k) {
  const double a = 1.0, b = 0.7, c = 0.4;
  return sample_vector(n, [=](double x, double y, double z, int d) {
    if (d == 0) return a * std::sin(k * z) + c * std::cos(k * y);
    if (d == 1) return b * std::sin(k * x) + a * std::cos(k * z);
    return c * std::sin(k * y) + b * std::cos(k * x);
  });
}

/// Noise for `batch` trajectories, as generate_navier_stokes_3d draws it.
std::vector<double> noise_for(std::int64_t batch, std::int64_t n, std::uint64_t seed) {
  std::vector<double> noise;
  for (std::int64_t b = 0; b < batch; ++b) {
    const auto v = white_noise(3 * n * n * n, trajectory_seed(seed, 0, static_cast<std::uint64_t>(b)));
    noise.insert(noise.end(), v.begin(), v.end());
  }
  return noise;
}

/// A few elements of O_h — proper rotations, a 3-cycle, reflections in a plane and a diagonal
/// plane, the inversion — and some with periodic shifts.
std::vector<GroupElement> test_elements() {
  std::vector<GroupElement> elements;
  for (const char* text : {"id", "rot90_z", "[y,z,x]", "flip_x", "transpose_xy", "inversion", "[-z,y,-x]",
                           "rot90_x+shift(3,0,5)", "flip_y+shift(1,2,3)"})
    elements.push_back(parse_element(text, 3));
  return elements;
}

/// Every element applied to one (3, n, n, n) field: |E| fields, element-major.
template <class Space>
std::vector<double> apply_all(const Grid& grid, const ChannelLayout& layout, const std::vector<GroupElement>& elements,
                              const std::vector<double>& field) {
  const GroupAction<Space> action(grid, layout, elements);
  const auto in = test::to_device<double, Space>(field);
  Kokkos::View<double*, typename Space::memory_space> out("test_all", field.size() * elements.size());
  action.template apply_all<double>(in, 1, out);
  return test::to_host(out);
}

/// (E, 3, n³) element-major fields to the solver's component-major (3E, n³) layout and back.
std::vector<double> element_major_to_component_major(const std::vector<double>& v, std::size_t elements,
                                                     std::size_t points) {
  std::vector<double> out(v.size());
  for (std::size_t e = 0; e < elements; ++e)
    for (std::size_t d = 0; d < 3; ++d)
      std::copy_n(v.begin() + static_cast<std::ptrdiff_t>((e * 3 + d) * points), points,
                  out.begin() + static_cast<std::ptrdiff_t>((d * elements + e) * points));
  return out;
}
std::vector<double> component_major_to_element_major(const std::vector<double>& v, std::size_t elements,
                                                     std::size_t points) {
  std::vector<double> out(v.size());
  for (std::size_t e = 0; e < elements; ++e)
    for (std::size_t d = 0; d < 3; ++d)
      std::copy_n(v.begin() + static_cast<std::ptrdiff_t>((d * elements + e) * points), points,
                  out.begin() + static_cast<std::ptrdiff_t>((e * 3 + d) * points));
  return out;
}

/// The spectrum of a saved float32 vector field (frame [x][y][z][component]) by a naive DFT
/// written from the definition, F(k) = 1/n³ Σ_p f(p) e^{−2πi k·p/n}, for |k_i| ≤ K.
struct Spectrum {
  std::int64_t kmax;
  std::vector<std::complex<double>> values;  // (2K+1)³ × 3
  std::complex<double> at(std::int64_t kx, std::int64_t ky, std::int64_t kz, int d) const {
    const std::int64_t m = 2 * kmax + 1;
    return values[static_cast<std::size_t>((((kx + kmax) * m + ky + kmax) * m + kz + kmax) * 3 + d)];
  }
};
Spectrum naive_spectrum(const float* frame, std::int64_t n, std::int64_t kmax) {
  Spectrum s{kmax, {}};
  const double t = kTwoPi / static_cast<double>(n);
  for (std::int64_t kx = -kmax; kx <= kmax; ++kx)
    for (std::int64_t ky = -kmax; ky <= kmax; ++ky)
      for (std::int64_t kz = -kmax; kz <= kmax; ++kz) {
        std::complex<double> sum[3];
        for (std::int64_t i = 0; i < n; ++i)
          for (std::int64_t j = 0; j < n; ++j)
            for (std::int64_t l = 0; l < n; ++l) {
              const auto phase = std::polar(1.0, -t * static_cast<double>(kx * i + ky * j + kz * l));
              for (int d = 0; d < 3; ++d)
                sum[d] += static_cast<double>(frame[((i * n + j) * n + l) * 3 + d]) * phase;
            }
        for (auto& v : sum)
          s.values.push_back(v / static_cast<double>(n * n * n));
      }
  return s;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("3-D: the band-limited DFT pair round-trips and puts modes where the definition does",
                        "[navier_stokes_3d]", test::ExecutionSpaces) {
  using Space = TestType;
  using View = typename Fourier3d<Space>::real_view;
  std::mt19937 rng(Catch::getSeed());
  SECTION("odd n with K = (n-1)/2: every real field") {
    const std::int64_t n = 9;
    Fourier3d<Space> fourier(n, 4);
    const auto values = test::random_values(static_cast<std::size_t>(2 * n * n * n), rng);
    auto spectrum = fourier.make_spectral("spectrum", 2);
    auto back = fourier.make_real("back", 2);
    fourier.forward(fields_to_device<View>(values, 2, n), spectrum, 2);
    fourier.inverse(spectrum, back, 2);
    CHECK(relative_error(fields_to_host(back), values) < 1e-13);
  }
  SECTION("single modes, and an exactly Hermitian spectrum") {
    const std::int64_t n = 12;
    Fourier3d<Space> fourier(n, 3);
    std::vector<double> values;
    const double t = kTwoPi / static_cast<double>(n);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t l = 0; l < n; ++l)
          values.push_back(std::cos(t * static_cast<double>(3 * i - 2 * j + l)) +
                           0.25 * std::sin(t * static_cast<double>(-i + 3 * l)) + 0.5);
    auto spectrum = fourier.make_spectral("spectrum", 1);
    fourier.forward(fields_to_device<View>(values, 1, n), spectrum, 1);
    auto s = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), spectrum);
    using C = Kokkos::complex<double>;
    const std::int64_t m = fourier.modes();
    for (std::int64_t a = 0; a < m; ++a)
      for (std::int64_t e = 0; e < m; ++e)
        for (std::int64_t c = 0; c < m; ++c) {
          const std::int64_t kx = fourier.wavenumber(a), ky = fourier.wavenumber(e), kz = fourier.wavenumber(c);
          C expected(0.0, 0.0);
          if (kx == 3 && ky == -2 && kz == 1) expected = C(0.5, 0.0);
          if (kx == -3 && ky == 2 && kz == -1) expected = C(0.5, 0.0);
          if (kx == -1 && ky == 0 && kz == 3) expected = C(0.0, -0.125);
          if (kx == 1 && ky == 0 && kz == -3) expected = C(0.0, 0.125);
          if (kx == 0 && ky == 0 && kz == 0) expected = C(0.5, 0.0);
          INFO("k = (" << kx << ", " << ky << ", " << kz << ")");
          CHECK(Kokkos::abs(s(0, a, e, c) - expected) < 1e-14);
          const C mirror = s(0, m - 1 - a, m - 1 - e, m - 1 - c);
          CHECK(s(0, a, e, c) == Kokkos::conj(mirror));  // bit for bit
        }
  }
  SECTION("bad band limits are refused") {
    CHECK_THROWS_AS(Fourier3d<Space>(16, 8), Error);
    CHECK_THROWS_AS(Fourier3d<Space>(16, -1), Error);
  }
}

TEMPLATE_LIST_TEST_CASE("3-D: ABC flows are steady Beltrami fields that decay as exp(-nu k^2 t)", "[navier_stokes_3d]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  const std::int64_t n = 12;
  NavierStokes3dParameters p;
  p.n = n;
  p.viscosity = 0.05;
  p.time_step = 0.05;
  for (const int k : {1, 2}) {
    INFO("k = " << k);
    const auto u0 = abc_flow(n, k);
    NavierStokes3d<Space> solver(p, 1);
    solver.set_velocity(fields_to_device<typename NavierStokes3d<Space>::real_view>(u0, 3, n));
    solver.step(20);
    const double decay = std::exp(-p.viscosity * k * k * solver.time());
    auto out = solver.make_fields("fields", 6);
    solver.velocity_and_vorticity(out);
    const auto both = fields_to_host(out);
    const auto middle = static_cast<std::ptrdiff_t>(both.size() / 2);
    std::vector<double> expected_u = u0, expected_w = u0;
    for (auto& x : expected_u)
      x *= decay;
    for (auto& x : expected_w)
      x *= k * decay;  // curl u = k u
    CHECK(relative_error({both.begin(), both.begin() + middle}, expected_u) < 1e-12);
    CHECK(relative_error({both.begin() + middle, both.end()}, expected_w) < 1e-12);
    const double e0 = 0.5 * (1.0 + 0.49 + 0.16);  // ½⟨|u|²⟩ = (A² + B² + C²)/2
    CHECK(solver.energy()[0] == Catch::Approx(e0 * decay * decay).epsilon(1e-12));
    CHECK(solver.enstrophy()[0] == Catch::Approx(k * k * e0 * decay * decay).epsilon(1e-12));
  }
}

TEMPLATE_LIST_TEST_CASE("3-D: the nonlinear term matches P(u x w) worked out by hand", "[navier_stokes_3d]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  // u = (sin z, sin x, 0): ω = (0, cos z, cos x), u × ω = (½ sin 2x, −sin z cos x, ½ sin 2z); the
  // first and last components are gradients, removed by the projection: P(u × ω) = −(u·∇)u.
  const std::int64_t n = 12;
  NavierStokes3dParameters p;
  p.n = n;
  NavierStokes3d<Space> solver(p, 1);
  using View = typename NavierStokes3d<Space>::real_view;
  const auto u = sample_vector(n, [](double x, double, double z, int d) {
    return d == 0 ? std::sin(z) : d == 1 ? std::sin(x) : 0.0;
  });
  const auto expected =
      sample_vector(n, [](double x, double, double z, int d) { return d == 1 ? -std::sin(z) * std::cos(x) : 0.0; });
  auto out = solver.make_fields("nonlinear", 3);
  solver.nonlinear_term(fields_to_device<View>(u, 3, n), out);
  CHECK(relative_error(fields_to_host(out), expected) < 1e-13);
}

TEMPLATE_LIST_TEST_CASE("3-D: energy conserved without viscosity, dE/dt = -2 nu Z with it", "[navier_stokes_3d]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  NavierStokes3dParameters p;
  p.n = 12;
  p.time_step = 0.02;
  SECTION("inviscid: the truncated nonlinear term exchanges energy between modes only") {
    p.viscosity = 0.0;
    NavierStokes3d<Space> solver(p, 2);
    solver.set_random_velocity(noise_for(2, p.n, 5), RandomVelocitySpectrum{});
    const auto e0 = solver.energy();
    const auto z0 = solver.enstrophy();
    solver.step(25);
    const auto e1 = solver.energy();
    const auto z1 = solver.enstrophy();
    for (std::size_t b = 0; b < 2; ++b) {
      CHECK(e1[b] == Catch::Approx(e0[b]).epsilon(1e-6));  // RK4's error only
      CHECK(std::abs(z1[b] - z0[b]) > 1e-3 * z0[b]);       // enstrophy is not conserved in 3-D
    }
  }
  SECTION("viscous") {
    p.viscosity = 0.05;
    NavierStokes3d<Space> solver(p, 2);
    solver.set_random_velocity(noise_for(2, p.n, 6), RandomVelocitySpectrum{});
    auto e = solver.energy();
    auto z = solver.enstrophy();
    for (int s = 0; s < 10; ++s) {
      solver.step(1);
      const auto e1 = solver.energy();
      const auto z1 = solver.enstrophy();
      for (std::size_t b = 0; b < 2; ++b) {
        CHECK(e1[b] < e[b]);
        const double rate = (e1[b] - e[b]) / p.time_step;
        REQUIRE(rate == Catch::Approx(-2.0 * p.viscosity * 0.5 * (z[b] + z1[b])).epsilon(1e-3));
      }
      e = e1;
      z = z1;
    }
  }
}

TEMPLATE_LIST_TEST_CASE("3-D: evolving g.u equals g applied to the evolved u; vorticity is an axial vector",
                        "[navier_stokes_3d][equivariance]", test::ExecutionSpaces) {
  using Space = TestType;
  using View = typename NavierStokes3d<Space>::real_view;
  const std::int64_t n = 12;
  const Grid grid({n, n, n});
  const auto elements = test_elements();
  const auto count = elements.size();
  const auto points = static_cast<std::size_t>(n * n * n);
  const ChannelLayout vector(3, {{"velocity", FieldKind::vector, false}});
  const ChannelLayout axial(3, {{"vorticity", FieldKind::vector, true}});
  NavierStokes3dParameters p;
  p.n = n;
  p.viscosity = 0.05;
  p.time_step = 0.04;
  const std::int64_t steps = 15;  // t = 0.6, about one turnover time 1/ω_rms

  NavierStokes3d<Space> base(p, 1);
  base.set_random_velocity(noise_for(1, n, 2026), RandomVelocitySpectrum{});
  auto fields = base.make_fields("fields", 6);
  base.velocity_and_vorticity(fields);
  const auto start = fields_to_host(fields);
  const std::vector<double> u0(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(3 * points));
  base.step(steps);
  base.velocity_and_vorticity(fields);
  const auto end = fields_to_host(fields);
  const std::vector<double> u_t(end.begin(), end.begin() + static_cast<std::ptrdiff_t>(3 * points));
  const std::vector<double> w_t(end.begin() + static_cast<std::ptrdiff_t>(3 * points), end.end());

  // Every transformed initial condition evolved in one batch.
  NavierStokes3d<Space> solver(p, static_cast<std::int64_t>(count));
  solver.set_velocity(fields_to_device<View>(
      element_major_to_component_major(apply_all<Space>(grid, vector, elements, u0), count, points),
      static_cast<std::int64_t>(3 * count), n));
  solver.step(steps);
  auto evolved = solver.make_fields("evolved", 6);
  solver.velocity_and_vorticity(evolved);
  const auto all = fields_to_host(evolved);
  const auto middle = static_cast<std::ptrdiff_t>(all.size() / 2);
  const auto u_g = component_major_to_element_major({all.begin(), all.begin() + middle}, count, points);
  const auto w_g = component_major_to_element_major({all.begin() + middle, all.end()}, count, points);

  const auto expected_u = apply_all<Space>(grid, vector, elements, u_t);
  const auto expected_w = apply_all<Space>(grid, axial, elements, w_t);
  const auto polar_w = apply_all<Space>(grid, vector, elements, w_t);
  const auto size = static_cast<std::ptrdiff_t>(3 * points);
  double worst = 0.0;
  for (std::size_t e = 0; e < count; ++e) {
    INFO("element " << notation(elements[e]));
    const auto at = static_cast<std::ptrdiff_t>(e) * size;
    const std::vector<double> u(u_g.begin() + at, u_g.begin() + at + size);
    const std::vector<double> w(w_g.begin() + at, w_g.begin() + at + size);
    const double err_u = relative_error(u, {expected_u.begin() + at, expected_u.begin() + at + size});
    const double err_w = relative_error(w, {expected_w.begin() + at, expected_w.begin() + at + size});
    worst = std::max({worst, err_u, err_w});
    CHECK(err_u < 1e-12);
    CHECK(err_w < 1e-12);
    // Transformed as a polar vector the vorticity is wrong by its sign under every reflection.
    const double err_polar = relative_error(w, {polar_w.begin() + at, polar_w.begin() + at + size});
    if (elements[e].determinant() < 0) {
      CHECK(err_polar > 1.0);
    } else {
      CHECK(err_polar < 1e-12);
    }
  }
  UNSCOPED_INFO("largest relative equivariance error (float64, t = 0.6): " << worst);
  CHECK(worst < 1e-12);
}

TEMPLATE_LIST_TEST_CASE("3-D: random initial conditions: filtering and projection commute with the group",
                        "[navier_stokes_3d]", test::ExecutionSpaces) {
  using Space = TestType;
  const std::int64_t n = 12;
  const Grid grid({n, n, n});
  const auto elements = test_elements();
  const auto count = elements.size();
  const auto points = static_cast<std::size_t>(n * n * n);
  const ChannelLayout vector(3, {{"noise", FieldKind::vector, false}});
  NavierStokes3dParameters p;
  p.n = n;
  const auto noise = white_noise(static_cast<std::int64_t>(3 * points), 99);
  NavierStokes3d<Space> one(p, 1);
  one.set_random_velocity(noise, RandomVelocitySpectrum{});
  auto fields = one.make_fields("one", 6);
  one.velocity_and_vorticity(fields);
  const auto u = fields_to_host(fields);
  const auto expected =
      apply_all<Space>(grid, vector, elements, {u.begin(), u.begin() + static_cast<std::ptrdiff_t>(3 * points)});
  // set_random_velocity takes noise trajectory-major, components inside: element-major.
  NavierStokes3d<Space> all(p, static_cast<std::int64_t>(count));
  all.set_random_velocity(apply_all<Space>(grid, vector, elements, noise), RandomVelocitySpectrum{});
  auto many = all.make_fields("all", 6);
  all.velocity_and_vorticity(many);
  const auto v = fields_to_host(many);
  const auto velocity = component_major_to_element_major(
      {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(3 * points * count)}, count, points);
  // White noise is invariant in distribution under R and under u ↦ −u, so the ensemble of
  // initial conditions is invariant under the group.
  CHECK(relative_error(velocity, expected) < 1e-12);
}

TEST_CASE("3-D: saved velocity is divergence-free and saved vorticity is its curl, to float32 rounding",
          "[navier_stokes_3d]") {
  NavierStokes3dRun run;
  run.solver.n = 8;
  run.spectrum.peak_wavenumber = 1.5;
  run.steps = 3;
  run.save_interval = 0.2;
  const MemorySource source = generate_navier_stokes_3d(run, 1, 0);
  const std::int64_t n = 8;
  const std::int64_t kmax = run.solver.kmax();
  for (std::int64_t s = 0; s < run.steps; ++s) {
    INFO("step " << s);
    const Spectrum u = naive_spectrum(source.frame(0, 0, s), n, kmax);
    const Spectrum w = naive_spectrum(source.frame(1, 0, s), n, kmax);
    double div = 0.0, curl = 0.0, u_scale = 0.0, w_scale = 0.0;
    const std::complex<double> i(0.0, 1.0);
    for (std::int64_t kx = -kmax; kx <= kmax; ++kx)
      for (std::int64_t ky = -kmax; ky <= kmax; ++ky)
        for (std::int64_t kz = -kmax; kz <= kmax; ++kz) {
          const double k[3] = {double(kx), double(ky), double(kz)};
          std::complex<double> uk[3], wk[3];
          for (int d = 0; d < 3; ++d) {
            uk[d] = u.at(kx, ky, kz, d);
            wk[d] = w.at(kx, ky, kz, d);
            u_scale = std::max(u_scale, std::abs(uk[d]) * std::sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]));
            w_scale = std::max(w_scale, std::abs(wk[d]));
          }
          div = std::max(div, std::abs(i * (k[0] * uk[0] + k[1] * uk[1] + k[2] * uk[2])));
          const std::complex<double> c[3] = {i * (k[1] * uk[2] - k[2] * uk[1]), i * (k[2] * uk[0] - k[0] * uk[2]),
                                             i * (k[0] * uk[1] - k[1] * uk[0])};
          for (int d = 0; d < 3; ++d)
            curl = std::max(curl, std::abs(c[d] - wk[d]));
        }
    UNSCOPED_INFO("max |k.u| / max |k||u| = " << div / u_scale << ", max |ik x u - w| / max |w| = " << curl / w_scale);
    CHECK(div / u_scale < 1e-6);
    CHECK(curl / w_scale < 1e-6);
  }
}

TEST_CASE("3-D: generated trajectories are deterministic by seed", "[navier_stokes_3d]") {
  NavierStokes3dRun run;
  run.solver.n = 8;
  run.spectrum.peak_wavenumber = 1.5;
  run.steps = 2;
  run.save_interval = 0.1;
  run.seed = 11;
  const MemorySource a = generate_navier_stokes_3d(run, 3, 0);
  const MemorySource b = generate_navier_stokes_3d(run, 3, 0);
  CHECK(a.values(0) == b.values(0));
  CHECK(a.values(1) == b.values(1));
  const std::size_t trajectory = 8 * 8 * 8 * 3 * 2;
  const MemorySource last = generate_navier_stokes_3d(run, 1, 0, 2);
  CHECK(std::vector<float>(a.values(0).begin() + 2 * trajectory, a.values(0).end()) == last.values(0));
  CHECK(generate_navier_stokes_3d(run, 3, 1).values(0) != a.values(0));
  run.seed = 12;
  CHECK(generate_navier_stokes_3d(run, 3, 0).values(0) != a.values(0));
}

TEST_CASE("3-D: generated data: Well description, values and time", "[navier_stokes_3d]") {
  NavierStokes3dRun run;
  run.solver.n = 8;
  run.spectrum.peak_wavenumber = 1.5;
  run.steps = 3;
  run.save_interval = 0.25;
  const MemorySource source = generate_navier_stokes_3d(run, 2, 0);
  const WellFileInfo& info = source.info();
  CHECK(info.dataset_name == "navier_stokes_3d");
  CHECK(info.spatial_dims == std::vector<std::string>{"x", "y", "z"});
  CHECK(info.time == std::vector<double>{0.0, 0.25, 0.5});
  REQUIRE(info.fields.size() == 2);
  CHECK(info.fields[0].name == "velocity");
  CHECK(!info.fields[0].pseudo);
  CHECK(info.fields[1].name == "vorticity");
  CHECK(info.fields[1].pseudo);
  CHECK(info.fields[0].shape == std::vector<std::int64_t>{2, 3, 8, 8, 8, 3});
  CHECK(info.fields[1].shape == std::vector<std::int64_t>{2, 3, 8, 8, 8, 3});
  CHECK(info.grid() == Grid({8, 8, 8}));
  CHECK(admissible_group(info.grid()).order() == 48);
  // rms velocity 1 at t = 0, zero mean.
  double u2 = 0.0, mean = 0.0;
  for (std::size_t q = 0; q < 8 * 8 * 8 * 3; ++q) {
    u2 += double(source.frame(0, 1, 0)[q]) * source.frame(0, 1, 0)[q];
    mean += source.frame(0, 1, 0)[q];
  }
  CHECK(std::sqrt(u2 / 512) == Catch::Approx(1.0).epsilon(1e-6));
  CHECK(std::abs(mean / 512) < 1e-6);
}

TEST_CASE("3-D: bad solver and run parameters are refused with the parameter named", "[navier_stokes_3d]") {
  NavierStokes3dParameters p;
  for (const std::int64_t n : {std::int64_t{-1}, std::int64_t{0}, std::int64_t{4}, std::int64_t{7}, std::int64_t{129},
                               std::int64_t{1} << 40}) {
    p.n = n;
    CHECK_THROWS_WITH(p.validate(), ContainsSubstring("grid size " + std::to_string(n)));
  }
  p.n = 16;
  p.viscosity = -1.0;
  CHECK_THROWS_WITH(p.validate(), ContainsSubstring("viscosity"));
  p.viscosity = std::nan("");
  CHECK_THROWS_WITH(p.validate(), ContainsSubstring("viscosity"));
  p.viscosity = 0.1;
  p.time_step = 0.0;
  CHECK_THROWS_WITH(p.validate(), ContainsSubstring("time step"));
  NavierStokes3dRun run;
  run.spectrum.peak_wavenumber = 6.0;  // K = 5 at n = 16
  CHECK_THROWS_WITH(run.validate(), ContainsSubstring("peak wavenumber"));
  run.spectrum.peak_wavenumber = 2.0;
  run.solver.viscosity = 0.0;
  CHECK_THROWS_WITH(run.validate(), ContainsSubstring("viscosity must be positive"));
  run.solver.viscosity = 0.1;
  run.steps = 1;
  CHECK_THROWS_WITH(run.validate(), ContainsSubstring("saved steps"));
  run.steps = 5;
  CHECK_NOTHROW(run.validate());
  CHECK(run.resolved_substeps() == 8);  // h ≤ 0.5/(16·1): 0.25 / 8
  CHECK_THROWS_AS(generate_navier_stokes_3d(run, 0, 0), Error);
  CHECK_THROWS_AS(NavierStokes3d<>(NavierStokes3dParameters{}, 0), Error);
  NavierStokes3d<> solver(NavierStokes3dParameters{}, 1);
  CHECK_THROWS_WITH(solver.set_random_velocity(std::vector<double>(10), RandomVelocitySpectrum{}),
                    ContainsSubstring("noise values"));
}

TEST_CASE("3-D: the bundled reference dataset is what the generator makes, with its statistics", "[navier_stokes_3d]") {
  const std::string root = gavel::test::reference_data_dir() + "/navier_stokes_3d";
  const WellDatasetFolder folder = open_well_dataset(root);
  REQUIRE(folder.splits.size() == 3);
  REQUIRE(folder.stats.has_value());
  const WellFileSource train(folder.splits[0].files.at(0));
  const WellFileInfo& info = train.info();
  CHECK(info.n_trajectories == 3);
  CHECK(info.n_steps == 5);
  CHECK(info.grid() == Grid({16, 16, 16}));
  CHECK(info.fields.at(1).pseudo);
  CHECK(folder.stats->mismatches(info).empty());
  const NavierStokes3dRun run{};  // the defaults are the bundle's parameters
  for (const auto& [name, value] : info.simulation_parameters) {
    if (name == "viscosity") CHECK(value == run.solver.viscosity);
    if (name == "Re") CHECK(value == Catch::Approx(run.reynolds_number()));
  }
  // The first three saved steps of trajectory 2 of the train split again, equal up to the float32
  // rounding another build or execution space may introduce.
  NavierStokes3dRun shorter = run;
  shorter.steps = 3;
  const MemorySource again = generate_navier_stokes_3d(shorter, 1, 0, 2);
  for (std::size_t f = 0; f < 2; ++f) {
    const auto size = static_cast<std::size_t>(frame_size(info, info.fields[f]) * shorter.steps);
    std::vector<float> stored(size);
    train.read_frames(f, 2, 0, shorter.steps, 1, stored.data());
    INFO(info.fields[f].name);
    CHECK(relative_error({again.values(f).begin(), again.values(f).end()}, {stored.begin(), stored.end()}) < 1e-5);
  }
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
