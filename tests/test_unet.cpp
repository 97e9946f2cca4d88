// The U-Net layer kernels against naive double-precision references written from torch's
// definitions, and UNetClassic / UNetConvNext against PyTorch golden files (tests/data/models,
// made by tools/make_model_goldens.py with the_well 1.2.0), on the host and default spaces.
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include "gavel/core/error.hpp"
#include "gavel/datasets/hdf5_attributes.hpp"
#include "gavel/surrogates/layers/activations.hpp"
#include "gavel/surrogates/layers/batch_norm.hpp"
#include "gavel/surrogates/layers/concatenation.hpp"
#include "gavel/surrogates/layers/conv_kernels_host.hpp"
#include "gavel/surrogates/layers/convolution.hpp"
#include "gavel/surrogates/layers/layer_norm.hpp"
#include "gavel/surrogates/layers/pooling.hpp"
#include "gavel/surrogates/layers/transposed_convolution.hpp"
#include "gavel/surrogates/model_config.hpp"
#include "gavel/surrogates/safetensors.hpp"
#include "gavel/surrogates/unet_classic.hpp"
#include "gavel/surrogates/unet_convnext.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

using namespace gavel;
using namespace gavel::surrogates;
using Catch::Matchers::ContainsSubstring;
using gavel::test::ExecutionSpaces;
using Index = std::int64_t;

namespace {

// ---- host fields and references -----------------------------------------------------------

/// A (B, C, *space) field on the host in double, extents kept as three like layers::BasicTensor.
struct Field {
  Index batch = 0;
  Index channels = 0;
  std::array<Index, 3> e = {1, 1, 1};
  int ndim = 0;
  std::vector<double> v;

  Field() = default;
  Field(Index b, Index c, const std::vector<Index>& space)
      : batch(b), channels(c), e(layers::padded_extent(space)), ndim(static_cast<int>(space.size())) {
    v.assign(static_cast<std::size_t>(b * c * points()), 0.0);
  }
  Index points() const { return e[0] * e[1] * e[2]; }
  double& at(Index b, Index c, Index z, Index y, Index x) {
    return v[static_cast<std::size_t>(((b * channels + c) * e[0] + z) * e[1] * e[2] + y * e[2] + x)];
  }
  double at(Index b, Index c, Index z, Index y, Index x) const {
    return v[static_cast<std::size_t>(((b * channels + c) * e[0] + z) * e[1] * e[2] + y * e[2] + x)];
  }
};

Field random_field(Index b, Index c, const std::vector<Index>& space, std::mt19937& rng) {
  Field f(b, c, space);
  f.v = gavel::test::random_values(f.v.size(), rng);
  return f;
}

std::vector<float> random_floats(std::size_t n, std::mt19937& rng, double scale = 1.0) {
  std::uniform_real_distribution<double> d(-scale, scale);
  std::vector<float> out(n);
  for (auto& x : out)
    x = static_cast<float>(d(rng));
  return out;
}

double relative_l2(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  double num = 0, den = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    num += (got[i] - want[i]) * (got[i] - want[i]);
    den += want[i] * want[i];
  }
  return den == 0 ? std::sqrt(num) : std::sqrt(num / den);
}

/// torch.nn.Conv: out[b,o,p] = bias[o] + Σ_{i in group} Σ_taps w[o,i,tap] in[b, i, s·p + tap − pad].
Field ref_conv(const Field& in, const std::vector<float>& w, const std::vector<float>& bias,
               const layers::ConvolutionSpec& s) {
  const auto oe = s.output_extent(in.e);
  Field out(in.batch, s.out_channels, std::vector<Index>(oe.begin() + (3 - s.ndim), oe.end()));
  const Index cig = s.in_channels / s.groups, cog = s.out_channels / s.groups;
  Index k[3], st[3], pad[3];
  for (int a = 0; a < 3; ++a) {
    const bool sp = a >= 3 - s.ndim;
    k[a] = sp ? s.kernel : 1;
    st[a] = sp ? s.stride : 1;
    pad[a] = sp ? s.padding : 0;
  }
  for (Index b = 0; b < in.batch; ++b)
    for (Index o = 0; o < s.out_channels; ++o)
      for (Index z = 0; z < oe[0]; ++z)
        for (Index y = 0; y < oe[1]; ++y)
          for (Index x = 0; x < oe[2]; ++x) {
            double acc = bias.empty() ? 0.0 : bias[static_cast<std::size_t>(o)];
            const Index g = o / cog;
            for (Index i = 0; i < cig; ++i)
              for (Index a = 0; a < k[0]; ++a)
                for (Index c = 0; c < k[1]; ++c)
                  for (Index d = 0; d < k[2]; ++d) {
                    Index p[3] = {z * st[0] + a - pad[0], y * st[1] + c - pad[1], x * st[2] + d - pad[2]};
                    bool inside = true;
                    for (int q = 0; q < 3; ++q) {
                      if (p[q] < 0 || p[q] >= in.e[static_cast<std::size_t>(q)]) {
                        if (s.padding_mode == layers::Padding::circular)
                          p[q] = (p[q] + in.e[static_cast<std::size_t>(q)]) % in.e[static_cast<std::size_t>(q)];
                        else
                          inside = false;
                      }
                    }
                    if (!inside) continue;
                    const double wv = w[static_cast<std::size_t>((((o * cig + i) * k[0] + a) * k[1] + c) * k[2] + d)];
                    acc += wv * in.at(b, g * cig + i, p[0], p[1], p[2]);
                  }
            out.at(b, o, z, y, x) = acc;
          }
  return out;
}

