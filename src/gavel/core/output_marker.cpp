#include "gavel/core/output_marker.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "gavel/core/error.hpp"
#include "gavel/core/version.hpp"

namespace gavel {
namespace fs = std::filesystem;

namespace {

constexpr const char* kHeader = "gavel-output 1";

/// A listed path must stay inside the folder: relative, no "..", no empty or "." parts.
bool inside(const std::string& relative) {
  if (relative.empty() || relative.front() == '/') return false;
  std::stringstream parts(relative);
  std::string part;
  while (std::getline(parts, part, '/'))
    if (part.empty() || part == "." || part == "..") return false;
  return relative.back() != '/';
}

}  // namespace

void write_output_marker(const fs::path& folder, const std::string& kind) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.is_symlink()) continue;
    const std::string relative = entry.path().lexically_relative(folder).generic_string();
    if (relative == kOutputMarker) continue;
    if (relative.find('\n') != std::string::npos || !inside(relative))
      throw Error(entry.path().string() + ": a file name gavel's output marker cannot record");
    files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  std::ofstream out(folder / kOutputMarker, std::ios::binary);
  out << kHeader << "\nkind " << kind << "\nversion " << kVersion << "\n";
  for (const auto& file : files)
    out << "file " << file << "\n";
  out.close();
  if (!out) throw Error((folder / kOutputMarker).string() + ": cannot write gavel's output marker");
}

std::optional<OutputMarker> read_output_marker(const fs::path& folder) {
  std::error_code ec;
  const fs::path path = folder / kOutputMarker;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return std::nullopt;
  // Far larger than any marker gavel writes: a hostile one is not read into memory.
  if (fs::file_size(path, ec) > (std::uintmax_t{1} << 24) || ec) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return std::nullopt;
  OutputMarker marker;
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    if (space == std::string::npos) return std::nullopt;
    const std::string key = line.substr(0, space), value = line.substr(space + 1);
    if (key == "kind") {
      marker.kind = value;
    } else if (key == "version") {
      marker.version = value;
    } else if (key == "file") {
      if (!inside(value)) return std::nullopt;
      marker.files.push_back(value);
    } else {
      return std::nullopt;
    }
  }
  if (marker.kind.empty()) return std::nullopt;
  std::sort(marker.files.begin(), marker.files.end());
  return marker;
}

std::vector<std::string> unlisted_entries(const fs::path& folder, const OutputMarker& marker) {
  const std::set<std::string> files(marker.files.begin(), marker.files.end());
  std::set<std::string> folders;  // every folder on the way to a listed file
  for (const auto& file : marker.files)
    for (auto slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1))
      folders.insert(file.substr(0, slash));
  std::vector<std::string> unlisted;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string relative = it->path().lexically_relative(folder).generic_string();
    if (relative == kOutputMarker) continue;
    std::error_code status_error;
    const fs::file_status status = it->symlink_status(status_error);
    if (fs::is_directory(status)) {
      if (folders.count(relative)) continue;
      it.disable_recursion_pending();
    } else if (fs::is_regular_file(status) && files.count(relative)) {
      continue;
    }
    unlisted.push_back(relative);
  }
  if (ec) unlisted.push_back("(unreadable: " + ec.message() + ")");
  std::sort(unlisted.begin(), unlisted.end());
  return unlisted;
}

bool remove_marked_folder(const fs::path& folder) {
  std::error_code ec;
  if (const auto marker = read_output_marker(folder)) {
    for (const auto& file : marker->files) {
      const fs::path path = folder / file;
      std::error_code ignored;
      if (fs::is_regular_file(fs::symlink_status(path, ignored))) fs::remove(path, ignored);
    }
    fs::remove(folder / kOutputMarker, ec);
  }
  ec.clear();
  // Then the folders left empty, deepest first; fs::remove leaves a folder that is not empty.
  std::vector<fs::path> folders;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (std::error_code status_error; fs::is_directory(it->symlink_status(status_error))) folders.push_back(it->path());
  std::sort(folders.begin(), folders.end(),
            [](const fs::path& a, const fs::path& b) { return a.string().size() > b.string().size(); });
  for (const auto& f : folders)
    fs::remove(f, ec);
  fs::remove(folder, ec);
  std::error_code status_error;
  return !fs::exists(fs::symlink_status(folder, status_error));
}

}  // namespace gavel
