#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gavel::eval {

/// Lenient reads of a report.json document for the renderers: they show what a report holds and
/// leave out what it lacks (a partial report may stop anywhere), but refuse a value of the wrong type.

/// The member `key` of `node`, or nullptr when `node` is not an object, lacks `key` or holds null there.
const nlohmann::json* find_member(const nlohmann::json& node, const std::string& key);

/// A number: nullopt for absent or null (non-finite values are written as null); a gavel::Error
/// naming `what` for any other type.
std::optional<double> read_number(const nlohmann::json* value, const std::string& what);
std::optional<double> number_member(const nlohmann::json& node, const std::string& key);

/// Text for display: strings as they are, numbers and booleans as JSON writes them, "" when absent
/// or null, arrays of strings joined with ", ".
std::string text_member(const nlohmann::json& node, const std::string& key);

/// The numbers of an array member, null entries as NaN; empty when absent. A gavel::Error when
/// the member is not an array of numbers and nulls.
std::vector<double> number_array_member(const nlohmann::json& node, const std::string& key);

/// The entries of an array member (empty when absent; a gavel::Error when it is not an array).
std::vector<const nlohmann::json*> array_member(const nlohmann::json& node, const std::string& key);

/// The keys of an object member (empty when absent; a gavel::Error when it is not an object).
std::vector<std::string> object_keys(const nlohmann::json* object);

/// Field names in the dataset's order (dataset.fields), then names that only appear in the
/// one-step per-field results, alphabetically.
std::vector<std::string> report_field_names(const nlohmann::json& report);

/// `names` with those listed in `preferred` first, in that order, then the rest as given.
std::vector<std::string> in_preferred_order(const std::vector<std::string>& names,
                                            const std::vector<std::string>& preferred);

/// The metric names in the order the_well lists them, then the spectral and PDEBench ones.
const std::vector<std::string>& metric_display_order();

}  // namespace gavel::eval
