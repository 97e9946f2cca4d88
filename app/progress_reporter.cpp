#include "progress_reporter.hpp"

#include <unistd.h>

#include <cstdio>

namespace gavel::app {

ProgressReporter::ProgressReporter(bool enabled) : enabled_(enabled), terminal_(isatty(STDERR_FILENO) != 0) {}

void ProgressReporter::update(const std::string& phase, std::int64_t done, std::int64_t total) {
  if (!enabled_ || total <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (phase != phase_) {
    phase_ = phase;
    start_ = now;
    last_decile_ = -1;
  }
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  if (terminal_) {
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r  %-9s [%-*.*s] %3d%%  %lld/%lld  ETA %5.1fs", phase.c_str(), width, filled,
                 "##############################", static_cast<int>(fraction * 100), static_cast<long long>(done),
                 static_cast<long long>(total), eta);
    if (done >= total) std::fprintf(stderr, "  (%.1fs)\n", elapsed);
    std::fflush(stderr);
    return;
  }
  const int decile = static_cast<int>(fraction * 10);
  if (decile == last_decile_) return;
  last_decile_ = decile;
  std::fprintf(stderr, "  %s: %lld/%lld (%d%%), %.1fs elapsed, ETA %.1fs\n", phase.c_str(),
               static_cast<long long>(done), static_cast<long long>(total), static_cast<int>(fraction * 100), elapsed,
               eta);
}

}  // namespace gavel::app
