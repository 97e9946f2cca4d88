#pragma once

#include <cstdint>
#include <vector>

namespace gavel::surrogates::layers {

/// The dense complex tensor of a complex Tucker decomposition (tensorly's tucker_to_tensor, as
/// tltorch's ComplexTuckerTensor reconstructs its weight):
///   W(i_0, …, i_{n−1}) = Σ_r core(r_0, …, r_{n−1}) Π_k factor_k(i_k, r_k).
/// `core` has shape (R_0, …, R_{n−1}) and factor k shape (D_k, R_k), all complex stored as
/// PyTorch's view_as_real stores them (trailing (re, im) pairs); the result has shape
/// (D_0, …, D_{n−1}) in the same storage. Computed mode by mode in double precision on the host
/// (parallel over the default host execution space). Throws gavel::Error on mismatched sizes.
std::vector<float> tucker_to_dense(const std::vector<float>& core, const std::vector<std::int64_t>& ranks,
                                   const std::vector<std::vector<float>>& factors,
                                   const std::vector<std::int64_t>& dims);

}  // namespace gavel::surrogates::layers
