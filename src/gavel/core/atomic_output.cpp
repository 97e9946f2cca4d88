#include "gavel/core/atomic_output.hpp"

#include <cerrno>
#include <iostream>
#include <system_error>

#include <unistd.h>

#include "gavel/core/atomic_rename.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/output_marker.hpp"
#include "gavel/core/output_temporaries.hpp"
#include "gavel/core/replaceable_output.hpp"

namespace gavel {
namespace fs = std::filesystem;

namespace {

/// The destination as an absolute path whose folder is resolved (`.` and `..` resolve whole, so
/// that they are recognised as the current folder or an ancestor and refused).
fs::path resolve(const std::string& given) {
  fs::path path = fs::absolute(given).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  const fs::path raw = fs::path(given).filename();
  if (raw == "." || raw == "..") return fs::weakly_canonical(path);
  return fs::weakly_canonical(path.parent_path()) / path.filename();
}

std::string already_exists(const std::string& shown) {
  return shown + ": already exists (refusing to overwrite; choose another path or allow overwriting)";
}

}  // namespace

AtomicOutput::AtomicOutput(std::string destination, OutputKind kind, AtomicOutputOptions options)
    : shown_(std::move(destination)), kind_(std::move(kind)), options_(std::move(options)) {
  if (shown_.empty()) throw Error("output: empty path");
  std::error_code ec;
  destination_ = resolve(shown_);
  if (destination_.filename().empty() || destination_ == destination_.root_path())
    check_replaceable(destination_, shown_, kind_, options_.inputs);  // refuses the root folder
  const fs::path parent = destination_.parent_path();
  if (!fs::is_directory(parent, ec)) {
    const fs::path given_parent = fs::path(shown_).parent_path();
    if (!options_.create_parents)
      throw Error(shown_ + ": folder '" + (given_parent.empty() ? parent : given_parent).string() + "' does not exist");
    parents_.create(parent, shown_);
  }
  const auto check_existing = [&] {
    if (!fs::exists(fs::symlink_status(destination_, ec))) return;
    if (!options_.overwrite) throw Error(already_exists(shown_));
    check_replaceable(destination_, shown_, kind_, options_.inputs);
  };
  check_existing();  // before the lock file appears beside a path that is refused
  lock_ = std::make_unique<OutputLock>(destination_, shown_);
  check_existing();  // again, now that no other gavel can be changing it
  remove_stale_temporaries(destination_);
  const fs::path temporary = temporary_sibling(destination_);
  temporary_ = temporary.string();
  if (kind_.folder && !fs::create_directory(temporary, ec))
    throw Error(shown_ + ": cannot create '" + temporary_ + "': " + (ec ? ec.message() : std::string("it exists")) +
                " (the output folder cannot be created or written)");
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(temporary_, ec);
  }
  lock_.reset();  // before the parents: the lock file lives in the destination's folder
}

void AtomicOutput::commit() {
  if (committed_) return;
  if (kind_.folder) write_output_marker(temporary_, kind_.marker);
  std::error_code ec;
  if (!rename_no_replace(temporary_, destination_, ec)) {
    if (ec != std::errc::file_exists && ec != std::errc::directory_not_empty)
      throw Error(shown_ + ": cannot move the finished output into place: " + ec.message());
    if (!options_.overwrite) throw Error(already_exists(shown_));
    // What is there now may not be what was checked when the run began.
    check_replaceable(destination_, shown_, kind_, options_.inputs);
    if (kind_.folder) {
      replace_folder();
    } else if (::rename(temporary_.c_str(), destination_.c_str()) != 0) {
      throw Error(shown_ + ": cannot move the finished output into place: " +
                  std::error_code(errno, std::generic_category()).message());
    }
  }
  committed_ = true;
  parents_.keep();
  lock_.reset();
}

void AtomicOutput::replace_folder() {
  std::error_code ec;
  fs::path old = temporary_;
  if (!exchange_paths(temporary_, destination_, ec)) {
    if (ec != std::errc::invalid_argument && ec != std::errc::function_not_supported && ec != std::errc::not_supported)
      throw Error(shown_ + ": cannot move the finished output into place: " + ec.message());
    // No exchange on this file system: move the old one aside, then the new one in.
    old = temporary_sibling(destination_);
    fs::rename(destination_, old, ec);
    if (ec) throw Error(shown_ + ": cannot move the previous output aside: " + ec.message());
    fs::rename(temporary_, destination_, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(old, destination_, ignored);
      throw Error(shown_ + ": cannot move the finished output into place: " + ec.message());
    }
  }
  if (!remove_marked_folder(old)) {
    // Something gavel did not write appeared in the old folder after it was checked: keep it.
    const fs::path kept = destination_.string() + ".gavel-kept-" + std::to_string(::getpid());
    fs::rename(old, kept, ec);
    std::cerr << "gavel: warning: the previous " << kind_.description << " at " << shown_
              << " held files gavel did not write; they are kept in " << (ec ? old : kept).string() << "\n";
  }
}

}  // namespace gavel
