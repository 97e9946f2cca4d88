#pragma once

#include <stdexcept>
#include <string>

namespace gavel {

/// The one exception type gavel throws for bad input: its message names the object and the
/// problem, so the command-line program can print it as is and exit non-zero.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace gavel
