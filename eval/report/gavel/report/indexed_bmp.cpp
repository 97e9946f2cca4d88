#include "gavel/report/indexed_bmp.hpp"

#include "gavel/core/error.hpp"

namespace gavel::report {
namespace {

void put_u16(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>(value >> 8 & 0xff);
}

void put_u32(std::string& out, std::uint32_t value) {
  put_u16(out, value & 0xffff);
  put_u16(out, value >> 16);
}

}  // namespace

std::string indexed_bmp(int width, int height, const std::vector<std::uint8_t>& pixels,
                        const std::array<Rgb, 256>& colors) {
  if (width <= 0 || height <= 0 || pixels.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
    throw Error("BMP image: " + std::to_string(pixels.size()) + " pixels do not make a " + std::to_string(width) + "×" +
                std::to_string(height) + " image");
  const auto w = static_cast<std::uint32_t>(width);
  const auto h = static_cast<std::uint32_t>(height);
  const std::uint32_t row_bytes = (w + 3) / 4 * 4;  // rows are padded to 4 bytes
  const std::uint32_t header_bytes = 14 + 40 + 256 * 4;
  const std::uint32_t file_bytes = header_bytes + row_bytes * h;
  std::string bmp;
  bmp.reserve(file_bytes);
  bmp += "BM";
  put_u32(bmp, file_bytes);
  put_u32(bmp, 0);             // reserved
  put_u32(bmp, header_bytes);  // offset of the pixels
  put_u32(bmp, 40);            // BITMAPINFOHEADER
  put_u32(bmp, w);
  put_u32(bmp, h);  // positive height: bottom-up rows
  put_u16(bmp, 1);  // planes
  put_u16(bmp, 8);  // bits per pixel
  put_u32(bmp, 0);  // BI_RGB, uncompressed
  put_u32(bmp, row_bytes * h);
  put_u32(bmp, 2835);  // 72 dpi
  put_u32(bmp, 2835);
  put_u32(bmp, 256);  // colours in the palette
  put_u32(bmp, 0);
  for (const auto& color : colors) {
    bmp += static_cast<char>(color.b);
    bmp += static_cast<char>(color.g);
    bmp += static_cast<char>(color.r);
    bmp += '\0';
  }
  for (std::uint32_t y = 0; y < h; ++y) {
    for (std::uint32_t x = 0; x < w; ++x)
      bmp += static_cast<char>(pixels[static_cast<std::size_t>(y) * w + x]);
    bmp.append(row_bytes - w, '\0');
  }
  return bmp;
}

}  // namespace gavel::report
