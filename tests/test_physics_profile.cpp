// Physics profiles: the table, the constraint rules, the --constraints syntax and gavel info's
// physics_profile output.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/point_group_name.hpp"
#include "gavel/datasets/physics_profile.hpp"

using namespace gavel;
using namespace gavel::datasets;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::MessageMatches;

namespace {

using Faces = std::vector<std::array<BoundaryCondition, 2>>;
constexpr auto wall = BoundaryCondition::wall;
constexpr auto open = BoundaryCondition::open;
constexpr auto periodic = BoundaryCondition::periodic;

Grid grid(std::vector<std::int64_t> shape, Faces faces) {
  const std::size_t n = shape.size();
  return Grid(std::move(shape), std::move(faces), std::vector<Sampling>(n, Sampling::cell_centred));
}

std::set<std::string> names(const Group& group) {
  std::set<std::string> out;
  for (const auto& g : group.elements())
    out.insert(element_name(g));
  return out;
}

/// Every product of two elements of `elements` lies in it again (shifts reduced by `periods`).
bool closed(const std::vector<GroupElement>& elements, const ShiftPeriods& periods) {
  const std::set<GroupElement> set(elements.begin(), elements.end());
  for (const auto& a : elements)
    for (const auto& b : elements)
      if (!set.count(compose(a, b).reduced(periods))) return false;
  return true;
}

ProfiledGroup profiled(const Grid& g, const std::string& dataset, const ProfileChoice& choice = {},
                       std::int64_t shift_step = 0) {
  return apply_profile(admissible_group(g, shift_step), select_profile(dataset, g.ndim(), choice));
}

#define CHECK_GAVEL_ERROR(expression, text) \
  CHECK_THROWS_MATCHES(expression, gavel::Error, MessageMatches(ContainsSubstring(text)))

}  // namespace

TEST_CASE("rayleigh_benard: x periodic, y walls, gravity along y leaves no y-flip", "[profile]") {
  const Grid rb = grid({512, 128}, {{periodic, periodic}, {wall, wall}});
  CHECK(admissible_group(rb).order() == 4);
  const auto result = profiled(rb, "rayleigh_benard");
  CHECK(result.admissible_order == 4);
  CHECK(names(result.group) == std::set<std::string>{"id", "flip_x"});
  for (const auto& g : result.group.elements())
    CHECK((g.source_axis(1) == 1 && g.sign(1) == 1));
  const PhysicsProfile profile = select_profile("rayleigh_benard", 2);
  CHECK(profile.source == "dataset");
  REQUIRE(profile.constraints.size() == 1);
  CHECK(profile.constraints[0].text() == "no-flip:y");
  CHECK_THAT(profile.constraints[0].reason, ContainsSubstring("gravity"));
  // The constraint names what it removes.
  REQUIRE(result.removed.size() == 1);
  std::set<std::string> removed;
  for (const auto& g : result.removed[0])
    removed.insert(element_name(g));
  CHECK(removed == std::set<std::string>{"flip_y", "rot180"});
  // With x-shifts by 128 cells: flip_x and the 4 shifts survive, y-flips do not.
  const auto shifted = profiled(rb, "rayleigh_benard", {}, 128);
  CHECK(shifted.admissible_order == 16);
  CHECK(shifted.group.order() == 8);
  CHECK(closed(shifted.group.elements(), shifted.group.periods()));
}

TEST_CASE("shear_flow 256x512 periodic: the flips, rot180 and shifts, no 90-degree rotation", "[profile]") {
  const Grid sf = grid({256, 512}, {{periodic, periodic}, {periodic, periodic}});
  const PhysicsProfile profile = select_profile("shear_flow", 2);
  CHECK(profile.constraints.empty());  // the mean shear is an initial condition, not forcing
  const auto result = apply_profile(admissible_group(sf), profile);
  // D2: the rectangular grid already rules out rot90, rot270, transpose and antitranspose.
  CHECK(names(result.group) == std::set<std::string>{"id", "rot180", "flip_x", "flip_y"});
  for (const auto& g : result.group.elements())
    CHECK((g.source_axis(0) == 0 && g.source_axis(1) == 1));
  // With shifts by 128 cells: 4 point elements x 2 x-shifts x 4 y-shifts.
  const auto shifted = profiled(sf, "shear_flow", {}, 128);
  CHECK(shifted.group.order() == 32);
  CHECK(shifted.group.find(parse_element("rot180+shift(128,384)", 2)).has_value());
  CHECK_FALSE(shifted.group.find(parse_element("rot90", 2)).has_value());
}

