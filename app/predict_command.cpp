#include <filesystem>
#include <iostream>
#include <memory>
#include <new>
#include <string>

#include "commands.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/replaceable_output.hpp"
#include "gavel/datasets/netcdf_writer.hpp"
#include "gavel/datasets/output_kinds.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "gavel/eval/physical_model.hpp"
#include "gavel/eval/predict.hpp"
#include "kokkos_session.hpp"

namespace gavel::app {
namespace {

namespace fs = std::filesystem;

struct PredictCommandOptions {
  std::string model;
  std::string data;
  std::string split = "test";
  std::string out;
  std::string architecture;
  std::string normalization = "zscore";
  int n_steps_input = 4;
  std::int64_t batch = 8;
  std::int64_t max_windows = -1;
  bool delta = false;
  bool overwrite = false;
};

bool is_netcdf_path(const std::string& path) {
  const auto ext = fs::path(path).extension().string();
  return ext == ".nc" || ext == ".nc4" || ext == ".netcdf";
}

void run_predict(const PredictCommandOptions& o) {
  // The output is checked before any work, and again when it is written.
  const std::vector<std::string> inputs = {o.model, o.data};
  const OutputKind kind = is_netcdf_path(o.out) ? datasets::netcdf_file_output() : datasets::well_file_output();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(o.out, ec))) {
    if (!o.overwrite)
      throw Error(o.out + ": already exists (refusing to overwrite; pass --overwrite to replace a file gavel wrote)");
    check_replaceable(o.out, o.out, kind, inputs);
  }
  ensure_kokkos();
  using Exec = Kokkos::DefaultExecutionSpace;
  const auto folder = datasets::open_well_dataset(o.data);
  const auto split = std::find_if(folder.splits.begin(), folder.splits.end(),
                                  [&](const datasets::WellSplit& s) { return s.name == o.split; });
  if (split == folder.splits.end() || split->files.empty())
    throw Error(o.data + ": no split '" + o.split + "' with files");
  datasets::WindowSpec spec;
  spec.n_steps_input = o.n_steps_input;
  spec.n_steps_output = 1;
  const auto windows = datasets::WindowedDataset::open(split->files, spec);

  eval::ModelRequest request{o.model, o.architecture, o.normalization, o.delta, o.n_steps_input};
  const auto model = eval::load_physical_model<Exec>(request, folder, windows.info());
  eval::PredictOptions options;
  options.batch = o.batch;
  options.max_windows = o.max_windows;
  eval::PredictReport report;
  datasets::MemorySource predictions = [&] {
    try {
      return eval::predict_windows<Exec>(windows, *model, options, report);
    } catch (const std::bad_alloc& e) {
      throw Error(o.model + ": out of memory predicting with --batch " + std::to_string(o.batch) + ": lower --batch (" +
                  e.what() + ")");
    }
  }();
  if (is_netcdf_path(o.out)) {
    datasets::NetcdfWriteOptions write;
    write.overwrite = o.overwrite;
    write.inputs = inputs;
    write.attributes = {{"gavel_model", o.model}, {"gavel_data", o.data}, {"gavel_split", o.split}};
    datasets::write_netcdf(predictions, o.out, write);
  } else {
    datasets::WellWriteOptions write;
    write.overwrite = o.overwrite;
    write.inputs = inputs;
    datasets::write_well_file(o.out, predictions, write);
  }
  std::cout << o.out << ": " << report.windows << " one-step predictions of " << model->architecture() << " on "
            << windows.info().dataset_name << " (" << o.split << "), " << windows.channels() << " channels\n";
  if (report.replaced_in_inputs.total() > 0)
    std::cout << "  inputs: replaced " << report.replaced_in_inputs.to_string() << " (as torch.nan_to_num)\n";
  if (report.non_finite_outputs.total() > 0)
    std::cout << "  warning: the model produced " << report.non_finite_outputs.to_string() << "\n";
}

}  // namespace

void register_predict_command(CLI::App& app) {
  auto o = std::make_shared<PredictCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("predict", "One-step predictions of a checkpoint for every window of a dataset split");
  cmd->add_option("--model,-m", o->model, "checkpoint folder (model.safetensors + config.json)")->required();
  cmd->add_option("--data,-d", o->data, "dataset folder (<name> with data/{train,valid,test} and stats.yaml)")
      ->required();
  cmd->add_option("--split", o->split, "split to predict")->capture_default_str();
  cmd->add_option("--out,-o", o->out, "output file: .hdf5/.h5 (The Well's layout) or .nc (NetCDF)")->required();
  cmd->add_option("--architecture", o->architecture, "FNO, TFNO, UNetClassic or UNetConvNext (default: detected)");
  cmd->add_option("--normalization", o->normalization, "zscore, rms or none (as the model was trained)")
      ->capture_default_str();
  cmd->add_option("--n-steps-input", o->n_steps_input, "input steps per window")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--batch", o->batch, "windows per model call (at most the windows there are)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-windows", o->max_windows, "predict only the first N windows")->check(CLI::PositiveNumber);
  cmd->add_flag("--delta", o->delta, "the model predicts the change from the last input step");
  cmd->add_flag("--overwrite", o->overwrite,
                "replace an existing output of the same format that gavel wrote (a Well HDF5 or NetCDF file); "
                "never a folder, another file or an input");
  cmd->footer(
      "Inputs are formatted as the_well does (b (t c) ..., constants appended, NaN/Inf replaced like nan_to_num and "
      "counted), normalized with the dataset's stats.yaml, and the outputs denormalized. The output holds one "
      "trajectory per window with scalars window_file, window_trajectory and window_start.");
  cmd->callback([o] { run_predict(*o); });
}

}  // namespace gavel::app
