#include "gavel/eval/report_document.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "gavel/core/element_notation.hpp"
#include "gavel/metrics/aggregation.hpp"
#include "gavel/metrics/paired_statistics.hpp"

namespace gavel::eval {
namespace {

double relative_percent(double baseline, double averaged) {
  return baseline != 0 ? 100.0 * (averaged - baseline) / baseline : std::numeric_limits<double>::quiet_NaN();
}

nlohmann::json metrics_json(const ModeMetrics& m, const ReportContext& context) {
  nlohmann::json overall = nlohmann::json::object(), per_field = nlohmann::json::object();
  for (const auto& [name, values] : m.values) {
    overall[name] = m.mean(name);
    for (std::size_t c = 0; c < context.channel_names.size(); ++c)
      per_field[context.channel_names[c]][name] = m.mean(name, static_cast<std::int64_t>(c));
  }
  return {{"VRMSE", m.mean("VRMSE")}, {"metrics", overall}, {"per_field", per_field}};
}

nlohmann::json paired_json(const PairedSummary& s) {
  return {{"n", s.n},
          {"excluded_non_finite", s.excluded_non_finite},
          {"mean_baseline", s.mean_baseline},
          {"mean_averaged", s.mean_averaged},
          {"mean", s.mean_change},
          {"median", s.median_change},
          {"ci95", {s.ci_low, s.ci_high}},
          {"confidence", s.confidence},
          {"fraction_improved", s.fraction_improved},
          {"relative_percent", s.relative_change_percent},
          {"bootstrap_resamples", s.resamples},
          {"seed", s.seed}};
}

BootstrapOptions bootstrap(const ReportContext& context) {
  BootstrapOptions options;
  options.resamples = context.request.bootstrap_resamples;
  options.seed = context.request.seed;
  return options;
}

std::string origin_key(const datasets::WindowOrigin& o) {
  return std::to_string(o.file) + ":" + std::to_string(o.trajectory);
}

/// Mean/max over samples of a [sample][field] defect block, overall and per field.
nlohmann::json defect_block(const std::vector<double>& values, const ReportContext& context) {
  const auto nf = context.fields.size();
  double sum = 0, worst = 0;
  std::vector<double> field_sum(nf, 0.0);
  const std::size_t samples = nf ? values.size() / nf : 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    field_sum[i % nf] += values[i];
    worst = std::isnan(values[i]) || values[i] > worst ? values[i] : worst;
  }
  nlohmann::json per_field = nlohmann::json::object();
  for (std::size_t f = 0; f < nf; ++f)
    per_field[context.fields[f].name] = samples ? field_sum[f] / static_cast<double>(samples) : 0.0;
  return {{"value", values.empty() ? 0.0 : sum / static_cast<double>(values.size())},
          {"max", worst},
          {"per_field", per_field}};
}

/// Row k of `per_element` belongs to group element `element_of_row[k]`.
nlohmann::json defect_summary(const std::vector<std::vector<double>>& per_element,
                              const std::vector<std::size_t>& element_of_row, const ReportContext& context,
                              std::int64_t samples) {
  nlohmann::json elements = nlohmann::json::array();
  double worst = 0, sum = 0;
  std::size_t count = 0;
  for (std::size_t e = 0; e < per_element.size(); ++e) {
    auto entry = defect_block(per_element[e], context);
    entry["element"] = element_name(context.group.elements[element_of_row[e]]);
    const double m = entry["max"].is_null() ? std::numeric_limits<double>::quiet_NaN() : entry["max"].get<double>();
    worst = std::isnan(m) || m > worst ? m : worst;
    for (const double v : per_element[e]) {
      sum += v;
      ++count;
    }
    elements.push_back(entry);
  }
  return {{"max", worst},
          {"mean", count ? sum / static_cast<double>(count) : 0.0},
          {"samples", samples},
          {"per_element", elements}};
}

nlohmann::json curves_json(const RolloutCurves& curves, const RolloutResult& r, const ReportContext& context) {
  nlohmann::json per_step = nlohmann::json::array(), per_field = nlohmann::json::object(),
                 windows = nlohmann::json::object();
  for (std::size_t k = 0; k < curves.vrmse.size(); ++k)
    per_step.push_back(curves.mean(k));
  for (std::size_t c = 0; c < context.channel_names.size(); ++c) {
    nlohmann::json steps = nlohmann::json::array();
    for (std::size_t k = 0; k < curves.vrmse.size(); ++k)
      steps.push_back(curves.mean(k, static_cast<std::int64_t>(c)));
    per_field[context.channel_names[c]] = steps;
  }
  for (const auto& [start, end] : context.request.rollout_windows) {
    const int hi = std::min(end, r.steps);
    if (start >= hi) continue;
    double sum = 0;
    for (int k = start; k < hi; ++k)
      sum += curves.mean(static_cast<std::size_t>(k));
    windows[std::to_string(start) + ":" + std::to_string(end)] = sum / (hi - start);
  }
  return {{"VRMSE_per_step", per_step}, {"per_field_per_step", per_field}, {"windows", windows}};
}

nlohmann::json per_channel_counts(const std::vector<std::int64_t>& counts, const ReportContext& context) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < counts.size(); ++c)
    out[context.channel_names[c]] = counts[c];
  return out;
}