TEST_CASE("planetswe: no grid symmetry, with the reason", "[profile]") {
  const PhysicsProfile profile = select_profile("planetswe", 2);
  CHECK_FALSE(profile.cartesian());
  REQUIRE(profile.constraints.size() == 1);
  CHECK(profile.constraints[0].rule == ConstraintRule::trivial);
  CHECK_THAT(profile.constraints[0].reason, ContainsSubstring("equiangular"));
  CHECK_THAT(profile.constraints[0].reason, ContainsSubstring("Coriolis"));
  // Even a Cartesian reading of its 256x512 grid (theta open, phi periodic) keeps only the identity.
  const Grid as_if_cartesian = grid({256, 512}, {{open, open}, {periodic, periodic}});
  const auto result = apply_profile(admissible_group(as_if_cartesian, 256), profile);
  CHECK(result.group.order() == 1);
  CHECK(result.removed[0].size() == result.admissible_order - 1);
  CHECK_THROWS_AS(profile.published_grid(), gavel::Error);
}

TEST_CASE("an unknown dataset name gets only the grid and boundary conditions, with a note", "[profile]") {
  const Grid g = grid({8, 8}, {{periodic, periodic}, {periodic, periodic}});
  const PhysicsProfile profile = select_profile("fixture_periodic", 2);
  CHECK(profile.name == "none");
  CHECK(profile.source == "default");
  CHECK(profile.constraints.empty());
  REQUIRE(profile.notes.size() == 1);
  CHECK_THAT(profile.notes[0], ContainsSubstring("no physics profile for dataset 'fixture_periodic'"));
  const auto result = apply_profile(admissible_group(g), profile);
  CHECK(result.group.order() == 8);
  CHECK(result.notes == profile.notes);
  // Names match exactly: no case folding or prefix matching.
  CHECK(select_profile("Rayleigh_Benard", 2).name == "none");
  CHECK(select_profile("rayleigh", 2).name == "none");
}

TEST_CASE("profile overrides: --profile NAME|none and --constraints", "[profile]") {
  const Grid square = grid({8, 8}, {{periodic, periodic}, {periodic, periodic}});
  // Another dataset's profile on this grid: gravity along y on a square leaves {id, flip_x}.
  const auto rb = profiled(square, "fixture_periodic", {std::string("rayleigh_benard"), std::nullopt});
  CHECK(names(rb.group) == std::set<std::string>{"id", "flip_x"});
  // "none" drops the dataset's own physics.
  const Grid rb_grid = grid({512, 128}, {{periodic, periodic}, {wall, wall}});
  const auto none = profiled(rb_grid, "rayleigh_benard", {std::string("none"), std::nullopt});
  CHECK(none.group.order() == 4);
  CHECK(select_profile("rayleigh_benard", 2, {std::string("none"), std::nullopt}).source == "--profile");
  // Constraints add to the selected profile ...
  const auto swapless = profiled(square, "fixture_periodic", {std::nullopt, std::string("no-swap")});
  CHECK(names(swapless.group) == std::set<std::string>{"id", "rot180", "flip_x", "flip_y"});
  const auto both = profiled(square, "active_matter", {std::nullopt, std::string("no-flip:y")});
  CHECK(names(both.group) == std::set<std::string>{"id", "flip_x"});
  // ... and replace it with --profile none.
  const auto replaced = profiled(rb_grid, "rayleigh_benard", {std::string("none"), std::string("no-flip:x")});
  CHECK(names(replaced.group) == std::set<std::string>{"id", "flip_y"});
  // Chirality and shear.
  CHECK(names(profiled(square, "x", {std::nullopt, std::string("no-reflection")}).group) ==
        std::set<std::string>{"id", "rot90", "rot180", "rot270"});
  CHECK(names(profiled(square, "x", {std::nullopt, std::string("shear:x,y")}).group) ==
        std::set<std::string>{"id", "rot180"});
  // Unknown profile names list the known ones; a 3-D profile does not fit a 2-D grid.
  CHECK_GAVEL_ERROR(select_profile("x", 2, {std::string("rayleigh_bernard"), std::nullopt}),
                    "--profile 'rayleigh_bernard' is not a profile; known (The Well's dataset names): none, ");
  CHECK_GAVEL_ERROR(select_profile("x", 2, {std::string("rayleigh_taylor_instability"), std::nullopt}),
                    "rule no-flip:z names axis z, but the grid is 2-D");
}

