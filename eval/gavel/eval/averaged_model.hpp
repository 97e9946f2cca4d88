#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/core/shape_text.hpp"
#include "gavel/eval/field_arithmetic.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

/// The group-averaged model f_G(x) = 1/|G| Σ_g g⁻¹·f(g·x) around a model in physical units.
/// The |G| transformed copies of a batch go through the inner model in calls of
/// elements_per_call() elements each (element-major, elements_per_call()·B samples per call), so
/// memory is set by that chunk, not by |G|: each call's outputs are mapped back and averaged by
/// the fused inverse kernel and accumulated into the prediction with weight |chunk|/|G|. With one
/// chunk (the default) that is a single fused pass, as before chunking. The input layout (Ti
/// steps of the time-varying fields, then the constant fields) and the output layout (the
/// time-varying fields) say how each channel transforms. A consumer passed to forward() sees
/// every chunk's per-element outputs y(e, b) = f(g_e·x_b) while they exist, for per-element
/// metrics and equivariance defects.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class AveragedModel : public surrogates::Model<ExecSpace> {
 public:
  using typename surrogates::Model<ExecSpace>::View;
  using typename surrogates::Model<ExecSpace>::ConstView;
  /// (first element, elements in the chunk, their outputs: count·B samples, element-major).
  using ChunkConsumer = std::function<void(std::size_t, std::size_t, const View&)>;

  AveragedModel(std::shared_ptr<surrogates::Model<ExecSpace>> inner, const Grid& grid, const ChannelLayout& input,
                const ChannelLayout& output, const std::vector<GroupElement>& elements)
      : inner_(std::move(inner)), grid_(grid), input_(input), output_(output), elements_(elements) {
    if (input.num_channels() != inner_->in_channels() || output.num_channels() != inner_->out_channels())
      throw Error("group averaging: the layouts give " + std::to_string(input.num_channels()) + " → " +
                  std::to_string(output.num_channels()) + " channels, the model " +
                  std::to_string(inner_->in_channels()) + " → " + std::to_string(inner_->out_channels()));
    set_elements_per_call(elements.size());
  }

  std::string architecture() const override { return inner_->architecture(); }
  int spatial_dims() const override { return inner_->spatial_dims(); }
  int in_channels() const override { return inner_->in_channels(); }
  int out_channels() const override { return inner_->out_channels(); }
  std::size_t group_order() const { return elements_.size(); }
  const std::vector<GroupElement>& elements() const { return elements_; }
  std::size_t elements_per_call() const { return per_call_; }
  /// Inner model calls per forward(): ⌈|G| / elements_per_call()⌉.
  std::size_t calls_per_forward() const { return chunks_.size(); }

  /// Splits the |G| copies into calls of at most `count` elements, balanced: ⌈|G|/count⌉ calls of
  /// nearly equal size (the buffers are sized by the largest).
  void set_elements_per_call(std::size_t count) {
    if (count < 1) throw Error("group averaging: at least one element per model call");
    const std::size_t order = elements_.size();
    const std::size_t calls = (order + std::min(count, order) - 1) / std::min(count, order);
    per_call_ = (order + calls - 1) / calls;
    chunks_.clear();
    for (std::size_t first = 0; first < order; first += per_call_) {
      const std::size_t last = std::min(order, first + per_call_);
      const std::vector<GroupElement> members(elements_.begin() + static_cast<std::ptrdiff_t>(first),
                                              elements_.begin() + static_cast<std::ptrdiff_t>(last));
      chunks_.push_back(Chunk{first, last - first, GroupAction<ExecSpace>(grid_, input_, members),
                              GroupAction<ExecSpace>(grid_, output_, members)});
    }
  }

  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override {
    forward(in, batch, space, out, ChunkConsumer(), exec);
  }

  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ChunkConsumer& consumer, const ExecSpace& exec = ExecSpace()) {
    if (space != grid_.shape())
      throw Error("group averaging: batch on a " + extents_text(space) + " grid, the group acts on " +
                  grid_.shape_string());
    const std::int64_t in_values = batch * in_channels() * grid_.num_points();
    const std::int64_t out_values = batch * out_channels() * grid_.num_points();
    const auto per_call = static_cast<std::int64_t>(per_call_);
    grow(transformed_, in_values * per_call, "transformed inputs");
    grow(outputs_, out_values * per_call, "per-element outputs");
    if (chunks_.size() > 1) grow(partial_, out_values, "chunk average");
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const Chunk& chunk = chunks_[c];
      const auto count = static_cast<std::int64_t>(chunk.count);
      const auto x = first_values(transformed_, in_values * count);
      const auto y = first_values(outputs_, out_values * count);
      chunk.inputs.template apply_all<float>(in, batch, x, exec);
      inner_->forward(x, batch * count, space, y, exec);
      if (consumer) consumer(chunk.first, chunk.count, y);
      if (chunks_.size() == 1) {
        chunk.outputs.template average_inverse<float>(y, batch, out, exec);
        continue;
      }
      const auto partial = first_values(partial_, out_values);
      chunk.outputs.template average_inverse<float>(y, batch, partial, exec);
      accumulate_scaled(partial, static_cast<float>(static_cast<double>(count) / static_cast<double>(group_order())),
                        c == 0, out, exec);
    }
  }

  /// The averaged call's own buffers for `batch` windows plus the inner model's workspace for
  /// one call of elements_per_call()·batch samples.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override {
    std::int64_t points = 1;
    for (const auto n : space)
      points *= n;
    const auto per_call = static_cast<std::int64_t>(per_call_);
    const std::int64_t values =
        batch * points * (per_call * (in_channels() + out_channels()) + (chunks_.size() > 1 ? out_channels() : 0));
    return static_cast<std::size_t>(values) * sizeof(float) + inner_->workspace_bytes(batch * per_call, space);
  }
  std::size_t parameter_bytes() const override { return inner_->parameter_bytes(); }

 private:
  struct Chunk {
    std::size_t first, count;
    GroupAction<ExecSpace> inputs, outputs;
  };

  static View first_values(const View& view, std::int64_t size) {
    return Kokkos::subview(view, std::make_pair(std::size_t{0}, static_cast<std::size_t>(size)));
  }

  static void grow(View& view, std::int64_t size, const char* label) {
    if (static_cast<std::int64_t>(view.extent(0)) < size) {
      view = View();
      view = View(Kokkos::ViewAllocateWithoutInitializing(std::string(label)), static_cast<std::size_t>(size));
    }
  }

  std::shared_ptr<surrogates::Model<ExecSpace>> inner_;
  Grid grid_;
  ChannelLayout input_, output_;
  std::vector<GroupElement> elements_;
  std::size_t per_call_ = 1;
  std::vector<Chunk> chunks_;
  View transformed_, outputs_, partial_;
};

}  // namespace gavel::eval
