#include "gavel/metrics/in_place_dft.hpp"

#include <mutex>

#include <fftw3.h>

#include "gavel/core/error.hpp"
#include "gavel/metrics/fftw_planner_lock.hpp"

namespace gavel::eval {

InPlaceDft::InPlaceDft(const std::vector<std::int64_t>& shape) {
  std::int64_t points = 1;
  for (const auto n : shape)
    points *= n;
  buffer_.resize(static_cast<std::size_t>(points));
  auto* data = reinterpret_cast<fftw_complex*>(buffer_.data());
  const std::vector<int> n(shape.begin(), shape.end());
  const std::lock_guard<std::mutex> guard(fftw_planner_lock());
  plan_ = fftw_plan_dft(static_cast<int>(n.size()), n.data(), data, data, FFTW_FORWARD, FFTW_ESTIMATE);
  if (!plan_) throw Error("FFTW could not plan a DFT of " + std::to_string(points) + " points");
}

InPlaceDft::~InPlaceDft() {
  const std::lock_guard<std::mutex> guard(fftw_planner_lock());
  fftw_destroy_plan(static_cast<fftw_plan>(plan_));
}

void InPlaceDft::execute() {
  fftw_execute(static_cast<fftw_plan>(plan_));
}

}  // namespace gavel::eval
