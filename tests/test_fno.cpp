// FNO / TFNO: the layer kernels against an independent double-precision reference written from
// neuraloperator 0.3.0's SpectralConv algorithm (full rfftn, fftshift, slices, irfftn), and the
// models against PyTorch goldens (tests/data/models, made by tools/make_model_goldens.py).
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <complex>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include "gavel/core/error.hpp"
#include "gavel/datasets/hdf5_attributes.hpp"
#include "gavel/surrogates/fno.hpp"
#include "gavel/surrogates/layers/pointwise.hpp"
#include "gavel/surrogates/layers/spectral_conv.hpp"
#include "gavel/surrogates/layers/tucker.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using namespace gavel::surrogates;
using Catch::Matchers::ContainsSubstring;
using gavel::test::ExecutionSpaces;

namespace {

using Complex = std::complex<double>;
const double two_pi = 6.283185307179586476925286766559;

std::string model_root() {
  return gavel::test::test_data_dir() + "/models/";
}

std::int64_t product(const std::vector<std::int64_t>& v) {
  std::int64_t p = 1;
  for (auto e : v)
    p *= e;
  return p;
}

/// Row-major multi-index of `flat` in `shape`.
std::vector<std::int64_t> unflatten(std::int64_t flat, const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> idx(shape.size());
  for (std::size_t a = shape.size(); a-- > 0;) {
    idx[a] = flat % shape[a];
    flat /= shape[a];
  }
  return idx;
}

std::int64_t flatten(const std::vector<std::int64_t>& idx, const std::vector<std::int64_t>& shape) {
  std::int64_t flat = 0;
  for (std::size_t a = 0; a < shape.size(); ++a)
    flat = flat * shape[a] + idx[a];
  return flat;
}

std::int64_t mod(std::int64_t a, std::int64_t n) {
  return ((a % n) + n) % n;
}

/// Python's slice(start//2, -start//2) (leading axes) or slice(None, -start) (last axis) of an
/// axis of `size`, as [begin, end); start = 0 keeps everything.
std::pair<std::int64_t, std::int64_t> torch_slice(std::int64_t start, std::int64_t size, bool last) {
  if (start == 0) return {0, size};
  if (last) return {0, size - start};
  return {start / 2, size - (start + 1) / 2};
}

double gelu_exact(double x) {
  return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

/// neuraloperator 0.3.0 SpectralConv.forward step by step in double precision, with direct
/// (slow) DFTs: rfftn, fftshift over the leading axes, the weight and input slices exactly as its
/// code computes them, the contraction, fftshift again, irfftn (complex inverse over the leading
/// axes, then the Hermitian C2R along the last), + bias.
std::vector<double> reference_spectral_conv(const std::vector<double>& x, std::int64_t batch, std::int64_t cin,
                                            std::int64_t cout, const std::vector<std::int64_t>& grid,
                                            const std::vector<std::int64_t>& weight_modes,
                                            const std::vector<double>& weight, const std::vector<double>& bias) {
  const std::size_t d = grid.size();
  const std::int64_t points = product(grid);
  std::vector<std::int64_t> fft_size = grid;
  fft_size[d - 1] = grid[d - 1] / 2 + 1;
  const std::int64_t bins = product(fft_size);

  // 1-2. rfftn and fftshift of every input field.
  std::vector<Complex> shifted(static_cast<std::size_t>(batch * cin * bins));
  for (std::int64_t f = 0; f < batch * cin; ++f)
    for (std::int64_t kb = 0; kb < bins; ++kb) {
      std::vector<std::int64_t> k = unflatten(kb, fft_size);
      for (std::size_t a = 0; a + 1 < d; ++a)
        k[a] = mod(k[a] - grid[a] / 2, grid[a]);  // fftshift: shifted[j] = X[(j − N//2) mod N]
      Complex sum = 0;
      for (std::int64_t p = 0; p < points; ++p) {
        const auto n = unflatten(p, grid);
        double phase = 0;
        for (std::size_t a = 0; a < d; ++a)
          phase += static_cast<double>(k[a] * n[a] % grid[a]) / static_cast<double>(grid[a]);
        sum += x[static_cast<std::size_t>(f * points + p)] * std::polar(1.0, -two_pi * phase);
      }
      shifted[static_cast<std::size_t>(f * bins + kb)] = sum;
    }

  // 3. Slices: the weight to the spectrum, then the spectrum to the sliced weight.
  std::vector<std::pair<std::int64_t, std::int64_t>> w_slice(d), x_slice(d);
  std::vector<std::int64_t> w_len(d);
  for (std::size_t a = 0; a < d; ++a) {
    const std::int64_t start = weight_modes[a] - std::min(fft_size[a], weight_modes[a]);
    w_slice[a] = torch_slice(start, weight_modes[a], a + 1 == d);
    w_len[a] = w_slice[a].second - w_slice[a].first;
  }
  for (std::size_t a = 0; a < d; ++a) {
    const std::int64_t start = fft_size[a] - std::min(fft_size[a], w_len[a]);
    x_slice[a] = torch_slice(start, fft_size[a], a + 1 == d);
  }

  // 4. Contraction into a zero spectrum.
  std::vector<Complex> out_fft(static_cast<std::size_t>(batch * cout * bins), 0.0);
  const std::int64_t kept = product(w_len);
  const std::int64_t wmodes = product(weight_modes);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t o = 0; o < cout; ++o)
      for (std::int64_t t = 0; t < kept; ++t) {
        const auto j = unflatten(t, w_len);
        std::vector<std::int64_t> xi(d), wi(d);
        for (std::size_t a = 0; a < d; ++a) {
          xi[a] = x_slice[a].first + j[a];
          wi[a] = w_slice[a].first + j[a];
        }
        const std::int64_t xb = flatten(xi, fft_size), wb = flatten(wi, weight_modes);
        Complex sum = 0;
        for (std::int64_t i = 0; i < cin; ++i) {
          const std::size_t w = static_cast<std::size_t>(((i * cout + o) * wmodes + wb) * 2);
          sum += shifted[static_cast<std::size_t>((b * cin + i) * bins + xb)] * Complex(weight[w], weight[w + 1]);
        }
        out_fft[static_cast<std::size_t>((b * cout + o) * bins + xb)] = sum;
      }

  // 5-7. fftshift, irfftn, bias.
  std::vector<double> y(static_cast<std::size_t>(batch * cout * points));
  std::vector<std::int64_t> lead(grid.begin(), grid.end() - 1);
  const std::int64_t lead_points = product(lead);
  const std::int64_t n_last = grid[d - 1], half = fft_size[d - 1];
  for (std::int64_t f = 0; f < batch * cout; ++f) {
    // Complex inverse over the leading axes: Z(n_lead, k_last).
    std::vector<Complex> z(static_cast<std::size_t>(lead_points * half), 0.0);
    for (std::int64_t kb = 0; kb < bins; ++kb) {
      const auto k = unflatten(kb, fft_size);
      std::vector<std::int64_t> src = k;
      for (std::size_t a = 0; a + 1 < d; ++a)
        src[a] = mod(k[a] - grid[a] / 2, grid[a]);  // fftshift again
      const Complex v = out_fft[static_cast<std::size_t>(f * bins + flatten(src, fft_size))];
      if (v == Complex(0.0)) continue;
      for (std::int64_t nl = 0; nl < lead_points; ++nl) {
        const auto n = unflatten(nl, lead);
        double phase = 0;
        for (std::size_t a = 0; a + 1 < d; ++a)
          phase += static_cast<double>(k[a] * n[a] % grid[a]) / static_cast<double>(grid[a]);
        z[static_cast<std::size_t>(nl * half + k[d - 1])] += v * std::polar(1.0, two_pi * phase);
      }
    }
    // Hermitian C2R along the last axis: the imaginary parts of the DC bin and (even N) the
    // Nyquist bin are dropped; every other bin k also stands for its mirror N − k.
    for (std::int64_t nl = 0; nl < lead_points; ++nl) {
      std::vector<Complex> full(static_cast<std::size_t>(n_last), 0.0);
      for (std::int64_t k = 0; k < half; ++k) {
        Complex v = z[static_cast<std::size_t>(nl * half + k)];
        if (k == 0 || 2 * k == n_last) v = v.real();
        full[static_cast<std::size_t>(k)] = v;
        if (k > 0 && 2 * k != n_last) full[static_cast<std::size_t>(n_last - k)] = std::conj(v);
      }
      for (std::int64_t n = 0; n < n_last; ++n) {
        Complex sum = 0;
        for (std::int64_t k = 0; k < n_last; ++k)
          sum += full[static_cast<std::size_t>(k)] *
                 std::polar(1.0, two_pi * static_cast<double>(k * n % n_last) / static_cast<double>(n_last));
        y[static_cast<std::size_t>((f * lead_points + nl) * n_last + n)] =
            sum.real() / static_cast<double>(points) + (bias.empty() ? 0.0 : bias[static_cast<std::size_t>(f % cout)]);
      }
    }
  }
  return y;
}

double relative_l2(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  double num = 0, den = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    num += (got[i] - want[i]) * (got[i] - want[i]);
    den += want[i] * want[i];
  }
  return std::sqrt(num / (den > 0 ? den : 1.0));
}