/// torch.nn.ConvTranspose (padding 0, groups 1): out[b, o, s·p + tap] += w[i, o, tap] · in[b, i, p].
Field ref_conv_transpose(const Field& in, const std::vector<float>& w, const std::vector<float>& bias, Index cout,
                         int kernel, int stride) {
  Index k[3];
  std::vector<Index> space;
  for (int a = 0; a < 3; ++a) {
    const bool sp = a >= 3 - in.ndim;
    k[a] = sp ? kernel : 1;
    if (sp) space.push_back((in.e[static_cast<std::size_t>(a)] - 1) * stride + kernel);
  }
  Field out(in.batch, cout, space);
  const Index s[3] = {in.ndim >= 3 ? stride : 1, in.ndim >= 2 ? stride : 1, stride};
  for (Index b = 0; b < in.batch; ++b)
    for (Index o = 0; o < cout; ++o) {
      for (Index z = 0; z < out.e[0]; ++z)
        for (Index y = 0; y < out.e[1]; ++y)
          for (Index x = 0; x < out.e[2]; ++x)
            out.at(b, o, z, y, x) = bias.empty() ? 0.0 : bias[static_cast<std::size_t>(o)];
      for (Index i = 0; i < in.channels; ++i)
        for (Index z = 0; z < in.e[0]; ++z)
          for (Index y = 0; y < in.e[1]; ++y)
            for (Index x = 0; x < in.e[2]; ++x)
              for (Index a = 0; a < k[0]; ++a)
                for (Index c = 0; c < k[1]; ++c)
                  for (Index d = 0; d < k[2]; ++d)
                    out.at(b, o, z * s[0] + a, y * s[1] + c, x * s[2] + d) +=
                        w[static_cast<std::size_t>((((i * cout + o) * k[0] + a) * k[1] + c) * k[2] + d)] *
                        in.at(b, i, z, y, x);
    }
  return out;
}

template <class Space>
using DeviceView = Kokkos::View<float*, typename Space::memory_space>;

/// A field copied to Space's memory and the tensor over it.
template <class Space>
struct DeviceField {
  DeviceView<Space> view;
  layers::Tensor tensor;
  explicit DeviceField(const Field& f) : view(gavel::test::to_device<float, Space>(f.v)) {
    tensor = layers::make_tensor(view.data(), f.batch, f.channels, f.e, f.ndim);
  }
  DeviceField(Index b, Index c, const std::array<Index, 3>& e, int ndim)
      : view("test_out", static_cast<std::size_t>(b * c * e[0] * e[1] * e[2])) {
    tensor = layers::make_tensor(view.data(), b, c, e, ndim);
  }
  std::vector<double> values() const { return gavel::test::to_host(view); }
};

template <class Space>
std::vector<layers::Tiling> tilings() {
  if (Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible)
    return {layers::Tiling::wide, layers::Tiling::narrow};
  return {layers::Tiling::automatic};
}

const char* tiling_name(layers::Tiling t) {
  return t == layers::Tiling::wide ? "wide" : t == layers::Tiling::narrow ? "narrow" : "automatic";
}

}  // namespace

// ---- layer kernels ----------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("unet layers: convolution equals the direct sum (2-D, 3-D, 1-D, groups, padding modes)",
                        "[unet][layers]", ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  struct Case {
    int ndim;
    Index cin, cout;
    int kernel, stride, padding;
    layers::Padding mode;
    Index groups;
    std::vector<Index> space;
    bool bias;
  };
  const std::vector<Case> cases = {
      {2, 3, 5, 3, 1, 1, layers::Padding::zeros, 1, {7, 9}, false},
      {2, 3, 11, 3, 1, 1, layers::Padding::zeros, 1, {5, 37}, true},  // full and partial runs of 16
      {2, 4, 4, 7, 1, 3, layers::Padding::zeros, 4, {9, 11}, true},   // depthwise 7×7
      {2, 5, 5, 7, 1, 3, layers::Padding::zeros, 5, {3, 20}, true},   // depthwise, kernel wider than the grid
      {2, 6, 4, 3, 2, 1, layers::Padding::zeros, 2, {9, 10}, true},   // grouped, strided
      {2, 3, 20, 2, 2, 0, layers::Padding::zeros, 1, {8, 6}, true},   // down-sampling k2 s2
      {2, 5, 17, 1, 1, 0, layers::Padding::zeros, 1, {5, 7}, true},   // pointwise
      {2, 3, 4, 3, 1, 1, layers::Padding::circular, 1, {6, 5}, true},
      {3, 2, 3, 3, 1, 1, layers::Padding::zeros, 1, {5, 6, 7}, false},
      {3, 3, 3, 7, 1, 3, layers::Padding::zeros, 3, {4, 5, 9}, true},  // 3-D depthwise
      {3, 3, 4, 2, 2, 0, layers::Padding::zeros, 1, {4, 6, 8}, true},
      {3, 2, 2, 3, 1, 1, layers::Padding::circular, 1, {3, 4, 5}, true},
      {1, 3, 2, 3, 1, 1, layers::Padding::circular, 1, {13}, true},
      {1, 2, 9, 5, 2, 2, layers::Padding::zeros, 1, {19}, true},
  };
  const Space exec;
  for (const auto tiling : tilings<Space>())
    for (const auto& c : cases) {
      layers::ConvolutionSpec spec;
      spec.ndim = c.ndim;
      spec.in_channels = c.cin;
      spec.out_channels = c.cout;
      spec.kernel = c.kernel;
      spec.stride = c.stride;
      spec.padding = c.padding;
      spec.padding_mode = c.mode;
      spec.groups = c.groups;
      Index nw = 1;
      for (auto e : spec.weight_shape())
        nw *= e;
      const auto w = random_floats(static_cast<std::size_t>(nw), rng);
      const auto bias = c.bias ? random_floats(static_cast<std::size_t>(c.cout), rng) : std::vector<float>{};
      const Field in = random_field(2, c.cin, c.space, rng);
      const Field want = ref_conv(in, w, bias, spec);
      layers::Convolution<Space> conv(spec, w, bias, "test conv", tiling);
      DeviceField<Space> din(in);
      DeviceField<Space> dout(want.batch, want.channels, want.e, want.ndim);
      conv.forward(exec, din.tensor, dout.tensor);
      INFO("tiling " << tiling_name(tiling) << ", " << c.ndim << "-D " << c.cin << "→" << c.cout << " k" << c.kernel
                     << " s" << c.stride << " p" << c.padding << " groups " << c.groups);
      CHECK(relative_l2(dout.values(), want.v) <= 1e-6);
    }
}

