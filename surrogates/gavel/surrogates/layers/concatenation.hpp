#pragma once

#include <Kokkos_Core.hpp>

#include "gavel/surrogates/layers/tensor_ref.hpp"

namespace gavel::surrogates::layers {

/// torch.cat((a, b), dim=1): `out` holds a's channels, then b's. The U-Nets avoid this copy by
/// writing both parts straight into channel slices of one buffer (BasicTensor::channel_slice);
/// this kernel is the general form.
template <class ExecSpace>
void concatenate_channels(const ExecSpace& exec, const ConstTensor& a, const ConstTensor& b, const Tensor& out);

/// out = in, element by element (both may have any batch stride).
template <class ExecSpace>
void copy_tensor(const ExecSpace& exec, const ConstTensor& in, const Tensor& out);

}  // namespace gavel::surrogates::layers
