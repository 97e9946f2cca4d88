#pragma once
// Kernels behind Convolution and TransposedConvolution (internal: included by their .cpp files).

#include <cstdint>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/activations.hpp"

namespace gavel::surrogates::layers::detail {

using Index = std::int64_t;

/// Everything a direct-convolution kernel needs. Input extents `m` are those of the (padded)
/// input it reads, output extents `o`; axes are (d, h, w) with unit extents for absent axes.
struct ConvGeometry {
  const float* in = nullptr;
  Index in_batch_stride = 0;
  Index in_channel_stride = 0;
  Index m[3] = {1, 1, 1};
  float* out = nullptr;
  Index out_batch_stride = 0;
  Index out_channel_stride = 0;
  Index o[3] = {1, 1, 1};
  const float* residual = nullptr;
  Index residual_batch_stride = 0;
  const float* weight = nullptr;
  const float* scale = nullptr;
  const float* shift = nullptr;
  Activation act = Activation::none;
  Index groups = 1;
  Index cig = 1;  // input channels per group
  Index cog = 1;  // output channels per group
  Index blocks_per_group = 1;
  Index k[3] = {1, 1, 1};
  Index stride[3] = {1, 1, 1};
  Index taps = 1;
};

template <Activation A>
KOKKOS_INLINE_FUNCTION float activate_as(float v) {
  if (A == Activation::tanh) return ::tanhf(v);
  if (A == Activation::gelu) return 0.5f * v * (1.0f + ::erff(v * 0.7071067811865475244f));
  return v;
}

template <Activation A, int Run>
KOKKOS_INLINE_FUNCTION void store_run_as(float* out, const float* res, Index step, const float* acc, int n, float scale,
                                         float shift) {
  if (res) {
    // The residual is read before the store: `res` may alias `out` (in-place residual blocks).
    for (int t = 0; t < Run && t < n; ++t)
      out[t * step] = res[t * step] + activate_as<A>(scale * acc[t] + shift);
  } else {
    for (int t = 0; t < Run && t < n; ++t)
      out[t * step] = activate_as<A>(scale * acc[t] + shift);
  }
}

/// Stores n ≤ Run accumulated values: out[t·step] = [res[t·step] +] act(scale·acc[t] + shift).
template <int Run>
KOKKOS_INLINE_FUNCTION void store_run(float* out, const float* res, Index step, const float* acc, int n, float scale,
                                      float shift, Activation act) {
  switch (act) {
    case Activation::tanh:
      store_run_as<Activation::tanh, Run>(out, res, step, acc, n, scale, shift);
      break;
    case Activation::gelu:
      store_run_as<Activation::gelu, Run>(out, res, step, acc, n, scale, shift);
      break;
    default:
      store_run_as<Activation::none, Run>(out, res, step, acc, n, scale, shift);
  }
}

/// Dense (grouped) convolution: one work item = one sample, one block of Channels output
/// channels of one group, one output row, Run consecutive outputs along the last axis.
template <int Channels, int Run>
struct DenseConvKernel {
  ConvGeometry g;
  Index runs_per_row;

