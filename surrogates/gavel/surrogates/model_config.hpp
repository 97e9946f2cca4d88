#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gavel::surrogates {

/// A checkpoint's `config.json`: the model's constructor arguments as The Well's
/// `save_pretrained` writes them (e.g. dim_in, dim_out, n_spatial_dims, spatial_resolution,
/// modes1..3, hidden_channels). Typed getters name the file and key in their errors. The file
/// is untrusted: nesting deeper than kJsonMaxDepth is refused before parsing.
class ModelConfig {
 public:
  static ModelConfig read(const std::string& path);
  /// The same from the file's text; `path` names it in errors.
  static ModelConfig parse(const std::string& text, const std::string& path);
  ModelConfig(nlohmann::json values, std::string path) : values_(std::move(values)), path_(std::move(path)) {}

  bool has(const std::string& key) const { return values_.contains(key) && !values_[key].is_null(); }
  std::int64_t integer(const std::string& key) const;
  std::int64_t integer(const std::string& key, std::int64_t fallback) const;
  /// A count or size (channels, modes, dimensions): an integer in [lowest, highest], or
  /// `fallback` when absent (a negative fallback makes the key required). The bounds keep a
  /// hostile value from sizing an allocation; errors name the file, key and range.
  std::int64_t count(const std::string& key, std::int64_t fallback, std::int64_t lowest, std::int64_t highest) const;
  double number(const std::string& key, double fallback) const;
  bool flag(const std::string& key, bool fallback) const;
  std::string text(const std::string& key, const std::string& fallback) const;
  std::vector<std::int64_t> integers(const std::string& key) const;
  const nlohmann::json& json() const { return values_; }
  const std::string& path() const { return path_; }

 private:
  nlohmann::json values_;
  std::string path_;
};

}  // namespace gavel::surrogates
