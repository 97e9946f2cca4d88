#include "gavel/eval/report_files.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/json_input.hpp"
#include "gavel/core/output_marker.hpp"
#include "gavel/report/metrics_csv.hpp"
#include "gavel/report/report_html.hpp"
#include "gavel/report/summary_markdown.hpp"

namespace gavel::eval {
namespace fs = std::filesystem;

namespace {

/// report.json nests about six levels; anything much deeper is not a gavel report.
constexpr int kReportMaxDepth = 32;

using Files = std::vector<std::pair<std::string, std::string>>;

/// Every file rendered first, so a malformed report writes nothing.
Files render(const nlohmann::json& report, bool with_json) {
  check_report(report, "report");
  Files files;
  try {
    if (with_json) files.emplace_back("report.json", report.dump(2) + "\n");
    files.emplace_back("metrics.csv", report::metrics_csv(report));
    files.emplace_back("summary.md", report::summary_markdown(report));
    files.emplace_back("report.html", report::report_html(report));
  } catch (const nlohmann::json::exception& e) {
    throw Error("report: cannot render: " + std::string(e.what()));
  }
  return files;
}

void write_text_file(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  if (!file) throw Error(path.string() + ": cannot write into folder '" + path.parent_path().string() + "'");
  file << text;
  file.close();
  if (!file) throw Error(path.string() + ": cannot write");
}

void write_all(const Files& files, const fs::path& folder) {
  for (const auto& [name, text] : files)
    write_text_file(folder / name, text);
}

}  // namespace

OutputKind report_folder_output() {
  return {"report folder", true, "report", {}};
}

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

void write_report_files(const nlohmann::json& report, const fs::path& folder) {
  write_all(render(report, true), folder);
}

void write_reports(const nlohmann::json& report, const fs::path& folder, const std::vector<std::string>& inputs) {
  const Files files = render(report, true);
  AtomicOutput output(folder.string(), report_folder_output(), {true, true, inputs});
  write_all(files, output.temporary());
  output.commit();
}

void write_rendered_reports(const nlohmann::json& report, const fs::path& folder) {
  const Files files = render(report, false);
  const auto marker = read_output_marker(folder);
  if (marker && marker->kind == "report") {
    // gavel's own report folder: rendered again whole, with its report.json as it is.
    AtomicOutput output(folder.string(), report_folder_output(), {true, false, {}});
    std::error_code ec;
    fs::copy_file(folder / "report.json", fs::path(output.temporary()) / "report.json", ec);
    if (ec) throw Error((folder / "report.json").string() + ": cannot copy: " + ec.message());
    write_all(files, output.temporary());
    output.commit();
    return;
  }
  // A folder gavel did not write: the views are added beside report.json, never put over a file.
  for (const auto& [name, text] : files) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(folder / name, ec)))
      throw Error((folder / name).string() + ": already exists in a folder gavel did not write (no " +
                  std::string(kOutputMarker) + " marker); refusing to replace it (use --out to write elsewhere)");
  }
  for (const auto& [name, text] : files) {
    const OutputKind view{name, false, "", [](const fs::path&) { return std::string("not gavel's"); }};
    AtomicOutput output((folder / name).string(), view);
    write_text_file(output.temporary(), text);
    output.commit();
  }
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
