#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gavel/core/admissible_group.hpp"
#include "gavel/core/element_notation.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/group_json.hpp"
#include "gavel/core/point_group_name.hpp"
#include "gavel/datasets/netcdf_source.hpp"
#include "gavel/datasets/physics_profile.hpp"
#include "gavel/datasets/well_dataset.hpp"
#include "gavel/datasets/well_file.hpp"

namespace gavel::app {
namespace {

struct InfoOptions {
  std::string path;
  bool json = false;
  datasets::ProfileChoice profile;
  std::string bc;  ///< NetCDF only: replaces the file's boundary conditions
};

nlohmann::json element_names(const std::vector<GroupElement>& elements) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& g : elements)
    names.push_back(element_name(g));
  return names;
}

/// The `physics_profile` object: the profile, its constraints with reasons and what each rules
/// out, and the group left when the profile is applied to the admissible group.
nlohmann::json describe_profile(const datasets::PhysicsProfile& profile, const Group& admissible) {
  const auto result = datasets::apply_profile(admissible, profile);
  nlohmann::json constraints = nlohmann::json::array();
  for (std::size_t i = 0; i < profile.constraints.size(); ++i)
    constraints.push_back({{"rule", profile.constraints[i].text()},
                           {"reason", profile.constraints[i].reason},
                           {"removes", element_names(result.removed[i])}});
  return {{"name", profile.name},
          {"source", profile.source},
          {"physics", profile.physics},
          {"uncertain", profile.uncertain},
          {"constraints", constraints},
          {"notes", result.notes},
          {"group_order", result.group.order()},
          {"group_type", point_group_type(result.group.elements())},
          {"elements", element_names(result.group.elements())}};
}

nlohmann::json describe(const datasets::WellFileInfo& info, const datasets::ProfileChoice& choice) {
  const auto profile = datasets::select_profile(info.dataset_name, info.ndim(), choice);
  nlohmann::json j;
  j["path"] = info.path;
  j["dataset_name"] = info.dataset_name;
  j["grid_type"] = info.grid_type;
  j["n_trajectories"] = info.n_trajectories;
  j["n_steps"] = info.n_steps;
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : info.simulation_parameters)
    parameters[name] = value;
  j["simulation_parameters"] = parameters;
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : info.fields)
    fields.push_back({{"name", f.name},
                      {"kind", to_string(f.kind())},
                      {"pseudo", f.pseudo},
                      {"shape", f.shape},
                      {"time_varying", f.time_varying},
                      {"sample_varying", f.sample_varying}});
  j["fields"] = fields;
  nlohmann::json bc = nlohmann::json::array();
  for (const auto& faces : info.boundary)
    bc.push_back({to_string(faces[0]), to_string(faces[1])});
  j["grid"] = {
      {"shape", info.spatial_shape}, {"spatial_dims", info.spatial_dims}, {"bc", bc}, {"type", info.grid_type}};
  if (!info.cartesian()) {
    j["group"] = {{"order", 1},
                  {"elements", {"id"}},
                  {"subgroups", nlohmann::json::array()},
                  {"note", "grid_type '" + info.grid_type + "' is not Cartesian: no grid symmetry applies"}};
    j["physics_profile"] = describe_profile(profile, Group::generated_by(info.ndim(), {}));
    return j;
  }
  const Grid grid = info.grid();
  const Group group = admissible_group(grid);
  j["group"] = group_with_subgroups_to_json(group);
  j["physics_profile"] = describe_profile(profile, group);
  j["grid"]["sampling"] = grid_to_json(grid)["sampling"];
  return j;
}

void print_profile(const nlohmann::json& p) {
  const std::string source = p["source"] == "dataset"     ? "from the dataset name"
                             : p["source"] == "--profile" ? "from --profile"
                                                          : "no profile for this dataset name";
  std::cout << "  physics profile: " << p["name"].get<std::string>() << " (" << source << ")"
            << (p["uncertain"].get<bool>() ? ", partly uncertain: see the notes" : "") << "\n";
  for (const auto& c : p["constraints"]) {
    std::cout << "    " << c["rule"].get<std::string>() << ": " << c["reason"].get<std::string>();
    if (!c["removes"].empty()) {
      std::cout << " (rules out";
      for (const auto& e : c["removes"])
        std::cout << " " << e.get<std::string>();
      std::cout << ")";
    }
    std::cout << "\n";
  }
  for (const auto& note : p["notes"])
    std::cout << "    note: " << note.get<std::string>() << "\n";
  std::cout << "  symmetry group with physics: order " << p["group_order"] << " (" << p["group_type"].get<std::string>()
            << "), elements:";
  for (const auto& e : p["elements"])
    std::cout << " " << e.get<std::string>();
  std::cout << "\n";
}

