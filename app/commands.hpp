#pragma once

#include <CLI/CLI.hpp>

namespace gavel::app {

/// `gavel group`: the admissible symmetry group of a grid, its elements and subgroups.
void register_group_command(CLI::App& app);

}  // namespace gavel::app
