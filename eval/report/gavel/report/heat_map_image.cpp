#include "gavel/report/heat_map_image.hpp"

#include <cstdint>

#include "gavel/core/error.hpp"
#include "gavel/report/base64.hpp"
#include "gavel/report/indexed_bmp.hpp"

namespace gavel::report {

std::string heat_map_data_uri(const std::vector<double>& values, int nx, int ny, ColorMap map, double lo, double hi) {
  if (nx <= 0 || ny <= 0 || values.size() != static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny))
    throw Error("heat map: " + std::to_string(values.size()) + " values do not fill a " + std::to_string(nx) + "×" +
                std::to_string(ny) + " slice");
  // Image column = x, image row from the bottom = y: BMP stores its bottom row first.
  std::vector<std::uint8_t> pixels(values.size());
  const auto width = static_cast<std::size_t>(nx);
  const auto height = static_cast<std::size_t>(ny);
  for (std::size_t x = 0; x < width; ++x)
    for (std::size_t y = 0; y < height; ++y)
      pixels[y * width + x] = palette_index(values[x * height + y], lo, hi);
  return "data:image/bmp;base64," + base64_encode(indexed_bmp(nx, ny, pixels, palette(map)));
}

}  // namespace gavel::report
