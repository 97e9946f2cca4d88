#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/element_map.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/field_layout.hpp"
#include "gavel/core/grid.hpp"
#include "gavel/core/group_element.hpp"
#include "gavel/core/tile_geometry.hpp"
#include "gavel/core/transform_kernels.hpp"
#include "gavel/core/transform_kernels_host.hpp"

namespace gavel {

/// Which kernel family a GroupAction launches. `automatic` picks host lines on host spaces and
/// team tiles elsewhere; tests force each family on the host to check both against the reference.
enum class KernelVariant { automatic, team_tiles, host_lines };

/// How the host kernels store their outputs: `streaming` uses non-temporal stores that bypass
/// the caches (no read of the destination before writing it), `cached` plain stores (best when
/// the output is read again soon, e.g. by a model). `automatic` streams outputs of 16 MiB or more:
/// half of the 32 MiB L3 that a Zen 4 core shares with seven others, so such an output would not
/// be in cache when read next anyway (measured: 3-D transposed elements on 32 MiB batches ran
/// about 1.8× faster streamed than cached).
enum class StorePolicy { automatic, cached, streaming };

/// A list of group elements acting on batches of multi-channel fields (B, C, *space), stored
/// contiguously in channels-first order, on the execution space `ExecSpace`:
///   (g·f)(p) = ρ(g) f(g⁻¹ p)
/// with ρ the signed channel permutation of the ChannelLayout. Tables live in ExecSpace's
/// memory and are built once; a call launches one kernel (team tiles) or one per group of
/// elements that share a tiling (host lines), all on `space`.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class GroupAction {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  template <class Scalar>
  using view_type = Kokkos::View<Scalar*, memory_space>;

  /// Throws gavel::Error when an element does not fit the grid (see make_element_map) or the
  /// layout's dimension differs from the grid's.
  GroupAction(const Grid& grid, const ChannelLayout& layout, const std::vector<GroupElement>& elements,
              KernelVariant variant = KernelVariant::automatic, StorePolicy stores = StorePolicy::automatic)
      : grid_(grid), channels_(layout.num_channels()), elements_(elements), stores_(stores) {
    if (layout.ndim() != grid.ndim())
      throw Error("group action: " + std::to_string(layout.ndim()) + "-D channel layout on a " +
                  std::to_string(grid.ndim()) + "-D grid");
    if (elements.empty()) throw Error("group action: no elements");
    std::vector<GroupElement> inverses;
    for (const auto& g : elements)
      inverses.push_back(inverse(g));
    forward_ = make_tables(grid, layout, elements, "forward");
    inverse_ = make_tables(grid, layout, inverses, "inverse");
    constexpr bool host_space = Kokkos::SpaceAccessibility<Kokkos::HostSpace, memory_space>::accessible;
    if (variant == KernelVariant::host_lines && !host_space)
      throw Error("group action: the host-lines kernels need a host execution space");
    host_lines_ = variant == KernelVariant::host_lines || (variant == KernelVariant::automatic && host_space);
    int tile[kMaxSpatialDims] = {1, 1, 1};
    if (host_lines_) {
      detail::LaunchShape::host_average_tile(grid, tile);
      geo_ = detail::make_tile_geometry(grid, tile);
      identity_map_ = make_element_map(GroupElement::identity(grid.ndim()), grid);
      // Elements that keep the last axis are grouped by the output axis that reads the source's
      // second-fastest axis (see LaunchShape::host_line_tile); the others by the output axis
      // that reads the source's contiguous axis (see LaunchShape::host_strip_tile).
      std::vector<std::vector<int>> direct(static_cast<std::size_t>(grid.ndim()));
      std::vector<std::vector<int>> strips(static_cast<std::size_t>(grid.ndim()));
      for (std::size_t e = 0; e < elements.size(); ++e) {
        if (contiguous_reader(e) == grid.ndim() - 1) {
          direct[static_cast<std::size_t>(row_axis(e))].push_back(static_cast<int>(e));
        } else {
          strips[static_cast<std::size_t>(contiguous_reader(e))].push_back(static_cast<int>(e));
        }
      }
      for (int k = 0; k < grid.ndim(); ++k) {
        detail::LaunchShape::host_line_tile(grid, k, tile);
        line_geo_.push_back(detail::make_tile_geometry(grid, tile));
        direct_ids_.push_back(host_list(direct[static_cast<std::size_t>(k)]));
        detail::LaunchShape::host_strip_tile(grid, k, tile);
        strip_geo_.push_back(detail::make_tile_geometry(grid, tile));
        strip_ids_.push_back(host_list(strips[static_cast<std::size_t>(k)]));
      }
    } else {
      detail::LaunchShape::team_tile(grid.ndim(), tile);
      geo_ = detail::make_tile_geometry(grid, tile);
    }
  }

