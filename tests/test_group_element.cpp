#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_element.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("names and bracket notation agree", "[element]") {
  CHECK(notation(parse_element("rot90", 2)) == "[-y,x]");
  CHECK(notation(parse_element("flip_x", 2)) == "[-x,y]");
  CHECK(notation(parse_element("antitranspose", 2)) == "[-y,-x]");
  CHECK(element_name(parse_element("[-y,x]", 2)) == "rot90");
  CHECK(element_name(parse_element("[ y , -x ]", 2)) == "rot270");
  CHECK(element_name(parse_element("[-x,-y,-z]", 3)) == "inversion");
  CHECK(element_name(parse_element("[-y,x,z]", 3)) == "rot90_z");
  CHECK(element_name(parse_element("[-z,-y,-x]", 3)) == "[-z,-y,-x]");  // no common name
  CHECK(notation(parse_element("rot90+shift(4,0)", 2)) == "[-y,x]+shift(4,0)");
  CHECK(element_name(parse_element("shift(1,2)", 2)) == "shift(1,2)");
  CHECK(element_name(parse_element("[x,-y]+shift(0,3)", 2)) == "flip_y+shift(0,3)");
  for (int d = 1; d <= 3; ++d)
    for (const auto& name : common_element_names(d))
      CHECK(element_name(parse_element(name, d)) == name);
}

TEST_CASE("90 degree rotation maps the point (x,y) to (-y,x)", "[element]") {
  const auto r = parse_element("rot90", 2);
  // R applied to e_x = (1,0) gives (0,1): column 0 of R.
  CHECK(r.matrix(0, 0) == 0);
  CHECK(r.matrix(1, 0) == 1);
  CHECK(r.matrix(0, 1) == -1);
  CHECK(r.determinant() == 1);
  CHECK(parse_element("flip_x", 2).determinant() == -1);
  CHECK(parse_element("transpose", 2).determinant() == -1);
  CHECK(parse_element("rot90_x", 3).determinant() == 1);
  CHECK(parse_element("inversion", 3).determinant() == -1);
}

TEST_CASE("composition, inverse and order", "[element]") {
  const auto r = parse_element("rot90", 2);
  const auto f = parse_element("flip_x", 2);
  CHECK(compose(r, r) == parse_element("rot180", 2));
  CHECK(compose(r, inverse(r)).is_identity());
  // flip_x after rot90: (x,y) -> (-y,x) -> (y,x)
  CHECK(compose(f, r) == parse_element("transpose", 2));
  CHECK(compose(r, f) == parse_element("antitranspose", 2));
  CHECK(order(r, {0, 0, 0}) == 4);
  CHECK(order(f, {0, 0, 0}) == 2);
  CHECK(order(parse_element("shift(2,0)", 2), {8, 8, 0}) == 4);
  CHECK(order(parse_element("rot90+shift(1,0)", 2), {8, 8, 0}) == 4);
  const auto s = parse_element("rot90+shift(3,1)", 2);
  CHECK(compose(s, inverse(s)).reduced({8, 8, 0}).is_identity());
  CHECK(compose(inverse(s), s).reduced({8, 8, 0}).is_identity());
  CHECK(hyperoctahedral_group(1).size() == 2);
  CHECK(hyperoctahedral_group(2).size() == 8);
  CHECK(hyperoctahedral_group(3).size() == 48);
  CHECK(hyperoctahedral_group(3).front().is_identity());
}

TEST_CASE("malformed element text is refused with a reason", "[element][errors]") {
  CHECK_THROWS_WITH(parse_element("rot45", 2), ContainsSubstring("unknown name 'rot45'"));
  CHECK_THROWS_WITH(parse_element("rot90", 3), ContainsSubstring("unknown name 'rot90'"));
  CHECK_THROWS_WITH(parse_element("[-y,x", 2), ContainsSubstring("malformed bracket notation"));
  CHECK_THROWS_WITH(parse_element("[x,x]", 2), ContainsSubstring("an axis appears twice"));
  CHECK_THROWS_WITH(parse_element("[x,y,z]", 2), ContainsSubstring("3 components for a 2-D grid"));
  CHECK_THROWS_WITH(parse_element("[2x,y]", 2), ContainsSubstring("'2x' is not a signed axis"));
  CHECK_THROWS_WITH(parse_element("[x,w]", 2), ContainsSubstring("'w' is not a signed axis"));
  CHECK_THROWS_WITH(parse_element("shift(1)", 2), ContainsSubstring("shift has 1 components"));
  CHECK_THROWS_WITH(parse_element("shift(a,1)", 2), ContainsSubstring("'a' is not an integer"));
  CHECK_THROWS_WITH(parse_element("", 2), ContainsSubstring("empty"));
  CHECK_THROWS_WITH(parse_element("id", 4), ContainsSubstring("1 to 3"));
  CHECK_THROWS_AS(parse_element("shift(1,0)", 2).reduced({0, 0, 0}), Error);
}
