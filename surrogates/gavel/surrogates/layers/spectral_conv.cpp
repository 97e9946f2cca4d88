#include "gavel/surrogates/layers/spectral_conv.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/layers/detail/kernel_support.hpp"

namespace gavel::surrogates::layers {

namespace {

using detail::min64;

std::string sizes_text(const std::vector<std::int64_t>& sizes) {
  std::string text;
  for (std::size_t i = 0; i < sizes.size(); ++i)
    text += (i ? "x" : "") + std::to_string(sizes[i]);
  return text;
}

std::int64_t product(const std::vector<std::int64_t>& v, std::size_t begin, std::size_t end) {
  std::int64_t p = 1;
  for (std::size_t i = begin; i < end; ++i)
    p *= v[i];
  return p;
}

std::int64_t positive_mod(std::int64_t a, std::int64_t n) {
  return ((a % n) + n) % n;
}

/// 2π·(k·n mod N)/N, reduced exactly in integers before the floating-point step.
double dft_angle(std::int64_t k, std::int64_t n, std::int64_t size) {
  const double two_pi = 6.283185307179586476925286766559;
  return two_pi * static_cast<double>((k * n) % size) / static_cast<double>(size);
}

// ---- kernels ------------------------------------------------------------------------------------
// Host instantiations compute register tiles whose innermost loop runs over contiguous memory
// (vectorized); device instantiations use tiles of 1 so neighbouring threads touch neighbouring
// addresses.

/// Last axis, real → kept complex bins: rows (fields·pre, N) times the (N, columns) matrix whose
/// columns are cos (k < K) and −sin (K ≤ c < 2K), written to (fields, 2, pre, K).
template <int RB, int CT>
struct LastAxisForward {
  const float* in;
  float* out;
  const float* matrix;
  std::int64_t rows, n, k, columns, pre, column_tiles;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t task) const {
    const std::int64_t c0 = (task % column_tiles) * CT;
    const std::int64_t r0 = (task / column_tiles) * RB;
    const int nr = static_cast<int>(min64(RB, rows - r0));
    const float* x = in + r0 * n;
    float acc[RB][CT];
    for (int r = 0; r < RB; ++r)
      for (int c = 0; c < CT; ++c)
        acc[r][c] = 0.0f;
    if (nr == RB) {
      for (std::int64_t m = 0; m < n; ++m) {
        const float* f = matrix + m * columns + c0;
        for (int r = 0; r < RB; ++r) {
          const float v = x[r * n + m];
          for (int c = 0; c < CT; ++c)
            acc[r][c] += v * f[c];
        }
      }
    } else {
      for (std::int64_t m = 0; m < n; ++m) {
        const float* f = matrix + m * columns + c0;
        for (int r = 0; r < nr; ++r) {
          const float v = x[r * n + m];
          for (int c = 0; c < CT; ++c)
            acc[r][c] += v * f[c];
        }
      }
    }
    for (int r = 0; r < nr; ++r) {
      const std::int64_t row = r0 + r;
      const std::int64_t field = row / pre, p = row % pre;
      float* re = out + (field * 2 * pre + p) * k;
      float* im = re + pre * k;
      for (int c = 0; c < CT; ++c) {
        const std::int64_t col = c0 + c;
        if (col < k)
          re[col] = acc[r][c];
        else if (col < 2 * k)
          im[col - k] = acc[r][c];
      }
    }
  }
};

/// One leading axis, complex: (fields, 2, pre, nin, post) → (fields, 2, pre, nout, post) with the
/// (nout, nin) complex matrix (real block, then imaginary block).
template <int KB, int PT>
struct AxisTransform {
  const float* in;
  float* out;
  const float* matrix;
  std::int64_t pre, nin, nout, post, k_blocks, post_tiles;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t task) const {
    const std::int64_t p0 = (task % post_tiles) * PT;
    std::int64_t rest = task / post_tiles;
    const std::int64_t k0 = (rest % k_blocks) * KB;
    rest /= k_blocks;
    const std::int64_t line = rest % pre;
    const std::int64_t field = rest / pre;
    const int nk = static_cast<int>(min64(KB, nout - k0));
    const int np = static_cast<int>(min64(PT, post - p0));
    const float* in_re = in + (field * 2 * pre + line) * nin * post + p0;
    const float* in_im = in_re + pre * nin * post;
    const float* m_re = matrix + k0 * nin;
    const float* m_im = m_re + nout * nin;
    float acc_re[KB][PT], acc_im[KB][PT];
    for (int a = 0; a < KB; ++a)
      for (int p = 0; p < PT; ++p) {
        acc_re[a][p] = 0.0f;
        acc_im[a][p] = 0.0f;
      }
    if (nk == KB && np == PT) {
      for (std::int64_t m = 0; m < nin; ++m) {
        const float* xr = in_re + m * post;
        const float* xi = in_im + m * post;
        for (int a = 0; a < KB; ++a) {
          const float wr = m_re[a * nin + m], wi = m_im[a * nin + m];
          for (int p = 0; p < PT; ++p) {
            acc_re[a][p] += wr * xr[p] - wi * xi[p];
            acc_im[a][p] += wr * xi[p] + wi * xr[p];
          }
        }
      }
    } else {
      for (std::int64_t m = 0; m < nin; ++m) {
        const float* xr = in_re + m * post;
        const float* xi = in_im + m * post;
        for (int a = 0; a < nk; ++a) {
          const float wr = m_re[a * nin + m], wi = m_im[a * nin + m];
          for (int p = 0; p < np; ++p) {
            acc_re[a][p] += wr * xr[p] - wi * xi[p];
            acc_im[a][p] += wr * xi[p] + wi * xr[p];
          }
        }
      }
    }
    float* out_re = out + ((field * 2 * pre + line) * nout + k0) * post + p0;
    float* out_im = out_re + pre * nout * post;
    for (int a = 0; a < nk; ++a)
      for (int p = 0; p < np; ++p) {
        out_re[a * post + p] = acc_re[a][p];
        out_im[a * post + p] = acc_im[a][p];
      }
  }
};

