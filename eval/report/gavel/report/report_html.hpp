#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gavel::report {

/// report.html: one self-contained page (inline CSS, inline SVG charts, heat maps as data: URI
/// BMP images; no scripts, no external resources) with the tables of summary.md and the figures
///   fig-field-vrmse     VRMSE per field before and after averaging (bars)
///   fig-heatmaps        target, baseline, averaged, baseline error, averaged error of each figure
///                       sample (images with class "heatmap", two colour bars per sample)
///   fig-elements        VRMSE of the raw model on each g·x (bars)
///   fig-rollout         rollout VRMSE per step for the three modes (lines)
///   fig-rollout-defect  equivariance defect per rollout step (log scale)
///   fig-subgroups       one-step VRMSE against the subgroup order
/// Figures whose data a report lacks are left out; every text from the report is HTML-escaped.
std::string report_html(const nlohmann::json& report);

}  // namespace gavel::report
