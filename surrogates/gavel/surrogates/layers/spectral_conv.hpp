#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/activation.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"

namespace gavel::surrogates::layers {

/// The Fourier modes a spectral convolution uses on one grid, exactly as neuraloperator 0.3.0's
/// SpectralConv picks them. The weight has M_a modes on each axis (on the last axis M = m//2+1 of
/// the configured m, the rfft half). On a grid of N_a points an axis keeps K_a = min(N_a, M_a)
/// modes (last axis: min(N//2+1, M)); slot j of a leading axis
///   - reads rfftn frequency (j + ⌊(N−K)/2⌋ − ⌊N/2⌋) mod N (the fftshift-centred block),
///   - writes frequency (j + ⌊(N−K)/2⌋ + ⌊N/2⌋) mod N before the inverse (neuraloperator shifts
///     back with fftshift, not ifftshift: the same for even N, one bin lower for odd N),
///   - uses weight index j + ⌊(M−K)/2⌋ (the centre of the weight when the grid is smaller);
/// slot k of the last axis is frequency k and weight index k.
struct ModeSelection {
  std::vector<std::int64_t> grid;          ///< N per axis
  std::vector<std::int64_t> weight_modes;  ///< M per axis
  std::vector<std::int64_t> kept;          ///< K per axis
  std::vector<std::vector<std::int64_t>> forward_frequency, inverse_frequency, weight_index;

  /// Throws gavel::Error for mismatched ranks or non-positive sizes.
  static ModeSelection make(const std::vector<std::int64_t>& grid, const std::vector<std::int64_t>& weight_modes);
  int ndim() const { return static_cast<int>(grid.size()); }
  std::int64_t kept_count() const;    ///< ∏ K
  std::int64_t weight_count() const;  ///< ∏ M
  std::int64_t grid_points() const;   ///< ∏ N
  /// True when every weight mode is used in order (the grid is at least as large as the modes).
  bool uses_whole_weight() const { return kept == weight_modes; }
};

/// The truncated real Fourier transform pair of one grid as separable dense DFT matrices (built in
/// double, stored as float), plus the work buffers of the spectral layers that share the grid.
/// Spectra are (fields, 2, K_0, …, K_{d−1}): the real plane, then the imaginary plane.
///   forward: the kept bins of torch.fft.rfftn(x, norm="backward") (unnormalized);
///   inverse: torch.fft.irfftn(Z, s=grid, norm="backward") of the spectrum zero-filled outside the
///            kept bins (scaled by 1/∏N); like pocketfft's C2R, the last axis' DC and Nyquist
///            bins contribute only their real parts.
/// Cost per field: O(∏N · 2K_last) for the last axis, less for the others.
template <class ExecSpace>
class SpectralPlan {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  using View = Kokkos::View<float*, memory_space>;
  using ConstView = Kokkos::View<const float*, memory_space>;

  SpectralPlan() = default;
  SpectralPlan(const std::vector<std::int64_t>& grid, const std::vector<std::int64_t>& weight_modes);

  const ModeSelection& modes() const { return modes_; }
  const std::vector<std::int64_t>& grid() const { return modes_.grid; }
  bool valid() const { return !modes_.grid.empty(); }

  /// `in` (fields, *grid) → `spectrum` (fields, 2, K…).
  void forward(const ExecSpace& exec, const ConstView& in, std::int64_t fields, const View& spectrum);
  /// `spectrum` (fields, 2, K…) → out (fields, *grid): out = act(irfftn + bias(f mod channels)
  /// [+ out]); `bias` may be empty.
  void inverse(const ExecSpace& exec, const ConstView& spectrum, std::int64_t fields, std::int64_t channels,
               const ConstView& bias, const View& out, Activation activation, bool accumulate);

  /// Kept slot (flat over K) → weight mode (flat over M).
  Kokkos::View<const std::int64_t*, memory_space> weight_map() const { return weight_map_; }
  /// Grow-only buffers the spectral layers borrow for their input and output spectra.
  View spectrum_buffer(int which, std::int64_t n);

