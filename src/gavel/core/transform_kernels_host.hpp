#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

#include "gavel/core/element_map.hpp"
#include "gavel/core/tile_geometry.hpp"
#include "gavel/core/transform_kernels.hpp"

namespace gavel::detail {

/// One output line of a gather on the host: `n` values of output axis `k` starting at index
/// `j0`, read from `in` (already offset to the line's other coordinates). Along the line the
/// source index moves by ±1 with at most one periodic wrap, so the line is at most two strided
/// segments; unit strides get their own loops so that the compiler vectorises them.
template <class Scalar, bool Accumulate>
inline void gather_line(Scalar* out, const Scalar* in, const ElementMap& m, int k, std::int64_t j0, int n,
                        Scalar sign) {
  const std::int64_t extent = m.extent[k];
  std::int64_t i = m.offset[k] + m.sign[k] * j0;
  i = ((i % extent) + extent) % extent;
  const std::int64_t step = m.sign[k] * m.in_stride[k];
  int done = 0;
  while (done < n) {
    const std::int64_t room = m.sign[k] > 0 ? extent - i : i + 1;
    const int len = static_cast<int>(room < n - done ? room : n - done);
    const Scalar* src = in + i * m.in_stride[k];
    Scalar* dst = out + done;
    if (step == 1) {
      for (int q = 0; q < len; ++q) {
        if constexpr (Accumulate)
          dst[q] += sign * src[q];
        else
          dst[q] = sign * src[q];
      }
    } else if (step == -1) {
      for (int q = 0; q < len; ++q) {
        if constexpr (Accumulate)
          dst[q] += sign * src[-q];
        else
          dst[q] = sign * src[-q];
      }
    } else {
      for (int q = 0; q < len; ++q) {
        if constexpr (Accumulate)
          dst[q] += sign * src[q * step];
        else
          dst[q] = sign * src[q * step];
      }
    }
    done += len;
    i = m.sign[k] > 0 ? 0 : extent - 1;
  }
}

/// Calls body(line_origin_in_source, out_line_offset, tile_line_offset) for every line of a tile
/// along the last axis.
template <class Body>
inline void for_each_tile_line(const TileGeometry& geo, const ElementMap& m, const std::int64_t origin[kMaxSpatialDims],
                               const int count[kMaxSpatialDims], const Body& body) {
  const int last = geo.ndim - 1;
  const TileLines lines(geo.ndim, last, count);
  for (int row = 0; row < lines.rows; ++row) {
    int local[kMaxSpatialDims];
    lines.coordinates(row, count, local);
    std::int64_t in_row = 0;
    std::int64_t out_row = origin[last];
    int tile_row = 0;
    for (int i = 0; i < lines.num_other; ++i) {
      const int k = lines.other[i];
      in_row += m.source_offset(k, origin[k] + local[k]);
      out_row += (origin[k] + local[k]) * geo.out_stride[k];
      tile_row += local[k] * geo.scratch_stride[k];
    }
    body(in_row, out_row, tile_row);
  }
}

/// Host version of GatherTiles: one (element, sample, channel, tile) per iteration, plain loops.
template <class Scalar, class ExecSpace>
struct HostGatherTiles {
  using memory_space = typename ExecSpace::memory_space;
  Kokkos::View<const Scalar*, memory_space> in;
  Kokkos::View<Scalar*, memory_space> out;
  ElementTables<memory_space> tables;
  TileGeometry geo;
  std::int64_t first = 0;
  std::int64_t batch = 1;
  std::int64_t channels = 1;

  void operator()(const std::int64_t league_rank) const {
    std::int64_t rank = league_rank;
    const std::int64_t tile_id = rank % geo.num_tiles;
    rank /= geo.num_tiles;
    const std::int64_t c = rank % channels;
    rank /= channels;
    const std::int64_t b = rank % batch;
    const std::int64_t e_local = rank / batch;
    const std::int64_t e = first + e_local;
    const ElementMap& m = tables.maps(e);
    const Scalar sign = static_cast<Scalar>(tables.channel_sign(e, c));
    const Scalar* source = in.data() + (b * channels + tables.channel_source(e, c)) * geo.points;
    Scalar* target = out.data() + ((e_local * batch + b) * channels + c) * geo.points;
    std::int64_t origin[kMaxSpatialDims];
    int count[kMaxSpatialDims];
    geo.locate(tile_id, origin, count);
    const int last = geo.ndim - 1;
    for_each_tile_line(geo, m, origin, count, [&](std::int64_t in_row, std::int64_t out_row, int) {
      gather_line<Scalar, false>(target + out_row, source + in_row, m, last, origin[last], count[last], sign);
    });
  }
};

/// Host version of AverageTiles: accumulates every element's line into a tile buffer in scratch.
template <class Scalar, class ExecSpace>
struct HostAverageTiles {
  using memory_space = typename ExecSpace::memory_space;
  using member_type = typename Kokkos::TeamPolicy<ExecSpace>::member_type;
  using scratch_view =
      Kokkos::View<Scalar*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  Kokkos::View<const Scalar*, memory_space> y;
  Kokkos::View<Scalar*, memory_space> out;
  ElementTables<memory_space> tables;
  TileGeometry geo;
  std::int64_t num_elements = 1;
  std::int64_t batch = 1;
  std::int64_t channels = 1;

  void operator()(const member_type& team) const {
    std::int64_t rank = team.league_rank();
    const std::int64_t tile_id = rank % geo.num_tiles;
    rank /= geo.num_tiles;
    const std::int64_t c = rank % channels;
    const std::int64_t b = rank / channels;
    std::int64_t origin[kMaxSpatialDims];
    int count[kMaxSpatialDims];
    geo.locate(tile_id, origin, count);
    const int last = geo.ndim - 1;
    scratch_view acc(team.team_scratch(0), geo.scratch_size);
    Scalar* tile = acc.data();
    for (int i = 0; i < geo.scratch_size; ++i)
      tile[i] = Scalar(0);
    for (std::int64_t e = 0; e < num_elements; ++e) {
      const ElementMap& m = tables.maps(e);
      const Scalar sign = static_cast<Scalar>(tables.channel_sign(e, c));
      const Scalar* source = y.data() + ((e * batch + b) * channels + tables.channel_source(e, c)) * geo.points;
      for_each_tile_line(geo, m, origin, count, [&](std::int64_t in_row, std::int64_t, int tile_row) {
        gather_line<Scalar, true>(tile + tile_row, source + in_row, m, last, origin[last], count[last], sign);
      });
    }
    const Scalar scale = Scalar(1) / static_cast<Scalar>(num_elements);
    Scalar* target = out.data() + (b * channels + c) * geo.points;
    // Any element map serves to enumerate the output lines; only their output offsets are used.
    for_each_tile_line(geo, tables.maps(0), origin, count, [&](std::int64_t, std::int64_t out_row, int tile_row) {
      for (int q = 0; q < count[last]; ++q)
        target[out_row + q] = scale * tile[tile_row + q];
    });
  }
};

}  // namespace gavel::detail
