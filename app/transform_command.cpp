#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/datasets/transformed_source.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "gavel/datasets/well_writer.hpp"
#include "kokkos_session.hpp"

namespace gavel::app {
namespace {

struct TransformOptions {
  std::string element;
  std::string input;
  std::string output;
  std::vector<std::string> pseudo;
  std::vector<std::string> polar;
  bool force = false;
  bool overwrite = false;
};

void run_transform(const TransformOptions& o) {
  ensure_kokkos();
  auto source = std::make_shared<datasets::WellFileSource>(o.input);
  source->override_parity(o.pseudo, o.polar);
  const GroupElement g = parse_element(o.element, source->info().ndim());
  const auto transformed = std::make_shared<datasets::TransformedSource>(source, g, o.force);
  datasets::WellWriteOptions write;
  write.overwrite = o.overwrite;
  write.inputs = {o.input};
  datasets::write_well_file(o.output, *transformed, write);
  std::cout << o.output << ": " << source->info().dataset_name << " transformed by " << notation(g) << " ("
            << element_name(g) << "), " << source->info().fields.size() << " fields, " << source->info().n_trajectories
            << " trajectories of " << source->info().n_steps << " steps\n";
}

}  // namespace

void register_transform_command(CLI::App& app) {
  auto options = std::make_shared<TransformOptions>();
  CLI::App* cmd = app.add_subcommand(
      "transform",
      "Write a Well HDF5 file transformed by one group element (fields, coordinates, boundary conditions)");
  cmd->footer(
      "Scalars move, vectors become R·v, tensors R·T·Rᵀ, pseudo fields (gavel_parity = \"pseudo\" or --pseudo) "
      "also pick up det R. Output axis k takes input axis source_k's extent, coordinates and faces (swapped where "
      "the element flips it). The output appears only when complete.");
  cmd->add_option("--element,-e", options->element,
                  "group element, by name (rot90, flip_x, ...) or in bracket notation ([-y,x], [x,-y]+shift(4,0))")
      ->required();
  cmd->add_option("input", options->input, "Well HDF5 file to read")->required()->check(CLI::ExistingFile);
  cmd->add_option("output", options->output, "Well HDF5 file to write (must not exist unless --overwrite)")->required();
  cmd->add_option("--pseudo", options->pseudo,
                  "fields to treat as pseudo (det R factor), overriding the file's gavel_parity attributes")
      ->delimiter(',');
  cmd->add_option("--polar", options->polar, "fields to treat as ordinary (polar) fields")->delimiter(',');
  cmd->add_flag("--force", options->force,
                "apply an element that is not a symmetry of the grid's boundary conditions (faces are swapped)");
  cmd->add_flag("--overwrite", options->overwrite,
                "replace an existing output that is a Well HDF5 file gavel wrote (never a folder, another file or "
                "the input)");
  cmd->callback([options] { run_transform(*options); });
}

}  // namespace gavel::app