std::vector<float> to_float(const std::vector<double>& v) {
  return std::vector<float>(v.begin(), v.end());
}

/// Values rounded to float and back, so a reference sees exactly the kernel's inputs.
std::vector<double> rounded(const std::vector<double>& v) {
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    r[i] = static_cast<float>(v[i]);
  return r;
}

// ---- golden files ---------------------------------------------------------------------------------

std::vector<double> read_dataset(const H5::Group& group, const std::string& name,
                                 std::vector<std::int64_t>* shape = nullptr) {
  const H5::DataSet set = group.openDataSet(name);
  if (shape) *shape = datasets::hdf5::shape(set);
  return datasets::hdf5::read_numbers(set, name);
}

bool has_member(const H5::Group& group, const std::string& name) {
  return H5Lexists(group.getId(), name.c_str(), H5P_DEFAULT) > 0;
}

// ---- safetensors writing (bad-checkpoint tests) -----------------------------------------------------

struct Tensor {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

std::map<std::string, Tensor> read_tensors(const std::string& path) {
  const SafetensorsFile file(path);
  std::map<std::string, Tensor> tensors;
  for (const auto& t : file.tensors())
    tensors[t.name] = Tensor{t.shape, file.read(t.name)};
  return tensors;
}

void write_tensors(const std::string& path, const std::map<std::string, Tensor>& tensors) {
  nlohmann::json header;
  header["__metadata__"] = {{"format", "pt"}};
  std::string data;
  for (const auto& [name, t] : tensors) {
    const std::size_t begin = data.size();
    data.append(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float));
    header[name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {begin, data.size()}}};
  }
  const std::string text = header.dump();
  const std::uint64_t n = text.size();
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &n, 8);
  std::ofstream(path, std::ios::binary) << bytes << text << data;
}

