#include "gavel/surrogates/model_config.hpp"

#include <fstream>
#include <iterator>
#include <limits>

#include "gavel/core/error.hpp"
#include "gavel/core/json_input.hpp"

namespace gavel::surrogates {

ModelConfig ModelConfig::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path + ": cannot read");
  return parse(text, path);
}

ModelConfig ModelConfig::parse(const std::string& text, const std::string& path) {
  nlohmann::json values = parse_json_input(text, path);
  if (!values.is_object()) throw Error(path + ": expected a JSON object of model arguments");
  return ModelConfig(std::move(values), path);
}

std::int64_t ModelConfig::integer(const std::string& key) const {
  if (!has(key)) throw Error(path_ + ": key '" + key + "' is missing");
  const auto& v = values_[key];
  if (!v.is_number_integer()) throw Error(path_ + ": key '" + key + "' is not an integer: " + json_excerpt(v));
  // nlohmann keeps integers above int64's range as unsigned; get<int64_t> would wrap them.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})
    throw Error(path_ + ": key '" + key + "' is " + v.dump() + ", too large");
  return v.get<std::int64_t>();
}

std::int64_t ModelConfig::count(const std::string& key, std::int64_t fallback, std::int64_t lowest,
                                std::int64_t highest) const {
  const std::int64_t v = fallback < 0 ? integer(key) : integer(key, fallback);
  if (v < lowest || v > highest)
    throw Error(path_ + ": '" + key + "' is " + std::to_string(v) + ", expected " + std::to_string(lowest) + " to " +
                std::to_string(highest));
  return v;
}

std::int64_t ModelConfig::integer(const std::string& key, std::int64_t fallback) const {
  return has(key) ? integer(key) : fallback;
}

double ModelConfig::number(const std::string& key, double fallback) const {
  if (!has(key)) return fallback;
  const auto& v = values_[key];
  if (!v.is_number()) throw Error(path_ + ": key '" + key + "' is not a number: " + json_excerpt(v));
  return v.get<double>();
}

bool ModelConfig::flag(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& v = values_[key];
  if (!v.is_boolean()) throw Error(path_ + ": key '" + key + "' is not true/false: " + json_excerpt(v));
  return v.get<bool>();
}

std::string ModelConfig::text(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const auto& v = values_[key];
  if (!v.is_string()) throw Error(path_ + ": key '" + key + "' is not a string: " + json_excerpt(v));
  return v.get<std::string>();
}

std::vector<std::int64_t> ModelConfig::integers(const std::string& key) const {
  if (!has(key)) throw Error(path_ + ": key '" + key + "' is missing");
  const auto& v = values_[key];
  if (!v.is_array()) throw Error(path_ + ": key '" + key + "' is not a list: " + json_excerpt(v));
  std::vector<std::int64_t> out;
  for (const auto& e : v) {
    if (!e.is_number_integer()) throw Error(path_ + ": key '" + key + "' holds a non-integer: " + json_excerpt(e));
    if (e.is_number_unsigned() && e.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})
      throw Error(path_ + ": key '" + key + "' holds " + e.dump() + ", too large");
    out.push_back(e.get<std::int64_t>());
  }
  return out;
}

}  // namespace gavel::surrogates
