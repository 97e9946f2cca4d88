#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gavel/core/grid.hpp"
#include "gavel/core/group.hpp"
#include "gavel/core/group_element.hpp"

namespace gavel::datasets {

/// What a physics constraint asks of a grid symmetry g = (R, t), R a signed axis permutation and
/// t a periodic shift. Each rule keeps a subgroup (the stabiliser of a vector, an axis, a tensor or
/// a set of axes), so any combination of rules keeps a group. The textual name is the
/// `--constraints` syntax (see parse_constraints).
enum class ConstraintRule {
  /// `no-flip:A`: R e_a = +e_a for each listed axis a — a preferred direction along a (gravity, a
  /// driving force, a mean flow): a is neither reversed nor exchanged with another axis.
  keep_direction,
  /// `no-swap[:A]`: R e_a = ±e_a — axis a may be reversed but not exchanged with another axis (an
  /// anisotropy even under reversal). Without axes: every axis, i.e. no 90° rotations or
  /// transposes at all.
  keep_axis,
  /// `shear:A,B`: R e_a ⊗ R e_b = e_a ⊗ e_b — a mean shear flow along a varying along b (u_a ∝ b):
  /// a and b stay in place and are reversed together or not at all.
  keep_shear,
  /// `no-shift[:A]`: t_a = 0 on each listed axis (all axes without a list), and R maps the listed
  /// axes among themselves — an inhomogeneity along them (a fixed forcing pattern, an obstacle).
  no_shift,
  /// `no-reflection`: det R = +1 — chiral physics (a rotating frame, helical forcing).
  proper,
  /// `trivial`: only the identity — no grid symmetry at all (a non-Cartesian grid).
  trivial,
};

/// The `--constraints` name of a rule: "no-flip", "no-swap", "shear", "no-shift", "no-reflection",
/// "trivial".
std::string to_string(ConstraintRule rule);

/// One physics constraint with the reason it holds.
struct PhysicsConstraint {
  ConstraintRule rule = ConstraintRule::keep_direction;
  std::vector<int> axes;  ///< axis indices (x = 0, y = 1, z = 2); empty: none, or every axis
  std::string reason;
  /// The rule in `--constraints` syntax: "no-flip:y", "no-swap", "shear:x,y".
  std::string text() const;
  /// Whether `g` satisfies the rule (axes beyond g's dimension are not checked: see check_axes).
  bool allows(const GroupElement& g) const;
  /// Throws gavel::Error, naming `owner`, when the rule names an axis an `ndim`-D grid lacks.
  void check_axes(int ndim, const std::string& owner) const;
};

/// The physics of one dataset as far as grid symmetries go: the constraints its equations,
/// forcing and boundary values put on top of what the grid and its boundary conditions admit,
/// each with its reason, plus notes on what does not break symmetry and on what is uncertain.
struct PhysicsProfile {
  std::string name;     ///< The Well's dataset name, or "none"
  std::string physics;  ///< the equations and setup in one or two sentences
  std::vector<PhysicsConstraint> constraints;
  std::vector<std::string> notes;
  bool uncertain = false;  ///< part of the reasoning rests on inference (the notes say which)
  /// How this profile was chosen: "dataset" (the file's dataset name), "--profile", or "default"
  /// (no profile for the dataset name, so only the grid and its boundary conditions apply).
  std::string source = "dataset";

  /// The published layout of the dataset (for the documentation table and tests): grid type,
  /// spatial_dims, shape and the (low, high) boundary conditions as the_well reduces them.
  std::string grid_type = "cartesian";
  std::vector<std::string> spatial_dims;
  std::vector<std::int64_t> shape;
  std::vector<std::array<BoundaryCondition, 2>> boundary;

