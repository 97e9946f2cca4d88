// gavel: evaluate PDE surrogates with and without test-time group averaging.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "gavel: measures how much exact symmetry buys a PDE surrogate. It derives the symmetry group a\n"
      "grid and its boundary conditions admit and applies it to scalar, vector and tensor fields\n"
      "with Kokkos kernels, and reads, windows, transforms and writes The Well's HDF5 files."};
  app.set_version_flag("--version", std::string("gavel ") + gavel::kVersion);
  app.require_subcommand(1);
  // One config file for batch jobs; a section per subcommand ([eval] max-samples=64). Root
  // options fall through so that `gavel eval --config job.ini` works as well.
  app.set_config("--config", "", "read options from an INI/TOML file, one [section] per subcommand");
  app.fallthrough();
  gavel::app::register_group_command(app);
  gavel::app::register_info_command(app);
  gavel::app::register_transform_command(app);
  gavel::app::register_generate_command(app);
  gavel::app::register_eval_command(app);
  gavel::app::register_predict_command(app);
  gavel::app::register_report_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const gavel::Error& e) {
    std::cerr << "gavel: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "gavel: internal error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
