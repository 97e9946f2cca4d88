#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gavel/core/created_folders.hpp"
#include "gavel/core/output_kind.hpp"
#include "gavel/core/output_lock.hpp"

namespace gavel {

struct AtomicOutputOptions {
  /// Replace an existing output of the same kind that gavel wrote; never anything else (see
  /// check_replaceable). Without it an existing destination is refused.
  bool overwrite = false;
  /// Create the destination's missing parent folders (removed again when not committed).
  bool create_parents = false;
  /// Paths the command reads: the destination may be none of them, nor hold one.
  std::vector<std::string> inputs;
};

/// An output file or folder written through a temporary sibling and renamed into place on
/// `commit()`, so that it appears whole or not at all. While it lives it holds the destination's
/// OutputLock; it removes killed runs' temporaries of the same destination; a folder gets gavel's
/// marker (`.gavel-output`) on commit. Replacing swaps the new output with the old one in one step
/// (rename(2) for files, renameat2 RENAME_EXCHANGE for folders, two renames where the file system
/// cannot exchange), then removes the old one. The temporary is removed when the object dies
/// uncommitted (an exception, say).
class AtomicOutput {
 public:
  /// Checks the destination (refusing what may not be replaced), locks it and names the
  /// temporary; a folder's temporary is created empty. Throws gavel::Error naming `destination`.
  AtomicOutput(std::string destination, OutputKind kind, AtomicOutputOptions options = {});
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  /// Where to write now: a hidden sibling of the destination, `.NAME.gavel-tmp-PID-N`, in the same
  /// folder (the same file system, so the rename is atomic).
  const std::string& temporary() const { return temporary_; }
  /// The destination as given.
  const std::string& destination() const { return shown_; }
  /// Moves the temporary into place (checking an existing destination again), then releases the
  /// lock.
  void commit();

 private:
  void replace_folder();

  std::string shown_;
  std::filesystem::path destination_;  ///< absolute, its folder resolved
  std::string temporary_;
  OutputKind kind_;
  AtomicOutputOptions options_;
  CreatedFolders parents_;
  std::unique_ptr<OutputLock> lock_;
  bool committed_ = false;
};

}  // namespace gavel
