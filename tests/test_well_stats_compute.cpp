// stats.yaml computed as the_well computes it (per-file moments, mixture across files) and written
// so that WellStats reads it back exactly.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cmath>

#include "gavel/core/error.hpp"
#include "gavel/datasets/well_stats.hpp"
#include "random_well_source.hpp"
#include "temp_folder.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr auto periodic = BoundaryCondition::periodic;

/// Every value of one field of the given files, per component, straight from the definition;
/// `delta` takes differences of consecutive steps within each trajectory instead.
std::vector<std::vector<long double>> gather(const std::vector<const MemorySource*>& files, std::size_t field,
                                             bool delta) {
  std::vector<std::vector<long double>> per_component;
  for (const auto* source : files) {
    const WellFileInfo& info = source->info();
    const WellField& f = info.fields[field];
    const std::int64_t size = frame_size(info, f);
    const std::int64_t components = f.spec().num_components(info.ndim());
    per_component.resize(static_cast<std::size_t>(components));
    const std::int64_t trajectories = f.sample_varying ? info.n_trajectories : 1;
    const std::int64_t steps = f.time_varying ? info.n_steps : 1;
    if (delta && !f.time_varying) continue;
    for (std::int64_t t = 0; t < trajectories; ++t)
      for (std::int64_t s = delta ? 1 : 0; s < steps; ++s) {
        const float* now = source->frame(field, t, s);
        const float* before = delta ? source->frame(field, t, s - 1) : nullptr;
        for (std::int64_t v = 0; v < size; ++v) {
          const long double x = before ? static_cast<long double>(now[v]) - static_cast<long double>(before[v])
                                       : static_cast<long double>(now[v]);
          per_component[static_cast<std::size_t>(v % components)].push_back(x);
        }
      }
  }
  return per_component;
}

void check_against_definition(const WellStats& stats, const std::vector<const MemorySource*>& files) {
  const WellFileInfo& info = files.front()->info();
  for (std::size_t f = 0; f < info.fields.size(); ++f) {
    const std::string& name = info.fields[f].name;
    for (const bool delta : {false, true}) {
      const std::string suffix = delta ? "_delta" : "";
      if (delta && !info.fields[f].time_varying) {
        CHECK_FALSE(stats.has("mean_delta", name));
        continue;
      }
      const auto values = gather(files, f, delta);
      const auto& mean = stats.values("mean" + suffix, name);
      const auto& stdev = stats.values("std" + suffix, name);
      const auto& rms = stats.values("rms" + suffix, name);
      REQUIRE(mean.size() == values.size());
      for (std::size_t c = 0; c < values.size(); ++c) {
        long double sum = 0, squares = 0;
        for (auto x : values[c]) {
          sum += x;
          squares += x * x;
        }
        const auto n = static_cast<long double>(values[c].size());
        const long double m = sum / n;
        long double deviations = 0;
        for (auto x : values[c])
          deviations += (x - m) * (x - m);
        INFO(name << suffix << " component " << c);
        CHECK(mean[c] == Catch::Approx(static_cast<double>(m)).margin(1e-14));
        CHECK(stdev[c] == Catch::Approx(static_cast<double>(std::sqrt(deviations / n))).epsilon(1e-13));
        CHECK(rms[c] == Catch::Approx(static_cast<double>(std::sqrt(squares / n))).epsilon(1e-13));
      }
    }
  }
}

}  // namespace

TEST_CASE("statistics follow the definition over all training files", "[well][stats]") {
  const auto info_a = test::random_well_info({4, 3}, {{periodic, periodic}, {periodic, periodic}}, 2, 5);
  const auto info_b = test::random_well_info({4, 3}, {{periodic, periodic}, {periodic, periodic}}, 3, 5);
  auto a = test::random_well_source(info_a, 1);
  auto b = test::random_well_source(info_b, 2);
  for (auto& v : b.values(0))
    v = 3.0f * v + 5.0f;  // files with different moments: the mixture weights matter
  const WellStats one = WellStats::compute({&a});
  check_against_definition(one, {&a});
  const WellStats both = WellStats::compute({&a, &b});
  check_against_definition(both, {&a, &b});
  CHECK(both.keys() == std::vector<std::string>{"mean", "mean_delta", "rms", "rms_delta", "std", "std_delta"});
  CHECK(both.values("mean", "velocity").size() == 2);
  CHECK(both.values("std", "stress").size() == 4);
  CHECK(both.rank("mean", "density") == 0);
  CHECK(both.rank("mean", "velocity") == 1);
  CHECK(both.rank("mean", "stress") == 2);
  CHECK(both.mismatches(a.info()).empty());
}

TEST_CASE("written statistics read back exactly", "[well][stats]") {
  const auto info =
      test::random_well_info({5, 4, 3}, {{periodic, periodic}, {periodic, periodic}, {periodic, periodic}}, 2, 3);
  const auto source = test::random_well_source(info, 3);
  const WellStats stats = WellStats::compute({&source});
  test::TempFolder folder;
  const std::string path = folder / "stats.yaml";
  stats.write(path);
  CHECK(folder.entries() == 1);
  const WellStats back = WellStats::read(path);
  CHECK(back.keys() == stats.keys());
  for (const auto& key : stats.keys())
    for (const auto& field : info.fields) {
      if (!stats.has(key, field.name)) {
        CHECK_FALSE(back.has(key, field.name));
        continue;
      }
      INFO(key << "/" << field.name);
      CHECK(back.values(key, field.name) == stats.values(key, field.name));
      CHECK(back.rank(key, field.name) == field.order);
    }
  CHECK(back.mismatches(source.info()).empty());

  CHECK_THROWS_WITH(stats.write(path), ContainsSubstring("already exists"));
  CHECK_NOTHROW(stats.write(path, true));
  CHECK(folder.entries() == 1);
}

TEST_CASE("statistics refuse files that do not match", "[well][stats]") {
  CHECK_THROWS_WITH(WellStats::compute({}), ContainsSubstring("no files"));
  const auto info = test::random_well_info({4, 4}, {{periodic, periodic}, {periodic, periodic}}, 1, 3);
  auto other_info = info;
  other_info.fields.pop_back();
  const auto a = test::random_well_source(info, 4);
  const auto b = test::random_well_source(other_info, 5);
  CHECK_THROWS_WITH(WellStats::compute({&a, &b}), ContainsSubstring("does not have the fields"));
}
