#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "gavel/report/color_scale.hpp"

namespace gavel::report {

/// An 8-bit palette BMP file (BITMAPINFOHEADER, uncompressed) of width × height pixels.
/// `pixels` holds palette indices row by row, the first row at the bottom of the image (BMP's own
/// order). Throws gavel::Error when the sizes do not match.
std::string indexed_bmp(int width, int height, const std::vector<std::uint8_t>& pixels,
                        const std::array<Rgb, 256>& colors);

}  // namespace gavel::report
