#include "gavel/metrics/batched_dft.hpp"

#include <complex>
#include <string>
#include <type_traits>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/core/host_transfers.hpp"
#include "gavel/metrics/cufft_batched_dft.hpp"
#include "gavel/metrics/fftw_batched_dft.hpp"
#include "gavel/metrics/grid_points.hpp"
#include "gavel/metrics/portable_batched_dft.hpp"

namespace gavel::eval {
namespace {

static_assert(sizeof(Kokkos::complex<double>) == sizeof(std::complex<double>) &&
                  alignof(Kokkos::complex<double>) >= alignof(std::complex<double>),
              "Kokkos::complex<double> must share std::complex<double>'s (and FFTW's) layout");

template <class ExecSpace>
constexpr bool is_cuda() {
#if defined(KOKKOS_ENABLE_CUDA)
  return std::is_same<ExecSpace, Kokkos::Cuda>::value;
#else
  return false;
#endif
}

/// The library behind `automatic` on ExecSpace, fixed at compile time.
enum class NativeDft { fftw, cufft, none };

/// Whether this build links cuFFT (GAVEL_CUFFT in a CUDA build); without it CUDA runs the portable kernel.
constexpr bool have_cufft() {
#if defined(KOKKOS_ENABLE_CUDA) && defined(GAVEL_HAVE_CUFFT)
  return true;
#else
  return false;
#endif
}

template <class ExecSpace>
constexpr NativeDft native_dft() {
  if (is_cuda<ExecSpace>()) return have_cufft() ? NativeDft::cufft : NativeDft::none;
  return host_accessible<ExecSpace>() ? NativeDft::fftw : NativeDft::none;
}

/// FFTW on host-accessible memory: the kernels that wrote the data finish first.
template <class ExecSpace>
class FftwBackend final : public BatchedDftBackend<ExecSpace> {
 public:
  using Data = typename BatchedDftBackend<ExecSpace>::Data;
  FftwBackend(const std::vector<std::int64_t>& shape, std::int64_t rows) : dft_(shape, rows) {}
  void forward(const Data& data, const ExecSpace& exec) override {
    exec.fence();
    dft_.forward(reinterpret_cast<std::complex<double>*>(data.data()));
  }

 private:
  FftwBatchedDft dft_;
};

#if defined(KOKKOS_ENABLE_CUDA) && defined(GAVEL_HAVE_CUFFT)
class CufftBackend final : public BatchedDftBackend<Kokkos::Cuda> {
 public:
  CufftBackend(const std::vector<std::int64_t>& shape, std::int64_t rows) : dft_(shape, rows) {}
  void forward(const Data& data, const Kokkos::Cuda& exec) override { dft_.forward(data.data(), exec); }

 private:
  CufftBatchedDft dft_;
};
#endif

template <class ExecSpace>
std::unique_ptr<BatchedDftBackend<ExecSpace>> make_backend(const std::vector<std::int64_t>& shape, std::int64_t rows,
                                                           DftBackend backend) {
  if (backend == DftBackend::portable || native_dft<ExecSpace>() == NativeDft::none)
    return std::make_unique<PortableBatchedDft<ExecSpace>>(shape, rows);
  if constexpr (is_cuda<ExecSpace>()) {
#if defined(KOKKOS_ENABLE_CUDA) && defined(GAVEL_HAVE_CUFFT)
    return std::make_unique<CufftBackend>(shape, rows);
#else
    throw Error("batched DFT: this build has no cuFFT (GAVEL_CUFFT=OFF)");  // the portable kernel is taken above
#endif
  } else if constexpr (host_accessible<ExecSpace>()) {
    return std::make_unique<FftwBackend<ExecSpace>>(shape, rows);
  } else {
    throw Error("batched DFT: no native backend on this execution space");  // taken care of above
  }
}

}  // namespace

template <class ExecSpace>
BatchedDft<ExecSpace>::BatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows, DftBackend backend)
    : rows_(rows), points_(grid_points(shape, "batched DFT")) {
  if (rows < 1) throw Error("batched DFT: at least one row is needed, got " + std::to_string(rows));
  backend_ = make_backend<ExecSpace>(shape, rows, backend);
}

template <class ExecSpace>
BatchedDft<ExecSpace>::~BatchedDft() = default;

template <class ExecSpace>
void BatchedDft<ExecSpace>::forward(const Data& data, const ExecSpace& exec) {
  if (static_cast<std::int64_t>(data.extent(0)) != rows_ * points_)
    throw Error("batched DFT: planned for " + std::to_string(rows_) + " rows of " + std::to_string(points_) +
                " points, given " + std::to_string(data.extent(0)) + " values");
  backend_->forward(data, exec);
}

template <class ExecSpace>
std::int64_t BatchedDft<ExecSpace>::workspace_bytes(const std::vector<std::int64_t>& shape, std::int64_t rows,
                                                    DftBackend backend) {
  grid_points(shape, "batched DFT");
  if (backend == DftBackend::portable || native_dft<ExecSpace>() == NativeDft::none)
    return PortableBatchedDft<ExecSpace>::workspace_bytes(shape, rows);
#if defined(KOKKOS_ENABLE_CUDA) && defined(GAVEL_HAVE_CUFFT)
  if (native_dft<ExecSpace>() == NativeDft::cufft) return CufftBatchedDft::workspace_bytes(shape, rows);
#endif
  return 0;  // FFTW transforms in place without a work buffer of ours
}

#define GAVEL_INSTANTIATE_BATCHED_DFT(SPACE) template class BatchedDft<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_BATCHED_DFT)

}  // namespace gavel::eval
