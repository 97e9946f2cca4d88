#pragma once
// Host-only ("wide") convolution kernels: each work item keeps a block of output channels × 16
// consecutive outputs in registers. The 16-float run is a GCC/Clang vector type where the host
// compiler offers one (compilers do not reliably keep arrays of accumulators in registers);
// elsewhere (e.g. host code under nvcc) a plain array with the same interface. Internal: included
// by the layer .cpp files and launched only on host-accessible execution spaces.

#include <cstdint>
#include <cstring>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/conv_kernels.hpp"

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__CUDACC__) && !defined(__HIPCC__)
#define GAVEL_LAYERS_VECTOR_LANES 1
#endif

namespace gavel::surrogates::layers::detail {

/// Outputs per run of the wide kernels.
constexpr int kLanes = 16;

/// Output channels per work item of the wide kernels: as many 16-float accumulators as the
/// vector registers hold (32 × 512 bit with AVX-512; 16 × 256 bit with AVX2, 4 runs = 8 registers).
#if defined(__AVX512F__)
constexpr int kWideChannels = 16;
#else
constexpr int kWideChannels = 4;
#endif

#if defined(GAVEL_LAYERS_VECTOR_LANES)
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));
// Lanes travel by reference only: by value they would change the ABI between -m flags (-Wpsabi).
inline void lanes_zero(Lanes& v) {
  v = Lanes{};
}
inline void lanes_load(Lanes& v, const float* p) {
  std::memcpy(&v, p, sizeof v);
}
inline void lanes_fma(Lanes& acc, float w, const Lanes& x) {
  acc += w * x;
}
inline void lanes_store(float* p, const Lanes& v) {
  std::memcpy(p, &v, sizeof v);
}
typedef std::int32_t LanesInt __attribute__((vector_size(kLanes * sizeof(std::int32_t))));

/// The lanes where `mask` is set from `a`, the others from `b`, into `v`.
inline void lanes_select(Lanes& v, const LanesInt& mask, const Lanes& a, const Lanes& b) {
  v = (Lanes)((mask & (LanesInt)a) | (~mask & (LanesInt)b));
}

/// v ← e^v (arguments clamped to [−87, 88]): v = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its
/// Taylor polynomial to r⁷ (truncation < 1e-8 relative), 2^k from the exponent bits.
inline void lanes_exp(Lanes& v) {
  const Lanes lo = Lanes{} - 87.0f, hi = Lanes{} + 88.0f;
  lanes_select(v, v < lo, lo, v);
  lanes_select(v, v > hi, hi, v);
  const Lanes t = v * 1.44269504088896341f;
  Lanes half = Lanes{} + 0.5f;
  lanes_select(half, t < 0.0f, Lanes{} - 0.5f, half);
  const LanesInt k = __builtin_convertvector(t + half, LanesInt);  // round half away from zero
  const Lanes kf = __builtin_convertvector(k, Lanes);
  const Lanes r = (v - kf * 0.693145751953125f) - kf * 1.428606765330187045e-6f;
  Lanes p = r * (1.0f / 5040.0f) + (1.0f / 720.0f);
  p = p * r + (1.0f / 120.0f);
  p = p * r + (1.0f / 24.0f);
  p = p * r + (1.0f / 6.0f);
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const LanesInt bits = (k + 127) << 23;
  v = p * (Lanes)(bits);
}

/// v ← tanh v within a few ulp (odd Taylor polynomial to x²¹ below |x| = 0.625, truncation
/// < 1e-8; (1 − e^{−2|x|}) / (1 + e^{−2|x|}) with the sign of x above). NaN stays NaN.
inline void lanes_tanh(Lanes& v) {
  const LanesInt sign_bit = LanesInt{} + static_cast<std::int32_t>(0x80000000u);
  const LanesInt sign = (LanesInt)(v)&sign_bit;
  const LanesInt abs_bits = (LanesInt)(v) & ~sign_bit;
  const Lanes a = (Lanes)(abs_bits);
  const Lanes x2 = v * v;
  Lanes p = x2 * 9.691537956929451e-05f - 2.3912911424355248e-04f;
  p = p * x2 + 5.90027440945586e-04f;
  p = p * x2 - 1.4558343870513183e-03f;
  p = p * x2 + 3.592128036572481e-03f;
  p = p * x2 - 8.863235529902197e-03f;
  p = p * x2 + 2.1869488536155203e-02f;
  p = p * x2 - 5.396825396825397e-02f;
  p = p * x2 + 1.3333333333333333e-01f;
  p = p * x2 - 3.333333333333333e-01f;
  const Lanes small = v + v * x2 * p;
  Lanes e = a * -2.0f;
  lanes_exp(e);
  const Lanes large = (1.0f - e) / (1.0f + e);
  const LanesInt signed_large = (LanesInt)(large) | sign;
  lanes_select(v, a < 0.625f, small, (Lanes)(signed_large));
}

