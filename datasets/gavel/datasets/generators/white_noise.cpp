#include "gavel/datasets/generators/white_noise.hpp"

#include <cmath>
#include <random>
#include <string>

#include "gavel/core/error.hpp"
#include "gavel/datasets/generators/fourier_2d.hpp"

namespace gavel::datasets {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// A double in (0, 1) from the top 53 bits of a 64-bit draw.
double open_unit(std::uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace

std::vector<double> white_noise(std::int64_t count, std::uint64_t seed) {
  if (count < 0) throw Error("white noise: negative count " + std::to_string(count));
  std::mt19937_64 engine(seed);
  std::vector<double> values(static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < values.size(); k += 2) {
    const double u1 = open_unit(engine());
    const double u2 = open_unit(engine());
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * kPi * u2;
    values[k] = r * std::cos(angle);
    if (k + 1 < values.size()) values[k + 1] = r * std::sin(angle);
  }
  return values;
}

std::uint64_t trajectory_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ index);
}

}  // namespace gavel::datasets
