// The report renderers of gavel eval (report.json, metrics.csv, summary.md, report.html) and
// `gavel report`, on synthetic reports with fresh random numbers.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "cli_support.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/report_files.hpp"
#include "gavel/report/metrics_csv.hpp"
#include "gavel/report/report_html.hpp"
#include "gavel/report/summary_markdown.hpp"
#include "gavel/report/terminal_summary.hpp"
#include "synthetic_report.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

unsigned fresh_seed() {
  return std::random_device{}();
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    result.push_back(line);
  return result;
}

std::string exact(double value) {
  return json(value).dump();
}

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f%%", value);
  return text;
}

std::string four_digits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

/// The number of rows metrics.csv holds for a synthetic report (eval/REPORT.md lists them).
std::size_t expected_rows(const gavel::test::SyntheticReportOptions& o) {
  const std::size_t metrics = gavel::test::synthetic_metric_names().size();
  const std::size_t fields = o.fields.size();
  const std::size_t results = gavel::test::synthetic_result_names(o).size();  // channels or fields
  const std::size_t elements = gavel::test::synthetic_elements().size();
  const std::size_t steps = o.rollout ? static_cast<std::size_t>(o.rollout_steps) : 0;
  const std::size_t windows = o.rollout ? 2 : 0;
  const std::size_t subgroups = o.subgroups ? gavel::test::synthetic_subgroups().size() : 0;
  std::size_t rows = 2 * metrics * (1 + results);  // one-step baseline and averaged, overall and per field
  rows += 1 + results;                             // VRMSE change per field and overall
  rows += elements * (1 + results);                // per element VRMSE
  rows += 2 * elements * (1 + fields);             // per element defects, baseline and averaged
  rows += 2 * 2 + 2 * steps;                       // defect max and mean, defect per rollout step
  rows += 3 * (steps * (1 + results) + windows);   // rollout modes: per step (overall, per field), windows
  rows += subgroups * (2 + windows);               // subgroups: VRMSE, change, rollout windows
  return rows;
}

}  // namespace

TEST_CASE("metrics.csv holds every number of a report as tidy rows", "[reports]") {
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  gavel::test::SyntheticReportOptions options;
  options.seed = seed;
  options.model_path = "/models/fno,\"v2\"/";
  const auto report = gavel::test::synthetic_report(options);
  const auto csv = gavel::report::metrics_csv(report);
  const auto rows = lines(csv);
  REQUIRE(rows.size() == 1 + expected_rows(options));
  CHECK(rows[0] == "model,group,mode,field,window,metric,value");
  // The model column is the checkpoint folder's name, quoted because it holds a comma and quotes.
  const std::string prefix = "\"fno,\"\"v2\"\"\",D4,";
  CHECK(rows[1] == prefix + "one_step_baseline,all,all,VRMSE," + exact(report["one_step"]["baseline"]["VRMSE"]));
  const double velocity_mse = report["one_step"]["averaged"]["per_field"]["velocity_y"]["MSE"];
  CHECK(std::count(rows.begin(), rows.end(), prefix + "one_step_averaged,velocity_y,all,MSE," + exact(velocity_mse)) ==
        1);
  const double change = report["one_step"]["change"]["VRMSE"]["relative_percent"];
  CHECK(std::count(rows.begin(), rows.end(),
                   prefix + "one_step_averaged,all,all,VRMSE_change_percent," + exact(change)) == 1);
  const double rot90 = report["per_element"][1]["VRMSE"];
  CHECK(std::count(rows.begin(), rows.end(), prefix + "element:rot90,all,all,VRMSE," + exact(rot90)) == 1);
  const double step3 = report["rollout"]["modes"]["averaged_each_step"]["VRMSE_per_step"][2];
  CHECK(std::count(rows.begin(), rows.end(), prefix + "rollout_averaged_each_step,all,step:2,VRMSE," + exact(step3)) ==
        1);
  const double window = report["rollout"]["modes"]["independent_average"]["windows"]["13:30"];
  CHECK(std::count(rows.begin(), rows.end(), prefix + "rollout_independent_average,all,13:30,VRMSE," + exact(window)) ==
        1);
  CHECK(std::count(rows.begin(), rows.end(),
                   prefix + "defect_averaged,all,all,equivariance_defect_max," + exact(5e-8)) == 1);
  const double c4 = report["subgroups"][2]["VRMSE"];
  CHECK(std::count(rows.begin(), rows.end(), prefix + "subgroup:C4,all,all,VRMSE," + exact(c4)) == 1);
  // Every value reads back as the same double.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto value = rows[i].substr(rows[i].rfind(',') + 1);
    REQUIRE(!value.empty());
    CHECK(json::parse(value).is_number());
  }
}

