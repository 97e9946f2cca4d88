#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/datasets/generators/fourier_2d.hpp"

namespace gavel::datasets {

/// The band-limited discrete Fourier transform pair of real fields on a periodic n×n×n grid,
///
///   F(k) = 1/n³ Σ_p f(p) e^{−2πi k·p/n},   f(p) = Re Σ_{k in band} F(k) e^{+2πi k·p/n},
///
/// for the cube band |k_x|, |k_y|, |k_z| ≤ K, stored in full (no half-spectrum) as
/// (B, 2K+1, 2K+1, 2K+1) with index a ↔ k = a − K on every axis. The full cube keeps the three
/// axes alike, so a signed permutation of the axes maps stored modes onto stored modes (the
/// band is O_h-invariant); the forward transform writes the half with k < 0 (lexicographically)
/// as the conjugate of its mirror, so the spectrum of a real field is exactly Hermitian. Dense
/// DFTs along one axis at a time, as Kokkos kernels (like Fourier2d): no FFT library, any
/// execution space, cost O(n³K) per field. K must satisfy 2K < n (no mode twice).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Fourier3d {
 public:
  using memory_space = typename ExecSpace::memory_space;
  using complex_type = Kokkos::complex<double>;
  using real_view = Kokkos::View<double****, Kokkos::LayoutRight, memory_space>;
  using spectral_view = Kokkos::View<complex_type****, Kokkos::LayoutRight, memory_space>;

  Fourier3d(std::int64_t n, std::int64_t kmax) : n_(n), kmax_(kmax) {
    if (n < 1 || kmax < 0 || 2 * kmax >= n)
      throw Error("Fourier3d: band limit " + std::to_string(kmax) + " on " + std::to_string(n) +
                  " points (expected 0 <= K and 2K < n)");
    twiddle_ = make_twiddles();
  }

  std::int64_t n() const { return n_; }
  std::int64_t kmax() const { return kmax_; }
  std::int64_t modes() const { return 2 * kmax_ + 1; }
  std::int64_t wavenumber(std::int64_t a) const { return a - kmax_; }

  real_view make_real(const std::string& label, std::int64_t batch) const {
    return real_view(label, batch, n_, n_, n_);
  }
  spectral_view make_spectral(const std::string& label, std::int64_t batch) const {
    return spectral_view(label, batch, modes(), modes(), modes());
  }

