#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/surrogates/layers/allocation_bytes.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::surrogates {

/// Per-channel statistics for NormalizedModel: normalized = (x − shift) / scale.
struct AffineChannels {
  std::vector<float> shift;
  std::vector<float> scale;
};

/// A model in physical units, as the_well evaluates: the input (B, Ti·C + Cc, *space) — Ti steps
/// of C time-varying channels, then Cc constant channels — is normalized per channel, the inner
/// model runs, and its output (B, C, *space) is denormalized: y = out·scale + shift, or for a
/// model trained on changes y = x_last + out·scale_Δ + shift_Δ with x_last the last input step.
/// Group averaging wraps this physical-unit model: per-component statistics are not symmetric
/// under axis permutations, so transforming normalized data would be wrong.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class NormalizedModel : public Model<ExecSpace> {
 public:
  using typename Model<ExecSpace>::View;
  using typename Model<ExecSpace>::ConstView;

  NormalizedModel(std::shared_ptr<Model<ExecSpace>> inner, int n_steps_input, const AffineChannels& variable,
                  const AffineChannels& constant, const AffineChannels& output, bool predicts_delta)
      : inner_(std::move(inner)),
        steps_(n_steps_input),
        channels_(static_cast<int>(variable.shift.size())),
        constants_(static_cast<int>(constant.shift.size())),
        delta_(predicts_delta) {
    if (inner_->in_channels() != steps_ * channels_ + constants_)
      throw Error("normalized model: the model takes " + std::to_string(inner_->in_channels()) +
                  " channels, the data " + std::to_string(steps_) + "×" + std::to_string(channels_) + " + " +
                  std::to_string(constants_));
    if (inner_->out_channels() != channels_ || static_cast<int>(output.shift.size()) != channels_)
      throw Error("normalized model: the model predicts " + std::to_string(inner_->out_channels()) +
                  " channels, the data has " + std::to_string(channels_) + " time-varying channels");
    std::vector<float> in_shift, in_scale;
    for (int t = 0; t < steps_; ++t) {
      in_shift.insert(in_shift.end(), variable.shift.begin(), variable.shift.end());
      in_scale.insert(in_scale.end(), variable.scale.begin(), variable.scale.end());
    }
    in_shift.insert(in_shift.end(), constant.shift.begin(), constant.shift.end());
    in_scale.insert(in_scale.end(), constant.scale.begin(), constant.scale.end());
    in_shift_ = to_device(in_shift, "input shift");
    in_scale_ = to_device(in_scale, "input scale");
    out_shift_ = to_device(output.shift, "output shift");
    out_scale_ = to_device(output.scale, "output scale");
  }

  std::string architecture() const override { return inner_->architecture(); }
  int spatial_dims() const override { return inner_->spatial_dims(); }
  int in_channels() const override { return inner_->in_channels(); }
  int out_channels() const override { return inner_->out_channels(); }
  const Model<ExecSpace>& inner() const { return *inner_; }

  /// The normalized copy of the input plus the inner model's workspace.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override {
    return layers::allocation_bytes(normalized_length(batch, space), sizeof(float)) +
           inner_->workspace_bytes(batch, space);
  }
  /// The inner model's parameters and the four per-channel statistics.
  std::size_t parameter_bytes() const override {
    return inner_->parameter_bytes() + layers::view_bytes(in_shift_) + layers::view_bytes(in_scale_) +
           layers::view_bytes(out_shift_) + layers::view_bytes(out_scale_);
  }
  /// Bytes of the normalized-input buffer this wrapper holds now (the inner model's not included).
  std::size_t held_workspace_bytes() const { return layers::view_bytes(normalized_); }

  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override {
    std::int64_t points = 1;
    for (auto n : space)
      points *= n;
    const std::int64_t cin = in_channels(), cout = out_channels();
    const std::int64_t length = normalized_length(batch, space);
    if (static_cast<std::int64_t>(in.extent(0)) != length)
      throw Error("normalized model: input holds " + std::to_string(in.extent(0)) + " values, expected " +
                  std::to_string(length));
    if (static_cast<std::int64_t>(normalized_.extent(0)) < length)
      normalized_ = View(Kokkos::ViewAllocateWithoutInitializing("normalized input"), static_cast<std::size_t>(length));
    const auto normalized = Kokkos::subview(normalized_, std::make_pair(std::size_t{0}, in.extent(0)));
    const auto shift = in_shift_, scale = in_scale_;
    Kokkos::parallel_for(
        "gavel::normalize",
        Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * cin * points),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const std::int64_t c = (i / points) % cin;
          normalized(i) = (in(i)-shift(c)) / scale(c);
        });
    inner_->forward(normalized, batch, space, out, exec);
    const auto oshift = out_shift_, oscale = out_scale_;
    const bool delta = delta_;
    const std::int64_t last = static_cast<std::int64_t>(steps_ - 1) * channels_;
    Kokkos::parallel_for(
        "gavel::denormalize",
        Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(exec, 0, batch * cout * points),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const std::int64_t p = i % points, c = (i / points) % cout, b = i / (points * cout);
          const float value = out(i) * oscale(c) + oshift(c);
          out(i) = delta ? in((b * cin + last + c) * points + p) + value : value;
        });
  }

 private:
  /// Floats of the normalized input for a batch: as many as the input holds.
  std::int64_t normalized_length(std::int64_t batch, const std::vector<std::int64_t>& space) const {
    std::int64_t points = 1;
    for (auto n : space)
      points *= n;
    return batch * in_channels() * points;
  }

  static View to_device(const std::vector<float>& values, const char* label) {
    View view(std::string(label), values.size());
    auto host = Kokkos::create_mirror_view(view);
    for (std::size_t i = 0; i < values.size(); ++i)
      host(i) = values[i];
    Kokkos::deep_copy(view, host);
    return view;
  }

  std::shared_ptr<Model<ExecSpace>> inner_;
  int steps_, channels_, constants_;
  bool delta_;
  View in_shift_, in_scale_, out_shift_, out_scale_;
  View normalized_;
};

}  // namespace gavel::surrogates