nlohmann::json counts_json(const NonFiniteCounts& n) {
  return {{"nan", n.nan}, {"posinf", n.positive_infinity}, {"neginf", n.negative_infinity}};
}

/// the_well's metric name of one of ModeMetrics' entries ("" for those the_well does not log).
std::string the_well_name(const std::string& name) {
  static const std::string spectral = "binned_spectral_";
  if (name.rfind(spectral, 0) == 0) {  // binned_spectral_mse_bin0 → spectral_error_mse_per_bin_0
    const auto kind = name.substr(spectral.size(), name.find("_bin", spectral.size()) - spectral.size());
    return "spectral_error_" + kind + "_per_bin_" + name.substr(name.size() - 1);
  }
  for (const char* pdebench : {"cRMSE", "bRMSE", "fRMSE_low", "fRMSE_mid", "fRMSE_high"})
    if (name == pdebench) return "";
  return name;
}

/// The keys the_well's trainer logs for these one-step metrics, batch by batch as gavel ran them.
nlohmann::json logged_keys(const ModeMetrics& m, const ReportContext& context, const std::string& dataset) {
  ValidationAggregator aggregator(context.request.split, dataset, context.channel_names);
  const std::int64_t batch = std::max<std::int64_t>(1, context.request.batch);
  for (std::int64_t first = 0; first < m.samples; first += batch) {
    const std::int64_t n = std::min(batch, m.samples - first);
    std::vector<BatchMetric> metrics;
    for (const auto& [name, values] : m.values) {
      const auto logged = the_well_name(name);
      if (logged.empty()) continue;
      const auto begin = values.begin() + first * m.channels;
      metrics.push_back({logged, std::vector<double>(begin, begin + n * m.channels)});
    }
    aggregator.add_batch(metrics, n, 1);
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& entry : aggregator.logged())
    out[entry.key] = entry.value;
  return out;
}

}  // namespace

nlohmann::json group_section(const GroupChoice& group) {
  nlohmann::json elements = nlohmann::json::array(), notations = nlohmann::json::array();
  for (const auto& g : group.elements) {
    elements.push_back(element_name(g));
    notations.push_back(notation(g));
  }
  nlohmann::json generators = nlohmann::json::array();
  for (const std::size_t g : group.generators)
    generators.push_back(element_name(group.elements[g]));
  nlohmann::json constraints = nlohmann::json::array();
  for (const auto& c : group.profile.constraints)
    constraints.push_back({{"rule", c.text()}, {"reason", c.reason}});
  return {{"name", group.name},
          {"order", group.elements.size()},
          {"elements", elements},
          {"notation", notations},
          {"generators", generators},
          {"source", group.source},
          {"forced", group.forced},
          {"violations", group.violations},
          {"admissible_order", group.admissible_order},
          {"profiled_order", group.profiled_order},
          {"physics_profile", {{"name", group.profile.name}, {"constraints", constraints}}}};
}

nlohmann::json one_step_section(const OneStepResult& one, const ReportContext& context) {
  nlohmann::json out;
  out["samples"] = one.baseline.samples;
  out["baseline"] = metrics_json(one.baseline, context);
  out["averaged"] = metrics_json(one.averaged, context);
  const auto base = one.baseline.per_sample("VRMSE"), avg = one.averaged.per_sample("VRMSE");
  nlohmann::json change;
  change["VRMSE"] = {{"relative_percent", relative_percent(one.baseline.mean("VRMSE"), one.averaged.mean("VRMSE"))},
                     {"per_sample", paired_json(paired_statistics(base, avg, bootstrap(context)))}};
  const auto channels = one.baseline.channels;
  for (std::int64_t c = 0; c < channels; ++c) {
    const auto b = one.baseline.channel_values("VRMSE", c), a = one.averaged.channel_values("VRMSE", c);
    change["per_field"][context.channel_names[static_cast<std::size_t>(c)]] = {
        {"relative_percent", relative_percent(one.baseline.mean("VRMSE", c), one.averaged.mean("VRMSE", c))},
        {"per_sample", paired_json(paired_statistics(b, a, bootstrap(context)))}};
  }
  out["change"] = change;
  const std::string dataset = context.dataset_name;
  out["the_well_logged"] = {{"batch_size", context.request.batch},
                            {"baseline", logged_keys(one.baseline, context, dataset)},
                            {"averaged", logged_keys(one.averaged, context, dataset)}};
  std::vector<std::string> keys;
  for (const auto& o : one.origins)
    keys.push_back(origin_key(o));
  const auto grouped = group_means(keys, base, avg);
  out["per_trajectory"] = paired_json(paired_statistics(grouped.baseline, grouped.averaged, bootstrap(context)));
  out["per_trajectory"]["trajectories"] = grouped.keys;
  return out;
}

