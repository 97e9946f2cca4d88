// A report folder appears whole or not at all: gavel eval killed at random moments (the final
// writes included) leaves either no report or a complete one, two runs into the same --out never
// mix, a failed run leaves no folders behind, and a re-run cleans up after a killed one.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_support.hpp"
#include "gavel/core/output_lock.hpp"
#include "gavel/eval/report_files.hpp"
#include "gavel/report/metrics_csv.hpp"
#include "gavel/report/report_html.hpp"
#include "gavel/report/summary_markdown.hpp"
#include "temp_folder.hpp"
#include "test_paths.hpp"

using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

const std::string kFno = gavel::test::source_root() + "/surrogates/reference/fno";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A small gavel eval into `out` with `seed` (well under a second on two cores: one window, a
/// one-step rollout).
std::vector<std::string> eval_arguments(const fs::path& out, int seed) {
  return {"eval",
          "-q",
          "--model",
          kFno,
          "--max-samples",
          "1",
          "--rollout",
          "1",
          "--windows",
          "0:1",
          "--bootstrap",
          "100",
          "--defect-samples",
          "1",
          "--figure-samples",
          "1",
          "--seed",
          std::to_string(seed),
          "--out",
          out.string()};
}

/// gavel started in the background, its stdout and stderr going to `log`.
pid_t start_gavel(const std::vector<std::string>& arguments, const fs::path& log) {
  const std::string program = gavel::test::gavel_executable();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : arguments)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // One thread: runs take the same time on a loaded machine (spinning OpenMP threads do not).
    ::setenv("OMP_NUM_THREADS", "1", 1);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  REQUIRE(pid > 0);
  return pid;
}

/// The exit status, or -1 when a signal ended it.
int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// `out` is absent (-1) or one whole report, every file rendered from the same report.json: its
/// seed.
long long whole_report_seed(const fs::path& out) {
  if (!fs::exists(out)) return -1;
  for (const char* name : {"report.json", "metrics.csv", "summary.md", "report.html", ".gavel-output"}) {
    INFO(name);
    REQUIRE(fs::is_regular_file(out / name));
  }
  const auto report = gavel::eval::read_report(out / "report.json");
  CHECK(report["status"] == "complete");
  CHECK(read_text(out / "metrics.csv") == gavel::report::metrics_csv(report));
  CHECK(read_text(out / "summary.md") == gavel::report::summary_markdown(report));
  CHECK(read_text(out / "report.html") == gavel::report::report_html(report));
  return report["manifest"]["seed"].get<long long>();
}

/// True once the run writing `out` has begun its final writes: report.json in its temporary folder.
bool writing_report(const fs::path& out) {
  const std::string temporary = "." + out.filename().string() + ".gavel-tmp-";
  std::error_code ec;
  for (auto it = fs::directory_iterator(out.parent_path(), ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().filename().string().rfind(temporary, 0) == 0 && fs::exists(it->path() / "report.json", ec))
      return true;
  return false;
}

/// SIGKILL `pid` `extra` after its final writes begin (or whenever, if it ends first); its exit
/// status, -1 when killed.
int kill_while_writing(pid_t pid, const fs::path& out, std::chrono::microseconds extra) {
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (writing_report(out)) {
      std::this_thread::sleep_for(extra);
      ::kill(pid, SIGKILL);
      return wait_for(pid);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("gavel eval killed at any moment leaves no report or a whole one, and a re-run cleans up",
          "[cli][eval][kill]") {
  gavel::test::TempFolder tmp;
  const fs::path out = tmp.path() / "out";
  const fs::path log = tmp.path() / "log.txt";
  // One run timed, once the files are in the page cache.
  REQUIRE(wait_for(start_gavel(eval_arguments(out, 99), log)) == 0);
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(wait_for(start_gavel(eval_arguments(out, 100), log)) == 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  long long last = whole_report_seed(out);
  REQUIRE(last == 100);
  fs::remove(log);

  constexpr int kKills = 24;
  int reruns = 0, during_writes = 0;
  for (int i = 0; i < kKills; ++i) {
    // Half the kills spread over the whole run, half during the final writes: 0 to 1.1 ms after
    // report.json appears in the temporary folder (the four files and the rename take about that).
    const int seed = i + 1;
    const pid_t pid = start_gavel(eval_arguments(out, seed), log);
    int status = 0;
    const double delay = seconds * (i + 1.0) / kKills;
    if (i % 2 == 0) {
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      ::kill(pid, SIGKILL);
      status = wait_for(pid);
    } else {
      status = kill_while_writing(pid, out, std::chrono::microseconds(100 * (i / 2)));
      if (status == -1) ++during_writes;
    }
    const bool finished = status == 0;
    INFO("kill " << i << (i % 2 == 0 ? " after " + std::to_string(delay) + " s" : " during the final writes")
                 << (finished ? " (it had finished)" : ""));
    const long long seen = whole_report_seed(out);
    CHECK(seen != -1);  // the previous report stays until the new one replaces it
    CHECK((seen == last || seen == seed));
    if (finished) CHECK(seen == seed);
    last = seen;
    if (i % 4 == 3) {
      // A re-run succeeds and leaves nothing but the report behind.
      ++reruns;
      REQUIRE(wait_for(start_gavel(eval_arguments(out, 1000 + i), log)) == 0);
      last = whole_report_seed(out);
      CHECK(last == 1000 + i);
      fs::remove(log);
      CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"out"});
    }
  }
  CHECK(reruns == kKills / 4);
  CHECK(during_writes > 0);

  // Killed before its first report is in place: no report at all, and a re-run writes one.
  const fs::path fresh = tmp.path() / "fresh";
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = start_gavel(eval_arguments(fresh, 7), log);
    std::this_thread::sleep_for(std::chrono::duration<double>((0.1 + 0.2 * i) * seconds));
    ::kill(pid, SIGKILL);
    if (wait_for(pid) == -1) CHECK((whole_report_seed(fresh) == -1 || whole_report_seed(fresh) == 7));
    fs::remove_all(fresh);  // each attempt starts without a report
  }
  REQUIRE(wait_for(start_gavel(eval_arguments(fresh, 7), log)) == 0);
  CHECK(whole_report_seed(fresh) == 7);
  fs::remove(log);
  CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"fresh", "out"});
}

