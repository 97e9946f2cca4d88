#pragma once

#include <string>
#include <vector>

#include "gavel/datasets/well_stats.hpp"

namespace gavel::datasets {

/// How the_well normalizes: `zscore` (x − mean) / max(std, ε) and `rms` x / max(rms, ε), with
/// ε = 1e-4 (its `min_denom`).
enum class NormalizationKind { zscore, rms };
NormalizationKind parse_normalization_kind(const std::string& word);
std::string to_string(NormalizationKind kind);

/// Per-channel affine statistics: normalized = (x − shift) / scale, float32 like the_well.
struct ChannelAffine {
  std::vector<float> shift;
  std::vector<float> scale;
};

/// the_well's flattened statistics (normalize_flattened): one value per channel in The Well's
/// channel order — time-varying fields (`variable`, C channels) and constant fields (`constant`,
/// Cc channels) — and the `_delta` statistics of the time-varying channels for models that
/// predict a change. A missing `std_delta`/`rms_delta` falls back to ε as the_well 1.2.0 does; a
/// missing `mean_delta` too, as its later versions do (1.2.0 stops with a KeyError).
struct WellNormalization {
  NormalizationKind kind = NormalizationKind::zscore;
  ChannelAffine variable, constant, delta;
};

/// Throws gavel::Error naming the stats file, key and field when a needed entry is missing or
/// has the wrong number of components.
WellNormalization well_normalization(const WellStats& stats, const WellFileInfo& info, NormalizationKind kind,
                                     double min_denominator = 1e-4);

}  // namespace gavel::datasets
