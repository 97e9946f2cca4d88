#pragma once

#include <string>
#include <vector>

#include "gavel/core/field_layout.hpp"
#include "gavel/core/group_element.hpp"

namespace gavel::eval {

/// One way a set of per-channel statistics breaks a symmetry: normalizing g·x differs from
/// g·(normalizing x) unless every channel c that g fills from channel s with sign σ has
/// scale_c = scale_s and shift_c = σ·shift_s (scales compared relatively, shifts relative to the
/// larger of the two scales, since that is what the normalized data sees).
struct NormalizationIssue {
  std::string statistics;  ///< "variable", "constant" or "delta"
  std::string channel;     ///< the channel whose statistics differ
  std::string element;     ///< the first element that exposes it
  std::string problem;     ///< e.g. "std 1.2 vs 0.8 of velocity_y (swapped by rot90)"
};

/// Per-channel affine statistics (shift, scale) of one kind, in a layout's channel order.
struct ChannelStatistics {
  std::string kind;
  ChannelLayout layout;
  std::vector<float> shift, scale;
};

/// Checks each statistics block against every element: does the normalization commute with
/// the group? gavel's averaging works in physical units, so a non-commuting normalization does
/// not bias its results, but it tells whether a model trained on normalized data could have
/// been equivariant at all.
std::vector<NormalizationIssue> audit_normalization(const std::vector<ChannelStatistics>& statistics,
                                                    const std::vector<GroupElement>& elements,
                                                    double relative_tolerance = 1e-6);

}  // namespace gavel::eval
