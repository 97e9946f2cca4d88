#include "gavel/eval/evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <utility>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/core/group_json.hpp"
#include "gavel/core/host_transfers.hpp"
#include "gavel/core/version.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/eval/file_digest.hpp"
#include "gavel/eval/memory_budget.hpp"
#include "gavel/eval/normalization_audit.hpp"
#include "gavel/eval/one_step_evaluation.hpp"
#include "gavel/eval/report_document.hpp"
#include "gavel/eval/rollout_evaluation.hpp"

namespace gavel::eval {
namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

const datasets::WellSplit& find_split(const datasets::WellDatasetFolder& folder, const std::string& name) {
  for (const auto& s : folder.splits)
    if (s.name == name) {
      if (s.files.empty()) throw Error(folder.root + ": split '" + name + "' has no files (empty split)");
      return s;
    }
  std::string have;
  for (const auto& s : folder.splits)
    have += (have.empty() ? "" : ", ") + s.name;
  throw Error(folder.root + ": no split '" + name + "' (present: " + have + ")");
}

/// Output layout: the time-varying fields once, no constants.
ChannelLayout output_layout(const ChannelLayout& input) {
  return ChannelLayout(input.ndim(), input.fields(), 1);
}

nlohmann::json manifest(const EvaluationRequest& rq, const datasets::WellDatasetFolder& folder,
                        const datasets::WellSplit& split, const GroupChoice& group, const ChannelLayout& layout,
                        const std::string& space, int threads) {
  nlohmann::json checkpoint = nlohmann::json::object();
  for (const char* name : {"model.safetensors", "config.json"}) {
    const auto path = fs::path(rq.model.path) / name;
    if (fs::exists(path)) checkpoint[name] = sha256_of_file(path.string());
  }
  nlohmann::json data = nlohmann::json::object();
  for (const auto& file : split.files)
    data[fs::relative(file, folder.root).generic_string()] = sha256_of_file(file);
  const auto stats = fs::path(folder.root) / "stats.yaml";
  if (fs::exists(stats)) data["stats.yaml"] = sha256_of_file(stats.string());
  nlohmann::json field_types = nlohmann::json::object();
  for (const auto& f : layout.fields())
    field_types[f.name] = std::string(f.pseudo ? "pseudo" : "") + to_string(f.kind);
  for (const auto& f : layout.constant_fields())
    field_types[f.name] = std::string(f.pseudo ? "pseudo" : "") + to_string(f.kind) + " (constant)";
  nlohmann::json elements = nlohmann::json::array();
  for (const auto& g : group.elements)
    elements.push_back(notation(g));
  return {{"gavel_version", kVersion},  {"command", rq.command_line},
          {"date", utc_now()},          {"checkpoint_sha256", checkpoint},
          {"data_sha256", data},        {"group_elements", elements},
          {"field_types", field_types}, {"execution_space", space},
          {"threads", threads},         {"seed", rq.seed},
          {"batch", rq.batch},          {"bootstrap_resamples", rq.bootstrap_resamples}};
}

std::vector<ChannelStatistics> statistics_blocks(const std::optional<datasets::WellNormalization>& norm,
                                                 const ChannelLayout& input, bool delta) {
  std::vector<ChannelStatistics> out;
  if (!norm) return out;
  const ChannelLayout variable(input.ndim(), input.fields(), 1);
  out.push_back({"variable", variable, norm->variable.shift, norm->variable.scale});
  if (!input.constant_fields().empty())
    out.push_back({"constant", ChannelLayout(input.ndim(), input.constant_fields(), 1), norm->constant.shift,
                   norm->constant.scale});
  if (delta) out.push_back({"delta", variable, norm->delta.shift, norm->delta.scale});
  return out;
}

}  // namespace

