#pragma once

#include <string>

namespace gavel::app {

/// The path of a file or folder gavel ships (`datasets/reference/navier_stokes_2d`,
/// `surrogates/reference/fno`, …): looked up under $GAVEL_DATA_DIR, then the install tree
/// (<prefix>/share/gavel next to <prefix>/bin/gavel), then the source tree gavel was built from.
/// Throws gavel::Error listing the places tried when none has it.
std::string bundled_path(const std::string& relative);

}  // namespace gavel::app