/// The same transform for short lines (post < 16, e.g. the first axis of a 2-D grid, where post
/// is K_last) on the host: vectorized over KT outputs of the axis instead, reading the matrix
/// transposed, (nin, padded) real block then imaginary block, zero-padded to whole tiles.
template <int KT, int PB>
struct AxisTransformByOutput {
  const float* in;
  float* out;
  const float* matrix_t;
  std::int64_t pre, nin, nout, padded, post, k_tiles, post_blocks;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t task) const {
    const std::int64_t p0 = (task % post_blocks) * PB;
    std::int64_t rest = task / post_blocks;
    const std::int64_t k0 = (rest % k_tiles) * KT;
    rest /= k_tiles;
    const std::int64_t line = rest % pre;
    const std::int64_t field = rest / pre;
    const int np = static_cast<int>(min64(PB, post - p0));
    const int nk = static_cast<int>(min64(KT, nout - k0));
    const float* in_re = in + (field * 2 * pre + line) * nin * post + p0;
    const float* in_im = in_re + pre * nin * post;
    const float* t_re = matrix_t + k0;
    const float* t_im = t_re + nin * padded;
    float acc_re[PB][KT], acc_im[PB][KT];
    for (int p = 0; p < PB; ++p)
      for (int k = 0; k < KT; ++k) {
        acc_re[p][k] = 0.0f;
        acc_im[p][k] = 0.0f;
      }
    if (np == PB) {
      for (std::int64_t m = 0; m < nin; ++m) {
        const float* wr = t_re + m * padded;
        const float* wi = t_im + m * padded;
        for (int p = 0; p < PB; ++p) {
          const float xr = in_re[m * post + p], xi = in_im[m * post + p];
          for (int k = 0; k < KT; ++k) {
            acc_re[p][k] += wr[k] * xr - wi[k] * xi;
            acc_im[p][k] += wr[k] * xi + wi[k] * xr;
          }
        }
      }
    } else {
      for (std::int64_t m = 0; m < nin; ++m) {
        const float* wr = t_re + m * padded;
        const float* wi = t_im + m * padded;
        for (int p = 0; p < np; ++p) {
          const float xr = in_re[m * post + p], xi = in_im[m * post + p];
          for (int k = 0; k < KT; ++k) {
            acc_re[p][k] += wr[k] * xr - wi[k] * xi;
            acc_im[p][k] += wr[k] * xi + wi[k] * xr;
          }
        }
      }
    }
    float* out_re = out + ((field * 2 * pre + line) * nout + k0) * post + p0;
    float* out_im = out_re + pre * nout * post;
    for (int k = 0; k < nk; ++k)
      for (int p = 0; p < np; ++p) {
        out_re[k * post + p] = acc_re[p][k];
        out_im[k * post + p] = acc_im[p][k];
      }
  }
};

/// Output tile of AxisTransformByOutput and the padded row length of its transposed matrices.
constexpr int output_tile = 16;
std::int64_t padded_outputs(std::int64_t nout) {
  return (nout + output_tile - 1) / output_tile * output_tile;
}

/// (nout, nin) complex matrix (real block, imaginary block) → its transpose padded to whole
/// output tiles, as AxisTransformByOutput reads it.
std::vector<float> transposed_padded(const std::vector<float>& matrix, std::int64_t nout, std::int64_t nin) {
  const std::int64_t padded = padded_outputs(nout);
  std::vector<float> t(static_cast<std::size_t>(2 * nin * padded), 0.0f);
  for (std::int64_t part = 0; part < 2; ++part)
    for (std::int64_t k = 0; k < nout; ++k)
      for (std::int64_t m = 0; m < nin; ++m)
        t[static_cast<std::size_t>((part * nin + m) * padded + k)] =
            matrix[static_cast<std::size_t>((part * nout + k) * nin + m)];
  return t;
}