  /// spectrum = forward(field) for the first `batch` entries (rank-4 views of extents at least
  /// (batch, n, n, n) and (batch, m, m, m), m = 2K+1; subviews welcome).
  template <class RealView, class SpectralView>
  void forward(const RealView& field, const SpectralView& spectrum, std::int64_t batch,
               const ExecSpace& space = ExecSpace()) {
    check(field, n_, batch, "forward: field");
    check(spectrum, modes(), batch, "forward: spectrum");
    reserve(batch);
    const auto t = twiddle_;
    const auto along_z = work_z_;
    const auto along_y = work_y_;
    const std::int64_t n = n_;
    const std::int64_t m = modes();
    // Along z: along_z(b, i, j, c) = Σ_l f(b, i, j, l) e^{−2πi k_c l/n}.
    Kokkos::parallel_for(
        "gavel::Fourier3d::forward_z", policy(space, batch, n, n, m),
        KOKKOS_LAMBDA(Index b, Index i, Index j, Index c) {
          complex_type sum(0.0, 0.0);
          for (Index l = 0; l < n; ++l)
            sum += field(b, i, j, l) * t(c, l);
          along_z(b, i, j, c) = sum;
        });
    // Along y: along_y(b, i, e, c) = Σ_j along_z(b, i, j, c) e^{−2πi k_e j/n}.
    Kokkos::parallel_for(
        "gavel::Fourier3d::forward_y", policy(space, batch, n, m, m),
        KOKKOS_LAMBDA(Index b, Index i, Index e, Index c) {
          complex_type sum(0.0, 0.0);
          for (Index j = 0; j < n; ++j)
            sum += along_z(b, i, j, c) * t(e, j);
          along_y(b, i, e, c) = sum;
        });
    // Along x, scaled by 1/n³. A mode after its mirror −k in row-major order is computed as the
    // conjugate of the mirror's sum, the centre k = 0 real: exactly Hermitian.
    const double scale = 1.0 / (static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n));
    Kokkos::parallel_for(
        "gavel::Fourier3d::forward_x", policy(space, batch, m, m, m),
        KOKKOS_LAMBDA(Index b, Index a, Index e, Index c) {
          const Index self = (a * m + e) * m + c;
          const Index mirror = m * m * m - 1 - self;  // (m−1−a, m−1−e, m−1−c)
          const bool mirrored = self > mirror;
          const Index sa = mirrored ? m - 1 - a : a;
          const Index se = mirrored ? m - 1 - e : e;
          const Index sc = mirrored ? m - 1 - c : c;
          complex_type sum(0.0, 0.0);
          for (Index i = 0; i < n; ++i)
            sum += along_y(b, i, se, sc) * t(sa, i);
          sum *= scale;
          if (mirrored) sum = Kokkos::conj(sum);
          if (self == mirror) sum.imag(0.0);
          spectrum(b, a, e, c) = sum;
        });
  }

  /// field = inverse(spectrum) for the first `batch` entries: the real part of the band's sum
  /// (the field of the spectrum's Hermitian part).
  template <class SpectralView, class RealView>
  void inverse(const SpectralView& spectrum, const RealView& field, std::int64_t batch,
               const ExecSpace& space = ExecSpace()) {
    check(spectrum, modes(), batch, "inverse: spectrum");
    check(field, n_, batch, "inverse: field");
    reserve(batch);
    const auto t = twiddle_;
    const auto along_z = work_z_;
    const auto along_y = work_y_;
    const std::int64_t n = n_;
    const std::int64_t m = modes();
    // Along x: along_y(b, i, e, c) = Σ_a F(b, a, e, c) e^{+2πi k_a i/n}.
    Kokkos::parallel_for(
        "gavel::Fourier3d::inverse_x", policy(space, batch, n, m, m),
        KOKKOS_LAMBDA(Index b, Index i, Index e, Index c) {
          complex_type sum(0.0, 0.0);
          for (Index a = 0; a < m; ++a)
            sum += spectrum(b, a, e, c) * Kokkos::conj(t(a, i));
          along_y(b, i, e, c) = sum;
        });
    // Along y: along_z(b, i, j, c) = Σ_e along_y(b, i, e, c) e^{+2πi k_e j/n}.
    Kokkos::parallel_for(
        "gavel::Fourier3d::inverse_y", policy(space, batch, n, n, m),
        KOKKOS_LAMBDA(Index b, Index i, Index j, Index c) {
          complex_type sum(0.0, 0.0);
          for (Index e = 0; e < m; ++e)
            sum += along_y(b, i, e, c) * Kokkos::conj(t(e, j));
          along_z(b, i, j, c) = sum;
        });
    // Along z, real part only: Re(w · conj(t)) = w.re t.re + w.im t.im.
    Kokkos::parallel_for(
        "gavel::Fourier3d::inverse_z", policy(space, batch, n, n, n),
        KOKKOS_LAMBDA(Index b, Index i, Index j, Index l) {
          double sum = 0.0;
          for (Index c = 0; c < m; ++c) {
            const complex_type w = along_z(b, i, j, c);
            const complex_type z = t(c, l);
            sum += w.real() * z.real() + w.imag() * z.imag();
          }
          field(b, i, j, l) = sum;
        });
  }

 private:
  using Index = std::int64_t;
  using twiddle_view = Kokkos::View<complex_type**, Kokkos::LayoutRight, memory_space>;
  using work_view = Kokkos::View<complex_type****, Kokkos::LayoutRight, memory_space>;

  static Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<4>, Kokkos::IndexType<Index>> policy(const ExecSpace& space,
                                                                                            Index e0, Index e1,
                                                                                            Index e2, Index e3) {
    return Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<4>, Kokkos::IndexType<Index>>(space, {0, 0, 0, 0},
                                                                                       {e0, e1, e2, e3});
  }

  /// table(a, j) = e^{−2πi (a − K) j/n}, the angle reduced to [0, n) before scaling, so k and
  /// k + n share bits and the tables of the three axes are one.
  twiddle_view make_twiddles() const {
    twiddle_view table("gavel::Fourier3d::twiddles", modes(), n_);
    auto host = Kokkos::create_mirror_view(table);
    const double step = 2.0 * kPi / static_cast<double>(n_);
    for (std::int64_t a = 0; a < modes(); ++a)
      for (std::int64_t j = 0; j < n_; ++j) {
        const std::int64_t r = ((wavenumber(a) * j) % n_ + n_) % n_;
        const double angle = step * static_cast<double>(r);
        host(a, j) = complex_type(std::cos(angle), -std::sin(angle));
      }
    Kokkos::deep_copy(table, host);
    return table;
  }

  void reserve(std::int64_t batch) {
    if (static_cast<std::int64_t>(work_z_.extent(0)) < batch) {
      work_z_ = work_view("gavel::Fourier3d::work_z", batch, n_, n_, modes());
      work_y_ = work_view("gavel::Fourier3d::work_y", batch, n_, modes(), modes());
    }
  }

  template <class View>
  static void check(const View& v, std::int64_t extent, std::int64_t batch, const char* what) {
    static_assert(View::rank == 4, "Fourier3d works on rank-4 views");
    bool ok = batch >= 0 && static_cast<std::int64_t>(v.extent(0)) >= batch;
    for (int d = 1; d < 4; ++d)
      ok = ok && static_cast<std::int64_t>(v.extent(d)) == extent;
    if (!ok)
      throw Error(std::string("Fourier transform ") + what + " has extents (" + std::to_string(v.extent(0)) + ", " +
                  std::to_string(v.extent(1)) + ", " + std::to_string(v.extent(2)) + ", " +
                  std::to_string(v.extent(3)) + "), expected (" + std::to_string(batch) + "+, " +
                  std::to_string(extent) + ", " + std::to_string(extent) + ", " + std::to_string(extent) + ")");
  }

  std::int64_t n_;
  std::int64_t kmax_;
  twiddle_view twiddle_;
  work_view work_z_;
  work_view work_y_;
};

}  // namespace gavel::datasets