TEMPLATE_LIST_TEST_CASE("unet layers: convolution epilogue (BatchNorm fold, activations, residual, channel slices)",
                        "[unet][layers]", ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  const Space exec;
  for (const auto tiling : tilings<Space>())
    for (int depthwise = 0; depthwise < 2; ++depthwise) {
      layers::ConvolutionSpec spec;
      spec.ndim = 2;
      spec.in_channels = 6;
      spec.out_channels = 6;
      spec.kernel = 3;
      spec.padding = 1;
      spec.groups = depthwise ? 6 : 1;
      Index nw = 1;
      for (auto e : spec.weight_shape())
        nw *= e;
      const auto w = random_floats(static_cast<std::size_t>(nw), rng);
      const auto bias = random_floats(6, rng);
      std::vector<double> a(6), b(6);
      for (int c = 0; c < 6; ++c) {
        a[static_cast<std::size_t>(c)] = 0.5 + 0.1 * c;
        b[static_cast<std::size_t>(c)] = -0.3 + 0.05 * c;
      }
      // The input is the second half of a 10-channel buffer, the output the first half of one.
      const Field wide_in = random_field(2, 10, {6, 19}, rng);
      Field in(2, 6, {6, 19});
      for (Index s = 0; s < 2; ++s)
        for (Index i = 0; i < 6 * in.points(); ++i)
          in.v[static_cast<std::size_t>(s * 6 * in.points() + i)] =
              wide_in.v[static_cast<std::size_t>(s * 10 * in.points() + 4 * in.points() + i)];
      const Field residual = random_field(2, 6, {6, 19}, rng);
      Field conv_ref = ref_conv(in, w, bias, spec);
      for (const auto act : {layers::Activation::none, layers::Activation::tanh, layers::Activation::gelu})
        for (int with_residual = 0; with_residual < 2; ++with_residual) {
          Field want = conv_ref;
          for (Index s = 0; s < 2; ++s)
            for (Index c = 0; c < 6; ++c)
              for (Index p = 0; p < want.points(); ++p) {
                double& v = want.v[static_cast<std::size_t>((s * 6 + c) * want.points() + p)];
                v = a[static_cast<std::size_t>(c)] * v + b[static_cast<std::size_t>(c)];
                if (act == layers::Activation::tanh) v = std::tanh(v);
                if (act == layers::Activation::gelu) v = 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
                if (with_residual) v += residual.v[static_cast<std::size_t>((s * 6 + c) * want.points() + p)];
              }
          layers::Convolution<Space> conv(spec, w, bias, "test conv", tiling);
          conv.fold_affine(a, b);
          DeviceField<Space> din(wide_in);
          DeviceField<Space> dres(residual);
          DeviceField<Space> dout(2, 9, want.e, 2);
          conv.forward(exec, din.tensor.channel_slice(4, 6), dout.tensor.channel_slice(0, 6),
                       {act, with_residual ? layers::ConstTensor(dres.tensor) : layers::ConstTensor{}});
          const auto got = dout.values();
          std::vector<double> part;
          for (Index s = 0; s < 2; ++s)
            part.insert(part.end(), got.begin() + s * 9 * want.points(), got.begin() + (s * 9 + 6) * want.points());
          INFO("tiling " << tiling_name(tiling) << (depthwise ? ", depthwise" : ", dense") << ", activation "
                         << layers::activation_name(act) << ", residual " << with_residual);
          CHECK(relative_l2(part, want.v) <= 1e-6);
          // The untouched channels 6..8 of the output buffer stay zero.
          double rest = 0;
          for (Index s = 0; s < 2; ++s)
            for (Index i = 6 * want.points(); i < 9 * want.points(); ++i)
              rest += std::abs(got[static_cast<std::size_t>(s * 9 * want.points() + i)]);
          CHECK(rest == 0.0);
        }
    }
}

TEMPLATE_LIST_TEST_CASE("unet layers: in-place residual (output = residual) as the ConvNeXt blocks use it",
                        "[unet][layers]", ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  const Space exec;
  for (const auto tiling : tilings<Space>()) {
    layers::ConvolutionSpec spec;
    spec.ndim = 2;
    spec.in_channels = 12;
    spec.out_channels = 3;
    spec.kernel = 1;
    const auto w = random_floats(36, rng);
    const auto bias = random_floats(3, rng);
    const Field in = random_field(2, 12, {5, 21}, rng);
    const Field x = random_field(2, 3, {5, 21}, rng);
    Field want = ref_conv(in, w, bias, spec);
    for (std::size_t i = 0; i < want.v.size(); ++i)
      want.v[i] = x.v[i] + 0.25 * want.v[i];
    layers::Convolution<Space> conv(spec, w, bias, "pwconv2", tiling);
    conv.fold_affine(std::vector<double>(3, 0.25), std::vector<double>(3, 0.0));
    DeviceField<Space> din(in);
    DeviceField<Space> dx(x);
    conv.forward(exec, din.tensor, dx.tensor, {layers::Activation::none, dx.tensor});
    CHECK(relative_l2(dx.values(), want.v) <= 1e-6);
  }
}

TEMPLATE_LIST_TEST_CASE("unet layers: transposed convolution with kernel = stride", "[unet][layers]", ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  struct Case {
    int ndim;
    Index cin, cout;
    int kernel;
    std::vector<Index> space;
  };
  const std::vector<Case> cases = {{2, 5, 3, 2, {3, 5}},    {2, 4, 11, 2, {4, 19}},  {2, 6, 2, 1, {7, 9}},
                                   {3, 4, 6, 2, {2, 3, 4}}, {3, 3, 2, 1, {3, 2, 5}}, {1, 3, 2, 2, {17}},
                                   {2, 2, 3, 3, {3, 4}}};
  const Space exec;
  for (const auto tiling : tilings<Space>())
    for (const auto& c : cases) {
      layers::TransposedConvolutionSpec spec;
      spec.ndim = c.ndim;
      spec.in_channels = c.cin;
      spec.out_channels = c.cout;
      spec.kernel = c.kernel;
      spec.stride = c.kernel;
      Index nw = 1;
      for (auto e : spec.weight_shape())
        nw *= e;
      const auto w = random_floats(static_cast<std::size_t>(nw), rng);
      const auto bias = random_floats(static_cast<std::size_t>(c.cout), rng);
      const Field in = random_field(2, c.cin, c.space, rng);
      const Field want = ref_conv_transpose(in, w, bias, c.cout, c.kernel, c.kernel);
      layers::TransposedConvolution<Space> up(spec, w, bias, "test upconv", tiling);
      DeviceField<Space> din(in);
      DeviceField<Space> dout(want.batch, want.channels, want.e, want.ndim);
      up.forward(exec, din.tensor, dout.tensor);
      INFO("tiling " << tiling_name(tiling) << ", " << c.ndim << "-D " << c.cin << "→" << c.cout << " k" << c.kernel);
      CHECK(relative_l2(dout.values(), want.v) <= 1e-6);
    }
  layers::TransposedConvolutionSpec overlapping;
  overlapping.in_channels = overlapping.out_channels = 1;
  overlapping.kernel = 3;
  overlapping.stride = 2;
  CHECK_THROWS_WITH(layers::TransposedConvolution<Space>(overlapping, std::vector<float>(9), {}, "up"),
                    ContainsSubstring("kernel 3") && ContainsSubstring("stride 2"));
}