/// Last axis, kept complex bins → real rows (the C2R step of irfftn, scaled by 1/∏N), with the
/// epilogue out = act(value + bias(channel) [+ out]).
template <int RB, int NT, Activation Act, bool Accumulate>
struct LastAxisInverse {
  const float* in;
  float* out;
  const float* matrix;  // (2k, n)
  const float* bias;
  std::int64_t rows, n, k, pre, channels, n_tiles;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t task) const {
    const std::int64_t n0 = (task % n_tiles) * NT;
    const std::int64_t r0 = (task / n_tiles) * RB;
    const int nr = static_cast<int>(min64(RB, rows - r0));
    const int nn = static_cast<int>(min64(NT, n - n0));
    const float* re[RB];
    for (int r = 0; r < RB; ++r) {
      const std::int64_t row = r0 + (r < nr ? r : 0);
      re[r] = in + ((row / pre) * 2 * pre + row % pre) * k;
    }
    const std::int64_t plane = pre * k;
    float acc[RB][NT];
    for (int r = 0; r < RB; ++r)
      for (int j = 0; j < NT; ++j)
        acc[r][j] = 0.0f;
    if (nr == RB && nn == NT) {
      for (std::int64_t c = 0; c < k; ++c) {
        const float* g = matrix + c * n + n0;
        for (int r = 0; r < RB; ++r) {
          const float v = re[r][c];
          for (int j = 0; j < NT; ++j)
            acc[r][j] += v * g[j];
        }
      }
      for (std::int64_t c = 0; c < k; ++c) {
        const float* g = matrix + (k + c) * n + n0;
        for (int r = 0; r < RB; ++r) {
          const float v = re[r][plane + c];
          for (int j = 0; j < NT; ++j)
            acc[r][j] += v * g[j];
        }
      }
    } else {
      for (std::int64_t c = 0; c < k; ++c) {
        const float* g = matrix + c * n + n0;
        for (int r = 0; r < nr; ++r) {
          const float v = re[r][c];
          for (int j = 0; j < nn; ++j)
            acc[r][j] += v * g[j];
        }
      }
      for (std::int64_t c = 0; c < k; ++c) {
        const float* g = matrix + (k + c) * n + n0;
        for (int r = 0; r < nr; ++r) {
          const float v = re[r][plane + c];
          for (int j = 0; j < nn; ++j)
            acc[r][j] += v * g[j];
        }
      }
    }
    for (int r = 0; r < nr; ++r) {
      const std::int64_t row = r0 + r;
      const float b = bias ? bias[(row / pre) % channels] : 0.0f;
      float* y = out + row * n + n0;
      for (int j = 0; j < nn; ++j) {
        float v = acc[r][j] + b;
        if (Accumulate) v += y[j];
        if (Act == Activation::gelu) v = gelu(v);
        y[j] = v;
      }
    }
  }
};

/// spectrum_out(b, o, q) = Σ_i spectrum_in(b, i, q) · W(i, o, map(q)), complex. One task = BT
/// samples × QT modes of one output channel; on the host the sample tiles run fastest so the
/// weight tile stays in cache, on devices the modes.
template <int BT, int QT, bool Identity, bool HostOrder>
struct MixModes {
  const float* in;
  float* out;
  const float* weight;  // (ci, co, 2, mw)
  const std::int64_t* map;
  std::int64_t batch, ci, co, q, mw, b_tiles, q_tiles;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t task) const {
    std::int64_t bt, qt, o;
    if (HostOrder) {
      bt = task % b_tiles;
      qt = (task / b_tiles) % q_tiles;
      o = task / b_tiles / q_tiles;
    } else {
      qt = task % q_tiles;
      o = (task / q_tiles) % co;
      bt = task / q_tiles / co;
    }
    const std::int64_t b0 = bt * BT, q0 = qt * QT;
    const int nb = static_cast<int>(min64(BT, batch - b0));
    const int nq = static_cast<int>(min64(QT, q - q0));
    float acc_re[BT][QT], acc_im[BT][QT], wr[QT], wi[QT];
    for (int b = 0; b < BT; ++b)
      for (int c = 0; c < QT; ++c) {
        acc_re[b][c] = 0.0f;
        acc_im[b][c] = 0.0f;
      }
    for (int c = 0; c < QT; ++c) {
      wr[c] = 0.0f;
      wi[c] = 0.0f;
    }
    const bool full = nb == BT && nq == QT;
    for (std::int64_t i = 0; i < ci; ++i) {
      const float* w_re = weight + (i * co + o) * 2 * mw;
      const float* w_im = w_re + mw;
      for (int c = 0; c < nq; ++c) {
        const std::int64_t idx = Identity ? q0 + c : map[q0 + c];
        wr[c] = w_re[idx];
        wi[c] = w_im[idx];
      }
      if (full) {
        for (int b = 0; b < BT; ++b) {
          const float* xr = in + ((b0 + b) * ci + i) * 2 * q + q0;
          const float* xi = xr + q;
          for (int c = 0; c < QT; ++c) {
            acc_re[b][c] += xr[c] * wr[c] - xi[c] * wi[c];
            acc_im[b][c] += xr[c] * wi[c] + xi[c] * wr[c];
          }
        }
      } else {
        for (int b = 0; b < nb; ++b) {
          const float* xr = in + ((b0 + b) * ci + i) * 2 * q + q0;
          const float* xi = xr + q;
          for (int c = 0; c < nq; ++c) {
            acc_re[b][c] += xr[c] * wr[c] - xi[c] * wi[c];
            acc_im[b][c] += xr[c] * wi[c] + xi[c] * wr[c];
          }
        }
      }
    }
    for (int b = 0; b < nb; ++b) {
      float* yr = out + ((b0 + b) * co + o) * 2 * q + q0;
      float* yi = yr + q;
      for (int c = 0; c < nq; ++c) {
        yr[c] = acc_re[b][c];
        yi[c] = acc_im[b][c];
      }
    }
  }
};

