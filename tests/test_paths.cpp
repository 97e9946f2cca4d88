#include "test_paths.hpp"

namespace gavel::test {

std::string test_data_dir() {
  return GAVEL_TEST_DATA;
}

std::string reference_data_dir() {
  return GAVEL_REFERENCE_DATA;
}

std::string source_root() {
  return GAVEL_SOURCE_ROOT;
}

std::string external_model_stub() {
  return GAVEL_EXTERNAL_MODEL_STUB;
}

std::string built_gavel_executable() {
#ifdef GAVEL_EXECUTABLE
  return GAVEL_EXECUTABLE;
#else
  return {};
#endif
}

}  // namespace gavel::test