  template <bool Full>
  KOKKOS_INLINE_FUNCTION void accumulate(float (&acc)[Channels][Run], const float* in, const float* w, Index z, Index y,
                                         Index x0, int n) const {
    const int count = Full ? Run : n;
    const Index sx = g.stride[2];
    float xv[Run] = {};
    for (Index ci = 0; ci < g.cig; ++ci) {
      const float* plane = in + ci * g.in_channel_stride;
      const float* wc = w + ci * g.taps * Channels;
      for (Index a = 0; a < g.k[0]; ++a)
        for (Index c = 0; c < g.k[1]; ++c) {
          const float* row = plane + ((z * g.stride[0] + a) * g.m[1] + (y * g.stride[1] + c)) * g.m[2] + x0 * sx;
          const float* wr = wc + (a * g.k[1] + c) * g.k[2] * Channels;
          for (Index e = 0; e < g.k[2]; ++e) {
            for (int t = 0; t < count; ++t)
              xv[t] = row[t * sx + e];
            for (int o = 0; o < Channels; ++o) {
              const float wv = wr[e * Channels + o];
              for (int t = 0; t < count; ++t)
                acc[o][t] += wv * xv[t];
            }
          }
        }
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    const Index run = i % runs_per_row;
    Index r = i / runs_per_row;
    const Index y = r % g.o[1];
    r /= g.o[1];
    const Index z = r % g.o[0];
    r /= g.o[0];
    const Index nblk = g.groups * g.blocks_per_group;
    const Index blk = r % nblk;
    const Index b = r / nblk;
    const Index grp = blk / g.blocks_per_group;
    const Index first = (blk % g.blocks_per_group) * Channels;  // within the group
    const Index x0 = run * Run;
    const int n = static_cast<int>(g.o[2] - x0 < Run ? g.o[2] - x0 : Run);

    float acc[Channels][Run] = {};
    const float* in = g.in + b * g.in_batch_stride + grp * g.cig * g.in_channel_stride;
    const float* w = g.weight + blk * g.cig * g.taps * Channels;
    if (n == Run)
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
      store_run<Run>(dst, res, 1, acc[o], n, g.scale[oc], g.shift[oc], g.act);
    }
  }
};

/// Depthwise convolution (one input and one output channel per group): one work item = one
/// sample, one channel, one output row, Run consecutive outputs.
template <int Run>
struct DepthwiseConvKernel {
  ConvGeometry g;
  Index runs_per_row;

  template <bool Full>
  KOKKOS_INLINE_FUNCTION void accumulate(float (&acc)[Run], const float* plane, const float* w, Index z, Index y,
                                         Index x0, int n) const {
    const int count = Full ? Run : n;
    const Index sx = g.stride[2];
    for (Index a = 0; a < g.k[0]; ++a)
      for (Index c = 0; c < g.k[1]; ++c) {
        const float* row = plane + ((z * g.stride[0] + a) * g.m[1] + (y * g.stride[1] + c)) * g.m[2] + x0 * sx;
        const float* wr = w + (a * g.k[1] + c) * g.k[2];
        for (Index e = 0; e < g.k[2]; ++e) {
          const float wv = wr[e];
          for (int t = 0; t < count; ++t)
            acc[t] += wv * row[t * sx + e];
        }
      }
  }

  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    const Index run = i % runs_per_row;
    Index r = i / runs_per_row;
    const Index y = r % g.o[1];
    r /= g.o[1];
    const Index z = r % g.o[0];
    r /= g.o[0];
    const Index ch = r % g.groups;
    const Index b = r / g.groups;
    const Index x0 = run * Run;
    const int n = static_cast<int>(g.o[2] - x0 < Run ? g.o[2] - x0 : Run);
    float acc[Run] = {};
    const float* plane = g.in + b * g.in_batch_stride + ch * g.in_channel_stride;
    const float* w = g.weight + ch * g.taps;
    if (n == Run)
      accumulate<true>(acc, plane, w, z, y, x0, n);
    else
      accumulate<false>(acc, plane, w, z, y, x0, n);
    const Index offset = (z * g.o[1] + y) * g.o[2] + x0;
    float* dst = g.out + b * g.out_batch_stride + ch * g.out_channel_stride + offset;
    const float* res =
        g.residual ? g.residual + b * g.residual_batch_stride + ch * g.out_channel_stride + offset : nullptr;
    store_run<Run>(dst, res, 1, acc, n, g.scale[ch], g.shift[ch], g.act);
  }
};

/// Transposed convolution with kernel = stride (every output point gets one tap from one input
/// point): one work item = one sample, one block of output channels, one input row, Run
/// consecutive input points; each tap is a channel mix scattered to its output points.
/// `m` holds the input extents, `o` the output extents (m·k).
template <int Channels, int Run>
struct SplatTransposedConvKernel {
  ConvGeometry g;
  Index runs_per_row;

