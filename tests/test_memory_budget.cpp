// --memory: the size text, and the plan that splits the |G|·B copies of a batch into model calls
// that fit the budget (the largest batch up to --batch first, then the most elements per call).
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <random>

#include "gavel/core/error.hpp"
#include "gavel/eval/averaging_plan.hpp"
#include "gavel/eval/memory_budget.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("memory sizes are parsed with their units, strictly", "[memory]") {
  CHECK(eval::parse_memory_size("6GB") == 6000000000);
  CHECK(eval::parse_memory_size("8GB") == 8000000000);
  CHECK(eval::parse_memory_size("512MiB") == 512ll << 20);
  CHECK(eval::parse_memory_size("1.5GiB") == 3ll << 29);
  CHECK(eval::parse_memory_size("4000000") == 4000000);
  CHECK(eval::parse_memory_size("12B") == 12);
  CHECK(eval::parse_memory_size("3kB") == 3000);
  CHECK(eval::parse_memory_size("3KB") == 3000);
  CHECK(eval::parse_memory_size("2TiB") == 2ll << 40);
  for (const char* bad : {"", "6G", "6 GB", "-1GB", "GB", "1..5GB", ".", "0", "0.5B", "1e9", "6gb", "6GBx", "0x10",
                          "99999999999TB", "1.2.3MB", " 6GB"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(eval::parse_memory_size(bad), Error);
    CHECK_THROWS_WITH(eval::parse_memory_size(bad), ContainsSubstring("--memory"));
  }
}

TEST_CASE("the default budget is a fraction of the free memory and the peak RSS is read", "[memory]") {
  const auto budget = eval::default_memory_budget<Kokkos::DefaultHostExecutionSpace>();
  CHECK(budget > 0);
  CHECK(budget <= eval::free_memory_bytes(true));
  CHECK(eval::peak_resident_bytes() > 0);
}

namespace {

/// A footprint whose parts are easy to sum by hand: a model with a per-sample workspace.
eval::AveragingFootprint footprint(std::int64_t order, std::int64_t fixed, std::int64_t per_window,
                                   std::int64_t per_copy, std::int64_t workspace_per_sample) {
  eval::AveragingFootprint f;
  f.group_order = order;
  f.fixed_bytes = fixed;
  f.bytes_per_window = per_window;
  f.bytes_per_copy = per_copy;
  f.model_workspace = [workspace_per_sample](std::int64_t samples) { return samples * workspace_per_sample; };
  return f;
}

}  // namespace

TEST_CASE("the plan keeps --batch when it fits and puts as many elements in a call as fit", "[memory]") {
  const auto f = footprint(48, 1000, 100, 10, 40);  // 1000 + 100·B + 50·k·B
  // Everything fits: one call of all 48 elements.
  auto plan = eval::plan_averaging(f, 4, 100, 1000 + 400 + 50 * 48 * 4);
  CHECK(plan.windows_per_call == 4);
  CHECK(plan.elements_per_call == 48);
  CHECK(plan.model_calls_per_batch == 1);
  CHECK(plan.planned_bytes == 1000 + 400 + 50 * 48 * 4);
  // 20 elements would fit: 3 balanced calls of 16.
  plan = eval::plan_averaging(f, 4, 100, 1000 + 400 + 50 * 20 * 4);
  CHECK(plan.windows_per_call == 4);
  CHECK(plan.model_calls_per_batch == 3);
  CHECK(plan.elements_per_call == 16);
  CHECK(plan.planned_bytes == 1000 + 400 + 50 * 16 * 4);
  // The batch is capped at the windows there are.
  plan = eval::plan_averaging(f, 64, 3, 1 << 30);
  CHECK(plan.windows_per_call == 3);
  // One element of 4 windows does not fit: fewer windows, then the elements.
  plan = eval::plan_averaging(f, 4, 100, 1000 + 2 * 150 + 50);
  CHECK(plan.windows_per_call == 2);
  CHECK(plan.elements_per_call == 1);
  CHECK(plan.model_calls_per_batch == 48);
}

TEST_CASE("a budget below one window is refused naming the minimum and its parts", "[memory]") {
  const auto f = footprint(48, 1000000, 2000, 3000, 500);
  CHECK_NOTHROW(eval::plan_averaging(f, 8, 10, 1000000 + 2000 + 3500));
  try {
    eval::plan_averaging(f, 8, 10, 1000000 + 2000 + 3499);
    FAIL("no error");
  } catch (const Error& e) {
    const std::string text = e.what();
    CHECK_THAT(text, ContainsSubstring("below what one window needs"));
    CHECK_THAT(text, ContainsSubstring("1005500 bytes"));  // the minimum
    CHECK_THAT(text, ContainsSubstring("1000000 bytes"));  // the parameters
    CHECK_THAT(text, ContainsSubstring("raise --memory"));
  }
  CHECK_THROWS_WITH(eval::plan_averaging(f, 0, 10, 1 << 30), ContainsSubstring("--batch 0"));
}

TEST_CASE("random footprints: the plan fits and is maximal", "[memory]") {
  std::mt19937_64 rng(20261202);
  std::uniform_int_distribution<std::int64_t> small(0, 5000), order_of(1, 48), batch_of(1, 64);
  for (int trial = 0; trial < 2000; ++trial) {
    const auto f = footprint(order_of(rng), small(rng) * 100, small(rng) + 1, small(rng) + 1, small(rng));
    const std::int64_t requested = batch_of(rng), windows = batch_of(rng);
    const std::int64_t budget = eval::footprint_bytes(f, 1, 1) + small(rng) * small(rng);
    const auto plan = eval::plan_averaging(f, requested, windows, budget);
    INFO("trial " << trial);
    CHECK(plan.planned_bytes <= budget);
    CHECK(plan.windows_per_call <= std::min(requested, windows));
    CHECK(plan.elements_per_call * plan.model_calls_per_batch >= f.group_order);
    CHECK((plan.elements_per_call - 1) * plan.model_calls_per_batch < f.group_order);
    if (plan.windows_per_call < std::min(requested, windows))
      CHECK(eval::footprint_bytes(f, plan.windows_per_call + 1, 1) > budget);
    if (plan.model_calls_per_batch > 1) {
      // One call fewer would need more elements per call than fit.
      const std::int64_t calls = plan.model_calls_per_batch - 1;
      CHECK(eval::footprint_bytes(f, plan.windows_per_call, (f.group_order + calls - 1) / calls) > budget);
    }
  }
}