nlohmann::json per_element_section(const OneStepResult& one, const ReportContext& context) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t e = 0; e < one.elements.size(); ++e) {
    nlohmann::json per_field = nlohmann::json::object();
    for (std::size_t c = 0; c < context.channel_names.size(); ++c)
      per_field[context.channel_names[c]] = one.elements[e].mean("VRMSE", static_cast<std::int64_t>(c));
    out.push_back({{"element", element_name(context.group.elements[e])},
                   {"VRMSE", one.elements[e].mean("VRMSE")},
                   {"per_field", per_field}});
  }
  return out;
}

nlohmann::json defect_section(const OneStepResult& one, const RolloutResult* rollout, const DefectVerdict& verdict,
                              const ReportContext& context) {
  nlohmann::json out;
  out["definition"] = "||g^-1 f(g x) - f(x)|| / ||f(x)||, L2 over space and the field's components, mean over samples";
  out["tolerance"] = verdict.tolerance;
  std::vector<std::size_t> every(one.baseline_defect.size());
  for (std::size_t e = 0; e < every.size(); ++e)
    every[e] = e;
  out["baseline"] = defect_summary(one.baseline_defect, every, context, one.baseline.samples);
  out["averaged"] =
      defect_summary(one.averaged_defect, one.averaged_defect_elements, context, one.defect_checked_samples);
  // Generators suffice (eval/README.md): f_G's equivariance under a generator needs every
  // element's transform to be consistent, and defects of products add up at most.
  out["averaged"]["elements_checked"] = context.request.defect_all_elements ? "all" : "generators";
  // Relative to the raw model's output, the scale of f_G's rounding (eval/README.md).
  out["averaged"]["definition"] =
      "||g^-1 f_G(g x) - f_G(x)|| / ||f(x)||, L2 over space and the field's components, per sample";
  out["passed"] = verdict.passed;
  if (rollout)
    out["rollout_baseline_per_step"] = {{"mean", rollout->baseline_defect_mean}, {"max", rollout->baseline_defect_max}};
  return out;
}

nlohmann::json rollout_section(const RolloutResult& r, const ReportContext& context) {
  nlohmann::json per_element = nlohmann::json::array();
  for (std::size_t e = 1; e < r.baseline_defect_per_element.size(); ++e)
    per_element.push_back(
        {{"element", element_name(context.group.elements[e])}, {"values", r.baseline_defect_per_element[e]}});
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& [start, end] : context.request.rollout_windows)
    if (start < std::min(end, r.steps))
      windows.push_back({{"name", std::to_string(start) + ":" + std::to_string(end)},
                         {"start", start},
                         {"end", std::min(end, r.steps)}});
  return {{"steps", r.steps},
          {"trajectories", r.samples},
          {"windows", windows},
          {"modes",
           {{"baseline", curves_json(r.baseline, r, context)},
            {"averaged_each_step", curves_json(r.averaged_each_step, r, context)},
            {"independent_average", curves_json(r.independent_average, r, context)}}},
          {"equivariance_defect_per_step", {{"baseline", r.baseline_defect_mean}, {"per_element", per_element}}}};
}

nlohmann::json subgroup_section(const OneStepResult& one, const RolloutResult* rollout, const ReportContext& context) {
  nlohmann::json out = nlohmann::json::array();
  const double base = one.baseline.mean("VRMSE");
  for (std::size_t h = 0; h < one.subgroups.size(); ++h) {
    const auto& s = context.group.subgroups[h];
    nlohmann::json elements = nlohmann::json::array();
    for (const auto e : s.elements)
      elements.push_back(element_name(context.group.elements[e]));
    const double v = one.subgroups[h].mean("VRMSE");
    nlohmann::json entry = {{"name", s.name},
                            {"order", s.elements.size()},
                            {"elements", elements},
                            {"VRMSE", v},
                            {"relative_percent", relative_percent(base, v)}};
    if (rollout && h < rollout->subgroups.size()) {
      const auto curves = curves_json(rollout->subgroups[h], *rollout, context);
      entry["rollout_mode"] = "independent_average";
      entry["rollout_VRMSE_per_step"] = curves["VRMSE_per_step"];
      entry["rollout_VRMSE_windows"] = curves["windows"];
    }
    out.push_back(entry);
  }
  return out;
}

