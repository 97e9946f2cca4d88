#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>
#include <vector>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

Grid grid_of(const std::string& shape, const std::string& bc, Sampling sampling = Sampling::cell_centred) {
  const auto s = parse_shape(shape);
  return Grid(s, parse_face_conditions(bc, static_cast<int>(s.size())), std::vector<Sampling>(s.size(), sampling));
}

/// Closure, identity, inverses and associativity, checked against compose() directly.
void check_group_axioms(const Group& group) {
  const std::size_t n = group.order();
  REQUIRE(group.element(group.identity_index()).is_identity());
  for (std::size_t a = 0; a < n; ++a) {
    CHECK(group.product(a, 0) == a);
    CHECK(group.product(0, a) == a);
    const std::size_t inv = group.inverse_of(a);
    CHECK(group.product(a, inv) == 0);
    CHECK(group.product(inv, a) == 0);
    for (std::size_t b = 0; b < n; ++b) {
      const auto ab = group.find(compose(group.element(a), group.element(b)));
      REQUIRE(ab.has_value());  // closure
      REQUIRE(*ab == group.product(a, b));
      for (std::size_t c = 0; c < n; c += 1 + n / 16)  // associativity on a spread of triples
        REQUIRE(group.product(group.product(a, b), c) == group.product(a, group.product(b, c)));
    }
  }
  for (const auto& g : group.elements())
    CHECK(group.find(g).has_value());
}

}  // namespace

TEST_CASE("admissible groups of the issue's grids", "[group]") {
  CHECK(admissible_group(grid_of("128,128", "periodic")).order() == 8);
  CHECK(admissible_group(grid_of("256,512", "periodic")).order() == 4);
  CHECK(admissible_group(grid_of("64,64,64", "periodic")).order() == 48);
  const Group mixed = admissible_group(grid_of("128,128", "periodic,periodic,wall,open"));
  REQUIRE(mixed.order() == 2);
  CHECK(element_name(mixed.element(1)) == "flip_x");
  // Acoustic scattering: wall at each low face, open at each high face: only the transpose.
  const Group acoustic = admissible_group(grid_of("256,256", "wall,open,wall,open"));
  REQUIRE(acoustic.order() == 2);
  CHECK(element_name(acoustic.element(1)) == "transpose");
  // Rayleigh-Taylor: x, y periodic, z wall: D4 about z times the z-flip.
  CHECK(admissible_group(grid_of("128,128,128", "periodic,periodic,wall")).order() == 16);
  CHECK(admissible_group(grid_of("128,128,256", "periodic,periodic,open")).order() == 16);
  CHECK(admissible_group(grid_of("16", "periodic")).order() == 2);
  CHECK(admissible_group(grid_of("16", "wall,open")).order() == 1);
}

TEST_CASE("group axioms hold for every admissible group in 1-3 D", "[group]") {
  const std::vector<std::string> conditions = {"periodic", "wall", "open"};
  for (const auto& shape :
       {std::string("12"), std::string("8,8"), std::string("8,12"), std::string("6,6,6"), std::string("6,6,9")}) {
    const int d = static_cast<int>(parse_shape(shape).size());
    // Every combination of per-face conditions where periodic faces come in pairs.
    std::vector<std::string> per_axis;
    for (const auto& a : conditions)
      for (const auto& b : conditions)
        if ((a == "periodic") == (b == "periodic")) per_axis.push_back(a + "," + b);
    std::vector<std::string> specs = {""};
    for (int k = 0; k < d; ++k) {
      std::vector<std::string> next;
      for (const auto& s : specs)
        for (const auto& p : per_axis)
          next.push_back(s.empty() ? p : s + "," + p);
      specs = next;
    }
    for (const auto& spec : specs) {
      for (Sampling sampling : {Sampling::cell_centred, Sampling::node_centred}) {
        const Grid grid = grid_of(shape, spec, sampling);
        INFO("grid " << shape << " bc " << spec);
        const Group group = admissible_group(grid);
        check_group_axioms(group);
        for (const auto& g : group.elements())
          CHECK_FALSE(why_not_admissible(g, grid).has_value());
        // Every hyperoctahedral element outside the group is refused with a reason.
        for (const auto& g : hyperoctahedral_group(d))
          if (!group.find(g)) CHECK(why_not_admissible(g, grid).has_value());
      }
    }
  }
}

TEST_CASE("periodic shifts extend the group", "[group]") {
  const Grid grid = grid_of("8,8", "periodic");
  const Group group = admissible_group(grid, 4);
  CHECK(group.order() == 8 * 2 * 2);
  CHECK(group.has_shifts());
  check_group_axioms(group);
  const Group fine = admissible_group(grid_of("8,4", "periodic,wall"), 2);
  CHECK(fine.order() == 4 * 4);  // flips only, shifts along x only
  check_group_axioms(fine);
  CHECK(why_not_admissible(parse_element("shift(1,0)", 2), grid, 4).value() ==
        "shift(1,0) shifts axis x by 1 cells, not a multiple of the shift step 4");
  CHECK_THROWS_WITH(admissible_group(grid, 3), ContainsSubstring("does not divide the length 8"));
  CHECK_THROWS_WITH(admissible_group(grid_of("128,128", "periodic"), 1), ContainsSubstring("more than 4096 elements"));
}

TEST_CASE("non-admissible elements carry the reason", "[group][errors]") {
  const Grid rect = grid_of("256,512", "periodic");
  CHECK_THAT(why_not_admissible(parse_element("rot90", 2), rect).value(),
             ContainsSubstring("rotations need equal lengths"));
  const Grid mixed = grid_of("64,64", "periodic,periodic,wall,open");
  CHECK_THAT(why_not_admissible(parse_element("flip_y", 2), mixed).value(),
             ContainsSubstring("maps the y high face (open) onto the y low face (wall)"));
  CHECK_THAT(why_not_admissible(parse_element("shift(0,1)", 2), mixed).value(),
             ContainsSubstring("non-periodic axis y"));
  CHECK_THAT(why_not_admissible(parse_element("rot90_z", 3), rect).value(), ContainsSubstring("3-D element"));
}