void print_text(const nlohmann::json& j) {
  if (j.contains("splits")) {
    std::cout << j["dataset_folder"].get<std::string>() << "\n  splits:";
    for (const auto& split : j["splits"])
      std::cout << " " << split["name"].get<std::string>() << " (" << split["files"].size() << " files)";
    std::cout << "\n  stats.yaml: " << (j["stats"].is_null() ? std::string("none") : std::string("present"))
              << "\n  first file: ";
  }
  std::cout << j["path"].get<std::string>() << "\n  dataset " << j["dataset_name"].get<std::string>() << ", grid "
            << j["grid_type"].get<std::string>() << ", " << j["n_trajectories"] << " trajectories of " << j["n_steps"]
            << " steps\n  axes:";
  const auto& grid = j["grid"];
  for (std::size_t k = 0; k < grid["shape"].size(); ++k)
    std::cout << " " << grid["spatial_dims"][k].get<std::string>() << "=" << grid["shape"][k] << " ("
              << grid["bc"][k][0].get<std::string>() << "/" << grid["bc"][k][1].get<std::string>() << ")";
  std::cout << "\n  fields:\n";
  for (const auto& f : j["fields"]) {
    std::cout << "    " << std::left << std::setw(24) << f["name"].get<std::string>() << std::setw(8)
              << f["kind"].get<std::string>() << std::setw(8) << (f["pseudo"].get<bool>() ? "pseudo" : "")
              << (f["time_varying"].get<bool>() ? "" : "constant ") << f["shape"].dump() << "\n";
  }
  const auto& group = j["group"];
  std::cout << "  admissible group: order " << group["order"];
  if (group.contains("note")) {
    std::cout << " (" << group["note"].get<std::string>() << ")\n";
    print_profile(j["physics_profile"]);
    return;
  }
  std::cout << " (" << group.value("name", std::string("?")) << "), elements:";
  for (const auto& e : group["elements"])
    std::cout << " " << e.get<std::string>();
  std::cout << "\n  subgroups (" << group["subgroups"].size() << "):";
  for (const auto& s : group["subgroups"])
    std::cout << " " << s["name"].get<std::string>();
  std::cout << "\n";
  print_profile(j["physics_profile"]);
}

/// Splits, files and statistics of a dataset folder, added to the description of its first file.
void describe_folder(const datasets::WellDatasetFolder& dataset, const datasets::WellFileInfo& info,
                     nlohmann::json& j) {
  nlohmann::json splits = nlohmann::json::array();
  for (const auto& split : dataset.splits)
    splits.push_back({{"name", split.name}, {"files", split.files}});
  j["dataset_folder"] = dataset.root;
  j["splits"] = splits;
  if (!dataset.stats) {
    j["stats"] = nullptr;
    return;
  }
  j["stats"] = {{"path", dataset.stats->path()},
                {"keys", dataset.stats->keys()},
                {"mismatches", dataset.stats->mismatches(info)}};
}

void run(const InfoOptions& options) {
  nlohmann::json j;
  const bool netcdf = !std::filesystem::is_directory(options.path) && datasets::looks_like_netcdf(options.path);
  if (!options.bc.empty() && !netcdf)
    throw Error(options.path + ": --bc applies to NetCDF files only (Well files record their boundary conditions)");
  if (netcdf) {
    datasets::NetcdfReadOptions read;
    if (!options.bc.empty()) {
      const int ndim = datasets::NetcdfSource(options.path).info().ndim();
      read.boundary = parse_face_conditions(options.bc, ndim);
    }
    j = describe(datasets::NetcdfSource(options.path, read).info(), options.profile);
  } else if (std::filesystem::is_directory(options.path)) {
    const auto dataset = datasets::open_well_dataset(options.path);
    const auto info = datasets::read_well_file(dataset.first_file());
    j = describe(info, options.profile);
    describe_folder(dataset, info, j);
  } else {
    j = describe(datasets::read_well_file(options.path), options.profile);
  }
  if (options.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(j);
  }
  if (j.contains("stats") && j["stats"].is_object() && !j["stats"]["mismatches"].empty()) {
    std::cout << std::flush;
    std::cerr << "gavel: warning: " << j["stats"]["path"].get<std::string>() << " does not fit the fields:\n";
    for (const auto& problem : j["stats"]["mismatches"])
      std::cerr << "  " << problem.get<std::string>() << "\n";
  }
}

}  // namespace

void register_info_command(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand("info",
                                     "Structure of one The Well HDF5 file or CF NetCDF file: fields, grid, "
                                     "boundary conditions, admissible group");
  cmd->add_option("path", options->path,
                  "A Well-format .hdf5 file, a dataset folder (<name> with data/{train,valid,test} and stats.yaml), "
                  "or a NetCDF file (.nc, .nc4, .cdf, .netcdf or a classic CDF signature)")
      ->required();
  cmd->add_option("--bc", options->bc,
                  "NetCDF only: boundary conditions replacing the file's (periodic, wall, open: one for all faces, "
                  "one per axis in x, y, z order, or one per face)");
  cmd->add_flag("--json", options->json,
                "Print JSON: fields (name, kind, shape, ...), grid (shape, bc), n_trajectories, n_steps, group, "
                "physics_profile (name, constraints [{rule, reason}], group_order, ...)");
  cmd->add_option("--profile", options->profile.profile,
                  "Physics profile to apply instead of the one of the file's dataset name: another dataset name of "
                  "The Well, or none (the grid and its boundary conditions only)");
  cmd->add_option("--constraints", options->profile.constraints,
                  "Physics constraints added to the profile, e.g. no-flip:y,no-swap,no-shift:x (rules: no-flip:AXES, "
                  "no-swap[:AXES], shear:A,B, no-shift[:AXES], no-reflection, trivial); see datasets/PROFILES.md");
  cmd->footer(
      "Boundary conditions are reduced per face as the_well's WellDataset does. A field is pseudo (picks up det R)\n"
      "when its dataset carries the attribute gavel_parity = \"pseudo\"; The Well's format records no parity.\n"
      "The physics profile of the dataset (gravity, driving, non-Cartesian grids: datasets/PROFILES.md) removes\n"
      "the symmetries its physics breaks from the admissible group.\n"
      "NetCDF files are read by the rules of datasets/NETCDF.md (axes x, y, z; components <name>_x, ...).");
  cmd->callback([options]() { run(*options); });
}

}  // namespace gavel::app
