#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "gavel/core/shape_text.hpp"
#include "gavel/surrogates/safetensors.hpp"

namespace gavel::surrogates {

/// Hands a model its tensors by name and shape, and keeps the books: a missing, extra or
/// mis-shaped tensor is collected instead of thrown at once, so `finish()` can name every
/// problem of a checkpoint in one message.
class Weights {
 public:
  explicit Weights(const SafetensorsFile& file) : file_(file) {}

  /// The tensor `name` as float32 if it exists with exactly `shape`; otherwise records the
  /// problem and returns zeros of that shape (finish() then throws). Zeros beyond the
  /// checkpoint's own size in all, or a shape whose size overflows, throw at once instead.
  std::vector<float> take(const std::string& name, const std::vector<std::int64_t>& shape);
  bool contains(const std::string& name) const { return file_.find(name) != nullptr; }
  /// Marks tensors that carry no model parameters (BatchNorm's num_batches_tracked) as used.
  void ignore_suffix(const std::string& suffix);
  /// Throws gavel::Error naming the file and listing missing, mis-shaped and unused tensors.
  void finish() const;

 private:
  std::vector<float> placeholder(const std::string& name, const std::vector<std::int64_t>& shape);
  /// The problems collected so far as one message; empty if none.
  std::string problems() const;
  [[noreturn]] void fail(const std::string& stopped_at) const;

  const SafetensorsFile& file_;
  std::set<std::string> used_;
  std::vector<std::string> missing_;
  std::vector<std::string> misshaped_;
  std::int64_t placeholder_values_ = 0;
};

}  // namespace gavel::surrogates
