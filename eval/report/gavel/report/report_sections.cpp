#include "gavel/report/report_sections.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "gavel/report/report_json_access.hpp"
#include "gavel/report/report_number_format.hpp"

namespace gavel::report {
namespace {

using nlohmann::json;

const json kEmpty = json::object();

/// 100·(averaged − baseline)/baseline, when both are known and the baseline is not zero.
std::optional<double> relative_change_percent(std::optional<double> baseline, std::optional<double> averaged) {
  if (!baseline || !averaged || *baseline == 0.0) return std::nullopt;
  return 100.0 * (*averaged - *baseline) / *baseline;
}

std::string yes_no(const json& node, const std::string& key) {
  const auto* value = find_member(node, key);
  if (value == nullptr || !value->is_boolean()) return "n/a";
  return value->get<bool>() ? "yes" : "no";
}

std::string or_not_available(const std::string& text) {
  return text.empty() ? "n/a" : text;
}

const char* const kRolloutModes[] = {"baseline", "averaged_each_step", "independent_average"};
const char* const kRolloutModeTitles[] = {"baseline", "averaged each step", "independent average"};

std::string report_title(const json& report) {
  const auto& model = member_or_empty(report, "model");
  const auto& dataset = member_or_empty(report, "dataset");
  const auto& group = member_or_empty(report, "group");
  std::string title = "gavel eval: " + or_not_available(text_member(model, "architecture")) + " on " +
                      or_not_available(text_member(dataset, "name"));
  if (const auto split = text_member(dataset, "split"); !split.empty()) title += " (" + split + ")";
  if (const auto name = text_member(group, "name"); !name.empty()) title += ", group " + name;
  return title;
}

/// Per-sample statistics of a change: the interval, the fraction improved and the rest.
struct ChangeStatistics {
  std::optional<double> n, mean, median, low, high, fraction_improved;
};

ChangeStatistics change_statistics(const json* node) {
  ChangeStatistics s;
  if (node == nullptr) return s;
  s.n = number_member(*node, "n");
  s.mean = number_member(*node, "mean");
  s.median = number_member(*node, "median");
  s.fraction_improved = number_member(*node, "fraction_improved");
  const auto interval = number_array_member(*node, "ci95");
  if (interval.size() == 2) {
    if (std::isfinite(interval[0])) s.low = interval[0];
    if (std::isfinite(interval[1])) s.high = interval[1];
  }
  return s;
}

ReportSection one_step_section(const json& report, const std::vector<std::string>& fields) {
  const auto& one_step = member_or_empty(report, "one_step");
  const auto& baseline = member_or_empty(one_step, "baseline");
  const auto& averaged = member_or_empty(one_step, "averaged");
  const auto& change = member_or_empty(one_step, "change");
  const auto& change_vrmse = member_or_empty(change, "VRMSE");
  const auto& change_per_field = member_or_empty(change, "per_field");
  const auto* per_sample = find_member(change_vrmse, "per_sample");
  const auto& group = member_or_empty(report, "group");
  const auto& dataset = member_or_empty(report, "dataset");

  ReportSection section{"one-step", "One-step error before and after averaging", {}, {}};
  std::string intro = format_count(number_member(one_step, "samples")) + " one-step samples of " +
                      or_not_available(text_member(dataset, "name"));
  if (const auto split = text_member(dataset, "split"); !split.empty()) intro += " (" + split + " split)";
  intro += ". Baseline: the model as trained; averaged: the model averaged over the group " +
           or_not_available(text_member(group, "name")) + " (order " + format_count(number_member(group, "order")) +
           "). VRMSE is The Well's variance-scaled RMSE, averaged over samples and channels; change = "
           "100·(averaged − baseline)/baseline; the interval is a bootstrap 95 % interval of the mean "
           "per-sample change (averaged − baseline VRMSE)";
  if (per_sample != nullptr)
    intro += " (" + format_count(number_member(*per_sample, "bootstrap_resamples")) + " resamples, seed " +
             format_count(number_member(*per_sample, "seed")) + ")";
  intro += "; improved: the fraction of samples whose VRMSE went down.";
  section.paragraphs.push_back(intro);

  ReportTable vrmse{"one-step-vrmse",
                    "VRMSE per field and overall",
                    {"Field", "Baseline VRMSE", "Averaged VRMSE", "Change", "95 % CI of per-sample change", "Improved"},
                    {}};
  const auto& baseline_fields = member_or_empty(baseline, "per_field");
  const auto& averaged_fields = member_or_empty(averaged, "per_field");
  for (const auto& field : fields) {
    const auto before = number_member(member_or_empty(baseline_fields, field), "VRMSE");
    const auto after = number_member(member_or_empty(averaged_fields, field), "VRMSE");
    const auto& field_change = member_or_empty(change_per_field, field);
    auto percent = number_member(field_change, "relative_percent");
    if (!percent) percent = relative_change_percent(before, after);
    const auto stats = change_statistics(find_member(field_change, "per_sample"));
    vrmse.rows.push_back({field, format_value(before), format_value(after), format_change_percent(percent),
                          format_interval(stats.low, stats.high), format_fraction_percent(stats.fraction_improved)});
  }
  const auto overall_before = number_member(baseline, "VRMSE");
  const auto overall_after = number_member(averaged, "VRMSE");
  auto overall_percent = number_member(change_vrmse, "relative_percent");
  if (!overall_percent) overall_percent = relative_change_percent(overall_before, overall_after);
  const auto overall = change_statistics(per_sample);
  vrmse.rows.push_back({"all", format_value(overall_before), format_value(overall_after),
                        format_change_percent(overall_percent), format_interval(overall.low, overall.high),
                        format_fraction_percent(overall.fraction_improved)});
  section.tables.push_back(std::move(vrmse));

  ReportTable statistics{"one-step-change-statistics",
                         "Change of VRMSE (averaged − baseline) per sample and per trajectory",
                         {"Unit", "n", "Mean change", "Median change", "95 % CI", "Improved"},
                         {}};
  const std::pair<const char*, const json*> units[] = {{"sample", per_sample},
                                                       {"trajectory", find_member(one_step, "per_trajectory")}};
  for (const auto& [unit, node] : units) {
    if (node == nullptr) continue;
    const auto s = change_statistics(node);
    statistics.rows.push_back({unit, format_count(s.n), format_value(s.mean), format_value(s.median),
                               format_interval(s.low, s.high), format_fraction_percent(s.fraction_improved)});
  }
  if (!statistics.rows.empty()) section.tables.push_back(std::move(statistics));

  ReportTable metrics{"one-step-metrics",
                      "All metrics, overall (mean over samples and channels)",
                      {"Metric", "Baseline", "Averaged", "Change"},
                      {}};
  const auto& baseline_metrics = member_or_empty(baseline, "metrics");
  const auto& averaged_metrics = member_or_empty(averaged, "metrics");
  auto names = object_keys(&baseline_metrics);
  for (const auto& name : object_keys(&averaged_metrics))
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  for (const auto& name : in_preferred_order(names, metric_display_order())) {
    const auto before = number_member(baseline_metrics, name);
    const auto after = number_member(averaged_metrics, name);
    metrics.rows.push_back({name, format_value(before), format_value(after),
                            format_change_percent(relative_change_percent(before, after))});
  }
  if (!metrics.rows.empty()) section.tables.push_back(std::move(metrics));
  return section;
}

std::optional<ReportSection> equivariance_section(const json& report) {
  const auto* defect = find_member(report, "equivariance_defect");
  if (defect == nullptr) return std::nullopt;
  const auto tolerance = number_member(*defect, "tolerance");
  ReportSection section{"equivariance", "Equivariance defect", {}, {}};
  section.paragraphs.push_back("Defect: " + or_not_available(text_member(*defect, "definition")) +
                               ". Tolerance: " + format_value(tolerance) + ".");
  ReportTable table{
      "equivariance-defect", "Defect of the model before and after averaging", {"Model", "Max", "Mean", "Verdict"}, {}};
  for (const char* side : {"baseline", "averaged"}) {
    const auto* results = find_member(*defect, side);
    if (results == nullptr) continue;
    const auto max = number_member(*results, "max");
    table.rows.push_back(
        {side, format_value(max), format_value(number_member(*results, "mean")), tolerance_verdict(max, tolerance)});
  }
  section.tables.push_back(std::move(table));
  if (const auto* passed = find_member(*defect, "passed"); passed && passed->is_boolean())
    section.paragraphs.push_back(std::string("The averaged model is equivariant within the tolerance: ") +
                                 (passed->get<bool>() ? "PASS" : "FAIL") + ".");
  return section;
}

const json* entry_for_element(const std::vector<const json*>& entries, const std::string& element) {
  for (const auto* entry : entries)
    if (text_member(*entry, "element") == element) return entry;
  return nullptr;
}

std::optional<ReportSection> elements_section(const json& report, const std::vector<std::string>& fields) {
  const auto per_element = array_member(report, "per_element");
  const auto& defect = member_or_empty(report, "equivariance_defect");
  const auto baseline_defects = array_member(member_or_empty(defect, "baseline"), "per_element");
  const auto averaged_defects = array_member(member_or_empty(defect, "averaged"), "per_element");
  if (per_element.empty() && baseline_defects.empty() && averaged_defects.empty()) return std::nullopt;

  std::vector<std::string> elements;
  for (const auto& list : {per_element, baseline_defects, averaged_defects})
    for (const auto* entry : list) {
      const auto name = text_member(*entry, "element");
      if (std::find(elements.begin(), elements.end(), name) == elements.end()) elements.push_back(name);
    }
  ReportSection section{"elements", "Per-element error", {}, {}};
  section.paragraphs.push_back(
      "VRMSE of the raw model on g·x, mapped back with g⁻¹ and compared with the target; the defect of each "
      "element for the baseline and the averaged model.");
  ReportTable table{"per-element", "VRMSE and equivariance defect per group element", {"Element", "VRMSE"}, {}};
  const bool per_field_columns = fields.size() > 1;
  if (per_field_columns)
    for (const auto& field : fields)
      table.header.push_back("VRMSE " + field);
  table.header.push_back("Defect (baseline)");
  table.header.push_back("Defect (averaged)");
  for (const auto& element : elements) {
    const auto* entry = entry_for_element(per_element, element);
    std::vector<std::string> row{element, format_value(entry ? number_member(*entry, "VRMSE") : std::nullopt)};
    if (per_field_columns) {
      const auto& per_field = entry ? member_or_empty(*entry, "per_field") : kEmpty;
      for (const auto& field : fields)
        row.push_back(format_value(number_member(per_field, field)));
    }
    for (const auto* defects : {&baseline_defects, &averaged_defects}) {
      const auto* defect_entry = entry_for_element(*defects, element);
      row.push_back(format_value(defect_entry ? number_member(*defect_entry, "value") : std::nullopt));
    }
    table.rows.push_back(std::move(row));
  }
  section.tables.push_back(std::move(table));
  return section;
}

std::optional<ReportSection> rollout_section(const json& report) {
  const auto* rollout = find_member(report, "rollout");
  if (rollout == nullptr) return std::nullopt;
  ReportSection section{"rollout", "Rollout", {}, {}};
  section.paragraphs.push_back(
      "Autoregressive rollouts of " + format_count(number_member(*rollout, "steps")) + " steps from " +
      format_count(number_member(*rollout, "trajectories")) +
      " trajectories. Baseline: the model alone; averaged each step: the group-averaged model at every step; "
      "independent average: the average of |G| independent rollouts g⁻¹ fⁿ(g x). Steps count from 0 (the "
      "first prediction); a window start:end covers steps start to end − 1, as the_well's windows do.");
  std::vector<std::string> windows;
  for (const auto* window : array_member(*rollout, "windows"))
    windows.push_back(text_member(*window, "name"));
  const auto& modes = member_or_empty(*rollout, "modes");

  ReportTable by_window{"rollout-windows", "Mean VRMSE per rollout window", {"Mode"}, {}};
  for (const auto& window : windows)
    by_window.header.push_back("VRMSE " + window);
  std::vector<std::vector<double>> per_step_columns;
  std::vector<std::string> per_step_header{"Step"};
  for (std::size_t m = 0; m < std::size(kRolloutModes); ++m) {
    const auto* mode = find_member(modes, kRolloutModes[m]);
    if (mode == nullptr) continue;
    std::vector<std::string> row{kRolloutModeTitles[m]};
    const auto& values = member_or_empty(*mode, "windows");
    for (const auto& window : windows)
      row.push_back(format_value(number_member(values, window)));
    by_window.rows.push_back(std::move(row));
    per_step_columns.push_back(number_array_member(*mode, "VRMSE_per_step"));
    per_step_header.push_back(std::string("VRMSE ") + kRolloutModeTitles[m]);
  }
  if (!windows.empty() && !by_window.rows.empty()) section.tables.push_back(std::move(by_window));

  const auto& defects = member_or_empty(*rollout, "equivariance_defect_per_step");
  for (const auto& side :
       {std::pair{"baseline", "Defect baseline"}, std::pair{"averaged_each_step", "Defect averaged each step"}}) {
    auto values = number_array_member(defects, side.first);
    if (values.empty()) continue;
    per_step_columns.push_back(std::move(values));
    per_step_header.push_back(side.second);
  }
  std::size_t steps = 0;
  for (const auto& column : per_step_columns)
    steps = std::max(steps, column.size());
  if (steps > 0) {
    ReportTable per_step{"rollout-steps", "VRMSE and equivariance defect per rollout step", per_step_header, {}};
    for (std::size_t k = 0; k < steps; ++k) {
      std::vector<std::string> row{std::to_string(k)};
      for (const auto& column : per_step_columns)
        row.push_back(format_value(k < column.size() ? std::optional<double>(column[k]) : std::nullopt));
      per_step.rows.push_back(std::move(row));
    }
    section.tables.push_back(std::move(per_step));
  }
  return section;
}

std::optional<ReportSection> subgroups_section(const json& report) {
  const auto subgroups = array_member(report, "subgroups");
  if (subgroups.empty()) return std::nullopt;
  // Rollout window columns only for the windows some subgroup has values of, in the rollout's order.
  std::vector<std::string> present;
  for (const auto* subgroup : subgroups)
    for (const auto& name : object_keys(find_member(*subgroup, "rollout_VRMSE_windows")))
      if (std::find(present.begin(), present.end(), name) == present.end()) present.push_back(name);
  std::vector<std::string> rollout_order;
  if (const auto* rollout = find_member(report, "rollout"))
    for (const auto* window : array_member(*rollout, "windows"))
      rollout_order.push_back(text_member(*window, "name"));
  const auto windows = in_preferred_order(present, rollout_order);
  ReportSection section{"subgroups", "Subgroup sweep", {}, {}};
  section.paragraphs.push_back(std::string("The model averaged over each subgroup of the group: one-step VRMSE and "
                                           "its change against the baseline") +
                               (windows.empty() ? "." : ", and the rollout VRMSE per window."));
  ReportTable table{
      "subgroups", "Averaging over each subgroup", {"Subgroup", "Order", "Elements", "VRMSE", "Change"}, {}};
  for (const auto& window : windows)
    table.header.push_back("Rollout VRMSE " + window);
  for (const auto* subgroup : subgroups) {
    std::vector<std::string> row{text_member(*subgroup, "name"), format_count(number_member(*subgroup, "order")),
                                 text_member(*subgroup, "elements"), format_value(number_member(*subgroup, "VRMSE")),
                                 format_change_percent(number_member(*subgroup, "relative_percent"))};
    const auto& values = member_or_empty(*subgroup, "rollout_VRMSE_windows");
    for (const auto& window : windows)
      row.push_back(format_value(number_member(values, window)));
    table.rows.push_back(std::move(row));
  }
  section.tables.push_back(std::move(table));
  return section;
}

std::optional<ReportSection> normalization_section(const json& report) {
  const auto* audit = find_member(report, "normalization_audit");
  if (audit == nullptr) return std::nullopt;
  ReportSection section{"normalization", "Normalization audit", {}, {}};
  section.paragraphs.push_back("Normalization statistics symmetric under the group: " + yes_no(*audit, "symmetric") +
                               ".");
  if (const auto note = text_member(*audit, "note"); !note.empty()) section.paragraphs.push_back(note);
  // Field and issue always; the statistics block and the element when the report names them.
  const auto entries = array_member(*audit, "details");
  std::vector<std::pair<std::string, std::string>> columns{{"field", "Field"}};
  for (const auto& optional_column : {std::pair<std::string, std::string>{"statistics", "Statistics"},
                                      std::pair<std::string, std::string>{"element", "Element"}})
    if (std::any_of(entries.begin(), entries.end(),
                    [&](const json* detail) { return find_member(*detail, optional_column.first) != nullptr; }))
      columns.push_back(optional_column);
  columns.push_back({"issue", "Issue"});
  ReportTable details{"normalization-audit", "Statistics the group does not preserve", {}, {}};
  for (const auto& column : columns)
    details.header.push_back(column.second);
  for (const auto* detail : entries) {
    std::vector<std::string> row;
    for (const auto& column : columns)
      row.push_back(text_member(*detail, column.first));
    details.rows.push_back(std::move(row));
  }
  if (!details.rows.empty()) section.tables.push_back(std::move(details));
  return section;
}

std::optional<ReportSection> non_finite_section(const json& report, const std::vector<std::string>& fields) {
  const auto* counts = find_member(report, "non_finite");
  if (counts == nullptr) return std::nullopt;
  ReportSection section{"non-finite", "Non-finite values", {}, {}};
  ReportTable table{"non-finite", "NaN and infinities met during the evaluation", {"Where", "What", "Count"}, {}};
  double total = 0;
  const auto add = [&](const std::string& where, const std::string& what, std::optional<double> count) {
    if (count) total += *count;
    table.rows.push_back({where, what, format_count(count)});
  };
  // Every block of counts the report holds, the known ones first and worded.
  const std::vector<std::pair<std::string, std::string>> known = {
      {"inputs_replaced", "inputs (replaced like nan_to_num)"},
      {"targets_replaced", "targets (replaced like nan_to_num)"},
      {"baseline_predictions", "baseline predictions"},
      {"averaged_predictions", "averaged predictions"},
      {"rollout_baseline", "rollout, baseline"},
      {"rollout_averaged_each_step", "rollout, averaged each step"},
      {"rollout_independent_average", "rollout, independent average"}};
  std::vector<std::string> known_keys;
  for (const auto& entry : known)
    known_keys.push_back(entry.first);
  for (const auto& key : in_preferred_order(object_keys(counts), known_keys)) {
    const auto* block = find_member(*counts, key);
    std::string where = key;
    for (const auto& entry : known)
      if (entry.first == key) where = entry.second;
    if (block->is_number()) {
      add(where, "all", read_number(block, key));
      continue;
    }
    auto preferred = fields;
    preferred.insert(preferred.begin(), {"nan", "posinf", "neginf"});
    for (const auto& what : in_preferred_order(object_keys(block), preferred))
      add(where, what, number_member(*block, what));
  }
  section.paragraphs.push_back("Total: " + format_count(total) + ".");
  section.tables.push_back(std::move(table));
  return section;
}

std::optional<ReportSection> cost_section(const json& report) {
  const auto* cost = find_member(report, "cost");
  if (cost == nullptr) return std::nullopt;
  ReportSection section{"cost", "Cost", {}, {}};
  ReportTable table{"cost", "Time spent", {"Quantity", "Value"}, {}};
  table.rows.push_back({"baseline evaluation", format_seconds(number_member(*cost, "baseline_seconds"))});
  table.rows.push_back({"averaged evaluation", format_seconds(number_member(*cost, "averaged_seconds"))});
  table.rows.push_back({"model calls", format_seconds(number_member(*cost, "model_seconds"))});
  table.rows.push_back({"group transforms", format_seconds(number_member(*cost, "transform_seconds"))});
  table.rows.push_back({"transform overhead", format_fraction_percent(number_member(*cost, "overhead_fraction"))});
  if (find_member(*cost, "rollout_seconds"))
    table.rows.push_back({"rollouts", format_seconds(number_member(*cost, "rollout_seconds"))});
  const auto& rates = member_or_empty(*cost, "samples_per_second");
  table.rows.push_back({"samples per second (baseline)", format_value(number_member(rates, "baseline"))});
  table.rows.push_back({"samples per second (averaged)", format_value(number_member(rates, "averaged"))});
  section.tables.push_back(std::move(table));
  return section;
}

std::string grid_text(const json& dataset) {
  const auto& grid = member_or_empty(dataset, "grid");
  std::string shape;
  for (const auto* n : array_member(grid, "shape"))
    shape += (shape.empty() ? "" : "×") + format_count(read_number(n, "shape"));
  return or_not_available(shape) + ", boundary conditions " + or_not_available(text_member(grid, "bc"));
}

std::string fields_text(const json& dataset) {
  std::string text;
  for (const auto* field : array_member(dataset, "fields")) {
    if (!text.empty()) text += ", ";
    text += text_member(*field, "name");
    if (const auto kind = text_member(*field, "kind"); !kind.empty()) text += " (" + kind + ")";
  }
  return or_not_available(text);
}

ReportSection manifest_section(const json& report) {
  const auto& manifest = member_or_empty(report, "manifest");
  const auto& model = member_or_empty(report, "model");
  const auto& dataset = member_or_empty(report, "dataset");
  const auto& group = member_or_empty(report, "group");
  ReportSection section{"manifest", "Manifest", {}, {}};
  ReportTable table{"manifest", "What was evaluated, how and where", {"Item", "Value"}, {}};
  const auto add = [&](const std::string& item, const std::string& value) {
    table.rows.push_back({item, or_not_available(value)});
  };
  add("gavel version", text_member(manifest, "gavel_version"));
  add("command", text_member(manifest, "command"));
  add("date", text_member(manifest, "date"));
  add("model", text_member(model, "path"));
  add("architecture", text_member(model, "architecture"));
  add("channels in / out",
      format_count(number_member(model, "in_channels")) + " / " + format_count(number_member(model, "out_channels")));
  add("normalization", text_member(model, "normalization"));
  add("predicts the change (delta)", yes_no(model, "delta"));
  add("dataset", text_member(dataset, "path"));
  add("dataset name", text_member(dataset, "name"));
  add("split", text_member(dataset, "split"));
  add("windows", format_count(number_member(dataset, "windows")));
  if (find_member(dataset, "evaluated_windows"))
    add("windows evaluated", format_count(number_member(dataset, "evaluated_windows")));
  add("input steps", format_count(number_member(dataset, "n_steps_input")));
  add("grid", grid_text(dataset));
  add("fields", fields_text(dataset));
  add("group", text_member(group, "name") + " (order " + format_count(number_member(group, "order")) + ", from " +
                   or_not_available(text_member(group, "source")) + ", forced: " + yes_no(group, "forced") + ")");
  add("group elements", text_member(group, "elements"));
  add("execution space", text_member(manifest, "execution_space"));
  add("threads", format_count(number_member(manifest, "threads")));
  add("seed", format_count(number_member(manifest, "seed")));
  if (find_member(manifest, "batch")) add("batch", format_count(number_member(manifest, "batch")));
  if (find_member(manifest, "bootstrap_resamples"))
    add("bootstrap resamples", format_count(number_member(manifest, "bootstrap_resamples")));
  section.tables.push_back(std::move(table));

  ReportTable checksums{"checksums", "SHA-256 of the inputs", {"Input", "File", "SHA-256"}, {}};
  for (const auto& kind : {std::pair{"checkpoint_sha256", "checkpoint"}, std::pair{"data_sha256", "data"}}) {
    const auto* files = find_member(manifest, kind.first);
    for (const auto& file : object_keys(files))
      checksums.rows.push_back({kind.second, file, text_member(*files, file)});
  }
  if (!checksums.rows.empty()) section.tables.push_back(std::move(checksums));
  return section;
}

}  // namespace

std::string tolerance_verdict(std::optional<double> value, std::optional<double> tolerance) {
  if (!value || !tolerance || !std::isfinite(*value) || !std::isfinite(*tolerance)) return "n/a";
  return *value <= *tolerance ? "PASS" : "FAIL";
}

ReportDocument report_document(const json& report) {
  ReportDocument document;
  document.title = report_title(report);
  const auto& manifest = member_or_empty(report, "manifest");
  document.subtitle = text_member(manifest, "command");
  if (const auto date = text_member(manifest, "date"); !date.empty())
    document.subtitle += (document.subtitle.empty() ? "" : " — ") + date;
  if (text_member(report, "status") == "partial")
    document.partial_banner = "PARTIAL REPORT: the evaluation stopped before it finished (" +
                              or_not_available(text_member(report, "error")) +
                              "). The numbers below cover only the part that was computed.";
  const auto fields = report_field_names(report);
  if (find_member(report, "one_step")) document.sections.push_back(one_step_section(report, fields));
  for (auto section : {equivariance_section(report), elements_section(report, fields), rollout_section(report),
                       subgroups_section(report), normalization_section(report), non_finite_section(report, fields),
                       cost_section(report)})
    if (section) document.sections.push_back(std::move(*section));
  document.sections.push_back(manifest_section(report));
  return document;
}

}  // namespace gavel::report