  /// True when this action runs the host-lines kernels.
  bool uses_host_lines() const { return host_lines_; }

  std::size_t num_elements() const { return elements_.size(); }
  const std::vector<GroupElement>& elements() const { return elements_; }
  const Grid& grid() const { return grid_; }
  std::int64_t channels() const { return channels_; }
  /// Values in one (B, C, *space) batch of `batch` samples.
  std::int64_t batch_size(std::int64_t batch) const { return batch * channels_ * grid_.num_points(); }

  /// out(b) = elements()[e] · in(b);  in and out hold `batch` samples each and must not alias.
  template <class Scalar>
  void apply(std::size_t e, const view_type<const Scalar>& in, std::int64_t batch, const view_type<Scalar>& out,
             const ExecSpace& space = ExecSpace()) const {
    if (e >= elements_.size()) throw Error("group action: element index out of range");
    check_size(in.extent(0), batch_size(batch), "input");
    check_size(out.extent(0), batch_size(batch), "output");
    if (host_lines_) {
      const int a = contiguous_reader(e);
      const auto& geo = a == grid_.ndim() - 1 ? line_geo_[static_cast<std::size_t>(row_axis(e))]
                                              : strip_geo_[static_cast<std::size_t>(a)];
      launch_host_gather<Scalar>(in, out, host_list({static_cast<int>(e)}), host_list({0}), batch, geo,
                                 nontemporal<Scalar>(batch_size(batch)), space);
      return;
    }
    launch_gather<Scalar>(in, out, static_cast<std::int64_t>(e), 1, batch, space);
  }

  /// out(e, b) = elements()[e] · in(b) for every element: the |G|·B batch of one model call,
  /// element-major.
  template <class Scalar>
  void apply_all(const view_type<const Scalar>& in, std::int64_t batch, const view_type<Scalar>& out,
                 const ExecSpace& space = ExecSpace()) const {
    check_size(in.extent(0), batch_size(batch), "input");
    check_size(out.extent(0), batch_size(batch) * static_cast<std::int64_t>(elements_.size()), "output");
    if (host_lines_) {
      const bool streaming = nontemporal<Scalar>(batch_size(batch) * static_cast<std::int64_t>(elements_.size()));
      for (std::size_t k = 0; k < line_geo_.size(); ++k) {
        launch_host_gather<Scalar>(in, out, direct_ids_[k], direct_ids_[k], batch, line_geo_[k], streaming, space);
        launch_host_gather<Scalar>(in, out, strip_ids_[k], strip_ids_[k], batch, strip_geo_[k], streaming, space);
      }
      return;
    }
    launch_gather<Scalar>(in, out, 0, static_cast<std::int64_t>(elements_.size()), batch, space);
  }

