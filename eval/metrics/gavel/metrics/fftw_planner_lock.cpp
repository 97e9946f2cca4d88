#include "gavel/metrics/fftw_planner_lock.hpp"

namespace gavel::eval {

std::mutex& fftw_planner_lock() {
  static std::mutex lock;
  return lock;
}

}  // namespace gavel::eval
