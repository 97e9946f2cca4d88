#include "gavel/report/report_json_access.hpp"

#include <algorithm>
#include <limits>

#include "gavel/core/error.hpp"

namespace gavel::report {

const nlohmann::json* find_member(const nlohmann::json& node, const std::string& key) {
  if (!node.is_object()) return nullptr;
  const auto it = node.find(key);
  if (it == node.end() || it->is_null()) return nullptr;
  return &*it;
}

const nlohmann::json& member_or_empty(const nlohmann::json& node, const std::string& key) {
  static const nlohmann::json empty = nlohmann::json::object();
  const auto* member = find_member(node, key);
  return member ? *member : empty;
}

std::optional<double> read_number(const nlohmann::json* value, const std::string& what) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_number())
    throw Error("report: '" + what + "' should be a number or null, found " + std::string(value->type_name()) + " " +
                value->dump());
  return value->get<double>();
}

std::optional<double> number_member(const nlohmann::json& node, const std::string& key) {
  return read_number(find_member(node, key), key);
}

std::string display_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array()) return value.dump();
  std::string joined;
  for (const auto& entry : value) {
    if (!joined.empty()) joined += ", ";
    if (entry.is_array()) {
      std::string inner;
      for (const auto& part : entry)
        inner += (inner.empty() ? "" : "/") + display_text(part);
      joined += inner;
    } else {
      joined += display_text(entry);
    }
  }
  return joined;
}

std::string text_member(const nlohmann::json& node, const std::string& key) {
  const auto* value = find_member(node, key);
  return value ? display_text(*value) : "";
}

std::vector<double> number_array_member(const nlohmann::json& node, const std::string& key) {
  std::vector<double> numbers;
  const auto* array = find_member(node, key);
  if (array == nullptr) return numbers;
  if (!array->is_array())
    throw Error("report: '" + key + "' should be an array of numbers, found " + std::string(array->type_name()));
  numbers.reserve(array->size());
  for (const auto& entry : *array)
    numbers.push_back(read_number(&entry, key).value_or(std::numeric_limits<double>::quiet_NaN()));
  return numbers;
}

std::vector<const nlohmann::json*> array_member(const nlohmann::json& node, const std::string& key) {
  std::vector<const nlohmann::json*> entries;
  const auto* array = find_member(node, key);
  if (array == nullptr) return entries;
  if (!array->is_array())
    throw Error("report: '" + key + "' should be an array, found " + std::string(array->type_name()));
  for (const auto& entry : *array)
    entries.push_back(&entry);
  return entries;
}

std::vector<std::string> object_keys(const nlohmann::json* object) {
  std::vector<std::string> keys;
  if (object == nullptr) return keys;
  if (!object->is_object()) throw Error("report: expected an object, found " + object->dump());
  for (const auto& item : object->items())
    keys.push_back(item.key());
  return keys;
}

std::vector<std::string> report_field_names(const nlohmann::json& report) {
  std::vector<std::string> keys;  // of the one-step per-field results
  if (const auto* one_step = find_member(report, "one_step"))
    for (const char* side : {"baseline", "averaged"})
      if (const auto* results = find_member(*one_step, side))
        for (const auto& name : object_keys(find_member(*results, "per_field")))
          if (std::find(keys.begin(), keys.end(), name) == keys.end()) keys.push_back(name);
  const auto has_key = [&](const std::string& name) { return std::find(keys.begin(), keys.end(), name) != keys.end(); };

  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  if (const auto* dataset = find_member(report, "dataset"))
    for (const auto* field : array_member(*dataset, "fields")) {
      const auto name = text_member(*field, "name");
      if (keys.empty() || has_key(name)) {
        add(name);
        continue;
      }
      for (const auto* channel : array_member(*field, "channels"))
        if (const auto channel_name = display_text(*channel); has_key(channel_name)) add(channel_name);
    }
  std::sort(keys.begin(), keys.end());
  for (const auto& name : keys)
    add(name);
  return names;
}

std::vector<std::string> in_preferred_order(const std::vector<std::string>& names,
                                            const std::vector<std::string>& preferred) {
  std::vector<std::string> ordered;
  for (const auto& name : preferred)
    if (std::find(names.begin(), names.end(), name) != names.end()) ordered.push_back(name);
  for (const auto& name : names)
    if (std::find(ordered.begin(), ordered.end(), name) == ordered.end()) ordered.push_back(name);
  return ordered;
}

const std::vector<std::string>& metric_display_order() {
  static const std::vector<std::string> order = {"VRMSE",
                                                 "VMSE",
                                                 "NRMSE",
                                                 "NMSE",
                                                 "RMSE",
                                                 "MSE",
                                                 "NMAE",
                                                 "MAE",
                                                 "LInfinity",
                                                 "PearsonR",
                                                 "binned_spectral_mse_bin0",
                                                 "binned_spectral_mse_bin1",
                                                 "binned_spectral_mse_bin2",
                                                 "binned_spectral_nmse_bin0",
                                                 "binned_spectral_nmse_bin1",
                                                 "binned_spectral_nmse_bin2",
                                                 "cRMSE",
                                                 "bRMSE",
                                                 "fRMSE_low",
                                                 "fRMSE_mid",
                                                 "fRMSE_high"};
  return order;
}

}  // namespace gavel::report
