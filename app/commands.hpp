#pragma once

#include <CLI/CLI.hpp>

namespace gavel::app {

/// `gavel group`: the admissible symmetry group of a grid, its elements and subgroups.
void register_group_command(CLI::App& app);

/// `gavel info PATH`: the structure of a Well HDF5 file (or folder) or a NetCDF file and its
/// admissible group.
void register_info_command(CLI::App& app);

/// `gavel transform --element E IN OUT`: a Well file transformed by one group element.
void register_transform_command(CLI::App& app);

/// `gavel generate --out FOLDER`: the reference 2-D Navier–Stokes dataset in The Well's format.
void register_generate_command(CLI::App& app);

/// `gavel predict --model DIR --data PATH --out FILE`: one-step predictions of a checkpoint.
void register_predict_command(CLI::App& app);

/// `gavel report DIR [--out DIR2]`: metrics.csv, summary.md and report.html rendered again from DIR/report.json.
void register_report_command(CLI::App& app);

/// `gavel eval`: metrics with and without group averaging, one step and rollout, with reports.
void register_eval_command(CLI::App& app);

}  // namespace gavel::app
