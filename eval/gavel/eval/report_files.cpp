#include "gavel/eval/report_files.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/json_input.hpp"
#include "gavel/eval/metrics_csv.hpp"
#include "gavel/eval/report_html.hpp"
#include "gavel/eval/summary_markdown.hpp"

namespace gavel::eval {
namespace fs = std::filesystem;

namespace {

/// report.json nests about six levels; anything much deeper is not a gavel report.
constexpr int kReportMaxDepth = 32;

void ensure_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return;
  if (fs::exists(folder, ec)) throw Error(folder.string() + ": exists and is not a folder");
  fs::create_directories(folder, ec);
  if (ec) throw Error(folder.string() + ": cannot create the report folder: " + ec.message());
}

void write_text_file(const fs::path& path, const std::string& text) {
  AtomicOutput output(path.string(), true);
  {
    std::ofstream file(output.temporary(), std::ios::binary);
    if (!file) throw Error(path.string() + ": cannot write into folder '" + path.parent_path().string() + "'");
    file << text;
    file.close();
    if (!file) throw Error(path.string() + ": cannot write '" + output.temporary() + "'");
  }
  output.commit();
}

/// Renders every file first, so a malformed report writes nothing.
void write_files(const nlohmann::json& report, const fs::path& folder, bool with_json) {
  check_report(report, "report");
  std::vector<std::pair<std::string, std::string>> files;
  try {
    if (with_json) files.emplace_back("report.json", report.dump(2) + "\n");
    files.emplace_back("metrics.csv", metrics_csv(report));
    files.emplace_back("summary.md", summary_markdown(report));
    files.emplace_back("report.html", report_html(report));
  } catch (const nlohmann::json::exception& e) {
    throw Error("report: cannot render: " + std::string(e.what()));
  }
  ensure_folder(folder);
  for (const auto& [name, text] : files)
    write_text_file(folder / name, text);
}

}  // namespace

void check_report(const nlohmann::json& report, const std::string& source) {
  if (!report.is_object()) throw Error(source + ": not a gavel report (expected a JSON object)");
  const auto schema = report.find("schema");
  if (schema == report.end() || !schema->is_string())
    throw Error(source + ": not a gavel report (no \"schema\"; expected \"" + kReportSchema + "\")");
  if (*schema != kReportSchema)
    throw Error(source + ": unsupported report schema " + schema->dump() + " (expected \"" + kReportSchema + "\")");
  const auto status = report.find("status");
  if (status == report.end() || !status->is_string() || (*status != "complete" && *status != "partial"))
    throw Error(source + ": \"status\" should be \"complete\" or \"partial\"" +
                (status == report.end() ? std::string() : ", found " + status->dump()));
}

void write_reports(const nlohmann::json& report, const fs::path& folder) {
  write_files(report, folder, true);
}

void write_rendered_reports(const nlohmann::json& report, const fs::path& folder) {
  write_files(report, folder, false);
}

nlohmann::json read_report(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(path.string() + ": no such file");
  if (fs::is_directory(path, ec)) throw Error(path.string() + ": is a folder, expected a report.json file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path.string() + ": cannot open for reading");
  std::stringstream text;
  text << file.rdbuf();
  const nlohmann::json report = parse_json_input(text.str(), path.string(), kReportMaxDepth);
  check_report(report, path.string());
  return report;
}

}  // namespace gavel::eval
