#include "bundled_data.hpp"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "gavel/core/error.hpp"

namespace gavel::app {

std::string bundled_path(const std::string& relative) {
  namespace fs = std::filesystem;
  std::vector<fs::path> roots;
  if (const char* env = std::getenv("GAVEL_DATA_DIR")) roots.emplace_back(env);
  std::error_code error;
  const auto exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) roots.push_back(exe.parent_path().parent_path() / "share" / "gavel");
  roots.emplace_back(GAVEL_SOURCE_DIR);
  std::string tried;
  for (const auto& root : roots) {
    const auto candidate = root / relative;
    if (fs::exists(candidate)) return candidate.string();
    tried += "\n  " + candidate.string();
  }
  throw Error("bundled data '" + relative + "' not found; looked in:" + tried + "\n(set GAVEL_DATA_DIR)");
}

}  // namespace gavel::app