TEMPLATE_LIST_TEST_CASE("unet layers: max-pool, BatchNorm, LayerNorm, activations, concatenation", "[unet][layers]",
                        ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  const Space exec;

  SECTION("max-pool k2 s2 floors odd extents and propagates NaN") {
    const std::vector<std::vector<Index>> spaces = {{7, 9}, {5, 4, 6}, {11}, {2, 2}};
    for (const auto& space : spaces) {
      Field in = random_field(2, 3, space, rng);
      const bool nan = space.size() == 2 && space[0] == 2;
      if (nan) in.v[5] = std::numeric_limits<double>::quiet_NaN();
      std::vector<Index> os;
      for (auto n : space)
        os.push_back(n / 2);
      Field want(2, 3, os);
      const int d = in.ndim;
      for (Index b = 0; b < 2; ++b)
        for (Index c = 0; c < 3; ++c)
          for (Index z = 0; z < want.e[0]; ++z)
            for (Index y = 0; y < want.e[1]; ++y)
              for (Index x = 0; x < want.e[2]; ++x) {
                double m = -std::numeric_limits<double>::infinity();
                for (Index a = 0; a < (d >= 3 ? 2 : 1); ++a)
                  for (Index e = 0; e < (d >= 2 ? 2 : 1); ++e)
                    for (Index f = 0; f < 2; ++f) {
                      const double v = in.at(b, c, d >= 3 ? 2 * z + a : z, d >= 2 ? 2 * y + e : y, 2 * x + f);
                      if (std::isnan(v) || std::isnan(m))
                        m = std::numeric_limits<double>::quiet_NaN();
                      else
                        m = std::max(m, v);
                    }
                want.at(b, c, z, y, x) = m;
              }
      DeviceField<Space> din(in);
      DeviceField<Space> dout(2, 3, want.e, want.ndim);
      layers::max_pool(exec, din.tensor, dout.tensor, 2);
      const auto got = dout.values();
      for (std::size_t i = 0; i < got.size(); ++i) {
        if (std::isnan(want.v[i]))
          CHECK(std::isnan(got[i]));
        else
          CHECK(static_cast<float>(got[i]) == static_cast<float>(want.v[i]));
      }
    }
    DeviceField<Space> small(Field(1, 1, {1, 4}));
    DeviceField<Space> out(1, 1, {1, 1, 2}, 2);
    CHECK_THROWS_WITH(layers::max_pool(exec, small.tensor, out.tensor, 2),
                      ContainsSubstring("smaller than the kernel"));
  }

  SECTION("BatchNorm uses the running statistics") {
    const Index c = 5;
    const auto w = random_floats(5, rng), b = random_floats(5, rng), mean = random_floats(5, rng);
    auto var = random_floats(5, rng);
    for (auto& v : var)
      v = 0.5f + std::abs(v);
    const Field in = random_field(3, c, {4, 3, 5}, rng);
    Field want = in;
    for (Index s = 0; s < 3; ++s)
      for (Index ch = 0; ch < c; ++ch)
        for (Index p = 0; p < in.points(); ++p) {
          double& v = want.v[static_cast<std::size_t>((s * c + ch) * in.points() + p)];
          const auto k = static_cast<std::size_t>(ch);
          v = (v - mean[k]) / std::sqrt(static_cast<double>(var[k]) + 1e-5) * w[k] + b[k];
        }
    layers::BatchNorm<Space> bn(w, b, mean, var, 1e-5, "bn");
    DeviceField<Space> d(in);
    bn.forward(exec, d.tensor, d.tensor);
    CHECK(relative_l2(d.values(), want.v) <= 1e-6);
  }

  SECTION("LayerNorm: channels_last (mean/var over channels) and the_well's channels_first (L2)") {
    const std::vector<std::vector<Index>> spaces = {{5, 7}, {3, 4, 5}, {37}};
    for (const auto tiling : tilings<Space>())
      for (const auto kind : {layers::LayerNormKind::channels_last, layers::LayerNormKind::channels_first})
        for (const auto& space : spaces) {
          const Index c = 6;
          const auto w = random_floats(6, rng), b = random_floats(6, rng);
          Field in = random_field(2, c, space, rng);
          for (Index ch = 0; ch < c; ++ch)
            in.v[static_cast<std::size_t>(ch * in.points())] = 0.0;  // a zero point: max(‖x‖, eps) matters
          Field want = in;
          for (Index s = 0; s < 2; ++s)
            for (Index p = 0; p < in.points(); ++p) {
              auto at = [&](Field& f, Index ch) -> double& {
                return f.v[static_cast<std::size_t>((s * c + ch) * in.points() + p)];
              };
              double mean = 0, var = 0, sq = 0;
              for (Index ch = 0; ch < c; ++ch) {
                mean += at(in, ch) / c;
                sq += at(in, ch) * at(in, ch);
              }
              for (Index ch = 0; ch < c; ++ch)
                var += (at(in, ch) - mean) * (at(in, ch) - mean) / c;
              for (Index ch = 0; ch < c; ++ch) {
                const auto k = static_cast<std::size_t>(ch);
                if (kind == layers::LayerNormKind::channels_last)
                  at(want, ch) = (at(in, ch) - mean) / std::sqrt(var + 1e-6) * w[k] + b[k];
                else
                  at(want, ch) = at(in, ch) / std::max(std::sqrt(sq), 1e-6) * w[k];
              }
            }
          layers::LayerNorm<Space> ln(kind, w, b, 1e-6, "ln", tiling);
          DeviceField<Space> din(in);
          DeviceField<Space> dout(2, c, in.e, in.ndim);
          ln.forward(exec, din.tensor, dout.tensor);
          INFO("tiling " << tiling_name(tiling) << ", kind " << static_cast<int>(kind) << ", " << space.size() << "-D");
          CHECK(relative_l2(dout.values(), want.v) <= 1e-6);
          ln.forward(exec, din.tensor, din.tensor);  // in place
          CHECK(relative_l2(din.values(), want.v) <= 1e-6);
        }
  }

  SECTION("Tanh and exact GELU") {
    Field in = random_field(2, 3, {4, 5}, rng);
    for (auto& v : in.v)
      v *= 4.0;
    for (const auto act : {layers::Activation::tanh, layers::Activation::gelu}) {
      DeviceField<Space> d(in);
      layers::apply_activation(exec, d.tensor, act);
      std::vector<double> want;
      for (double v : in.v)
        want.push_back(act == layers::Activation::tanh
                           ? std::tanh(static_cast<float>(v))
                           : 0.5 * static_cast<float>(v) * (1.0 + std::erf(static_cast<float>(v) / std::sqrt(2.0))));
      CHECK(relative_l2(d.values(), want) <= 1e-6);
    }
  }

  SECTION("concatenation along channels") {
    const Field a = random_field(2, 2, {3, 5}, rng);
    const Field b = random_field(2, 3, {3, 5}, rng);
    Field want(2, 5, {3, 5});
    for (Index s = 0; s < 2; ++s)
      for (Index c = 0; c < 5; ++c)
        for (Index p = 0; p < 15; ++p)
          want.v[static_cast<std::size_t>((s * 5 + c) * 15 + p)] =
              c < 2 ? a.v[static_cast<std::size_t>((s * 2 + c) * 15 + p)]
                    : b.v[static_cast<std::size_t>((s * 3 + c - 2) * 15 + p)];
    DeviceField<Space> da(a), db(b);
    DeviceField<Space> dout(2, 5, want.e, 2);
    layers::concatenate_channels(exec, da.tensor, db.tensor, dout.tensor);
    for (auto& v : want.v)
      v = static_cast<float>(v);  // a copy: exact in float
    CHECK(dout.values() == want.v);
    DeviceField<Space> wrong(2, 4, want.e, 2);
    CHECK_THROWS_WITH(layers::concatenate_channels(exec, da.tensor, db.tensor, wrong.tensor),
                      ContainsSubstring("do not make"));
  }
}

