#include "gavel/eval/group_choice.hpp"

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/subgroups.hpp"

namespace gavel::eval {
namespace {

/// The reasons an element is ruled out by the grid or the physics, or none.
std::vector<std::string> violations_of(const GroupElement& g, const Grid& grid,
                                       const datasets::PhysicsProfile& profile) {
  std::vector<std::string> out;
  if (const auto why = why_not_admissible(g, grid)) out.push_back(element_name(g) + ": " + *why);
  for (const auto& c : profile.constraints)
    if (!c.allows(g))
      out.push_back(element_name(g) + ": physics profile " + profile.name + " (" + c.text() + ": " + c.reason + ")");
  return out;
}

}  // namespace

GroupChoice choose_group(const Grid& grid, const std::string& dataset_name, const GroupRequest& request) {
  GroupChoice choice;
  choice.profile = datasets::select_profile(dataset_name, grid.ndim(), request.profile);
  const Group admissible = admissible_group(grid);
  choice.admissible_order = admissible.order();
  const auto profiled = datasets::apply_profile(admissible, choice.profile);
  choice.profiled_order = profiled.group.order();

  Group chosen = profiled.group;
  if (request.spec.empty()) {
    choice.source = "admissible";
    try {
      choice.name = enumerate_subgroups(chosen).back().name;
    } catch (const Error&) {  // too many subgroups to name it structurally
      choice.name = "order " + std::to_string(chosen.order());
    }
  } else {
    choice.source = "--group";
    // Names resolve within the whole point group of the dimension, so that a group the grid
    // does not admit can still be named (and refused with the reason, or forced).
    const Group point_group = Group::generated_by(grid.ndim(), hyperoctahedral_group(grid.ndim()));
    const auto all = enumerate_subgroups(point_group);
    const Subgroup picked = find_subgroup(point_group, all, request.spec);
    std::vector<GroupElement> elements;
    for (const auto i : picked.elements)
      elements.push_back(point_group.element(i));
    chosen = Group::generated_by(grid.ndim(), elements);
    choice.name = picked.name;
    for (const auto& g : chosen.elements()) {
      const auto why = violations_of(g, grid, choice.profile);
      choice.violations.insert(choice.violations.end(), why.begin(), why.end());
    }
    if (!choice.violations.empty()) {
      std::string text;
      for (const auto& v : choice.violations)
        text += "\n  " + v;
      if (!request.force)
        throw Error("group " + request.spec + " is not admissible for this dataset:" + text +
                    "\n(use --force to average over it anyway)");
      choice.forced = true;
    }
  }
  choice.elements = chosen.elements();
  std::vector<std::size_t> all(chosen.order());
  for (std::size_t i = 0; i < all.size(); ++i)
    all[i] = i;
  choice.generators = small_generating_set(chosen, all);
  if (request.sweep_subgroups)
    for (const auto& s : enumerate_subgroups(chosen))
      choice.subgroups.push_back({s.name, s.elements});
  return choice;
}

}  // namespace gavel::eval
