#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "gavel/core/error.hpp"
#include "gavel/core/grid.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("face conditions: one value, one per axis, one per face", "[grid]") {
  auto all = parse_face_conditions("periodic", 2);
  CHECK(all[0][0] == BoundaryCondition::periodic);
  CHECK(all[1][1] == BoundaryCondition::periodic);
  auto per_axis = parse_face_conditions("periodic,wall", 2);
  CHECK(per_axis[0][1] == BoundaryCondition::periodic);
  CHECK(per_axis[1][0] == BoundaryCondition::wall);
  auto per_face = parse_face_conditions("periodic,periodic,WALL,open", 2);
  CHECK(per_face[1][0] == BoundaryCondition::wall);
  CHECK(per_face[1][1] == BoundaryCondition::open);
  CHECK(static_cast<int>(BoundaryCondition::wall) == 0);  // The Well's codes
  CHECK(static_cast<int>(BoundaryCondition::open) == 1);
  CHECK(static_cast<int>(BoundaryCondition::periodic) == 2);
}

TEST_CASE("bad boundary conditions and shapes are refused with a reason", "[grid][errors]") {
  CHECK_THROWS_WITH(parse_face_conditions("periodic,sticky", 2),
                    ContainsSubstring("unknown boundary condition 'sticky'"));
  CHECK_THROWS_WITH(parse_face_conditions("wall,wall,wall", 2), ContainsSubstring("3 values for a 2-D grid"));
  CHECK_THROWS_WITH(parse_shape("128,abc"), ContainsSubstring("'abc' is not a positive integer"));
  CHECK_THROWS_WITH(parse_shape("128,0"), ContainsSubstring("'0' is not a positive integer"));
  CHECK_THROWS_WITH(parse_shape("4,4,4,4"), ContainsSubstring("at most 3"));
  CHECK_THROWS_WITH(parse_shape(""), ContainsSubstring("is not a positive integer"));
  CHECK_THROWS_AS(Grid({8, 8}, parse_face_conditions("periodic,wall,wall,wall", 2),
                       {Sampling::cell_centred, Sampling::cell_centred}),
                  Error);
  CHECK_THROWS_WITH(parse_sampling("edge"), ContainsSubstring("unknown sampling 'edge'"));
}

TEST_CASE("shape parsing and reflection offsets", "[grid]") {
  CHECK(parse_shape("64x64x32") == std::vector<std::int64_t>{64, 64, 32});
  CHECK(parse_shape("128, 256") == std::vector<std::int64_t>{128, 256});
  const Grid cell({10, 10}, BoundaryCondition::periodic, Sampling::cell_centred);
  const Grid node({10, 10}, BoundaryCondition::periodic, Sampling::node_centred);
  const Grid node_wall({10}, BoundaryCondition::wall, Sampling::node_centred);
  CHECK(cell.reflection_offset(0) == 9);       // i -> N-1-i
  CHECK(node.reflection_offset(1) == 0);       // i -> (N-i) mod N
  CHECK(node_wall.reflection_offset(0) == 9);  // both end nodes present
  CHECK(cell.shape_string() == "10x10");
  CHECK(cell.num_points() == 100);
}
