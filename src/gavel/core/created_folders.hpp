#pragma once

#include <filesystem>
#include <vector>

namespace gavel {

/// Folders a command creates for its output, removed again (when still empty) unless kept: a
/// failed run leaves no empty folders behind.
class CreatedFolders {
 public:
  CreatedFolders() = default;
  ~CreatedFolders();
  CreatedFolders(const CreatedFolders&) = delete;
  CreatedFolders& operator=(const CreatedFolders&) = delete;

  /// Creates `folder` and its missing ancestors, remembering those it created. Throws
  /// gavel::Error naming `shown` when one cannot be created or a file is in the way.
  void create(const std::filesystem::path& folder, const std::string& shown);
  /// The run succeeded: keep them.
  void keep() { created_.clear(); }

 private:
  std::vector<std::filesystem::path> created_;  ///< outermost first
};

}  // namespace gavel
