#include "gavel/core/output_lock.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gavel/core/error.hpp"

namespace gavel {
namespace fs = std::filesystem;

namespace {

/// The holder's pid from the lock file; it writes it just after taking the lock, so an empty file
/// is read again for a moment.
std::string holder_of(int fd) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    char text[32] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    std::string pid = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
      pid.pop_back();
    if (!pid.empty()) return pid;
    ::usleep(5000);
  }
  return "unknown";
}

}  // namespace

fs::path OutputLock::lock_file(const fs::path& destination) {
  return destination.parent_path() / ("." + destination.filename().string() + ".gavel-lock");
}

OutputLock::OutputLock(const fs::path& destination, const std::string& shown) : path_(lock_file(destination)) {
  // The previous holder unlinks the file when it is done: a lock taken on a file that is no
  // longer at the path protects nothing, so check and try again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      throw Error(shown + ": cannot create the lock file '" + path_.string() + "': " + std::strerror(errno) +
                  " (the output folder cannot be created or written)");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      const std::string holder = holder_of(fd);
      ::close(fd);
      if (error == EWOULDBLOCK)
        throw Error(shown + ": another gavel process (pid " + holder +
                    ") is writing this output; wait until it has finished, or choose another path (lock file '" +
                    path_.string() + "')");
      throw Error(shown + ": cannot lock '" + path_.string() + "': " + std::strerror(error));
    }
    struct stat held {};
    struct stat named {};
    if (::fstat(fd, &held) == 0 && ::stat(path_.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
        held.st_ino == named.st_ino) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The pid is only for the message another process prints; the lock holds without it.
      }
      fd_ = fd;
      return;
    }
    ::close(fd);
  }
  throw Error(shown + ": cannot lock '" + path_.string() + "': it keeps being replaced");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  // Unlink while still holding the lock: a process waiting on the old file sees it is gone.
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace gavel
