#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"

namespace gavel::datasets {

inline constexpr double kPi = 3.14159265358979323846;

/// A band-limited real discrete Fourier transform pair on an n×n periodic grid, written as two
/// dense matrix products per direction (one per axis) so it runs on any Kokkos execution space
/// without an FFT library. It keeps the modes |k_x| ≤ K, 0 ≤ k_y ≤ K with 2K < n (so no Nyquist
/// mode); k_y < 0 follows from Hermitian symmetry of a real field.
///
///   forward:  F(k_x, k_y) = 1/n² Σ_{i,j} f(i, j) e^{−2πi (k_x i + k_y j)/n}
///   inverse:  f(i, j)     = Σ_{|k_x|,|k_y| ≤ K} F(k_x, k_y) e^{+2πi (k_x i + k_y j)/n}
///
/// Physical fields are (B, n, n) with the first spatial index x; spectra are (B, 2K+1, K+1) with
/// entry (a, c) holding k_x = a − K, k_y = c. The inverse reads the k_y = 0 column as Hermitian
/// (it takes the real part), and the forward transform writes it exactly Hermitian. A field whose
/// spectrum lies within the band round-trips to rounding; for odd n and K = (n−1)/2 every real
/// field does. The cost is O(B·n²·K) per transform, fine up to n ≈ 256.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Fourier2d {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  using complex_type = Kokkos::complex<double>;
  using real_view = Kokkos::View<double***, Kokkos::LayoutRight, memory_space>;
  using spectral_view = Kokkos::View<complex_type***, Kokkos::LayoutRight, memory_space>;

  /// Throws gavel::Error unless n ≥ 2 and 0 ≤ 2K < n.
  Fourier2d(std::int64_t n, std::int64_t kmax) : n_(n), kmax_(kmax) {
    if (n < 2) throw Error("Fourier transform: grid size " + std::to_string(n) + " (at least 2 needed)");
    if (kmax < 0 || 2 * kmax >= n)
      throw Error("Fourier transform: band limit " + std::to_string(kmax) + " on a grid of " + std::to_string(n) +
                  " points (need 0 ≤ 2K < n)");
    twiddle_x_ = make_twiddles("gavel::Fourier2d::twiddle_x", -kmax, modes_x());
    twiddle_y_ = make_twiddles("gavel::Fourier2d::twiddle_y", 0, modes_y());
  }

  std::int64_t n() const { return n_; }
  std::int64_t kmax() const { return kmax_; }
  /// 2K + 1 and K + 1: the spectrum's extents.
  std::int64_t modes_x() const { return 2 * kmax_ + 1; }
  std::int64_t modes_y() const { return kmax_ + 1; }
  /// The wavenumbers of spectral entry (a, c).
  std::int64_t wavenumber_x(std::int64_t a) const { return a - kmax_; }
  std::int64_t wavenumber_y(std::int64_t c) const { return c; }

  real_view make_real(const std::string& label, std::int64_t batch) const { return real_view(label, batch, n_, n_); }
  spectral_view make_spectral(const std::string& label, std::int64_t batch) const {
    return spectral_view(label, batch, modes_x(), modes_y());
  }

  /// spectrum = forward(field) for the first `batch` entries of both views (rank-3 views of
  /// extents at least (batch, n, n) and (batch, 2K+1, K+1); subviews welcome).
  template <class RealView, class SpectralView>
  void forward(const RealView& field, const SpectralView& spectrum, std::int64_t batch,
               const ExecSpace& space = ExecSpace()) {
    check(field, n_, n_, batch, "forward: field");
    check(spectrum, modes_x(), modes_y(), batch, "forward: spectrum");
    reserve(batch);
    const auto work = work_;
    const auto ty = twiddle_y_;
    const auto tx = twiddle_x_;
    const std::int64_t n = n_;
    const std::int64_t kmax = kmax_;
    const std::int64_t mx = modes_x();
    const std::int64_t my = modes_y();
    // Along y: work(b, i, c) = Σ_j f(b, i, j) e^{−2πi c j/n}.
    Kokkos::parallel_for(
        "gavel::Fourier2d::forward_y", policy(space, batch, n, my), KOKKOS_LAMBDA(Index b, Index i, Index c) {
          complex_type sum(0.0, 0.0);
          for (Index j = 0; j < n; ++j)
            sum += field(b, i, j) * ty(c, j);
          work(b, i, c) = sum;
        });
    // Along x: F(b, a, c) = 1/n² Σ_i work(b, i, c) e^{−2πi k_x i/n}; the k_y = 0 column is
    // computed for k_x ≥ 0 and mirrored, so it is exactly Hermitian.
    const double scale = 1.0 / (static_cast<double>(n) * static_cast<double>(n));
    Kokkos::parallel_for(
        "gavel::Fourier2d::forward_x", policy(space, batch, mx, my), KOKKOS_LAMBDA(Index b, Index a, Index c) {
          const bool mirrored = c == 0 && a < kmax;
          const Index source = mirrored ? 2 * kmax - a : a;
          complex_type sum(0.0, 0.0);
          for (Index i = 0; i < n; ++i)
            sum += work(b, i, c) * tx(source, i);
          sum *= scale;
          if (mirrored) sum = Kokkos::conj(sum);
          if (c == 0 && a == kmax) sum.imag(0.0);
          spectrum(b, a, c) = sum;
        });
  }