  /// out(b) = 1/|G| Σ_e elements()[e]⁻¹ · y(e, b): averages the model outputs y of apply_all's
  /// batch back into one prediction per sample, in one pass with no temporary per element.
  template <class Scalar>
  void average_inverse(const view_type<const Scalar>& y, std::int64_t batch, const view_type<Scalar>& out,
                       const ExecSpace& space = ExecSpace()) const {
    check_size(y.extent(0), batch_size(batch) * static_cast<std::int64_t>(elements_.size()), "model output");
    check_size(out.extent(0), batch_size(batch), "output");
    const std::int64_t league = batch * channels_ * geo_.num_tiles;
    if (host_lines_) {
      launch_host_average<Scalar>(y, out, batch, league, space);
      return;
    }
    detail::AverageTiles<Scalar, ExecSpace> functor;
    functor.y = y;
    functor.out = out;
    functor.args = kernel_args(inverse_, geo_, batch);
    functor.num_elements = static_cast<std::int64_t>(elements_.size());
    Kokkos::parallel_for("gavel::average_inverse", team_policy<Scalar>(league, space), functor);
  }

 private:
  using Tables = detail::ElementTables<memory_space>;

  static Tables make_tables(const Grid& grid, const ChannelLayout& layout, const std::vector<GroupElement>& elements,
                            const std::string& label) {
    const auto n = elements.size();
    const auto channels = static_cast<std::size_t>(layout.num_channels());
    Kokkos::View<ElementMap*, memory_space> maps("gavel::GroupAction::" + label + "_maps", n);
    Kokkos::View<int**, memory_space> source("gavel::GroupAction::" + label + "_channel_source", n, channels);
    Kokkos::View<int**, memory_space> sign("gavel::GroupAction::" + label + "_channel_sign", n, channels);
    auto maps_host = Kokkos::create_mirror_view(maps);
    auto source_host = Kokkos::create_mirror_view(source);
    auto sign_host = Kokkos::create_mirror_view(sign);
    for (std::size_t e = 0; e < n; ++e) {
      maps_host(e) = make_element_map(elements[e], grid);
      const ChannelMap channel_map = layout.channel_map(elements[e]);
      for (std::size_t c = 0; c < channels; ++c) {
        source_host(e, c) = channel_map.source[c];
        sign_host(e, c) = channel_map.sign[c];
      }
    }
    Kokkos::deep_copy(maps, maps_host);
    Kokkos::deep_copy(source, source_host);
    Kokkos::deep_copy(sign, sign_host);
    return Tables{maps, source, sign};
  }

  static void check_size(std::size_t have, std::int64_t want, const char* what) {
    if (static_cast<std::int64_t>(have) != want)
      throw Error(std::string("group action: ") + what + " holds " + std::to_string(have) + " values, expected " +
                  std::to_string(want));
  }

  detail::KernelArgs<memory_space> kernel_args(const Tables& tables, const detail::TileGeometry& geo,
                                               std::int64_t batch) const {
    detail::KernelArgs<memory_space> args;
    args.tables = tables;
    args.geo = geo;
    args.batch = batch;
    args.channels = channels_;
    return args;
  }

  static void check_league(std::int64_t league) {
    // Kokkos 3.4 counts teams with an int.
    if (league > static_cast<std::int64_t>(std::numeric_limits<int>::max()))
      throw Error("group action: batch too large for one launch (" + std::to_string(league) + " tiles); split it");
  }

  template <class Scalar>
  Kokkos::TeamPolicy<ExecSpace> team_policy(std::int64_t league, const ExecSpace& space) const {
    check_league(league);
    const int d = grid_.ndim();
    // Host spaces run teams of one thread (Serial allows no more); the tile logic is the same.
    const bool single = host_lines_ || Kokkos::SpaceAccessibility<Kokkos::HostSpace, memory_space>::accessible;
    Kokkos::TeamPolicy<ExecSpace> p(space, static_cast<int>(league), single ? 1 : detail::LaunchShape::team_size(d),
                                    single ? 1 : detail::LaunchShape::vector_length(d));
    const int bytes = geo_.scratch_size * static_cast<int>(sizeof(Scalar));
    return p.set_scratch_size(0, Kokkos::PerTeam(bytes));
  }

