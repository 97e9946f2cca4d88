#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gavel::report {

/// One value of a report in tidy form (the columns of metrics.csv). `mode` is one of
/// one_step_baseline, one_step_averaged, element:<name>, rollout_baseline,
/// rollout_averaged_each_step, rollout_independent_average, defect_baseline, defect_averaged,
/// subgroup:<name>; `field` "all" or a key of the report's per-field results (a field or channel
/// name); `window` "all", "step:<k>" (k counted from 0, the first predicted step, as the_well's
/// rollout windows count) or a rollout window name such as "6:12". An absent value (null) stays empty.
struct MetricRow {
  std::string model, group, mode, field, window, metric;
  std::optional<double> value;
};

/// Every number of a report.json document as tidy rows, in a stable order (eval/REPORT.md lists them).
std::vector<MetricRow> metric_rows(const nlohmann::json& report);

/// metrics.csv: the header model,group,mode,field,window,metric,value and one line per row,
/// quoted as RFC 4180 requires (cells holding a comma, quote or line break are quoted, quotes doubled).
std::string metrics_csv(const nlohmann::json& report);

/// One CSV cell, quoted when needed.
std::string csv_cell(const std::string& text);

}  // namespace gavel::report
