#pragma once
// Shared test helpers: the execution spaces every kernel test runs on, random fields and an
// explicit host reference for the group action written from the definition, independent of
// ElementMap and ChannelLayout::channel_map.

#include <cstdint>
#include <random>
#include <tuple>
#include <type_traits>
#include <vector>

#include <Kokkos_Core.hpp>
#include <catch2/catch_get_random_seed.hpp>

#include "gavel/core/field_layout.hpp"
#include "gavel/core/grid.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/core/group_element.hpp"

namespace gavel::test {

#if defined(KOKKOS_ENABLE_SERIAL)
using HostTestSpace = Kokkos::Serial;
#else
using HostTestSpace = Kokkos::DefaultHostExecutionSpace;
#endif

/// The host space and the default space, once each.
using ExecutionSpaces =
    std::conditional_t<std::is_same<HostTestSpace, Kokkos::DefaultExecutionSpace>::value, std::tuple<HostTestSpace>,
                       std::tuple<HostTestSpace, Kokkos::DefaultExecutionSpace>>;

/// Kernel families to test on `Space`: both on host spaces (so the GPU-first team-tile kernels
/// are checked even without a GPU), the automatic choice elsewhere.
template <class Space>
std::vector<KernelVariant> kernel_variants() {
  if (Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible)
    return {KernelVariant::team_tiles, KernelVariant::host_lines};
  return {KernelVariant::automatic};
}

/// Random reals in [-1, 1), or random integers in [-8, 8] when `integers` (exact float sums).
inline std::vector<double> random_values(std::size_t n, std::mt19937& rng, bool integers = false) {
  std::vector<double> v(n);
  std::uniform_real_distribution<double> real(-1.0, 1.0);
  std::uniform_int_distribution<int> whole(-8, 8);
  for (auto& x : v)
    x = integers ? whole(rng) : real(rng);
  return v;
}

template <class Scalar, class Space>
Kokkos::View<Scalar*, typename Space::memory_space> to_device(const std::vector<double>& values) {
  Kokkos::View<Scalar*, typename Space::memory_space> view("test_values", values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (std::size_t i = 0; i < values.size(); ++i)
    host(i) = static_cast<Scalar>(values[i]);
  Kokkos::deep_copy(view, host);
  return view;
}

template <class View>
std::vector<double> to_host(const View& view) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
  std::vector<double> values(view.extent(0));
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<double>(host(i));
  return values;
}

/// Multi-index of flat spatial index `flat` on `grid` (row-major).
inline std::vector<std::int64_t> unflatten(std::int64_t flat, const Grid& grid) {
  std::vector<std::int64_t> idx(static_cast<std::size_t>(grid.ndim()));
  for (int k = grid.ndim() - 1; k >= 0; --k) {
    idx[static_cast<std::size_t>(k)] = flat % grid.extent(k);
    flat /= grid.extent(k);
  }
  return idx;
}

inline std::int64_t flatten(const std::vector<std::int64_t>& idx, const Grid& grid) {
  std::int64_t flat = 0;
  for (int k = 0; k < grid.ndim(); ++k)
    flat = flat * grid.extent(k) + idx[static_cast<std::size_t>(k)];
  return flat;
}

/// (g·f)(p) = ρ(g) f(g⁻¹p) computed from the definition: doubled centred coordinates
/// P = 2i − c, the inverse point map P = Rᵀ(P' − 2t), and ρ built from the matrix R.
inline std::vector<double> reference_apply(const GroupElement& g, const Grid& grid, const ChannelLayout& layout,
                                           const std::vector<double>& in, std::int64_t batch) {
  const int d = grid.ndim();
  const std::int64_t points = grid.num_points();
  const int channels = layout.num_channels();
  std::vector<double> out(in.size(), 0.0);
  // Spatial part: source flat index of every output flat index.
  std::vector<std::int64_t> source(static_cast<std::size_t>(points));
  for (std::int64_t j = 0; j < points; ++j) {
    const auto out_idx = unflatten(j, grid);
    std::vector<std::int64_t> doubled(static_cast<std::size_t>(d));
    for (int k = 0; k < d; ++k)
      doubled[static_cast<std::size_t>(k)] =
          2 * out_idx[static_cast<std::size_t>(k)] - grid.reflection_offset(k) - 2 * g.shift(k);
    std::vector<std::int64_t> in_idx(static_cast<std::size_t>(d));
    for (int m = 0; m < d; ++m) {
      std::int64_t p = 0;
      for (int k = 0; k < d; ++k)
        p += g.matrix(k, m) * doubled[static_cast<std::size_t>(k)];  // (Rᵀ P')_m
      std::int64_t i = (p + grid.reflection_offset(m)) / 2;
      const std::int64_t n = grid.extent(m);
      i = ((i % n) + n) % n;
      in_idx[static_cast<std::size_t>(m)] = i;
    }
    source[static_cast<std::size_t>(j)] = flatten(in_idx, grid);
  }
  const int det = g.determinant();
  auto at = [&](std::int64_t b, int c, std::int64_t p) {
    return in[static_cast<std::size_t>((b * channels + c) * points + p)];
  };
  for (std::int64_t b = 0; b < batch; ++b) {
    int base = 0;
    auto emit = [&](const FieldSpec& f) {
      const double parity = f.pseudo ? det : 1;
      for (std::int64_t j = 0; j < points; ++j) {
        const std::int64_t p = source[static_cast<std::size_t>(j)];
        auto put = [&](int c, double value) {
          out[static_cast<std::size_t>((b * channels + c) * points + j)] = parity * value;
        };
        if (f.kind == FieldKind::scalar) {
          put(base, at(b, base, p));
        } else if (f.kind == FieldKind::vector) {
          for (int k = 0; k < d; ++k) {
            double v = 0;
            for (int l = 0; l < d; ++l)
              v += g.matrix(k, l) * at(b, base + l, p);
            put(base + k, v);
          }
        } else {
          for (int k = 0; k < d; ++k)
            for (int l = 0; l < d; ++l) {
              double v = 0;
              for (int a = 0; a < d; ++a)
                for (int c = 0; c < d; ++c)
                  v += g.matrix(k, a) * g.matrix(l, c) * at(b, base + a * d + c, p);
              put(base + k * d + l, v);
            }
        }
      }
      base += f.num_components(d);
    };
    for (int t = 0; t < layout.time_steps(); ++t)
      for (const auto& f : layout.fields())
        emit(f);
    for (const auto& f : layout.constant_fields())
      emit(f);
  }
  return out;
}

/// A layout with every kind of field: scalar, pseudoscalar, vector, axial vector, tensor.
inline ChannelLayout mixed_layout(int ndim, int time_steps = 1) {
  std::vector<FieldSpec> fields = {{"density", FieldKind::scalar, false},
                                   {"vorticity", FieldKind::scalar, true},
                                   {"velocity", FieldKind::vector, false},
                                   {"magnetic", FieldKind::vector, true},
                                   {"stress", FieldKind::tensor, false}};
  return ChannelLayout(ndim, fields, time_steps, {{"mask", FieldKind::scalar, false}});
}

}  // namespace gavel::test
