#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

#include "gavel/core/element_map.hpp"
#include "gavel/core/tile_geometry.hpp"

namespace gavel::detail {

/// Per-element tables a kernel reads: gather maps and signed channel permutations [element][channel].
template <class MemorySpace>
struct ElementTables {
  Kokkos::View<const ElementMap*, MemorySpace> maps;
  Kokkos::View<const int**, MemorySpace> channel_source;
  Kokkos::View<const int**, MemorySpace> channel_sign;
};

/// What every transform kernel reads besides its data: the element tables, the tiling and the
/// batch shape. A launch index stands for ((outer · batch + sample) · channels + channel) ·
/// num_tiles + tile, where outer is the element (or its output slot) where there is one.
template <class MemorySpace>
struct KernelArgs {
  ElementTables<MemorySpace> tables;
  TileGeometry geo;
  std::int64_t batch = 1;
  std::int64_t channels = 1;

  struct Task {
    std::int64_t outer, sample, channel, tile;
  };
  KOKKOS_INLINE_FUNCTION Task task(std::int64_t rank) const {
    Task t{0, 0, 0, 0};
    t.tile = rank % geo.num_tiles;
    rank /= geo.num_tiles;
    t.channel = rank % channels;
    rank /= channels;
    t.sample = rank % batch;
    t.outer = rank / batch;
    return t;
  }
  /// The field that output channel c of element e reads, in batch entry `entry` of `data`.
  template <class Scalar>
  KOKKOS_INLINE_FUNCTION const Scalar* source_field(const Scalar* data, std::int64_t e, std::int64_t entry,
                                                    std::int64_t c) const {
    return data + (entry * channels + tables.channel_source(e, c)) * geo.points;
  }
  /// Output field (entry, c) of `data`.
  template <class Scalar>
  KOKKOS_INLINE_FUNCTION Scalar* target_field(Scalar* data, std::int64_t entry, std::int64_t c) const {
    return data + (entry * channels + c) * geo.points;
  }
  template <class Scalar>
  KOKKOS_INLINE_FUNCTION Scalar sign(std::int64_t e, std::int64_t c) const {
    return static_cast<Scalar>(tables.channel_sign(e, c));
  }
};

/// out(e, b, c) = element e · in(b) for the elements [first, first + count) of `tables`:
/// one team per (element, sample, channel, tile).
template <class Scalar, class ExecSpace>
struct GatherTiles {
  using memory_space = typename ExecSpace::memory_space;
  using member_type = typename Kokkos::TeamPolicy<ExecSpace>::member_type;
  using scratch_view =
      Kokkos::View<Scalar*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  Kokkos::View<const Scalar*, memory_space> in;
  Kokkos::View<Scalar*, memory_space> out;
  KernelArgs<memory_space> args;
  std::int64_t first = 0;

  KOKKOS_FUNCTION void operator()(const member_type& team) const {
    const TileGeometry& geo = args.geo;
    const auto task = args.task(team.league_rank());
    const std::int64_t e = first + task.outer;
    const ElementMap& m = args.tables.maps(e);
    const Scalar sign = args.template sign<Scalar>(e, task.channel);
    const Scalar* source = args.source_field(in.data(), e, task.sample, task.channel);
    Scalar* target = args.target_field(out.data(), task.outer * args.batch + task.sample, task.channel);
    const std::int64_t tile_id = task.tile;

    std::int64_t origin[kMaxSpatialDims];
    int count[kMaxSpatialDims];
    geo.locate(tile_id, origin, count);
    const int last = geo.ndim - 1;
    const int a = m.contiguous_reader;

    if (a == last) {
      // The gather already runs along the output's contiguous axis: copy line by line.
      const TileLines lines(geo.ndim, last, count);
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, lines.rows), [&](const int row) {
        int local[kMaxSpatialDims];
        lines.coordinates(row, count, local);
        std::int64_t in_row = 0;
        std::int64_t out_row = 0;
        for (int i = 0; i < lines.num_other; ++i) {
          const int k = lines.other[i];
          in_row += m.source_offset(k, origin[k] + local[k]);
          out_row += (origin[k] + local[k]) * geo.out_stride[k];
        }
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, count[last]), [&](const int q) {
          const std::int64_t j = origin[last] + q;
          target[out_row + j] = sign * source[in_row + m.source_offset(last, j)];
        });
      });
      return;
    }

    // Transposed gather: read lines along the source's contiguous axis into scratch, then
    // write lines along the output's contiguous axis.
    scratch_view tile(team.team_scratch(0), geo.scratch_size);
    const TileLines read_lines(geo.ndim, a, count);
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, read_lines.rows), [&](const int row) {
      int local[kMaxSpatialDims];
      read_lines.coordinates(row, count, local);
      std::int64_t in_row = 0;
      int tile_row = 0;
      for (int i = 0; i < read_lines.num_other; ++i) {
        const int k = read_lines.other[i];
        in_row += m.source_offset(k, origin[k] + local[k]);
        tile_row += local[k] * geo.scratch_stride[k];
      }
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, count[a]), [&](const int q) {
        tile(tile_row + q * geo.scratch_stride[a]) = sign * source[in_row + m.source_offset(a, origin[a] + q)];
      });
    });
    team.team_barrier();
    const TileLines write_lines(geo.ndim, last, count);
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, write_lines.rows), [&](const int row) {
      int local[kMaxSpatialDims];
      write_lines.coordinates(row, count, local);
      std::int64_t out_row = origin[last];
      int tile_row = 0;
      for (int i = 0; i < write_lines.num_other; ++i) {
        const int k = write_lines.other[i];
        out_row += (origin[k] + local[k]) * geo.out_stride[k];
        tile_row += local[k] * geo.scratch_stride[k];
      }
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, count[last]),
                           [&](const int q) { target[out_row + q] = tile(tile_row + q); });
    });
  }
};

