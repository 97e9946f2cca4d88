// WellStats::compute (the_well's statistics procedure over FieldSources) and WellStats::write.
#include <algorithm>
#include <cmath>
#include <fstream>

#include <yaml-cpp/yaml.h>

#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/version.hpp"
#include "gavel/datasets/output_kinds.hpp"
#include "gavel/datasets/well_stats.hpp"

namespace gavel::datasets {
namespace {

/// Values per read: frames stream through a buffer of at most this many floats.
constexpr std::int64_t kBufferValues = std::int64_t{1} << 22;

/// Count, per-component mean and sum of squared deviations, merged chunk by chunk (Chan et al.),
/// which gives the population mean and variance of everything seen to rounding.
struct Moments {
  double count = 0.0;
  std::vector<double> mean;
  std::vector<double> m2;

  explicit Moments(std::size_t components) : mean(components, 0.0), m2(components, 0.0) {}

  /// Adds `points` samples of every component, `values[p * components + c]`.
  void add(const std::vector<double>& values, std::size_t points) {
    if (points == 0) return;
    const std::size_t components = mean.size();
    for (std::size_t c = 0; c < components; ++c) {
      double sum = 0.0;
      for (std::size_t p = 0; p < points; ++p)
        sum += values[p * components + c];
      const double chunk_mean = sum / static_cast<double>(points);
      double chunk_m2 = 0.0;
      for (std::size_t p = 0; p < points; ++p) {
        const double d = values[p * components + c] - chunk_mean;
        chunk_m2 += d * d;
      }
      const double n_a = count;
      const auto n_b = static_cast<double>(points);
      const double n = n_a + n_b;
      const double delta = chunk_mean - mean[c];
      mean[c] += delta * n_b / n;
      m2[c] += chunk_m2 + delta * delta * n_a * n_b / n;
    }
    count += static_cast<double>(points);
  }
};

/// One file's contribution to one field: its value count and per-component mean and variance.
struct FileMoments {
  double count;
  std::vector<double> mean;
  std::vector<double> variance;
};

FileMoments finish(const Moments& m) {
  FileMoments f{m.count, m.mean, m.m2};
  for (auto& v : f.variance)
    v /= m.count;
  return f;
}

/// Values and step-to-step differences of one field of one file.
void field_moments(const FieldSource& source, std::size_t index, Moments& values, Moments& deltas) {
  const WellFileInfo& info = source.info();
  const WellField& field = info.fields[index];
  const std::int64_t frame = frame_size(info, field);
  const auto components = static_cast<std::int64_t>(values.mean.size());
  const auto points_per_frame = static_cast<std::size_t>(frame / components);
  const std::int64_t trajectories = field.sample_varying ? info.n_trajectories : 1;
  std::vector<float> buffer;
  std::vector<double> wide;
  if (!field.time_varying) {
    buffer.resize(static_cast<std::size_t>(frame));
    wide.resize(buffer.size());
    for (std::int64_t t = 0; t < trajectories; ++t) {
      source.read_constant(index, t, buffer.data());
      std::copy(buffer.begin(), buffer.end(), wide.begin());
      values.add(wide, points_per_frame);
    }
    return;
  }
  const std::int64_t chunk =
      std::max<std::int64_t>(1, std::min(info.n_steps, kBufferValues / std::max<std::int64_t>(1, frame)));
  buffer.resize(static_cast<std::size_t>(chunk * frame));
  wide.resize(buffer.size());
  std::vector<double> previous(static_cast<std::size_t>(frame));
  std::vector<double> difference;
  for (std::int64_t t = 0; t < trajectories; ++t) {
    for (std::int64_t first = 0; first < info.n_steps; first += chunk) {
      const std::int64_t count = std::min(chunk, info.n_steps - first);
      source.read_frames(index, t, first, count, 1, buffer.data());
      const auto used = static_cast<std::size_t>(count * frame);
      std::copy(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(used), wide.begin());
      values.add(wide, points_per_frame * static_cast<std::size_t>(count));
      // Differences in float64 of the float32 values, as the_well takes them (data[:, 1:] −
      // data[:, :-1] after converting to float64). For a field shared by all trajectories,
      // the_well's script would difference its first spatial axis instead; gavel differences time.
      difference.assign(used, 0.0);
      std::size_t pairs = 0;
      for (std::int64_t s = 0; s < count; ++s) {
        const double* now = wide.data() + s * frame;
        if (first + s > 0) {
          double* out = difference.data() + pairs * static_cast<std::size_t>(frame);
          for (std::int64_t v = 0; v < frame; ++v)
            out[v] = now[v] - previous[static_cast<std::size_t>(v)];
          ++pairs;
        }
        std::copy(now, now + frame, previous.begin());
      }
      deltas.add(difference, points_per_frame * pairs);
    }
  }
}

/// Mixture moments over files: mean = Σ w m, s = Σ w (v + m²) with w = count / total.
void combine(const std::vector<FileMoments>& files, std::vector<double>& mean, std::vector<double>& stdev,
             std::vector<double>& rms) {
  double total = 0.0;
  for (const auto& f : files)
    total += f.count;
  const std::size_t components = files.front().mean.size();
  mean.assign(components, 0.0);
  std::vector<double> second(components, 0.0);
  for (const auto& f : files) {
    const double w = f.count / total;
    for (std::size_t c = 0; c < components; ++c) {
      mean[c] += w * f.mean[c];
      second[c] += w * (f.variance[c] + f.mean[c] * f.mean[c]);
    }
  }
  stdev.assign(components, 0.0);
  rms.assign(components, 0.0);
  for (std::size_t c = 0; c < components; ++c) {
    stdev[c] = std::sqrt(std::max(0.0, second[c] - mean[c] * mean[c]));
    rms[c] = std::sqrt(second[c]);
  }
}

void emit_values(YAML::Emitter& out, const std::vector<double>& values, int rank) {
  if (rank == 0 && values.size() == 1) {
    out << values.front();
    return;
  }
  out << YAML::BeginSeq;
  if (rank == 2) {
    const auto d = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(values.size()))));
    for (std::size_t r = 0; r < d; ++r) {
      out << YAML::BeginSeq;
      for (std::size_t c = 0; c < d; ++c)
        out << values[r * d + c];
      out << YAML::EndSeq;
    }
  } else {
    for (double v : values)
      out << v;
  }
  out << YAML::EndSeq;
}

}  // namespace

