// gavel's evaluation of the bundled FNO on the bundled dataset against the numbers PyTorch gave
// for the same checkpoint and data when it was trained (surrogates/reference/fno/training.json,
// the_well's VRMSE on the test split and the valid-split rollout).
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "gavel/eval/evaluation.hpp"
#include "test_paths.hpp"

using namespace gavel;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

nlohmann::json training_record() {
  std::ifstream in(gavel::test::source_root() + "/surrogates/reference/fno/training.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

eval::EvaluationRequest bundled_fno(const std::string& split, int rollout) {
  eval::EvaluationRequest rq;
  rq.model.path = gavel::test::source_root() + "/surrogates/reference/fno";
  rq.data = gavel::test::reference_data_dir() + "/navier_stokes_2d";
  rq.split = split;
  rq.rollout_steps = rollout;
  rq.bootstrap_resamples = 2000;
  rq.defect_samples = 4;
  return rq;
}

}  // namespace

TEST_CASE("gavel eval of the bundled FNO equals PyTorch's test VRMSE and valid rollout", "[evaluation][reference]") {
  const auto record = training_record();
  const auto result = eval::evaluate<Kokkos::DefaultExecutionSpace>(bundled_fno("test", 0));
  const auto& test = result.report;
  const auto& torch_test = record["final"]["test"]["VRMSE"];
  const auto& baseline = test["one_step"]["baseline"];
  CHECK(test["one_step"]["samples"] == record["dataset"]["windows"]["test"]);
  CHECK_THAT(baseline["VRMSE"].get<double>(), WithinRel(torch_test["full"].get<double>(), 1e-5));
  for (const auto& name : {"vorticity", "velocity_x", "velocity_y"})
    CHECK_THAT(baseline["per_field"][name]["VRMSE"].get<double>(), WithinRel(torch_test[name].get<double>(), 1e-5));
  // The FNO is not equivariant; its D4 average is, to rounding.
  CHECK(test["group"]["name"] == "D4");
  CHECK(test["equivariance_defect"]["baseline"]["mean"].get<double>() > 1e-2);
  CHECK(test["equivariance_defect"]["averaged"]["max"].get<double>() <= 1e-6);
  CHECK(test["equivariance_defect"]["passed"] == true);
  CHECK(result.averaged_defect.passed);
  CHECK(result.averaged_defect.max == test["equivariance_defect"]["averaged"]["max"].get<double>());
  CHECK(!test.contains("rollout"));

  const auto valid = eval::evaluate<Kokkos::DefaultExecutionSpace>(bundled_fno("valid", 16)).report;
  const auto& torch_rollout = record["final"]["valid_rollout"]["VRMSE_full_per_step"];
  const auto& ours = valid["rollout"]["modes"]["baseline"]["VRMSE_per_step"];
  REQUIRE(ours.size() == torch_rollout.size());
  // Rollouts amplify float32 rounding differences between the two implementations step by step.
  for (std::size_t k = 0; k < ours.size(); ++k)
    CHECK_THAT(ours[k].get<double>(), WithinRel(torch_rollout[k].get<double>(), 1e-3));
  CHECK_THAT(valid["one_step"]["baseline"]["VRMSE"].get<double>(),
             WithinRel(record["final"]["valid"]["VRMSE"]["full"].get<double>(), 1e-5));
}
