#pragma once

#include <map>
#include <string>
#include <vector>

#include "gavel/datasets/well_file.hpp"

namespace gavel::datasets {

/// A dataset's `stats.yaml`: for each key (`mean`, `std`, `rms`, `mean_delta`, `std_delta`,
/// `rms_delta`) and each field, its per-component values — a scalar, a D-list or a D×D list in
/// the file, kept flattened row-major here.
class WellStats {
 public:
  /// Reads and checks the file's structure; throws gavel::Error naming the file, key and field.
  static WellStats read(const std::string& path);

  const std::string& path() const { return path_; }
  std::vector<std::string> keys() const;
  bool has(const std::string& key, const std::string& field) const;
  /// Throws gavel::Error when absent.
  const std::vector<double>& values(const std::string& key, const std::string& field) const;
  /// Problems between these statistics and the fields of `info` (missing fields, component
  /// counts that do not fit a scalar, vector or tensor of the grid's dimension); empty if none.
  std::vector<std::string> mismatches(const WellFileInfo& info) const;

 private:
  std::string path_;
  std::map<std::string, std::map<std::string, std::vector<double>>> entries_;
};

}  // namespace gavel::datasets
