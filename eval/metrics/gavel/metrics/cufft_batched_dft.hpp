#pragma once

#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#if defined(KOKKOS_ENABLE_CUDA) && defined(GAVEL_HAVE_CUFFT)

namespace gavel::eval {

/// BatchedDft's CUDA backend: one cuFFT plan (cufftPlanMany, Z2Z) for `rows` contiguous rows in
/// device memory, run on the stream of the Kokkos::Cuda instance given. cuFFT's errors become
/// gavel::Error with its code.
class CufftBatchedDft {
 public:
  CufftBatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows);
  ~CufftBatchedDft();
  CufftBatchedDft(const CufftBatchedDft&) = delete;
  CufftBatchedDft& operator=(const CufftBatchedDft&) = delete;

  /// Transforms rows × points values at `data` (device memory, 16-byte complex doubles) in place.
  void forward(void* data, const Kokkos::Cuda& exec) const;

  /// The work area cuFFT estimates for such a plan, in bytes.
  static std::int64_t workspace_bytes(const std::vector<std::int64_t>& shape, std::int64_t rows);

 private:
  int plan_ = 0;  ///< cufftHandle, kept as int so that users need no <cufft.h>
  bool planned_ = false;
};

}  // namespace gavel::eval

#endif
