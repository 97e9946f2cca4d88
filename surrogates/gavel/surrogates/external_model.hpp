#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gavel/surrogates/model.hpp"

namespace gavel::surrogates {

/// Settings of the external-model protocol (surrogates/EXTERNAL.md).
struct ExternalModelSpec {
  /// Shell command run once per forward call. `{request}` and `{response}` are replaced by the
  /// two file paths (also given as GAVEL_REQUEST and GAVEL_RESPONSE in the environment).
  std::string command;
  int spatial_dims = 2;
  int in_channels = 0;
  int out_channels = 0;
  /// Folder for the exchange files (created if missing).
  std::string work_folder = ".";
  /// Keep the exchange files after reading them (for debugging a model program).
  bool keep_files = false;
};

/// Any program as a model — a PyTorch script, another framework, a remote service: for each
/// forward call gavel writes the (possibly group-transformed) batch to `request-N.hdf5`
/// (dataset `input`, float32 [B, C_in, *space]), runs the command, and reads `output`
/// (float32 [B, C_out, *space]) from `response-N.hdf5`. A failing command, a missing response
/// or a wrong shape is a gavel::Error naming the command or file.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class ExternalModel : public Model<ExecSpace> {
 public:
  using typename Model<ExecSpace>::View;
  using typename Model<ExecSpace>::ConstView;

  explicit ExternalModel(ExternalModelSpec spec);
  std::string architecture() const override { return "external"; }
  int spatial_dims() const override { return spec_.spatial_dims; }
  int in_channels() const override { return spec_.in_channels; }
  int out_channels() const override { return spec_.out_channels; }
  void forward(const ConstView& in, std::int64_t batch, const std::vector<std::int64_t>& space, const View& out,
               const ExecSpace& exec = ExecSpace()) override;
  /// The response read back on the host; on a host execution space that is ExecSpace memory
  /// (freed before forward() returns: nothing is kept between calls). A device space gets 0: the
  /// host copies of input and output are host memory.
  std::size_t workspace_bytes(std::int64_t batch, const std::vector<std::int64_t>& space) const override;
  /// The program's parameters are not in gavel's memory.
  std::size_t parameter_bytes() const override { return 0; }
  /// Number of forward calls made so far (and the index of the next exchange files).
  std::int64_t calls() const { return calls_; }

 private:
  ExternalModelSpec spec_;
  std::int64_t calls_ = 0;
};

/// The host side of the protocol, independent of execution spaces.
namespace external {
void write_request(const std::string& path, const float* values, const std::vector<std::int64_t>& shape,
                   int out_channels, const std::string& response);
std::vector<float> read_response(const std::string& path, const std::vector<std::int64_t>& shape);
/// Runs `command` with the placeholders filled in; throws gavel::Error on a non-zero exit.
void run_command(const std::string& command, const std::string& request, const std::string& response);
}  // namespace external

}  // namespace gavel::surrogates
