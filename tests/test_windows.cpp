// Windows cut as the_well's WellDataset cuts them, checked here against explicit index
// arithmetic on random in-memory data (golden files from the_well itself: test_windows_golden).
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>
#include <limits>

#include "gavel/core/error.hpp"
#include "gavel/datasets/model_input.hpp"
#include "gavel/datasets/windows.hpp"
#include "random_well_source.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr auto periodic = BoundaryCondition::periodic;
using Faces = std::vector<std::array<BoundaryCondition, 2>>;

std::shared_ptr<MemorySource> make_source(std::int64_t trajectories, std::int64_t steps, unsigned seed) {
  auto info = test::random_well_info({3, 4}, Faces{{periodic, periodic}, {periodic, periodic}}, trajectories, steps);
  return std::make_shared<MemorySource>(test::random_well_source(info, seed));
}

}  // namespace

TEST_CASE("windows: count, origin and values follow the_well's index arithmetic", "[windows]") {
  const auto [ti, to, dt] = GENERATE(table<int, int, int>({{4, 1, 1}, {2, 3, 2}, {1, 1, 3}}));
  const auto a = make_source(2, 11, 1);
  const auto b = make_source(3, 9, 2);
  WindowSpec spec;
  spec.n_steps_input = ti;
  spec.n_steps_output = to;
  spec.dt_stride = dt;
  const WindowedDataset windows({a, b}, spec);
  const std::int64_t wa = 11 - dt * (ti + to - 1), wb = 9 - dt * (ti + to - 1);
  REQUIRE(windows.size() == 2 * wa + 3 * wb);
  CHECK(windows.channels() == 1 + 1 + 2 + 4);  // density, vorticity, velocity, stress
  CHECK(windows.constant_channels() == 2);     // obstacle, porosity
  CHECK(windows.channel_names() == std::vector<std::string>{"density", "vorticity", "velocity_x", "velocity_y",
                                                            "stress_xx", "stress_xy", "stress_yx", "stress_yy"});
  CHECK(windows.constant_channel_names() == std::vector<std::string>{"obstacle", "porosity"});

  Window w;
  for (std::int64_t index = 0; index < windows.size(); ++index) {
    windows.read(index, w);
    const std::size_t file = index < 2 * wa ? 0 : 1;
    const std::int64_t local = file == 0 ? index : index - 2 * wa;
    const std::int64_t per = file == 0 ? wa : wb;
    CHECK(w.origin.file == file);
    CHECK(w.origin.trajectory == local / per);
    CHECK(w.origin.start_step == local % per);
    const MemorySource& src = file == 0 ? *a : *b;
    // Spot-check every channel at a few points against the stored frames.
    const std::size_t fields[] = {0, 1, 4, 5};
    const int offsets[] = {0, 1, 2, 4}, components[] = {1, 1, 2, 4};
    for (int t = 0; t < ti + to; ++t)
      for (std::int64_t p : {0, 5, 11})
        for (int k = 0; k < 4; ++k)
          for (int c = 0; c < components[k]; ++c) {
            const float expected =
                src.frame(fields[k], w.origin.trajectory, w.origin.start_step + t * dt)[p * components[k] + c];
            const auto& block = t < ti ? w.input : w.output;
            const int tt = t < ti ? t : t - ti;
            CHECK(block[static_cast<std::size_t>((tt * 12 + p) * 8 + offsets[k] + c)] == expected);
          }
    for (std::int64_t p : {0, 7})
      CHECK(w.constants[static_cast<std::size_t>(p * 2 + 1)] == src.frame(3, w.origin.trajectory, 0)[p]);
    REQUIRE(w.input_time.size() == static_cast<std::size_t>(ti));
    CHECK(w.input_time[0] == 0.0);
    CHECK(w.output_time.back() == Catch::Approx(0.25 * dt * (ti + to - 1)));
  }
}