template <class Space>
std::vector<double> run_model(FNO<Space>& model, const std::vector<double>& input, std::int64_t batch,
                              const std::vector<std::int64_t>& space) {
  const auto in = test::to_device<float, Space>(input);
  Kokkos::View<float*, typename Space::memory_space> out(
      "out", static_cast<std::size_t>(batch * model.out_channels() * product(space)));
  model.forward(in, batch, space, out);
  return test::to_host(out);
}

}  // namespace

// ---- layers ---------------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("pointwise: 1x1 convolution with bias, GELU and accumulation equals the definition",
                        "[fno][layers]", ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(11);
  const std::int64_t batch = 3, cin = 5, cout = 11, points = 37;  // partial tiles on every axis
  const auto x = test::random_values(static_cast<std::size_t>(batch * cin * points), rng);
  const auto w = test::random_values(static_cast<std::size_t>(cout * cin), rng);
  const auto b = test::random_values(static_cast<std::size_t>(cout), rng);
  const auto prev = test::random_values(static_cast<std::size_t>(batch * cout * points), rng);
  for (const bool with_bias : {false, true})
    for (const auto act : {layers::Activation::none, layers::Activation::gelu})
      for (const bool accumulate : {false, true}) {
        layers::Pointwise<Space> layer(cin, cout, to_float(w), with_bias ? to_float(b) : std::vector<float>{});
        const auto in = test::to_device<float, Space>(x);
        auto out = test::to_device<float, Space>(prev);
        layer.apply(Space(), in, out, batch, points, act, accumulate);
        std::vector<double> want(prev.size());
        const auto xr = rounded(x), wr = rounded(w), br = rounded(b), pr = rounded(prev);
        for (std::int64_t s = 0; s < batch; ++s)
          for (std::int64_t o = 0; o < cout; ++o)
            for (std::int64_t p = 0; p < points; ++p) {
              double v = with_bias ? br[static_cast<std::size_t>(o)] : 0.0;
              for (std::int64_t i = 0; i < cin; ++i)
                v += wr[static_cast<std::size_t>(o * cin + i)] *
                     xr[static_cast<std::size_t>((s * cin + i) * points + p)];
              const std::size_t at = static_cast<std::size_t>((s * cout + o) * points + p);
              if (accumulate) v += pr[at];
              want[at] = act == layers::Activation::gelu ? gelu_exact(v) : v;
            }
        INFO("bias " << with_bias << ", gelu " << (act == layers::Activation::gelu) << ", accumulate " << accumulate);
        CHECK(relative_l2(test::to_host(out), want) <= 1e-6);
      }
}

