#include "gavel/core/output_temporaries.hpp"

#include <atomic>
#include <cerrno>
#include <string>
#include <system_error>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

namespace gavel {
namespace fs = std::filesystem;

namespace {

std::string prefix_of(const fs::path& destination) {
  return "." + destination.filename().string() + ".gavel-tmp-";
}

/// "PID-N" → PID, or -1 when the rest of the name is not that.
long long pid_of(const std::string& rest) {
  const auto dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == rest.size() || dash > 18) return -1;
  for (std::size_t i = 0; i < rest.size(); ++i)
    if (i != dash && (rest[i] < '0' || rest[i] > '9')) return -1;
  return std::stoll(rest.substr(0, dash));
}

bool running(long long pid) {
  if (pid <= 0 || pid > 0x7fffffff) return false;
  // EPERM: alive, someone else's.
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

}  // namespace

fs::path temporary_sibling(const fs::path& destination) {
  static std::atomic<unsigned> counter{0};
  return destination.parent_path() /
         (prefix_of(destination) + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
}

void remove_stale_temporaries(const fs::path& destination) {
  const std::string prefix = prefix_of(destination);
  std::error_code ec;
  for (auto it = fs::directory_iterator(destination.parent_path(), ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const long long pid = pid_of(name.substr(prefix.size()));
    if (pid < 0 || pid == ::getpid() || running(pid)) continue;
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

}  // namespace gavel
