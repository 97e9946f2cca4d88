#include "gavel/core/subgroups.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/point_group_name.hpp"

namespace gavel {
namespace {

/// Generating sets are searched exhaustively up to this subgroup order, greedily above it.
constexpr std::size_t kExhaustiveGeneratorSearch = 64;

bool generates(const Group& group, const std::vector<std::size_t>& generators, std::size_t target_order) {
  return group.closure(generators).size() == target_order;
}

std::string generator_list(const Group& group, const std::vector<std::size_t>& generators) {
  std::string text;
  for (std::size_t g : generators)
    text += (text.empty() ? "" : ",") + element_name(group.element(g));
  return text;
}

std::string structural_type(const Group& group, const Subgroup& subgroup) {
  std::vector<GroupElement> elements;
  for (std::size_t i : subgroup.elements) {
    if (group.element(i).has_shift()) return "shifts";
    elements.push_back(group.element(i));
  }
  return point_group_type(elements);
}

/// Fills `type` and `name` of every subgroup so that names are unique within the parent.
void name_subgroups(const Group& group, std::vector<Subgroup>& subgroups) {
  std::map<std::string, int> type_count;
  for (auto& s : subgroups) {
    s.type = structural_type(group, s);
    ++type_count[s.type];
  }
  for (auto& s : subgroups) {
    if (s.order() == 1) {
      s.name = "trivial";
    } else if (s.order() == 2) {
      s.name = element_name(group.element(s.elements[1]));
    } else if (s.type == "shifts") {
      s.name = "<" + generator_list(group, s.generators) + ">";
    } else if (group.ndim() == 2 && s.type == "D2") {
      // In 2-D the two D2 subgroups are told apart by their reflections: axis flips or diagonals.
      const bool diagonal = std::any_of(s.elements.begin(), s.elements.end(), [&](std::size_t i) {
        const auto& g = group.element(i);
        return g.determinant() < 0 && g.source_axis(0) != 0;
      });
      s.name = diagonal ? "D2_diag" : "D2";
    } else if (type_count[s.type] == 1) {
      s.name = s.type;
    } else {
      s.name = s.type + "(" + generator_list(group, s.generators) + ")";
    }
  }
}

}  // namespace

std::vector<std::size_t> small_generating_set(const Group& group, const std::vector<std::size_t>& elements) {
  const std::size_t n = elements.size();
  if (n == 1) return {};
  std::vector<std::size_t> candidates(elements.begin() + 1, elements.end());  // skip the identity
  if (n <= kExhaustiveGeneratorSearch) {
    for (std::size_t a : candidates)
      if (generates(group, {a}, n)) return {a};
    for (std::size_t i = 0; i < candidates.size(); ++i)
      for (std::size_t j = i + 1; j < candidates.size(); ++j)
        if (generates(group, {candidates[i], candidates[j]}, n)) return {candidates[i], candidates[j]};
    for (std::size_t i = 0; i < candidates.size(); ++i)
      for (std::size_t j = i + 1; j < candidates.size(); ++j)
        for (std::size_t k = j + 1; k < candidates.size(); ++k)
          if (generates(group, {candidates[i], candidates[j], candidates[k]}, n))
            return {candidates[i], candidates[j], candidates[k]};
  }
  std::vector<std::size_t> generators;
  std::vector<std::size_t> span{group.identity_index()};
  for (std::size_t e : candidates) {
    if (std::binary_search(span.begin(), span.end(), e)) continue;
    generators.push_back(e);
    span = group.closure(generators);
    if (span.size() == n) break;
  }
  return generators;
}

std::vector<Subgroup> enumerate_subgroups(const Group& group, std::size_t max_order, std::size_t max_count) {
  if (group.order() > max_order)
    throw Error("subgroups: the group has " + std::to_string(group.order()) + " elements; enumeration is limited to " +
                std::to_string(max_order) + " (choose a larger shift step)");
  std::map<std::vector<std::size_t>, std::vector<std::size_t>> found;  // elements -> generators
  found.emplace(std::vector<std::size_t>{group.identity_index()}, std::vector<std::size_t>{});
  // Every subgroup is a join of cyclic subgroups: start from those, join until nothing is new.
  std::vector<std::size_t> cyclic_generators;
  std::set<std::vector<std::size_t>> cyclic_seen;
  for (std::size_t g = 1; g < group.order(); ++g) {
    auto span = group.closure({g});
    if (cyclic_seen.insert(span).second) {
      cyclic_generators.push_back(g);
      found.emplace(span, std::vector<std::size_t>{g});
    }
  }
  std::vector<std::vector<std::size_t>> queue;
  for (const auto& entry : found)
    queue.push_back(entry.first);
  while (!queue.empty()) {
    const std::vector<std::size_t> current = queue.back();
    queue.pop_back();
    const std::vector<std::size_t> current_generators = found.at(current);
    for (std::size_t g : cyclic_generators) {
      if (std::binary_search(current.begin(), current.end(), g)) continue;
      auto generators = current_generators;
      generators.push_back(g);
      auto span = group.closure(generators);
      if (found.emplace(span, generators).second) {
        if (found.size() > max_count)
          throw Error("subgroups: more than " + std::to_string(max_count) + " subgroups; enumeration stopped");
        queue.push_back(std::move(span));
      }
    }
  }
  std::vector<Subgroup> subgroups;
  for (const auto& entry : found) {
    Subgroup s;
    s.elements = entry.first;
    s.generators = small_generating_set(group, s.elements);
    subgroups.push_back(std::move(s));
  }
  std::stable_sort(subgroups.begin(), subgroups.end(),
                   [](const Subgroup& a, const Subgroup& b) { return a.order() < b.order(); });
  name_subgroups(group, subgroups);
  return subgroups;
}

Subgroup subgroup_generated_by(const Group& group, const std::vector<std::string>& generator_names) {
  Subgroup s;
  for (const auto& name : generator_names) {
    const GroupElement g = parse_element(name, group.ndim());
    const auto index = group.find(g);
    if (!index) throw Error("subgroup: element '" + name + "' is not in the group");
    s.generators.push_back(*index);
  }
  s.elements = group.closure(s.generators);
  s.generators = small_generating_set(group, s.elements);
  std::vector<Subgroup> one{s};
  name_subgroups(group, one);
  if (one[0].type != "shifts" && one[0].order() > 2)
    one[0].name = one[0].type + "(" + generator_list(group, one[0].generators) + ")";
  return one[0];
}

Subgroup find_subgroup(const Group& group, const std::vector<Subgroup>& subgroups, const std::string& spec) {
  if (!spec.empty() && spec.front() == '<') {
    if (spec.back() != '>') throw Error("subgroup '" + spec + "': a generator list is written <g1,g2,...>");
    std::vector<std::string> names;
    std::string current;
    int depth = 0;  // commas inside [..] or (..) belong to one element
    for (char c : spec.substr(1, spec.size() - 2)) {
      if (c == '[' || c == '(') ++depth;
      if (c == ']' || c == ')') --depth;
      if (c == ',' && depth == 0) {
        names.push_back(current);
        current.clear();
      } else {
        current.push_back(c);
      }
    }
    if (!current.empty()) names.push_back(current);
    Subgroup built = subgroup_generated_by(group, names);
    for (const auto& s : subgroups)
      if (s.elements == built.elements) return s;
    return built;
  }
  for (const auto& s : subgroups)
    if (s.name == spec) return s;
  std::string known;
  for (const auto& s : subgroups)
    known += (known.empty() ? "" : ", ") + s.name;
  throw Error("subgroup '" + spec + "' is not a subgroup of this group (known: " + known +
              "; or give generators as <g1,g2,...>)");
}

}  // namespace gavel