/// out(b) = 1/|G| Σ_e tables_e · y(e, b), with `tables` holding the inverse elements: the
/// fused inverse-transform-and-average of model outputs. One team per (sample, channel, tile)
/// accumulates every element's contribution in scratch and writes the tile once.
template <class Scalar, class ExecSpace>
struct AverageTiles {
  using memory_space = typename ExecSpace::memory_space;
  using member_type = typename Kokkos::TeamPolicy<ExecSpace>::member_type;
  using scratch_view =
      Kokkos::View<Scalar*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  Kokkos::View<const Scalar*, memory_space> y;
  Kokkos::View<Scalar*, memory_space> out;
  KernelArgs<memory_space> args;
  std::int64_t num_elements = 1;

  KOKKOS_FUNCTION void operator()(const member_type& team) const {
    const TileGeometry& geo = args.geo;
    const auto task = args.task(team.league_rank());
    const std::int64_t tile_id = task.tile;
    const std::int64_t c = task.channel;
    const std::int64_t b = task.sample;
    std::int64_t origin[kMaxSpatialDims];
    int count[kMaxSpatialDims];
    geo.locate(tile_id, origin, count);
    const int last = geo.ndim - 1;

    scratch_view acc(team.team_scratch(0), geo.scratch_size);
    constexpr int chunk = 32;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, (geo.scratch_size + chunk - 1) / chunk), [&](const int row) {
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, chunk), [&](const int q) {
        const int i = row * chunk + q;
        if (i < geo.scratch_size) acc(i) = Scalar(0);
      });
    });
    team.team_barrier();

    for (std::int64_t e = 0; e < num_elements; ++e) {
      const ElementMap& m = args.tables.maps(e);
      const Scalar sign = args.template sign<Scalar>(e, c);
      const Scalar* source = args.source_field(y.data(), e, e * args.batch + b, c);
      const int a = m.contiguous_reader;
      const TileLines lines(geo.ndim, a, count);
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, lines.rows), [&](const int row) {
        int local[kMaxSpatialDims];
        lines.coordinates(row, count, local);
        std::int64_t in_row = 0;
        int tile_row = 0;
        for (int i = 0; i < lines.num_other; ++i) {
          const int k = lines.other[i];
          in_row += m.source_offset(k, origin[k] + local[k]);
          tile_row += local[k] * geo.scratch_stride[k];
        }
        Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, count[a]), [&](const int q) {
          acc(tile_row + q * geo.scratch_stride[a]) += sign * source[in_row + m.source_offset(a, origin[a] + q)];
        });
      });
      // Lanes of the next element may own different tile cells.
      team.team_barrier();
    }

    const Scalar scale = Scalar(1) / static_cast<Scalar>(num_elements);
    Scalar* target = args.target_field(out.data(), b, c);
    const TileLines write_lines(geo.ndim, last, count);
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, write_lines.rows), [&](const int row) {
      int local[kMaxSpatialDims];
      write_lines.coordinates(row, count, local);
      std::int64_t out_row = origin[last];
      int tile_row = 0;
      for (int i = 0; i < write_lines.num_other; ++i) {
        const int k = write_lines.other[i];
        out_row += (origin[k] + local[k]) * geo.out_stride[k];
        tile_row += local[k] * geo.scratch_stride[k];
      }
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(team, count[last]),
                           [&](const int q) { target[out_row + q] = scale * acc(tile_row + q); });
    });
  }
};

}  // namespace gavel::detail
