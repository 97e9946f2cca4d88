#pragma once

#include <filesystem>
#include <string>

namespace gavel {

/// An exclusive lock on an output path, so that two gavel processes never write the same output:
/// flock(2) on the file `.NAME.gavel-lock` beside it, which holds the owner's pid. The kernel drops
/// the lock when the process dies (even by SIGKILL); a lock file left behind then is harmless and
/// reused by the next run, which removes it.
class OutputLock {
 public:
  /// Takes the lock or throws gavel::Error naming `shown` (the path as the user gave it) and the
  /// pid of the process that holds it; never waits.
  OutputLock(const std::filesystem::path& destination, const std::string& shown);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

  /// `.NAME.gavel-lock` in the destination's folder.
  static std::filesystem::path lock_file(const std::filesystem::path& destination);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace gavel
