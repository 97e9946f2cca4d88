#include "gavel/core/field_layout.hpp"

#include <algorithm>
#include <cctype>

#include "gavel/core/error.hpp"

namespace gavel {
namespace {

constexpr char kAxisLetters[] = {'x', 'y', 'z'};

int fields_channels(const std::vector<FieldSpec>& fields, int ndim) {
  int n = 0;
  for (const auto& f : fields)
    n += f.num_components(ndim);
  return n;
}

/// Appends the signed channel permutation of one field whose first channel is `base`.
void append_field_map(const FieldSpec& field, const GroupElement& g, int base, ChannelMap& map) {
  const int d = g.ndim();
  const int parity = field.pseudo ? g.determinant() : 1;
  switch (field.kind) {
    case FieldKind::scalar:
      map.source.push_back(base);
      map.sign.push_back(parity);
      break;
    case FieldKind::vector:
      for (int k = 0; k < d; ++k) {
        map.source.push_back(base + g.source_axis(k));
        map.sign.push_back(parity * g.sign(k));
      }
      break;
    case FieldKind::tensor:
      for (int k = 0; k < d; ++k)
        for (int l = 0; l < d; ++l) {
          map.source.push_back(base + g.source_axis(k) * d + g.source_axis(l));
          map.sign.push_back(parity * g.sign(k) * g.sign(l));
        }
      break;
  }
}

void append_names(const FieldSpec& field, int ndim, const std::string& suffix, std::vector<std::string>& names) {
  switch (field.kind) {
    case FieldKind::scalar:
      names.push_back(field.name + suffix);
      break;
    case FieldKind::vector:
      for (int k = 0; k < ndim; ++k)
        names.push_back(field.name + "_" + kAxisLetters[k] + suffix);
      break;
    case FieldKind::tensor:
      for (int k = 0; k < ndim; ++k)
        for (int l = 0; l < ndim; ++l)
          names.push_back(field.name + "_" + kAxisLetters[k] + kAxisLetters[l] + suffix);
      break;
  }
}

}  // namespace

std::string to_string(FieldKind kind) {
  switch (kind) {
    case FieldKind::scalar:
      return "scalar";
    case FieldKind::vector:
      return "vector";
    case FieldKind::tensor:
      return "tensor";
  }
  return "unknown";
}

FieldKind parse_field_kind(const std::string& word) {
  std::string w = word;
  std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (w == "scalar" || w == "t0") return FieldKind::scalar;
  if (w == "vector" || w == "t1") return FieldKind::vector;
  if (w == "tensor" || w == "t2") return FieldKind::tensor;
  throw Error("unknown field kind '" + word + "' (expected scalar, vector, tensor, t0, t1 or t2)");
}

int FieldSpec::num_components(int ndim) const {
  switch (kind) {
    case FieldKind::scalar:
      return 1;
    case FieldKind::vector:
      return ndim;
    case FieldKind::tensor:
      return ndim * ndim;
  }
  return 1;
}

ChannelLayout::ChannelLayout(int ndim, std::vector<FieldSpec> fields, int time_steps,
                             std::vector<FieldSpec> constant_fields)
    : ndim_(ndim), fields_(std::move(fields)), time_steps_(time_steps), constant_fields_(std::move(constant_fields)) {
  if (ndim < 1 || ndim > kMaxSpatialDims)
    throw Error("channel layout: " + std::to_string(ndim) + " dimensions, 1 to 3 supported");
  if (time_steps < 1) throw Error("channel layout: " + std::to_string(time_steps) + " time steps, at least 1 needed");
  num_channels_ = time_steps_ * fields_channels(fields_, ndim_) + fields_channels(constant_fields_, ndim_);
  if (num_channels_ == 0) throw Error("channel layout: no fields");
}

std::vector<std::string> ChannelLayout::channel_names() const {
  std::vector<std::string> names;
  for (int t = 0; t < time_steps_; ++t) {
    const std::string suffix = time_steps_ > 1 ? "_t" + std::to_string(t) : "";
    for (const auto& f : fields_)
      append_names(f, ndim_, suffix, names);
  }
  for (const auto& f : constant_fields_)
    append_names(f, ndim_, "", names);
  return names;
}

ChannelMap ChannelLayout::channel_map(const GroupElement& g) const {
  if (g.ndim() != ndim_)
    throw Error("channel layout: a " + std::to_string(g.ndim()) + "-D element acting on " + std::to_string(ndim_) +
                "-D fields");
  ChannelMap map;
  int base = 0;
  for (int t = 0; t < time_steps_; ++t)
    for (const auto& f : fields_) {
      append_field_map(f, g, base, map);
      base += f.num_components(ndim_);
    }
  for (const auto& f : constant_fields_) {
    append_field_map(f, g, base, map);
    base += f.num_components(ndim_);
  }
  return map;
}

}  // namespace gavel