TEST_CASE("the --constraints syntax", "[profile]") {
  const auto parsed = parse_constraints("no-flip:y,no-swap,no-shift:x", 2);
  REQUIRE(parsed.size() == 3);
  CHECK(parsed[0].rule == ConstraintRule::keep_direction);
  CHECK(parsed[0].axes == std::vector<int>{1});
  CHECK(parsed[1].rule == ConstraintRule::keep_axis);
  CHECK(parsed[1].axes.empty());
  CHECK(parsed[2].rule == ConstraintRule::no_shift);
  CHECK(parsed[2].axes == std::vector<int>{0});
  CHECK(parsed[0].reason == "given with --constraints");
  // Axis lists continue over commas, or use '+'; spaces, case, ';' and '_' are tolerated.
  const auto lists = parse_constraints(" No_Flip : z , x ; shear:y+x ; no-swap:y,z", 3);
  REQUIRE(lists.size() == 3);
  CHECK(lists[0].axes == std::vector<int>{0, 2});
  CHECK(lists[0].text() == "no-flip:x,z");
  CHECK(lists[1].axes == std::vector<int>{1, 0});  // flow along y, varying along x
  CHECK(lists[2].text() == "no-swap:y,z");
  CHECK(parse_constraints("", 2).empty());
  CHECK(parse_constraints("no-reflection;trivial", 2).size() == 2);

  CHECK_GAVEL_ERROR(parse_constraints("no-flip", 2), "no-flip needs the axes");
  CHECK_GAVEL_ERROR(parse_constraints("no-flip:w", 2), "'w' is not an axis (x, y or z) in rule no-flip");
  CHECK_GAVEL_ERROR(parse_constraints("no-flip:z", 2), "axis z does not exist on a 2-D grid");
  CHECK_GAVEL_ERROR(parse_constraints("no-flip:", 2), "rule no-flip has an empty axis after ':'");
  CHECK_GAVEL_ERROR(parse_constraints("gravity:y", 2), "unknown rule 'gravity'; rules: no-flip:AXES");
  CHECK_GAVEL_ERROR(parse_constraints("no-flip:y,,no-swap", 2), "empty rule");
  CHECK_GAVEL_ERROR(parse_constraints("no-swap,", 2), "empty rule");
  CHECK_GAVEL_ERROR(parse_constraints("y", 2), "axis 'y' follows no rule that takes axes");
  CHECK_GAVEL_ERROR(parse_constraints("no-swap,y", 2), "axis 'y' follows no rule that takes axes");
  CHECK_GAVEL_ERROR(parse_constraints("shear:x", 2), "shear needs two different axes");
  CHECK_GAVEL_ERROR(parse_constraints("shear:x,x", 2), "shear needs two different axes");
  CHECK_GAVEL_ERROR(parse_constraints("no-reflection:x", 2), "rule no-reflection takes no axes");
  CHECK_GAVEL_ERROR(parse_constraints("no-rotation", 2), "no-rotation does not define a group");
  CHECK_GAVEL_ERROR(parse_constraints("bogus", 2), "--constraints 'bogus': unknown rule 'bogus'");
  // Through select_profile, with the profile's axes checked against the grid too.
  CHECK_GAVEL_ERROR(select_profile("shear_flow", 2, {std::nullopt, std::string("no-flip:q")}), "'q' is not an axis");
}

TEST_CASE("every rule, alone or combined, keeps a group", "[profile]") {
  const std::vector<std::string> rules{"no-flip:x", "no-flip:z",   "no-swap",      "no-swap:y",     "shear:x,z",
                                       "no-shift",  "no-shift:x",  "no-shift:x,y", "no-reflection", "trivial",
                                       "no-swap:z", "no-flip:x,y", "shear:z,y"};
  // A periodic cube with shifts (O_h x 2^3 shifts = 384 elements) and a box with z walls (D4h).
  const std::vector<Grid> grids{grid({4, 4, 4}, {{periodic, periodic}, {periodic, periodic}, {periodic, periodic}}),
                                grid({4, 4, 4}, {{periodic, periodic}, {periodic, periodic}, {wall, wall}})};
  for (const auto& g : grids) {
    const Group admissible = admissible_group(g, g.is_periodic(2) ? 2 : 0);
    for (std::size_t i = 0; i < rules.size(); ++i)
      for (std::size_t j = i; j < rules.size(); ++j) {
        PhysicsProfile p = no_physics_profile();
        p.constraints = parse_constraints(rules[i] + "," + rules[j], 3);
        std::vector<char> allowed(admissible.order(), 0);
        std::size_t count = 0;
        for (std::size_t e = 0; e < admissible.order(); ++e)
          if (p.constraints[0].allows(admissible.element(e)) && p.constraints[1].allows(admissible.element(e))) {
            allowed[e] = 1;
            ++count;
          }
        bool is_closed = true;  // through the admissible group's multiplication table
        for (std::size_t a = 0; a < admissible.order(); ++a)
          for (std::size_t b = 0; b < admissible.order(); ++b)
            if (allowed[a] && allowed[b] && !allowed[admissible.product(a, b)]) is_closed = false;
        INFO(rules[i] << " + " << rules[j]);
        CHECK(is_closed);
        CHECK(apply_profile(admissible, p).group.order() == count);
      }
  }
}

