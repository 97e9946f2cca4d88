#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace gavel {

/// What an output is, and how to tell that an existing path holds such an output written by
/// gavel: the only thing gavel ever replaces.
struct OutputKind {
  /// "Well HDF5 file", "report folder": used in messages.
  std::string description;
  bool folder = false;
  /// Folders: the kind recorded in the folder's `.gavel-output` marker ("dataset", "report").
  std::string marker;
  /// Files: empty when the existing regular file at the path is an output of this kind that gavel
  /// wrote; otherwise why not ("has no gavel_kind attribute").
  std::function<std::string(const std::filesystem::path&)> why_not_gavels;
};

}  // namespace gavel
