#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

namespace gavel::surrogates {

/// The one model interface the rest of gavel uses: a batch of channels-first fields
/// (B, C_in, *space), contiguous in ExecSpace's memory, to (B, C_out, *space). Any batch size;
/// implementations keep their work buffers between calls and grow them only when a larger batch
/// or grid arrives. Values are in the units the model was trained on (normalization wraps it).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Model {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;
  using View = Kokkos::View<float*, memory_space>;
  using ConstView = Kokkos::View<const float*, memory_space>;

  virtual ~Model() = default;
  /// "FNO", "TFNO", "UNetClassic", "UNetConvNext", …
  virtual std::string architecture() const = 0;
  virtual int spatial_dims() const = 0;
  virtual int in_channels() const = 0;
  virtual int out_channels() const = 0;
  /// out = f(in); `space` holds the spatial extents (spatial_dims() of them). Throws
  /// gavel::Error when sizes do not fit (naming expected and given sizes).
  virtual void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
                       const ExecSpace& exec = ExecSpace()) = 0;
  /// Bytes of ExecSpace memory that forward() allocates for its own buffers (activations, work
  /// buffers, padding, FFT spectra and scratch, …) for `batch` samples on a grid of extents
  /// `space` — not counting the input and output views, nor the parameters. Buffers only grow, so
  /// after forward(batch, space) on a fresh model this is what the model holds.
  virtual std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const = 0;
  /// Bytes of ExecSpace memory the model's parameters (weights, folded norms, tables) occupy.
  virtual std::size_t parameter_bytes() const = 0;
};

}  // namespace gavel::surrogates
