#pragma once

#include <cstdint>

#include "gavel/core/non_finite.hpp"
#include "gavel/datasets/memory_source.hpp"
#include "gavel/datasets/windows.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

struct PredictOptions {
  std::int64_t batch = 8;         ///< windows per model call
  std::int64_t max_windows = -1;  ///< predict only the first windows (−1: all)
};

/// What a prediction run met on its way.
struct PredictReport {
  std::int64_t windows = 0;
  NonFiniteCounts replaced_in_inputs;  ///< NaN/Inf replaced like nan_to_num before the model
  NonFiniteCounts non_finite_outputs;  ///< NaN/Inf the model produced (kept as they are)
};

/// Runs a physical-unit model (e.g. NormalizedModel) on the windows of a split, one step ahead,
/// and returns the predictions in The Well's data model: one trajectory per window, one step per
/// output step (its time from the window's output time grid), the time-varying fields of the
/// data, and scalars `window_file`, `window_trajectory`, `window_start` locating each window.
/// Throws gavel::Error when the model's channels do not fit the data's.
template <class ExecSpace>
datasets::MemorySource predict_windows(const datasets::WindowedDataset& windows, surrogates::Model<ExecSpace>& model,
                                       const PredictOptions& options, PredictReport& report);

}  // namespace gavel::eval
