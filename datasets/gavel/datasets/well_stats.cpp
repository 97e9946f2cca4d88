#include "gavel/datasets/well_stats.hpp"

#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "gavel/core/error.hpp"

namespace gavel::datasets {
namespace {

/// The core keys the_well's normalizations read.
const std::vector<std::string> kKnownKeys = {"mean", "std", "rms", "mean_delta", "std_delta", "rms_delta"};

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
      rank = 2;
      for (const auto& x : item)
        values.push_back(number(x, where));
    } else {
      throw Error(where + ": expected numbers or lists of numbers");
    }
  }
  if (rank == 0) rank = 1;
  return values;
}

}  // namespace

WellStats WellStats::read(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw Error(path + ": not valid YAML (" + std::string(e.what()) + ")");
  }
  if (!root.IsMap()) throw Error(path + ": expected a mapping of statistics (mean, std, ...)");
  WellStats stats;
  stats.path_ = path;
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (!entry.second.IsMap()) throw Error(path + ": " + key + ": expected a mapping from field names to values");
    for (const auto& field : entry.second) {
      const std::string name = field.first.as<std::string>();
      int rank = 0;
      stats.entries_[key][name] = flatten(field.second, path + ": " + key + "/" + name, rank);
      stats.ranks_[key][name] = rank;
    }
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