TEST_CASE("unet layers: the host kernels' vector tanh and GELU against double precision", "[unet][layers]") {
  namespace d = layers::detail;
  std::vector<double> xs;
  for (double x = -20.0; x <= 20.0; x += 1.0 / 1024.0)
    xs.push_back(x);
  for (double x : {0.0, -0.0, 1e-30, -1e-30, 1e-8, 0.6249999, 0.625, 0.6250001, 9.0, 88.0, -88.0, 1e30, -1e30})
    xs.push_back(x);
  while (xs.size() % d::kLanes)
    xs.push_back(0.5);
  double tanh_worst = 0, gelu_worst = 0, gelu_tail = 0;
  for (std::size_t i = 0; i < xs.size(); i += d::kLanes) {
    float in[d::kLanes], th[d::kLanes], ge[d::kLanes];
    for (int t = 0; t < d::kLanes; ++t)
      in[t] = static_cast<float>(xs[i + static_cast<std::size_t>(t)]);
    d::Lanes a, b;
    d::lanes_load(a, in);
    d::lanes_load(b, in);
    d::lanes_tanh(a);
    d::lanes_gelu(b);
    d::lanes_store(th, a);
    d::lanes_store(ge, b);
    for (int t = 0; t < d::kLanes; ++t) {
      const double x = in[t];
      const double want_t = std::tanh(x);
      // erfc of the float product x·(1/√2), as torch (and the scalar path) evaluate it: that
      // rounding alone moves e^{−x²/2} by up to x²·2⁻²⁴ relative in the tail.
      const double want_g = 0.5 * x * std::erfc(static_cast<double>(in[t] * -0.7071067811865475244f));
      tanh_worst = std::max(tanh_worst, std::abs(th[t] - want_t) / std::max(std::abs(want_t), 1e-37));
      if (x >= -12.0)
        gelu_worst = std::max(gelu_worst, std::abs(ge[t] - want_g) / std::max(std::abs(want_g), 1e-37));
      else
        gelu_tail = std::max(gelu_tail, std::abs(ge[t] - want_g));
    }
  }
  INFO("tanh worst relative error " << tanh_worst << ", GELU " << gelu_worst << ", GELU tail (x < -12) absolute "
                                    << gelu_tail);
  CHECK(tanh_worst <= 4e-7);
  CHECK(gelu_worst <= 1e-6);
  CHECK(gelu_tail <= 1e-30);
  float nan_in[d::kLanes];
  for (auto& v : nan_in)
    v = std::numeric_limits<float>::quiet_NaN();
  d::Lanes n1, n2;
  d::lanes_load(n1, nan_in);
  d::lanes_load(n2, nan_in);
  d::lanes_tanh(n1);
  d::lanes_gelu(n2);
  float o1[d::kLanes], o2[d::kLanes];
  d::lanes_store(o1, n1);
  d::lanes_store(o2, n2);
  CHECK(std::isnan(o1[0]));
  CHECK(std::isnan(o2[0]));
}

TEMPLATE_LIST_TEST_CASE("unet layers: shape mismatches are errors naming the layer", "[unet][layers]",
                        ExecutionSpaces) {
  using Space = TestType;
  const Space exec;
  layers::ConvolutionSpec spec;
  spec.in_channels = 2;
  spec.out_channels = 3;
  spec.padding = 1;
  layers::Convolution<Space> conv(spec, std::vector<float>(54), {}, "encoder1.enc1conv1");
  DeviceField<Space> in(1, 2, {1, 4, 4}, 2);
  DeviceField<Space> wrong_in(1, 3, {1, 4, 4}, 2);
  DeviceField<Space> out(1, 3, {1, 4, 4}, 2);
  DeviceField<Space> wrong_out(1, 3, {1, 4, 5}, 2);
  CHECK_THROWS_WITH(conv.forward(exec, wrong_in.tensor, out.tensor), ContainsSubstring("encoder1.enc1conv1"));
  CHECK_THROWS_WITH(conv.forward(exec, in.tensor, wrong_out.tensor), ContainsSubstring("does not fit"));
  CHECK_THROWS_WITH(layers::Convolution<Space>(spec, std::vector<float>(53), {}, "c1"),
                    ContainsSubstring("53 weights"));
  spec.groups = 4;
  CHECK_THROWS_WITH(layers::Convolution<Space>(spec, std::vector<float>(54), {}, "c2"), ContainsSubstring("groups 4"));
}