/// v ← GELU(v) = v/2 · erfc(−v/√2), erfc from the Chebyshev fit of Numerical Recipes (erfcc,
/// fractional error < 1.2e-7 everywhere), which keeps the relative accuracy for negative v.
inline void lanes_gelu(Lanes& v) {
  const Lanes w = v * -0.7071067811865475244f;
  const LanesInt sign_bit = LanesInt{} + static_cast<std::int32_t>(0x80000000u);
  const LanesInt abs_bits = (LanesInt)(w) & ~sign_bit;
  const Lanes z = (Lanes)(abs_bits);
  const Lanes t = 1.0f / (1.0f + 0.5f * z);
  Lanes p = t * 0.17087277f - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  // e^{−z²} as e^{−h²} · e^{−(z−h)(z+h)} with h = z rounded to 12 bits, so that h² is exact: a
  // rounded z² would cost up to z²·2⁻²⁴ of relative accuracy in the tail.
  const LanesInt head_bits = (LanesInt)(z) & static_cast<std::int32_t>(0xfffff000u);
  const Lanes h = (Lanes)(head_bits);
  Lanes e1 = -(h * h);
  Lanes e2 = p - (z - h) * (z + h);
  lanes_exp(e1);
  lanes_exp(e2);
  const Lanes tail = t * e1 * e2;  // erfc(|w|)
  Lanes erfc;
  lanes_select(erfc, w < 0.0f, 2.0f - tail, tail);
  v = 0.5f * v * erfc;
}
#else
struct Lanes {
  float v[kLanes];
};
inline void lanes_zero(Lanes& v) {
  v = Lanes{};
}
inline void lanes_load(Lanes& v, const float* p) {
  for (int t = 0; t < kLanes; ++t)
    v.v[t] = p[t];
}
inline void lanes_fma(Lanes& acc, float w, const Lanes& x) {
  for (int t = 0; t < kLanes; ++t)
    acc.v[t] += w * x.v[t];
}
inline void lanes_store(float* p, const Lanes& v) {
  for (int t = 0; t < kLanes; ++t)
    p[t] = v.v[t];
}
inline void lanes_tanh(Lanes& v) {
  for (int t = 0; t < kLanes; ++t)
    v.v[t] = activate_as<Activation::tanh>(v.v[t]);
}
inline void lanes_gelu(Lanes& v) {
  for (int t = 0; t < kLanes; ++t)
    v.v[t] = activate_as<Activation::gelu>(v.v[t]);
}
inline Lanes operator*(const Lanes& a, float s) {
  Lanes r;
  for (int t = 0; t < kLanes; ++t)
    r.v[t] = a.v[t] * s;
  return r;
}
inline Lanes operator+(const Lanes& a, float s) {
  Lanes r;
  for (int t = 0; t < kLanes; ++t)
    r.v[t] = a.v[t] + s;
  return r;
}
#endif

/// Stores n ≤ 16 outputs of a run: out[t·step] = [res[t·step] +] act(scale·acc[t] + shift), the
/// activation evaluated on all lanes at once.
inline void lanes_finish(float* out, const float* res, Index step, Lanes& acc, int n, float scale, float shift,
                         Activation act) {
  acc = acc * scale + shift;
  if (act == Activation::tanh) lanes_tanh(acc);
  if (act == Activation::gelu) lanes_gelu(acc);
  float values[kLanes];
  lanes_store(values, acc);
  if (res) {
    for (int t = 0; t < n; ++t)
      out[t * step] = res[t * step] + values[t];
  } else {
    for (int t = 0; t < n; ++t)
      out[t * step] = values[t];
  }
}