TEST_CASE("largest_subgroup_within: a non-closed allowed set falls back to its largest subgroup", "[profile]") {
  const Group d4 = admissible_group(grid({8, 8}, {{periodic, periodic}, {periodic, periodic}}));
  // id and the four reflections: not closed (flip_x * flip_y = rot180).
  const auto reflections = largest_subgroup_within(d4, [](const GroupElement& g) { return g.determinant() == -1; });
  CHECK_FALSE(reflections.allowed_set_closed);
  CHECK(reflections.group.order() == 2);
  CHECK(reflections.largest_ties == 4);
  CHECK(names(reflections.group) == std::set<std::string>{"id", "flip_x"});
  // A closed set is kept as it is.
  const auto rotations = largest_subgroup_within(d4, [](const GroupElement& g) { return g.determinant() == 1; });
  CHECK(rotations.allowed_set_closed);
  CHECK(rotations.group.order() == 4);
}

TEST_CASE("the profile table covers The Well with the documented orders", "[profile]") {
  // Order of the group kept at the published resolution (point symmetries, no shifts), as in
  // datasets/PROFILES.md; 1 for non-Cartesian grids.
  const std::map<std::string, std::size_t> expected{
      {"acoustic_scattering_discontinuous", 2},
      {"acoustic_scattering_inclusions", 2},
      {"acoustic_scattering_maze", 2},
      {"active_matter", 8},
      {"convective_envelope_rsg", 1},
      {"euler_multi_quadrants_openBC", 8},
      {"euler_multi_quadrants_periodicBC", 8},
      {"gray_scott_reaction_diffusion", 8},
      {"helmholtz_staircase", 4},
      {"MHD_256", 48},
      {"MHD_64", 48},
      {"planetswe", 1},
      {"post_neutron_star_merger", 1},
      {"rayleigh_benard", 2},
      {"rayleigh_benard_uniform", 2},
      {"rayleigh_taylor_instability", 8},
      {"shear_flow", 4},
      {"supernova_explosion_128", 48},
      {"supernova_explosion_64", 48},
      {"turbulence_gravity_cooling", 48},
      {"turbulent_radiative_layer_2D", 4},
      {"turbulent_radiative_layer_3D", 16},
      {"viscoelastic_instability", 2},
      {"viscoelastic_instability_v2", 2},
  };
  std::map<std::string, std::size_t> found;
  for (const auto& p : well_profiles()) {
    INFO(p.name);
    CHECK(find_well_profile(p.name) == &p);
    CHECK_FALSE(p.physics.empty());
    CHECK(p.spatial_dims.size() == p.shape.size());
    CHECK(p.boundary.size() == p.shape.size());
    for (const auto& c : p.constraints) {
      CHECK_FALSE(c.reason.empty());
      CHECK_NOTHROW(c.check_axes(p.ndim(), p.name));
    }
    // Constraints round-trip through the --constraints syntax.
    const auto reparsed = parse_constraints(p.constraints_text(), p.ndim());
    REQUIRE(reparsed.size() == p.constraints.size());
    for (std::size_t i = 0; i < reparsed.size(); ++i)
      CHECK(reparsed[i].text() == p.constraints[i].text());
    if (p.cartesian()) {
      found[p.name] = apply_profile(admissible_group(p.published_grid()), p).group.order();
    } else {
      REQUIRE(p.constraints.size() == 1);
      CHECK(p.constraints[0].rule == ConstraintRule::trivial);
      found[p.name] = 1;
    }
  }
  CHECK(found == expected);
  // The examples.
  CHECK(find_well_profile("rayleigh_taylor_instability")->constraints[0].text() == "no-flip:z");
  CHECK(find_well_profile("viscoelastic_instability")->constraints[0].text() == "no-flip:x");
  const auto rti = find_well_profile("rayleigh_taylor_instability");
  CHECK(point_group_type(apply_profile(admissible_group(rti->published_grid()), *rti).group.elements()) == "C4v");
}