  /// field = inverse(spectrum) for the first `batch` entries.
  template <class SpectralView, class RealView>
  void inverse(const SpectralView& spectrum, const RealView& field, std::int64_t batch,
               const ExecSpace& space = ExecSpace()) {
    check(spectrum, modes_x(), modes_y(), batch, "inverse: spectrum");
    check(field, n_, n_, batch, "inverse: field");
    reserve(batch);
    const auto work = work_;
    const auto ty = twiddle_y_;
    const auto tx = twiddle_x_;
    const std::int64_t n = n_;
    const std::int64_t mx = modes_x();
    const std::int64_t my = modes_y();
    // Along x: work(b, i, c) = Σ_a F(b, a, c) e^{+2πi k_x i/n}.
    Kokkos::parallel_for(
        "gavel::Fourier2d::inverse_x", policy(space, batch, n, my), KOKKOS_LAMBDA(Index b, Index i, Index c) {
          complex_type sum(0.0, 0.0);
          for (Index a = 0; a < mx; ++a)
            sum += spectrum(b, a, c) * Kokkos::conj(tx(a, i));
          work(b, i, c) = sum;
        });
    // Along y, real output: f = Re work(·, 0) + 2 Σ_{c ≥ 1} Re(work(·, c) e^{+2πi c j/n}).
    Kokkos::parallel_for(
        "gavel::Fourier2d::inverse_y", policy(space, batch, n, n), KOKKOS_LAMBDA(Index b, Index i, Index j) {
          double sum = 0.0;
          for (Index c = 1; c < my; ++c) {
            const complex_type w = work(b, i, c);
            const complex_type t = ty(c, j);
            sum += w.real() * t.real() + w.imag() * t.imag();  // Re(w · conj(t))
          }
          field(b, i, j) = work(b, i, 0).real() + 2.0 * sum;
        });
  }

 private:
  using Index = std::int64_t;
  using twiddle_view = Kokkos::View<complex_type**, Kokkos::LayoutRight, memory_space>;

  static Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<3>, Kokkos::IndexType<Index>> policy(const ExecSpace& space,
                                                                                            Index e0, Index e1,
                                                                                            Index e2) {
    return Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<3>, Kokkos::IndexType<Index>>(space, {0, 0, 0}, {e0, e1, e2});
  }

  /// table(r, j) = e^{−2πi (first + r) j/n}, the angle reduced to [0, n) before scaling.
  twiddle_view make_twiddles(const std::string& label, std::int64_t first, std::int64_t rows) const {
    twiddle_view table(label, rows, n_);
    auto host = Kokkos::create_mirror_view(table);
    const double step = 2.0 * kPi / static_cast<double>(n_);
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t j = 0; j < n_; ++j) {
        const std::int64_t m = (((first + r) * j) % n_ + n_) % n_;
        const double angle = step * static_cast<double>(m);
        host(r, j) = complex_type(std::cos(angle), -std::sin(angle));
      }
    Kokkos::deep_copy(table, host);
    return table;
  }

  void reserve(std::int64_t batch) {
    if (static_cast<std::int64_t>(work_.extent(0)) < batch)
      work_ = spectral_view("gavel::Fourier2d::work", batch, n_, modes_y());
  }

  template <class View>
  static void check(const View& v, std::int64_t e1, std::int64_t e2, std::int64_t batch, const char* what) {
    static_assert(View::rank == 3, "Fourier2d works on rank-3 views");
    if (batch < 0 || static_cast<std::int64_t>(v.extent(0)) < batch || static_cast<std::int64_t>(v.extent(1)) != e1 ||
        static_cast<std::int64_t>(v.extent(2)) != e2)
      throw Error(std::string("Fourier transform ") + what + " has extents (" + std::to_string(v.extent(0)) + ", " +
                  std::to_string(v.extent(1)) + ", " + std::to_string(v.extent(2)) + "), expected (" +
                  std::to_string(batch) + "+, " + std::to_string(e1) + ", " + std::to_string(e2) + ")");
  }

  std::int64_t n_;
  std::int64_t kmax_;
  twiddle_view twiddle_x_;
  twiddle_view twiddle_y_;
  spectral_view work_;
};

}  // namespace gavel::datasets
