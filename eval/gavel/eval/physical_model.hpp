#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gavel/datasets/channel_statistics.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/surrogates/model.hpp"

namespace gavel::eval {

/// How a checkpoint was trained to see the data.
struct ModelRequest {
  std::string path;                      ///< checkpoint folder (model.safetensors + config.json)
  std::string architecture;              ///< "" : detected from the tensor names
  std::string normalization = "zscore";  ///< zscore, rms or none
  bool delta = false;                    ///< the model predicts the change from the last input
  int n_steps_input = 4;
};

/// A checkpoint wrapped to work in physical units: inputs normalized with the dataset's
/// stats.yaml as the_well does, outputs denormalized (and added to the last input step for delta
/// models). Throws gavel::Error for a missing stats.yaml when normalization is asked for.
template <class ExecSpace>
std::shared_ptr<surrogates::Model<ExecSpace>> load_physical_model(const ModelRequest& request,
                                                                  const datasets::WellDatasetFolder& data,
                                                                  const datasets::WellFileInfo& info);

/// The normalization the request applies (nullopt for "none").
std::optional<datasets::WellNormalization> normalization_of(const ModelRequest& request,
                                                            const datasets::WellDatasetFolder& data,
                                                            const datasets::WellFileInfo& info);

}  // namespace gavel::eval