/// Host column tile for the last-axis forward matrix: 2K rounded up to a multiple of 8, at most 32.
int host_column_tile(std::int64_t columns) {
  if (columns <= 8) return 8;
  if (columns <= 16) return 16;
  if (columns <= 24) return 24;
  return 32;
}

/// Columns of the last-axis forward matrix: 2K, rounded up to the host kernel's column tile.
template <class ExecSpace>
std::int64_t last_axis_columns(std::int64_t k) {
  const int tile = detail::host_space<ExecSpace> ? host_column_tile(2 * k) : 1;
  return (2 * k + tile - 1) / tile * tile;
}

template <class ExecSpace, int RB, int CT>
void launch_last_forward(const ExecSpace& exec, const float* in, float* out, const float* matrix, std::int64_t rows,
                         std::int64_t n, std::int64_t k, std::int64_t columns, std::int64_t pre) {
  const std::int64_t column_tiles = columns / CT;
  const std::int64_t row_blocks = (rows + RB - 1) / RB;
  Kokkos::parallel_for("gavel::spectral::last_axis_forward",
                       detail::RangePolicy<ExecSpace>(exec, 0, row_blocks * column_tiles),
                       LastAxisForward<RB, CT>{in, out, matrix, rows, n, k, columns, pre, column_tiles});
}

/// One leading-axis transform; `matrix_t` is the host layout for short lines (empty on devices).
template <class ExecSpace>
void axis_transform(const ExecSpace& exec, const float* in, float* out, const float* matrix, const float* matrix_t,
                    std::int64_t fields, std::int64_t pre, std::int64_t nin, std::int64_t nout, std::int64_t post) {
  const auto run = [&](auto kernel_tag, int kb, int pt) {
    using Kernel = decltype(kernel_tag);
    const std::int64_t k_blocks = (nout + kb - 1) / kb;
    const std::int64_t post_tiles = (post + pt - 1) / pt;
    Kokkos::parallel_for("gavel::spectral::axis_transform",
                         detail::RangePolicy<ExecSpace>(exec, 0, fields * pre * k_blocks * post_tiles),
                         Kernel{in, out, matrix, pre, nin, nout, post, k_blocks, post_tiles});
  };
  if constexpr (detail::host_space<ExecSpace>) {
    if (post >= 16) {
      run(AxisTransform<4, 16>{}, 4, 16);
    } else {
      constexpr int PB = 4;
      const std::int64_t k_tiles = (nout + output_tile - 1) / output_tile;
      const std::int64_t post_blocks = (post + PB - 1) / PB;
      Kokkos::parallel_for("gavel::spectral::axis_transform",
                           detail::RangePolicy<ExecSpace>(exec, 0, fields * pre * k_tiles * post_blocks),
                           AxisTransformByOutput<output_tile, PB>{in, out, matrix_t, pre, nin, nout,
                                                                  padded_outputs(nout), post, k_tiles, post_blocks});
    }
  } else {
    run(AxisTransform<1, 1>{}, 1, 1);
  }
}

template <class ExecSpace, Activation Act, bool Accumulate>
void launch_last_inverse(const ExecSpace& exec, const float* in, float* out, const float* matrix, const float* bias,
                         std::int64_t rows, std::int64_t n, std::int64_t k, std::int64_t pre, std::int64_t channels) {
  constexpr bool host = detail::host_space<ExecSpace>;
  constexpr int RB = host ? 4 : 1;
  constexpr int NT = host ? 32 : 1;
  const std::int64_t n_tiles = (n + NT - 1) / NT;
  const std::int64_t row_blocks = (rows + RB - 1) / RB;
  Kokkos::parallel_for(
      "gavel::spectral::last_axis_inverse", detail::RangePolicy<ExecSpace>(exec, 0, row_blocks * n_tiles),
      LastAxisInverse<RB, NT, Act, Accumulate>{in, out, matrix, bias, rows, n, k, pre, channels, n_tiles});
}

}  // namespace

// ---- ModeSelection ------------------------------------------------------------------------------

ModeSelection ModeSelection::make(const std::vector<std::int64_t>& grid,
                                  const std::vector<std::int64_t>& weight_modes) {
  if (grid.empty() || grid.size() != weight_modes.size())
    throw Error("spectral convolution: a " + std::to_string(grid.size()) + "-D grid (" + sizes_text(grid) + ") for " +
                std::to_string(weight_modes.size()) + "-D weight modes (" + sizes_text(weight_modes) + ")");
  for (std::size_t a = 0; a < grid.size(); ++a)
    if (grid[a] <= 0 || weight_modes[a] <= 0)
      throw Error("spectral convolution: grid " + sizes_text(grid) + " and weight modes " + sizes_text(weight_modes) +
                  " must be positive");
  ModeSelection s;
  s.grid = grid;
  s.weight_modes = weight_modes;
  const std::size_t d = grid.size();
  for (std::size_t a = 0; a < d; ++a) {
    const std::int64_t n = grid[a], m = weight_modes[a];
    std::vector<std::int64_t> fwd, inv, w;
    if (a + 1 < d) {
      const std::int64_t k = std::min(n, m);
      const std::int64_t offset = (n - k) / 2;
      for (std::int64_t j = 0; j < k; ++j) {
        fwd.push_back(positive_mod(j + offset - n / 2, n));
        inv.push_back(positive_mod(j + offset + n / 2, n));
        w.push_back(j + (m - k) / 2);
      }
    } else {
      const std::int64_t k = std::min(n / 2 + 1, m);
      for (std::int64_t j = 0; j < k; ++j) {
        fwd.push_back(j);
        inv.push_back(j);
        w.push_back(j);
      }
    }
    s.kept.push_back(static_cast<std::int64_t>(fwd.size()));
    s.forward_frequency.push_back(fwd);
    s.inverse_frequency.push_back(inv);
    s.weight_index.push_back(w);
  }
  return s;
}

