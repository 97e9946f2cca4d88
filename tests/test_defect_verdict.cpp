// The averaged model's defect check as a typed verdict: how it is decided, and that the report
// document shows the verdict the engine returns (gavel eval's exit status follows the latter).
#include <catch2/catch_test_macros.hpp>

#include <cmath>
#include <limits>

#include <Kokkos_Core.hpp>

#include "gavel/eval/defect_verdict.hpp"
#include "gavel/eval/evaluation.hpp"
#include "test_paths.hpp"

using namespace gavel;

TEST_CASE("the defect verdict: the largest defect against the tolerance, NaN never passes", "[evaluation][verdict]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto below = eval::judge_defects({{1e-8, 3e-7}, {2e-7}}, 1e-6);
  CHECK(below.max == 3e-7);
  CHECK(below.tolerance == 1e-6);
  CHECK(below.passed);
  CHECK(eval::judge_defects({{1e-6}}, 1e-6).passed);  // at the tolerance: passed

  const auto above = eval::judge_defects({{1e-8}, {2e-6, 1e-9}}, 1e-6);
  CHECK(above.max == 2e-6);
  CHECK(!above.passed);

  // A NaN anywhere, before or after larger values, makes the maximum NaN and the check fail.
  // (A named list: nvcc 11.8 cannot deduce the range of a braced list of nested vectors.)
  const std::vector<std::vector<std::vector<double>>> poisoned = {{{nan, 1e-9}}, {{1e-9}, {5.0, nan, 1e-9}}};
  for (const auto& defects : poisoned) {
    const auto verdict = eval::judge_defects(defects, 1e-6);
    CHECK(std::isnan(verdict.max));
    CHECK(!verdict.passed);
  }
  // Nothing measured: a maximum of 0 (gavel eval refuses --defect-samples 0 before it gets here).
  CHECK(eval::judge_defects({}, 1e-6).max == 0);
}

TEST_CASE("evaluate returns the defect verdict the report shows", "[evaluation][verdict]") {
  eval::EvaluationRequest rq;
  rq.model.path = test::source_root() + "/surrogates/reference/fno";
  rq.data = test::reference_data_dir() + "/navier_stokes_2d";
  rq.rollout_steps = 0;
  rq.max_samples = 2;
  rq.defect_samples = 1;
  rq.bootstrap_resamples = 100;
  for (const double tolerance : {1e-6, 0.0}) {
    rq.defect_tolerance = tolerance;
    const auto result = eval::evaluate<Kokkos::DefaultExecutionSpace>(rq);
    const auto& shown = result.report["equivariance_defect"];
    INFO("tolerance " << tolerance);
    CHECK(result.averaged_defect.tolerance == tolerance);
    CHECK(result.averaged_defect.max == shown["averaged"]["max"].get<double>());
    CHECK(result.averaged_defect.passed == shown["passed"].get<bool>());
    // The averaged D4 FNO is equivariant to float32 rounding: above 0, below 1e-6.
    CHECK(result.averaged_defect.max > 0);
    CHECK(result.averaged_defect.passed == (tolerance > 0));
  }
}