/// p[0], p[stride], …, p[(n−1)·stride] and zeros after: partial runs and strided reads.
inline void lanes_gather(Lanes& v, const float* p, Index stride, int n) {
  float t[kLanes] = {};
  for (int i = 0; i < n && i < kLanes; ++i)
    t[i] = p[i * stride];
  lanes_load(v, t);
}

inline int run_length(Index extent, Index x0) {
  return static_cast<int>(extent - x0 < kLanes ? (extent - x0 > 0 ? extent - x0 : 0) : kLanes);
}

/// Dense (grouped) convolution: one work item = one sample, one block of Channels output
/// channels of one group, one output row, 16 consecutive outputs. Weights packed
/// [group·block][input channel][tap][channel in block].
template <int Channels>
struct HostDenseConvKernel {
  ConvGeometry g;
  Index runs_per_row;
  bool blocks_inner;

  template <bool Contiguous>
  void accumulate(Lanes (&acc)[Channels], const float* in, const float* w, Index z, Index y, Index x0, int n) const {
    const Index sx = g.stride[2];
    for (Index ci = 0; ci < g.cig; ++ci) {
      const float* plane = in + ci * g.in_channel_stride;
      const float* wc = w + ci * g.taps * Channels;
      for (Index a = 0; a < g.k[0]; ++a)
        for (Index c = 0; c < g.k[1]; ++c) {
          const float* row = plane + ((z * g.stride[0] + a) * g.m[1] + (y * g.stride[1] + c)) * g.m[2] + x0 * sx;
          const float* wr = wc + (a * g.k[1] + c) * g.k[2] * Channels;
#if defined(GAVEL_LAYERS_VECTOR_LANES)
          // The next run of this row, two lines on: with dozens of channels × taps rows in flight
          // the hardware prefetchers lose track of them on large maps.
          if constexpr (Contiguous) __builtin_prefetch(row + 2 * kLanes);
#endif
          for (Index e = 0; e < g.k[2]; ++e) {
            Lanes x;
            if constexpr (Contiguous)
              lanes_load(x, row + e);
            else
              lanes_gather(x, row + e, sx, n);
            const float* we = wr + e * Channels;
            for (int o = 0; o < Channels; ++o)
              lanes_fma(acc[o], we[o], x);
          }
        }
    }
  }

  void operator()(Index i) const {
    const Index nblk = g.groups * g.blocks_per_group;
    Index run, y, z, blk, b;
    if (blocks_inner) {  // (b, z, y, run, block): one input run serves every block from L1
      blk = i % nblk;
      Index r = i / nblk;
      run = r % runs_per_row;
      r /= runs_per_row;
      y = r % g.o[1];
      r /= g.o[1];
      z = r % g.o[0];
      b = r / g.o[0];
    } else {  // (b, block, z, y, run): one block's weights stay in cache over the whole map
      run = i % runs_per_row;
      Index r = i / runs_per_row;
      y = r % g.o[1];
      r /= g.o[1];
      z = r % g.o[0];
      r /= g.o[0];
      blk = r % nblk;
      b = r / nblk;
    }
    const Index grp = blk / g.blocks_per_group;
    const Index first = (blk % g.blocks_per_group) * Channels;
    const Index x0 = run * kLanes;
    const int n = run_length(g.o[2], x0);

    Lanes acc[Channels];
    for (int o = 0; o < Channels; ++o)
      lanes_zero(acc[o]);
    const float* in = g.in + b * g.in_batch_stride + grp * g.cig * g.in_channel_stride;
    const float* w = g.weight + blk * g.cig * g.taps * Channels;
    if (n == kLanes && g.stride[2] == 1)
      accumulate<true>(acc, in, w, z, y, x0, n);
    else
      accumulate<false>(acc, in, w, z, y, x0, n);

    const Index offset = (z * g.o[1] + y) * g.o[2] + x0;
    for (int o = 0; o < Channels; ++o) {
      if (first + o >= g.cog) break;
      const Index oc = grp * g.cog + first + o;
      float* dst = g.out + b * g.out_batch_stride + oc * g.out_channel_stride + offset;
      const float* res =
          g.residual ? g.residual + b * g.residual_batch_stride + oc * g.out_channel_stride + offset : nullptr;
      lanes_finish(dst, res, 1, acc[o], n, g.scale[oc], g.shift[oc], g.act);
    }
  }
};

