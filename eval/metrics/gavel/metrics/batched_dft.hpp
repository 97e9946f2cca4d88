#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <Kokkos_Complex.hpp>
#include <Kokkos_Core.hpp>

namespace gavel::eval {

/// Which implementation a BatchedDft runs. `automatic` picks from the execution space at compile
/// time: FFTW where its memory is host-accessible, cuFFT on Kokkos::Cuda, the portable kernel on
/// any other space. `portable` forces the portable kernel (the tests compare it with FFTW).
enum class DftBackend { automatic, portable };

/// The backend behind one BatchedDft (fftw_batched_dft, cufft_batched_dft, portable_batched_dft).
template <class ExecSpace>
class BatchedDftBackend {
 public:
  using Data = Kokkos::View<Kokkos::complex<double>*, typename ExecSpace::memory_space>;
  virtual ~BatchedDftBackend() = default;
  virtual void forward(const Data& data, const ExecSpace& exec) = 0;
};

/// An unnormalized forward complex DFT, F_k = Σ_j f_j e^{−2πi j·k/N} over every axis, done in
/// place on `rows` contiguous rows of a 1–3-D grid in C order, on ExecSpace. The plan is made
/// once (FFTW plans under fftw_planner_lock) and run on as many row blocks as the caller has.
template <class ExecSpace>
class BatchedDft {
 public:
  using Data = typename BatchedDftBackend<ExecSpace>::Data;

  /// Throws gavel::Error for an empty shape, more than 3 axes, an axis below 1 point or no rows.
  BatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows, DftBackend backend = DftBackend::automatic);
  ~BatchedDft();
  BatchedDft(const BatchedDft&) = delete;
  BatchedDft& operator=(const BatchedDft&) = delete;

  /// Transforms the rows × points values of `data` in place, ordered on `exec`.
  void forward(const Data& data, const ExecSpace& exec);

  std::int64_t rows() const { return rows_; }
  std::int64_t points() const { return points_; }

  /// Memory of ExecSpace a plan for `rows` rows allocates besides the data (its work buffers).
  static std::int64_t workspace_bytes(const std::vector<std::int64_t>& shape, std::int64_t rows,
                                      DftBackend backend = DftBackend::automatic);

 private:
  std::int64_t rows_ = 0, points_ = 0;
  std::unique_ptr<BatchedDftBackend<ExecSpace>> backend_;
};

}  // namespace gavel::eval
