#pragma once
// Where the test suite finds its fixtures and the programs it runs. The absolute paths are
// compiled into test_paths.cpp alone, so every other test file compiles to the same object in
// any checkout (and ccache reuses it across clean clones).

#include <string>

namespace gavel::test {

/// tests/data of the source tree.
std::string test_data_dir();
/// datasets/reference of the source tree (the bundled dataset).
std::string reference_data_dir();
/// The source tree's root.
std::string source_root();
/// The stand-in model program of the external-model protocol tests.
std::string external_model_stub();
/// The gavel program this build made; empty when the build has none.
std::string built_gavel_executable();

}  // namespace gavel::test
