#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gavel::report {

/// summary.md: the report's tables as GitHub-flavoured Markdown — the one-step VRMSE per field and
/// overall (baseline, averaged, change, 95 % interval of the per-sample change, fraction improved),
/// the equivariance defect with its PASS/FAIL verdict, per-element errors, rollout windows and
/// steps, the subgroup sweep, the normalization audit, non-finite counts, cost and the manifest.
/// A partial report starts with a PARTIAL banner.
std::string summary_markdown(const nlohmann::json& report);

/// Text made safe inside Markdown (and a table cell): characters Markdown would read as markup
/// (\ ` * < > | & # and a "]" that would close a link) are backslash-escaped and line breaks
/// become spaces.
std::string escape_markdown(const std::string& text);

}  // namespace gavel::report
