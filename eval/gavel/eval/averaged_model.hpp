#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/core/shape_text.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

/// The group-averaged model f_G(x) = 1/|G| Σ_g g⁻¹·f(g·x) around a model in physical units:
/// the |G| transformed copies of a batch go through one call of the inner model (element-major,
/// |G|·B samples), and the outputs are mapped back and averaged in one fused pass. The input
/// layout (Ti steps of the time-varying fields, then the constant fields) and the output layout
/// (the time-varying fields) say how each channel transforms. The per-element outputs of the
/// last call stay available for per-element metrics and equivariance defects.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class AveragedModel : public surrogates::Model<ExecSpace> {
 public:
  using typename surrogates::Model<ExecSpace>::View;
  using typename surrogates::Model<ExecSpace>::ConstView;

  AveragedModel(std::shared_ptr<surrogates::Model<ExecSpace>> inner, const Grid& grid, const ChannelLayout& input,
                const ChannelLayout& output, const std::vector<GroupElement>& elements)
      : inner_(std::move(inner)), grid_(grid), in_action_(grid, input, elements), out_action_(grid, output, elements) {
    if (input.num_channels() != inner_->in_channels() || output.num_channels() != inner_->out_channels())
      throw Error("group averaging: the layouts give " + std::to_string(input.num_channels()) + " → " +
                  std::to_string(output.num_channels()) + " channels, the model " +
                  std::to_string(inner_->in_channels()) + " → " + std::to_string(inner_->out_channels()));
  }

  std::string architecture() const override { return inner_->architecture(); }
  int spatial_dims() const override { return inner_->spatial_dims(); }
  int in_channels() const override { return inner_->in_channels(); }
  int out_channels() const override { return inner_->out_channels(); }
  std::size_t group_order() const { return in_action_.num_elements(); }
  const std::vector<GroupElement>& elements() const { return in_action_.elements(); }
  const GroupAction<ExecSpace>& output_action() const { return out_action_; }

  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override {
    if (space != grid_.shape())
      throw Error("group averaging: batch on a " + extents_text(space) + " grid, the group acts on " +
                  grid_.shape_string());
    const auto order = static_cast<std::int64_t>(group_order());
    grow(transformed_, in_action_.batch_size(batch) * order, "transformed inputs");
    grow(outputs_, out_action_.batch_size(batch) * order, "per-element outputs");
    last_batch_ = batch;
    const auto x_all = Kokkos::subview(
        transformed_, std::make_pair(std::size_t{0}, static_cast<std::size_t>(in_action_.batch_size(batch) * order)));
    const auto y_all = element_outputs();
    in_action_.template apply_all<float>(in, batch, x_all, exec);
    inner_->forward(x_all, batch * order, space, y_all, exec);
    out_action_.template average_inverse<float>(y_all, batch, out, exec);
  }

  /// Minimal, so the interface compiles: the inner call on |G|·B samples plus the transformed
  /// inputs and per-element outputs.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override {
    const auto order = static_cast<std::int64_t>(group_order());
    return inner_->workspace_bytes(batch * order, space) +
           static_cast<std::size_t>((in_action_.batch_size(batch) + out_action_.batch_size(batch)) * order) *
               sizeof(float);
  }
  std::size_t parameter_bytes() const override { return inner_->parameter_bytes(); }

  /// y(e, b) = f(g_e·x_b) of the last forward call, element-major (|G|·B, C_out, *space).
  View element_outputs() const {
    return Kokkos::subview(
        outputs_, std::make_pair(std::size_t{0}, static_cast<std::size_t>(out_action_.batch_size(last_batch_) *
                                                                          static_cast<std::int64_t>(group_order()))));
  }

 private:
  static void grow(View& view, std::int64_t size, const char* label) {
    if (static_cast<std::int64_t>(view.extent(0)) < size)
      view = View(Kokkos::ViewAllocateWithoutInitializing(std::string(label)), static_cast<std::size_t>(size));
  }

  std::shared_ptr<surrogates::Model<ExecSpace>> inner_;
  Grid grid_;
  GroupAction<ExecSpace> in_action_, out_action_;
  View transformed_, outputs_;
  std::int64_t last_batch_ = 0;
};

}  // namespace gavel::eval
