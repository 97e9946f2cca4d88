#include "gavel/metrics/fftw_batched_dft.hpp"

#include <limits>
#include <mutex>
#include <string>

#include <fftw3.h>

#include "gavel/core/error.hpp"
#include "gavel/metrics/fftw_planner_lock.hpp"

namespace gavel::eval {
namespace {

/// FFTW counts in int.
int fftw_count(std::int64_t value, const char* what) {
  if (value < 1 || value > std::numeric_limits<int>::max())
    throw Error(std::string("FFTW: ") + what + " " + std::to_string(value) + " outside 1 … 2³¹ − 1");
  return static_cast<int>(value);
}

}  // namespace

FftwBatchedDft::FftwBatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows) {
  std::int64_t points = 1;
  for (const auto n : shape) {
    extents_.push_back(fftw_count(n, "axis length"));
    points *= n;
  }
  points_ = fftw_count(points, "points per row");
  rows_ = fftw_count(rows, "rows");
  fftw_count(points * rows, "values");
}

FftwBatchedDft::~FftwBatchedDft() {
  destroy_plan();
}

void FftwBatchedDft::destroy_plan() {
  if (!plan_) return;
  const std::lock_guard<std::mutex> guard(fftw_planner_lock());
  fftw_destroy_plan(static_cast<fftw_plan>(plan_));
  plan_ = nullptr;
}

void FftwBatchedDft::forward(std::complex<double>* data) {
  // std::complex<double> and fftw_complex share their layout (FFTW manual, "Complex numbers").
  auto* values = reinterpret_cast<fftw_complex*>(data);
  const int alignment = fftw_alignment_of(reinterpret_cast<double*>(data));
  if (!plan_ || alignment != planned_alignment_) {
    destroy_plan();
    const std::lock_guard<std::mutex> guard(fftw_planner_lock());
    plan_ = fftw_plan_many_dft(static_cast<int>(extents_.size()), extents_.data(), rows_, values, nullptr, 1, points_,
                               values, nullptr, 1, points_, FFTW_FORWARD, FFTW_ESTIMATE);
    if (!plan_)
      throw Error("FFTW could not plan " + std::to_string(rows_) + " DFTs of " + std::to_string(points_) + " points");
    planned_alignment_ = alignment;
  }
  fftw_execute_dft(static_cast<fftw_plan>(plan_), values, values);
}

}  // namespace gavel::eval
