#include "gavel/datasets/windows.hpp"

#include <algorithm>

#include "gavel/core/error.hpp"
#include "gavel/datasets/well_file_source.hpp"

namespace gavel::datasets {
namespace {

std::string source_name(const FieldSource& source) {
  return source.info().path.empty() ? "'" + source.info().dataset_name + "'" : source.info().path;
}

/// The same data model in every file, as the_well asserts (name, dimension, resolution) plus
/// the fields, which gavel needs to lay out channels once.
void check_consistent(const FieldSource& first, const FieldSource& other) {
  const WellFileInfo& a = first.info();
  const WellFileInfo& b = other.info();
  const std::string where = source_name(other);
  if (b.dataset_name != a.dataset_name)
    throw Error(where + ": dataset_name '" + b.dataset_name + "' differs from '" + a.dataset_name + "' in " +
                source_name(first));
  if (b.spatial_shape != a.spatial_shape || b.spatial_dims != a.spatial_dims)
    throw Error(where + ": spatial grid differs from " + source_name(first));
  bool same_fields = a.fields.size() == b.fields.size();
  for (std::size_t i = 0; same_fields && i < a.fields.size(); ++i)
    same_fields = a.fields[i].name == b.fields[i].name && a.fields[i].order == b.fields[i].order &&
                  a.fields[i].time_varying == b.fields[i].time_varying && a.fields[i].pseudo == b.fields[i].pseudo;
  if (!same_fields) throw Error(where + ": fields differ from " + source_name(first));
}

std::vector<std::string> component_suffixes(const WellFileInfo& info, int order) {
  std::vector<std::string> suffixes{""};
  for (int k = 0; k < order; ++k) {
    std::vector<std::string> next;
    for (const auto& s : suffixes)
      for (const auto& d : info.spatial_dims)
        next.push_back(s + d);
    suffixes = next;
  }
  return suffixes;
}

std::vector<std::string> names_of(const WellFileInfo& info, bool time_varying) {
  std::vector<std::string> names;
  for (const auto& f : info.fields) {
    if (f.time_varying != time_varying) continue;
    for (const auto& s : component_suffixes(info, f.order))
      names.push_back(s.empty() ? f.name : f.name + "_" + s);
  }
  return names;
}

/// Copies `frames` frames of one field ([frames, points, components]) into channels
/// [channel, channel + components) of a [frames, points, channels] block.
void scatter_channels(const float* field, std::int64_t frames, std::int64_t points, int components, int channel,
                      int channels, float* block) {
  for (std::int64_t t = 0; t < frames; ++t)
    for (std::int64_t p = 0; p < points; ++p) {
      const float* from = field + (t * points + p) * components;
      float* to = block + (t * points + p) * channels + channel;
      std::copy(from, from + components, to);
    }
}

}  // namespace

WindowedDataset::WindowedDataset(std::vector<std::shared_ptr<const FieldSource>> sources, WindowSpec spec)
    : sources_(std::move(sources)), spec_(spec) {
  if (sources_.empty()) throw Error("windows: no files");
  if (spec_.n_steps_input < 1 || spec_.n_steps_output < 1 || spec_.dt_stride < 1 || spec_.max_rollout_steps < 1)
    throw Error("windows: n_steps_input, n_steps_output, dt_stride and max_rollout_steps must be at least 1");
  for (const auto& s : sources_)
    check_consistent(*sources_.front(), *s);
  const WellFileInfo& first = info();
  points_ = 1;
  for (auto n : first.spatial_shape)
    points_ *= n;
  const int ndim = first.ndim();
  for (const auto& f : first.fields) {
    int components = 1;
    for (int k = 0; k < f.order; ++k)
      components *= ndim;
    (f.time_varying ? channels_ : constant_channels_) += components;
  }

  const std::int64_t dt = spec_.dt_stride, ti = spec_.n_steps_input;
  std::int64_t lowest_steps = sources_.front()->info().n_steps;
  for (const auto& s : sources_)
    lowest_steps = std::min(lowest_steps, s->info().n_steps);
  std::int64_t output_steps = spec_.n_steps_output;
  if (spec_.full_trajectory_mode) {
    output_steps = (lowest_steps - std::max(ti * dt, spec_.start_output_steps_at_t)) / dt;
    if (output_steps < 1)
      throw Error("windows: full-trajectory mode needs more than " + std::to_string(lowest_steps) + " steps for " +
                  std::to_string(ti) + " input steps at stride " + std::to_string(dt));
    if (spec_.start_output_steps_at_t >= 0 && spec_.start_output_steps_at_t < ti * dt)
      throw Error("windows: start_output_steps_at_t " + std::to_string(spec_.start_output_steps_at_t) +
                  " leaves no room for " + std::to_string(ti) + " input steps at stride " + std::to_string(dt));
  }
  output_steps_ = static_cast<int>(std::min<std::int64_t>(output_steps, spec_.max_rollout_steps));

  offsets_.push_back(0);
  for (const auto& s : sources_) {
    std::int64_t windows = 1;
    if (!spec_.full_trajectory_mode) {
      windows = s->info().n_steps - dt * (ti + spec_.n_steps_output - 1);
      if (windows < 1)
        throw Error(source_name(*s) + ": " + std::to_string(s->info().n_steps) + " steps are too few for " +
                    std::to_string(ti) + " input and " + std::to_string(spec_.n_steps_output) +
                    " output steps at stride " + std::to_string(dt));
    }
    windows_per_trajectory_.push_back(windows);
    offsets_.push_back(offsets_.back() + windows * s->info().n_trajectories);
  }
}

WindowedDataset WindowedDataset::open(const std::vector<std::string>& paths, WindowSpec spec) {
  std::vector<std::shared_ptr<const FieldSource>> sources;
  for (const auto& p : paths)
    sources.push_back(std::make_shared<WellFileSource>(p));
  return WindowedDataset(std::move(sources), spec);
}

std::vector<std::string> WindowedDataset::scalar_names() const {
  std::vector<std::string> names;
  for (const auto& s : info().scalars)
    if (s.time_varying) names.push_back(s.name);
  return names;
}

std::vector<std::string> WindowedDataset::constant_scalar_names() const {
  std::vector<std::string> names;
  for (const auto& s : info().scalars)
    if (!s.time_varying) names.push_back(s.name);
  return names;
}

std::vector<std::string> WindowedDataset::channel_names() const {
  return names_of(info(), true);
}
std::vector<std::string> WindowedDataset::constant_channel_names() const {
  return names_of(info(), false);
}

WindowOrigin WindowedDataset::origin(std::int64_t index) const {
  if (index < 0 || index >= size())
    throw Error("windows: index " + std::to_string(index) + " out of range (" + std::to_string(size()) + " windows)");
  const auto file =
      static_cast<std::size_t>(std::upper_bound(offsets_.begin(), offsets_.end(), index) - offsets_.begin() - 1);
  const std::int64_t local = index - offsets_[file];
  WindowOrigin o;
  o.file = file;
  o.trajectory = local / windows_per_trajectory_[file];
  o.start_step = local % windows_per_trajectory_[file];
  if (spec_.full_trajectory_mode && spec_.start_output_steps_at_t >= 0)
    o.start_step = spec_.start_output_steps_at_t - std::int64_t{spec_.n_steps_input} * spec_.dt_stride;
  return o;
}

void WindowedDataset::read(std::int64_t index, Window& window) const {
  window.origin = origin(index);
  const FieldSource& source = *sources_[window.origin.file];
  const WellFileInfo& file = source.info();
  const std::int64_t ti = spec_.n_steps_input, frames = ti + output_steps_;
  window.input.resize(static_cast<std::size_t>(ti * points_ * channels_));
  window.output.resize(static_cast<std::size_t>(output_steps_ * points_ * channels_));
  window.constants.resize(static_cast<std::size_t>(points_ * constant_channels_));

  std::vector<float> field_frames, block(static_cast<std::size_t>(frames * points_ * channels_));
  int channel = 0, constant_channel = 0;
  for (std::size_t f = 0; f < file.fields.size(); ++f) {
    const WellField& field = file.fields[f];
    const auto components = static_cast<int>(frame_size(file, field) / points_);
    if (field.time_varying) {
      field_frames.resize(static_cast<std::size_t>(frames * points_ * components));
      source.read_frames(f, window.origin.trajectory, window.origin.start_step, frames, spec_.dt_stride,
                         field_frames.data());
      scatter_channels(field_frames.data(), frames, points_, components, channel, channels_, block.data());
      channel += components;
    } else {
      field_frames.resize(static_cast<std::size_t>(points_ * components));
      source.read_constant(f, window.origin.trajectory, field_frames.data());
      scatter_channels(field_frames.data(), 1, points_, components, constant_channel, constant_channels_,
                       window.constants.data());
      constant_channel += components;
    }
  }
  const auto split = block.begin() + static_cast<std::ptrdiff_t>(window.input.size());
  std::copy(block.begin(), split, window.input.begin());
  std::copy(split, block.end(), window.output.begin());
  window.input_non_finite = count_non_finite(window.input.data(), static_cast<std::int64_t>(window.input.size()));
  window.output_non_finite = count_non_finite(window.output.data(), static_cast<std::int64_t>(window.output.size()));
  window.constants_non_finite =
      count_non_finite(window.constants.data(), static_cast<std::int64_t>(window.constants.size()));

  const auto time = file.trajectory_time(window.origin.trajectory);
  std::vector<double> steps;
  for (std::int64_t k = 0; k < frames; ++k)
    steps.push_back(time[static_cast<std::size_t>(window.origin.start_step + k * spec_.dt_stride)]);
  // the_well subtracts the window's first time in the stored precision (float32 in The Well).
  const float start = static_cast<float>(*std::min_element(steps.begin(), steps.end()));
  for (auto& t : steps)
    t = static_cast<double>(static_cast<float>(t) - start);
  window.input_time.assign(steps.begin(), steps.begin() + ti);
  window.output_time.assign(steps.begin() + ti, steps.end());
  read_scalars(file, window);
}

void WindowedDataset::read_scalars(const WellFileInfo& file, Window& window) const {
  const std::int64_t ti = spec_.n_steps_input;
  std::vector<const WellScalar*> varying;
  window.constant_scalars.clear();
  for (const auto& s : file.scalars) {
    const std::int64_t row = s.sample_varying ? window.origin.trajectory : 0;
    if (s.time_varying)
      varying.push_back(&s);
    else
      window.constant_scalars.push_back(s.values[static_cast<std::size_t>(row)]);
  }
  const std::size_t n = varying.size();
  window.input_scalars.assign(static_cast<std::size_t>(ti) * n, 0.0);
  window.output_scalars.assign(static_cast<std::size_t>(output_steps_) * n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    const WellScalar& s = *varying[k];
    const std::int64_t row = s.sample_varying ? window.origin.trajectory : 0;
    for (std::int64_t t = 0; t < ti + output_steps_; ++t) {
      const double v =
          s.values[static_cast<std::size_t>(row * file.n_steps + window.origin.start_step + t * spec_.dt_stride)];
      if (t < ti)
        window.input_scalars[static_cast<std::size_t>(t) * n + k] = v;
      else
        window.output_scalars[static_cast<std::size_t>(t - ti) * n + k] = v;
    }
  }
}

}  // namespace gavel::datasets