TEST_CASE("GELU: the vectorizable erf stays within 5e-7 of the exact form", "[fno][layers]") {
  double worst = 0;
  for (int k = -120000; k <= 120000; ++k) {
    const float x = static_cast<float>(k) * 1e-4f;
    worst = std::max(worst, std::fabs(static_cast<double>(layers::gelu(x)) - gelu_exact(x)));
  }
  CHECK(worst <= 5e-7);
  CHECK(layers::gelu(0.0f) == 0.0f);
  CHECK(layers::gelu(-30.0f) == 0.0f);
  CHECK(layers::gelu(30.0f) == 30.0f);
}

TEST_CASE("mode selection: centred leading modes, rfft half on the last axis, weight centre on small grids",
          "[fno][layers]") {
  // Even grid, even modes: frequencies −3…2 read and written at the same bins.
  auto s = layers::ModeSelection::make({16, 12}, {6, 4});
  CHECK(s.kept == std::vector<std::int64_t>{6, 4});
  CHECK(s.forward_frequency[0] == std::vector<std::int64_t>{13, 14, 15, 0, 1, 2});
  CHECK(s.inverse_frequency[0] == s.forward_frequency[0]);
  CHECK(s.forward_frequency[1] == std::vector<std::int64_t>{0, 1, 2, 3});
  CHECK(s.uses_whole_weight());
  // Odd leading axis (N = 9, m = 5): −2…2 read, written one bin lower (double fftshift).
  s = layers::ModeSelection::make({9, 8}, {5, 3});
  CHECK(s.forward_frequency[0] == std::vector<std::int64_t>{7, 8, 0, 1, 2});
  CHECK(s.inverse_frequency[0] == std::vector<std::int64_t>{6, 7, 8, 0, 1});
  // Weight larger than the grid: the central rows and the first columns are used.
  s = layers::ModeSelection::make({6, 6}, {10, 6});
  CHECK(s.kept == std::vector<std::int64_t>{6, 4});
  CHECK(s.weight_index[0] == std::vector<std::int64_t>{2, 3, 4, 5, 6, 7});
  CHECK(s.weight_index[1] == std::vector<std::int64_t>{0, 1, 2, 3});
  CHECK_FALSE(s.uses_whole_weight());
  CHECK_THROWS_AS(layers::ModeSelection::make({8, 8}, {4, 4, 3}), Error);
  CHECK_THROWS_AS(layers::ModeSelection::make({8, 0}, {4, 3}), Error);
}

