// --overwrite replaces only what gavel wrote: user folders and files, the current, home and root
// folders and the command's inputs are refused with a message, and a user's file placed inside
// and beside the target survives every case.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_support.hpp"
#include "gavel/datasets/well_file_source.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"

using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

const std::string kSmall = " --size 16 --steps 4 --dt 0.1 --trajectories 2,1,1";

std::string fixture() {
  return gavel::test::test_data_dir() + "/well/periodic_2d.hdf5";
}
std::string reference(const std::string& path) {
  return gavel::test::source_root() + "/" + path;
}

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

/// `gavel arguments` run from the folder `cwd`, with HOME set to `home` when given.
gavel::test::CliResult run_in(const fs::path& cwd, const std::string& arguments, const fs::path& home = {}) {
  std::string command = "cd " + quoted(cwd) + " && ";
  if (!home.empty()) command += "HOME=" + quoted(home) + " ";
  command += gavel::test::gavel_executable() + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe))
    output += buffer;
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// The user's own files: one inside `target` (when it is a folder) and one beside it.
struct UserFiles {
  fs::path inside, beside;
  explicit UserFiles(const fs::path& target) {
    beside = target.parent_path() / ("keep-beside-" + target.filename().string() + ".txt");
    write_text(beside, "mine, beside");
    if (fs::is_directory(target)) {
      inside = target / "keep.txt";
      write_text(inside, "mine, inside");
    }
  }
  void check_intact() const {
    CHECK(read_text(beside) == "mine, beside");
    if (!inside.empty()) CHECK(read_text(inside) == "mine, inside");
  }
};

void check_refused(const gavel::test::CliResult& run, const std::string& message) {
  INFO(run.output);
  CHECK(run.status != 0);
  CHECK_THAT(run.output, ContainsSubstring("refusing to replace it") && ContainsSubstring(message));
}

/// No temporaries or lock files left in `folder`.
void check_no_residue(const fs::path& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    INFO(entry.path());
    CHECK(entry.path().filename().string().find(".gavel-") == std::string::npos);
  }
}

}  // namespace

TEST_CASE("overwriting refuses a user's folder where a file is expected", "[cli][overwrite]") {
  gavel::test::TempFolder tmp;
  const fs::path results = tmp.path() / "results";
  fs::create_directories(results);
  const UserFiles mine(results);

  check_refused(run_in(tmp.path(), "transform --element rot90 " + fixture() + " results --overwrite"),
                "results: refusing to replace it: it is a folder, not a Well HDF5 file");
  mine.check_intact();

  const auto predict =
      run_in(tmp.path(), "predict --model " + reference("surrogates/reference/fno") + " --data " +
                             reference("datasets/reference/navier_stokes_2d") + " --out results --overwrite");
  check_refused(predict, "it is a folder, not a Well HDF5 file");
  CHECK_THAT(predict.output, !ContainsSubstring("one-step predictions"));  // refused before any work
  mine.check_intact();

  // A path that walks out and back in is the same folder.
  check_refused(run_in(tmp.path(), "transform -e rot90 " + fixture() + " results/../results --overwrite"),
                "it is a folder");
  mine.check_intact();
  // And generate, which writes folders, refuses a folder it did not write.
  check_refused(run_in(tmp.path(), "generate --out results --overwrite" + kSmall),
                "it is a folder gavel did not write (no .gavel-output marker");
  mine.check_intact();
  check_no_residue(tmp.path());
}

TEST_CASE("overwriting refuses the current folder, its ancestors, the home and the root folder", "[cli][overwrite]") {
  gavel::test::TempFolder tmp;
  const fs::path work = tmp.path() / "work";
  fs::create_directories(work);
  const UserFiles mine(work);

  check_refused(run_in(work, "generate --out . --overwrite" + kSmall), "it is the current folder");
  check_refused(run_in(work, "transform --element rot90 " + fixture() + " . --overwrite"), "it is the current folder");
  check_refused(run_in(work, "transform --element rot90 " + fixture() + " .. --overwrite"),
                "it holds the current folder");
  check_refused(run_in(work, "generate --out ../work/ --overwrite" + kSmall), "it is the current folder");
  check_refused(run_in(work, "transform -e rot90 " + fixture() + " / --overwrite"), "it is the root folder");
  mine.check_intact();
  CHECK(fs::is_directory(work));

  const fs::path home = tmp.path() / "home";
  fs::create_directories(home);
  const UserFiles my_home(home);
  check_refused(run_in(tmp.path(), "transform -e rot90 " + fixture() + " " + quoted(home) + " --overwrite", home),
                "it is the home folder");
  check_refused(run_in(work, "generate --out " + quoted(home) + " --overwrite" + kSmall, home),
                "it is the home folder");
  check_refused(run_in(work, "generate --out " + quoted(tmp.path()) + " --overwrite" + kSmall, home),
                "it holds the current folder");
  my_home.check_intact();
  mine.check_intact();
}