TEST_CASE("CSV cells are quoted only when they must be", "[reports]") {
  CHECK(gavel::report::csv_cell("vorticity") == "vorticity");
  CHECK(gavel::report::csv_cell("a,b") == "\"a,b\"");
  CHECK(gavel::report::csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(gavel::report::csv_cell("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("summary.md shows the change, its interval and the defect verdicts", "[reports]") {
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  gavel::test::SyntheticReportOptions options;
  options.seed = seed;
  const auto report = gavel::test::synthetic_report(options);
  const auto markdown = gavel::report::summary_markdown(report);
  INFO(markdown);
  CHECK_THAT(markdown, StartsWith("# gavel eval: FNO on navier_stokes_2d (test), group D4\n"));
  const auto& one_step = report["one_step"];
  const double base = one_step["baseline"]["VRMSE"], averaged = one_step["averaged"]["VRMSE"];
  const auto& per_sample = one_step["change"]["VRMSE"]["per_sample"];
  const std::string overall = "| all | " + four_digits(base) + " | " + four_digits(averaged) + " | " +
                              percent(100.0 * (averaged - base) / base) + " | [" + four_digits(per_sample["ci95"][0]) +
                              ", " + four_digits(per_sample["ci95"][1]) + "] | ";
  CHECK_THAT(markdown, ContainsSubstring(overall));
  CHECK_THAT(markdown, ContainsSubstring("| Field | Baseline VRMSE | Averaged VRMSE | Change | 95 % CI of per-sample "
                                         "change | Improved |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"));
  const double vorticity_change = one_step["change"]["per_field"]["vorticity"]["relative_percent"];
  CHECK_THAT(markdown, ContainsSubstring("| vorticity | ") && ContainsSubstring(percent(vorticity_change)));
  // Results keyed by channel, as gavel eval writes them, make the rows: velocity_x, not velocity.
  CHECK_THAT(markdown, ContainsSubstring("| velocity_x | ") && ContainsSubstring("| velocity_y | ") &&
                           !ContainsSubstring("| velocity | n/a"));
  CHECK_THAT(markdown, ContainsSubstring("| baseline | 0.1 | "));
  CHECK_THAT(markdown, ContainsSubstring(" | FAIL |"));
  CHECK_THAT(markdown, ContainsSubstring("| averaged | 5e-08 | "));
  CHECK_THAT(markdown, ContainsSubstring(" | PASS |"));
  for (const char* section :
       {"## One-step error before and after averaging", "## Equivariance defect", "## Per-element error", "## Rollout",
        "## Subgroup sweep", "## Normalization audit", "## Non-finite values", "## Cost", "## Manifest"})
    CHECK_THAT(markdown, ContainsSubstring(section));
  CHECK_THAT(markdown, ContainsSubstring("| group transforms | n/a |"));  // null in the report
  CHECK_THAT(markdown, !ContainsSubstring("PARTIAL"));
}

TEST_CASE("the terminal table shows the same numbers as the report", "[reports]") {
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  gavel::test::SyntheticReportOptions options;
  options.seed = seed;
  auto report = gavel::test::synthetic_report(options);
  report["group"]["generators"] = {"rot90", "flip_x"};
  report["equivariance_defect"]["averaged"]["elements_checked"] = "generators";
  const auto text = gavel::report::terminal_summary(report, "out/fno");
  INFO(text);
  const auto fixed = [](double v, int digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
    return std::string(buffer);
  };
  const auto& one_step = report["one_step"];
  CHECK_THAT(text, StartsWith("\nFNO on navier_stokes_2d (test, 120 windows) · group D4 (order 8, admissible)\n"));
  // One row per channel in the dataset's order, then "all", each with its own numbers.
  const auto row_of = [&](const std::string& name) { return text.find("\n  " + name + " "); };
  CHECK(row_of("vorticity") < row_of("velocity_x"));
  CHECK(row_of("velocity_x") < row_of("velocity_y"));
  CHECK(row_of("velocity_y") < row_of("all"));
  REQUIRE(row_of("all") != std::string::npos);
  const auto all_row = text.substr(row_of("all"), text.find('\n', row_of("all") + 1) - row_of("all"));
  CHECK_THAT(all_row, ContainsSubstring(fixed(one_step["baseline"]["VRMSE"], 4)) &&
                          ContainsSubstring(fixed(one_step["averaged"]["VRMSE"], 4)) &&
                          ContainsSubstring(fixed(one_step["change"]["VRMSE"]["relative_percent"], 1) + "%") &&
                          ContainsSubstring("[" + fixed(one_step["change"]["VRMSE"]["per_sample"]["ci95"][0], 4)));
  CHECK_THAT(text, ContainsSubstring("rollout VRMSE"));
  CHECK_THAT(text, ContainsSubstring("equivariance defect: model ") &&
                       ContainsSubstring(
                           "averaged model 5.0e-08 (max on generators rot90, flip_x; tolerance 1.0e-06: passed)"));
  CHECK_THAT(text, ContainsSubstring("reports: out/fno/{report.json,metrics.csv,summary.md,report.html}\n"));

  // A partial report prints what it has; a wrong type is an error, not a crash.
  auto partial = report;
  partial.erase("rollout");
  partial["one_step"].erase("change");
  const auto shorter = gavel::report::terminal_summary(partial, "out/fno");
  CHECK_THAT(shorter, !ContainsSubstring("rollout VRMSE") && ContainsSubstring("n/a"));
  auto wrong = report;
  wrong["one_step"]["baseline"]["VRMSE"] = "high";
  CHECK_THROWS_AS(gavel::report::terminal_summary(wrong, "out/fno"), gavel::Error);
}

TEST_CASE("report.html is one self-contained page with every figure", "[reports]") {
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  gavel::test::SyntheticReportOptions options;
  options.seed = seed;
  options.fields.push_back({"a<&>b", "scalar", {"a<&>b"}});
  const auto report = gavel::test::synthetic_report(options);
  const auto html = gavel::report::report_html(report);
  CHECK_THAT(html, StartsWith("<!DOCTYPE html>"));
  for (const char* id :
       {"fig-field-vrmse", "fig-heatmaps", "fig-elements", "fig-rollout", "fig-rollout-defect", "fig-subgroups"})
    CHECK(count(html, "<figure id=\"" + std::string(id) + "\">") == 1);
  CHECK(count(html, "<figure") == count(html, "<figcaption>"));
  const std::size_t samples = report["figures"]["samples"].size();
  REQUIRE(samples == 4);  // vorticity, velocity_x, velocity_y, a<&>b
  CHECK(count(html, "<img class=\"heatmap\"") == 5 * samples);
  CHECK(count(html, "src=\"data:image/bmp;base64,Qk") == 5 * samples);  // "BM", the BMP signature
  CHECK(count(html, "<svg class=\"colorbar\"") == 2 * samples);
  CHECK(count(html, "<svg class=\"chart\"") == 5);
  // Escaped wherever the field name appears; nothing loads from elsewhere.
  CHECK_THAT(html, ContainsSubstring("a&lt;&amp;&gt;b"));
  CHECK_THAT(html, !ContainsSubstring("a<&>b"));
  CHECK_THAT(html, !ContainsSubstring("<script"));
  CHECK_THAT(html, !ContainsSubstring("<link"));
  CHECK_THAT(html, !ContainsSubstring("src=\"http"));
  CHECK_THAT(html, !ContainsSubstring("url("));
  CHECK_THAT(html, ContainsSubstring("n/a"));
  CHECK_THAT(html, ContainsSubstring("<td class=\"verdict-pass\">PASS</td>"));

  const auto markdown = gavel::report::summary_markdown(report);
  CHECK_THAT(markdown, ContainsSubstring("a\\<\\&\\>b"));
  CHECK_THAT(gavel::report::metrics_csv(report), ContainsSubstring(",a<&>b,all,VRMSE,"));
}

TEST_CASE("reports without rollout and subgroups leave those parts out", "[reports]") {
  gavel::test::SyntheticReportOptions options;
  options.seed = fresh_seed();
  INFO("seed " << options.seed);
  options.rollout = false;
  options.subgroups = false;
  options.per_channel_results = false;  // the schema's per-field keys
  const auto report = gavel::test::synthetic_report(options);
  const auto csv = gavel::report::metrics_csv(report);
  CHECK(lines(csv).size() == 1 + expected_rows(options));
  CHECK_THAT(csv, ContainsSubstring(",one_step_baseline,velocity,all,VRMSE,"));
  CHECK_THAT(csv, ContainsSubstring(",element:rot90,velocity,all,equivariance_defect_baseline,"));
  CHECK_THAT(csv, !ContainsSubstring("rollout_"));
  CHECK_THAT(csv, !ContainsSubstring("subgroup:"));
  const auto html = gavel::report::report_html(report);
  CHECK_THAT(html, !ContainsSubstring("fig-rollout"));
  CHECK_THAT(html, !ContainsSubstring("fig-subgroups"));
  CHECK_THAT(html, ContainsSubstring("<figure id=\"fig-heatmaps\">"));
  CHECK(count(html, "<svg class=\"chart\"") == 2);
  const auto markdown = gavel::report::summary_markdown(report);
  CHECK_THAT(markdown, ContainsSubstring("| velocity | "));
  CHECK_THAT(markdown, !ContainsSubstring("## Rollout"));
  CHECK_THAT(markdown, !ContainsSubstring("## Subgroup sweep"));
}

TEST_CASE("a partial report carries a PARTIAL banner", "[reports]") {
  gavel::test::SyntheticReportOptions options;
  options.seed = fresh_seed();
  options.partial = true;
  options.rollout = false;
  auto report = gavel::test::synthetic_report(options);
  report.erase("subgroups");
  report.erase("cost");
  const auto markdown = gavel::report::summary_markdown(report);
  CHECK_THAT(markdown, StartsWith("> **PARTIAL REPORT: the evaluation stopped before it finished (the model "
                                  "produced NaN at rollout step 3)."));
  CHECK_THAT(markdown, !ContainsSubstring("## Cost"));
  const auto html = gavel::report::report_html(report);
  CHECK_THAT(html, ContainsSubstring("<div id=\"partial-banner\" class=\"banner-partial\" role=\"alert\">PARTIAL "
                                     "REPORT: the evaluation stopped before it finished (the model produced NaN at "
                                     "rollout step 3)."));
  CHECK(html.find("partial-banner") < html.find("<h1>"));
}

TEST_CASE("write_reports writes four files atomically and read_report reads them back", "[reports]") {
  gavel::test::SyntheticReportOptions options;
  options.seed = fresh_seed();
  const auto report = gavel::test::synthetic_report(options);
  gavel::test::TempFolder temp;
  const auto folder = temp.path() / "new" / "report";
  gavel::eval::write_reports(report, folder);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder))
    ++entries;
  CHECK(entries == 5);  // the four and gavel's marker, no temporary left behind
  CHECK(std::filesystem::is_regular_file(folder / ".gavel-output"));
  CHECK(read_text(folder / "metrics.csv") == gavel::report::metrics_csv(report));
  CHECK(read_text(folder / "summary.md") == gavel::report::summary_markdown(report));
  CHECK(read_text(folder / "report.html") == gavel::report::report_html(report));
  CHECK(gavel::eval::read_report(folder / "report.json") == report);
  // A second run replaces the files.
  auto changed = report;
  changed["group"]["name"] = "C4";
  gavel::eval::write_reports(changed, folder);
  CHECK(gavel::eval::read_report(folder / "report.json")["group"]["name"] == "C4");
  CHECK_THAT(read_text(folder / "summary.md"), ContainsSubstring("group C4"));
}

TEST_CASE("write_reports refuses folders it cannot write and malformed reports", "[reports][errors]") {
  const auto report = gavel::test::synthetic_report({});
  gavel::test::TempFolder temp;
  write_text(temp.path() / "plain-file", "x");
  const auto under_file = temp.path() / "plain-file" / "report";
  CHECK_THROWS_WITH(gavel::eval::write_reports(report, under_file), ContainsSubstring(under_file.string()));
  CHECK_THROWS_WITH(gavel::eval::write_reports(report, temp.path() / "plain-file"),
                    ContainsSubstring("plain-file: refusing to replace it: it is a file, not a report folder"));
  if (::geteuid() != 0) {  // root writes anywhere
    const auto locked = temp.path() / "locked";
    std::filesystem::create_directories(locked);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    CHECK_THROWS_WITH(
        gavel::eval::write_reports(report, locked / "report"),
        ContainsSubstring((locked / "report").string()) && ContainsSubstring("cannot be created or written"));
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
  }
  auto broken = report;
  broken["figures"]["samples"][0]["target"].erase(0);
  CHECK_THROWS_WITH(gavel::eval::write_reports(broken, temp.path() / "broken"),
                    ContainsSubstring("figures.samples[0]: 'target' has 95 values where its shape needs 96"));
  CHECK(!std::filesystem::exists(temp.path() / "broken"));  // nothing written
  auto wrong_type = report;
  wrong_type["one_step"]["baseline"]["VRMSE"] = "low";
  CHECK_THROWS_WITH(gavel::eval::write_reports(wrong_type, temp.path() / "wrong"),
                    ContainsSubstring("'VRMSE' should be a number or null"));
  auto unknown_status = report;
  unknown_status["status"] = "running";
  CHECK_THROWS_WITH(gavel::eval::write_reports(unknown_status, temp.path() / "status"),
                    ContainsSubstring("\"status\" should be \"complete\" or \"partial\""));
}

TEST_CASE("read_report names the file it cannot use", "[reports][errors]") {
  gavel::test::TempFolder temp;
  const auto missing = temp.path() / "missing.json";
  CHECK_THROWS_WITH(gavel::eval::read_report(missing), ContainsSubstring(missing.string() + ": no such file"));
  const auto invalid = temp.path() / "invalid.json";
  write_text(invalid, "{\"schema\": \"gavel-report/1\",");
  CHECK_THROWS_WITH(gavel::eval::read_report(invalid), ContainsSubstring(invalid.string() + ": not valid JSON"));
  const auto other = temp.path() / "other.json";
  write_text(other, R"({"schema": "something-else/2", "status": "complete"})");
  CHECK_THROWS_WITH(gavel::eval::read_report(other),
                    ContainsSubstring(other.string() + ": unsupported report schema \"something-else/2\""));
  const auto array = temp.path() / "array.json";
  write_text(array, "[1, 2]");
  CHECK_THROWS_WITH(gavel::eval::read_report(array), ContainsSubstring(array.string() + ": not a gavel report"));
}

TEST_CASE("gavel report renders a report folder again", "[reports][cli]") {
  gavel::test::SyntheticReportOptions options;
  options.seed = fresh_seed();
  const auto report = gavel::test::synthetic_report(options);
  gavel::test::TempFolder temp;
  const auto folder = temp.path() / "run";
  std::filesystem::create_directories(folder);
  write_text(folder / "report.json", report.dump());

  const auto in_place = gavel::test::run_gavel("report " + folder.string());
  INFO(in_place.output);
  REQUIRE(in_place.status == 0);
  CHECK_THAT(in_place.output, ContainsSubstring("rendered from " + (folder / "report.json").string()));
  CHECK(read_text(folder / "report.json") == report.dump());  // left as it was
  CHECK(read_text(folder / "metrics.csv") == gavel::report::metrics_csv(report));
  CHECK(read_text(folder / "summary.md") == gavel::report::summary_markdown(report));
  CHECK(read_text(folder / "report.html") == gavel::report::report_html(report));

  const auto elsewhere = temp.path() / "elsewhere" / "copy";
  const auto out = gavel::test::run_gavel("report " + folder.string() + " --out " + elsewhere.string());
  INFO(out.output);
  REQUIRE(out.status == 0);
  for (const char* name : {"report.json", "metrics.csv", "summary.md", "report.html"})
    CHECK(std::filesystem::exists(elsewhere / name));
  CHECK(gavel::eval::read_report(elsewhere / "report.json") == report);
  // A report folder gavel wrote is rendered again whole, in place and as often as asked.
  for (int i = 0; i < 2; ++i) {
    const auto again = gavel::test::run_gavel("report " + elsewhere.string());
    INFO(again.output);
    CHECK(again.status == 0);
  }
  CHECK(read_text(elsewhere / "summary.md") == gavel::report::summary_markdown(report));
  CHECK(std::filesystem::is_regular_file(elsewhere / ".gavel-output"));
  // In a folder gavel did not write, views that exist are never replaced...
  write_text(folder / "summary.md", "my own notes");
  const auto kept = gavel::test::run_gavel("report " + folder.string());
  CHECK(kept.status != 0);
  CHECK_THAT(kept.output, ContainsSubstring((folder / "metrics.csv").string() + ": already exists in a folder gavel "
                                                                                "did not write"));
  CHECK(read_text(folder / "summary.md") == "my own notes");
  // ... and --out refuses a folder gavel did not write, before writing anything.
  const auto refused = gavel::test::run_gavel("report " + elsewhere.string() + " --out " + folder.string());
  CHECK(refused.status != 0);
  CHECK_THAT(refused.output, ContainsSubstring(folder.string() + ": refusing to replace it"));
  CHECK(read_text(folder / "summary.md") == "my own notes");

  const auto missing = gavel::test::run_gavel("report " + (temp.path() / "nowhere").string());
  CHECK(missing.status != 0);
  CHECK_THAT(missing.output, ContainsSubstring("nowhere: no such folder"));
  const auto empty_folder = temp.path() / "empty";
  std::filesystem::create_directories(empty_folder);
  const auto no_report = gavel::test::run_gavel("report " + empty_folder.string());
  CHECK(no_report.status != 0);
  CHECK_THAT(no_report.output, ContainsSubstring((empty_folder / "report.json").string() + ": no such file"));
  write_text(empty_folder / "report.json", "not json");
  const auto invalid = gavel::test::run_gavel("report " + empty_folder.string());
  CHECK(invalid.status != 0);
  CHECK_THAT(invalid.output, ContainsSubstring("report.json: not valid JSON"));
}

// Writes the fixture of the Chromium test: GAVEL_WRITE_REPORT_FIXTURE=tests/data/reports/report.json
// build/default/bin/gavel_tests "[.write-report-fixture]"
TEST_CASE("write the report fixture", "[.write-report-fixture]") {
  const char* path = std::getenv("GAVEL_WRITE_REPORT_FIXTURE");
  REQUIRE(path != nullptr);
  gavel::test::SyntheticReportOptions options;
  options.seed = 2026;
  options.figure_nx = 24;
  options.figure_ny = 16;
  options.fields.push_back({"a<&>b", "scalar", {"a<&>b"}});
  write_text(path, gavel::test::synthetic_report(options).dump(1) + "\n");
}

TEST_CASE("Markdown escaping keeps intervals readable and names inert", "[reports]") {
  CHECK(gavel::report::escape_markdown("[-0.1, 0.2]") == "[-0.1, 0.2]");
  CHECK(gavel::report::escape_markdown("[x](http://e)") == "[x\\](http://e)");
  CHECK(gavel::report::escape_markdown("a|b*c\nd") == "a\\|b\\*c d");
}

TEST_CASE("1-D figure slices show as strips", "[reports]") {
  auto report = gavel::test::synthetic_report({});
  auto& sample = report["figures"]["samples"][0];
  sample["shape"] = {1, 12};  // one row of 12: the thin side is widened to 24 px
  json target = json::array(), baseline = json::array(), averaged = json::array();
  for (int i = 0; i < 12; ++i) {
    target.push_back(i == 5 ? json(nullptr) : json(0.1 * i));
    baseline.push_back(0.1 * i + 0.05);
    averaged.push_back(0.1 * i - 0.02);
  }
  sample["target"] = target;
  sample["baseline"] = baseline;
  sample["averaged"] = averaged;
  const auto html = gavel::report::report_html(report);
  CHECK(count(html, "<img class=\"heatmap\"") == 5 * report["figures"]["samples"].size());
  CHECK_THAT(html, ContainsSubstring("width=\"24\" height=\"168\""));
  sample["shape"] = {2, 3, 1};
  CHECK_THROWS_WITH(gavel::report::report_html(report),
                    ContainsSubstring("figures.samples[0]: 'shape' should list one or two positive sizes"));
}

TEST_CASE("subgroup tables list only the rollout windows the subgroups have", "[reports]") {
  auto report = gavel::test::synthetic_report({});
  for (auto& subgroup : report["subgroups"])
    subgroup.erase("rollout_VRMSE_windows");
  const auto markdown = gavel::report::summary_markdown(report);
  CHECK_THAT(markdown, ContainsSubstring("| Subgroup | Order | Elements | VRMSE | Change |\n"));
  CHECK_THAT(markdown, !ContainsSubstring("Rollout VRMSE 6:12"));
}