TEMPLATE_LIST_TEST_CASE("spectral convolution equals neuraloperator's algorithm in double precision", "[fno][layers]",
                        ExecutionSpaces) {
  using Space = TestType;
  struct Case {
    std::vector<std::int64_t> grid, weight_modes;
  };
  // Even and odd grids in 2-D and 3-D, odd mode counts, weights larger than the spectrum, and sizes
  // that reach every kernel tiling (long and short lines, wide last-axis matrices).
  const std::vector<Case> cases = {{{16, 12}, {6, 4}},     {{9, 8}, {5, 3}},       {{8, 9}, {4, 4}},
                                   {{7, 10}, {6, 6}},      {{6, 6}, {10, 6}},      {{5, 3}, {6, 4}},
                                   {{8, 7, 6}, {3, 5, 3}}, {{6, 6, 8}, {4, 4, 3}}, {{5, 4, 3}, {6, 6, 4}},
                                   {{7, 5, 9}, {4, 2, 5}}, {{8, 40}, {4, 17}},     {{19, 20}, {4, 10}},
                                   {{6, 8, 10}, {4, 6, 6}}};
  std::mt19937 rng(5);
  const std::int64_t batch = 2, cin = 3, cout = 2;
  for (const auto& c : cases) {
    const std::int64_t points = product(c.grid);
    const auto x = rounded(test::random_values(static_cast<std::size_t>(batch * cin * points), rng));
    const auto w =
        rounded(test::random_values(static_cast<std::size_t>(cin * cout * product(c.weight_modes) * 2), rng));
    const auto b = rounded(test::random_values(static_cast<std::size_t>(cout), rng));
    const auto prev = rounded(test::random_values(static_cast<std::size_t>(batch * cout * points), rng));
    const auto want = reference_spectral_conv(x, batch, cin, cout, c.grid, c.weight_modes, w, b);

    layers::SpectralConv<Space> conv(cin, cout, c.weight_modes, to_float(w), to_float(b));
    layers::SpectralPlan<Space> plan(c.grid, c.weight_modes);
    const auto in = test::to_device<float, Space>(x);
    auto out = test::to_device<float, Space>(prev);
    conv.apply(Space(), plan, in, out, batch);
    INFO("grid " << c.grid.size() << "-D " << c.grid[0] << "x" << c.grid[1] << (c.grid.size() > 2 ? "x…" : "")
                 << ", weight modes " << c.weight_modes[0] << "," << c.weight_modes[1]);
    CHECK(relative_l2(test::to_host(out), want) <= 1e-6);

    // The epilogue: gelu(conv + bias + previous output).
    out = test::to_device<float, Space>(prev);
    conv.apply(Space(), plan, in, out, batch, layers::Activation::gelu, true);
    std::vector<double> fused(want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      fused[i] = gelu_exact(want[i] + prev[i]);
    CHECK(relative_l2(test::to_host(out), fused) <= 1e-6);
  }
}

TEMPLATE_LIST_TEST_CASE("spectral convolution: neuraloperator 0.3.0 goldens (odd axes, weights beyond the grid)",
                        "[fno][golden]", ExecutionSpaces) {
  using Space = TestType;
  const H5::H5File golden(model_root() + "spectral_conv.golden.hdf5", H5F_ACC_RDONLY);
  const auto names = datasets::hdf5::member_names(golden);
  REQUIRE(names.size() >= 7);
  for (const auto& name : names) {
    const H5::Group g = golden.openGroup(name);
    const std::int64_t cin = datasets::hdf5::read_integer(g, "in_channels", name);
    const std::int64_t cout = datasets::hdf5::read_integer(g, "out_channels", name);
    std::vector<std::int64_t> in_shape, w_shape;
    const auto x = read_dataset(g, "input", &in_shape);
    const auto w = read_dataset(g, "weight", &w_shape);
    const auto b = read_dataset(g, "bias");
    const auto want = read_dataset(g, "output");
    const std::vector<std::int64_t> grid(in_shape.begin() + 2, in_shape.end());
    const std::vector<std::int64_t> modes(w_shape.begin() + 2, w_shape.end() - 1);
    layers::SpectralConv<Space> conv(cin, cout, modes, to_float(w), to_float(b));
    layers::SpectralPlan<Space> plan(grid, modes);
    const auto in = test::to_device<float, Space>(x);
    Kokkos::View<float*, typename Space::memory_space> out("out", want.size());
    conv.apply(Space(), plan, in, out, in_shape[0]);
    const double err = relative_l2(test::to_host(out), want);
    INFO(name << ": relative L2 " << err);
    CHECK(err <= 1e-6);
    // The same cases through the double-precision reference: it must agree with PyTorch too.
    CHECK(relative_l2(reference_spectral_conv(x, in_shape[0], cin, cout, grid, modes, w, b), want) <= 1e-6);
  }
}

TEST_CASE("Tucker reconstruction equals the multilinear sum", "[fno][layers]") {
  std::mt19937 rng(3);
  const std::vector<std::int64_t> ranks{2, 3, 2}, dims{3, 4, 5};
  const auto core = to_float(test::random_values(static_cast<std::size_t>(2 * product(ranks)), rng));
  std::vector<std::vector<float>> factors;
  for (std::size_t k = 0; k < 3; ++k)
    factors.push_back(to_float(test::random_values(static_cast<std::size_t>(2 * dims[k] * ranks[k]), rng)));
  const auto dense = layers::tucker_to_dense(core, ranks, factors, dims);
  REQUIRE(dense.size() == static_cast<std::size_t>(2 * product(dims)));
  auto c = [](const std::vector<float>& v, std::int64_t i) {
    return Complex(v[static_cast<std::size_t>(2 * i)], v[static_cast<std::size_t>(2 * i + 1)]);
  };
  double worst = 0;
  for (std::int64_t e = 0; e < product(dims); ++e) {
    const auto i = unflatten(e, dims);
    Complex sum = 0;
    for (std::int64_t r = 0; r < product(ranks); ++r) {
      const auto s = unflatten(r, ranks);
      Complex term = c(core, r);
      for (std::size_t k = 0; k < 3; ++k)
        term *= c(factors[k], i[k] * ranks[k] + s[k]);
      sum += term;
    }
    worst = std::max(worst, std::abs(sum - c(dense, e)));
  }
  CHECK(worst <= 1e-6);
  CHECK_THROWS_AS(layers::tucker_to_dense(core, ranks, {factors[0], factors[1]}, dims), Error);
}

// ---- models ---------------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("FNO and TFNO equal PyTorch on the golden checkpoints, stage by stage", "[fno][golden]",
                        ExecutionSpaces) {
  using Space = TestType;
  using ConstView = typename FNO<Space>::ConstView;
  for (const std::string name : {"fno2d", "fno2d_odd", "fno3d", "tfno2d", "tfno3d"}) {
    const std::string dir = model_root() + name + "/";
    const SafetensorsFile file(dir + "model.safetensors");
    FNO<Space> model(ModelConfig::read(dir + "config.json"), file);
    CHECK(model.architecture() == (name[0] == 't' ? "TFNO" : "FNO"));
    const H5::H5File golden(dir + "golden.hdf5", H5F_ACC_RDONLY);
    std::vector<std::int64_t> in_shape;
    const auto x = read_dataset(golden, "input", &in_shape);
    const std::int64_t batch = in_shape[0];
    const std::vector<std::int64_t> space(in_shape.begin() + 2, in_shape.end());
    REQUIRE(model.in_channels() == in_shape[1]);
    REQUIRE(model.spatial_dims() == static_cast<int>(space.size()));

    std::map<std::string, std::vector<double>> stages;
    const auto in = test::to_device<float, Space>(x);
    Kokkos::View<float*, typename Space::memory_space> out(
        "out", static_cast<std::size_t>(batch * model.out_channels() * product(space)));
    model.forward(in, batch, space, out, [&](const std::string& stage, const ConstView& values, std::int64_t) {
      stages[stage] = test::to_host(values);
    });
    const std::map<std::string, std::string> golden_name = {
        {"lifting", "model.lifting"},           {"fno_blocks.0", "model.fno_blocks@0"},
        {"fno_blocks.1", "model.fno_blocks@1"}, {"fno_blocks.2", "model.fno_blocks@2"},
        {"fno_blocks.3", "model.fno_blocks@3"}, {"projection", "model.projection"}};
    REQUIRE(stages.size() == golden_name.size());
    for (const auto& [stage, dataset] : golden_name) {
      const double err = relative_l2(stages[stage], read_dataset(golden, dataset));
      INFO(name << " " << stage << ": relative L2 " << err);
      CHECK(err <= 1e-5);
    }
    const double err = relative_l2(test::to_host(out), read_dataset(golden, "output"));
    INFO(name << " output: relative L2 " << err);
    CHECK(err <= 1e-5);

    // Layer types alone, each fed PyTorch's own input to it.
    layers::SpectralPlan<Space> plan(space, model.weight_modes());
    const std::int64_t hidden = model.hidden_channels();
    Kokkos::View<float*, typename Space::memory_space> y("y",
                                                         static_cast<std::size_t>(batch * hidden * product(space)));
    for (int layer = 0; layer < FNO<Space>::n_layers; ++layer) {
      const std::string before = layer == 0 ? "model.lifting" : "model.fno_blocks@" + std::to_string(layer - 1);
      const auto block_in = test::to_device<float, Space>(read_dataset(golden, before));
      model.spectral_conv(layer).apply(Space(), plan, block_in, y, batch);
      const double conv_err =
          relative_l2(test::to_host(y), read_dataset(golden, "model.fno_blocks.convs@" + std::to_string(layer)));
      INFO(name << " spectral convolution " << layer << ": relative L2 " << conv_err);
      CHECK(conv_err <= 1e-5);
      const std::string skip_name = "model.fno_blocks.fno_skips." + std::to_string(layer);
      if (has_member(golden, skip_name)) {
        model.skip(layer).apply(Space(), block_in, y, batch, product(space));
        const double skip_err = relative_l2(test::to_host(y), read_dataset(golden, skip_name));
        INFO(name << " skip " << layer << ": relative L2 " << skip_err);
        CHECK(skip_err <= 1e-5);
      }
    }
  }
}

