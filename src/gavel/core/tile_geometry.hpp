#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

#include "gavel/core/grid.hpp"

namespace gavel::detail {

/// How the transform kernels cut a grid into tiles: each team owns one tile of one (sample,
/// channel) field, reads it along whichever axis is contiguous in the source and writes it along
/// the output's contiguous axis, staging through a padded scratch tile when the two differ.
struct TileGeometry {
  int ndim = 1;
  std::int64_t extent[kMaxSpatialDims] = {1, 1, 1};
  std::int64_t out_stride[kMaxSpatialDims] = {1, 1, 1};
  int tile[kMaxSpatialDims] = {1, 1, 1};
  std::int64_t tiles[kMaxSpatialDims] = {1, 1, 1};
  std::int64_t num_tiles = 1;
  std::int64_t points = 1;
  /// Scratch strides: row-major over the tile, every axis but the first padded by one so that
  /// lanes running along any axis hit distinct shared-memory banks.
  int scratch_stride[kMaxSpatialDims] = {1, 1, 1};
  int scratch_size = 1;

  /// Origin and extent (clipped at the grid's end) of tile `tile_id` along every axis.
  KOKKOS_INLINE_FUNCTION void locate(std::int64_t tile_id, std::int64_t origin[kMaxSpatialDims],
                                     int count[kMaxSpatialDims]) const {
    for (int k = ndim - 1; k >= 0; --k) {
      const std::int64_t t = tile_id % tiles[k];
      tile_id /= tiles[k];
      origin[k] = t * tile[k];
      const std::int64_t left = extent[k] - origin[k];
      count[k] = left < tile[k] ? static_cast<int>(left) : tile[k];
    }
    for (int k = ndim; k < kMaxSpatialDims; ++k) {
      origin[k] = 0;
      count[k] = 1;
    }
  }
};

/// The axes other than `lane_axis`, and the number of tile lines along `lane_axis`.
struct TileLines {
  int other[kMaxSpatialDims - 1] = {0, 0};
  int num_other = 0;
  int rows = 1;

