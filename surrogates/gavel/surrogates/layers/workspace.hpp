#pragma once

#include <cstddef>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/allocation_bytes.hpp"

namespace gavel::surrogates::layers {

/// Scratch memory in ExecSpace's memory that grows on demand and is kept between calls, so a
/// model reuses one buffer for every layer's temporary (e.g. padded copies of conv inputs).
/// A pointer from reserve() stays valid until the next reserve() asks for more.
template <class ExecSpace>
class Workspace {
 public:
  using memory_space = typename ExecSpace::memory_space;

  /// At least `count` floats; growing waits for `exec` first, as kernels may still read the old buffer.
  float* reserve(std::size_t count, const ExecSpace& exec) {
    if (count > view_.extent(0)) {
      exec.fence();
      view_ = Kokkos::View<float*, memory_space>();
      view_ = Kokkos::View<float*, memory_space>(
          Kokkos::view_alloc(Kokkos::WithoutInitializing, "gavel::layers::workspace"), count);
    }
    return view_.data();
  }
  std::size_t capacity() const { return view_.extent(0); }
  std::size_t bytes() const { return view_bytes(view_); }

 private:
  Kokkos::View<float*, memory_space> view_;
};

}  // namespace gavel::surrogates::layers
