#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gavel/core/output_kind.hpp"

namespace gavel::eval {

/// The schema name a report.json carries (eval/REPORT.md describes the document).
inline constexpr const char* kReportSchema = "gavel-report/1";

/// Throws gavel::Error naming `source` unless `report` is an object with "schema" equal to
/// kReportSchema and "status" "complete" or "partial".
void check_report(const nlohmann::json& report, const std::string& source);

/// gavel's report folder: recognised by its `.gavel-output` marker of kind "report".
OutputKind report_folder_output();

/// Renders every file, then writes report.json (indented), metrics.csv, summary.md and
/// report.html into `folder`, an existing folder nobody else sees yet (an AtomicOutput's
/// temporary). A malformed report writes nothing: a gavel::Error names the problem.
void write_report_files(const nlohmann::json& report, const std::filesystem::path& folder);

/// Writes the four files as one report folder that appears whole or not at all: rendered into a
/// temporary sibling folder, then renamed into place (missing parent folders created). A previous
/// report folder gavel wrote is replaced only then; any other folder or file at `folder` is
/// refused before anything is written, as are `inputs` and folders holding them. Throws
/// gavel::Error naming the folder or file when it cannot be written, or when the report is
/// malformed.
void write_reports(const nlohmann::json& report, const std::filesystem::path& folder,
                   const std::vector<std::string>& inputs = {});

/// Writes only the views rendered from the report — metrics.csv, summary.md and report.html —
/// into `folder`, which holds its report.json; `gavel report` uses it. A report folder gavel
/// wrote is replaced whole, in one step (its report.json kept as it is); in another folder the
/// views are added and any of them that exists already is refused.
void write_rendered_reports(const nlohmann::json& report, const std::filesystem::path& folder);

/// Reads a report.json; a gavel::Error naming the file when it is missing, unreadable, not JSON
/// or not a report of kReportSchema.
nlohmann::json read_report(const std::filesystem::path& path);

}  // namespace gavel::eval
