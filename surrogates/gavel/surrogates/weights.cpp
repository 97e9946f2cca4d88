#include "gavel/surrogates/weights.hpp"

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"

namespace gavel::surrogates {

std::vector<float> Weights::take(const std::string& name, const std::vector<std::int64_t>& shape) {
  const TensorEntry* entry = file_.find(name);
  if (entry) used_.insert(name);
  if (entry && entry->shape == shape) return file_.read(name);
  if (entry)
    misshaped_.push_back(name + " is " + shape_text(entry->shape) + ", expected " + shape_text(shape));
  else
    missing_.push_back(name + " " + shape_text(shape));
  return placeholder(name, shape);
}

std::vector<float> Weights::placeholder(const std::string& name, const std::vector<std::int64_t>& shape) {
  // The expected shape comes from config.json, so it may be hostile: the zeros that stand in for
  // a missing or mis-shaped tensor (to go on collecting problems) together stay within the
  // checkpoint's own size (plus 2^20 values); past that, or when the shape overflows, the
  // problems so far are reported at once.
  std::int64_t n = 0;
  try {
    n = checked_product(shape, "the shape config.json implies for tensor '" + name + "'");
  } catch (const Error& e) {
    fail(e.what());
  }
  std::int64_t budget = std::int64_t{1} << 20;
  for (const auto& t : file_.tensors())
    budget = checked_add(budget, t.elements(), file_.path());
  if (n > budget - placeholder_values_)
    fail("tensor '" + name + "' would need " + std::to_string(n) + " values " + shape_text(shape) +
         ", more than the whole checkpoint holds (config.json does not fit these weights)");
  placeholder_values_ += n;
  return std::vector<float>(static_cast<std::size_t>(n), 0.0f);
}

void Weights::ignore_suffix(const std::string& suffix) {
  for (const auto& t : file_.tensors())
    if (t.name.size() >= suffix.size() && t.name.compare(t.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      used_.insert(t.name);
}

void Weights::finish() const {
  const std::string message = problems();
  if (!message.empty()) throw Error(message);
}

void Weights::fail(const std::string& stopped_at) const {
  std::string message = problems();
  if (message.empty()) message = file_.path() + ": the tensors do not fit the model";
  throw Error(message + "\n  stopped checking: " + stopped_at);
}

std::string Weights::problems() const {
  std::vector<std::string> extra;
  for (const auto& t : file_.tensors())
    if (!used_.count(t.name)) extra.push_back(t.name + " " + shape_text(t.shape));
  if (missing_.empty() && misshaped_.empty() && extra.empty()) return "";
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
  return message;
}

}  // namespace gavel::surrogates