  /// Floats of the plan's grow-only buffers: the input and output spectra and the two transform
  /// scratch buffers.
  struct WorkLengths {
    std::array<std::int64_t, 2> spectra{};
    std::array<std::int64_t, 2> scratch{};
  };
  /// What one SpectralConv::apply of `batch` samples, in → out channels, reserves on `modes`'
  /// grid: SpectralConv::apply, forward() and inverse() size their buffers with this.
  static WorkLengths work_lengths(const ModeSelection& modes, std::int64_t batch, std::int64_t in_channels,
                                  std::int64_t out_channels);
  /// Bytes of the transform tables (DFT matrices, weight map) a plan for `modes` builds.
  static std::size_t table_bytes(const ModeSelection& modes);
  /// Bytes the plan holds now: its tables and every buffer.
  std::size_t held_bytes() const;

 private:
  /// Floats per scratch buffer of forward() / inverse() on `fields` fields.
  static std::array<std::int64_t, 2> forward_scratch(const ModeSelection& modes, std::int64_t fields);
  static std::array<std::int64_t, 2> inverse_scratch(const ModeSelection& modes, std::int64_t fields);

  ModeSelection modes_;
  std::int64_t last_columns_ = 0;                    ///< 2·K_last rounded up to the column tile
  Kokkos::View<float*, memory_space> last_forward_;  ///< (N_last, last_columns_): cos | −sin
  Kokkos::View<float*, memory_space> last_inverse_;  ///< (2·K_last, N_last): c_k cos/∏N | −c_k sin/∏N
  std::vector<Kokkos::View<float*, memory_space>> axis_forward_;  ///< per leading axis: (K, N) re, then im
  std::vector<Kokkos::View<float*, memory_space>> axis_inverse_;  ///< per leading axis: (N, K) re, then im
  /// Host only: the same matrices transposed and padded for short lines (AxisTransformByOutput).
  std::vector<Kokkos::View<float*, memory_space>> axis_forward_t_, axis_inverse_t_;
  Kokkos::View<std::int64_t*, memory_space> weight_map_;
  View scratch_[2];
  View spectra_[2];
};

/// neuraloperator 0.3.0's SpectralConv for one layer: out = irfftn(W · rfftn(in) at the kept
/// modes) + bias, where (W · X)(b, o, k) = Σ_i X(b, i, k) W(i, o, k) (no conjugation).
template <class ExecSpace>
class SpectralConv {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  using View = Kokkos::View<float*, memory_space>;
  using ConstView = Kokkos::View<const float*, memory_space>;

  SpectralConv() = default;
  /// `weight` is the complex (in, out, M_0, …, M_{d−1}) weight stored as PyTorch's view_as_real
  /// does: trailing (re, im) pairs; `bias` is empty or holds out_channels values.
  SpectralConv(std::int64_t in_channels, std::int64_t out_channels, const std::vector<std::int64_t>& weight_modes,
               const std::vector<float>& weight, const std::vector<float>& bias);

  std::int64_t in_channels() const { return in_channels_; }
  std::int64_t out_channels() const { return out_channels_; }
  const std::vector<std::int64_t>& weight_modes() const { return weight_modes_; }

  /// out = act(SpectralConv(in) [+ out]) for a batch on plan.grid(); the plan must have been made
  /// for this layer's weight modes. `in` holds batch·in·∏N values, `out` batch·out·∏N.
  void apply(const ExecSpace& exec, SpectralPlan<ExecSpace>& plan, const ConstView& in, const View& out,
             std::int64_t batch, Activation activation = Activation::none, bool accumulate = false) const;

  /// spectrum_out(b, o, k) = Σ_i spectrum_in(b, i, k) W(i, o, k) on the plan's kept modes.
  void mix(const ExecSpace& exec, const SpectralPlan<ExecSpace>& plan, const ConstView& spectrum_in,
           const View& spectrum_out, std::int64_t batch) const;

  /// Bytes of the weight and bias in ExecSpace's memory.
  std::size_t parameter_bytes() const { return view_bytes(weight_) + view_bytes(bias_); }

 private:
  std::int64_t in_channels_ = 0;
  std::int64_t out_channels_ = 0;
  std::vector<std::int64_t> weight_modes_;
  Kokkos::View<float*, memory_space> weight_;  ///< (in, out, 2, ∏M): real plane, imaginary plane
  Kokkos::View<float*, memory_space> bias_;
};

}  // namespace gavel::surrogates::layers
