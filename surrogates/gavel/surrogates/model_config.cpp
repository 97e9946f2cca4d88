#include "gavel/surrogates/model_config.hpp"

#include <fstream>

#include "gavel/core/error.hpp"

namespace gavel::surrogates {

ModelConfig ModelConfig::read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  nlohmann::json values;
  try {
    values = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  if (!values.is_object()) throw Error(path + ": expected a JSON object of model arguments");
  return ModelConfig(std::move(values), path);
}

std::int64_t ModelConfig::integer(const std::string& key) const {
  if (!has(key)) throw Error(path_ + ": key '" + key + "' is missing");
  const auto& v = values_[key];
  if (!v.is_number_integer()) throw Error(path_ + ": key '" + key + "' is not an integer: " + v.dump());
  return v.get<std::int64_t>();
}

std::int64_t ModelConfig::integer(const std::string& key, std::int64_t fallback) const {
  return has(key) ? integer(key) : fallback;
}

double ModelConfig::number(const std::string& key, double fallback) const {
  if (!has(key)) return fallback;
  const auto& v = values_[key];
  if (!v.is_number()) throw Error(path_ + ": key '" + key + "' is not a number: " + v.dump());
  return v.get<double>();
}

bool ModelConfig::flag(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& v = values_[key];
  if (!v.is_boolean()) throw Error(path_ + ": key '" + key + "' is not true/false: " + v.dump());
  return v.get<bool>();
}

std::string ModelConfig::text(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const auto& v = values_[key];
  if (!v.is_string()) throw Error(path_ + ": key '" + key + "' is not a string: " + v.dump());
  return v.get<std::string>();
}

std::vector<std::int64_t> ModelConfig::integers(const std::string& key) const {
  if (!has(key)) throw Error(path_ + ": key '" + key + "' is missing");
  const auto& v = values_[key];
  if (!v.is_array()) throw Error(path_ + ": key '" + key + "' is not a list: " + v.dump());
  std::vector<std::int64_t> out;
  for (const auto& e : v) {
    if (!e.is_number_integer()) throw Error(path_ + ": key '" + key + "' holds a non-integer: " + e.dump());
    out.push_back(e.get<std::int64_t>());
  }
  return out;
}

}  // namespace gavel::surrogates
