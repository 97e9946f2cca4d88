#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <random>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/group_action.hpp"
#include "test_support.hpp"

using namespace gavel;

namespace {

template <class Space>
using DeviceView = Kokkos::View<float*, typename Space::memory_space>;

/// Periodic (2d+1)-point Laplacian of every channel, written directly on the host.
std::vector<double> laplacian(const Grid& grid, std::int64_t fields, const std::vector<double>& in) {
  const std::int64_t points = grid.num_points();
  std::vector<double> out(in.size());
  for (std::int64_t f = 0; f < fields; ++f)
    for (std::int64_t p = 0; p < points; ++p) {
      const auto idx = test::unflatten(p, grid);
      double sum = -2.0 * grid.ndim() * in[static_cast<std::size_t>(f * points + p)];
      for (int k = 0; k < grid.ndim(); ++k)
        for (int step : {-1, 1}) {
          auto nb = idx;
          const std::int64_t n = grid.extent(k);
          nb[static_cast<std::size_t>(k)] = (nb[static_cast<std::size_t>(k)] + step + n) % n;
          sum += in[static_cast<std::size_t>(f * points + test::flatten(nb, grid))];
        }
      out[static_cast<std::size_t>(f * points + p)] = sum;
    }
  return out;
}

/// A deliberately non-equivariant map: channel mixing by a fixed random matrix, an upwind
/// x-derivative and a quadratic term.
std::vector<double> skewed_operator(const Grid& grid, std::int64_t batch, std::int64_t channels,
                                    const std::vector<double>& in) {
  const std::int64_t points = grid.num_points();
  std::mt19937 rng(7);
  const auto mixing = test::random_values(static_cast<std::size_t>(channels * channels), rng);
  std::vector<double> out(in.size(), 0.0);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t c = 0; c < channels; ++c)
      for (std::int64_t p = 0; p < points; ++p) {
        auto at = [&](std::int64_t ch, std::int64_t q) {
          return in[static_cast<std::size_t>((b * channels + ch) * points + q)];
        };
        double v = 0;
        for (std::int64_t c2 = 0; c2 < channels; ++c2)
          v += mixing[static_cast<std::size_t>(c * channels + c2)] * at(c2, p);
        auto idx = test::unflatten(p, grid);
        idx[0] = (idx[0] + 1) % grid.extent(0);
        v += 0.7 * (at(c, test::flatten(idx, grid)) - at(c, p)) + 0.3 * at(c, p) * at(c, p);
        out[static_cast<std::size_t>((b * channels + c) * points + p)] = v;
      }
  return out;
}

template <class Space>
std::vector<double> apply_one(const GroupAction<Space>& action, std::size_t e, const std::vector<double>& in,
                              std::int64_t batch) {
  DeviceView<Space> out("out", in.size());
  action.template apply<float>(e, test::to_device<float, Space>(in), batch, out);
  return test::to_host(out);
}

double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double diff = 0, norm = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff += (a[i] - b[i]) * (a[i] - b[i]);
    norm += b[i] * b[i];
  }
  return std::sqrt(diff / norm);
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("applying g then h equals applying h after g", "[equivariance]", test::ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  for (const Grid& grid : {Grid({16, 16}), Grid({6, 6, 6})}) {
    const ChannelLayout layout = test::mixed_layout(grid.ndim());
    const Group group = admissible_group(grid, grid.ndim() == 2 ? 8 : 0);
    const GroupAction<Space> action(grid, layout, group.elements());
    const auto x = test::random_values(static_cast<std::size_t>(action.batch_size(1)), rng);
    for (std::size_t g = 0; g < group.order(); g += 3)
      for (std::size_t h = 0; h < group.order(); h += 5) {
        INFO(element_name(group.element(g)) << " then " << element_name(group.element(h)));
        REQUIRE(apply_one(action, h, apply_one(action, g, x, 1), 1) == apply_one(action, group.product(h, g), x, 1));
      }
  }
}

TEMPLATE_LIST_TEST_CASE("the periodic Laplacian commutes with every element exactly", "[equivariance]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  for (const Grid& grid : {Grid({24, 24}), Grid({8, 8, 8})}) {
    const ChannelLayout layout = test::mixed_layout(grid.ndim());
    const Group group = admissible_group(grid);
    const GroupAction<Space> action(grid, layout, group.elements());
    // Small integers: every sum is exact in float, so commuting means bitwise equality.
    const auto x = test::random_values(static_cast<std::size_t>(action.batch_size(1)), rng, true);
    const auto lap_x = laplacian(grid, layout.num_channels(), x);
    for (std::size_t e = 0; e < group.order(); ++e) {
      INFO(element_name(group.element(e)));
      REQUIRE(laplacian(grid, layout.num_channels(), apply_one(action, e, x, 1)) == apply_one(action, e, lap_x, 1));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("averaging makes a non-equivariant operator equivariant", "[equivariance]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  for (const Grid& grid : {Grid({20, 20}), Grid({8, 8, 8})}) {
    const ChannelLayout layout = test::mixed_layout(grid.ndim());
    const Group group = admissible_group(grid);
    const GroupAction<Space> action(grid, layout, group.elements());
    const std::int64_t batch = 2;
    const std::int64_t channels = layout.num_channels();
    const std::size_t n = static_cast<std::size_t>(action.batch_size(batch));
    const std::size_t order = group.order();

    auto averaged = [&](const std::vector<double>& x) {
      DeviceView<Space> copies("copies", n * order);
      action.template apply_all<float>(test::to_device<float, Space>(x), batch, copies);
      const auto y = skewed_operator(grid, batch * static_cast<std::int64_t>(order), channels, test::to_host(copies));
      DeviceView<Space> out("out", n);
      action.template average_inverse<float>(test::to_device<float, Space>(y), batch, out);
      return test::to_host(out);
    };

    const auto x = test::random_values(n, rng);
    const auto f_x = averaged(x);
    const auto raw_x = skewed_operator(grid, batch, channels, x);
    double worst_raw = 0;
    for (std::size_t e = 0; e < order; ++e) {
      INFO(element_name(group.element(e)));
      const auto gx = apply_one(action, e, x, batch);
      CHECK(relative_difference(averaged(gx), apply_one(action, e, f_x, batch)) <= 1e-6);
      worst_raw = std::max(worst_raw, relative_difference(skewed_operator(grid, batch, channels, gx),
                                                          apply_one(action, e, raw_x, batch)));
    }
    CHECK(worst_raw > 1e-2);  // the operator itself is far from equivariant
  }
}
