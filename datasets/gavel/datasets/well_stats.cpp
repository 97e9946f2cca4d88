#include "gavel/datasets/well_stats.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "gavel/core/error.hpp"

namespace gavel::datasets {
namespace {

/// The core keys the_well's normalizations read.
const std::vector<std::string> kKnownKeys = {"mean", "std", "rms", "mean_delta", "std_delta", "rms_delta"};

/// Keys whose values divide: zero, negative or non-finite components would normalize to Inf/NaN.
bool is_scale_key(const std::string& key) {
  return key == "std" || key == "rms" || key == "std_delta" || key == "rms_delta";
}

/// A field has at most 3×3 components; longer lists are refused before they are flattened (an
/// alias-expanded list of lists could otherwise hold billions of values).
constexpr std::size_t kMaxValuesPerEntry = 1024;

double number(const YAML::Node& node, const std::string& where) {
  try {
    return node.as<double>();
  } catch (const YAML::Exception&) {
    throw Error(where + ": '" + YAML::Dump(node) + "' is not a number");
  }
}

/// Scalar, list or list of equal-length lists, flattened row-major; `rank` gets 0, 1 or 2.
std::vector<double> flatten(const YAML::Node& node, const std::string& where, int& rank) {
  rank = 0;
  if (node.IsScalar()) return {number(node, where)};
  if (!node.IsSequence() || node.size() == 0) throw Error(where + ": expected a number, a list or a list of lists");
  if (node.size() > kMaxValuesPerEntry)
    throw Error(where + ": " + std::to_string(node.size()) + " entries, at most " + std::to_string(kMaxValuesPerEntry) +
                " expected");
  std::vector<double> values;
  std::size_t row_length = 0;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    if (item.IsScalar()) {
      if (row_length != 0) throw Error(where + ": mixes numbers and lists");
      values.push_back(number(item, where));
    } else if (item.IsSequence()) {
      if (i > 0 && (row_length == 0 || item.size() != row_length)) throw Error(where + ": rows of different lengths");
      row_length = item.size();
      if (values.size() + row_length > kMaxValuesPerEntry)
        throw Error(where + ": more than " + std::to_string(kMaxValuesPerEntry) + " values");
      rank = 2;
      for (const auto& x : item) {
        if (!x.IsScalar()) throw Error(where + ": expected numbers in each row");
        values.push_back(number(x, where));
      }
    } else {
      throw Error(where + ": expected numbers or lists of numbers");
    }
  }
  if (rank == 0) rank = 1;
  return values;
}

/// A mapping key as text; keys that are lists, mappings or null are refused (yaml-cpp would
/// throw a bare "bad conversion").
std::string key_text(const YAML::Node& key, const std::string& where) {
  if (!key.IsScalar()) {
    const char* kind = key.IsSequence() ? "a list" : key.IsMap() ? "a mapping" : "empty";
    throw Error(where + ": a key is " + kind + " (line " + std::to_string(key.Mark().line + 1) +
                "); keys must be names");
  }
  return key.Scalar();
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

/// Finite values everywhere; positive ones for the scales, naming the component.
void check_values(const std::string& key, const std::vector<double>& values, const std::string& where) {
  for (std::size_t c = 0; c < values.size(); ++c) {
    const double v = values[c];
    const std::string component = values.size() > 1 ? " component " + std::to_string(c) : "";
    if (!std::isfinite(v)) throw Error(where + component + ": " + number_text(v) + " is not finite");
    if (is_scale_key(key) && v <= 0)
      throw Error(where + component + ": " + key + " " + number_text(v) + " is not positive (a scale must be > 0)");
  }
}

}  // namespace

WellStats WellStats::read(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw Error(path + ": cannot read");
  return parse(text, path);
}

WellStats WellStats::parse(const std::string& text, const std::string& path) {
  WellStats stats;
  stats.path_ = path;
  // yaml-cpp (0.7) limits nesting itself: DeepRecursion past 2000 levels, before any deep tree
  // exists to walk or destroy.
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) throw Error(path + ": expected a mapping of statistics (mean, std, ...)");
    for (const auto& entry : root) {
      const std::string key = key_text(entry.first, path);
      if (!entry.second.IsMap()) throw Error(path + ": " + key + ": expected a mapping from field names to values");
      for (const auto& field : entry.second) {
        const std::string name = key_text(field.first, path + ": " + key);
        const std::string where = path + ": " + key + "/" + name;
        int rank = 0;
        std::vector<double> values = flatten(field.second, where, rank);
        check_values(key, values, where);
        stats.entries_[key][name] = std::move(values);
        stats.ranks_[key][name] = rank;
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    throw Error(path + ": YAML nested deeper than yaml-cpp's limit of 2000 levels (line " +
                std::to_string(e.mark.line + 1) + "); a stats file is three levels deep");
  } catch (const YAML::Exception& e) {
    throw Error(path + ": not valid YAML (" + std::string(e.what()) + ")");
  }
  for (const auto& key : {"mean", "std"})
    if (!stats.entries_.count(key)) throw Error(path + ": key '" + std::string(key) + "' is missing");
  return stats;
}

std::vector<std::string> WellStats::keys() const {
  std::vector<std::string> keys;
  for (const auto& entry : entries_)
    keys.push_back(entry.first);
  return keys;
}

bool WellStats::has(const std::string& key, const std::string& field) const {
  const auto it = entries_.find(key);
  return it != entries_.end() && it->second.count(field) > 0;
}

const std::vector<double>& WellStats::values(const std::string& key, const std::string& field) const {
  if (!has(key, field)) throw Error(path_ + ": no '" + key + "' statistics for field '" + field + "'");
  return entries_.at(key).at(field);
}

int WellStats::rank(const std::string& key, const std::string& field) const {
  if (!has(key, field)) throw Error(path_ + ": no '" + key + "' statistics for field '" + field + "'");
  return ranks_.at(key).at(field);
}

std::vector<std::string> WellStats::mismatches(const WellFileInfo& info) const {
  std::vector<std::string> problems;
  for (const auto& key : kKnownKeys) {
    if (!entries_.count(key)) continue;
    const bool delta = key.size() > 6 && key.compare(key.size() - 6, 6, "_delta") == 0;
    for (const auto& field : info.fields) {
      // the_well computes step differences of time-varying fields only (its normalizations give
      // constant fields a fixed delta scale), so their absence is expected.
      if (delta && !field.time_varying && !has(key, field.name)) continue;
      const auto expected = static_cast<std::size_t>(field.spec().num_components(info.ndim()));
      if (!has(key, field.name)) {
        problems.push_back(key + ": no entry for field '" + field.name + "'");
      } else if (values(key, field.name).size() != expected) {
        problems.push_back(key + "/" + field.name + ": " + std::to_string(values(key, field.name).size()) +
                           " values for a " + to_string(field.kind()) + " with " + std::to_string(expected) +
                           " components");
      }
    }
  }
  return problems;
}

}  // namespace gavel::datasets
