#pragma once

// Small physical-unit models with known behaviour for the evaluation tests.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gavel/surrogates/model.hpp"

namespace gavel::test {

/// Predicts the last input step: exactly equivariant (f(g·x) = g·f(x)) under every element.
template <class Exec>
class PersistenceModel : public surrogates::Model<Exec> {
 public:
  using typename surrogates::Model<Exec>::View;
  using typename surrogates::Model<Exec>::ConstView;
  PersistenceModel(int ndim, int steps, int channels, int constants)
      : ndim_(ndim), steps_(steps), channels_(channels), constants_(constants) {}
  std::string architecture() const override { return "Persistence"; }
  int spatial_dims() const override { return ndim_; }
  int in_channels() const override { return steps_ * channels_ + constants_; }
  int out_channels() const override { return channels_; }
  // A kernel on the input alone: no buffers, no parameters.
  std::size_t workspace_bytes(std::int64_t, const std::vector<std::int64_t>&) const override { return 0; }
  std::size_t parameter_bytes() const override { return 0; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const Exec& exec) override {
    std::int64_t points = 1;
    for (const auto n : space)
      points *= n;
    const std::int64_t c = channels_, cin = in_channels(), last = (steps_ - 1) * channels_;
    Kokkos::parallel_for(
        Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * c * points),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const std::int64_t p = i % points, ch = (i / points) % c, b = i / (c * points);
          out(i) = in((b * cin + last + ch) * points + p);
        });
  }

 private:
  int ndim_, steps_, channels_, constants_;
};

/// Mixes the last step's channels with a neighbour along the first axis and a position-dependent
/// weight: equivariant under no non-trivial element.
template <class Exec>
class LopsidedModel : public surrogates::Model<Exec> {
 public:
  using typename surrogates::Model<Exec>::View;
  using typename surrogates::Model<Exec>::ConstView;
  LopsidedModel(int steps, int channels, int constants) : steps_(steps), channels_(channels), constants_(constants) {}
  std::string architecture() const override { return "Lopsided"; }
  int spatial_dims() const override { return 2; }
  int in_channels() const override { return steps_ * channels_ + constants_; }
  int out_channels() const override { return channels_; }
  // A kernel on the input alone: no buffers, no parameters.
  std::size_t workspace_bytes(std::int64_t, const std::vector<std::int64_t>&) const override { return 0; }
  std::size_t parameter_bytes() const override { return 0; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const Exec& exec) override {
    const std::int64_t rows = space[0], columns = space[1], points = rows * columns;
    const std::int64_t c = channels_, cin = in_channels(), last = (steps_ - 1) * channels_;
    Kokkos::parallel_for(
        Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * c * points),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const std::int64_t p = i % points, ch = (i / points) % c, b = i / (c * points);
          const std::int64_t row = p / columns, col = p % columns;
          const std::int64_t neighbour = ((row + 1) % rows) * columns + col;
          const float weight = 0.9f + 0.02f * static_cast<float>(row) - 0.01f * static_cast<float>(col);
          out(i) = weight * in((b * cin + last + ch) * points + p) +
                   0.2f * in((b * cin + last + (ch + 1) % c) * points + neighbour);
        });
  }

 private:
  int steps_, channels_, constants_;
};

}  // namespace gavel::test
