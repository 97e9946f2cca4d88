#pragma once

// Float fields in a View, brought to the host and compared, for the averaging tests.
#include <cmath>
#include <vector>

#include <Kokkos_Core.hpp>

namespace gavel::test {

template <class Exec>
using FloatView = Kokkos::View<float*, typename Exec::memory_space>;

template <class Exec>
std::vector<float> host_floats(const FloatView<Exec>& v) {
  const auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
  return std::vector<float>(h.data(), h.data() + h.extent(0));
}

/// ‖a − b‖₂ / ‖b‖₂ in double.
inline double relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    num += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    den += static_cast<double>(b[i]) * b[i];
  }
  return std::sqrt(num / den);
}

}  // namespace gavel::test
