#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gavel {

/// A shape as error messages print it: "(4,32,32)".
inline std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? "," : "") + std::to_string(shape[i]);
  return text + ")";
}

/// Grid extents as gavel prints grids: "32x32".
inline std::string extents_text(const std::vector<std::int64_t>& extents) {
  std::string text;
  for (std::size_t i = 0; i < extents.size(); ++i)
    text += (i ? "x" : "") + std::to_string(extents[i]);
  return text;
}

}  // namespace gavel