#ifdef GAVEL_TEST_HAS_PROGRAM
#include "cli_support.hpp"
#include "test_paths.hpp"

namespace {

using gavel::test::run_gavel;

std::string well_fixture(const std::string& name) {
  return gavel::test::test_data_dir() + "/well/" + name;
}

nlohmann::json info_json(const std::string& arguments) {
  const auto result = run_gavel("info " + arguments + " --json");
  INFO(result.output);
  REQUIRE(result.status == 0);
  return nlohmann::json::parse(result.output);
}

}  // namespace

TEST_CASE("gavel info shows the physics profile and accepts --profile and --constraints", "[profile][cli]") {
  // An unknown dataset name: only the grid; the admissible group keys stay as they were.
  auto plain = info_json(well_fixture("periodic_2d.hdf5"));
  CHECK(plain["group"]["order"] == 8);
  const auto& p = plain["physics_profile"];
  CHECK(p["name"] == "none");
  CHECK(p["source"] == "default");
  CHECK(p["constraints"].empty());
  CHECK(p["group_order"] == 8);
  CHECK_THAT(p["notes"][0].get<std::string>(), ContainsSubstring("no physics profile for dataset 'fixture_periodic'"));

  auto rb = info_json(well_fixture("periodic_2d.hdf5") + " --profile rayleigh_benard");
  CHECK(rb["group"]["order"] == 8);  // the admissible group is unchanged
  CHECK(rb["physics_profile"]["name"] == "rayleigh_benard");
  CHECK(rb["physics_profile"]["source"] == "--profile");
  REQUIRE(rb["physics_profile"]["constraints"].size() == 1);
  CHECK(rb["physics_profile"]["constraints"][0]["rule"] == "no-flip:y");
  CHECK_THAT(rb["physics_profile"]["constraints"][0]["reason"].get<std::string>(), ContainsSubstring("gravity"));
  CHECK(rb["physics_profile"]["group_order"] == 2);
  CHECK(rb["physics_profile"]["elements"] == nlohmann::json::array({"id", "flip_x"}));

  auto custom = info_json(well_fixture("cube_3d.hdf5") + " --profile none --constraints no-flip:z,no-swap");
  CHECK(custom["physics_profile"]["group_order"] == 4);
  CHECK(custom["physics_profile"]["group_type"] == "C2v");
  CHECK(custom["physics_profile"]["constraints"][1]["reason"] == "given with --constraints");

  // A non-Cartesian grid keeps the identity; planetswe's profile says why.
  auto sphere = info_json(well_fixture("spherical.hdf5") + " --profile planetswe");
  CHECK(sphere["group"]["order"] == 1);
  CHECK(sphere["physics_profile"]["group_order"] == 1);
  CHECK(sphere["physics_profile"]["constraints"][0]["rule"] == "trivial");

  const auto text = run_gavel("info " + well_fixture("periodic_2d.hdf5") + " --profile rayleigh_benard");
  CHECK(text.status == 0);
  CHECK_THAT(text.output, ContainsSubstring("physics profile: rayleigh_benard (from --profile)"));
  CHECK_THAT(text.output, ContainsSubstring("symmetry group with physics: order 2 (D1), elements: id flip_x"));

  const auto bad = run_gavel("info " + well_fixture("periodic_2d.hdf5") + " --constraints no-flip:y,,no-swap");
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, ContainsSubstring("gavel: error: --constraints 'no-flip:y,,no-swap': empty rule"));
  const auto unknown = run_gavel("info " + well_fixture("periodic_2d.hdf5") + " --profile MHD");
  CHECK(unknown.status == 1);
  CHECK_THAT(unknown.output, ContainsSubstring("--profile 'MHD' is not a profile"));
  const auto three_d = run_gavel("info " + well_fixture("periodic_2d.hdf5") + " --profile MHD_64");
  CHECK(three_d.status == 0);  // MHD has no constraints, so it fits a 2-D grid, with a note
  CHECK_THAT(three_d.output,
             ContainsSubstring("note: profile MHD_64 describes a 3-D dataset; applied here to a 2-D grid"));
  const auto rti = run_gavel("info " + well_fixture("periodic_2d.hdf5") + " --profile rayleigh_taylor_instability");
  CHECK(rti.status == 1);
  CHECK_THAT(rti.output, ContainsSubstring("rule no-flip:z names axis z, but the grid is 2-D"));
}
#endif
