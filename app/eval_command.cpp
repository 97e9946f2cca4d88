#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "bundled_data.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "gavel/core/atomic_output.hpp"
#include "gavel/core/created_folders.hpp"
#include "gavel/core/error.hpp"
#include "gavel/eval/evaluation.hpp"
#include "gavel/eval/memory_budget.hpp"
#include "gavel/eval/report_files.hpp"
#include "gavel/eval/rollout_windows.hpp"
#include "gavel/report/terminal_summary.hpp"
#include "kokkos_session.hpp"
#include "progress_reporter.hpp"

namespace gavel::app {
namespace {

namespace fs = std::filesystem;

struct EvalCommandOptions {
  std::vector<std::string> models;
  std::string data;
  std::string split = "test";
  std::string group;
  std::string subgroups;
  std::string profile, constraints;
  std::string architecture, normalization = "zscore";
  std::string windows = "6:12,13:30";
  std::string defect_elements = "generators";
  std::string out = "gavel-report";
  int n_steps_input = 4;
  int rollout = -1;
  std::int64_t batch = 8, max_samples = -1, defect_samples = 8, figure_samples = 2;
  std::string memory;
  int bootstrap = 10000;
  std::uint64_t seed = 0;
  bool delta = false, force = false, quiet = false;
};

std::string scientific(double v) {
  if (!std::isfinite(v)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.1e", v);
  return text;
}

/// One report folder per model: --out itself for one model, else --out/<checkpoint folder name>.
/// Two checkpoints whose folders share a name would write one report over the other: refused.
std::vector<fs::path> report_folders(const std::vector<std::string>& models, const std::string& out) {
  std::vector<fs::path> folders;
  for (const auto& model : models) {
    fs::path name = fs::path(model).lexically_normal();
    if (name.filename().empty()) name = name.parent_path();
    folders.push_back(models.size() == 1 ? fs::path(out) : fs::path(out) / name.filename());
    for (std::size_t k = 0; k + 1 < folders.size(); ++k)
      if (folders[k] == folders.back())
        throw Error("--model " + models[k] + " and --model " + model + ": both reports would be written to " +
                    folders.back().string() + " (the checkpoint folders share the name '" + name.filename().string() +
                    "'); evaluate them in separate runs with different --out");
  }
  return folders;
}

/// An allocation that fails mid-run (Kokkos throws a std::bad_alloc) is reported with the
/// options that set the sizes, not as an internal error.
eval::EvaluationResult evaluate_within_memory(const eval::EvaluationRequest& rq) {
  try {
    return eval::evaluate<Kokkos::DefaultExecutionSpace>(rq);
  } catch (const std::bad_alloc& e) {
    throw Error(rq.model.path + ": out of memory evaluating with --batch " + std::to_string(rq.batch) +
                (rq.memory_budget > 0 ? " and --memory " + eval::memory_size_text(rq.memory_budget) : std::string()) +
                " (the averaged calls are planned to fit the memory budget; something else took memory): lower "
                "--memory or --batch (" +
                e.what() + ")");
  }
}

void run_eval(const EvalCommandOptions& o) {
  const bool defaults = o.models.empty();
  std::vector<std::string> models = o.models;
  if (defaults) models = {bundled_path("surrogates/reference/fno"), bundled_path("surrogates/reference/unet_classic")};
  // Everything the options can get wrong is refused before any work.
  const auto rollout_windows = eval::parse_rollout_windows(o.windows);
  const std::int64_t memory_budget = o.memory.empty() ? 0 : eval::parse_memory_size(o.memory);
  const std::vector<fs::path> folders = report_folders(models, o.out);
  const std::string data = o.data.empty() ? bundled_path("datasets/reference/navier_stokes_2d") : o.data;
  // Every report folder checked, locked and its temporary made before any work: a folder gavel
  // did not write, or one another gavel is writing, is refused now. With several models --out is
  // the parent of one report folder per model, created here and removed again if nothing lands.
  CreatedFolders parent;
  if (models.size() > 1) parent.create(o.out, o.out);
  std::vector<std::string> inputs = models;
  inputs.push_back(data);
  std::vector<std::unique_ptr<AtomicOutput>> outputs;
  for (const auto& folder : folders)
    outputs.push_back(std::make_unique<AtomicOutput>(folder.string(), eval::report_folder_output(),
                                                     AtomicOutputOptions{true, true, inputs}));
  // Released in reverse, so the parent's lock files are gone before it is removed.
  struct ReleaseInReverse {
    std::vector<std::unique_ptr<AtomicOutput>>& outputs;
    ~ReleaseInReverse() {
      while (!outputs.empty())
        outputs.pop_back();
    }
  } release{outputs};

  ensure_kokkos();
  ProgressReporter progress(!o.quiet);
  std::vector<std::string> failures;
  for (std::size_t m = 0; m < models.size(); ++m) {
    const std::string& model = models[m];
    AtomicOutput& output = *outputs[m];
    eval::EvaluationRequest rq;
    rq.model.path = model;
    rq.model.architecture = o.architecture;
    rq.model.normalization = o.normalization;
    rq.model.delta = o.delta;
    rq.model.n_steps_input = o.n_steps_input;
    rq.data = data;
    rq.split = o.split;
    rq.group.spec = o.group;
    if (!o.profile.empty()) rq.group.profile.profile = o.profile;
    if (!o.constraints.empty()) rq.group.profile.constraints = o.constraints;
    rq.group.force = o.force;
    rq.group.sweep_subgroups = o.subgroups == "all";
    rq.rollout_steps = o.rollout;
    rq.rollout_windows = rollout_windows;
    rq.batch = o.batch;
    rq.memory_budget = memory_budget;
    rq.max_samples = o.max_samples;
    rq.defect_samples = o.defect_samples;
    rq.defect_all_elements = o.defect_elements == "all";
    rq.figure_samples = o.figure_samples;
    rq.seed = o.seed;
    rq.bootstrap_resamples = o.bootstrap;
    rq.command_line = recorded_command_line();
    rq.progress = [&](const std::string& phase, std::int64_t done, std::int64_t total) {
      progress.update(phase, done, total);
    };
    if (!o.quiet) std::cerr << "gavel eval: " << model << " on " << data << " (" << o.split << ")\n";
    const auto result = evaluate_within_memory(rq);
    eval::write_report_files(result.report, output.temporary());
    output.commit();
    parent.keep();
    std::fputs(report::terminal_summary(result.report, output.destination()).c_str(), stdout);
    // The exit status follows the engine's typed verdict; the report only shows it.
    const auto& defect = result.averaged_defect;
    if (!defect.passed)
      failures.push_back(model + ": the averaged model's equivariance defect " + scientific(defect.max) + " exceeds " +
                         scientific(defect.tolerance) +
                         " — the transforms or the model are wrong; the report is written but must not be trusted");
  }
  if (!failures.empty()) {
    std::string text;
    for (const auto& f : failures)
      text += "\n  " + f;
    throw Error("correctness check failed:" + text);
  }
}

}  // namespace

void register_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "The Well's metrics of a surrogate with and without group averaging, one step and in rollout");
  cmd->add_option("--model,-m", o->models,
                  "checkpoint folder(s) (model.safetensors + config.json); default: the bundled FNO and UNetClassic");
  cmd->add_option("--data,-d", o->data, "dataset folder in The Well's layout; default: the bundled navier_stokes_2d");
  cmd->add_option("--split", o->split, "split to evaluate")->capture_default_str();
  cmd->add_option("--group,-g", o->group,
                  "subgroup to average over: a name from `gavel info` (C4, D2, flip_x, …) or <g1,g2,…>; default: the "
                  "admissible group restricted by the physics profile");
  cmd->add_option("--subgroups", o->subgroups, "'all': also score the average over every subgroup")
      ->check(CLI::IsMember({"all", "none"}));
  cmd->add_option("--profile", o->profile, "physics profile of another dataset name, or none");
  cmd->add_option("--constraints", o->constraints, "extra physics constraints (see `gavel info --help`)");
  cmd->add_flag("--force", o->force, "average over a group the grid or physics does not admit");
  cmd->add_option("--rollout", o->rollout, "rollout steps (0: no rollout; default: all the trajectories allow, ≤ 100)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--windows", o->windows, "rollout windows START:END over 0-based steps")->capture_default_str();
  cmd->add_option("--batch", o->batch, "windows per model call (the averaged call runs |G|·batch)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--memory", o->memory,
                  "memory the evaluation may use on its execution space, e.g. 6GB, 512MiB (units B, kB, MB, GB, TB, "
                  "KiB, MiB, GiB, TiB); the |G| copies of a batch go through as many model calls as that needs. "
                  "Default: 75% of the free memory");
  cmd->add_option("--max-samples", o->max_samples, "evaluate only the first N windows (and trajectories)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--out,-o", o->out,
                  "report folder (one subfolder per model when several); it appears whole when the run ends and "
                  "replaces only a report folder gavel wrote")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the bootstrap")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--bootstrap", o->bootstrap, "bootstrap resamples for the confidence intervals")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--defect-elements", o->defect_elements,
                  "elements g on which the averaged model's own defect is checked: the group's generators (enough up "
                  "to rounding, see eval/README.md) or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"generators", "all"}));
  cmd->add_option("--defect-samples", o->defect_samples,
                  "windows on which the averaged model's own equivariance defect is measured (|G| model copies per "
                  "checked element)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--figure-samples", o->figure_samples, "windows shown as heat maps in report.html")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--architecture", o->architecture, "FNO, TFNO, UNetClassic or UNetConvNext (default: detected)");
  cmd->add_option("--normalization", o->normalization, "zscore, rms or none (as the model was trained)")
      ->capture_default_str();
  cmd->add_option("--n-steps-input", o->n_steps_input, "input steps per window")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--delta", o->delta, "the model predicts the change from the last input step");
  cmd->add_flag("--quiet,-q", o->quiet, "no progress output");
  cmd->footer(
      "Averaging: f_G(x) = 1/|G| Σ_g g⁻¹·f(g·x) in physical units (transform, normalize, run, denormalize, "
      "transform back), all |G| copies in one model call; the baseline f(x) is the identity's copy. The averaged "
      "model's equivariance defect on the group's generators must stay ≤ 1e-6; otherwise the run fails. Reports: "
      "report.json, metrics.csv, summary.md, report.html (eval/REPORT.md). "
      "Batch jobs: --config FILE reads options from an INI/TOML file, e.g. a section [eval] with max-samples=64.");
  cmd->callback([o] { run_eval(*o); });
}

}  // namespace gavel::app
