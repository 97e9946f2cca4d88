#pragma once

#include <string>

namespace gavel::app {

/// Keeps the program's arguments as given, for reports' manifests.
void record_command_line(int argc, const char* const* argv);

/// The recorded arguments joined with spaces, each quoted for a POSIX shell where it needs it,
/// so that the line can be pasted back into a shell ("gavel eval --model 'my model'").
const std::string& recorded_command_line();

}  // namespace gavel::app
