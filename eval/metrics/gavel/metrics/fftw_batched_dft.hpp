#pragma once

#include <complex>
#include <cstdint>
#include <vector>

namespace gavel::eval {

/// BatchedDft's host backend: one FFTW plan (fftw_plan_many_dft) for `rows` contiguous rows,
/// made and destroyed under fftw_planner_lock(). Planned with FFTW_ESTIMATE, which leaves the data
/// untouched, on the first buffer given and again whenever a buffer's SIMD alignment differs
/// (fftw_execute_dft requires the planned one).
class FftwBatchedDft {
 public:
  FftwBatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows);
  ~FftwBatchedDft();
  FftwBatchedDft(const FftwBatchedDft&) = delete;
  FftwBatchedDft& operator=(const FftwBatchedDft&) = delete;

  /// Transforms rows × points values at `data` in place (host memory).
  void forward(std::complex<double>* data);

 private:
  void destroy_plan();

  std::vector<int> extents_;
  int rows_ = 0, points_ = 0;
  void* plan_ = nullptr;  ///< fftw_plan, kept opaque so that users need no <fftw3.h>
  int planned_alignment_ = -1;
};

}  // namespace gavel::eval
