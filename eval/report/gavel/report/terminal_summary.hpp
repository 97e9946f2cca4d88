#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gavel::report {

/// The compact table `gavel eval` prints after each model, rendered from the same report document
/// as report.json, metrics.csv, summary.md and report.html: model, dataset and group; baseline and
/// averaged VRMSE per field and overall with the change, its 95 % interval and the share of
/// improved windows; the rollout windows' VRMSE of the three modes; the defects with the
/// averaged model's verdict; where the report files are. Values a (partial) report lacks print
/// as "n/a"; a value of the wrong type is a gavel::Error.
std::string terminal_summary(const nlohmann::json& report, const std::string& folder);

}  // namespace gavel::report
