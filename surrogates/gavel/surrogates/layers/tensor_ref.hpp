#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"

namespace gavel::surrogates::layers {

/// A non-owning view of a batch of channels-first feature maps (B, C, *space) in some memory
/// space: element (b, c, p) lives at `data[b * batch_stride + c * points() + p]`, where p is the
/// row-major spatial index. Spatial extents are kept as three (d, h, w); a 2-D map has d = 1 and
/// a 1-D map d = h = 1. `batch_stride` larger than C·points() lets a map live inside a wider
/// buffer, e.g. as the second half of a skip concatenation.
template <class T>
struct BasicTensor {
  T* data = nullptr;
  std::int64_t batch = 0;
  std::int64_t channels = 0;
  std::array<std::int64_t, 3> extent = {1, 1, 1};
  int ndim = 0;
  std::int64_t batch_stride = 0;

  std::int64_t points() const { return extent[0] * extent[1] * extent[2]; }
  std::int64_t elements() const { return batch * channels * points(); }
  bool empty() const { return data == nullptr; }

  /// Channels [first, first + count) of every sample, same storage.
  BasicTensor channel_slice(std::int64_t first, std::int64_t count) const {
    if (first < 0 || count < 0 || first + count > channels)
      throw Error("tensor: channel slice [" + std::to_string(first) + ", " + std::to_string(first + count) +
                  ") outside " + std::to_string(channels) + " channels");
    BasicTensor s = *this;
    s.data = data + first * points();
    s.channels = count;
    return s;
  }

  /// A mutable tensor is also a read-only one.
  template <class U = T, class = std::enable_if_t<!std::is_const<U>::value>>
  operator BasicTensor<const U>() const {
    return {data, batch, channels, extent, ndim, batch_stride};
  }
};

using Tensor = BasicTensor<float>;
using ConstTensor = BasicTensor<const float>;

/// The spatial extents (1–3 of them, leading axis first) as the three kept by BasicTensor.
inline std::array<std::int64_t, 3> padded_extent(const std::vector<std::int64_t>& space) {
  if (space.empty() || space.size() > 3)
    throw Error("tensor: " + std::to_string(space.size()) + " spatial axes (1 to 3 supported)");
  std::array<std::int64_t, 3> e = {1, 1, 1};
  for (std::size_t k = 0; k < space.size(); ++k)
    e[3 - space.size() + k] = space[k];
  return e;
}

/// A densely packed tensor (batch_stride = C · points) over `data`.
template <class T>
BasicTensor<T> make_tensor(T* data, std::int64_t batch, std::int64_t channels, const std::vector<std::int64_t>& space) {
  BasicTensor<T> t;
  t.data = data;
  t.batch = batch;
  t.channels = channels;
  t.extent = padded_extent(space);
  t.ndim = static_cast<int>(space.size());
  t.batch_stride = channels * t.points();
  return t;
}

/// The same, from three extents of which the last `ndim` are spatial.
template <class T>
BasicTensor<T> make_tensor(T* data, std::int64_t batch, std::int64_t channels,
                           const std::array<std::int64_t, 3>& extent, int ndim) {
  BasicTensor<T> t;
  t.data = data;
  t.batch = batch;
  t.channels = channels;
  t.extent = extent;
  t.ndim = ndim;
  t.batch_stride = channels * t.points();
  return t;
}

/// "BxCxHxW"-style text of a tensor's shape for error messages.
template <class T>
std::string shape_text(const BasicTensor<T>& t) {
  std::string s = std::to_string(t.batch) + "x" + std::to_string(t.channels);
  for (int k = 3 - t.ndim; k < 3; ++k)
    s += "x" + std::to_string(t.extent[static_cast<std::size_t>(k)]);
  return s;
}

/// The values of `t` (which lives in `MemorySpace`) copied to the host, packed as (B, C, *space).
template <class MemorySpace, class T>
std::vector<float> copy_to_host(const BasicTensor<T>& t) {
  const std::int64_t span = t.batch == 0 ? 0 : (t.batch - 1) * t.batch_stride + t.channels * t.points();
  Kokkos::View<const float*, MemorySpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> device(
      t.data, static_cast<std::size_t>(span));
  Kokkos::View<float*, Kokkos::HostSpace> host("copy_to_host", static_cast<std::size_t>(span));
  Kokkos::deep_copy(host, device);
  std::vector<float> packed(static_cast<std::size_t>(t.elements()));
  const std::int64_t sample = t.channels * t.points();
  for (std::int64_t b = 0; b < t.batch; ++b)
    for (std::int64_t i = 0; i < sample; ++i)
      packed[static_cast<std::size_t>(b * sample + i)] = host(static_cast<std::size_t>(b * t.batch_stride + i));
  return packed;
}

}  // namespace gavel::surrogates::layers
