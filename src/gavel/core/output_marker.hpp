#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gavel {

/// The file gavel writes into every output folder it creates, naming the folder's kind and every
/// file gavel put there: the proof that `--overwrite` (or a new report) may replace the folder.
inline constexpr const char* kOutputMarker = ".gavel-output";

struct OutputMarker {
  std::string kind;                ///< "dataset", "report"
  std::string version;             ///< gavel's version that wrote it
  std::vector<std::string> files;  ///< relative paths ('/'-separated), sorted
};

/// Writes `folder`/.gavel-output listing every regular file under `folder` (a folder about to be
/// committed). Throws gavel::Error when the folder holds a name the marker cannot record.
void write_output_marker(const std::filesystem::path& folder, const std::string& kind);

/// The marker of `folder`; nothing when it is missing or malformed (a hand-made or tampered marker
/// that names paths outside the folder counts as malformed).
std::optional<OutputMarker> read_output_marker(const std::filesystem::path& folder);

/// Entries under `folder` the marker does not list (a user's files, links, folders), relative and
/// sorted; folders are not looked into.
std::vector<std::string> unlisted_entries(const std::filesystem::path& folder, const OutputMarker& marker);

/// Removes the files `folder`'s marker lists, the marker and the folders left empty, never
/// anything else. True when `folder` is gone; false when something gavel did not write remains.
bool remove_marked_folder(const std::filesystem::path& folder);

}  // namespace gavel
