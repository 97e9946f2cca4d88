#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gavel::app {

/// Progress of a long command on stderr: a bar with the ETA redrawn in place on a terminal,
/// plain lines at every 10 % otherwise (logs of batch jobs stay readable).
class ProgressReporter {
 public:
  explicit ProgressReporter(bool enabled = true);
  /// Reports `done` of `total` units of `phase` (a new phase restarts the clock).
  void update(const std::string& phase, std::int64_t done, std::int64_t total);

 private:
  bool enabled_, terminal_;
  std::string phase_;
  std::chrono::steady_clock::time_point start_;
  int last_decile_ = -1;
};

}  // namespace gavel::app
