#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <random>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "test_support.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

/// Grids with full and partial tiles, cell- and node-centred, with and without shifts.
struct Case {
  Grid grid;
  std::int64_t shift_step;
};

std::vector<Case> cases() {
  return {
      {Grid({37}, BoundaryCondition::periodic), 0},
      {Grid({1100}, BoundaryCondition::periodic, Sampling::node_centred), 275},
      {Grid({40, 40}, BoundaryCondition::periodic), 0},
      {Grid({12, 12}, BoundaryCondition::periodic, Sampling::node_centred), 3},
      {Grid({5, 5}, BoundaryCondition::wall), 0},
      {Grid({24, 36}, BoundaryCondition::periodic), 12},
      // Wider than the host kernels' 256-column staging chunk, and not a whole number of 16-row
      // bands: the axis-swapping elements take the partial chunk and the partial band.
      {Grid({264, 264}, BoundaryCondition::periodic), 0},
      {Grid({20, 20, 20}, BoundaryCondition::periodic), 0},
      // 3-D rows longer than 128: the host tiles (about 16 K values) end inside both other axes,
      // in a partial 16-row band.
      {Grid({2, 136, 136}, BoundaryCondition::periodic), 0},
      {Grid({6, 6, 6}, BoundaryCondition::periodic, Sampling::node_centred), 3},
      {Grid({3, 4, 4}, parse_face_conditions("wall,open,periodic,periodic,periodic,periodic", 3),
            {Sampling::cell_centred, Sampling::cell_centred, Sampling::cell_centred}),
       2},
  };
}

