#pragma once

#include <filesystem>

namespace gavel {

/// `.NAME.gavel-tmp-PID-N` beside `destination`: where an output is written before it is renamed
/// into place (same folder, so the same file system and an atomic rename), unique in this process.
std::filesystem::path temporary_sibling(const std::filesystem::path& destination);

/// Removes the temporaries `temporary_sibling` made for `destination` in processes that are no
/// longer running (a killed run's); those of live processes, this one included, are left alone.
void remove_stale_temporaries(const std::filesystem::path& destination);

}  // namespace gavel