  template <class Scalar>
  void launch_gather(const view_type<const Scalar>& in, const view_type<Scalar>& out, std::int64_t first,
                     std::int64_t count, std::int64_t batch, const ExecSpace& space) const {
    const std::int64_t league = count * batch * channels_ * geo_.num_tiles;
    detail::GatherTiles<Scalar, ExecSpace> functor;
    functor.in = in;
    functor.out = out;
    functor.args = kernel_args(forward_, geo_, batch);
    functor.first = first;
    Kokkos::parallel_for("gavel::apply_elements", team_policy<Scalar>(league, space), functor);
  }

  // The host-lines functors have host-only call operators; on device-only spaces these are
  // never instantiated with a launch.
  using HostList = Kokkos::View<int*, Kokkos::HostSpace>;

  static HostList host_list(const std::vector<int>& values) {
    HostList list("gavel::GroupAction::element_list", values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      list(i) = values[i];
    return list;
  }

  /// The output axis of element e that reads the source's contiguous axis.
  int contiguous_reader(std::size_t e) const {
    for (int k = 0; k < grid_.ndim(); ++k)
      if (elements_[e].source_axis(k) == grid_.ndim() - 1) return k;
    return grid_.ndim() - 1;
  }

  /// The output axis of element e that reads the source's second-fastest axis (0 in 1-D).
  int row_axis(std::size_t e) const {
    for (int k = 0; k < grid_.ndim(); ++k)
      if (elements_[e].source_axis(k) == grid_.ndim() - 2) return k;
    return 0;
  }

  /// Whether a launch writing `values_written` values streams past the caches.
  template <class Scalar>
  bool nontemporal(std::int64_t values_written) const {
    if (stores_ != StorePolicy::automatic) return stores_ == StorePolicy::streaming;
    return static_cast<std::size_t>(values_written) * sizeof(Scalar) >= (std::size_t{16} << 20);
  }

  template <class Scalar>
  void launch_host_gather(const view_type<const Scalar>& in, const view_type<Scalar>& out, const HostList& ids,
                          const HostList& slots, std::int64_t batch, const detail::TileGeometry& geo, bool streaming,
                          const ExecSpace& space) const {
    if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, memory_space>::accessible) {
      if (ids.extent(0) == 0) return;
      detail::HostGatherTiles<Scalar, ExecSpace> functor;
      functor.in = in;
      functor.out = out;
      functor.args = kernel_args(forward_, geo, batch);
      functor.ids = ids;
      functor.slots = slots;
      functor.nontemporal = streaming;
      const std::int64_t league = static_cast<std::int64_t>(ids.extent(0)) * batch * channels_ * geo.num_tiles;
      functor.league = league;
      Kokkos::parallel_for("gavel::apply_elements_host",
                           Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, league), functor);
    }
  }

  template <class Scalar>
  void launch_host_average(const view_type<const Scalar>& y, const view_type<Scalar>& out, std::int64_t batch,
                           std::int64_t league, const ExecSpace& space) const {
    if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, memory_space>::accessible) {
      detail::HostAverageTiles<Scalar, ExecSpace> functor;
      functor.y = y;
      functor.out = out;
      functor.args = kernel_args(inverse_, geo_, batch);
      functor.num_elements = static_cast<std::int64_t>(elements_.size());
      functor.identity = identity_map_;
      functor.nontemporal = nontemporal<Scalar>(batch_size(batch));
      functor.league = league;
      Kokkos::parallel_for("gavel::average_inverse_host", team_policy<Scalar>(league, space), functor);
    }
  }

  Grid grid_;
  std::int64_t channels_;
  std::vector<GroupElement> elements_;
  StorePolicy stores_;
  Tables forward_;
  Tables inverse_;
  detail::TileGeometry geo_;                     ///< team tiles, or the host tiles of the fused average
  std::vector<detail::TileGeometry> line_geo_;   ///< host: row runs for elements that keep the last axis, by row_axis
  std::vector<detail::TileGeometry> strip_geo_;  ///< host: row bands for elements that move the last axis, by a
  ElementMap identity_map_;
  std::vector<HostList> direct_ids_;
  std::vector<HostList> strip_ids_;
  bool host_lines_ = false;
};

}  // namespace gavel
