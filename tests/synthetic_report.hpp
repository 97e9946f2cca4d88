#pragma once
// A report.json document as `gavel eval` writes it (eval/REPORT.md), filled with random numbers,
// for the report renderer tests and the committed fixture tests/data/reports/report.json.

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gavel::test {

struct SyntheticField {
  std::string name, kind;
  std::vector<std::string> channels;
};

struct SyntheticReportOptions {
  unsigned seed = 0;
  bool rollout = true;
  bool subgroups = true;
  bool partial = false;
  std::string model_path = "/models/fno";
  std::vector<SyntheticField> fields = {{"vorticity", "pseudoscalar", {"vorticity"}},
                                        {"velocity", "vector", {"velocity_x", "velocity_y"}}};
  int figure_nx = 12, figure_ny = 8;  ///< shape of the figure slices
  /// Per-field results keyed by channel (velocity_x, velocity_y) as gavel eval writes them; false:
  /// keyed by field name. Defects are keyed by field name either way.
  bool per_channel_results = true;
  int rollout_steps = 16;
};

inline const std::vector<std::string>& synthetic_metric_names() {
  static const std::vector<std::string> names = {"MSE",   "MAE",  "NMAE",  "RMSE",      "NMSE",
                                                 "NRMSE", "VMSE", "VRMSE", "LInfinity", "PearsonR"};
  return names;
}

inline const std::vector<std::string>& synthetic_elements() {
  static const std::vector<std::string> elements = {"id",     "rot90",  "rot180",    "rot270",
                                                    "flip_x", "flip_y", "transpose", "antitranspose"};
  return elements;
}

/// name, order, elements of the subgroups in the report.
inline std::vector<std::pair<std::string, std::vector<std::string>>> synthetic_subgroups() {
  return {{"trivial", {"id"}},
          {"flip_x", {"id", "flip_x"}},
          {"C4", {"id", "rot90", "rot180", "rot270"}},
          {"D2", {"id", "rot180", "flip_x", "flip_y"}},
          {"D4", synthetic_elements()}};
}

/// The names per-field results are keyed by: channels, or fields.
inline std::vector<std::string> synthetic_result_names(const SyntheticReportOptions& o) {
  std::vector<std::string> names;
  for (const auto& f : o.fields)
    if (o.per_channel_results)
      names.insert(names.end(), f.channels.begin(), f.channels.end());
    else
      names.push_back(f.name);
  return names;
}

inline nlohmann::json synthetic_report(const SyntheticReportOptions& o) {
  using nlohmann::json;
  const auto results = synthetic_result_names(o);
  std::mt19937_64 random(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto between = [&](double lo, double hi) { return lo + (hi - lo) * unit(random); };
  // Figure values at four decimals keep the fixture small.
  const auto rounded = [](double v) { return std::round(v * 1e4) / 1e4; };

  json fields = json::array();
  for (const auto& f : o.fields)
    fields.push_back({{"name", f.name}, {"kind", f.kind}, {"channels", f.channels}});
  json report = {{"schema", "gavel-report/1"},
                 {"status", o.partial ? "partial" : "complete"},
                 {"model",
                  {{"path", o.model_path},
                   {"architecture", "FNO"},
                   {"in_channels", 12},
                   {"out_channels", 3},
                   {"normalization", "zscore"},
                   {"delta", false}}},
                 {"dataset",
                  {{"path", "/data/navier_stokes_2d"},
                   {"name", "navier_stokes_2d"},
                   {"split", "test"},
                   {"n_steps_input", 4},
                   {"grid", {{"shape", {32, 32}}, {"bc", {"periodic", "periodic"}}}},
                   {"fields", fields},
                   {"windows", 120}}},
                 {"group",
                  {{"name", "D4"},
                   {"order", 8},
                   {"elements", synthetic_elements()},
                   {"source", "admissible"},
                   {"forced", false}}}};
  if (o.partial) report["error"] = "the model produced NaN at rollout step 3";

  const auto metric_set = [&](double vrmse) {
    json metrics = json::object();
    for (const auto& name : synthetic_metric_names())
      metrics[name] = name == "VRMSE" ? vrmse : between(0.001, 2.0);
    return metrics;
  };
  json one_step = {{"samples", 120}};
  const double base = between(0.05, 0.2);
  const double averaged = base * between(0.7, 0.98);
  // An explicit array: nvcc's front end cannot deduce a braced list of pairs in a range-for.
  const std::array<std::pair<const char*, double>, 2> sides{{{"baseline", base}, {"averaged", averaged}}};
  for (const auto& [side, overall] : sides) {
    json mode = {{"VRMSE", overall}, {"metrics", metric_set(overall)}, {"per_field", json::object()}};
    for (const auto& name : results)
      mode["per_field"][name] = metric_set(overall * between(0.8, 1.2));
    one_step[side] = mode;
  }
  const double low = between(-0.02, -0.01);
  one_step["change"] = {{"VRMSE",
                         {{"relative_percent", 100.0 * (averaged - base) / base},
                          {"per_sample",
                           {{"n", 120},
                            {"mean", low + 0.002},
                            {"median", low + 0.0021},
                            {"ci95", {low, low + 0.004}},
                            {"fraction_improved", between(0.6, 0.99)},
                            {"bootstrap_resamples", 10000},
                            {"seed", 0}}}}},
                        {"per_field", json::object()}};
  for (const auto& name : results) {
    const double b = one_step["baseline"]["per_field"][name]["VRMSE"];
    const double a = one_step["averaged"]["per_field"][name]["VRMSE"];
    one_step["change"]["per_field"][name] = {{"relative_percent", 100.0 * (a - b) / b}};
  }
  one_step["per_trajectory"] = {
      {"n", 2}, {"mean", low}, {"median", low}, {"ci95", {low - 0.01, low + 0.01}}, {"fraction_improved", 1.0}};
  report["one_step"] = one_step;

  json per_element = json::array();
  json baseline_defects = json::array(), averaged_defects = json::array();
  for (const auto& element : synthetic_elements()) {
    json entry = {{"element", element}, {"VRMSE", base * between(0.9, 1.3)}, {"per_field", json::object()}};
    json defect = {
        {"element", element}, {"value", element == "id" ? 0.0 : between(0.01, 0.1)}, {"per_field", json::object()}};
    json exact = {{"element", element}, {"value", between(1e-9, 5e-8)}, {"per_field", json::object()}};
    for (const auto& name : results)
      entry["per_field"][name] = base * between(0.8, 1.4);
    for (const auto& f : o.fields) {
      defect["per_field"][f.name] = between(0.01, 0.1);
      exact["per_field"][f.name] = between(1e-9, 5e-8);
    }
    per_element.push_back(entry);
    baseline_defects.push_back(defect);
    averaged_defects.push_back(exact);
  }
  report["per_element"] = per_element;
  report["equivariance_defect"] = {
      {"definition", "||g^-1 f(g x) - f(x)|| / ||f(x)||, L2 over space and channels, mean over samples"},
      {"tolerance", 1e-6},
      {"baseline", {{"max", 0.1}, {"mean", between(0.01, 0.1)}, {"per_element", baseline_defects}}},
      {"averaged", {{"max", 5e-8}, {"mean", between(1e-9, 5e-8)}, {"per_element", averaged_defects}}},
      {"passed", true}};

  if (o.rollout) {
    const int steps = o.rollout_steps;
    const auto curve = [&](double start, double growth) {
      std::vector<double> values;
      for (int k = 0; k < steps; ++k)
        values.push_back(start * std::pow(growth, k) * between(0.95, 1.05));
      return values;
    };
    json modes = json::object();
    for (const char* mode : {"baseline", "averaged_each_step", "independent_average"}) {
      const auto per_step = curve(base, between(1.1, 1.25));
      json per_field = json::object();
      for (const auto& name : results)
        per_field[name] = curve(base, 1.2);
      double first = 0, second = 0;
      for (int k = 5; k < 12; ++k)
        first += per_step[static_cast<std::size_t>(k)] / 7.0;
      for (int k = 12; k < steps; ++k)
        second += per_step[static_cast<std::size_t>(k)] / (steps - 12);
      modes[mode] = {{"VRMSE_per_step", per_step},
                     {"per_field_per_step", per_field},
                     {"windows", {{"6:12", first}, {"13:30", second}}}};
    }
    report["rollout"] = {
        {"steps", steps},
        {"trajectories", 2},
        {"windows",
         {{{"name", "6:12"}, {"start", 6}, {"end", 12}}, {{"name", "13:30"}, {"start", 13}, {"end", steps}}}},
        {"modes", modes},
        {"equivariance_defect_per_step", {{"baseline", curve(0.01, 1.3)}, {"averaged_each_step", curve(1e-8, 1.1)}}}};
  }
  if (o.subgroups) {
    json subgroups = json::array();
    for (const auto& [name, elements] : synthetic_subgroups()) {
      const double vrmse = name == "trivial" ? base : base * between(0.7, 1.0);
      json entry = {{"name", name},
                    {"order", elements.size()},
                    {"elements", elements},
                    {"VRMSE", vrmse},
                    {"relative_percent", 100.0 * (vrmse - base) / base}};
      if (o.rollout) entry["rollout_VRMSE_windows"] = {{"6:12", between(0.2, 0.4)}, {"13:30", between(0.4, 0.9)}};
      subgroups.push_back(entry);
    }
    report["subgroups"] = subgroups;
  }
  report["normalization_audit"] = {
      {"symmetric", false},
      {"details", {{{"field", "velocity"}, {"issue", "per-component std differ: 1.2 vs 0.8 (swapped by rot90)"}}}},
      {"note", "velocity statistics are averaged over components before the evaluation"}};
  json baseline_counts = json::object(), averaged_counts = json::object();
  for (const auto& name : results) {
    baseline_counts[name] = 0;
    averaged_counts[name] = 0;
  }
  report["non_finite"] = {{"inputs_replaced", {{"nan", 3}, {"posinf", 0}, {"neginf", 1}}},
                          {"baseline_predictions", baseline_counts},
                          {"averaged_predictions", averaged_counts}};
  report["cost"] = {{"baseline_seconds", between(1, 2)},
                    {"averaged_seconds", between(8, 16)},
                    {"model_seconds", between(8, 16)},
                    {"transform_seconds", nullptr},
                    {"overhead_fraction", between(0.005, 0.02)},
                    {"samples_per_second", {{"baseline", between(50, 100)}, {"averaged", between(6, 12)}}}};

  json samples = json::array();
  const int nx = o.figure_nx, ny = o.figure_ny;
  for (const auto& f : o.fields)
    for (const auto& channel : f.channels) {
      std::vector<double> target, baseline, averaged_values;
      for (int x = 0; x < nx; ++x)
        for (int y = 0; y < ny; ++y) {
          const double t = std::sin(0.5 * x + between(0, 0.2)) * std::cos(0.7 * y);
          target.push_back(rounded(t));
          baseline.push_back(rounded(t + between(-0.2, 0.2)));
          averaged_values.push_back(rounded(t + between(-0.1, 0.1)));
        }
      samples.push_back({{"window", 0},
                         {"field", f.name},
                         {"channel", channel},
                         {"shape", {nx, ny}},
                         {"target", target},
                         {"baseline", baseline},
                         {"averaged", averaged_values}});
    }
  report["figures"] = {{"samples", samples}};

  json field_types = json::object();
  for (const auto& f : o.fields)
    field_types[f.name] = f.kind;
  report["manifest"] = {
      {"gavel_version", "0.1.0"},
      {"command", "gavel eval --model " + o.model_path + " --data /data/navier_stokes_2d --out /tmp/report"},
      {"date", "2026-11-27T10:00:00Z"},
      {"checkpoint_sha256", {{"model.safetensors", std::string(64, 'a')}, {"config.json", std::string(64, 'b')}}},
      {"data_sha256", {{"test/file_0.hdf5", std::string(64, 'c')}}},
      {"group_elements", synthetic_elements()},
      {"field_types", field_types},
      {"execution_space", "OpenMP"},
      {"threads", 2},
      {"seed", 0}};
  return report;
}

}  // namespace gavel::test