#if defined(GAVEL_LAYERS_VECTOR_LANES)
/// Dense convolution for output rows narrower than a run (Width = 8 or 4 outputs, x stride 1, as
/// in the coarsest U-Net levels): one work item = one sample, one block of Channels output
/// channels, 16 / Width consecutive output rows (over z and y) packed into one full run, so no
/// lane is idle and the input is read with vector loads instead of gathers. Same weight packing
/// and epilogue as HostDenseConvKernel; the output rows are contiguous, so the stores are too.
template <int Channels, int Width>
struct HostDenseConvRowsKernel {
  static_assert(Width == 8 || Width == 4, "rows of 8 or 4 outputs");
  static constexpr int kRows = kLanes / Width;
  ConvGeometry g;
  Index row_groups;
  bool blocks_inner;

  /// Width floats from each of the kRows pointers p + base[r], in order, into v.
  static void load_rows(Lanes& v, const float* p, const Index (&base)[kRows]) {
    typedef float Half __attribute__((vector_size(8 * sizeof(float))));
    if constexpr (Width == 8) {
      Half lo, hi;
      std::memcpy(&lo, p + base[0], sizeof lo);
      std::memcpy(&hi, p + base[1], sizeof hi);
      v = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    } else {
      typedef float Quarter __attribute__((vector_size(4 * sizeof(float))));
      Quarter q0, q1, q2, q3;
      std::memcpy(&q0, p + base[0], sizeof q0);
      std::memcpy(&q1, p + base[1], sizeof q1);
      std::memcpy(&q2, p + base[2], sizeof q2);
      std::memcpy(&q3, p + base[3], sizeof q3);
      const Half lo = __builtin_shufflevector(q0, q1, 0, 1, 2, 3, 4, 5, 6, 7);
      const Half hi = __builtin_shufflevector(q2, q3, 0, 1, 2, 3, 4, 5, 6, 7);
      v = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    }
  }

  void operator()(Index i) const {
    const Index nblk = g.groups * g.blocks_per_group;
    Index group, blk, b;
    if (blocks_inner) {  // (b, row group, block)
      blk = i % nblk;
      const Index r = i / nblk;
      group = r % row_groups;
      b = r / row_groups;
    } else {  // (b, block, row group)
      group = i % row_groups;
      const Index r = i / row_groups;
      blk = r % nblk;
      b = r / nblk;
    }
    const Index grp = blk / g.blocks_per_group;
    const Index first = (blk % g.blocks_per_group) * Channels;
    const Index rows = g.o[0] * g.o[1];
    const Index q0 = group * kRows;
    const int n = static_cast<int>((rows - q0 < kRows ? rows - q0 : kRows) * Width);
    // Input offset of each packed row's first tap; rows past the end repeat the first (their
    // lanes are computed but not stored).
    Index base[kRows];
    for (int r = 0; r < kRows; ++r) {
      const Index q = q0 + r < rows ? q0 + r : q0;
      const Index z = q / g.o[1], y = q % g.o[1];
      base[r] = (z * g.stride[0] * g.m[1] + y * g.stride[1]) * g.m[2];
    }

    Lanes acc[Channels];
    for (int o = 0; o < Channels; ++o)
      lanes_zero(acc[o]);
    const float* in = g.in + b * g.in_batch_stride + grp * g.cig * g.in_channel_stride;
    const float* w = g.weight + blk * g.cig * g.taps * Channels;
    for (Index ci = 0; ci < g.cig; ++ci) {
      const float* plane = in + ci * g.in_channel_stride;
      const float* wc = w + ci * g.taps * Channels;
      for (Index a = 0; a < g.k[0]; ++a)
        for (Index c = 0; c < g.k[1]; ++c) {
          const float* row = plane + (a * g.m[1] + c) * g.m[2];
          const float* wr = wc + (a * g.k[1] + c) * g.k[2] * Channels;
          for (Index e = 0; e < g.k[2]; ++e) {
            Lanes x;
            load_rows(x, row + e, base);
            const float* we = wr + e * Channels;
            for (int o = 0; o < Channels; ++o)
              lanes_fma(acc[o], we[o], x);
          }
        }
    }

    const Index offset = q0 * Width;
    for (int o = 0; o < Channels; ++o) {
      if (first + o >= g.cog) break;
      const Index oc = grp * g.cog + first + o;
      float* dst = g.out + b * g.out_batch_stride + oc * g.out_channel_stride + offset;
      const float* res =
          g.residual ? g.residual + b * g.residual_batch_stride + oc * g.out_channel_stride + offset : nullptr;
      lanes_finish(dst, res, 1, acc[o], n, g.scale[oc], g.shift[oc], g.act);
    }
  }
};
#endif

