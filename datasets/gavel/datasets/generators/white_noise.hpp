#pragma once

#include <cstdint>
#include <vector>

namespace gavel::datasets {

/// `count` independent standard normal numbers from `seed` (a 64-bit Mersenne Twister, whose
/// output sequence the C++ standard fixes, and Box–Muller), the same on every platform up to the
/// last bit of the C library's log, sqrt and cos.
std::vector<double> white_noise(std::int64_t count, std::uint64_t seed);

/// A seed for trajectory `index` of stream `stream` (e.g. a split) of a run seeded with `seed`:
/// SplitMix64 mixing, so trajectories do not depend on how many others are generated.
std::uint64_t trajectory_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);

}  // namespace gavel::datasets