/// Up to `limit` elements spread over the group (all when the group is small).
std::vector<GroupElement> spread(const Group& group, std::size_t limit) {
  std::vector<GroupElement> picked;
  const std::size_t step = group.order() <= limit ? 1 : group.order() / limit;
  for (std::size_t i = 0; i < group.order(); i += step)
    picked.push_back(group.element(i));
  return picked;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("apply and apply_all equal the explicit definition", "[kernels]", test::ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  for (const auto variant : test::kernel_variants<Space>())
    for (const auto& c : cases()) {
      const Grid& grid = c.grid;
      INFO("grid " << grid.shape_string() << " variant " << static_cast<int>(variant));
      const ChannelLayout layout = test::mixed_layout(grid.ndim());
      const auto elements = spread(admissible_group(grid, c.shift_step), 64);
      const GroupAction<Space> action(grid, layout, elements, variant);
      const std::int64_t batch = 2;
      const auto input = test::random_values(static_cast<std::size_t>(action.batch_size(batch)), rng);
      const auto in_double = test::to_device<double, Space>(input);
      const auto in_float = test::to_device<float, Space>(input);
      Kokkos::View<double*, typename Space::memory_space> all("all", action.batch_size(batch) * elements.size());
      action.template apply_all<double>(in_double, batch, all);
      const auto all_host = test::to_host(all);
      Kokkos::View<float*, typename Space::memory_space> one("one", action.batch_size(batch));
      for (std::size_t e = 0; e < elements.size(); ++e) {
        INFO("element " << element_name(elements[e]));
        const auto expected = test::reference_apply(elements[e], grid, layout, input, batch);
        const auto offset = static_cast<std::ptrdiff_t>(e * expected.size());
        // Signed permutations of values: exact, in double and in float.
        REQUIRE(std::vector<double>(all_host.begin() + offset,
                                    all_host.begin() + offset + static_cast<std::ptrdiff_t>(expected.size())) ==
                expected);
        action.template apply<float>(e, in_float, batch, one);
        const auto one_host = test::to_host(one);
        for (std::size_t i = 0; i < expected.size(); ++i)
          REQUIRE(one_host[i] == static_cast<double>(static_cast<float>(expected[i])));
      }
    }
}

TEMPLATE_LIST_TEST_CASE("non-temporal stores give the same outputs", "[kernels]", test::ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  // Rows of 16-float multiples (48², 16³) take the transposes that stream straight to the output;
  // the shift by 8 makes some of their bands wrap, which must fall back to staging.
  for (const Case& c :
       {Case{Grid({40, 40}, BoundaryCondition::periodic), 0}, Case{Grid({24, 36}, BoundaryCondition::periodic), 0},
        Case{Grid({48, 48}, BoundaryCondition::periodic), 8}, Case{Grid({20, 20, 20}, BoundaryCondition::periodic), 0},
        Case{Grid({16, 16, 16}, BoundaryCondition::periodic), 0}}) {
    const Grid& grid = c.grid;
    INFO("grid " << grid.shape_string());
    const ChannelLayout layout = test::mixed_layout(grid.ndim());
    const auto elements = spread(admissible_group(grid, c.shift_step), 64);
    const GroupAction<Space> action(grid, layout, elements, KernelVariant::automatic, StorePolicy::streaming);
    const std::int64_t batch = 2;
    const auto input = test::random_values(static_cast<std::size_t>(action.batch_size(batch)), rng);
    Kokkos::View<float*, typename Space::memory_space> all("all", action.batch_size(batch) * elements.size());
    action.template apply_all<float>(test::to_device<float, Space>(input), batch, all);
    const auto all_host = test::to_host(all);
    for (std::size_t e = 0; e < elements.size(); ++e) {
      INFO("element " << element_name(elements[e]));
      const auto expected = test::reference_apply(elements[e], grid, layout, input, batch);
      for (std::size_t i = 0; i < expected.size(); ++i)
        REQUIRE(all_host[e * expected.size() + i] == static_cast<double>(static_cast<float>(expected[i])));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("average_inverse equals the mean of explicit inverse transforms", "[kernels]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  std::mt19937 rng(Catch::getSeed());
  for (const auto variant : test::kernel_variants<Space>())
    for (const auto& c : cases()) {
      const Grid& grid = c.grid;
      INFO("grid " << grid.shape_string() << " variant " << static_cast<int>(variant));
      const ChannelLayout layout = test::mixed_layout(grid.ndim());
      const auto elements = spread(admissible_group(grid, c.shift_step), 48);
      const GroupAction<Space> action(grid, layout, elements, variant);
      const std::int64_t batch = 3;
      const auto n = static_cast<std::size_t>(action.batch_size(batch));
      // Independent outputs per element, as a model would produce.
      const auto y = test::random_values(n * elements.size(), rng);
      std::vector<double> expected(n, 0.0);
      for (std::size_t e = 0; e < elements.size(); ++e) {
        const std::vector<double> y_e(y.begin() + static_cast<std::ptrdiff_t>(e * n),
                                      y.begin() + static_cast<std::ptrdiff_t>((e + 1) * n));
        const auto back = test::reference_apply(inverse(elements[e]), grid, layout, y_e, batch);
        for (std::size_t i = 0; i < n; ++i)
          expected[i] += back[i] / static_cast<double>(elements.size());
      }
      Kokkos::View<double*, typename Space::memory_space> out("out", n);
      action.template average_inverse<double>(test::to_device<double, Space>(y), batch, out);
      const auto got = test::to_host(out);
      for (std::size_t i = 0; i < n; ++i)
        REQUIRE(std::abs(got[i] - expected[i]) <= 1e-14);
      // float takes the vectorised paths: sums of up to 48 values in [-1, 1) round to ~1e-6.
      Kokkos::View<float*, typename Space::memory_space> out_float("out_float", n);
      action.template average_inverse<float>(test::to_device<float, Space>(y), batch, out_float);
      const auto got_float = test::to_host(out_float);
      for (std::size_t i = 0; i < n; ++i)
        REQUIRE(std::abs(got_float[i] - expected[i]) <= 2e-6);
    }
}

TEMPLATE_LIST_TEST_CASE("group actions refuse mismatched shapes and grids", "[kernels][errors]",
                        test::ExecutionSpaces) {
  using Space = TestType;
  const Grid rect({8, 16});
  const ChannelLayout layout(2, {{"u", FieldKind::vector}});
  CHECK_THROWS_WITH(GroupAction<Space>(rect, layout, {parse_element("rot90", 2)}),
                    ContainsSubstring("the grid is not square there"));
  CHECK_THROWS_WITH(GroupAction<Space>(Grid({8, 8}, BoundaryCondition::wall), layout, {parse_element("shift(1,0)", 2)}),
                    ContainsSubstring("shift along non-periodic axis 0"));
  CHECK_THROWS_WITH(
      GroupAction<Space>(rect, ChannelLayout(3, {{"u", FieldKind::vector}}), {parse_element("flip_x", 2)}),
      ContainsSubstring("3-D channel layout on a 2-D grid"));
  const GroupAction<Space> action(rect, layout, {parse_element("flip_x", 2), parse_element("flip_y", 2)});
  Kokkos::View<float*, typename Space::memory_space> in("in", action.batch_size(2));
  Kokkos::View<float*, typename Space::memory_space> short_out("out", action.batch_size(2) - 1);
  CHECK_THROWS_WITH(action.template apply<float>(0, in, 2, short_out),
                    ContainsSubstring("output holds 511 values, expected 512"));
  CHECK_THROWS_WITH(action.template apply_all<float>(in, 2, in), ContainsSubstring("expected 1024"));
  CHECK_THROWS_WITH(action.template apply<float>(5, in, 2, in), ContainsSubstring("element index out of range"));
  CHECK_THROWS_WITH(action.template average_inverse<float>(in, 2, in),
                    ContainsSubstring("model output holds 512 values"));
}
