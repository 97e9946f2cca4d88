#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/report_files.hpp"

namespace gavel::app {
namespace {

namespace fs = std::filesystem;

struct ReportCommandOptions {
  std::string folder;
  std::string out;
};

void run_report(const ReportCommandOptions& o) {
  std::error_code ec;
  const fs::path given(o.folder);
  if (!fs::exists(given, ec)) throw Error(o.folder + ": no such folder (expected a folder holding report.json)");
  // DIR is the folder `gavel eval` wrote; its report.json itself is accepted too.
  const bool is_folder = fs::is_directory(given, ec);
  const fs::path source = is_folder ? given / "report.json" : given;
  const fs::path source_folder = is_folder ? given : given.parent_path();
  const auto report = eval::read_report(source);
  if (o.out.empty()) {
    eval::write_rendered_reports(report, source_folder.empty() ? fs::path(".") : source_folder);
    std::cout << (source_folder / "metrics.csv").string() << ", summary.md, report.html: rendered from "
              << source.string() << "\n";
    return;
  }
  const fs::path out(o.out);
  // Another folder gets report.json too, so that it holds a complete report.
  eval::write_reports(report, out, {source.string()});
  std::cout << (out / "report.json").string() << ", metrics.csv, summary.md, report.html: rendered from "
            << source.string() << "\n";
}

}  // namespace

void register_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Render metrics.csv, summary.md and report.html again from a report.json written by gavel eval");
  cmd->add_option("folder", o->folder, "folder holding report.json (or the report.json file itself)")->required();
  cmd->add_option("--out,-o", o->out,
                  "write a whole report folder here instead (created when missing; it also gets a copy of "
                  "report.json); it replaces only a report folder gavel wrote");
  cmd->footer(
      "A report folder gavel wrote is replaced in one step (written into a temporary folder, then renamed into "
      "place); in another folder the three views are added beside report.json, and existing ones are refused. The "
      "report's layout is described in eval/REPORT.md.");
  cmd->callback([o] { run_report(*o); });
}

}  // namespace gavel::app
