#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_json.hpp"

namespace gavel::app {
namespace {

struct GroupOptions {
  std::string shape = "128,128";
  std::string bc = "periodic";
  std::string sampling = "cell";
  std::int64_t shift_step = 0;
  bool json = false;
};

std::string join(const nlohmann::json& names) {
  std::string text;
  for (const auto& n : names)
    text += (text.empty() ? "" : ", ") + n.get<std::string>();
  return text;
}

void print_text(const Grid& grid, const nlohmann::json& j) {
  std::cout << "grid " << grid.shape_string() << ", boundary conditions:";
  constexpr const char* axes[] = {"x", "y", "z"};
  for (int k = 0; k < grid.ndim(); ++k)
    std::cout << " " << axes[k] << " " << to_string(grid.bc(k, Face::low)) << "/" << to_string(grid.bc(k, Face::high));
  std::cout << "\nadmissible group: " << j.value("name", std::string("?")) << " (" << j.value("type", std::string("?"))
            << "), order " << j["order"] << "\n\nelements:\n";
  std::cout << "  " << std::left << std::setw(24) << "name" << std::setw(28) << "notation" << std::setw(5) << "det"
            << "order\n";
  for (const auto& e : j["element_details"])
    std::cout << "  " << std::setw(24) << e["name"].get<std::string>() << std::setw(28)
              << e["notation"].get<std::string>() << std::setw(5) << e["determinant"].get<int>()
              << e["order"].get<int>() << "\n";
  if (j.contains("subgroups_error")) {
    std::cout << "\nsubgroups: not enumerated: " << j["subgroups_error"].get<std::string>() << "\n";
    return;
  }
  std::cout << "\nsubgroups (" << j["subgroups"].size() << "):\n";
  std::cout << "  " << std::setw(32) << "name" << std::setw(8) << "type" << std::setw(7) << "order"
            << "generators\n";
  for (const auto& s : j["subgroups"])
    std::cout << "  " << std::setw(32) << s["name"].get<std::string>() << std::setw(8) << s["type"].get<std::string>()
              << std::setw(7) << s["order"].get<std::size_t>() << join(s["generators"]) << "\n";
}

void run(const GroupOptions& options) {
  const auto shape = parse_shape(options.shape);
  const int ndim = static_cast<int>(shape.size());
  const auto faces = parse_face_conditions(options.bc, ndim);
  std::vector<Sampling> sampling(static_cast<std::size_t>(ndim), parse_sampling(options.sampling));
  const Grid grid(shape, faces, sampling);
  const Group group = admissible_group(grid, options.shift_step);
  nlohmann::json j = group_with_subgroups_to_json(group);
  j["grid"] = grid_to_json(grid);
  if (options.shift_step > 0) j["shift_step"] = options.shift_step;
  if (options.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(grid, j);
  }
}

}  // namespace

void register_group_command(CLI::App& app) {
  auto options = std::make_shared<GroupOptions>();
  CLI::App* cmd = app.add_subcommand("group", "The admissible symmetry group of a grid: elements and subgroups");
  cmd->add_option("--shape", options->shape, "Grid shape, 1-3 axes in spatial_dims order, e.g. 128,128 or 64x64x64")
      ->capture_default_str();
  cmd->add_option("--bc", options->bc,
                  "Boundary conditions (periodic, wall, open): one for all faces, one per axis, or one per face "
                  "in the order x low, x high, y low, y high, ...")
      ->capture_default_str();
  cmd->add_option("--sampling", options->sampling, "Sample positions: cell (cell-centred) or node (node-centred)")
      ->capture_default_str();
  cmd->add_option("--shifts", options->shift_step,
                  "Also include periodic shifts by multiples of K cells along every periodic axis (K must divide "
                  "the axis length; 0 = no shifts)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", options->json, "Print JSON: order, elements, element_details, subgroups, grid");
  cmd->footer(
      "Elements are written as the image of the point (x,y[,z]): [-y,x] is the 90 degree rotation, [-x,y] the x-flip;\n"
      "names such as id, rot90, rot180, rot270, flip_x, flip_y, transpose, antitranspose (2-D) and rot90_z,\n"
      "transpose_xy, inversion (3-D) are printed where they exist; shifts are written +shift(dx,dy).");
  cmd->callback([options]() { run(*options); });
}

}  // namespace gavel::app
