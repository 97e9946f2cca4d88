#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace gavel::eval {

/// The schema name a report.json carries (eval/REPORT.md describes the document).
inline constexpr const char* kReportSchema = "gavel-report/1";

/// Throws gavel::Error naming `source` unless `report` is an object with "schema" equal to
/// kReportSchema and "status" "complete" or "partial".
void check_report(const nlohmann::json& report, const std::string& source);

/// Writes report.json (indented), metrics.csv, summary.md and report.html into `folder`, creating
/// it when missing. Each file appears complete or not at all (written under a temporary name,
/// then renamed) and replaces an older one. Throws gavel::Error naming the folder or file when it
/// cannot be written, or when the report is malformed.
void write_reports(const nlohmann::json& report, const std::filesystem::path& folder);

/// Writes only the views rendered from the report — metrics.csv, summary.md and report.html —
/// into `folder` (created when missing), as write_reports does; `gavel report` uses it.
void write_rendered_reports(const nlohmann::json& report, const std::filesystem::path& folder);

/// Reads a report.json; a gavel::Error naming the file when it is missing, unreadable, not JSON
/// or not a report of kReportSchema.
nlohmann::json read_report(const std::filesystem::path& path);

}  // namespace gavel::eval
