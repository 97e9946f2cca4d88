#include "gavel/datasets/channel_statistics.hpp"

#include <algorithm>

#include "gavel/core/error.hpp"

namespace gavel::datasets {

NormalizationKind parse_normalization_kind(const std::string& word) {
  if (word == "zscore") return NormalizationKind::zscore;
  if (word == "rms") return NormalizationKind::rms;
  throw Error("unknown normalization '" + word + "' (expected zscore or rms)");
}

std::string to_string(NormalizationKind kind) {
  return kind == NormalizationKind::zscore ? "zscore" : "rms";
}

namespace {

std::size_t components(const WellFileInfo& info, const WellField& field) {
  std::size_t n = 1;
  for (int k = 0; k < field.order; ++k)
    n *= static_cast<std::size_t>(info.ndim());
  return n;
}

/// The values of `key` for `field`, checked; `fallback` fills a missing entry when given.
std::vector<double> entry(const WellStats& stats, const WellFileInfo& info, const std::string& key,
                          const WellField& field, const double* fallback) {
  const std::size_t n = components(info, field);
  if (!stats.has(key, field.name)) {
    if (fallback) return std::vector<double>(n, *fallback);
    throw Error(stats.path() + ": " + key + "/" + field.name + " is missing");
  }
  const auto& values = stats.values(key, field.name);
  if (values.size() != n)
    throw Error(stats.path() + ": " + key + "/" + field.name + " has " + std::to_string(values.size()) +
                " values, the field has " + std::to_string(n) + " components");
  return values;
}

void append(ChannelAffine& out, const std::vector<double>& shift, const std::vector<double>& scale, double floor) {
  for (std::size_t i = 0; i < scale.size(); ++i) {
    out.shift.push_back(static_cast<float>(shift[i]));
    out.scale.push_back(std::max(static_cast<float>(scale[i]), static_cast<float>(floor)));
  }
}

}  // namespace

WellNormalization well_normalization(const WellStats& stats, const WellFileInfo& info, NormalizationKind kind,
                                     double min_denominator) {
  WellNormalization out;
  out.kind = kind;
  const bool zscore = kind == NormalizationKind::zscore;
  const std::string scale_key = zscore ? "std" : "rms";
  const double epsilon = min_denominator;
  for (const auto& field : info.fields) {
    const std::size_t n = components(info, field);
    const std::vector<double> zeros(n, 0.0);
    const auto shift = zscore ? entry(stats, info, "mean", field, nullptr) : zeros;
    const auto scale = entry(stats, info, scale_key, field, nullptr);
    append(field.time_varying ? out.variable : out.constant, shift, scale, min_denominator);
    if (!field.time_varying) continue;
    const auto delta_shift = zscore ? entry(stats, info, "mean_delta", field, &epsilon) : zeros;
    const auto delta_scale = entry(stats, info, scale_key + "_delta", field, &epsilon);
    append(out.delta, delta_shift, delta_scale, min_denominator);
  }
  return out;
}

}  // namespace gavel::datasets
