#include "gavel/core/group_json.hpp"

#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"

namespace gavel {
namespace {

nlohmann::json element_names(const Group& group, const std::vector<std::size_t>& indices) {
  nlohmann::json names = nlohmann::json::array();
  for (std::size_t i : indices)
    names.push_back(element_name(group.element(i)));
  return names;
}

}  // namespace

nlohmann::json grid_to_json(const Grid& grid) {
  nlohmann::json bc = nlohmann::json::array();
  nlohmann::json sampling = nlohmann::json::array();
  for (int k = 0; k < grid.ndim(); ++k) {
    bc.push_back({to_string(grid.bc(k, Face::low)), to_string(grid.bc(k, Face::high))});
    sampling.push_back(to_string(grid.sampling(k)));
  }
  return {{"shape", grid.shape()}, {"bc", bc}, {"sampling", sampling}};
}

nlohmann::json group_to_json(const Group& group, const std::vector<Subgroup>& subgroups,
                             const std::optional<std::string>& subgroups_error) {
  nlohmann::json j;
  j["order"] = group.order();
  std::vector<std::size_t> all(group.order());
  for (std::size_t i = 0; i < all.size(); ++i)
    all[i] = i;
  j["elements"] = element_names(group, all);
  nlohmann::json details = nlohmann::json::array();
  for (const auto& g : group.elements())
    details.push_back({{"name", element_name(g)},
                       {"notation", notation(g)},
                       {"determinant", g.determinant()},
                       {"order", order(g, group.periods())}});
  j["element_details"] = details;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : subgroups) {
    list.push_back({{"name", s.name},
                    {"type", s.type},
                    {"order", s.order()},
                    {"elements", element_names(group, s.elements)},
                    {"generators", element_names(group, s.generators)}});
    if (s.order() == group.order()) {
      j["name"] = s.name;
      j["type"] = s.type;
    }
  }
  j["subgroups"] = list;
  if (subgroups_error) j["subgroups_error"] = *subgroups_error;
  return j;
}

nlohmann::json group_with_subgroups_to_json(const Group& group) {
  std::vector<Subgroup> subgroups;
  std::optional<std::string> subgroups_error;
  try {
    subgroups = enumerate_subgroups(group);
  } catch (const Error& e) {
    subgroups_error = e.what();
  }
  return group_to_json(group, subgroups, subgroups_error);
}

}  // namespace gavel
