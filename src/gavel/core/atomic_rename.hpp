#pragma once

#include <filesystem>
#include <system_error>

namespace gavel {

/// Moves `from` to `to` only if `to` does not exist, in one step (renameat2 RENAME_NOREPLACE;
/// where the file system lacks it, link + unlink for files, or a check and rename(2), which
/// refuses a folder that is not empty). Sets `error` (EEXIST when `to` exists) and returns false
/// when it did not move.
bool rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to, std::error_code& error);

/// Swaps two existing paths in one step (renameat2 RENAME_EXCHANGE). False, with `error` set,
/// when they were not swapped (EINVAL or ENOSYS: the file system cannot).
bool exchange_paths(const std::filesystem::path& a, const std::filesystem::path& b, std::error_code& error);

}  // namespace gavel
