#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace gavel::eval {

/// the_well's time-window boundaries for T output steps (`Trainer.split_up_losses`, 1.2.0):
/// n = min(T, num_time_intervals), u = linspace(0, ln T, n) (u_i = i·(ln T/(n−1)), last = ln T;
/// u = [0] when n = 1), boundaries = [0] + [⌊exp(u_i)⌋]. The windows are consecutive pairs
/// [b_k, b_{k+1}); with only two boundaries (T = 1) no window is logged besides `T=all`.
/// Note: ⌊exp(ln T)⌋ is often T − 1 (T = 5 gives [0, 1, 1, 2, 3, 4]), so the last step is then in no
/// window, as in the_well. exp and log are the C library's; numpy's own AVX-512 exp, which the_well
/// uses on CPUs that have it, rounds differently for a few T (36 of T ≤ 5000, the first T = 146), so
/// the_well's boundaries for those T depend on the CPU and may differ from these by one step.
/// Throws gavel::Error when T < 1 or num_time_intervals < 1.
std::vector<std::int64_t> the_well_time_boundaries(std::int64_t times, std::int64_t num_time_intervals = 5);

/// One metric entry of one batch, as a the_well metric returns it: `values` row-major [B][T][C]
/// (samples, output steps, channels). `name` is the metric's class name (`VRMSE`) or, for metrics
/// that return a dict, the dict key (`spectral_error_mse_per_bin_0`).
struct BatchMetric {
  std::string name;
  std::vector<double> values;
};

/// One logged value: `key` = `<split>_<dataset>/<channel|full>_<metric>_T=<all|lo:hi>`.
struct LoggedMetric {
  std::string key;
  double value = 0;
};

/// the_well 1.2.0's `Trainer.validation_loop` reporting, fed one batch at a time. For each batch
/// and metric entry v [B, T, C]: m = mean of v over the batch → [T, C]; per channel i the key
/// `<name_i>_<metric>_T=all` = mean over t of m[t, i] and `T=lo:hi` = mean of m[lo:hi, i] (NaN for
/// an empty window); `full_<metric>_…` the same on the channel mean of m (channels first, then
/// time). Every logged key is then averaged over the batches with equal weight, as the trainer's
/// `+= value / len(loader)` does when it runs over all batches (`full=True`; otherwise it stops
/// after `short_validation_length` batches: add only those). Computed in double.
/// Channel names are the_well's flattened names, one per channel (`density`, `velocity_x`,
/// `velocity_y`; `datasets::WindowedDataset::channel_names()`): the_well logs each component of a vector or
/// tensor field under its own name and never averages over a field's components.
class ValidationAggregator {
 public:
  /// split: `valid` or `test`; dataset: the dataset's name. Throws gavel::Error for no channels,
  /// an empty or repeated channel name, or num_time_intervals < 1.
  ValidationAggregator(std::string split, std::string dataset, std::vector<std::string> channel_names,
                       std::int64_t num_time_intervals = 5);

  /// Adds one batch of `samples` samples and `times` output steps. Every batch must bring the same
  /// metric names in the same order and the same number of steps; each `values` must hold
  /// samples·times·channels values. Throws gavel::Error otherwise (nothing is added then).
  void add_batch(const std::vector<BatchMetric>& metrics, std::int64_t samples, std::int64_t times);

  std::int64_t batches() const { return batches_; }

  /// Every logged key with its value, in the_well's order: metrics as added, per metric the
  /// channels in order then `full`, per name `T=all` then the windows. Throws gavel::Error before
  /// the first batch.
  std::vector<LoggedMetric> logged() const;

  /// One logged value (e.g. `valid_<dataset>/full_MSE_T=all`, the trainer's validation loss).
  /// Throws gavel::Error for an unknown key or before the first batch.
  double value(const std::string& key) const;

 private:
  std::string prefix_;
  std::vector<std::string> channels_;
  std::int64_t intervals_;
  std::int64_t batches_ = 0;
  std::int64_t times_ = 0;
  std::vector<std::string> metric_names_;
  std::vector<std::string> keys_;
  std::vector<double> sums_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace gavel::eval
