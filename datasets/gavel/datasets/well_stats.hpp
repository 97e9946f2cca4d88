#pragma once

#include <map>
#include <string>
#include <vector>

#include "gavel/datasets/field_source.hpp"
#include "gavel/datasets/well_file.hpp"

namespace gavel::datasets {

/// A dataset's `stats.yaml`: for each key (`mean`, `std`, `rms`, `mean_delta`, `std_delta`,
/// `rms_delta`) and each field, its per-component values — a scalar, a D-list or a D×D list in
/// the file, kept flattened row-major here.
class WellStats {
 public:
  /// Reads and checks the file's structure; throws gavel::Error naming the file, key and field.
  static WellStats read(const std::string& path);
  /// The same from the file's text; `path` names it in errors. Keys must be names; std, rms and
  /// their _delta forms must be positive and finite, means finite (naming field and component).
  static WellStats parse(const std::string& text, const std::string& path);

  /// The statistics the_well's `compute_statistics` script writes for a training split, from
  /// its files (one FieldSource per file). For every field (t0, t1, t2; constant fields too),
  /// per component: each file's population mean m_f and variance v_f over trajectories, steps
  /// and space, in float64 from the stored float32 values, then combined as a mixture weighted
  /// by value count w_f: mean = Σ w_f m_f, second moment s = Σ w_f (v_f + m_f²),
  /// std = √(s − mean²), rms = √s. The `_delta` keys do the same for the differences of
  /// consecutive steps (time-varying fields of files with at least two steps). Throws
  /// gavel::Error for no files or files whose fields differ.
  static WellStats compute(const std::vector<const FieldSource*>& files);

  /// Writes the statistics as YAML in the_well's layout (keys and fields sorted; a number per
  /// scalar, a list per vector, a list of rows per tensor; 17 significant digits, so values
  /// read back exactly), after a first comment line (kStatsHeader) by which gavel recognises its
  /// own files, through a temporary file renamed into place. An existing `path` is an error
  /// unless `overwrite` and it is a stats.yaml gavel wrote.
  void write(const std::string& path, bool overwrite = false) const;

  const std::string& path() const { return path_; }
  std::vector<std::string> keys() const;
  bool has(const std::string& key, const std::string& field) const;
  /// Throws gavel::Error when absent.
  const std::vector<double>& values(const std::string& key, const std::string& field) const;
  /// 0, 1 or 2: whether the entry is a number, a list or a list of lists (throws when absent).
  int rank(const std::string& key, const std::string& field) const;
  /// Problems between these statistics and the fields of `info` (missing fields, component
  /// counts that do not fit a scalar, vector or tensor of the grid's dimension); empty if none.
  /// Constant fields need no `_delta` entries (the_well computes none for them).
  std::vector<std::string> mismatches(const WellFileInfo& info) const;

 private:
  std::string path_;
  std::map<std::string, std::map<std::string, std::vector<double>>> entries_;
  std::map<std::string, std::map<std::string, int>> ranks_;
};

}  // namespace gavel::datasets