/// Depthwise convolution: one work item = one sample, one channel, one output row, Runs × 16
/// consecutive outputs (independent accumulators hide the FMA latency).
struct HostDepthwiseConvKernel {
  static constexpr int kRuns = 4;
  ConvGeometry g;
  Index groups_per_row;

  void operator()(Index i) const {
    const Index q = i % groups_per_row;
    Index r = i / groups_per_row;
    const Index y = r % g.o[1];
    r /= g.o[1];
    const Index z = r % g.o[0];
    r /= g.o[0];
    const Index ch = r % g.groups;
    const Index b = r / g.groups;
    const Index x0 = q * kRuns * kLanes;
    const Index sx = g.stride[2];
    int n[kRuns];
    for (int j = 0; j < kRuns; ++j)
      n[j] = run_length(g.o[2], x0 + j * kLanes);
    Lanes acc[kRuns];
    for (int j = 0; j < kRuns; ++j)
      lanes_zero(acc[j]);
    const float* plane = g.in + b * g.in_batch_stride + ch * g.in_channel_stride;
    const float* w = g.weight + ch * g.taps;
    const bool contiguous = sx == 1 && n[kRuns - 1] == kLanes;
    for (Index a = 0; a < g.k[0]; ++a)
      for (Index c = 0; c < g.k[1]; ++c) {
        const float* row = plane + ((z * g.stride[0] + a) * g.m[1] + (y * g.stride[1] + c)) * g.m[2] + x0 * sx;
        const float* wr = w + (a * g.k[1] + c) * g.k[2];
        if (contiguous) {
          Lanes x;
          for (Index e = 0; e < g.k[2]; ++e)
            for (int j = 0; j < kRuns; ++j) {
              lanes_load(x, row + j * kLanes + e);
              lanes_fma(acc[j], wr[e], x);
            }
        } else {
          Lanes x;
          for (Index e = 0; e < g.k[2]; ++e)
            for (int j = 0; j < kRuns && n[j] > 0; ++j) {
              lanes_gather(x, row + j * kLanes * sx + e, sx, n[j]);
              lanes_fma(acc[j], wr[e], x);
            }
        }
      }
    for (int j = 0; j < kRuns && n[j] > 0; ++j) {
      const Index offset = (z * g.o[1] + y) * g.o[2] + x0 + j * kLanes;
      float* dst = g.out + b * g.out_batch_stride + ch * g.out_channel_stride + offset;
      const float* res =
          g.residual ? g.residual + b * g.residual_batch_stride + ch * g.out_channel_stride + offset : nullptr;
      lanes_finish(dst, res, 1, acc[j], n[j], g.scale[ch], g.shift[ch], g.act);
    }
  }
};

/// Transposed convolution with kernel = stride: one work item = one sample, one block of
/// Channels output channels, one input row, 16 consecutive input points; per tap a channel mix
/// scattered to every k-th output point. Weights packed [block][tap][input channel][channel in block].
template <int Channels>
struct HostSplatTransposedConvKernel {
  ConvGeometry g;
  Index runs_per_row;

  template <bool Full>
  void accumulate(Lanes (&acc)[Channels], const float* in, const float* w, int n) const {
    for (Index ci = 0; ci < g.cig; ++ci) {
      Lanes x;
      if constexpr (Full)
        lanes_load(x, in + ci * g.in_channel_stride);
      else
        lanes_gather(x, in + ci * g.in_channel_stride, 1, n);
      const float* wc = w + ci * Channels;
      for (int o = 0; o < Channels; ++o)
        lanes_fma(acc[o], wc[o], x);
    }
  }