TEST_CASE("windows: full-trajectory mode and the rollout cap", "[windows]") {
  const auto a = make_source(2, 10, 3);
  const auto b = make_source(1, 8, 4);
  WindowSpec spec;
  spec.n_steps_input = 2;
  spec.full_trajectory_mode = true;
  const WindowedDataset full({a, b}, spec);
  CHECK(full.size() == 3);
  CHECK(full.output_steps() == 6);  // the shortest file (8 steps) minus 2 inputs
  spec.max_rollout_steps = 4;
  CHECK(WindowedDataset({a, b}, spec).output_steps() == 4);
  spec.start_output_steps_at_t = 5;
  spec.max_rollout_steps = 100;
  const WindowedDataset later({a, b}, spec);
  CHECK(later.output_steps() == 3);
  CHECK(later.origin(2).start_step == 3);
  CHECK(later.origin(2).file == 1);
}

TEST_CASE("windows: NaN and Inf are kept, counted, and replaced like nan_to_num for the model", "[windows]") {
  const auto a = make_source(1, 6, 5);
  a->frame(0, 0, 1)[3] = std::numeric_limits<float>::quiet_NaN();
  a->frame(4, 0, 1)[0] = std::numeric_limits<float>::infinity();
  a->frame(5, 0, 4)[2] = -std::numeric_limits<float>::infinity();
  a->frame(2, 0, 0)[7] = std::numeric_limits<float>::quiet_NaN();
  WindowSpec spec;
  const WindowedDataset windows({a}, spec);
  Window w;
  windows.read(0, w);  // steps 0..3 in, 4 out
  CHECK(w.input_non_finite == NonFiniteCounts{1, 1, 0});
  CHECK(w.output_non_finite == NonFiniteCounts{0, 0, 1});
  CHECK(w.constants_non_finite == NonFiniteCounts{1, 0, 0});
  CHECK(std::isnan(w.input[static_cast<std::size_t>((1 * 12 + 3) * 8)]));

  ModelInput m;
  format_channels_first(windows, w, m);
  CHECK(m.x.size() == static_cast<std::size_t>((4 * 8 + 2) * 12));
  CHECK(m.replaced_in_x == NonFiniteCounts{2, 1, 0});
  CHECK(m.replaced_in_y == NonFiniteCounts{0, 0, 1});
  CHECK(m.x[static_cast<std::size_t>((1 * 8 + 0) * 12 + 3)] == 0.0f);  // step 1, density, point 3
  CHECK(m.x[static_cast<std::size_t>((1 * 8 + 2) * 12 + 0)] == std::numeric_limits<float>::max());
  CHECK(m.y[6] == std::numeric_limits<float>::lowest());  // stress_yx (channel 6) at point 0
  // Channels-first order: channel t*C+c holds step t's channel c, then the constants.
  CHECK(m.x[static_cast<std::size_t>((2 * 8 + 5) * 12 + 9)] == w.input[static_cast<std::size_t>((2 * 12 + 9) * 8 + 5)]);
  CHECK(m.x[static_cast<std::size_t>((4 * 8 + 1) * 12 + 4)] == w.constants[static_cast<std::size_t>(4 * 2 + 1)]);
}

TEST_CASE("windows: bad specifications and inconsistent files are refused", "[windows][errors]") {
  const auto a = make_source(1, 5, 6);
  WindowSpec spec;
  spec.n_steps_input = 4;
  spec.n_steps_output = 2;
  CHECK_THROWS_WITH(WindowedDataset({a}, spec), ContainsSubstring("5 steps are too few"));
  spec.n_steps_output = 0;
  CHECK_THROWS_WITH(WindowedDataset({a}, spec), ContainsSubstring("at least 1"));
  spec = WindowSpec{};
  auto other_info = test::random_well_info({4, 3}, Faces{{periodic, periodic}, {periodic, periodic}}, 1, 6);
  const auto b = std::make_shared<MemorySource>(other_info);
  CHECK_THROWS_WITH(WindowedDataset({a, b}, spec), ContainsSubstring("spatial grid differs"));
  const WindowedDataset ok({a}, spec);
  Window w;
  CHECK_THROWS_WITH(ok.read(1, w), ContainsSubstring("index 1 out of range"));
  spec.full_trajectory_mode = true;
  spec.start_output_steps_at_t = 2;
  CHECK_THROWS_WITH(WindowedDataset({a}, spec), ContainsSubstring("leaves no room"));
  CHECK_THROWS_WITH(WindowedDataset::open({}, WindowSpec{}), ContainsSubstring("no files"));
}
