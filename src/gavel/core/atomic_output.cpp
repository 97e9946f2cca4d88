#include "gavel/core/atomic_output.hpp"

#include <atomic>
#include <filesystem>
#include <system_error>

#include <unistd.h>

#include "gavel/core/error.hpp"

namespace gavel {
namespace fs = std::filesystem;

namespace {
std::string temporary_sibling(const fs::path& destination) {
  static std::atomic<unsigned> counter{0};
  const fs::path name = "." + destination.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter.fetch_add(1));
  return (destination.parent_path() / name).string();
}
}  // namespace

AtomicOutput::AtomicOutput(std::string destination, bool overwrite)
    : destination_(std::move(destination)), overwrite_(overwrite) {
  const fs::path path(destination_);
  if (path.filename().empty()) throw Error(destination_ + ": not a file or folder name");
  std::error_code ec;
  if (fs::exists(path, ec) && !overwrite_)
    throw Error(destination_ + ": already exists (refusing to overwrite; choose another path or allow overwriting)");
  const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(parent, ec)) throw Error(destination_ + ": folder '" + parent.string() + "' does not exist");
  temporary_ = temporary_sibling(path);
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temporary_, ec);
}

void AtomicOutput::commit() {
  std::error_code ec;
  if (overwrite_ && fs::exists(destination_, ec)) fs::remove_all(destination_, ec);
  fs::rename(temporary_, destination_, ec);
  if (ec) throw Error(destination_ + ": cannot move the finished output into place: " + ec.message());
  committed_ = true;
}

}  // namespace gavel