  template <bool Full>
  KOKKOS_INLINE_FUNCTION void accumulate(float (&acc)[Channels][Run], const float* in, const float* w, Index row,
                                         int n) const {
    const int count = Full ? Run : n;
    float xv[Run] = {};
    for (Index ci = 0; ci < g.cig; ++ci) {
      const float* src = in + ci * g.in_channel_stride + row;
      for (int t = 0; t < count; ++t)
        xv[t] = src[t];
      const float* wc = w + ci * Channels;
      for (int o = 0; o < Channels; ++o) {
        const float wv = wc[o];
        for (int t = 0; t < count; ++t)
          acc[o][t] += wv * xv[t];
      }
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(Index i) const {
    const Index run = i % runs_per_row;
    Index r = i / runs_per_row;
    const Index y = r % g.m[1];
    r /= g.m[1];
    const Index z = r % g.m[0];
    r /= g.m[0];
    const Index blk = r % g.blocks_per_group;
    const Index b = r / g.blocks_per_group;
    const Index first = blk * Channels;
    const Index x0 = run * Run;
    const int n = static_cast<int>(g.m[2] - x0 < Run ? g.m[2] - x0 : Run);
    const float* in = g.in + b * g.in_batch_stride;
    const Index row = (z * g.m[1] + y) * g.m[2] + x0;
    for (Index a = 0; a < g.k[0]; ++a)
      for (Index c = 0; c < g.k[1]; ++c)
        for (Index e = 0; e < g.k[2]; ++e) {
          const Index tap = (a * g.k[1] + c) * g.k[2] + e;
          float acc[Channels][Run] = {};
          const float* w = g.weight + (blk * g.taps + tap) * g.cig * Channels;
          if (n == Run)
            accumulate<true>(acc, in, w, row, n);
          else
            accumulate<false>(acc, in, w, row, n);
          const Index offset = ((z * g.k[0] + a) * g.o[1] + (y * g.k[1] + c)) * g.o[2] + x0 * g.k[2] + e;
          for (int o = 0; o < Channels; ++o) {
            if (first + o >= g.cog) break;
            const Index oc = first + o;
            float* dst = g.out + b * g.out_batch_stride + oc * g.out_channel_stride + offset;
            const float* res =
                g.residual ? g.residual + b * g.residual_batch_stride + oc * g.out_channel_stride + offset : nullptr;
            store_run<Run>(dst, res, g.k[2], acc[o], n, g.scale[oc], g.shift[oc], g.act);
          }
        }
  }
};

template <class ExecSpace, int Channels, int Run>
void launch_dense(const ExecSpace& exec, const ConvGeometry& g, Index batch) {
  const Index runs = (g.o[2] + Run - 1) / Run;
  const Index items = batch * g.groups * g.blocks_per_group * g.o[0] * g.o[1] * runs;
  Kokkos::parallel_for("gavel::layers::conv_dense",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items),
                       DenseConvKernel<Channels, Run>{g, runs});
}

template <class ExecSpace, int Run>
void launch_depthwise(const ExecSpace& exec, const ConvGeometry& g, Index batch) {
  const Index runs = (g.o[2] + Run - 1) / Run;
  const Index items = batch * g.groups * g.o[0] * g.o[1] * runs;
  Kokkos::parallel_for("gavel::layers::conv_depthwise",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items),
                       DepthwiseConvKernel<Run>{g, runs});
}

template <class ExecSpace, int Channels, int Run>
void launch_splat_transposed(const ExecSpace& exec, const ConvGeometry& g, Index batch) {
  const Index runs = (g.m[2] + Run - 1) / Run;
  const Index items = batch * g.blocks_per_group * g.m[0] * g.m[1] * runs;
  Kokkos::parallel_for("gavel::layers::conv_transposed",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<Index>>(exec, 0, items),
                       SplatTransposedConvKernel<Channels, Run>{g, runs});
}

}  // namespace gavel::surrogates::layers::detail