  void operator()(Index i) const {
    const Index run = i % runs_per_row;
    Index r = i / runs_per_row;
    const Index y = r % g.m[1];
    r /= g.m[1];
    const Index z = r % g.m[0];
    r /= g.m[0];
    const Index blk = r % g.blocks_per_group;
    const Index b = r / g.blocks_per_group;
    const Index first = blk * Channels;
    const Index x0 = run * kLanes;
    const int n = run_length(g.m[2], x0);
    const float* in = g.in + b * g.in_batch_stride + (z * g.m[1] + y) * g.m[2] + x0;
    for (Index a = 0; a < g.k[0]; ++a)
      for (Index c = 0; c < g.k[1]; ++c)
        for (Index e = 0; e < g.k[2]; ++e) {
          const Index tap = (a * g.k[1] + c) * g.k[2] + e;
          Lanes acc[Channels];
          for (int o = 0; o < Channels; ++o)
            lanes_zero(acc[o]);
          const float* w = g.weight + (blk * g.taps + tap) * g.cig * Channels;
          if (n == kLanes)
            accumulate<true>(acc, in, w, n);
          else
            accumulate<false>(acc, in, w, n);
          const Index offset = ((z * g.k[0] + a) * g.o[1] + (y * g.k[1] + c)) * g.o[2] + x0 * g.k[2] + e;
          for (int o = 0; o < Channels; ++o) {
            if (first + o >= g.cog) break;
            const Index oc = first + o;
            float* dst = g.out + b * g.out_batch_stride + oc * g.out_channel_stride + offset;
            const float* res =
                g.residual ? g.residual + b * g.residual_batch_stride + oc * g.out_channel_stride + offset : nullptr;
            lanes_finish(dst, res, g.k[2], acc[o], n, g.scale[oc], g.shift[oc], g.act);
          }
        }
  }
};

template <class ExecSpace, int Channels>
void launch_host_dense(const ExecSpace& exec, const ConvGeometry& g, Index batch) {
  // All blocks' weights small enough to stay in L2 next to the input: loop over blocks innermost.
  const Index weight_bytes = g.groups * g.blocks_per_group * g.cig * g.taps * Channels * Index{sizeof(float)};
#if defined(GAVEL_LAYERS_VECTOR_LANES)
  if (g.stride[2] == 1 && (g.o[2] == 8 || g.o[2] == 4)) {  // narrow rows: pack several per run
    const Index rows_per_run = kLanes / g.o[2];
    const Index row_groups = (g.o[0] * g.o[1] + rows_per_run - 1) / rows_per_run;
    const Index items = batch * g.groups * g.blocks_per_group * row_groups;
    const Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>> policy(exec, 0, items);
    if (g.o[2] == 8)
      Kokkos::parallel_for("gavel::layers::conv_dense_rows_host", policy,
                           HostDenseConvRowsKernel<Channels, 8>{g, row_groups, weight_bytes <= 512 * 1024});
    else
      Kokkos::parallel_for("gavel::layers::conv_dense_rows_host", policy,
                           HostDenseConvRowsKernel<Channels, 4>{g, row_groups, weight_bytes <= 512 * 1024});
    return;
  }
#endif
  const Index runs = (g.o[2] + kLanes - 1) / kLanes;
  const Index items = batch * g.groups * g.blocks_per_group * g.o[0] * g.o[1] * runs;
  Kokkos::parallel_for("gavel::layers::conv_dense_host",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items),
                       HostDenseConvKernel<Channels>{g, runs, weight_bytes <= 512 * 1024});
}

template <class ExecSpace>
void launch_host_depthwise(const ExecSpace& exec, const ConvGeometry& g, Index batch) {
  constexpr Index span = HostDepthwiseConvKernel::kRuns * kLanes;
  const Index groups = (g.o[2] + span - 1) / span;
  const Index items = batch * g.groups * g.o[0] * g.o[1] * groups;
  Kokkos::parallel_for("gavel::layers::conv_depthwise_host",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items),
                       HostDepthwiseConvKernel{g, groups});
}

template <class ExecSpace, int Channels>
void launch_host_splat_transposed(const ExecSpace& exec, const ConvGeometry& g, Index batch) {
  const Index runs = (g.m[2] + kLanes - 1) / kLanes;
  const Index items = batch * g.blocks_per_group * g.m[0] * g.m[1] * runs;
  Kokkos::parallel_for("gavel::layers::conv_transposed_host",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items),
                       HostSplatTransposedConvKernel<Channels>{g, runs});
}

}  // namespace gavel::surrogates::layers::detail