nlohmann::json audit_section(const std::vector<NormalizationIssue>& issues, const std::string& normalization) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& i : issues)
    details.push_back(
        {{"statistics", i.statistics}, {"field", i.channel}, {"element", i.element}, {"issue", i.problem}});
  std::string note = normalization == "none" ? "no normalization: nothing to audit"
                     : issues.empty()
                         ? "the " + normalization + " statistics commute with every element of the group"
                         : "the " + normalization +
                               " statistics do not commute with the group: a model trained on normalized data sees "
                               "transformed samples shifted or rescaled. gavel averages in physical units, so its "
                               "averaged model stays exactly equivariant regardless.";
  return {{"symmetric", issues.empty()}, {"normalization", normalization}, {"details", details}, {"note", note}};
}

nlohmann::json non_finite_section(const OneStepResult& one, const RolloutResult* rollout,
                                  const ReportContext& context) {
  nlohmann::json out = {{"inputs_replaced", counts_json(one.replaced_in_inputs)},
                        {"targets_replaced", counts_json(one.replaced_in_targets)},
                        {"baseline_predictions", per_channel_counts(one.non_finite_baseline, context)},
                        {"averaged_predictions", per_channel_counts(one.non_finite_averaged, context)}};
  if (rollout) {
    out["rollout_baseline"] = per_channel_counts(rollout->baseline.non_finite, context);
    out["rollout_averaged_each_step"] = per_channel_counts(rollout->averaged_each_step.non_finite, context);
    out["rollout_independent_average"] = per_channel_counts(rollout->independent_average.non_finite, context);
  }
  return out;
}

nlohmann::json cost_section(const OneStepResult& one, const RolloutResult* rollout) {
  const double transforms = std::max(0.0, one.averaged_seconds - one.averaged_model_seconds);
  const auto samples = static_cast<double>(one.baseline.samples);
  nlohmann::json out = {
      {"baseline_seconds", one.baseline_seconds},
      {"averaged_seconds", one.averaged_seconds},
      {"model_seconds", one.averaged_model_seconds},
      {"transform_seconds", transforms},
      {"overhead_fraction", one.averaged_model_seconds > 0 ? transforms / one.averaged_model_seconds : 0.0},
      {"samples_per_second",
       {{"baseline", one.baseline_seconds > 0 ? samples / one.baseline_seconds : 0.0},
        {"averaged", one.averaged_seconds > 0 ? samples / one.averaged_seconds : 0.0}}}};
  if (rollout) out["rollout_seconds"] = rollout->seconds;
  const auto memory = [](const EvaluationFootprint& f, std::int64_t windows) {
    return nlohmann::json{{"budget_bytes", f.plan.budget_bytes},
                          {"planned_bytes", f.plan.planned_bytes},
                          {"windows_per_batch", f.plan.windows_per_call},
                          {"elements_per_model_call", f.plan.elements_per_call},
                          {"model_calls_per_batch", f.plan.model_calls_per_batch},
                          {"host_transfer_bytes", f.transfers.bytes},
                          {"host_transfers", f.transfers.copies},
                          {"host_transfer_bytes_per_window",
                           windows > 0 ? static_cast<double>(f.transfers.bytes) / static_cast<double>(windows) : 0.0}};
  };
  out["memory"] = {{"one_step", memory(one.footprint, one.baseline.samples)}};
  if (rollout) out["memory"]["rollout"] = memory(rollout->footprint, rollout->samples);
  out["memory"]["peak_resident_bytes"] =
      std::max(one.footprint.peak_resident_bytes, rollout ? rollout->footprint.peak_resident_bytes : 0);
  return out;
}

nlohmann::json figures_section(const OneStepResult& one, const ReportContext& context) {
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& f : one.figures) {
    const auto& name = context.channel_names[static_cast<std::size_t>(f.channel)];
    samples.push_back({{"window", f.window},
                       {"field", name},
                       {"channel", name},
                       {"shape", f.shape},
                       {"target", f.target},
                       {"baseline", f.baseline},
                       {"averaged", f.averaged}});
  }
  return {{"samples", samples}};
}

}  // namespace gavel::eval
