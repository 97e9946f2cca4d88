#include "gavel/core/replaceable_output.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "gavel/core/error.hpp"
#include "gavel/core/output_marker.hpp"

namespace gavel {
namespace fs = std::filesystem;

namespace {

fs::path canonical_or_empty(const fs::path& path) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::path() : resolved;
}

/// `a` is `b` or one of its ancestors (both canonical).
bool holds(const fs::path& a, const fs::path& b) {
  if (a.empty() || b.empty()) return false;
  auto ai = a.begin(), bi = b.begin();
  for (; ai != a.end(); ++ai, ++bi)
    if (bi == b.end() || *ai != *bi) return false;
  return true;
}

std::string list(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i)
    text += (i ? ", " : "") + names[i];
  if (names.size() > 3) text += ", and " + std::to_string(names.size() - 3) + " more";
  return text;
}

void refuse(const std::string& shown, const std::string& why, const OutputKind& kind) {
  throw Error(shown + ": refusing to replace it: " + why + " (gavel replaces only a " + kind.description +
              " it wrote itself; move it away or choose another path)");
}

void check_protected(const fs::path& real, const std::string& shown, const OutputKind& kind,
                     const std::vector<std::string>& inputs) {
  if (real == real.root_path()) refuse(shown, "it is the root folder", kind);
  std::error_code ec;
  const fs::path current = canonical_or_empty(fs::current_path(ec));
  if (real == current) refuse(shown, "it is the current folder", kind);
  if (holds(real, current)) refuse(shown, "it holds the current folder", kind);
  if (const char* home = std::getenv("HOME"); home && *home) {
    const fs::path home_path = canonical_or_empty(home);
    if (real == home_path) refuse(shown, "it is the home folder", kind);
    if (holds(real, home_path)) refuse(shown, "it holds the home folder", kind);
  }
  for (const auto& input : inputs) {
    const fs::path input_path = canonical_or_empty(input);
    if (real == input_path) refuse(shown, "it is an input of this command ('" + input + "')", kind);
    if (holds(real, input_path)) refuse(shown, "it holds an input of this command ('" + input + "')", kind);
  }
}

}  // namespace

void check_replaceable(const fs::path& path, const std::string& shown, const OutputKind& kind,
                       const std::vector<std::string>& inputs) {
  check_protected(canonical_or_empty(path), shown, kind, inputs);
  std::error_code ec;
  const fs::file_status own = fs::symlink_status(path, ec);
  if (fs::is_symlink(own)) refuse(shown, "it is a symbolic link", kind);
  if (kind.folder) {
    if (!fs::is_directory(own)) refuse(shown, "it is a file, not a " + kind.description, kind);
    const auto marker = read_output_marker(path);
    if (!marker) {
      if (fs::is_empty(path, ec) && !ec) return;  // an empty folder holds nothing to lose
      refuse(shown, "it is a folder gavel did not write (no " + std::string(kOutputMarker) + " marker in it)", kind);
    }
    if (marker->kind != kind.marker)
      refuse(shown, "it holds gavel's " + marker->kind + " output, not a " + kind.description, kind);
    const auto unlisted = unlisted_entries(path, *marker);
    if (!unlisted.empty()) refuse(shown, "it holds files gavel did not write (" + list(unlisted) + ")", kind);
    return;
  }
  if (fs::is_directory(own)) refuse(shown, "it is a folder, not a " + kind.description, kind);
  if (!fs::is_regular_file(own)) refuse(shown, "it is not a regular file", kind);
  if (kind.why_not_gavels) {
    const std::string why = kind.why_not_gavels(path);
    if (!why.empty()) refuse(shown, why, kind);
  }
}

}  // namespace gavel
