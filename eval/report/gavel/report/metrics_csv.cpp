#include "gavel/report/metrics_csv.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "gavel/report/report_json_access.hpp"
#include "gavel/report/report_number_format.hpp"

namespace gavel::report {
namespace {

using nlohmann::json;

/// The model column: the checkpoint folder's name, or the architecture when the path is absent.
std::string model_label(const json& report) {
  const auto* model = find_member(report, "model");
  if (model == nullptr) return "";
  std::filesystem::path path(text_member(*model, "path"));
  while (!path.empty() && path.filename().empty())
    path = path.parent_path();
  if (!path.empty() && path.filename() != "." && path.filename() != "..") return path.filename().string();
  return text_member(*model, "architecture");
}

std::string step_window(std::size_t index) {
  return "step:" + std::to_string(index);
}

const char* const kRolloutModes[] = {"baseline", "averaged_each_step", "independent_average"};

class RowCollector {
 public:
  RowCollector(std::string model, std::string group) : model_(std::move(model)), group_(std::move(group)) {}

  void add(const std::string& mode, const std::string& field, const std::string& window, const std::string& metric,
           std::optional<double> value) {
    if (value && !std::isfinite(*value)) value.reset();
    rows_.push_back({model_, group_, mode, field, window, metric, value});
  }
  std::vector<MetricRow> take() { return std::move(rows_); }

 private:
  std::string model_, group_;
  std::vector<MetricRow> rows_;
};

void add_one_step(const json& report, const std::vector<std::string>& fields, RowCollector& rows) {
  const auto* one_step = find_member(report, "one_step");
  if (one_step == nullptr) return;
  for (const char* side : {"baseline", "averaged"}) {
    const auto* results = find_member(*one_step, side);
    if (results == nullptr) continue;
    const std::string mode = std::string("one_step_") + side;
    const auto* metrics = find_member(*results, "metrics");
    auto names = in_preferred_order(object_keys(metrics), metric_display_order());
    if (std::find(names.begin(), names.end(), "VRMSE") == names.end() && find_member(*results, "VRMSE"))
      names.insert(names.begin(), "VRMSE");
    for (const auto& name : names) {
      const auto* value = metrics ? find_member(*metrics, name) : nullptr;
      if (value == nullptr && name == "VRMSE") value = find_member(*results, "VRMSE");
      rows.add(mode, "all", "all", name, read_number(value, name));
    }
    const auto* per_field = find_member(*results, "per_field");
    for (const auto& field : fields) {
      const auto* field_metrics = per_field ? find_member(*per_field, field) : nullptr;
      if (field_metrics == nullptr) continue;
      for (const auto& name : in_preferred_order(object_keys(field_metrics), metric_display_order()))
        rows.add(mode, field, "all", name, number_member(*field_metrics, name));
    }
  }
  const auto* change = find_member(*one_step, "change");
  if (change == nullptr) return;
  if (const auto* vrmse = find_member(*change, "VRMSE"))
    rows.add("one_step_averaged", "all", "all", "VRMSE_change_percent", number_member(*vrmse, "relative_percent"));
  const auto* per_field = find_member(*change, "per_field");
  for (const auto& field : fields)
    if (const auto* entry = per_field ? find_member(*per_field, field) : nullptr)
      rows.add("one_step_averaged", field, "all", "VRMSE_change_percent", number_member(*entry, "relative_percent"));
}

/// Element names in the order per_element lists them, then any that only the defects list.
std::vector<std::string> element_names(const json& report) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto* entry : array_member(report, "per_element"))
    add(text_member(*entry, "element"));
  if (const auto* defect = find_member(report, "equivariance_defect"))
    for (const char* side : {"baseline", "averaged"})
      if (const auto* results = find_member(*defect, side))
        for (const auto* entry : array_member(*results, "per_element"))
          add(text_member(*entry, "element"));
  return names;
}

const json* entry_for_element(const std::vector<const json*>& entries, const std::string& element) {
  for (const auto* entry : entries)
    if (text_member(*entry, "element") == element) return entry;
  return nullptr;
}

void add_elements(const json& report, const std::vector<std::string>& fields, RowCollector& rows) {
  const auto per_element = array_member(report, "per_element");
  const auto* defect = find_member(report, "equivariance_defect");
  const auto defect_entries = [&](const char* side) {
    const auto* results = defect ? find_member(*defect, side) : nullptr;
    return results ? array_member(*results, "per_element") : std::vector<const json*>{};
  };
  const auto baseline_defects = defect_entries("baseline");
  const auto averaged_defects = defect_entries("averaged");
  for (const auto& element : element_names(report)) {
    const std::string mode = "element:" + element;
    if (const auto* entry = entry_for_element(per_element, element)) {
      rows.add(mode, "all", "all", "VRMSE", number_member(*entry, "VRMSE"));
      if (const auto* per_field = find_member(*entry, "per_field"))
        for (const auto& field : in_preferred_order(object_keys(per_field), fields))
          rows.add(mode, field, "all", "VRMSE", number_member(*per_field, field));
    }
    const std::pair<const char*, const std::vector<const json*>*> sides[] = {
        {"equivariance_defect_baseline", &baseline_defects}, {"equivariance_defect_averaged", &averaged_defects}};
    for (const auto& [metric, entries] : sides) {
      const auto* entry = entry_for_element(*entries, element);
      if (entry == nullptr) continue;
      rows.add(mode, "all", "all", metric, number_member(*entry, "value"));
      if (const auto* per_field = find_member(*entry, "per_field"))
        for (const auto& field : in_preferred_order(object_keys(per_field), fields))
          rows.add(mode, field, "all", metric, number_member(*per_field, field));
    }
  }
}

