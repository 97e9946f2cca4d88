#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <Kokkos_Complex.hpp>
#include <Kokkos_Core.hpp>

#include "gavel/metrics/batched_dft.hpp"

namespace gavel::eval {

/// One axis of a separable direct DFT: out[…, k, …] = Σ_j in[…, j, …]·w[(j·k) mod n] with
/// w[m] = e^{−2πi m/n}, for every row and line along the axis (`stride` values apart).
/// O(n) per value: a fallback for spaces without an FFT library, any n.
template <class ExecSpace, class Values, class Twiddles>
void direct_dft_along_axis(const Values& in, const Values& out, const Twiddles& twiddles, std::int64_t n,
                           std::int64_t stride, const ExecSpace& exec) {
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  Kokkos::parallel_for(
      "gavel::direct_dft_along_axis", Policy(exec, 0, static_cast<std::int64_t>(in.extent(0))),
      KOKKOS_LAMBDA(const std::int64_t flat) {
        const std::int64_t k = (flat / stride) % n;
        const std::int64_t first = flat - k * stride;
        Kokkos::complex<double> sum(0.0, 0.0);
        std::int64_t phase = 0;  // (j·k) mod n, stepped without a product that could overflow
        for (std::int64_t j = 0; j < n; ++j) {
          sum += in(first + j * stride) * twiddles(phase);
          phase += k;
          if (phase >= n) phase -= n;
        }
        out(flat) = sum;
      });
}

/// BatchedDft's portable backend: the direct DFT along each axis in turn, between the data and a
/// work buffer of the same size, with each axis's twiddle table made once in double on the host.
template <class ExecSpace>
class PortableBatchedDft final : public BatchedDftBackend<ExecSpace> {
 public:
  using Data = typename BatchedDftBackend<ExecSpace>::Data;

  PortableBatchedDft(const std::vector<std::int64_t>& shape, std::int64_t rows) : shape_(shape) {
    std::int64_t points = 1;
    for (const auto n : shape)
      points *= n;
    work_ = Data("gavel::portable_dft work", static_cast<std::size_t>(rows * points));
    for (const auto n : shape) {
      Data table("gavel::portable_dft twiddles", static_cast<std::size_t>(n));
      auto host = Kokkos::create_mirror_view(table);
      for (std::int64_t m = 0; m < n; ++m) {
        const double angle = -2.0 * M_PI * static_cast<double>(m) / static_cast<double>(n);
        host(static_cast<std::size_t>(m)) = Kokkos::complex<double>(std::cos(angle), std::sin(angle));
      }
      Kokkos::deep_copy(table, host);
      twiddles_.push_back(table);
    }
  }

  /// Bytes besides the data: the work buffer and the twiddle tables.
  static std::int64_t workspace_bytes(const std::vector<std::int64_t>& shape, std::int64_t rows) {
    std::int64_t points = 1, twiddles = 0;
    for (const auto n : shape) {
      points *= n;
      twiddles += n;
    }
    return static_cast<std::int64_t>(sizeof(Kokkos::complex<double>)) * (rows * points + twiddles);
  }

  void forward(const Data& data, const ExecSpace& exec) override {
    Data source = data, target = Kokkos::subview(work_, std::make_pair(std::size_t{0}, data.extent(0)));
    std::int64_t stride = 1;
    for (std::size_t a = shape_.size(); a-- > 0;) {
      direct_dft_along_axis(source, target, twiddles_[a], shape_[a], stride, exec);
      stride *= shape_[a];
      std::swap(source, target);
    }
    // An odd number of axes leaves the result in the work buffer.
    if (source.data() != data.data()) Kokkos::deep_copy(exec, data, source);
  }

 private:
  std::vector<std::int64_t> shape_;
  Data work_;
  std::vector<Data> twiddles_;
};

}  // namespace gavel::eval
