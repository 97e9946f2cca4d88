#include "gavel/core/atomic_rename.hpp"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gavel {
namespace fs = std::filesystem;

namespace {

// The flags of renameat2(2); older C libraries do not declare them.
constexpr unsigned kNoReplace = 1u << 0;
constexpr unsigned kExchange = 1u << 1;

int renameat2_call(const fs::path& from, const fs::path& to, unsigned flags) {
#ifdef SYS_renameat2
  return static_cast<int>(::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags));
#else
  (void)from, (void)to, (void)flags;
  errno = ENOSYS;
  return -1;
#endif
}

bool unsupported(int error) {
  return error == EINVAL || error == ENOSYS || error == ENOTSUP;
}

}  // namespace

bool rename_no_replace(const fs::path& from, const fs::path& to, std::error_code& error) {
  error.clear();
  if (renameat2_call(from, to, kNoReplace) == 0) return true;
  int code = errno;
  if (!unsupported(code)) {
    error.assign(code, std::generic_category());
    return false;
  }
  std::error_code ec;
  if (fs::is_regular_file(fs::symlink_status(from, ec))) {
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return true;
    }
    code = errno;
    if (code != EPERM && code != ENOTSUP && code != EXDEV) {
      error.assign(code, std::generic_category());
      return false;
    }
  }
  if (fs::exists(fs::symlink_status(to, ec))) {
    error.assign(EEXIST, std::generic_category());
    return false;
  }
  // rename(2) of a folder onto a folder that is not empty fails (ENOTEMPTY): nothing is lost.
  if (std::rename(from.c_str(), to.c_str()) == 0) return true;
  error.assign(errno, std::generic_category());
  return false;
}

bool exchange_paths(const fs::path& a, const fs::path& b, std::error_code& error) {
  error.clear();
  if (renameat2_call(a, b, kExchange) == 0) return true;
  error.assign(errno, std::generic_category());
  return false;
}

}  // namespace gavel