  KOKKOS_INLINE_FUNCTION TileLines(int ndim, int lane_axis, const int count[kMaxSpatialDims]) {
    for (int k = 0; k < ndim; ++k)
      if (k != lane_axis) {
        other[num_other++] = k;
        rows *= count[k];
      }
  }
  /// Local coordinates (on the non-lane axes) of tile line `row`; the lane axis is left at 0.
  KOKKOS_INLINE_FUNCTION void coordinates(int row, const int count[kMaxSpatialDims], int local[kMaxSpatialDims]) const {
    local[0] = local[1] = local[2] = 0;
    for (int i = num_other - 1; i >= 0; --i) {
      local[other[i]] = row % count[other[i]];
      row /= count[other[i]];
    }
  }
};

/// Tile extents and team shape of the two kernel families.
///  - team tiles (portable, GPU-first): 32×32 (2-D) or 16³ (3-D) tiles, one vector lane per tile
///    column so that global loads and stores coalesce, staged through scratch when transposed;
///  - host lines (CPU): one thread per tile, long lines along the output's contiguous axis read
///    with unit or fixed strides; tiles sized so that a transposed read reuses its cache lines.
struct LaunchShape {
  static void team_tile(int ndim, int tile[kMaxSpatialDims]) {
    const int t = ndim == 1 ? 1024 : ndim == 2 ? 32 : 16;
    tile[0] = tile[1] = tile[2] = t;
  }
  /// Host tiles for elements whose output rows read across source rows, walked by gather_strip
  /// in bands of 16 rows along the output axis `a` that reads the source's contiguous axis (one
  /// 64-byte source line per row read). 2-D: one band, whole along the last axis. 3-D: whole
  /// along the last axis, and along `a` and the remaining axis as far as about 16 K values
  /// (64 KiB of floats) go, so that a tile reads whole source rows from a compact box that the
  /// kernel can prefetch while the previous tile runs (16-row slabs of a 64³ field read one line
  /// from each of its 4096 rows).
  static void host_strip_tile(const Grid& grid, int a, int tile[kMaxSpatialDims]) {
    tile[0] = tile[1] = tile[2] = 1 << 30;
    const int ndim = grid.ndim();
    if (ndim == 2) tile[a] = 16;
    if (ndim == 3 && a < 2) {
      constexpr std::int64_t budget = 1 << 14;
      const std::int64_t row = grid.extent(2);
      std::int64_t along_a = (budget / row) / 16 * 16;
      if (along_a < 16) along_a = 16;
      tile[a] = static_cast<int>(along_a < grid.extent(a) ? along_a : grid.extent(a));
      const std::int64_t across = budget / (static_cast<std::int64_t>(tile[a]) * row);
      tile[1 - a] = static_cast<int>(across > 1 ? across : 1);  // the axis that is neither a nor the last
    }
  }
  /// Host tiles for the fused average: slabs of about 64 K values (an L2-resident accumulator),
  /// whole along the last axes.
  static void host_average_tile(const Grid& grid, int tile[kMaxSpatialDims]) {
    std::int64_t budget = 1 << 16;
    tile[0] = tile[1] = tile[2] = 1;
    for (int k = grid.ndim() - 1; k >= 0; --k) {
      const std::int64_t take = grid.extent(k) < budget ? grid.extent(k) : budget;
      tile[k] = static_cast<int>(take > 0 ? take : 1);
      budget /= tile[k];
      if (budget < 1) budget = 1;
    }
  }
  /// Host tiles for elements that keep the last axis: whole rows, consecutive along output axis
  /// `k`, the axis that reads the source's second-fastest axis, so that consecutive rows read
  /// consecutive source rows. 2-D: 8 rows. 3-D: about 16 K values (few tiles, so little per-tile
  /// work and one store fence per 64 KiB), more rows along `k` where the other axis is the inner
  /// one of the row walk (k = 1); where it is the outer one (k = 0), one value along it, so the
  /// tile reads one contiguous run of source rows (measured: 4 interleaved runs, 16 KiB apart,
  /// made [y,x,-z] ~1.5× slower).
  static void host_line_tile(const Grid& grid, int k, int tile[kMaxSpatialDims]) {
    const int ndim = grid.ndim();
    tile[0] = tile[1] = tile[2] = 1;
    tile[ndim - 1] = ndim == 1 ? 4096 : 1 << 30;
    if (ndim == 2) tile[k] = 8;
    if (ndim == 3 && k < 2) {
      constexpr std::int64_t budget = 1 << 14;
      const std::int64_t row = grid.extent(2);
      const std::int64_t along_k = budget / row > 8 ? budget / row : 8;
      tile[k] = static_cast<int>(along_k < grid.extent(k) ? along_k : grid.extent(k));
      const std::int64_t across = budget / (static_cast<std::int64_t>(tile[k]) * row);
      tile[1 - k] = k == 0 ? 1 : static_cast<int>(across > 1 ? across : 1);
    }
  }
  static int team_size(int ndim) { return ndim == 3 ? 16 : 8; }
  static int vector_length(int ndim) { return ndim == 3 ? 16 : 32; }
};

/// Tiles one field of `grid` with at most `tile_extent[k]` cells along axis k.
inline TileGeometry make_tile_geometry(const Grid& grid, const int tile_extent[kMaxSpatialDims]) {
  TileGeometry geo;
  geo.ndim = grid.ndim();
  for (int k = 0; k < geo.ndim; ++k) {
    geo.extent[k] = grid.extent(k);
    geo.tile[k] = static_cast<int>(grid.extent(k) < tile_extent[k] ? grid.extent(k) : tile_extent[k]);
    geo.tiles[k] = (geo.extent[k] + geo.tile[k] - 1) / geo.tile[k];
  }
  geo.num_tiles = 1;
  geo.points = 1;
  for (int k = geo.ndim - 1; k >= 0; --k) {
    geo.out_stride[k] = geo.points;
    geo.points *= geo.extent[k];
    geo.num_tiles *= geo.tiles[k];
  }
  int stride = 1;
  for (int k = geo.ndim - 1; k >= 0; --k) {
    geo.scratch_stride[k] = stride;
    stride *= geo.tile[k] + (k > 0 ? 1 : 0);
  }
  geo.scratch_size = stride;
  return geo;
}

}  // namespace gavel::detail
