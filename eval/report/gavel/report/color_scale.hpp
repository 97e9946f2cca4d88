#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace gavel::report {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

/// The colour maps of the report's heat maps: Sequential (viridis: dark blue to yellow) for
/// values, Diverging (blue, white at zero, red) for signed errors.
enum class ColorMap { Sequential, Diverging };

/// The colour at position t ∈ [0, 1] (clamped), interpolated linearly between the map's anchors.
Rgb color_at(ColorMap map, double t);

/// "#rrggbb".
std::string to_hex(Rgb color);

/// Palette index of a value for the heat-map images: 0…kPaletteColors−1 spread over [lo, hi];
/// kNotFiniteIndex for NaN or infinite values.
constexpr int kPaletteColors = 255;
constexpr int kNotFiniteIndex = 255;
std::uint8_t palette_index(double value, double lo, double hi);

/// The 256-colour palette of a map: kPaletteColors steps of the map, then grey for non-finite values.
std::array<Rgb, 256> palette(ColorMap map);

}  // namespace gavel::report
