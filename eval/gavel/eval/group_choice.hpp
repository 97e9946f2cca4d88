#pragma once

#include <string>
#include <vector>

#include "gavel/core/grid.hpp"
#include "gavel/core/group.hpp"
#include "gavel/datasets/physics_profile.hpp"
#include "gavel/eval/evaluation_setup.hpp"

namespace gavel::eval {

/// What the user asked for: `--group` (empty: the admissible group restricted by the physics
/// profile), the profile options, `--force`, and whether to sweep all subgroups.
struct GroupRequest {
  std::string spec;
  datasets::ProfileChoice profile;
  bool force = false;
  bool sweep_subgroups = false;
};

/// The group an evaluation averages over, and why.
struct GroupChoice {
  std::string name;                     ///< subgroup name ("D4", "C4", "flip_x", …)
  std::string source;                   ///< "admissible" (grid + physics profile) or "--group"
  std::vector<GroupElement> elements;   ///< identity first
  std::vector<std::size_t> generators;  ///< a small generating set, indices into elements
  std::size_t admissible_order = 0;     ///< of the grid and its boundary conditions alone
  std::size_t profiled_order = 0;       ///< after the physics profile
  datasets::PhysicsProfile profile;
  bool forced = false;
  std::vector<std::string> violations;   ///< why the group is not admissible (only with --force)
  std::vector<NamedSubgroup> subgroups;  ///< with sweep_subgroups: every subgroup, the group last
};

/// Resolves a request on a grid. `spec` is a subgroup name of the admissible group (as
/// `gavel info` lists them), or "<g1,g2,…>" generators by name or notation. A group with an
/// element the grid, its boundary conditions or the physics profile rule out is refused with
/// the reasons (gavel::Error) unless `force` is set, in which case the reasons are kept.
GroupChoice choose_group(const Grid& grid, const std::string& dataset_name, const GroupRequest& request);

}  // namespace gavel::eval
