#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gavel/core/non_finite.hpp"
#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

/// How samples are cut from trajectories, with the_well's WellDataset parameters and defaults
/// (the fixed-stride case its validation, test and rollout sets use: max_dt_stride = min).
struct WindowSpec {
  int n_steps_input = 4;
  int n_steps_output = 1;
  int dt_stride = 1;
  /// One window per trajectory: all steps after the inputs, up to max_rollout_steps.
  bool full_trajectory_mode = false;
  /// Caps the output steps read per window (the_well's max_rollout_steps, default 100).
  int max_rollout_steps = 100;
  /// Full-trajectory mode only: the first output step (−1: right after the inputs).
  std::int64_t start_output_steps_at_t = -1;
};

/// Where a window comes from.
struct WindowOrigin {
  std::size_t file = 0;
  std::int64_t trajectory = 0;
  std::int64_t start_step = 0;  ///< raw step of the first input frame
};

/// One sample exactly as the_well's WellDataset returns it (channels last, raw values —
/// NaN/Inf untouched here but counted), buffers reused between reads.
struct Window {
  WindowOrigin origin;
  std::vector<float> input;                     ///< [Ti, *space, C]
  std::vector<float> output;                    ///< [To, *space, C]
  std::vector<float> constants;                 ///< [*space, Cc]
  std::vector<double> input_time, output_time;  ///< shifted so the window starts at 0
  /// `/scalars` entries, file order: time-varying ones per step [Ti, S] and [To, S], the others [Sc].
  std::vector<double> input_scalars, output_scalars, constant_scalars;
  NonFiniteCounts input_non_finite, output_non_finite, constants_non_finite;
};

/// The windows of a list of files (one split), indexed trajectory-major then by start step,
/// files in the order given (sort them as the_well does; open_well_dataset does). Frames are
/// read on demand with hyperslabs: memory is one window.
class WindowedDataset {
 public:
  /// Checks that every source shares dataset name, grid and fields and has enough steps.
  WindowedDataset(std::vector<std::shared_ptr<const FieldSource>> sources, WindowSpec spec);
  /// Opens Well HDF5 files.
  static WindowedDataset open(const std::vector<std::string>& paths, WindowSpec spec);

  std::int64_t size() const { return offsets_.back(); }
  const WindowSpec& spec() const { return spec_; }
  /// Output steps each window holds (after the max_rollout_steps cap).
  int output_steps() const { return output_steps_; }
  /// Time-varying channels C and constant channels Cc (components counted).
  int channels() const { return channels_; }
  int constant_channels() const { return constant_channels_; }
  std::int64_t points() const { return points_; }
  const WellFileInfo& info() const { return sources_.front()->info(); }
  /// The file a WindowOrigin's `file` index names.
  const WellFileInfo& file_info(std::size_t file) const { return sources_.at(file)->info(); }
  /// the_well's flattened names: `velocity_x`, `stress_xy`, …; constant fields separately.
  std::vector<std::string> channel_names() const;
  std::vector<std::string> constant_channel_names() const;
  /// Names of the time-varying and constant `/scalars` entries, in window order.
  std::vector<std::string> scalar_names() const;
  std::vector<std::string> constant_scalar_names() const;

  WindowOrigin origin(std::int64_t index) const;
  void read(std::int64_t index, Window& window) const;

 private:
  void read_scalars(const WellFileInfo& file, Window& window) const;

  std::vector<std::shared_ptr<const FieldSource>> sources_;
  WindowSpec spec_;
  std::vector<std::int64_t> windows_per_trajectory_;
  std::vector<std::int64_t> offsets_;  ///< first window of each file; back() = size
  int output_steps_ = 0;
  int channels_ = 0;
  int constant_channels_ = 0;
  std::int64_t points_ = 0;
};

}  // namespace gavel::datasets
