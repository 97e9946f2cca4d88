#pragma once
// Pieces the two U-Nets share: the probe that exposes intermediate layers, config and size checks.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"
#include "gavel/surrogates/model_config.hpp"

namespace gavel::surrogates {

/// Called after each named stage of a forward pass with its output (in the model's memory
/// space), named like the PyTorch module that produces it ("encoder1", "upconv4", "neck", …).
/// For tests and debugging; the forward pass waits for each call.
using LayerProbe = std::function<void(const std::string& name, const layers::ConstTensor& value)>;

namespace detail {

/// A positive integer from config.json (with a fallback when absent), range-checked.
inline std::int64_t config_count(const ModelConfig& config, const std::string& key, std::int64_t fallback,
                                 std::int64_t lowest, std::int64_t highest) {
  return config.count(key, fallback, lowest, highest);
}

/// Every spatial extent must be a positive multiple of 2^depth: each of the `depth` halvings
/// must be exact for the up-sampled maps to meet their skip connections again.
inline void check_unet_space(const std::string& model, const std::vector<std::int64_t>& space, int ndim, int depth) {
  auto text = [&] {
    std::string s;
    for (std::size_t k = 0; k < space.size(); ++k)
      s += (k ? "x" : "") + std::to_string(space[k]);
    return s;
  };
  if (static_cast<int>(space.size()) != ndim)
    throw Error(model + ": input has " + std::to_string(space.size()) + " spatial axes (" + text() + "), the model " +
                std::to_string(ndim));
  const std::int64_t multiple = std::int64_t{1} << depth;
  for (auto n : space)
    if (n < 1 || n % multiple != 0)
      throw Error(model + ": spatial size " + text() + " does not suit its " + std::to_string(depth) +
                  " down-sampling steps: every extent must be a positive multiple of " + std::to_string(multiple) +
                  " (" + std::to_string(n) + " is not)");
}

/// The flat input and output Views must hold batch · channels · points values.
inline void check_unet_views(const std::string& model, std::size_t in_size, std::size_t out_size,
                             std::int64_t in_values, std::int64_t out_values) {
  if (static_cast<std::int64_t>(in_size) < in_values)
    throw Error(model + ": input holds " + std::to_string(in_size) + " values, the batch needs " +
                std::to_string(in_values));
  if (static_cast<std::int64_t>(out_size) < out_values)
    throw Error(model + ": output holds " + std::to_string(out_size) + " values, the batch needs " +
                std::to_string(out_values));
}

/// Extents (padded to 3-D) after `level` halvings of every spatial axis.
inline std::array<std::int64_t, 3> level_extent(const std::vector<std::int64_t>& space, int level) {
  auto e = layers::padded_extent(space);
  for (std::size_t a = 3 - space.size(); a < 3; ++a)
    e[a] >>= level;
  return e;
}

inline std::int64_t points_of(const std::array<std::int64_t, 3>& e) {
  return e[0] * e[1] * e[2];
}

}  // namespace detail
}  // namespace gavel::surrogates
