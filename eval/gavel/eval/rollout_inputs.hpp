#pragma once

#include <cstdint>

#include <Kokkos_Core.hpp>

namespace gavel::eval {

/// Feeds a prediction back as the newest input step, as the_well's autoregressive rollout does:
/// in every sample of x (B, Ti·C + Cc, P) the steps move one back (the oldest is dropped), the
/// last step becomes y (B, C, P), and the constant channels stay.
template <class ExecSpace>
void push_prediction(const Kokkos::View<float*, typename ExecSpace::memory_space>& x,
                     const Kokkos::View<const float*, typename ExecSpace::memory_space>& y, std::int64_t batch,
                     int steps, std::int64_t channels, std::int64_t constant_channels, std::int64_t points,
                     const ExecSpace& exec = ExecSpace()) {
  const std::int64_t in_channels = steps * channels + constant_channels;
  // One thread per (sample, point) walks the channels in increasing order, so reading step t+1
  // before overwriting it makes the in-place shift safe.
  Kokkos::parallel_for(
      "gavel::push_prediction",
      Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * points),
      KOKKOS_LAMBDA(const std::int64_t i) {
        const std::int64_t b = i / points, p = i % points;
        float* sample = x.data() + b * in_channels * points;
        for (std::int64_t c = 0; c < (steps - 1) * channels; ++c)
          sample[c * points + p] = sample[(c + channels) * points + p];
        for (std::int64_t c = 0; c < channels; ++c)
          sample[((steps - 1) * channels + c) * points + p] = y((b * channels + c) * points + p);
      });
}

}  // namespace gavel::eval