TEMPLATE_LIST_TEST_CASE("FNO: any batch size gives the same per-sample result; grids may change between calls", "[fno]",
                        ExecutionSpaces) {
  using Space = TestType;
  const std::string dir = model_root() + "fno2d/";
  const SafetensorsFile file(dir + "model.safetensors");
  FNO<Space> model(ModelConfig::read(dir + "config.json"), file);
  std::mt19937 rng(7);
  const std::vector<std::vector<std::int64_t>> grids = {{20, 16}, {11, 6}, {4, 4}, {20, 16}};
  for (const auto& space : grids) {
    const std::int64_t per_in = model.in_channels() * product(space);
    const std::int64_t per_out = model.out_channels() * product(space);
    const auto x = test::random_values(static_cast<std::size_t>(3 * per_in), rng);
    const auto all = run_model(model, x, 3, space);
    for (std::int64_t s = 0; s < 3; ++s) {
      const std::vector<double> one_in(x.begin() + s * per_in, x.begin() + (s + 1) * per_in);
      const auto one = run_model(model, one_in, 1, space);
      const std::vector<double> part(all.begin() + s * per_out, all.begin() + (s + 1) * per_out);
      CHECK(relative_l2(one, part) <= 1e-7);
    }
  }
}

TEST_CASE("FNO: bad checkpoints and inputs are errors that name the problem", "[fno][errors]") {
  using Space = gavel::test::HostTestSpace;
  const std::string dir = model_root() + "fno2d/";
  const auto config = ModelConfig::read(dir + "config.json");
  const auto tensors = read_tensors(dir + "model.safetensors");
  test::TempFolder folder;

  auto load_error = [&](const std::map<std::string, Tensor>& changed) {
    const std::string path = folder / "model.safetensors";
    write_tensors(path, changed);
    const SafetensorsFile file(path);
    try {
      FNO<Space> model(config, file);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };

  SECTION("missing tensor") {
    auto changed = tensors;
    changed.erase("model.fno_blocks.fno_skips.2.weight");
    const auto message = load_error(changed);
    CHECK_THAT(message, ContainsSubstring("missing") && ContainsSubstring("model.fno_blocks.fno_skips.2.weight") &&
                            ContainsSubstring("model.safetensors"));
  }
  SECTION("extra tensor") {
    auto changed = tensors;
    changed["model.fno_blocks.convs.weight.4.tensor"] = changed.at("model.fno_blocks.convs.weight.3.tensor");
    const auto message = load_error(changed);
    CHECK_THAT(message, ContainsSubstring("unexpected") && ContainsSubstring("model.fno_blocks.convs.weight.4.tensor"));
  }
  SECTION("mis-shaped tensors, all listed") {
    auto changed = tensors;
    changed["model.lifting.fcs.0.weight"].shape = {128, 6, 1, 1};
    changed["model.fno_blocks.convs.weight.1.tensor"].shape = {8, 8, 4, 6, 2};
    const auto message = load_error(changed);
    CHECK_THAT(message, ContainsSubstring("wrong shape") && ContainsSubstring("model.lifting.fcs.0.weight") &&
                            ContainsSubstring("(128,6,1,1), expected (256,3,1,1)") &&
                            ContainsSubstring("model.fno_blocks.convs.weight.1.tensor"));
  }
  SECTION("a TFNO checkpoint read as dense, and Tucker factors that disagree with the core") {
    const SafetensorsFile tfno(model_root() + "tfno2d/model.safetensors");
    const auto tfno_config = ModelConfig::read(model_root() + "tfno2d/config.json");
    CHECK_THROWS_WITH(FNO<Space>(tfno_config, tfno, FNO<Space>::Factorization::dense),
                      ContainsSubstring("model.fno_blocks.convs.weight.0.tensor") &&
                          ContainsSubstring("model.fno_blocks.convs.weight.0.core"));
    auto changed = read_tensors(model_root() + "tfno2d/model.safetensors");
    changed["model.fno_blocks.convs.weight.2.factors.factor_3"].shape = {3, 2, 2};
    changed["model.fno_blocks.convs.weight.2.factors.factor_3"].values.resize(12);
    const std::string path = folder / "tfno.safetensors";
    write_tensors(path, changed);
    const SafetensorsFile file(path);
    CHECK_THROWS_WITH(
        FNO<Space>(tfno_config, file),
        ContainsSubstring("model.fno_blocks.convs.weight.2.factors.factor_3 is (3,2,2), expected (3,3,2)"));
  }
  SECTION("config") {
    const SafetensorsFile file(dir + "model.safetensors");
    auto json = config.json();
    json["n_spatial_dims"] = 1;
    CHECK_THROWS_WITH(FNO<Space>(ModelConfig(json, "c.json"), file), ContainsSubstring("n_spatial_dims"));
    json = config.json();
    json.erase("modes1");
    CHECK_THROWS_WITH(FNO<Space>(ModelConfig(json, "c.json"), file), ContainsSubstring("modes1"));
    json = config.json();
    json["hidden_channels"] = 16;  // the tensors are 8 wide
    CHECK_THROWS_WITH(FNO<Space>(ModelConfig(json, "c.json"), file), ContainsSubstring("wrong shape"));
  }
  SECTION("inputs") {
    const SafetensorsFile file(dir + "model.safetensors");
    FNO<Space> model(config, file);
    Kokkos::View<float*, Space::memory_space> in("in", 3 * 20 * 16), out("out", 2 * 20 * 16);
    CHECK_THROWS_WITH(model.forward(in, 1, {20, 16, 1}, out), ContainsSubstring("2-D"));
    CHECK_THROWS_WITH(model.forward(in, 1, {20, 0}, out), ContainsSubstring("positive"));
    CHECK_THROWS_WITH(model.forward(in, 2, {20, 16}, out), ContainsSubstring("input"));
    CHECK_THROWS_WITH(model.forward(in, 1, {20, 17}, out), ContainsSubstring("input"));
    model.forward(in, 1, {20, 16}, out);
    // A grid smaller than the modes (6 leading, 4 rfft bins) runs as in PyTorch: the weight's
    // centre is used (checked against PyTorch in the spectral_conv golden "modes_exceed_grid_2d").
    model.forward(in, 1, {3, 2}, out);
  }
}
