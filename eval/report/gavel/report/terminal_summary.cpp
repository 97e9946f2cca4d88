#include "gavel/report/terminal_summary.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <optional>

#include "gavel/report/report_json_access.hpp"

namespace gavel::report {
namespace {

std::string fixed(std::optional<double> v, int digits) {
  if (!v || !std::isfinite(*v)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, *v);
  return text;
}

std::string scientific(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.1e", *v);
  return text;
}

std::string line(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string line(const char* format, ...) {
  char text[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  return std::string(text) + "\n";
}

/// One table row: baseline, averaged, change %, its per-sample interval, % of windows improved.
std::string change_row(const std::string& name, std::optional<double> base, std::optional<double> averaged,
                       const nlohmann::json& change) {
  const auto& per_sample = member_or_empty(change, "per_sample");
  const auto ci = number_array_member(per_sample, "ci95");
  const double low = ci.size() == 2 ? ci[0] : std::nan(""), high = ci.size() == 2 ? ci[1] : std::nan("");
  auto improved = number_member(per_sample, "fraction_improved");
  if (improved) *improved *= 100;
  const std::string interval = "[" + fixed(low, 4) + ", " + fixed(high, 4) + "]";
  return line("  %-16s %14s %14s %8s%% %24s %8s%%", name.c_str(), fixed(base, 4).c_str(), fixed(averaged, 4).c_str(),
              fixed(number_member(change, "relative_percent"), 1).c_str(), interval.c_str(),
              fixed(improved, 0).c_str());
}

}  // namespace

std::string terminal_summary(const nlohmann::json& report, const std::string& folder) {
  const auto& one = member_or_empty(report, "one_step");
  const auto& model = member_or_empty(report, "model");
  const auto& dataset = member_or_empty(report, "dataset");
  const auto& group = member_or_empty(report, "group");
  const auto samples = number_member(one, "samples");
  const auto order = number_member(group, "order");
  std::string out = "\n";
  out += line("%s on %s (%s, %s windows) · group %s (order %s, %s)", text_member(model, "architecture").c_str(),
              text_member(dataset, "name").c_str(), text_member(dataset, "split").c_str(), fixed(samples, 0).c_str(),
              text_member(group, "name").c_str(), fixed(order, 0).c_str(), text_member(group, "source").c_str());
  out += line("  %-16s %14s %14s %9s %24s %9s", "field", "baseline VRMSE", "averaged VRMSE", "change",
              "95% CI of change", "improved");
  const auto& baseline = member_or_empty(one, "baseline");
  const auto& averaged = member_or_empty(one, "averaged");
  const auto& change = member_or_empty(one, "change");
  const auto& base_fields = member_or_empty(baseline, "per_field");
  const auto& averaged_fields = member_or_empty(averaged, "per_field");
  const auto& change_fields = member_or_empty(change, "per_field");
  for (const auto& name : report_field_names(report))  // the dataset's order, as summary.md
    out += change_row(name, number_member(member_or_empty(base_fields, name), "VRMSE"),
                      number_member(member_or_empty(averaged_fields, name), "VRMSE"),
                      member_or_empty(change_fields, name));
  out += change_row("all", number_member(baseline, "VRMSE"), number_member(averaged, "VRMSE"),
                    member_or_empty(change, "VRMSE"));

  if (const auto* rollout = find_member(report, "rollout")) {
    const auto& modes = member_or_empty(*rollout, "modes");
    const auto window_value = [&](const char* mode, const std::string& name) {
      return number_member(member_or_empty(member_or_empty(modes, mode), "windows"), name);
    };
    for (const auto* w : array_member(*rollout, "windows")) {
      const auto name = text_member(*w, "name");
      out += line("  rollout VRMSE %-6s baseline %s · averaged each step %s · average of |G| rollouts %s", name.c_str(),
                  fixed(window_value("baseline", name), 4).c_str(),
                  fixed(window_value("averaged_each_step", name), 4).c_str(),
                  fixed(window_value("independent_average", name), 4).c_str());
    }
  }

  const auto& defect = member_or_empty(report, "equivariance_defect");
  const auto& averaged_defect = member_or_empty(defect, "averaged");
  std::string checked = "all elements";
  if (text_member(averaged_defect, "elements_checked") == "generators") {
    checked = "generators";
    bool first = true;
    for (const auto* g : array_member(group, "generators")) {
      checked += (first ? " " : ", ") + display_text(*g);
      first = false;
    }
  }
  const auto* passed = find_member(defect, "passed");
  const std::string verdict = passed && passed->is_boolean() ? (passed->get<bool>() ? "passed" : "FAILED") : "n/a";
  out += line("  equivariance defect: model %s (mean), averaged model %s (max on %s; tolerance %s: %s)",
              scientific(number_member(member_or_empty(defect, "baseline"), "mean")).c_str(),
              scientific(number_member(averaged_defect, "max")).c_str(), checked.c_str(),
              scientific(number_member(defect, "tolerance")).c_str(), verdict.c_str());
  out += "  reports: " + folder + "/{report.json,metrics.csv,summary.md,report.html}\n";
  return out;
}

}  // namespace gavel::report