template <class ExecSpace>
EvaluationResult evaluate(const EvaluationRequest& rq) {
  const auto folder = datasets::open_well_dataset(rq.data);
  const auto& split = find_split(folder, rq.split);
  datasets::WindowSpec spec;
  spec.n_steps_input = rq.model.n_steps_input;
  spec.n_steps_output = 1;
  const auto windows = datasets::WindowedDataset::open(split.files, spec);
  const auto& info = windows.info();
  if (info.grid_type != "cartesian")
    throw Error(split.files.front() + ": a " + info.grid_type +
                " grid has no grid symmetries gavel can average over (Cartesian grids only)");
  auto model = load_physical_model<ExecSpace>(rq.model, folder, info);
  check_model_fits(windows, model->spatial_dims(), model->in_channels(), model->out_channels());

  const Grid grid = info.grid();
  const auto group = choose_group(grid, info.dataset_name, rq.group);
  EvaluationSetup setup{grid,
                        info.channel_layout(rq.model.n_steps_input),
                        output_layout(info.channel_layout(rq.model.n_steps_input)),
                        group.elements,
                        group.subgroups,
                        group.generators};
  if (rq.defect_all_elements) {
    setup.defect_elements.clear();
    for (std::size_t e = 1; e < group.elements.size(); ++e)  // the identity's defect is 0 by definition
      setup.defect_elements.push_back(e);
  }

  OneStepOptions one_options;
  one_options.batch = rq.batch;
  one_options.memory_budget = rq.memory_budget;
  // On host memory the budget bounds the whole process: what is resident now (the loaded
  // parameters, the program, the libraries) is taken already.
  // Host-side work outside the plan is reserved too: the reader's staging of a window (its
  // inputs and targets, twice), the spectral and PDEBench metrics' scratch (a complex double and
  // bin tables per point) and 64 MiB for the allocator, the HDF5 caches and thread stacks.
  const std::int64_t points = windows.points();
  const std::int64_t host_scratch =
      2 * static_cast<std::int64_t>(sizeof(float)) * points * (model->in_channels() + model->out_channels()) +
      48 * points + (std::int64_t{64} << 20);
  const std::int64_t in_use = host_accessible<ExecSpace>() ? resident_bytes() + host_scratch : 0;
  one_options.memory_in_use = in_use;
  one_options.max_samples = rq.max_samples;
  one_options.defect_samples = rq.defect_samples;
  one_options.figure_samples = rq.figure_samples;
  if (rq.progress) one_options.progress = [&](std::int64_t d, std::int64_t t) { rq.progress("one-step", d, t); };
  const auto one = evaluate_one_step<ExecSpace>(windows, model, setup, one_options);

  std::optional<RolloutResult> rollout;
  if (rq.rollout_steps != 0) {
    datasets::WindowSpec rollout_spec;
    rollout_spec.n_steps_input = rq.model.n_steps_input;
    rollout_spec.full_trajectory_mode = true;
    rollout_spec.max_rollout_steps = rq.rollout_steps < 0 ? 100 : rq.rollout_steps;
    const auto trajectories = datasets::WindowedDataset::open(split.files, rollout_spec);
    RolloutOptions rollout_options;
    rollout_options.batch = rq.batch;
    rollout_options.memory_budget = rq.memory_budget;
    rollout_options.memory_in_use = in_use;
    rollout_options.max_samples = rq.max_samples;
    if (rq.progress) rollout_options.progress = [&](std::int64_t d, std::int64_t t) { rq.progress("rollout", d, t); };
    rollout = evaluate_rollout<ExecSpace>(trajectories, model, setup, rollout_options);
  }

  const auto verdict = judge_defects(one.averaged_defect, rq.defect_tolerance);
  const auto channel_names = windows.channel_names();
  ReportContext context{channel_names, setup.output_fields(), group, rq, info.dataset_name};
  nlohmann::json report;
  report["schema"] = "gavel-report/1";
  report["status"] = "complete";
  report["model"] = {{"path", rq.model.path},
                     {"architecture", model->architecture()},
                     {"in_channels", model->in_channels()},
                     {"out_channels", model->out_channels()},
                     {"normalization", rq.model.normalization},
                     {"delta", rq.model.delta}};
  nlohmann::json fields = nlohmann::json::array();
  {
    std::size_t channel = 0;
    for (const auto& f : setup.output.fields()) {
      nlohmann::json names = nlohmann::json::array();
      for (int c = 0; c < f.num_components(grid.ndim()); ++c)
        names.push_back(channel_names[channel++]);
      fields.push_back(
          {{"name", f.name}, {"kind", std::string(f.pseudo ? "pseudo" : "") + to_string(f.kind)}, {"channels", names}});
    }
  }
  report["dataset"] = {{"path", rq.data},
                       {"name", info.dataset_name},
                       {"split", rq.split},
                       {"n_steps_input", rq.model.n_steps_input},
                       {"grid", grid_to_json(grid)},
                       {"fields", fields},
                       {"windows", windows.size()},
                       {"evaluated_windows", one.baseline.samples}};
  report["group"] = group_section(group);
  report["one_step"] = one_step_section(one, context);
  report["per_element"] = per_element_section(one, context);
  report["equivariance_defect"] = defect_section(one, rollout ? &*rollout : nullptr, verdict, context);
  if (rollout) report["rollout"] = rollout_section(*rollout, context);
  if (!group.subgroups.empty()) report["subgroups"] = subgroup_section(one, rollout ? &*rollout : nullptr, context);
  const auto norm = normalization_of(rq.model, folder, info);
  report["normalization_audit"] =
      audit_section(audit_normalization(statistics_blocks(norm, setup.input, rq.model.delta), group.elements),
                    rq.model.normalization);
  report["non_finite"] = non_finite_section(one, rollout ? &*rollout : nullptr, context);
  report["cost"] = cost_section(one, rollout ? &*rollout : nullptr);
  report["figures"] = figures_section(one, context);
  report["manifest"] =
      manifest(rq, folder, split, group, setup.input, ExecSpace::name(), static_cast<int>(ExecSpace().concurrency()));
  return {verdict, std::move(report)};
}

#define GAVEL_INSTANTIATE_EVALUATE(SPACE) template EvaluationResult evaluate<SPACE>(const EvaluationRequest&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_EVALUATE)

}  // namespace gavel::eval
