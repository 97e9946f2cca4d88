#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/subgroups.hpp"

using namespace gavel;
using Catch::Matchers::ContainsSubstring;

namespace {

void check_subgroups_are_groups(const Group& group, const std::vector<Subgroup>& subgroups) {
  std::set<std::vector<std::size_t>> distinct;
  std::set<std::string> names;
  for (const auto& s : subgroups) {
    CHECK(group.closure(s.elements) == s.elements);  // closed
    CHECK(group.closure(s.generators) == s.elements);
    CHECK(group.order() % s.order() == 0);  // Lagrange
    distinct.insert(s.elements);
    names.insert(s.name);
  }
  CHECK(distinct.size() == subgroups.size());
  CHECK(names.size() == subgroups.size());  // names are unique
}

std::map<std::string, int> count_types(const std::vector<Subgroup>& subgroups) {
  std::map<std::string, int> counts;
  for (const auto& s : subgroups)
    ++counts[s.type];
  return counts;
}

}  // namespace

TEST_CASE("D4 has 10 subgroups with their standard names", "[subgroups]") {
  const Group d4 = admissible_group(Grid({128, 128}));
  const auto subgroups = enumerate_subgroups(d4);
  REQUIRE(subgroups.size() == 10);
  check_subgroups_are_groups(d4, subgroups);
  std::set<std::string> names;
  for (const auto& s : subgroups)
    names.insert(s.name);
  CHECK(names == std::set<std::string>{"trivial", "flip_x", "flip_y", "rot180", "transpose", "antitranspose", "C4",
                                       "D2", "D2_diag", "D4"});
  CHECK(subgroups.back().name == "D4");
  const auto c4 = find_subgroup(d4, subgroups, "C4");
  CHECK(c4.order() == 4);
  CHECK(find_subgroup(d4, subgroups, "<rot90>").name == "C4");
  CHECK(find_subgroup(d4, subgroups, "<flip_x,[x,-y]>").name == "D2");
  CHECK_THROWS_WITH(find_subgroup(d4, subgroups, "C6"), ContainsSubstring("'C6' is not a subgroup"));
  CHECK_THROWS_WITH(find_subgroup(d4, subgroups, "<rot45>"), ContainsSubstring("unknown name 'rot45'"));
}

TEST_CASE("O_h has 98 subgroups in the known conjugacy pattern", "[subgroups]") {
  const Group oh = admissible_group(Grid({64, 64, 64}));
  const auto subgroups = enumerate_subgroups(oh);
  REQUIRE(subgroups.size() == 98);
  check_subgroups_are_groups(oh, subgroups);
  const auto types = count_types(subgroups);
  // Subgroup counts of O_h by Schoenflies type (each class counted with all its conjugates).
  const std::map<std::string, int> expected = {
      {"C1", 1},   {"Ci", 1}, {"C2", 9},  {"Cs", 9},  {"C3", 4},  {"S6", 4},  {"C4", 3},  {"S4", 3},  {"C2h", 9},
      {"C2v", 12}, {"D2", 4}, {"D3", 4},  {"C3v", 4}, {"D3d", 4}, {"C4h", 3}, {"C4v", 3}, {"D2d", 6}, {"D2h", 4},
      {"D4", 3},   {"T", 1},  {"D4h", 3}, {"Th", 1},  {"O", 1},   {"Td", 1},  {"Oh", 1}};
  CHECK(types == expected);
  CHECK(subgroups.back().name == "Oh");
  CHECK(find_subgroup(oh, subgroups, "O").order() == 24);
  CHECK(find_subgroup(oh, subgroups, "Td").order() == 24);
}

TEST_CASE("rectangular and mixed grids", "[subgroups]") {
  const Group flips = admissible_group(Grid({256, 512}));
  const auto subgroups = enumerate_subgroups(flips);
  CHECK(subgroups.size() == 5);  // trivial, flip_x, flip_y, rot180, D2
  CHECK(subgroups.back().name == "D2");
  const Group shifted = admissible_group(Grid({8, 8}), 4);
  const auto with_shifts = enumerate_subgroups(shifted);
  check_subgroups_are_groups(shifted, with_shifts);
  CHECK(with_shifts.back().order() == 32);
  CHECK_THROWS_WITH(enumerate_subgroups(shifted, 16), ContainsSubstring("limited to 16"));
}

TEST_CASE("small generating sets of whole groups: D4 and O_h by two elements, the trivial group by none",
          "[subgroups][generators]") {
  for (const int ndim : {1, 2, 3}) {
    const Group group = Group::generated_by(ndim, hyperoctahedral_group(ndim));
    std::vector<std::size_t> all(group.order());
    for (std::size_t i = 0; i < all.size(); ++i)
      all[i] = i;
    const auto generators = small_generating_set(group, all);
    INFO("ndim " << ndim << ", order " << group.order());
    CHECK(group.closure(generators) == all);
    CHECK(std::find(generators.begin(), generators.end(), group.identity_index()) == generators.end());
    // Z2 needs one generator; D4 and O_h ≅ S4 × Z2 are 2-generated (and not cyclic).
    CHECK(generators.size() == (ndim == 1 ? 1u : 2u));
  }
  const Group trivial = Group::generated_by(2, {});
  CHECK(small_generating_set(trivial, {0}).empty());
}
