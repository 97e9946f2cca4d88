#include "gavel/eval/evaluation_setup.hpp"

#include <cmath>
#include <limits>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"

namespace gavel::eval {

std::vector<EvaluationSetup::FieldChannels> EvaluationSetup::output_fields() const {
  std::vector<FieldChannels> out;
  std::int64_t channel = 0;
  for (const auto& field : output.fields()) {
    const std::int64_t count = field.num_components(output.ndim());
    out.push_back({field.name, channel, count});
    channel += count;
  }
  return out;
}

void EvaluationSetup::check() const {
  if (elements.empty() || !elements.front().is_identity())
    throw Error("evaluation: the group's element list must start with the identity");
  for (const auto& s : subgroups)
    for (const auto e : s.elements)
      if (e >= elements.size()) throw Error("evaluation: subgroup " + s.name + " names an element outside the group");
}

void check_model_fits(const datasets::WindowedDataset& windows, int model_dims, int in_channels, int out_channels) {
  // Dimensions first: a model of the wrong dimension mismatches in channels too, but that is not the news.
  if (model_dims != windows.info().ndim())
    throw Error("a " + std::to_string(model_dims) + "-D model on " + std::to_string(windows.info().ndim()) + "-D data");
  const int ti = windows.spec().n_steps_input;
  const std::int64_t c = windows.channels(), cc = windows.constant_channels();
  if (in_channels != ti * c + cc || out_channels != c)
    throw Error("model takes " + std::to_string(in_channels) + " channels and predicts " +
                std::to_string(out_channels) + ", the data gives " + std::to_string(ti) + " steps × " +
                std::to_string(c) + " + " + std::to_string(cc) + " constant channels = " + std::to_string(ti * c + cc) +
                " and has " + std::to_string(c) + " time-varying channels");
}

double relative_l2(const float* a, const float* b, std::int64_t first, std::int64_t count, std::int64_t points) {
  double num = 0, den = 0;
  for (std::int64_t i = first * points; i < (first + count) * points; ++i) {
    const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
    num += d * d;
    den += static_cast<double>(b[i]) * static_cast<double>(b[i]);
  }
  if (std::isnan(num) || std::isnan(den)) return std::numeric_limits<double>::quiet_NaN();
  if (den > 0) return std::sqrt(num / den);
  return num > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace gavel::eval
