// gavel: evaluate PDE surrogates with and without test-time group averaging.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "gavel: measures how much exact symmetry buys a PDE surrogate. `gavel eval` runs a checkpoint\n"
      "(FNO, TFNO, UNetClassic, UNetConvNext) on a The Well dataset with and without averaging over\n"
      "the symmetry group its grid, boundary conditions and physics admit, one step and in rollout,\n"
      "and writes report.json, metrics.csv, summary.md and report.html. Without arguments it\n"
      "evaluates the bundled models on the bundled Navier-Stokes dataset."};
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
  gavel::app::record_command_line(argc, argv);
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
  } catch (...) {
    std::cerr << "gavel: internal error: an exception of unknown type\n";
    return 2;
  }
  return 0;
}