WellStats WellStats::compute(const std::vector<const FieldSource*>& files) {
  if (files.empty()) throw Error("statistics: no files");
  for (const auto* f : files)
    if (f == nullptr) throw Error("statistics: null source");
  const WellFileInfo& first = files.front()->info();
  for (const auto* f : files) {
    const WellFileInfo& info = f->info();
    bool same = info.fields.size() == first.fields.size() && info.ndim() == first.ndim();
    for (std::size_t k = 0; same && k < info.fields.size(); ++k)
      same = info.fields[k].name == first.fields[k].name && info.fields[k].order == first.fields[k].order;
    if (!same)
      throw Error("statistics: '" + info.path + "' (" + info.dataset_name + ") does not have the fields of '" +
                  first.path + "'");
  }
  WellStats stats;
  for (std::size_t k = 0; k < first.fields.size(); ++k) {
    const WellField& field = first.fields[k];
    const auto components = static_cast<std::size_t>(field.spec().num_components(first.ndim()));
    std::vector<FileMoments> values;
    std::vector<FileMoments> deltas;
    for (const auto* f : files) {
      Moments v(components);
      Moments d(components);
      field_moments(*f, k, v, d);
      if (v.count > 0) values.push_back(finish(v));
      if (d.count > 0) deltas.push_back(finish(d));
    }
    if (values.empty()) throw Error("statistics: field '" + field.name + "' holds no values");
    std::vector<double> mean, stdev, rms;
    combine(values, mean, stdev, rms);
    stats.entries_["mean"][field.name] = mean;
    stats.entries_["std"][field.name] = stdev;
    stats.entries_["rms"][field.name] = rms;
    for (const char* key : {"mean", "std", "rms"})
      stats.ranks_[key][field.name] = field.order;
    if (!deltas.empty()) {
      combine(deltas, mean, stdev, rms);
      stats.entries_["mean_delta"][field.name] = mean;
      stats.entries_["std_delta"][field.name] = stdev;
      stats.entries_["rms_delta"][field.name] = rms;
      for (const char* key : {"mean_delta", "std_delta", "rms_delta"})
        stats.ranks_[key][field.name] = field.order;
    }
  }
  return stats;
}

void WellStats::write(const std::string& path, bool overwrite) const {
  YAML::Emitter out;
  out.SetDoublePrecision(17);
  out << YAML::BeginMap;
  for (const auto& [key, fields] : entries_) {
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    for (const auto& [name, values] : fields) {
      out << YAML::Key << name << YAML::Value;
      emit_values(out, values, ranks_.at(key).at(name));
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  if (!out.good()) throw Error(path + ": cannot format the statistics as YAML (" + out.GetLastError() + ")");
  AtomicOutput output(path, stats_file_output(), {overwrite, false, {}});
  {
    std::ofstream file(output.temporary());
    file << kStatsHeader << " " << kVersion << "\n" << out.c_str() << "\n";
    file.close();
    if (!file) throw Error(path + ": cannot write '" + output.temporary() + "'");
  }
  output.commit();
}

}  // namespace gavel::datasets
