#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gavel/eval/defect_verdict.hpp"
#include "gavel/eval/evaluation.hpp"
#include "gavel/eval/evaluation_setup.hpp"
#include "gavel/eval/group_choice.hpp"
#include "gavel/eval/normalization_audit.hpp"
#include "gavel/eval/one_step_evaluation.hpp"
#include "gavel/eval/rollout_evaluation.hpp"

namespace gavel::eval {

/// What the report sections need besides the measurements.
struct ReportContext {
  std::vector<std::string> channel_names;  ///< the_well's flattened names (velocity_x, …)
  std::vector<EvaluationSetup::FieldChannels> fields;
  const GroupChoice& group;
  const EvaluationRequest& request;
  std::string dataset_name;
};

// The sections of report.json (eval/REPORT.md), one function each.
nlohmann::json group_section(const GroupChoice& group);
nlohmann::json one_step_section(const OneStepResult& one, const ReportContext& context);
nlohmann::json per_element_section(const OneStepResult& one, const ReportContext& context);
nlohmann::json defect_section(const OneStepResult& one, const RolloutResult* rollout, const DefectVerdict& verdict,
                              const ReportContext& context);
nlohmann::json rollout_section(const RolloutResult& rollout, const ReportContext& context);
nlohmann::json subgroup_section(const OneStepResult& one, const RolloutResult* rollout, const ReportContext& context);
nlohmann::json audit_section(const std::vector<NormalizationIssue>& issues, const std::string& normalization);
nlohmann::json non_finite_section(const OneStepResult& one, const RolloutResult* rollout, const ReportContext& context);
nlohmann::json cost_section(const OneStepResult& one, const RolloutResult* rollout);
nlohmann::json figures_section(const OneStepResult& one, const ReportContext& context);

}  // namespace gavel::eval
