#pragma once

#include <complex>
#include <cstdint>
#include <vector>

namespace gavel::eval {

/// An unnormalized forward complex DFT over a 1–3-D grid, done in place on its own buffer by an
/// FFTW plan made (and destroyed) under fftw_planner_lock(): fill buffer(), call execute(), read
/// buffer(). One object per thread; the plan is freed even when a caller throws.
class InPlaceDft {
 public:
  explicit InPlaceDft(const std::vector<std::int64_t>& shape);
  ~InPlaceDft();
  InPlaceDft(const InPlaceDft&) = delete;
  InPlaceDft& operator=(const InPlaceDft&) = delete;

  std::vector<std::complex<double>>& buffer() { return buffer_; }
  void execute();

 private:
  std::vector<std::complex<double>> buffer_;
  void* plan_ = nullptr;  ///< fftw_plan, kept opaque so that users need no <fftw3.h>
};

}  // namespace gavel::eval
