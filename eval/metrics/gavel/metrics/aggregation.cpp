#include "gavel/metrics/aggregation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <utility>

#include "gavel/core/error.hpp"

namespace gavel::eval {
namespace {

/// Mean of series[lo:hi] (Python slice of a non-negative range); NaN when empty, as torch gives.
double window_mean(const std::vector<double>& series, std::int64_t lo, std::int64_t hi) {
  if (lo >= hi) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::int64_t t = lo; t < hi; ++t)
    sum += series[static_cast<std::size_t>(t)];
  return sum / static_cast<double>(hi - lo);
}

}  // namespace

std::vector<std::int64_t> the_well_time_boundaries(std::int64_t times, std::int64_t num_time_intervals) {
  if (times < 1)
    throw Error("time windows: the number of output steps must be at least 1, got " + std::to_string(times));
  if (num_time_intervals < 1)
    throw Error("time windows: num_time_intervals must be at least 1, got " + std::to_string(num_time_intervals));
  const std::int64_t n = std::min(times, num_time_intervals);
  const double stop = std::log(static_cast<double>(times));
  std::vector<std::int64_t> bounds{0};
  for (std::int64_t i = 0; i < n; ++i) {
    // numpy.linspace(0, stop, n): i·step with step = stop/(n − 1), the last point exactly stop.
    const double u = n == 1 ? 0.0 : (i == n - 1 ? stop : static_cast<double>(i) * (stop / static_cast<double>(n - 1)));
    bounds.push_back(static_cast<std::int64_t>(std::exp(u)));
  }
  return bounds;
}

ValidationAggregator::ValidationAggregator(std::string split, std::string dataset,
                                           std::vector<std::string> channel_names, std::int64_t num_time_intervals)
    : prefix_(std::move(split) + "_" + std::move(dataset) + "/"),
      channels_(std::move(channel_names)),
      intervals_(num_time_intervals) {
  if (channels_.empty()) throw Error("validation aggregation: no channel names given");
  std::unordered_set<std::string> seen;
  for (const auto& name : channels_) {
    if (name.empty()) throw Error("validation aggregation: a channel name is empty");
    if (name == "full") throw Error("validation aggregation: no channel may be named 'full' (the all-channel key)");
    if (!seen.insert(name).second) throw Error("validation aggregation: channel name '" + name + "' appears twice");
  }
  if (intervals_ < 1)
    throw Error("validation aggregation: num_time_intervals must be at least 1, got " + std::to_string(intervals_));
}

void ValidationAggregator::add_batch(const std::vector<BatchMetric>& metrics, std::int64_t samples,
                                     std::int64_t times) {
  const auto channels = static_cast<std::int64_t>(channels_.size());
  if (samples < 1 || times < 1)
    throw Error("validation aggregation: a batch needs at least one sample and one output step, got " +
                std::to_string(samples) + " samples and " + std::to_string(times) + " steps");
  if (metrics.empty()) throw Error("validation aggregation: a batch without metrics");
  if (batches_ > 0 && times != times_)
    throw Error("validation aggregation: this batch has " + std::to_string(times) + " output steps, the first had " +
                std::to_string(times_));
  std::unordered_set<std::string> names;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const auto& metric = metrics[m];
    if (metric.name.empty()) throw Error("validation aggregation: a metric without a name");
    if (!names.insert(metric.name).second)
      throw Error("validation aggregation: metric '" + metric.name + "' appears twice in one batch");
    if (batches_ > 0 && (metrics.size() != metric_names_.size() || metric_names_[m] != metric.name))
      throw Error("validation aggregation: every batch must bring the same metrics in the same order; batch " +
                  std::to_string(batches_ + 1) + " has '" + metric.name + "' at position " + std::to_string(m + 1));
    if (static_cast<std::int64_t>(metric.values.size()) != samples * times * channels)
      throw Error("validation aggregation: metric '" + metric.name + "' has " + std::to_string(metric.values.size()) +
                  " values, expected samples × steps × channels = " + std::to_string(samples) + " × " +
                  std::to_string(times) + " × " + std::to_string(channels));
  }

  const auto bounds = the_well_time_boundaries(times, intervals_);
  std::vector<std::string> keys;
  std::vector<double> values;
  std::unordered_map<std::string, std::size_t> index;
  auto log = [&](const std::string& key, double value) {  // a dict update: a repeated key keeps its place
    const auto [it, inserted] = index.emplace(key, keys.size());
    if (inserted) {
      keys.push_back(key);
      values.push_back(value);
    } else {
      values[it->second] = value;
    }
  };
  auto log_series = [&](const std::string& name, const std::string& metric, const std::vector<double>& series) {
    const std::string stem = prefix_ + name + "_" + metric + "_T=";
    log(stem + "all", window_mean(series, 0, times));
    if (bounds.size() == 2) return;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k)
      log(stem + std::to_string(bounds[k]) + ":" + std::to_string(bounds[k + 1]),
          window_mean(series, bounds[k], bounds[k + 1]));
  };
  for (const auto& metric : metrics) {
    // m[t][c] = mean over the batch.
    std::vector<double> m(static_cast<std::size_t>(times * channels), 0.0);
    for (std::int64_t b = 0; b < samples; ++b)
      for (std::int64_t i = 0; i < times * channels; ++i)
        m[static_cast<std::size_t>(i)] += metric.values[static_cast<std::size_t>(b * times * channels + i)];
    for (auto& e : m)
      e /= static_cast<double>(samples);
    std::vector<double> series(static_cast<std::size_t>(times));
    for (std::int64_t c = 0; c < channels; ++c) {
      for (std::int64_t t = 0; t < times; ++t)
        series[static_cast<std::size_t>(t)] = m[static_cast<std::size_t>(t * channels + c)];
      log_series(channels_[static_cast<std::size_t>(c)], metric.name, series);
    }
    for (std::int64_t t = 0; t < times; ++t)
      series[static_cast<std::size_t>(t)] = window_mean(m, t * channels, (t + 1) * channels);
    log_series("full", metric.name, series);
  }

  if (batches_ == 0) {
    times_ = times;
    for (const auto& metric : metrics)
      metric_names_.push_back(metric.name);
    keys_ = keys;
    index_ = index;
    sums_.assign(keys.size(), 0.0);
  }
  for (std::size_t k = 0; k < keys.size(); ++k)
    sums_[k] += values[k];
  ++batches_;
}

std::vector<LoggedMetric> ValidationAggregator::logged() const {
  if (batches_ == 0) throw Error("validation aggregation: no batch was added");
  std::vector<LoggedMetric> out;
  out.reserve(keys_.size());
  for (std::size_t k = 0; k < keys_.size(); ++k)
    out.push_back({keys_[k], sums_[k] / static_cast<double>(batches_)});
  return out;
}

double ValidationAggregator::value(const std::string& key) const {
  if (batches_ == 0) throw Error("validation aggregation: no batch was added");
  const auto it = index_.find(key);
  if (it == index_.end()) throw Error("validation aggregation: no logged key '" + key + "'");
  return sums_[it->second] / static_cast<double>(batches_);
}

}  // namespace gavel::eval