void add_defects(const json& report, RowCollector& rows) {
  const auto* defect = find_member(report, "equivariance_defect");
  const auto* rollout = find_member(report, "rollout");
  const auto* per_step = rollout ? find_member(*rollout, "equivariance_defect_per_step") : nullptr;
  const std::pair<const char*, const char*> sides[] = {{"baseline", "baseline"}, {"averaged", "averaged_each_step"}};
  for (const auto& [side, rollout_side] : sides) {
    const std::string mode = std::string("defect_") + side;
    if (const auto* results = defect ? find_member(*defect, side) : nullptr) {
      rows.add(mode, "all", "all", "equivariance_defect_max", number_member(*results, "max"));
      rows.add(mode, "all", "all", "equivariance_defect_mean", number_member(*results, "mean"));
    }
    if (per_step != nullptr) {
      const auto values = number_array_member(*per_step, rollout_side);
      for (std::size_t k = 0; k < values.size(); ++k)
        rows.add(mode, "all", step_window(k), "equivariance_defect", values[k]);
    }
  }
}

std::vector<std::string> rollout_window_names(const json& rollout) {
  std::vector<std::string> names;
  for (const auto* window : array_member(rollout, "windows"))
    names.push_back(text_member(*window, "name"));
  return names;
}

void add_rollout(const json& report, const std::vector<std::string>& fields, RowCollector& rows) {
  const auto* rollout = find_member(report, "rollout");
  if (rollout == nullptr) return;
  const auto windows = rollout_window_names(*rollout);
  const auto* modes = find_member(*rollout, "modes");
  for (const char* mode_name : kRolloutModes) {
    const auto* mode = modes ? find_member(*modes, mode_name) : nullptr;
    if (mode == nullptr) continue;
    const std::string mode_label = std::string("rollout_") + mode_name;
    const auto per_step = number_array_member(*mode, "VRMSE_per_step");
    for (std::size_t k = 0; k < per_step.size(); ++k)
      rows.add(mode_label, "all", step_window(k), "VRMSE", per_step[k]);
    if (const auto* per_field = find_member(*mode, "per_field_per_step"))
      for (const auto& field : in_preferred_order(object_keys(per_field), fields)) {
        const auto values = number_array_member(*per_field, field);
        for (std::size_t k = 0; k < values.size(); ++k)
          rows.add(mode_label, field, step_window(k), "VRMSE", values[k]);
      }
    if (const auto* by_window = find_member(*mode, "windows"))
      for (const auto& window : in_preferred_order(object_keys(by_window), windows))
        rows.add(mode_label, "all", window, "VRMSE", number_member(*by_window, window));
  }
}

void add_subgroups(const json& report, RowCollector& rows) {
  const auto* rollout = find_member(report, "rollout");
  const auto windows = rollout ? rollout_window_names(*rollout) : std::vector<std::string>{};
  for (const auto* subgroup : array_member(report, "subgroups")) {
    const std::string mode = "subgroup:" + text_member(*subgroup, "name");
    rows.add(mode, "all", "all", "VRMSE", number_member(*subgroup, "VRMSE"));
    rows.add(mode, "all", "all", "VRMSE_change_percent", number_member(*subgroup, "relative_percent"));
    if (const auto* by_window = find_member(*subgroup, "rollout_VRMSE_windows"))
      for (const auto& window : in_preferred_order(object_keys(by_window), windows))
        rows.add(mode, "all", window, "VRMSE", number_member(*by_window, window));
  }
}

}  // namespace

std::vector<MetricRow> metric_rows(const json& report) {
  const auto* group = find_member(report, "group");
  RowCollector rows(model_label(report), group ? text_member(*group, "name") : "");
  const auto fields = report_field_names(report);
  add_one_step(report, fields, rows);
  add_elements(report, fields, rows);
  add_defects(report, rows);
  add_rollout(report, fields, rows);
  add_subgroups(report, rows);
  return rows.take();
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string metrics_csv(const json& report) {
  std::string csv = "model,group,mode,field,window,metric,value\n";
  for (const auto& row : metric_rows(report)) {
    for (const auto* cell : {&row.model, &row.group, &row.mode, &row.field, &row.window, &row.metric})
      csv += csv_cell(*cell) + ",";
    csv += format_exact(row.value) + "\n";
  }
  return csv;
}

}  // namespace gavel::report
