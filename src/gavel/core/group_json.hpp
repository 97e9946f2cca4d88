#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gavel/core/grid.hpp"
#include "gavel/core/group.hpp"
#include "gavel/core/subgroups.hpp"

namespace gavel {

/// JSON of a grid: {"shape": [...], "bc": [[low, high], ...], "sampling": [...]}.
nlohmann::json grid_to_json(const Grid& grid);

/// JSON of a group with its subgroups (an empty `subgroups` list with `subgroups_error` set
/// when they could not be enumerated): {"order", "name", "type", "elements": [names],
/// "element_details": [{"name", "notation", "determinant", "order"}], "subgroups": [{"name",
/// "type", "order", "elements", "generators"}]}.
nlohmann::json group_to_json(const Group& group, const std::vector<Subgroup>& subgroups,
                             const std::optional<std::string>& subgroups_error = std::nullopt);

/// group_to_json with the subgroups enumerated here; a group too large to enumerate gets an empty
/// list and `subgroups_error` instead of failing.
nlohmann::json group_with_subgroups_to_json(const Group& group);

}  // namespace gavel
