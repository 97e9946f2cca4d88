#include "command_line.hpp"

#include <algorithm>
#include <filesystem>

namespace gavel::app {

namespace {

std::string& stored() {
  static std::string line;
  return line;
}

bool needs_quotes(const std::string& word) {
  if (word.empty()) return true;
  return !std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string("-_./=:,+@%").find(c) != std::string::npos;
  });
}

std::string shell_quoted(const std::string& word) {
  if (!needs_quotes(word)) return word;
  std::string quoted = "'";
  for (const char c : word)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

void record_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    // The program as its file name: where it was installed says nothing about the run.
    const std::string word = i == 0 ? std::filesystem::path(argv[0]).filename().string() : std::string(argv[i]);
    line += (i ? " " : "") + shell_quoted(word);
  }
  stored() = line;
}

const std::string& recorded_command_line() {
  return stored();
}

}  // namespace gavel::app
