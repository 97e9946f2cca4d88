#include "gavel/report/color_scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace gavel::report {
namespace {

// Anchors sampled evenly along each map.
const std::vector<Rgb> kViridis = {{68, 1, 84},    {72, 40, 120},  {62, 73, 137},  {49, 104, 142}, {38, 130, 142},
                                   {31, 158, 137}, {53, 183, 121}, {110, 206, 88}, {181, 222, 43}, {253, 231, 37}};
const std::vector<Rgb> kBlueWhiteRed = {{33, 102, 172},  {67, 147, 195},  {146, 197, 222},
                                        {209, 229, 240}, {247, 247, 247}, {253, 219, 199},
                                        {244, 165, 130}, {214, 96, 77},   {178, 24, 43}};

std::uint8_t mix(std::uint8_t a, std::uint8_t b, double f) {
  return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
}

}  // namespace

Rgb color_at(ColorMap map, double t) {
  const auto& anchors = map == ColorMap::Sequential ? kViridis : kBlueWhiteRed;
  if (!(t > 0)) t = 0;  // also NaN
  if (t > 1) t = 1;
  const double position = t * static_cast<double>(anchors.size() - 1);
  const auto below = std::min(static_cast<std::size_t>(position), anchors.size() - 2);
  const double f = position - static_cast<double>(below);
  const Rgb& a = anchors[below];
  const Rgb& b = anchors[below + 1];
  return {mix(a.r, b.r, f), mix(a.g, b.g, f), mix(a.b, b.b, f)};
}

std::string to_hex(Rgb color) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", color.r, color.g, color.b);
  return text;
}

std::uint8_t palette_index(double value, double lo, double hi) {
  if (!std::isfinite(value)) return static_cast<std::uint8_t>(kNotFiniteIndex);
  const double t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
  const double clamped = std::clamp(t, 0.0, 1.0);
  return static_cast<std::uint8_t>(std::lround(clamped * (kPaletteColors - 1)));
}

std::array<Rgb, 256> palette(ColorMap map) {
  std::array<Rgb, 256> colors{};
  for (int i = 0; i < kPaletteColors; ++i)
    colors[static_cast<std::size_t>(i)] = color_at(map, static_cast<double>(i) / (kPaletteColors - 1));
  colors[kNotFiniteIndex] = {128, 128, 128};
  return colors;
}

}  // namespace gavel::report
