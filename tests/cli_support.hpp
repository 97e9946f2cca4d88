#pragma once
// Runs the gavel program as a user would: the build's own copy, or GAVEL_EXECUTABLE's.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/wait.h>

#include <catch2/catch_test_macros.hpp>

#include "test_paths.hpp"

namespace gavel::test {

struct CliResult {
  int status;
  std::string output;
};

/// The program under test: the build's own, unless GAVEL_EXECUTABLE names another copy (the
/// device check runs the suite from another folder).
inline std::string gavel_executable() {
  const char* from_environment = std::getenv("GAVEL_EXECUTABLE");
  return from_environment && *from_environment ? from_environment : built_gavel_executable();
}

/// Runs `gavel arguments` and returns its exit status and its stdout and stderr together.
inline CliResult run_gavel(const std::string& arguments) {
  const std::string command = gavel_executable() + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe))
    output += buffer.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace gavel::test