TEST_CASE("overwriting refuses the command's inputs and folders holding them", "[cli][overwrite]") {
  gavel::test::TempFolder tmp;
  const fs::path data = tmp.path() / "data";
  fs::create_directories(data);
  // An input gavel wrote itself: refused because it is the input, not because it is foreign.
  REQUIRE(run_in(tmp.path(), "transform -e rot90 " + fixture() + " data/in.hdf5").status == 0);
  const std::string before = read_text(data / "in.hdf5");
  const UserFiles mine(data);

  check_refused(run_in(tmp.path(), "transform -e flip_x data/in.hdf5 data/in.hdf5 --overwrite"),
                "it is an input of this command ('data/in.hdf5')");
  check_refused(run_in(tmp.path(), "transform -e flip_x data/in.hdf5 data/../data/in.hdf5 --overwrite"),
                "it is an input of this command");
  check_refused(run_in(tmp.path(), "transform -e flip_x data/in.hdf5 data --overwrite"),
                "it holds an input of this command ('data/in.hdf5')");
  // Through a symbolic link to the input's folder.
  fs::create_directory_symlink(data, tmp.path() / "link");
  check_refused(run_in(tmp.path(), "transform -e flip_x link/in.hdf5 data/in.hdf5 --overwrite"),
                "it is an input of this command");
  const std::string model = reference("surrogates/reference/fno");
  check_refused(
      run_in(tmp.path(), "predict --model " + model + " --data " + reference("datasets/reference/navier_stokes_2d") +
                             " --out " + model + " --overwrite"),
      "it is an input of this command");
  CHECK(read_text(data / "in.hdf5") == before);
  mine.check_intact();
}

TEST_CASE("overwriting refuses files and folders gavel did not write, or of another kind", "[cli][overwrite]") {
  gavel::test::TempFolder tmp;
  const fs::path dir = tmp.path();
  // An HDF5 file h5py wrote (the fixture), a text file, a symbolic link: none is gavel's.
  fs::copy_file(fixture(), dir / "theirs.hdf5");
  const std::string theirs = read_text(dir / "theirs.hdf5");
  write_text(dir / "notes.hdf5", "my notes");
  REQUIRE(run_in(dir, "transform -e rot90 " + fixture() + " ours.hdf5").status == 0);
  fs::create_symlink(dir / "ours.hdf5", dir / "link.hdf5");
  const UserFiles mine(dir / "theirs.hdf5");

  check_refused(run_in(dir, "transform -e rot90 " + fixture() + " theirs.hdf5 --overwrite"),
                "it is an HDF5 file gavel did not write (no gavel_kind attribute)");
  check_refused(run_in(dir, "transform -e rot90 " + fixture() + " notes.hdf5 --overwrite"), "not an HDF5 file");
  check_refused(run_in(dir, "transform -e rot90 " + fixture() + " link.hdf5 --overwrite"), "a symbolic link");
  CHECK(read_text(dir / "theirs.hdf5") == theirs);
  CHECK(read_text(dir / "notes.hdf5") == "my notes");
  CHECK(fs::is_symlink(dir / "link.hdf5"));

  // A dataset folder gavel generated is not a file, and a Well file not a dataset folder.
  REQUIRE(run_in(dir, "generate --out ds" + kSmall).status == 0);
  check_refused(run_in(dir, "transform -e rot90 " + fixture() + " ds --overwrite"), "it is a folder, not a Well");
  check_refused(run_in(dir, "generate --out ours.hdf5 --overwrite" + kSmall), "it is a file, not a dataset folder");
  check_refused(run_in(dir, "eval -q --model " + reference("surrogates/reference/fno") + " --out ds"),
                "it holds gavel's dataset output, not a report folder");
  // A gavel folder the user has put a file into is not replaced either.
  const UserFiles in_dataset(dir / "ds");
  check_refused(run_in(dir, "generate --out ds --overwrite" + kSmall), "it holds files gavel did not write (keep.txt)");
  in_dataset.check_intact();
  mine.check_intact();
  check_no_residue(dir);
}

TEST_CASE("overwriting replaces a file or folder gavel wrote, in one step", "[cli][overwrite]") {
  gavel::test::TempFolder tmp;
  const fs::path dir = tmp.path();
  const UserFiles mine(dir / "ds");

  REQUIRE(run_in(dir, "generate --out ds --seed 3" + kSmall).status == 0);
  CHECK(fs::is_regular_file(dir / "ds" / ".gavel-output"));
  const std::string stats = read_text(dir / "ds" / "stats.yaml");
  const auto replaced = run_in(dir, "generate --out ds --overwrite --seed 4" + kSmall);
  INFO(replaced.output);
  REQUIRE(replaced.status == 0);
  CHECK(read_text(dir / "ds" / "stats.yaml") != stats);
  CHECK(fs::is_regular_file(dir / "ds" / "data" / "train" / "navier_stokes_2d_train.hdf5"));

  REQUIRE(run_in(dir, "transform -e rot90 " + fixture() + " out.hdf5").status == 0);
  const std::string rotated = read_text(dir / "out.hdf5");
  REQUIRE(run_in(dir, "transform -e flip_x " + fixture() + " out.hdf5 --overwrite").status == 0);
  CHECK(read_text(dir / "out.hdf5") != rotated);
  CHECK(gavel::datasets::WellFileSource((dir / "out.hdf5").string()).info().fields.size() == 5);

  const std::string predict = "predict --model " + reference("surrogates/reference/fno") + " --data " +
                              reference("datasets/reference/navier_stokes_2d") + " --max-windows 2 --out p.nc";
  REQUIRE(run_in(dir, predict).status == 0);
  const auto again = run_in(dir, predict + " --overwrite");
  INFO(again.output);
  CHECK(again.status == 0);
  // A gavel Well file is not a NetCDF file.
  REQUIRE(run_in(dir, "transform -e rot90 " + fixture() + " well.nc").status == 0);
  check_refused(run_in(dir, predict.substr(0, predict.size() - 4) + "well.nc --overwrite"), "not a NetCDF file");
  mine.check_intact();
  check_no_residue(dir);
}
