#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace gavel {

/// Sizes computed from untrusted input (tensor shapes, config values, option values) go through
/// these: each throws gavel::Error naming `what` instead of wrapping around or going negative.

/// a + b for non-negative a and b.
std::int64_t checked_add(std::int64_t a, std::int64_t b, const std::string& what);

/// a * b for non-negative a and b.
std::int64_t checked_multiply(std::int64_t a, std::int64_t b, const std::string& what);

/// The product of non-negative extents (1 for none).
std::int64_t checked_product(const std::vector<std::int64_t>& extents, const std::string& what);
std::int64_t checked_product(std::initializer_list<std::int64_t> extents, const std::string& what);

/// The physical memory of this machine in bytes: no single allocation gavel makes can exceed it.
std::int64_t physical_memory_bytes();

/// `count` values of `value_size` bytes: throws gavel::Error naming `what` when the byte count
/// overflows or exceeds the machine's physical memory (an allocation that could never succeed),
/// so a hostile size is refused with a message instead of a raw allocation failure.
std::int64_t checked_allocation_bytes(std::int64_t count, std::int64_t value_size, const std::string& what);

}  // namespace gavel