std::int64_t ModeSelection::kept_count() const {
  return product(kept, 0, kept.size());
}
std::int64_t ModeSelection::weight_count() const {
  return product(weight_modes, 0, weight_modes.size());
}
std::int64_t ModeSelection::grid_points() const {
  return product(grid, 0, grid.size());
}

// ---- SpectralPlan -------------------------------------------------------------------------------

template <class ExecSpace>
SpectralPlan<ExecSpace>::SpectralPlan(const std::vector<std::int64_t>& grid,
                                      const std::vector<std::int64_t>& weight_modes)
    : modes_(ModeSelection::make(grid, weight_modes)) {
  const std::size_t d = grid.size();
  const std::int64_t n = grid[d - 1];
  const std::int64_t k = modes_.kept[d - 1];
  last_columns_ = last_axis_columns<ExecSpace>(k);

  std::vector<float> forward(static_cast<std::size_t>(n * last_columns_), 0.0f);
  for (std::int64_t m = 0; m < n; ++m)
    for (std::int64_t c = 0; c < k; ++c) {
      const double angle = dft_angle(modes_.forward_frequency[d - 1][static_cast<std::size_t>(c)], m, n);
      forward[static_cast<std::size_t>(m * last_columns_ + c)] = static_cast<float>(std::cos(angle));
      forward[static_cast<std::size_t>(m * last_columns_ + k + c)] = static_cast<float>(-std::sin(angle));
    }
  last_forward_ = detail::upload<memory_space>(forward, "gavel::spectral::last_forward");

  const double scale = 1.0 / static_cast<double>(modes_.grid_points());
  std::vector<float> inverse(static_cast<std::size_t>(2 * k * n));
  for (std::int64_t c = 0; c < k; ++c) {
    const std::int64_t freq = modes_.inverse_frequency[d - 1][static_cast<std::size_t>(c)];
    // C2R: the DC bin and (even N) the Nyquist bin count once and only by their real part
    // (their sine rows vanish); every other bin stands for itself and its conjugate twin.
    const double weight = (freq == 0 || 2 * freq == n) ? scale : 2.0 * scale;
    for (std::int64_t m = 0; m < n; ++m) {
      const double angle = dft_angle(freq, m, n);
      inverse[static_cast<std::size_t>(c * n + m)] = static_cast<float>(weight * std::cos(angle));
      inverse[static_cast<std::size_t>((k + c) * n + m)] =
          (freq == 0 || 2 * freq == n) ? 0.0f : static_cast<float>(-weight * std::sin(angle));
    }
  }
  last_inverse_ = detail::upload<memory_space>(inverse, "gavel::spectral::last_inverse");

  for (std::size_t a = 0; a + 1 < d; ++a) {
    const std::int64_t na = grid[a], ka = modes_.kept[a];
    std::vector<float> fwd(static_cast<std::size_t>(2 * ka * na)), inv(static_cast<std::size_t>(2 * na * ka));
    for (std::int64_t j = 0; j < ka; ++j)
      for (std::int64_t m = 0; m < na; ++m) {
        const double af = dft_angle(modes_.forward_frequency[a][static_cast<std::size_t>(j)], m, na);
        fwd[static_cast<std::size_t>(j * na + m)] = static_cast<float>(std::cos(af));
        fwd[static_cast<std::size_t>(ka * na + j * na + m)] = static_cast<float>(-std::sin(af));
        const double ai = dft_angle(modes_.inverse_frequency[a][static_cast<std::size_t>(j)], m, na);
        inv[static_cast<std::size_t>(m * ka + j)] = static_cast<float>(std::cos(ai));
        inv[static_cast<std::size_t>(na * ka + m * ka + j)] = static_cast<float>(std::sin(ai));
      }
    axis_forward_.push_back(detail::upload<memory_space>(fwd, "gavel::spectral::axis_forward"));
    axis_inverse_.push_back(detail::upload<memory_space>(inv, "gavel::spectral::axis_inverse"));
    if (detail::host_space<ExecSpace>) {
      axis_forward_t_.push_back(
          detail::upload<memory_space>(transposed_padded(fwd, ka, na), "gavel::spectral::axis_forward_t"));
      axis_inverse_t_.push_back(
          detail::upload<memory_space>(transposed_padded(inv, na, ka), "gavel::spectral::axis_inverse_t"));
    } else {
      axis_forward_t_.emplace_back();
      axis_inverse_t_.emplace_back();
    }
  }

  const std::int64_t q = modes_.kept_count();
  std::vector<std::int64_t> map(static_cast<std::size_t>(q));
  for (std::int64_t flat = 0; flat < q; ++flat) {
    std::int64_t rest = flat, index = 0, stride = 1;
    for (std::size_t a = d; a-- > 0;) {
      const std::int64_t j = rest % modes_.kept[a];
      rest /= modes_.kept[a];
      index += modes_.weight_index[a][static_cast<std::size_t>(j)] * stride;
      stride *= modes_.weight_modes[a];
    }
    map[static_cast<std::size_t>(flat)] = index;
  }
  weight_map_ = detail::upload<memory_space>(map, "gavel::spectral::weight_map");
}

