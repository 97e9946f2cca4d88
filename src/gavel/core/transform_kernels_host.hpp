#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include <Kokkos_Core.hpp>

#include "gavel/core/block_transpose.hpp"
#include "gavel/core/element_map.hpp"
#include "gavel/core/prefetch_lines.hpp"
#include "gavel/core/tile_geometry.hpp"
#include "gavel/core/transform_kernels.hpp"

namespace gavel::detail {

/// Stores `n` values from `values` at `dst`. Non-temporal stores (x86 SSE2) bypass the cache
/// for outputs far larger than it: they avoid reading each destination line before writing it,
/// which is a third of a copy's memory traffic. Other targets, small outputs and unaligned
/// destinations use plain stores.
template <class Scalar>
inline void store_values(Scalar* dst, const Scalar* values, int n, bool nontemporal) {
#if defined(__SSE2__)
  if (nontemporal && (reinterpret_cast<std::uintptr_t>(dst) % 16) == 0) {
    if constexpr (std::is_same<Scalar, float>::value) {
      int q = 0;
#if defined(__AVX512F__)
      // Whole 64-byte lines in one store each where the destination is line-aligned.
      if ((reinterpret_cast<std::uintptr_t>(dst) % 64) == 0)
        for (; q + 16 <= n; q += 16)
          _mm512_stream_ps(dst + q, _mm512_loadu_ps(values + q));
#endif
      for (; q + 4 <= n; q += 4)
        _mm_stream_ps(dst + q, _mm_loadu_ps(values + q));
      for (; q < n; ++q)
        dst[q] = values[q];
      return;
    } else if constexpr (std::is_same<Scalar, double>::value) {
      int q = 0;
      for (; q + 2 <= n; q += 2)
        _mm_stream_pd(dst + q, _mm_loadu_pd(values + q));
      for (; q < n; ++q)
        dst[q] = values[q];
      return;
    }
  }
#endif
  (void)nontemporal;
  for (int q = 0; q < n; ++q)
    dst[q] = values[q];
}

/// Streams sign · src[±q] (q < n; descending from `src` when `reversed`) to `dst` with
/// non-temporal stores straight from registers, without staging. Returns false, doing nothing,
/// where that is not available (no AVX-512, not float, `dst` not on a 64-byte line).
template <class Scalar>
inline bool stream_row(Scalar* dst, const Scalar* src, int n, bool reversed, Scalar sign) {
// GCC/Clang vector types, as in block_transpose.hpp (GCC 12's _mm512_permutexvar_ps trips
// -Wmaybe-uninitialized).
#if GAVEL_HOST_VECTOR_512
  if constexpr (std::is_same<Scalar, float>::value) {
    typedef float Lanes __attribute__((vector_size(16 * sizeof(float))));
    if ((reinterpret_cast<std::uintptr_t>(dst) % 64) != 0) return false;
    int q = 0;
    if (reversed) {
      // From the row's end, so that the source is read upwards (2-D rows of 1 KiB read downwards
      // ran ~1.5× slower).
      const int whole = n / 16 * 16;
      for (q = n - 1; q >= whole; --q)
        dst[q] = sign * src[-q];
      for (q = whole - 16; q >= 0; q -= 16) {
        Lanes v;
        std::memcpy(&v, src - q - 15, sizeof v);
        v = __builtin_shufflevector(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        _mm512_stream_ps(dst + q, static_cast<__m512>(v * sign));
      }
    } else {
      for (; q + 16 <= n; q += 16) {
        Lanes v;
        std::memcpy(&v, src + q, sizeof v);
        _mm512_stream_ps(dst + q, static_cast<__m512>(v * sign));
      }
      for (; q < n; ++q)
        dst[q] = sign * src[q];
    }
    return true;
  }
#endif
  (void)dst, (void)src, (void)n, (void)reversed, (void)sign;
  return false;
}

/// Makes this thread's non-temporal stores visible before the kernel returns.
inline void finish_nontemporal_stores(bool nontemporal) {
#if defined(__SSE2__)
  if (nontemporal) _mm_sfence();
#endif
  (void)nontemporal;
}

/// One output line of a gather on the host: `n` values of output axis `k` starting at index
/// `j0`, read from `in` (already offset to the line's other coordinates). Along the line the
/// source index moves by ±1 with at most one periodic wrap, so the line is at most two strided
/// segments; unit strides get their own loops so that the compiler vectorises them.
template <class Scalar, bool Accumulate>
inline void gather_line(Scalar* out, const Scalar* in, const ElementMap& m, int k, std::int64_t j0, int n,
                        Scalar sign) {
  const std::int64_t extent = m.extent[k];
  std::int64_t i = m.source_index(k, j0);
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
      // Walk backwards so that the source is read in ascending addresses, which the hardware
      // prefetchers follow.
      for (int q = len - 1; q >= 0; --q) {
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

/// gather_line into `out` through a small staging buffer, so that the stores can be
/// non-temporal.
template <class Scalar>
inline void emit_line(Scalar* out, const Scalar* in, const ElementMap& m, int k, std::int64_t j0, int n, Scalar sign,
                      bool nontemporal) {
  if (!nontemporal) {
    gather_line<Scalar, false>(out, in, m, k, j0, n, sign);
    return;
  }
  if (m.in_stride[k] == 1) {
    // A row that does not wrap streams straight from registers (3-D rows reversed along the last
    // axis ran ~25 % slower through the staging buffer).
    const std::int64_t i = m.source_index(k, j0);
    const std::int64_t room = m.sign[k] > 0 ? m.extent[k] - i : i + 1;
    if (room >= n && stream_row(out, in + i, n, m.sign[k] < 0, sign)) return;
  }
  constexpr int chunk = 256;
  alignas(64) Scalar staged[chunk];
  for (int q0 = 0; q0 < n; q0 += chunk) {
    const int len = n - q0 < chunk ? n - q0 : chunk;
    gather_line<Scalar, false>(staged, in, m, k, j0 + q0, len, sign);
    store_values(out + q0, staged, len, true);
  }
}

/// Output rows a transposed gather stages at once (see gather_strip), and the most values of each
/// it stages: 16 × 256 floats are 16 KiB, half of L1.
inline constexpr int kHostStripRows = 16;
inline constexpr int kHostStripChunk = 256;

/// Calls body(in_offset, out_offset, tile_offset, length) for every whole row (along the last
/// axis) of a tile, for an element that keeps the last axis. Rows along reflected axes are
/// visited backwards so that the source is read in ascending order; nested loops, no divisions.
template <class Body>
inline void for_each_tile_row(const TileGeometry& geo, const ElementMap& m, const std::int64_t origin[kMaxSpatialDims],
                              const int count[kMaxSpatialDims], const Body& body) {
  const int last = geo.ndim - 1;
  const int outer = last >= 2 ? 0 : -1;  // in 3-D: axis 0; the axis before the last runs inside
  const int inner = last >= 1 ? last - 1 : -1;
  const int n_outer = outer >= 0 ? count[outer] : 1;
  const int n_inner = inner >= 0 ? count[inner] : 1;
  for (int i = 0; i < n_outer; ++i) {
    std::int64_t in_outer = 0, out_outer = origin[last];
    int tile_outer = 0;
    if (outer >= 0) {
      const int l = m.sign[outer] < 0 ? n_outer - 1 - i : i;
      in_outer = m.source_offset(outer, origin[outer] + l);
      out_outer += (origin[outer] + l) * geo.out_stride[outer];
      tile_outer = l * geo.scratch_stride[outer];
    }
    for (int j = 0; j < n_inner; ++j) {
      std::int64_t in_row = in_outer, out_row = out_outer;
      int tile_row = tile_outer;
      if (inner >= 0) {
        const int l = m.sign[inner] < 0 ? n_inner - 1 - j : j;
        in_row += m.source_offset(inner, origin[inner] + l);
        out_row += (origin[inner] + l) * geo.out_stride[inner];
        tile_row += l * geo.scratch_stride[inner];
      }
      body(in_row, out_row, tile_row, count[last]);
    }
  }
}

/// Transposed gather over a strip tile (see LaunchShape::host_strip_tile) of an element whose
/// contiguous-reader axis `a` is not the last: output rows along the last axis, in groups of
/// kHostStripRows consecutive rows along `a`, each group staged in an L1-resident buffer of
/// kHostStripChunk columns and then handed to emit(out_offset, tile_offset, values, n) one row at
/// a time, so the output is written in long runs (a whole 16-row band of a 2-D plane is one
/// contiguous block). The staging buffer is filled by R × R blocks (R = WideTranspose's width):
/// R runs of R values, one from each of R source rows (a whole cache line with AVX-512),
/// transposed in registers; wraps, partial blocks and other scalar types gather one column at a
/// time. Reflected axes are walked so that the source is read upwards.
/// With a `stream_target` (the output field), bands of whole 16 × 16 blocks whose output rows
/// start on 64-byte lines skip the staging buffer: each transposed block goes straight to its 16
/// output rows with non-temporal stores.
template <class Scalar, class Ahead, class Emit>
inline void gather_strip(const TileGeometry& geo, const ElementMap& m, const Scalar* source,
                         const std::int64_t origin[kMaxSpatialDims], const int count[kMaxSpatialDims], Scalar sign,
                         Ahead& ahead, const Emit& emit, Scalar* stream_target = nullptr) {
  constexpr int R = WideTranspose<Scalar>::width;
  static_assert(kHostStripRows % R == 0, "strip rows must be whole transpose blocks");
  const int last = geo.ndim - 1;
  const int a = m.contiguous_reader;
  int outer_axis = -1;
  for (int k = 0; k < last; ++k)
    if (k != a) outer_axis = k;
  const int outer_count = outer_axis >= 0 ? count[outer_axis] : 1;
  const int n_strips = (count[a] + kHostStripRows - 1) / kHostStripRows;
  const bool reversed = m.sign[a] < 0;
  alignas(64) Scalar rows[kHostStripRows][kHostStripChunk];
  alignas(64) Scalar run[R];
  const std::int64_t blocks =
      static_cast<std::int64_t>(outer_count) * ((count[a] + R - 1) / R) * ((count[last] + R - 1) / R);
  const std::int64_t per_block = (ahead.left + blocks - 1) / blocks;
  for (int i = 0; i < outer_count; ++i) {
    std::int64_t in_base = 0;
    std::int64_t out_base = origin[last];
    int tile_base = 0;
    if (outer_axis >= 0) {
      const int l = m.sign[outer_axis] < 0 ? outer_count - 1 - i : i;
      in_base += m.source_offset(outer_axis, origin[outer_axis] + l);
      out_base += (origin[outer_axis] + l) * geo.out_stride[outer_axis];
      tile_base += l * geo.scratch_stride[outer_axis];
    }
    for (int step = 0; step < n_strips; ++step) {
      const int s0 = (reversed ? n_strips - 1 - step : step) * kHostStripRows;
      const int strip_rows = count[a] - s0 < kHostStripRows ? count[a] - s0 : kHostStripRows;
      for (int c0 = 0; c0 < count[last]; c0 += kHostStripChunk) {
        const int n_columns = count[last] - c0 < kHostStripChunk ? count[last] - c0 : kHostStripChunk;
        bool streamed = false;  // the band went straight to the output
        for (int r0 = 0; r0 < strip_rows; r0 += R) {
          const int n_rows = strip_rows - r0 < R ? strip_rows - r0 : R;
          const std::int64_t first = m.source_offset(a, origin[a] + s0 + r0);  // in_stride[a] == 1
          const bool no_wrap = reversed ? first - n_rows + 1 >= 0 : first + n_rows <= m.extent[a];
          int q = 0;
          if (WideTranspose<Scalar>::available && no_wrap && n_rows == R) {
            // Bands of whole 16 × 16 blocks whose output rows start on 64-byte lines skip the
            // staging buffer when streaming (only the 16-wide transpose streams).
            Scalar* direct = nullptr;
            if constexpr (R == kHostStripRows) {
              if (stream_target != nullptr && n_columns % R == 0 &&
                  (geo.out_stride[a] * static_cast<std::int64_t>(sizeof(Scalar))) % 64 == 0 &&
                  geo.out_stride[a] <= (1 << 30)) {
                direct = stream_target + out_base + (origin[a] + s0) * geo.out_stride[a] + c0;
                if (reinterpret_cast<std::uintptr_t>(direct) % 64 != 0) direct = nullptr;
              }
            }
            streamed = direct != nullptr;
            for (; q + R <= n_columns; q += R) {
              ahead.issue(per_block);
              const Scalar* runs[R];
              for (int k = 0; k < R; ++k)
                runs[k] = source + in_base + m.source_offset(last, origin[last] + c0 + q + k) + first;
              if constexpr (R == kHostStripRows) {
                if (streamed) {
                  WideTranspose<Scalar>::template transpose<true>(runs, reversed, sign, direct + q,
                                                                  static_cast<int>(geo.out_stride[a]));
                  continue;
                }
              }
              WideTranspose<Scalar>::transpose(runs, reversed, sign, &rows[r0][q], kHostStripChunk);
            }
          }
          ahead.issue(per_block * ((n_columns - q + R - 1) / R));
          for (; q < n_columns; ++q) {
            gather_line<Scalar, false>(run, source + in_base + m.source_offset(last, origin[last] + c0 + q), m, a,
                                       origin[a] + s0 + r0, n_rows, sign);
            for (int r = 0; r < n_rows; ++r)
              rows[r0 + r][q] = run[r];
          }
        }
        if (!streamed)
          for (int r = 0; r < strip_rows; ++r)
            emit(out_base + (origin[a] + s0 + r) * geo.out_stride[a] + c0,
                 tile_base + (s0 + r) * geo.scratch_stride[a] + c0, rows[r], n_columns);
      }
    }
  }
}

/// Renumbers tiles so that consecutive tile ids (which one thread processes in sequence) visit
/// the source in ascending order along reflected axes.
inline std::int64_t reorder_tile(const TileGeometry& geo, const ElementMap& m, std::int64_t tile_id) {
  std::int64_t t[kMaxSpatialDims] = {0, 0, 0};
  for (int k = geo.ndim - 1; k >= 0; --k) {
    t[k] = tile_id % geo.tiles[k];
    tile_id /= geo.tiles[k];
    if (m.sign[k] < 0) t[k] = geo.tiles[k] - 1 - t[k];
  }
  std::int64_t id = 0;
  for (int k = 0; k < geo.ndim; ++k)
    id = id * geo.tiles[k] + t[k];
  return id;
}

/// What tile (origin, count) of element map `m` reads from `field`, as a PrefetchBox; along an
/// axis where the tile's source indices wrap (a shift), the whole axis.
template <class Scalar>
inline PrefetchBox source_box(const ElementMap& m, const Scalar* field, const std::int64_t origin[kMaxSpatialDims],
                              const int count[kMaxSpatialDims]) {
  std::int64_t first[kMaxSpatialDims], n[kMaxSpatialDims];
  for (int k = 0; k < m.ndim; ++k) {
    const std::int64_t i = m.source_index(k, origin[k]);
    const std::int64_t low = m.sign[k] > 0 ? i : i - count[k] + 1;
    const bool wraps = low < 0 || low + count[k] > m.extent[k];
    first[k] = wraps ? 0 : low;
    n[k] = wraps ? m.extent[k] : count[k];
  }
  return PrefetchBox(field, m.ndim, m.contiguous_reader, first, n, m.in_stride);
}

/// Host version of GatherTiles: one (listed element, sample, channel, tile) per iteration, plain
/// loops. `ids` lists the elements this launch handles and `slots` their output positions.
template <class Scalar, class ExecSpace>
struct HostGatherTiles {
  using memory_space = typename ExecSpace::memory_space;
  Kokkos::View<const Scalar*, memory_space> in;
  Kokkos::View<Scalar*, memory_space> out;
  KernelArgs<memory_space> args;
  Kokkos::View<const int*, Kokkos::HostSpace> ids;
  Kokkos::View<const int*, Kokkos::HostSpace> slots;
  bool nontemporal = false;
  std::int64_t league = 0;  ///< launch indices in this launch

  void operator()(const std::int64_t league_rank) const {
    const TileGeometry& geo = args.geo;
    const auto task = args.task(league_rank);
    const std::int64_t e = ids(task.outer);
    const ElementMap& m = args.tables.maps(e);
    const Scalar sign = args.template sign<Scalar>(e, task.channel);
    const Scalar* source = args.source_field(in.data(), e, task.sample, task.channel);
    Scalar* target = args.target_field(out.data(), slots(task.outer) * args.batch + task.sample, task.channel);
    const std::int64_t tile_id = task.tile;
    std::int64_t origin[kMaxSpatialDims];
    int count[kMaxSpatialDims];
    geo.locate(reorder_tile(geo, m, tile_id), origin, count);
    const int last = geo.ndim - 1;
    if (m.contiguous_reader == last) {
      for_each_tile_row(geo, m, origin, count, [&](std::int64_t in_row, std::int64_t out_row, int, int length) {
        emit_line(target + out_row, source + in_row, m, last, origin[last], length, sign, nontemporal);
      });
    } else {
      const auto store = [&](std::int64_t out_row, int, const Scalar* values, int n) {
        store_values(target + out_row, values, n, nontemporal);
      };
      // A strip reads one cache line from each of many source rows, which the hardware
      // prefetchers do not follow, so the kernel fetches ahead in software (into L2). Tiles that
      // read whole source rows (3-D) fetch what the next launch index (this thread's next tile
      // under a static schedule) reads; band tiles (2-D), which read a line from every row, fetch
      // their share of the next field in memory order instead (one band ahead was measured ~15 %
      // slower on 256² fields). Without either, 3-D transposed elements ran ~35 % slower.
      if (geo.tile[m.contiguous_reader] == geo.extent[m.contiguous_reader]) {
        PrefetchBox ahead;
        if (league_rank + 1 < league) {
          const auto next = args.task(league_rank + 1);
          const ElementMap& next_map = args.tables.maps(ids(next.outer));
          std::int64_t next_origin[kMaxSpatialDims];
          int next_count[kMaxSpatialDims];
          geo.locate(reorder_tile(geo, next_map, next.tile), next_origin, next_count);
          ahead = source_box(next_map, args.source_field(in.data(), ids(next.outer), next.sample, next.channel),
                             next_origin, next_count);
        }
        gather_strip(geo, m, source, origin, count, sign, ahead, store, nontemporal ? target : nullptr);
      } else {
        PrefetchRun ahead;
        if (league_rank + geo.num_tiles < league) {
          const auto next = args.task(league_rank + geo.num_tiles);
          ahead = PrefetchRun(args.source_field(in.data(), ids(next.outer), next.sample, next.channel), geo.points,
                              tile_id, geo.num_tiles);
        }
        gather_strip(geo, m, source, origin, count, sign, ahead, store, nontemporal ? target : nullptr);
      }
    }
    finish_nontemporal_stores(nontemporal);
  }
};

/// Host version of AverageTiles: accumulates every element's lines into a tile buffer in scratch.
template <class Scalar, class ExecSpace>
struct HostAverageTiles {
  using memory_space = typename ExecSpace::memory_space;
  using member_type = typename Kokkos::TeamPolicy<ExecSpace>::member_type;
  using scratch_view =
      Kokkos::View<Scalar*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  Kokkos::View<const Scalar*, memory_space> y;
  Kokkos::View<Scalar*, memory_space> out;
  KernelArgs<memory_space> args;
  std::int64_t num_elements = 1;

  void operator()(const member_type& team) const {
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
    Scalar* tile = acc.data();
    for (int i = 0; i < geo.scratch_size; ++i)
      tile[i] = Scalar(0);
    std::int64_t rows = 1;  // tile rows along the last axis
    for (int k = 0; k < last; ++k)
      rows *= count[k];
    for (std::int64_t e = 0; e < num_elements; ++e) {
      const ElementMap& m = args.tables.maps(e);
      const Scalar sign = args.template sign<Scalar>(e, c);
      const Scalar* source = args.source_field(y.data(), e, e * args.batch + b, c);
      PrefetchBox ahead = prefetch_after(team.league_rank(), e, origin, count);
      if (m.contiguous_reader == last) {
        const std::int64_t per_row = (ahead.left + rows - 1) / rows;
        for_each_tile_row(geo, m, origin, count, [&](std::int64_t in_row, std::int64_t, int tile_row, int length) {
          ahead.issue(per_row);
          gather_line<Scalar, true>(tile + tile_row, source + in_row, m, last, origin[last], length, sign);
        });
      } else {
        gather_strip(geo, m, source, origin, count, sign, ahead,
                     [&](std::int64_t, int tile_row, const Scalar* values, int n) {
                       Scalar* acc_row = tile + tile_row;
                       for (int q = 0; q < n; ++q)
                         acc_row[q] += values[q];
                     });
      }
    }
    const Scalar scale = Scalar(1) / static_cast<Scalar>(num_elements);
    Scalar* target = args.target_field(out.data(), b, c);
    // The identity's map enumerates the output lines in memory order; only output offsets are used.
    for (int i = 0; i < geo.scratch_size; ++i)
      tile[i] *= scale;
    for_each_tile_row(geo, identity, origin, count, [&](std::int64_t, std::int64_t out_row, int tile_row, int length) {
      store_values(target + out_row, tile + tile_row, length, nontemporal);
    });
    finish_nontemporal_stores(nontemporal);
  }

  ElementMap identity;  ///< any map whose contiguous reader is the last axis
  bool nontemporal = false;

 private:
  /// What the team fetches ahead while it reads element e: what element e + 1 reads for the same
  /// tile, or after the last element what element 0 reads for the next launch index (the same
  /// thread's next tile under a static schedule). Transposed reads touch one line in each of
  /// many rows, which the hardware prefetchers do not follow; fetched in memory order one element
  /// ahead, the lines are in L2 when their turn comes (the 2-D average ran ~1.7× faster, the 3-D
  /// one ~1.3×).
  PrefetchBox prefetch_after(std::int64_t league_rank, std::int64_t e, const std::int64_t origin[kMaxSpatialDims],
                             const int count[kMaxSpatialDims]) const {
    if (e + 1 < num_elements) {
      const auto task = args.task(league_rank);
      return source_box(args.tables.maps(e + 1),
                        args.source_field(y.data(), e + 1, (e + 1) * args.batch + task.sample, task.channel), origin,
                        count);
    }
    if (league_rank + 1 >= league) return PrefetchBox();
    const auto next = args.task(league_rank + 1);
    std::int64_t next_origin[kMaxSpatialDims];
    int next_count[kMaxSpatialDims];
    args.geo.locate(next.tile, next_origin, next_count);
    return source_box(args.tables.maps(0), args.source_field(y.data(), 0, next.sample, next.channel), next_origin,
                      next_count);
  }

 public:
  std::int64_t league = 0;  ///< launch indices in this launch
};

}  // namespace gavel::detail
