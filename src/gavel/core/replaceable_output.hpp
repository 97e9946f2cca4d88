#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gavel/core/output_kind.hpp"

namespace gavel {

/// Throws gavel::Error naming `shown` (the path as the user gave it) unless the existing `path`
/// may be replaced by a new output of `kind`. Refused, compared as canonical paths (so `a/../a`
/// and symbolic links do not slip through): the root folder, the home folder, the current folder
/// and its ancestors, any of `inputs` and their ancestors; a symbolic link; a folder where a file
/// is expected or a file where a folder is; a file that `kind` does not recognise as gavel's; a
/// folder without gavel's marker of the same kind (unless empty), or holding anything the marker
/// does not list.
void check_replaceable(const std::filesystem::path& path, const std::string& shown, const OutputKind& kind,
                       const std::vector<std::string>& inputs);

}  // namespace gavel