template <class ExecSpace>
typename SpectralPlan<ExecSpace>::View SpectralPlan<ExecSpace>::spectrum_buffer(int which, std::int64_t n) {
  detail::reserve(spectra_[which], n, "gavel::spectral::spectrum");
  return spectra_[which];
}

template <class ExecSpace>
std::array<std::int64_t, 2> SpectralPlan<ExecSpace>::forward_scratch(const ModeSelection& modes, std::int64_t fields) {
  // forward(): the last axis into scratch 0 (when leading axes follow), then each leading axis
  // but the first into the other buffer, the first straight into the spectrum.
  const auto& g = modes.grid;
  const auto& kept = modes.kept;
  const std::size_t d = g.size();
  std::array<std::int64_t, 2> lengths{};
  if (d > 1) lengths[0] = fields * product(g, 0, d - 1) * 2 * kept[d - 1];
  std::size_t current = 0;
  for (std::size_t a = d - 1; a-- > 0;) {
    if (a > 0)
      lengths[1 - current] =
          std::max(lengths[1 - current], fields * 2 * product(g, 0, a) * kept[a] * product(kept, a + 1, d));
    current = 1 - current;
  }
  return lengths;
}

template <class ExecSpace>
std::array<std::int64_t, 2> SpectralPlan<ExecSpace>::inverse_scratch(const ModeSelection& modes, std::int64_t fields) {
  // inverse(): each leading axis from the first into alternating buffers; the last axis writes the output.
  const auto& g = modes.grid;
  const auto& kept = modes.kept;
  const std::size_t d = g.size();
  std::array<std::int64_t, 2> lengths{};
  std::size_t current = 0;
  for (std::size_t a = 0; a + 1 < d; ++a) {
    lengths[current] = std::max(lengths[current], fields * 2 * product(g, 0, a) * g[a] * product(kept, a + 1, d));
    current = 1 - current;
  }
  return lengths;
}

template <class ExecSpace>
typename SpectralPlan<ExecSpace>::WorkLengths SpectralPlan<ExecSpace>::work_lengths(const ModeSelection& modes,
                                                                                    std::int64_t batch,
                                                                                    std::int64_t in_channels,
                                                                                    std::int64_t out_channels) {
  WorkLengths lengths;
  const std::int64_t q = modes.kept_count();
  lengths.spectra = {batch * in_channels * 2 * q, batch * out_channels * 2 * q};
  const auto forward = forward_scratch(modes, batch * in_channels);
  const auto inverse = inverse_scratch(modes, batch * out_channels);
  for (std::size_t s = 0; s < 2; ++s)
    lengths.scratch[s] = std::max(forward[s], inverse[s]);
  return lengths;
}

template <class ExecSpace>
std::size_t SpectralPlan<ExecSpace>::table_bytes(const ModeSelection& modes) {
  // The matrices the constructor uploads, element for element.
  const std::size_t d = modes.grid.size();
  const std::int64_t n = modes.grid[d - 1], k = modes.kept[d - 1];
  const auto floats = [](std::int64_t count) { return allocation_bytes(count, sizeof(float)); };
  std::size_t bytes = floats(n * last_axis_columns<ExecSpace>(k)) + floats(2 * k * n);
  for (std::size_t a = 0; a + 1 < d; ++a) {
    const std::int64_t na = modes.grid[a], ka = modes.kept[a];
    bytes += 2 * floats(2 * ka * na);
    if (detail::host_space<ExecSpace>)
      bytes += floats(2 * na * padded_outputs(ka)) + floats(2 * ka * padded_outputs(na));
  }
  return bytes + allocation_bytes(modes.kept_count(), sizeof(std::int64_t));
}

template <class ExecSpace>
std::size_t SpectralPlan<ExecSpace>::held_bytes() const {
  std::size_t bytes = view_bytes(last_forward_) + view_bytes(last_inverse_) + view_bytes(weight_map_);
  for (const auto* tables : {&axis_forward_, &axis_inverse_, &axis_forward_t_, &axis_inverse_t_})
    for (const auto& view : *tables)
      bytes += view_bytes(view);
  for (int s = 0; s < 2; ++s)
    bytes += view_bytes(scratch_[s]) + view_bytes(spectra_[s]);
  return bytes;
}