// ---- the models against PyTorch ---------------------------------------------------------------

namespace {

const std::vector<std::string> kUNetCases = {"unetclassic2d", "unetclassic3d", "unetconvnext2d", "unetconvnext3d"};

std::string case_dir(const std::string& name) {
  return gavel::test::test_data_dir() + "/models/" + name;
}

/// A float32 dataset of golden.hdf5 with its shape.
struct Array {
  std::vector<Index> shape;
  std::vector<double> v;
  std::string layout = "channels_first";
  std::string module;
};

Array read_array(const H5::H5File& file, const std::string& name, const std::string& where) {
  namespace h5 = gavel::datasets::hdf5;
  const H5::DataSet set = file.openDataSet(name);
  Array a;
  a.shape = h5::shape(set);
  a.v = h5::read_numbers(set, where + ": " + name);
  if (h5::has_attribute(set, "layout")) a.layout = h5::read_string(set, "layout", where + ": " + name);
  if (h5::has_attribute(set, "module")) a.module = h5::read_string(set, "module", where + ": " + name);
  return a;
}

/// [B, *space, C] → [B, C, *space].
std::vector<double> channels_first(const Array& a) {
  const Index b = a.shape.front(), c = a.shape.back();
  const Index points = static_cast<Index>(a.v.size()) / (b * c);
  std::vector<double> out(a.v.size());
  for (Index s = 0; s < b; ++s)
    for (Index p = 0; p < points; ++p)
      for (Index ch = 0; ch < c; ++ch)
        out[static_cast<std::size_t>((s * c + ch) * points + p)] =
            a.v[static_cast<std::size_t>((s * points + p) * c + ch)];
  return out;
}

std::vector<double> to_doubles(const std::vector<float>& v) {
  return std::vector<double>(v.begin(), v.end());
}

template <class Space>
std::unique_ptr<Model<Space>> load_unet(const std::string& dir, LayerProbe probe = {},
                                        layers::Tiling tiling = layers::Tiling::automatic) {
  const auto config = ModelConfig::read(dir + "/config.json");
  const SafetensorsFile file(dir + "/model.safetensors");
  const std::string arch = dir.find("convnext") != std::string::npos ? "UNetConvNext" : "UNetClassic";
  if (arch == "UNetClassic") {
    auto m = std::make_unique<UNetClassic<Space>>(config, file, tiling);
    m->set_probe(std::move(probe));
    return m;
  }
  auto m = std::make_unique<UNetConvNext<Space>>(config, file, tiling);
  m->set_probe(std::move(probe));
  return m;
}

/// Runs `model` on host values, returns the output on the host.
template <class Space>
std::vector<double> run_model(Model<Space>& model, const std::vector<double>& input, Index batch,
                              const std::vector<Index>& space) {
  Index points = 1;
  for (auto n : space)
    points *= n;
  const auto in = gavel::test::to_device<float, Space>(input);
  DeviceView<Space> out("model_out", static_cast<std::size_t>(batch * model.out_channels() * points));
  model.forward(in, batch, space, out);
  return gavel::test::to_host(out);
}

/// Layers the models do not materialize (BatchNorm folded into the convolution before it,
/// pwconv2 fused with GELU, layer scale and residual) are checked as single layers on the
/// golden activation that feeds them.
template <class Space>
std::vector<double> standalone_layer(const std::string& name, const std::string& dir, const H5::H5File& golden,
                                     const std::vector<Index>& space) {
  const SafetensorsFile file(dir + "/model.safetensors");
  const auto config = ModelConfig::read(dir + "/config.json");
  const int ndim = static_cast<int>(space.size());
  const Space exec;
  auto load = [&](const std::string& key) {
    const Array a = read_array(golden, key, dir);
    if (a.layout == "channels_last") {
      Field f(a.shape[0], a.shape.back(), std::vector<Index>(a.shape.begin() + 1, a.shape.end() - 1));
      f.v = channels_first(a);
      return f;
    }
    Field f(a.shape[0], a.shape[1], std::vector<Index>(a.shape.begin() + 2, a.shape.end()));
    f.v = a.v;
    return f;
  };
  auto conv_of = [&](const Field& in, const std::string& key, Index cin, Index cout) {
    layers::ConvolutionSpec spec;
    spec.ndim = ndim;
    spec.in_channels = cin;
    spec.out_channels = cout;
    spec.kernel = 3;
    spec.padding = 1;
    layers::Convolution<Space> conv(spec, file.read(key), {}, key);
    DeviceField<Space> din(in);
    DeviceField<Space> dout(in.batch, cout, in.e, ndim);
    conv.forward(exec, din.tensor, dout.tensor);
    return dout.values();
  };
  auto bn_of = [&](const Field& in, const std::string& key) {
    layers::BatchNorm<Space> bn(file.read(key + ".weight"), file.read(key + ".bias"), file.read(key + ".running_mean"),
                                file.read(key + ".running_var"), 1e-5, key);
    DeviceField<Space> d(in);
    bn.forward(exec, d.tensor, d.tensor);
    return d.values();
  };
  const Index f = config.integer("init_features", 32);
  if (name == "encoder1.enc1conv1") {
    const Field x = load("input");
    return conv_of(x, name + ".weight", x.channels, f);
  }
  if (name == "encoder1.enc1norm1" || name == "encoder1.enc1norm2")
    return bn_of(load(name == "encoder1.enc1norm1" ? "encoder1.enc1conv1" : "encoder1.enc1conv2"), name);
  if (name == "encoder1.enc1conv2") {
    const Field x = load("encoder1.enc1norm1");
    DeviceField<Space> d(x);
    layers::apply_activation(exec, d.tensor, layers::Activation::tanh);  // encoder1.enc1tanh1
    Field t = x;
    t.v = d.values();
    return conv_of(t, name + ".weight", f, f);
  }
  const std::string pw2 = ".pwconv2";
  if (name.size() > pw2.size() && name.compare(name.size() - pw2.size(), pw2.size(), pw2) == 0) {
    const std::string block = name.substr(0, name.size() - pw2.size());
    const Field x = load(block + ".norm");  // channels-last in the file
    const Index c = x.channels;
    layers::ConvolutionSpec s1;
    s1.ndim = ndim;
    s1.in_channels = c;
    s1.out_channels = 4 * c;
    s1.kernel = 1;
    layers::ConvolutionSpec s2 = s1;
    s2.in_channels = 4 * c;
    s2.out_channels = c;
    layers::Convolution<Space> pw1(s1, file.read(block + ".pwconv1.weight"), file.read(block + ".pwconv1.bias"));
    layers::Convolution<Space> pw2c(s2, file.read(block + ".pwconv2.weight"), file.read(block + ".pwconv2.bias"));
    DeviceField<Space> din(x);
    DeviceField<Space> hidden(x.batch, 4 * c, x.e, ndim);
    DeviceField<Space> dout(x.batch, c, x.e, ndim);
    pw1.forward(exec, din.tensor, hidden.tensor, {layers::Activation::gelu, {}});
    pw2c.forward(exec, hidden.tensor, dout.tensor);
    return dout.values();
  }
  FAIL("golden layer " << name << " is covered neither by a probe nor by a standalone check");
  return {};
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("unet models: UNetClassic and UNetConvNext equal PyTorch per model and per layer",
                        "[unet][golden]", ExecutionSpaces) {
  using Space = TestType;
  using memory_space = typename Space::memory_space;
  const bool report = std::getenv("GAVEL_REPORT_ACCURACY") != nullptr;
  for (const auto tiling : tilings<Space>())
    for (const auto& name : kUNetCases) {
      const std::string dir = case_dir(name);
      INFO("case " << name << ", tiling " << tiling_name(tiling));
      REQUIRE(std::filesystem::exists(dir + "/golden.hdf5"));
      const H5::H5File golden(dir + "/golden.hdf5", H5F_ACC_RDONLY);
      const auto layers_list = gavel::datasets::hdf5::read_string_list(golden, "layers", dir);
      const Array input = read_array(golden, "input", dir);
      const Array output = read_array(golden, "output", dir);
      const std::vector<Index> space(input.shape.begin() + 2, input.shape.end());
      const Index batch = input.shape[0];

      std::map<std::string, std::vector<double>> seen;
      auto model = load_unet<Space>(
          dir,
          [&](const std::string& layer, const layers::ConstTensor& t) {
            seen[layer] = to_doubles(layers::copy_to_host<memory_space>(t));
          },
          tiling);
      CHECK(model->architecture() == gavel::datasets::hdf5::read_string(golden, "architecture", dir));
      const auto got = run_model(*model, input.v, batch, space);
      const double overall = relative_l2(got, output.v);
      CHECK(overall <= 1e-5);
      std::map<std::string, double> worst_by_type;
      for (const auto& layer : layers_list) {
        INFO("layer " << layer);
        const Array want = read_array(golden, layer, dir);
        const auto want_cf = want.layout == "channels_last" ? channels_first(want) : want.v;
        const auto it = seen.find(layer);
        const auto value = it != seen.end() ? it->second : standalone_layer<Space>(layer, dir, golden, space);
        const double err = relative_l2(value, want_cf);
        CHECK(err <= 1e-5);
        worst_by_type[want.module] = std::max(worst_by_type[want.module], err);
        if (report)
          std::printf("  %-16s %-32s %-16s rel L2 %.2e\n", name.c_str(), layer.c_str(), want.module.c_str(), err);
      }
      if (report) {
        std::printf("%s on %s (%s tiles): output rel L2 %.2e; worst per layer type:", name.c_str(), Space::name(),
                    tiling_name(tiling), overall);
        for (const auto& [type, err] : worst_by_type)
          std::printf(" %s %.2e", type.c_str(), err);
        std::printf("\n");
      }
    }
}

namespace {

/// A float32 safetensors file from named tensors (the format the_well's save_pretrained writes).
void write_safetensors(const std::string& path,
                       const std::map<std::string, std::pair<std::vector<Index>, std::vector<float>>>& tensors) {
  nlohmann::json header;
  std::string data;
  for (const auto& [name, t] : tensors) {
    const std::size_t begin = data.size();
    data.append(reinterpret_cast<const char*>(t.second.data()), t.second.size() * sizeof(float));
    header[name] = {{"dtype", "F32"}, {"shape", t.first}, {"data_offsets", {begin, data.size()}}};
  }
  header["__metadata__"] = {{"format", "pt"}};
  const std::string text = header.dump();
  const std::uint64_t n = text.size();
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &n, 8);
  std::ofstream(path, std::ios::binary) << bytes << text << data;
}

std::map<std::string, std::pair<std::vector<Index>, std::vector<float>>> read_tensors(const std::string& path) {
  const SafetensorsFile file(path);
  std::map<std::string, std::pair<std::vector<Index>, std::vector<float>>> out;
  for (const auto& t : file.tensors())
    out[t.name] = {t.shape, file.read(t.name)};
  return out;
}

/// A case folder copy with tensors and config edited, in `folder`.
std::string edited_case(
    const gavel::test::TempFolder& folder, const std::string& name,
    const std::function<void(std::map<std::string, std::pair<std::vector<Index>, std::vector<float>>>&,
                             nlohmann::json&)>& edit) {
  auto tensors = read_tensors(case_dir(name) + "/model.safetensors");
  nlohmann::json config;
  std::ifstream(case_dir(name) + "/config.json") >> config;
  edit(tensors, config);
  const std::string dir = folder / name;
  std::filesystem::create_directories(dir);
  write_safetensors(dir + "/model.safetensors", tensors);
  std::ofstream(dir + "/config.json") << config.dump(2);
  return dir;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("unet models: bad checkpoints list every missing, extra and mis-shaped tensor",
                        "[unet][checkpoint]", ExecutionSpaces) {
  using Space = TestType;
  const gavel::test::TempFolder folder;
  using Tensors = std::map<std::string, std::pair<std::vector<Index>, std::vector<float>>>;

  SECTION("UNetClassic") {
    const auto dir = edited_case(folder, "unetclassic2d", [](Tensors& t, nlohmann::json&) {
      t.erase("encoder2.enc2conv1.weight");
      t.erase("decoder3.dec3norm2.running_var");
      t["upconv3.bias"] = {{13}, std::vector<float>(13)};
      t["encoder5.enc5conv1.weight"] = {{2, 2}, std::vector<float>(4)};
    });
    try {
      load_unet<Space>(dir);
      FAIL("no error");
    } catch (const Error& e) {
      const std::string m = e.what();
      CHECK_THAT(m, ContainsSubstring(dir + "/model.safetensors"));
      CHECK_THAT(m, ContainsSubstring("missing") && ContainsSubstring("encoder2.enc2conv1.weight (6,3,3,3)"));
      CHECK_THAT(m, ContainsSubstring("decoder3.dec3norm2.running_var (12)"));
      CHECK_THAT(m, ContainsSubstring("wrong shape") && ContainsSubstring("upconv3.bias is (13), expected (12)"));
      CHECK_THAT(m, ContainsSubstring("unexpected") && ContainsSubstring("encoder5.enc5conv1.weight (2,2)"));
      CHECK_THAT(m, !ContainsSubstring("num_batches_tracked"));
    }
  }
  SECTION("UNetConvNext") {
    const auto dir = edited_case(folder, "unetconvnext3d", [](Tensors& t, nlohmann::json&) {
      t.erase("decoder.1.skip_proj.bias");
      t.erase("encoder.0.resample.block.0.bias");  // unused by the forward pass, still part of the checkpoint
      t["encoder.0.resample.block.0.weight"].first = {4};
      t["neck.blocks.2.gamma"] = {{16}, std::vector<float>(16)};
    });
    try {
      load_unet<Space>(dir);
      FAIL("no error");
    } catch (const Error& e) {
      const std::string m = e.what();
      CHECK_THAT(m, ContainsSubstring("decoder.1.skip_proj.bias (8)"));
      CHECK_THAT(m, ContainsSubstring("encoder.0.resample.block.0.bias (4,1,1,1)"));
      CHECK_THAT(m, ContainsSubstring("encoder.0.resample.block.0.weight is (4), expected (4,1,1,1)"));
      CHECK_THAT(m, ContainsSubstring("unexpected") && ContainsSubstring("neck.blocks.2.gamma (16)"));
    }
  }
  SECTION("a config that disagrees with the tensors") {
    const auto dir =
        edited_case(folder, "unetconvnext2d", [](Tensors&, nlohmann::json& c) { c["blocks_per_stage"] = 1; });
    CHECK_THROWS_WITH(load_unet<Space>(dir), ContainsSubstring("unexpected") &&
                                                 ContainsSubstring("encoder.0.blocks.1.dwconv.weight (3,1,7,7)"));
    const auto dir2 =
        edited_case(folder, "unetclassic3d", [](Tensors&, nlohmann::json& c) { c["n_spatial_dims"] = 2; });
    CHECK_THROWS_WITH(load_unet<Space>(dir2),
                      ContainsSubstring("encoder1.enc1conv1.weight is (2,2,3,3,3), expected (2,2,3,3)"));
    const auto dir3 = edited_case(folder, "unetclassic2d", [](Tensors&, nlohmann::json& c) { c.erase("dim_out"); });
    CHECK_THROWS_WITH(load_unet<Space>(dir3), ContainsSubstring("config.json: key 'dim_out' is missing"));
    const auto dir4 = edited_case(folder, "unetconvnext2d", [](Tensors&, nlohmann::json& c) { c["stages"] = -1; });
    CHECK_THROWS_WITH(load_unet<Space>(dir4), ContainsSubstring("'stages' is -1"));
  }
}

TEMPLATE_LIST_TEST_CASE("unet models: spatial sizes the down-sampling cannot take are clear errors",
                        "[unet][checkpoint]", ExecutionSpaces) {
  using Space = TestType;
  auto classic = load_unet<Space>(case_dir("unetclassic2d"));
  auto next3d = load_unet<Space>(case_dir("unetconvnext3d"));
  DeviceView<Space> big("big", 3 * 3 * 48 * 48);
  DeviceView<Space> out("out", 3 * 3 * 48 * 48);
  CHECK_THROWS_WITH(classic->forward(big, 1, {24, 16}, out), ContainsSubstring("UNetClassic: spatial size 24x16") &&
                                                                 ContainsSubstring("multiple of 16") &&
                                                                 ContainsSubstring("24 is not"));
  CHECK_THROWS_WITH(classic->forward(big, 1, {16, 16, 16}, out), ContainsSubstring("3 spatial axes"));
  CHECK_THROWS_WITH(next3d->forward(big, 1, {6, 8, 8}, out),
                    ContainsSubstring("UNetConvNext: spatial size 6x8x8") && ContainsSubstring("multiple of 4"));
  CHECK_THROWS_WITH(classic->forward(big, 4, {48, 48}, out), ContainsSubstring("input holds"));
  DeviceView<Space> small("small", 10);
  CHECK_THROWS_WITH(classic->forward(big, 1, {16, 16}, small), ContainsSubstring("output holds 10 values"));
}

TEMPLATE_LIST_TEST_CASE("unet models: batches of 1 and 3 agree per sample, buffers reused across sizes",
                        "[unet][batch]", ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  for (const auto& name : kUNetCases) {
    INFO("case " << name);
    auto model = load_unet<Space>(case_dir(name));
    const bool three_d = model->spatial_dims() == 3;
    // A grid other than the golden one, then the batch split into single samples.
    const std::vector<Index> space = three_d ? std::vector<Index>{16, 32, 16} : std::vector<Index>{48, 64};
    Index points = 1;
    for (auto n : space)
      points *= n;
    const Index cin = model->in_channels(), cout = model->out_channels();
    const auto input = gavel::test::random_values(static_cast<std::size_t>(3 * cin * points), rng);
    const auto all = run_model(*model, input, 3, space);
    for (Index s = 0; s < 3; ++s) {
      const std::vector<double> one(input.begin() + s * cin * points, input.begin() + (s + 1) * cin * points);
      const auto got = run_model(*model, one, 1, space);
      const std::vector<double> want(all.begin() + s * cout * points, all.begin() + (s + 1) * cout * points);
      INFO("sample " << s);
      CHECK(relative_l2(got, want) <= 1e-6);
    }
  }
}