  int ndim() const { return static_cast<int>(shape.size()); }
  bool cartesian() const { return grid_type == "cartesian"; }
  /// The cell-centred published grid. Throws gavel::Error for non-Cartesian profiles and "none".
  Grid published_grid() const;
  /// The constraints in `--constraints` syntax ("" when there are none).
  std::string constraints_text() const;
};

/// The profile table: one entry for every dataset of The Well (and the variants found in its
/// repository), in alphabetical order. Documented with its reasoning in datasets/PROFILES.md.
const std::vector<PhysicsProfile>& well_profiles();

/// The table entry for exactly `name` (The Well's spelling), or nullptr.
const PhysicsProfile* find_well_profile(const std::string& name);

/// The profile without physics constraints, named "none": only the grid and its boundary
/// conditions restrict the group.
PhysicsProfile no_physics_profile();

/// Parses the `--constraints` syntax for an `ndim`-D grid (ndim 0: axes up to z are accepted).
/// Rules are separated by ',' or ';'; a rule's axes follow ':' and further axes may follow as
/// their own comma-separated items ("no-flip:x,y" constrains x and y; "no-flip:x+y" too):
///   no-flip:A      keep the direction of each axis in A (gravity, driving force along it)
///   no-swap[:A]    keep the axes in A (all without A) in place, reversals allowed
///   shear:A,B      a mean shear flow along A varying along B
///   no-shift[:A]   no periodic shifts along A (all without A)
///   no-reflection  proper rotations only
///   trivial        the identity only
/// Axes are x, y, z (spatial_dims order); rule names ignore case and accept '_' for '-'.
/// Every parsed constraint gets `reason`. Throws gavel::Error naming the text and the problem.
std::vector<PhysicsConstraint> parse_constraints(const std::string& text, int ndim = 0,
                                                 const std::string& reason = "given with --constraints");

/// What the user asked for on the command line.
struct ProfileChoice {
  /// `--profile NAME`: another dataset's profile, or "none" for the grid and its boundary
  /// conditions only. Unset: the profile of the file's own dataset name.
  std::optional<std::string> profile;
  /// `--constraints TEXT`: constraints added to the selected profile (with `--profile none` they
  /// replace it).
  std::optional<std::string> constraints;
};

/// The profile for a dataset: the table entry of `dataset_name` (exact match) unless `choice`
/// overrides it, then `choice.constraints` added. An unknown dataset name gets "none" with a note
/// saying so. Throws gavel::Error for an unknown `--profile` name (listing the known ones), bad
/// constraint syntax, or a profile whose axes an `ndim`-D grid lacks.
PhysicsProfile select_profile(const std::string& dataset_name, int ndim, const ProfileChoice& choice = {});

/// The largest subgroup of `group` whose elements all satisfy `allowed`. When the allowed elements
/// are closed under composition (always the case for PhysicsConstraint rules) that is exactly
/// them; otherwise the subgroups are enumerated and the largest allowed one is kept (the first in
/// enumeration order when several tie).
struct RestrictedGroup {
  Group group;
  bool allowed_set_closed = true;  ///< the allowed elements formed a group themselves
  std::size_t largest_ties = 1;    ///< how many allowed subgroups share the largest order
};
RestrictedGroup largest_subgroup_within(const Group& group, const std::function<bool(const GroupElement&)>& allowed);

/// The result of a profile applied to an admissible group.
struct ProfiledGroup {
  Group group;  ///< the largest subgroup of the admissible group satisfying every constraint
  std::size_t admissible_order = 0;
  /// For each constraint of the profile (same order): the admissible elements it rules out.
  std::vector<std::vector<GroupElement>> removed;
  /// The profile's notes, and a note when the allowed elements had to be reduced to a subgroup.
  std::vector<std::string> notes;
};

/// Applies `profile` to `admissible` (the group of the grid and its boundary conditions, see
/// gavel::admissible_group). Throws gavel::Error when the profile names an axis the group's grid
/// lacks.
ProfiledGroup apply_profile(const Group& admissible, const PhysicsProfile& profile);

}  // namespace gavel::datasets