template <class ExecSpace>
void SpectralPlan<ExecSpace>::forward(const ExecSpace& exec, const ConstView& in, std::int64_t fields,
                                      const View& spectrum) {
  if (!valid()) throw Error("spectral transform: used before a grid was set");
  const auto& g = modes_.grid;
  const auto& kept = modes_.kept;
  const std::size_t d = g.size();
  detail::require_length(in, fields * modes_.grid_points(), "spectral transform: input");
  detail::require_length(spectrum, fields * 2 * modes_.kept_count(), "spectral transform: spectrum");
  if (fields == 0) return;
  const std::int64_t n = g[d - 1], k = kept[d - 1];
  const std::int64_t pre_last = product(g, 0, d - 1);
  const std::int64_t rows = fields * pre_last;

  const auto scratch = forward_scratch(modes_, fields);
  for (int s = 0; s < 2; ++s)
    detail::reserve(scratch_[s], scratch[static_cast<std::size_t>(s)], "gavel::spectral::scratch");
  float* target = d > 1 ? scratch_[0].data() : spectrum.data();
  if constexpr (detail::host_space<ExecSpace>) {
    switch (host_column_tile(2 * k)) {
      case 8:
        launch_last_forward<ExecSpace, 4, 8>(exec, in.data(), target, last_forward_.data(), rows, n, k, last_columns_,
                                             pre_last);
        break;
      case 16:
        launch_last_forward<ExecSpace, 4, 16>(exec, in.data(), target, last_forward_.data(), rows, n, k, last_columns_,
                                              pre_last);
        break;
      case 24:
        launch_last_forward<ExecSpace, 4, 24>(exec, in.data(), target, last_forward_.data(), rows, n, k, last_columns_,
                                              pre_last);
        break;
      default:
        launch_last_forward<ExecSpace, 4, 32>(exec, in.data(), target, last_forward_.data(), rows, n, k, last_columns_,
                                              pre_last);
    }
  } else {
    launch_last_forward<ExecSpace, 1, 1>(exec, in.data(), target, last_forward_.data(), rows, n, k, last_columns_,
                                         pre_last);
  }
  // Leading axes from the last-but-one down to the first: (…, N_a, K_{a+1}, …) → (…, K_a, …).
  int current = 0;
  for (std::size_t a = d - 1; a-- > 0;) {
    const std::int64_t pre = product(g, 0, a);
    const std::int64_t post = product(kept, a + 1, d);
    float* dst = a > 0 ? scratch_[1 - current].data() : spectrum.data();
    axis_transform(exec, scratch_[current].data(), dst, axis_forward_[a].data(), axis_forward_t_[a].data(), fields, pre,
                   g[a], kept[a], post);
    current = 1 - current;
  }
}

template <class ExecSpace>
void SpectralPlan<ExecSpace>::inverse(const ExecSpace& exec, const ConstView& spectrum, std::int64_t fields,
                                      std::int64_t channels, const ConstView& bias, const View& out,
                                      Activation activation, bool accumulate) {
  if (!valid()) throw Error("spectral transform: used before a grid was set");
  const auto& g = modes_.grid;
  const auto& kept = modes_.kept;
  const std::size_t d = g.size();
  detail::require_length(spectrum, fields * 2 * modes_.kept_count(), "spectral transform: spectrum");
  detail::require_length(out, fields * modes_.grid_points(), "spectral transform: output");
  if (channels <= 0 || fields % channels != 0)
    throw Error("spectral transform: " + std::to_string(fields) + " fields are not a whole number of samples of " +
                std::to_string(channels) + " channels");
  if (bias.extent(0) != 0) detail::require_length(bias, channels, "spectral transform: bias");
  if (fields == 0) return;

  // Leading axes from the first on: (…, K_a, …) → (…, N_a, …).
  const auto scratch = inverse_scratch(modes_, fields);
  for (int s = 0; s < 2; ++s)
    detail::reserve(scratch_[s], scratch[static_cast<std::size_t>(s)], "gavel::spectral::scratch");
  const float* src = spectrum.data();
  int current = 0;
  for (std::size_t a = 0; a + 1 < d; ++a) {
    const std::int64_t pre = product(g, 0, a);
    const std::int64_t post = product(kept, a + 1, d);
    axis_transform(exec, src, scratch_[current].data(), axis_inverse_[a].data(), axis_inverse_t_[a].data(), fields, pre,
                   kept[a], g[a], post);
    src = scratch_[current].data();
    current = 1 - current;
  }
  const std::int64_t n = g[d - 1], k = kept[d - 1];
  const std::int64_t pre_last = product(g, 0, d - 1);
  const std::int64_t rows = fields * pre_last;
  const float* b = bias.extent(0) ? bias.data() : nullptr;
  const auto go = [&](auto act, auto acc) {
    launch_last_inverse<ExecSpace, decltype(act)::value, decltype(acc)::value>(
        exec, src, out.data(), last_inverse_.data(), b, rows, n, k, pre_last, channels);
  };
  if (activation == Activation::tanh) throw Error("spectral_conv: only none and gelu epilogues exist");
  using None = std::integral_constant<Activation, Activation::none>;
  using Gelu = std::integral_constant<Activation, Activation::gelu>;
  if (activation == Activation::gelu)
    accumulate ? go(Gelu{}, std::true_type{}) : go(Gelu{}, std::false_type{});
  else
    accumulate ? go(None{}, std::true_type{}) : go(None{}, std::false_type{});
}

// ---- SpectralConv -------------------------------------------------------------------------------

