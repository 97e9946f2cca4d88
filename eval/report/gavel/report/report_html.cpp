#include "gavel/report/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "gavel/core/error.hpp"
#include "gavel/report/color_bar.hpp"
#include "gavel/report/heat_map_image.hpp"
#include "gavel/report/html_escape.hpp"
#include "gavel/report/report_json_access.hpp"
#include "gavel/report/report_number_format.hpp"
#include "gavel/report/report_sections.hpp"
#include "gavel/report/svg_chart.hpp"

namespace gavel::report {
namespace {

using nlohmann::json;

constexpr const char* kBaselineColor = "#4c72b0";
constexpr const char* kAveragedColor = "#dd8452";
constexpr const char* kIndependentColor = "#55a868";
constexpr const char* kElementColor = "#8172b3";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMostLabelledSubgroups = 24;

constexpr const char* kStyle = R"(
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 24px auto; max-width: 1180px;
       padding: 0 16px; color: #222; background: #fff; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 1.8em; }
.subtitle { color: #555; font-family: "Liberation Mono", monospace; font-size: 0.85em; word-break: break-all; }
.banner-partial { background: #fde2e1; border: 3px solid #c0392b; color: #7b1d14; padding: 12px 16px;
                  font-size: 1.15em; font-weight: bold; margin: 16px 0; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; }
th { background: #f2f2f2; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.verdict-pass { color: #1e7b34; font-weight: bold; }
td.verdict-fail { color: #b3261e; font-weight: bold; }
figure { margin: 16px 0 24px; }
figcaption { font-size: 0.9em; color: #444; max-width: 900px; margin-top: 6px; }
.heatmap-sample { margin-bottom: 14px; }
.heatmap-sample h3 { font-size: 0.95em; margin: 6px 0; }
.heatmap-row { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 8px; }
.panel { text-align: center; font-size: 0.85em; }
img.heatmap { image-rendering: pixelated; border: 1px solid #999; display: block; }
svg.chart { display: block; max-width: 100%; height: auto; }
)";

std::string tag(const std::string& name, const std::string& text, const std::string& attributes = "") {
  return "<" + name + attributes + ">" + escape_html(text) + "</" + name + ">";
}

std::string figure(const std::string& id, const std::string& body, const std::string& caption) {
  return "<figure id=\"" + id + "\">" + body + tag("figcaption", caption) + "</figure>\n";
}

std::string table_html(const ReportTable& table) {
  std::string html =
      "<table id=\"table-" + escape_html(table.id) + "\">" + tag("caption", table.caption) + "<thead><tr>";
  for (const auto& cell : table.header)
    html += tag("th", cell);
  html += "</tr></thead><tbody>";
  for (const auto& row : table.rows) {
    html += "<tr>";
    for (const auto& cell : row)
      html += tag("td", cell,
                  cell == "PASS"        ? " class=\"verdict-pass\""
                  : cell == "FAIL"      ? " class=\"verdict-fail\""
                  : looks_numeric(cell) ? " class=\"number\""
                                        : "");
    html += "</tr>";
  }
  return html + "</tbody></table>\n";
}

double or_nan(std::optional<double> value) {
  return value.value_or(kNaN);
}

std::optional<std::string> field_vrmse_figure(const json& report, const std::vector<std::string>& fields) {
  const auto& one_step = member_or_empty(report, "one_step");
  const auto* baseline = find_member(one_step, "baseline");
  const auto* averaged = find_member(one_step, "averaged");
  if (baseline == nullptr && averaged == nullptr) return std::nullopt;
  BarChart chart;
  chart.y.label = "VRMSE";
  chart.description = "VRMSE per field before and after averaging";
  chart.categories = fields;
  chart.categories.push_back("all");
  const std::pair<const json*, std::pair<const char*, const char*>> sides[] = {
      {baseline, {"baseline", kBaselineColor}}, {averaged, {"averaged", kAveragedColor}}};
  for (const auto& [results, style] : sides) {
    if (results == nullptr) continue;
    BarSeries series{style.first, style.second, {}};
    const auto& per_field = member_or_empty(*results, "per_field");
    for (const auto& field : fields)
      series.values.push_back(or_nan(number_member(member_or_empty(per_field, field), "VRMSE")));
    series.values.push_back(or_nan(number_member(*results, "VRMSE")));
    chart.series.push_back(std::move(series));
  }
  return figure("fig-field-vrmse", bar_chart_svg(chart),
                "One-step VRMSE per field and over all fields, for the model as trained (baseline) and averaged "
                "over the group.");
}

struct SliceRange {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void include(const std::vector<double>& values) {
    for (double v : values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

std::vector<double> sample_values(const json& sample, const std::string& key, std::size_t expected,
                                  const std::string& where) {
  auto values = number_array_member(sample, key);
  if (values.size() != expected)
    throw Error("report: " + where + ": '" + key + "' has " + std::to_string(values.size()) +
                " values where its shape needs " + std::to_string(expected));
  return values;
}

std::string heat_map_panel(const std::string& title, const std::string& alt, const std::vector<double>& values, int nx,
                           int ny, ColorMap map, double lo, double hi) {
  // The longer side 168 px; a 1-D slice (one row) still shows as a visible strip.
  constexpr long kThinnestSide = 24;
  const double scale = 168.0 / std::max(nx, ny);
  const auto width = std::max(kThinnestSide, std::lround(nx * scale));
  const auto height = std::max(kThinnestSide, std::lround(ny * scale));
  return "<div class=\"panel\">" + tag("div", title, " class=\"panel-title\"") + "<img class=\"heatmap\" alt=\"" +
         escape_html(alt) + "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" src=\"" + heat_map_data_uri(values, nx, ny, map, lo, hi) + "\"></div>";
}

std::optional<std::string> heat_maps_figure(const json& report) {
  const auto samples = array_member(member_or_empty(report, "figures"), "samples");
  if (samples.empty()) return std::nullopt;
  std::string body;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const json& sample = *samples[i];
    const std::string where = "figures.samples[" + std::to_string(i) + "]";
    const auto shape = number_array_member(sample, "shape");
    if (shape.empty() || shape.size() > 2 || std::any_of(shape.begin(), shape.end(), [](double n) {
          return !(n >= 1 && n <= 1 << 16 && n == std::floor(n));
        }))
      throw Error("report: " + where + ": 'shape' should list one or two positive sizes");
    const int nx = static_cast<int>(shape[0]);
    const int ny = shape.size() == 2 ? static_cast<int>(shape[1]) : 1;
    const auto points = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
    const auto target = sample_values(sample, "target", points, where);
    const auto baseline = sample_values(sample, "baseline", points, where);
    const auto averaged = sample_values(sample, "averaged", points, where);
    std::vector<double> baseline_error(points), averaged_error(points);
    for (std::size_t p = 0; p < points; ++p) {
      baseline_error[p] = baseline[p] - target[p];
      averaged_error[p] = averaged[p] - target[p];
    }
    SliceRange values;
    values.include(target);
    values.include(baseline);
    values.include(averaged);
    if (values.empty()) values.lo = 0, values.hi = 1;
    SliceRange errors;
    errors.include(baseline_error);
    errors.include(averaged_error);
    const double largest_error = errors.empty() ? 0.0 : std::max(std::abs(errors.lo), std::abs(errors.hi));
    const double error_bound = largest_error > 0 ? largest_error : 1.0;

    const std::string field = text_member(sample, "field");
    const std::string channel = text_member(sample, "channel");
    const std::string label = "window " + text_member(sample, "window") + ", field " + field +
                              (channel.empty() || channel == field ? "" : ", channel " + channel);
    body += "<div class=\"heatmap-sample\">" + tag("h3", label) + "<div class=\"heatmap-row\">";
    const std::pair<const char*, const std::vector<double>*> fields[] = {
        {"target", &target}, {"baseline", &baseline}, {"averaged", &averaged}};
    for (const auto& [title, data] : fields)
      body += heat_map_panel(title, label + ": " + title, *data, nx, ny, ColorMap::Sequential, values.lo, values.hi);
    body += color_bar_svg(ColorMap::Sequential, values.lo, values.hi, channel.empty() ? field : channel);
    const std::pair<const char*, const std::vector<double>*> error_fields[] = {{"baseline − target", &baseline_error},
                                                                               {"averaged − target", &averaged_error}};
    for (const auto& [title, data] : error_fields)
      body +=
          heat_map_panel(title, label + ": " + title, *data, nx, ny, ColorMap::Diverging, -error_bound, error_bound);
    body += color_bar_svg(ColorMap::Diverging, -error_bound, error_bound, "error");
    body += "</div></div>\n";
  }
  return figure("fig-heatmaps", body,
                "Figure samples: the target, the baseline and the averaged prediction share one colour scale per "
                "sample; the errors (prediction − target) share a symmetric blue–white–red scale. x runs to the "
                "right and y upwards (3-D data: the middle z slice); grey marks non-finite values.");
}

std::optional<std::string> elements_figure(const json& report) {
  const auto per_element = array_member(report, "per_element");
  if (per_element.empty()) return std::nullopt;
  BarChart chart;
  chart.y.label = "VRMSE";
  chart.description = "VRMSE of the raw model on each transformed input";
  BarSeries series{"raw model on g·x, mapped back", kElementColor, {}};
  for (const auto* entry : per_element) {
    chart.categories.push_back(text_member(*entry, "element"));
    series.values.push_back(or_nan(number_member(*entry, "VRMSE")));
  }
  chart.series.push_back(std::move(series));
  const auto& one_step = member_or_empty(report, "one_step");
  if (const auto baseline = number_member(member_or_empty(one_step, "baseline"), "VRMSE"))
    chart.references.push_back({"baseline (mean over samples)", kBaselineColor, *baseline});
  if (const auto averaged = number_member(member_or_empty(one_step, "averaged"), "VRMSE"))
    chart.references.push_back({"averaged over the group", kAveragedColor, *averaged});
  return figure("fig-elements", bar_chart_svg(chart),
                "One-step VRMSE of the model as trained applied to each transformed input g·x and mapped back with "
                "g⁻¹; the dashed lines mark the baseline and the group-averaged VRMSE.");
}

std::vector<double> steps_axis(std::size_t steps) {
  std::vector<double> x(steps);
  for (std::size_t k = 0; k < steps; ++k)
    x[k] = static_cast<double>(k);
  return x;
}

std::optional<std::string> rollout_figure(const json& report) {
  const auto* rollout = find_member(report, "rollout");
  if (rollout == nullptr) return std::nullopt;
  const auto& modes = member_or_empty(*rollout, "modes");
  LineChart chart;
  chart.x.label = "rollout step (0: the first prediction)";
  chart.y.label = "VRMSE";
  chart.description = "Rollout VRMSE per step";
  const std::pair<const char*, std::pair<const char*, const char*>> styles[] = {
      {"baseline", {"baseline", kBaselineColor}},
      {"averaged_each_step", {"averaged each step", kAveragedColor}},
      {"independent_average", {"independent average", kIndependentColor}}};
  for (const auto& [key, style] : styles) {
    const auto* mode = find_member(modes, key);
    if (mode == nullptr) continue;
    auto values = number_array_member(*mode, "VRMSE_per_step");
    if (values.empty()) continue;
    chart.series.push_back({style.first, style.second, steps_axis(values.size()), std::move(values), true, {}});
  }
  if (chart.series.empty()) return std::nullopt;
  return figure("fig-rollout", line_chart_svg(chart),
                "VRMSE at each step of the autoregressive rollout: the model alone (baseline), the group-averaged "
                "model at every step, and the average of |G| independent rollouts g⁻¹ fⁿ(g x).");
}

std::optional<std::string> rollout_defect_figure(const json& report) {
  const auto* rollout = find_member(report, "rollout");
  if (rollout == nullptr) return std::nullopt;
  const auto& defects = member_or_empty(*rollout, "equivariance_defect_per_step");
  LineChart chart;
  chart.x.label = "rollout step (0: the first prediction)";
  chart.y.label = "equivariance defect";
  chart.y.log10 = true;
  chart.description = "Equivariance defect per rollout step";
  const std::pair<const char*, std::pair<const char*, const char*>> styles[] = {
      {"baseline", {"baseline", kBaselineColor}}, {"averaged_each_step", {"averaged each step", kAveragedColor}}};
  for (const auto& [key, style] : styles) {
    auto values = number_array_member(defects, key);
    if (values.empty()) continue;
    chart.series.push_back({style.first, style.second, steps_axis(values.size()), std::move(values), true, {}});
  }
  if (chart.series.empty()) return std::nullopt;
  return figure("fig-rollout-defect", line_chart_svg(chart),
                "Equivariance defect of the rollout at each step, on a logarithmic scale (an exact zero cannot be "
                "drawn and is left out).");
}

std::optional<std::string> subgroups_figure(const json& report) {
  const auto subgroups = array_member(report, "subgroups");
  if (subgroups.empty()) return std::nullopt;
  LineChart chart;
  chart.x.label = "subgroup order |G| (logarithmic)";
  chart.y.label = "one-step VRMSE";
  chart.description = "One-step VRMSE against the order of the averaging subgroup";
  LineSeries series{"averaged over the subgroup", kAveragedColor, {}, {}, false, {}};
  std::set<double> orders;
  for (const auto* subgroup : subgroups) {
    const auto order = number_member(*subgroup, "order");
    const double x = order && *order > 0 ? std::log2(*order) : kNaN;
    if (std::isfinite(x)) orders.insert(*order);
    series.x.push_back(x);
    series.y.push_back(or_nan(number_member(*subgroup, "VRMSE")));
    // Names only where they stay legible (3-D groups have up to 98 subgroups).
    if (subgroups.size() <= kMostLabelledSubgroups) series.point_labels.push_back(text_member(*subgroup, "name"));
  }
  for (double order : orders)
    chart.x.ticks.push_back({std::log2(order), std::to_string(static_cast<long long>(std::llround(order)))});
  chart.series.push_back(std::move(series));
  if (const auto baseline = number_member(member_or_empty(member_or_empty(report, "one_step"), "baseline"), "VRMSE"))
    chart.references.push_back({"baseline (no averaging)", kBaselineColor, *baseline});
  return figure("fig-subgroups", line_chart_svg(chart),
                "One-step VRMSE of the model averaged over each subgroup (named when there are at most 24), against "
                "the subgroup's order; the dashed "
                "line is the model without averaging.");
}

}  // namespace

std::string report_html(const json& report) {
  const auto document = report_document(report);
  const auto fields = report_field_names(report);
  std::map<std::string, std::vector<std::optional<std::string>>> figures;
  figures["one-step"] = {field_vrmse_figure(report, fields), heat_maps_figure(report)};
  figures["elements"] = {elements_figure(report)};
  figures["rollout"] = {rollout_figure(report), rollout_defect_figure(report)};
  figures["subgroups"] = {subgroups_figure(report)};

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
                     tag("title", document.title) + "\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  if (document.partial_banner)
    html += "<div id=\"partial-banner\" class=\"banner-partial\" role=\"alert\">" +
            escape_html(*document.partial_banner) + "</div>\n";
  html += tag("h1", document.title) + "\n";
  if (!document.subtitle.empty()) html += tag("p", document.subtitle, " class=\"subtitle\"") + "\n";
  for (const auto& section : document.sections) {
    html += "<section id=\"section-" + escape_html(section.id) + "\">\n" + tag("h2", section.title) + "\n";
    for (const auto& paragraph : section.paragraphs)
      html += tag("p", paragraph) + "\n";
    if (const auto it = figures.find(section.id); it != figures.end())
      for (const auto& figure_html : it->second)
        if (figure_html) html += *figure_html;
    for (const auto& table : section.tables)
      html += table_html(table);
    html += "</section>\n";
  }
  return html + "</body>\n</html>\n";
}

}  // namespace gavel::report
