#include "gavel/core/created_folders.hpp"

#include <system_error>

#include "gavel/core/error.hpp"

namespace gavel {
namespace fs = std::filesystem;

CreatedFolders::~CreatedFolders() {
  std::error_code ec;
  // Innermost first; fs::remove leaves a folder that is not empty (something else was put there).
  for (auto it = created_.rbegin(); it != created_.rend(); ++it)
    fs::remove(*it, ec);
}

void CreatedFolders::create(const fs::path& folder, const std::string& shown) {
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = fs::absolute(folder, ec).lexically_normal(); !p.empty(); p = p.parent_path()) {
    if (p.filename().empty() && p != p.root_path()) continue;  // a trailing '/'
    const fs::file_status status = fs::status(p, ec);
    if (fs::is_directory(status)) break;
    if (fs::exists(status))
      throw Error(shown + ": '" + p.string() + "' is a file, not a folder (the output folder cannot be created)");
    missing.push_back(p);
    if (p == p.root_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (!fs::create_directory(*it, ec) && ec)
      throw Error(shown + ": cannot create the folder '" + it->string() + "': " + ec.message() +
                  " (the output folder cannot be created or written)");
    created_.push_back(*it);
  }
}

}  // namespace gavel
