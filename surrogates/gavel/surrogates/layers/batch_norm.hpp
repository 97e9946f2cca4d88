#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/epilogue.hpp"
#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

/// torch.nn.BatchNorm{1,2,3}d in evaluation mode: the running statistics, not the batch's,
///   y = (x − running_mean[c]) / √(running_var[c] + eps) · weight[c] + bias[c],
/// i.e. the per-channel affine map y = scale[c]·x + shift[c] (computed in double), which a
/// preceding convolution can absorb (Convolution::fold_affine).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class BatchNorm {
 public:
  using memory_space = typename ExecSpace::memory_space;

  BatchNorm() = default;
  BatchNorm(const std::vector<float>& weight, const std::vector<float>& bias, const std::vector<float>& running_mean,
            const std::vector<float>& running_var, double eps = 1e-5, std::string name = "batch norm");

  const std::vector<double>& scale() const { return scale_; }
  const std::vector<double>& shift() const { return shift_; }
  /// out = scale·in + shift per channel; `out` may be `in`.
  void forward(const ExecSpace& exec, const ConstTensor& in, const Tensor& out) const;

 private:
  std::string name_;
  std::vector<double> scale_;
  std::vector<double> shift_;
  ChannelAffine<ExecSpace> affine_;
};

}  // namespace gavel::surrogates::layers
