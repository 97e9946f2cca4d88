#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gavel::report {

/// Lenient reads of a report.json document for the renderers: they show what a report holds and
/// leave out what it lacks (a partial report may stop anywhere), but refuse a value of the wrong type.

/// The member `key` of `node`, or nullptr when `node` is not an object, lacks `key` or holds null there.
const nlohmann::json* find_member(const nlohmann::json& node, const std::string& key);

/// The member `key` of `node`, or an empty object when find_member finds none: chains of lookups
/// into parts a partial report lacks stay valid.
const nlohmann::json& member_or_empty(const nlohmann::json& node, const std::string& key);

/// A number: nullopt for absent or null (non-finite values are written as null); a gavel::Error
/// naming `what` for any other type.
std::optional<double> read_number(const nlohmann::json* value, const std::string& what);
std::optional<double> number_member(const nlohmann::json& node, const std::string& key);

/// Text for display: strings as they are, numbers and booleans as JSON writes them, "" for null,
/// arrays joined with ", " (arrays inside arrays with "/": [["periodic","periodic"]] → "periodic/periodic").
std::string display_text(const nlohmann::json& value);
/// display_text of a member, "" when absent.
std::string text_member(const nlohmann::json& node, const std::string& key);

/// The numbers of an array member, null entries as NaN; empty when absent. A gavel::Error when
/// the member is not an array of numbers and nulls.
std::vector<double> number_array_member(const nlohmann::json& node, const std::string& key);

/// The entries of an array member (empty when absent; a gavel::Error when it is not an array).
std::vector<const nlohmann::json*> array_member(const nlohmann::json& node, const std::string& key);

/// The keys of an object member (empty when absent; a gavel::Error when it is not an object).
std::vector<std::string> object_keys(const nlohmann::json* object);

/// The names the per-field results of a report are keyed by, in the dataset's order: a field's
/// name where the one-step results hold it, else those of its channels they hold (gavel eval keys
/// them by channel: velocity_x, velocity_y), then any other keys of those results. Without one-step
/// per-field results: the dataset's field names.
std::vector<std::string> report_field_names(const nlohmann::json& report);

/// `names` with those listed in `preferred` first, in that order, then the rest as given.
std::vector<std::string> in_preferred_order(const std::vector<std::string>& names,
                                            const std::vector<std::string>& preferred);

/// The metric names in the order the_well lists them, then the spectral and PDEBench ones.
const std::vector<std::string>& metric_display_order();

}  // namespace gavel::report
