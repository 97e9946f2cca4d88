#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

/// Wraps a model and adds up the wall time of its forward calls (fenced, so device work is
/// counted) and the samples it saw: how the cost report separates model time from the
/// transforms and averaging around it.
template <class ExecSpace>
class TimedModel : public surrogates::Model<ExecSpace> {
 public:
  using typename surrogates::Model<ExecSpace>::View;
  using typename surrogates::Model<ExecSpace>::ConstView;

  explicit TimedModel(std::shared_ptr<surrogates::Model<ExecSpace>> inner) : inner_(std::move(inner)) {}

  std::string architecture() const override { return inner_->architecture(); }
  int spatial_dims() const override { return inner_->spatial_dims(); }
  int in_channels() const override { return inner_->in_channels(); }
  int out_channels() const override { return inner_->out_channels(); }

  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override {
    exec.fence();
    const auto start = std::chrono::steady_clock::now();
    inner_->forward(in, batch, space, out, exec);
    exec.fence();
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    samples_ += batch;
  }

  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override {
    return inner_->workspace_bytes(batch, space);  // timing allocates nothing
  }
  std::size_t parameter_bytes() const override { return inner_->parameter_bytes(); }

  double seconds() const { return seconds_; }
  std::int64_t samples() const { return samples_; }

 private:
  std::shared_ptr<surrogates::Model<ExecSpace>> inner_;
  double seconds_ = 0;
  std::int64_t samples_ = 0;
};

}  // namespace gavel::eval