TEST_CASE("two gavel evals into the same --out: the second is refused by the lock, nothing mixes",
          "[cli][eval][lock]") {
  gavel::test::TempFolder tmp;
  for (int round = 0; round < 3; ++round) {
    const fs::path out = tmp.path() / ("out" + std::to_string(round));
    const fs::path log_a = tmp.path() / "a.txt", log_b = tmp.path() / "b.txt";
    const pid_t a = start_gavel(eval_arguments(out, 11), log_a);
    const pid_t b = start_gavel(eval_arguments(out, 22), log_b);
    const int status_a = wait_for(a), status_b = wait_for(b);
    const std::string text_a = read_text(log_a), text_b = read_text(log_b);
    INFO("a: " << status_a << " " << text_a << "\nb: " << status_b << " " << text_b);
    CHECK((status_a == 0 || status_b == 0));
    if (status_a != 0)
      CHECK_THAT(text_a, ContainsSubstring(out.string() + ": another gavel process (pid " + std::to_string(b) + ")"));
    if (status_b != 0)
      CHECK_THAT(text_b, ContainsSubstring(out.string() + ": another gavel process (pid " + std::to_string(a) + ")"));
    const long long seed = whole_report_seed(out);
    CHECK(((seed == 11 && status_a == 0) || (seed == 22 && status_b == 0)));
    fs::remove(log_a);
    fs::remove(log_b);
  }
  CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"out0", "out1", "out2"});

  // Held by this process: refused at once, naming the folder and this pid, and nothing written.
  const fs::path out = tmp.path() / "held";
  {
    const gavel::OutputLock lock(out, out.string());
    const auto run = gavel::test::run_gavel("eval -q --model " + kFno + " --out " + out.string());
    INFO(run.output);
    CHECK(run.status == 1);
    CHECK_THAT(run.output,
               ContainsSubstring(out.string() + ": another gavel process (pid " + std::to_string(::getpid()) + ")"));
    CHECK(!fs::exists(out));
  }
}

TEST_CASE("a failed gavel eval removes the folders it created; a user's folder is refused before any work",
          "[cli][eval][errors]") {
  gavel::test::TempFolder tmp;
  const auto nested = gavel::test::run_gavel("eval -q --model " + kFno + " --split nope --out " +
                                             (tmp.path() / "new" / "deeper" / "r").string());
  INFO(nested.output);
  CHECK(nested.status == 1);
  CHECK_THAT(nested.output, ContainsSubstring("no split 'nope'"));
  // Both bundled models: --out is the parent of their report folders.
  const auto both = gavel::test::run_gavel("eval -q --split nope --out " + (tmp.path() / "parent").string());
  CHECK(both.status == 1);
  CHECK(tmp.entries() == 0);

  const fs::path mine = tmp.path() / "mine";
  fs::create_directories(mine);
  std::ofstream(mine / "keep.txt") << "mine";
  const auto refused = gavel::test::run_gavel("eval --model " + kFno + " --out " + mine.string());
  INFO(refused.output);
  CHECK(refused.status == 1);
  CHECK_THAT(refused.output, ContainsSubstring(mine.string() + ": refusing to replace it: it is a folder gavel did "
                                                               "not write"));
  CHECK_THAT(refused.output, !ContainsSubstring("gavel eval: "));  // no progress: refused before any work
  CHECK(gavel::test::sorted_names(mine) == std::vector<std::string>{"keep.txt"});
  CHECK(gavel::test::sorted_names(tmp.path()) == std::vector<std::string>{"mine"});
}
