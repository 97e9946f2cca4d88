#include "gavel/metrics/mode_metrics.hpp"

#include <cmath>

#include "gavel/core/error.hpp"

namespace gavel::eval {
namespace {

void extend(std::vector<double>& to, const std::vector<double>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

std::vector<double> square_roots(const std::vector<double>& values) {
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    out[i] = std::sqrt(values[i]);
  return out;
}

}  // namespace

void ModeMetrics::append(const SpatialMetrics& batch) {
  if (batch.channels != channels) throw Error("metrics: a batch of " + std::to_string(batch.channels) + " channels");
  extend(values["MSE"], batch.mse);
  extend(values["MAE"], batch.mae);
  extend(values["NMAE"], batch.nmae);
  extend(values["RMSE"], square_roots(batch.mse));
  extend(values["NMSE"], batch.nmse);
  extend(values["NRMSE"], square_roots(batch.nmse));
  extend(values["VMSE"], batch.vmse);
  extend(values["VRMSE"], square_roots(batch.vmse));
  extend(values["LInfinity"], batch.linf);
  extend(values["PearsonR"], batch.pearson);
  samples += batch.samples;
  non_finite_predictions += batch.non_finite_predictions;
}

void ModeMetrics::append_vrmse(const SpatialMetrics& batch) {
  if (batch.channels != channels) throw Error("metrics: a batch of " + std::to_string(batch.channels) + " channels");
  extend(values["VRMSE"], square_roots(batch.vmse));
  samples += batch.samples;
  non_finite_predictions += batch.non_finite_predictions;
}

void ModeMetrics::append_spectral(const SpectralMetrics& batch) {
  for (int bin = 0; bin < 3; ++bin) {
    extend(values["binned_spectral_mse_bin" + std::to_string(bin)], batch.mse_per_bin[static_cast<std::size_t>(bin)]);
    extend(values["binned_spectral_nmse_bin" + std::to_string(bin)], batch.nmse_per_bin[static_cast<std::size_t>(bin)]);
  }
}

void ModeMetrics::append_pdebench(const PdebenchMetrics& sample) {
  if (sample.channels != channels || sample.times != 1)
    throw Error("metrics: PDEBench metrics of " + std::to_string(sample.channels) + " channels and " +
                std::to_string(sample.times) + " steps, expected one step of " + std::to_string(channels));
  extend(values["cRMSE"], sample.crmse);
  if (sample.spatial_dims < 3) extend(values["bRMSE"], sample.brmse);
  static const char* bands[] = {"fRMSE_low", "fRMSE_mid", "fRMSE_high"};
  for (std::size_t band = 0; band < 3; ++band)
    for (std::int64_t c = 0; c < channels; ++c)
      values[bands[band]].push_back(sample.frmse[static_cast<std::size_t>(c) * 3 + band]);
}

const std::vector<double>& ModeMetrics::recorded(const std::string& metric) const {
  const auto found = values.find(metric);
  if (found == values.end()) throw Error("metrics: no values of " + metric);
  return found->second;
}

double ModeMetrics::mean(const std::string& metric, std::int64_t channel) const {
  const auto& v = recorded(metric);
  if (samples == 0) throw Error("metrics: no values of " + metric);
  double sum = 0;
  std::int64_t count = 0;
  for (std::int64_t s = 0; s < samples; ++s)
    for (std::int64_t c = 0; c < channels; ++c)
      if (channel < 0 || c == channel) {
        sum += v[static_cast<std::size_t>(s * channels + c)];
        ++count;
      }
  return sum / static_cast<double>(count);
}

std::vector<double> ModeMetrics::channel_values(const std::string& metric, std::int64_t channel) const {
  const auto& v = recorded(metric);
  std::vector<double> out;
  for (std::int64_t s = 0; s < samples; ++s)
    out.push_back(v[static_cast<std::size_t>(s * channels + channel)]);
  return out;
}

std::vector<double> ModeMetrics::per_sample(const std::string& metric) const {
  const auto& v = recorded(metric);
  std::vector<double> out(static_cast<std::size_t>(samples), 0.0);
  for (std::int64_t s = 0; s < samples; ++s) {
    for (std::int64_t c = 0; c < channels; ++c)
      out[static_cast<std::size_t>(s)] += v[static_cast<std::size_t>(s * channels + c)];
    out[static_cast<std::size_t>(s)] /= static_cast<double>(channels);
  }
  return out;
}

}  // namespace gavel::eval
