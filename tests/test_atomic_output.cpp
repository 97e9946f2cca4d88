// AtomicOutput and its parts: the output lock, gavel's folder marker, killed runs' temporaries,
// folders created for an output and removed again on failure.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.hpp"
#include "gavel/core/atomic_output.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/output_lock.hpp"
#include "gavel/core/output_marker.hpp"
#include "temp_folder.hpp"

using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

const gavel::OutputKind kFolder{"test folder", true, "test", {}};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// The pid of a process that has exited (and been reaped): no process runs under it.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

}  // namespace

TEST_CASE("the output lock refuses a second holder with its pid and leaves no file behind", "[output]") {
  gavel::test::TempFolder tmp;
  const fs::path out = tmp.path() / "out";
  {
    const gavel::OutputLock lock(out, "out");
    CHECK(fs::exists(tmp.path() / ".out.gavel-lock"));
    CHECK_THROWS_WITH(gavel::OutputLock(out, "out"),
                      ContainsSubstring("out: another gavel process (pid " + std::to_string(::getpid()) + ")"));
    // The whole AtomicOutput is refused too, before it makes anything.
    CHECK_THROWS_WITH(gavel::AtomicOutput(out.string(), kFolder), ContainsSubstring("another gavel process"));
    CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{".out.gavel-lock"});
  }
  CHECK(tmp.entries() == 0);
  const gavel::OutputLock again(out, "out");  // free again
}

TEST_CASE("a folder output appears whole with gavel's marker, and replaces only a folder gavel wrote", "[output]") {
  gavel::test::TempFolder tmp;
  const fs::path out = tmp.path() / "out";
  {
    gavel::AtomicOutput output(out.string(), kFolder);
    CHECK(fs::is_directory(output.temporary()));
    CHECK_THAT(fs::path(output.temporary()).filename().string(),
               ContainsSubstring(".out.gavel-tmp-" + std::to_string(::getpid()) + "-"));
    write_text(fs::path(output.temporary()) / "a.txt", "first");
    CHECK(!fs::exists(out));
    output.commit();
  }
  const auto marker = gavel::read_output_marker(out);
  REQUIRE(marker.has_value());
  CHECK(marker->kind == "test");
  CHECK(marker->files == std::vector<std::string>{"a.txt"});
  CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"out"});

  // Without overwrite: refused. With it: replaced whole, in one step.
  CHECK_THROWS_WITH(gavel::AtomicOutput(out.string(), kFolder), ContainsSubstring("already exists"));
  {
    gavel::AtomicOutput output(out.string(), kFolder, {true, false, {}});
    fs::create_directories(fs::path(output.temporary()) / "sub");
    write_text(fs::path(output.temporary()) / "sub" / "b.txt", "second");
    output.commit();
  }
  CHECK(gavel::test::sorted_names(out) == std::vector<std::string>{".gavel-output", "sub"});
  CHECK(gavel::read_output_marker(out)->files == std::vector<std::string>{"sub/b.txt"});
  CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"out"});

  // A file of the user's inside: refused when checked, and also when it appears during the run.
  write_text(out / "keep.txt", "mine");
  CHECK_THROWS_WITH(gavel::AtomicOutput(out.string(), kFolder, {true, false, {}}),
                    ContainsSubstring("it holds files gavel did not write (keep.txt)"));
  fs::remove(out / "keep.txt");
  {
    gavel::AtomicOutput output(out.string(), kFolder, {true, false, {}});
    write_text(out / "sub" / "keep.txt", "mine");
    CHECK_THROWS_WITH(output.commit(), ContainsSubstring("it holds files gavel did not write (sub/keep.txt)"));
  }
  CHECK(fs::exists(out / "sub" / "keep.txt"));
  CHECK(gavel::test::sorted_names(tmp.path()) ==
        std::vector<std::string>{"out"});  // the temporary and the lock are gone

  // A marker that names paths outside its folder is no marker.
  const fs::path forged = tmp.path() / "forged";
  fs::create_directories(forged);
  write_text(forged / ".gavel-output", "gavel-output 1\nkind test\nfile ../out/sub/keep.txt\n");
  CHECK(!gavel::read_output_marker(forged).has_value());
  CHECK_THROWS_WITH(gavel::AtomicOutput(forged.string(), kFolder, {true, false, {}}),
                    ContainsSubstring("a folder gavel did not write"));
  CHECK(fs::exists(out / "sub" / "keep.txt"));
}

TEST_CASE("an output removes killed runs' temporaries of the same destination, not live ones", "[output]") {
  gavel::test::TempFolder tmp;
  const fs::path stale = tmp.path() / (".out.gavel-tmp-" + std::to_string(dead_pid()) + "-0");
  const fs::path live = tmp.path() / (".out.gavel-tmp-" + std::to_string(::getppid()) + "-0");
  const fs::path other = tmp.path() / (".other.gavel-tmp-" + std::to_string(dead_pid()) + "-0");
  const fs::path not_ours = tmp.path() / ".out.gavel-tmp-notes";
  for (const auto& folder : {stale, live, other, not_ours}) {
    fs::create_directories(folder);
    write_text(folder / "x", "x");
  }
  {
    gavel::AtomicOutput output((tmp.path() / "out").string(), kFolder);
    output.commit();
  }
  CHECK(!fs::exists(stale));
  CHECK(fs::exists(live / "x"));
  CHECK(fs::exists(other / "x"));
  CHECK(fs::exists(not_ours / "x"));
}

TEST_CASE("an uncommitted output removes its temporary and the folders it created", "[output]") {
  gavel::test::TempFolder tmp;
  const fs::path out = tmp.path() / "a" / "b" / "out";
  {
    gavel::AtomicOutput output(out.string(), kFolder, {false, true, {}});
    CHECK(fs::is_directory(tmp.path() / "a" / "b"));
    write_text(fs::path(output.temporary()) / "half.txt", "half");
  }
  CHECK(tmp.entries() == 0);
  CHECK_THROWS_WITH(gavel::AtomicOutput(out.string(), kFolder), ContainsSubstring("does not exist"));
}

#ifdef GAVEL_TEST_HAS_PROGRAM
TEST_CASE("gavel generate removes a killed run's temporary folder, not a live run's", "[cli][output]") {
  gavel::test::TempFolder tmp;
  const fs::path stale = tmp.path() / (".ds.gavel-tmp-" + std::to_string(dead_pid()) + "-0");
  const fs::path live = tmp.path() / (".ds.gavel-tmp-" + std::to_string(::getpid()) + "-0");
  for (const auto& folder : {stale, live}) {
    fs::create_directories(folder / "data");
    write_text(folder / "data" / "half.hdf5", "half");
  }
  const auto run = gavel::test::run_gavel("generate --out " + (tmp.path() / "ds").string() +
                                          " --size 16 --steps 4 --dt 0.1 --trajectories 2,1,1");
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(!fs::exists(stale));
  CHECK(fs::exists(live / "data" / "half.hdf5"));
  fs::remove_all(live);
  CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"ds"});
}
#endif
