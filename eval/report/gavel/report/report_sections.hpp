#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gavel::report {

/// The text content shared by summary.md and report.html: a title, a PARTIAL banner when the
/// evaluation did not finish, and sections of paragraphs and tables. Every string is plain text;
/// each renderer escapes it for its own format.
struct ReportTable {
  std::string id;       ///< stable name, e.g. "one-step-vrmse" (an HTML id)
  std::string caption;  ///< one line above the table
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct ReportSection {
  std::string id;  ///< "one-step", "equivariance", "elements", "rollout", "subgroups", "normalization",
                   ///< "non-finite", "cost", "manifest"
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<ReportTable> tables;
};

struct ReportDocument {
  std::string title;
  std::string subtitle;                       ///< the command and date of the run
  std::optional<std::string> partial_banner;  ///< set when status is "partial"
  std::vector<ReportSection> sections;        ///< sections a report lacks are left out
};

/// The document of a report.json (checked with check_report first).
ReportDocument report_document(const nlohmann::json& report);

/// "PASS" when `value` ≤ `tolerance`, "FAIL" when above, "n/a" when either is unknown.
std::string tolerance_verdict(std::optional<double> value, std::optional<double> tolerance);

}  // namespace gavel::report
