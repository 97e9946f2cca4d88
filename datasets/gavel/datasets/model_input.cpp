#include "gavel/datasets/model_input.hpp"

#include <algorithm>

namespace gavel::datasets {

void format_channels_first(const WindowedDataset& dataset, const Window& window, ModelInput& out) {
  const std::int64_t points = dataset.points();
  const std::int64_t c = dataset.channels(), cc = dataset.constant_channels();
  const std::int64_t ti = dataset.spec().n_steps_input;
  out.x.resize(static_cast<std::size_t>((ti * c + cc) * points));
  for (std::int64_t t = 0; t < ti; ++t)
    for (std::int64_t p = 0; p < points; ++p)
      for (std::int64_t k = 0; k < c; ++k)
        out.x[static_cast<std::size_t>((t * c + k) * points + p)] =
            window.input[static_cast<std::size_t>((t * points + p) * c + k)];
  for (std::int64_t p = 0; p < points; ++p)
    for (std::int64_t k = 0; k < cc; ++k)
      out.x[static_cast<std::size_t>((ti * c + k) * points + p)] =
          window.constants[static_cast<std::size_t>(p * cc + k)];
  out.y = window.output;
  out.replaced_in_x = replace_non_finite(out.x.data(), static_cast<std::int64_t>(out.x.size()));
  out.replaced_in_y = replace_non_finite(out.y.data(), static_cast<std::int64_t>(out.y.size()));
}

}  // namespace gavel::datasets
