#include "gavel/surrogates/weights.hpp"

#include "gavel/core/error.hpp"

namespace gavel::surrogates {

std::vector<float> Weights::take(const std::string& name, const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (auto e : shape)
    n *= e;
  const TensorEntry* entry = file_.find(name);
  if (!entry) {
    missing_.push_back(name + " " + shape_text(shape));
    return std::vector<float>(static_cast<std::size_t>(n), 0.0f);
  }
  used_.insert(name);
  if (entry->shape != shape) {
    misshaped_.push_back(name + " is " + shape_text(entry->shape) + ", expected " + shape_text(shape));
    return std::vector<float>(static_cast<std::size_t>(n), 0.0f);
  }
  return file_.read(name);
}

void Weights::ignore_suffix(const std::string& suffix) {
  for (const auto& t : file_.tensors())
    if (t.name.size() >= suffix.size() && t.name.compare(t.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      used_.insert(t.name);
}

void Weights::finish() const {
  std::vector<std::string> extra;
  for (const auto& t : file_.tensors())
    if (!used_.count(t.name)) extra.push_back(t.name + " " + shape_text(t.shape));
  if (missing_.empty() && misshaped_.empty() && extra.empty()) return;
  std::string message = file_.path() + ": the tensors do not fit the model";
  auto list = [&](const char* title, const std::vector<std::string>& names) {
    if (names.empty()) return;
    message += std::string("\n  ") + title + ":";
    for (const auto& n : names)
      message += "\n    " + n;
  };
  list("missing", missing_);
  list("wrong shape", misshaped_);
  list("unexpected", extra);
  throw Error(message);
}

}  // namespace gavel::surrogates