template <class ExecSpace>
SpectralConv<ExecSpace>::SpectralConv(std::int64_t in_channels, std::int64_t out_channels,
                                      const std::vector<std::int64_t>& weight_modes, const std::vector<float>& weight,
                                      const std::vector<float>& bias)
    : in_channels_(in_channels), out_channels_(out_channels), weight_modes_(weight_modes) {
  if (in_channels <= 0 || out_channels <= 0 || weight_modes.empty())
    throw Error("spectral convolution: channel counts and modes must be given and positive");
  std::int64_t modes = 1;
  for (auto m : weight_modes) {
    if (m <= 0) throw Error("spectral convolution: weight modes " + sizes_text(weight_modes) + " must be positive");
    modes *= m;
  }
  const std::int64_t pairs = in_channels * out_channels * modes;
  if (static_cast<std::int64_t>(weight.size()) != 2 * pairs)
    throw Error("spectral convolution: weight holds " + std::to_string(weight.size()) + " values, expected " +
                std::to_string(in_channels) + "x" + std::to_string(out_channels) + "x" + sizes_text(weight_modes) +
                "x2");
  if (!bias.empty() && static_cast<std::int64_t>(bias.size()) != out_channels)
    throw Error("spectral convolution: bias holds " + std::to_string(bias.size()) + " values, expected " +
                std::to_string(out_channels));
  // (in, out, modes…, 2) interleaved → (in, out, 2, modes) planes.
  std::vector<float> planes(weight.size());
  for (std::int64_t io = 0; io < in_channels * out_channels; ++io)
    for (std::int64_t m = 0; m < modes; ++m) {
      planes[static_cast<std::size_t>((io * 2) * modes + m)] = weight[static_cast<std::size_t>(2 * (io * modes + m))];
      planes[static_cast<std::size_t>((io * 2 + 1) * modes + m)] =
          weight[static_cast<std::size_t>(2 * (io * modes + m) + 1)];
    }
  weight_ = detail::upload<memory_space>(planes, "gavel::spectral::weight");
  if (!bias.empty()) bias_ = detail::upload<memory_space>(bias, "gavel::spectral::bias");
}

template <class ExecSpace>
void SpectralConv<ExecSpace>::mix(const ExecSpace& exec, const SpectralPlan<ExecSpace>& plan,
                                  const ConstView& spectrum_in, const View& spectrum_out, std::int64_t batch) const {
  const ModeSelection& modes = plan.modes();
  if (modes.weight_modes != weight_modes_)
    throw Error("spectral convolution: the plan was made for weight modes " + sizes_text(modes.weight_modes) +
                ", the layer has " + sizes_text(weight_modes_));
  const std::int64_t q = modes.kept_count();
  detail::require_length(spectrum_in, batch * in_channels_ * 2 * q, "spectral convolution: input spectrum");
  detail::require_length(spectrum_out, batch * out_channels_ * 2 * q, "spectral convolution: output spectrum");
  if (batch == 0) return;
  const std::int64_t mw = modes.weight_count();
  const auto run = [&](auto kernel_tag, int bt, int qt) {
    using Kernel = decltype(kernel_tag);
    const std::int64_t b_tiles = (batch + bt - 1) / bt;
    const std::int64_t q_tiles = (q + qt - 1) / qt;
    Kokkos::parallel_for("gavel::spectral::mix",
                         detail::RangePolicy<ExecSpace>(exec, 0, b_tiles * q_tiles * out_channels_),
                         Kernel{spectrum_in.data(), spectrum_out.data(), weight_.data(), plan.weight_map().data(),
                                batch, in_channels_, out_channels_, q, mw, b_tiles, q_tiles});
  };
  const bool identity = modes.uses_whole_weight();
  if constexpr (detail::host_space<ExecSpace>) {
    if (identity)
      run(MixModes<4, 16, true, true>{}, 4, 16);
    else
      run(MixModes<4, 16, false, true>{}, 4, 16);
  } else {
    if (identity)
      run(MixModes<1, 1, true, false>{}, 1, 1);
    else
      run(MixModes<1, 1, false, false>{}, 1, 1);
  }
}

template <class ExecSpace>
void SpectralConv<ExecSpace>::apply(const ExecSpace& exec, SpectralPlan<ExecSpace>& plan, const ConstView& in,
                                    const View& out, std::int64_t batch, Activation activation, bool accumulate) const {
  if (!plan.valid()) throw Error("spectral convolution: the plan has no grid");
  const std::int64_t points = plan.modes().grid_points();
  detail::require_length(in, batch * in_channels_ * points, "spectral convolution: input");
  detail::require_length(out, batch * out_channels_ * points, "spectral convolution: output");
  if (batch == 0) return;
  const auto lengths = SpectralPlan<ExecSpace>::work_lengths(plan.modes(), batch, in_channels_, out_channels_);
  View spectrum_in = plan.spectrum_buffer(0, lengths.spectra[0]);
  View spectrum_out = plan.spectrum_buffer(1, lengths.spectra[1]);
  plan.forward(exec, in, batch * in_channels_, spectrum_in);
  mix(exec, plan, spectrum_in, spectrum_out, batch);
  plan.inverse(exec, spectrum_out, batch * out_channels_, out_channels_, bias_, out, activation, accumulate);
}

#define GAVEL_INSTANTIATE_SPECTRAL(SPACE) \
  template class SpectralPlan<SPACE>;     \
  template class SpectralConv<SPACE>;
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_SPECTRAL)
#undef GAVEL_INSTANTIATE_SPECTRAL

}  // namespace gavel::surrogates::layers
