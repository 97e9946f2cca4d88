#include "gavel/report/base64.hpp"

#include <cstdint>

namespace gavel::report {

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                                 static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                                 static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    encoded += kAlphabet[triple >> 18 & 63];
    encoded += kAlphabet[triple >> 12 & 63];
    encoded += kAlphabet[triple >> 6 & 63];
    encoded += kAlphabet[triple & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t triple = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) triple |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    encoded += kAlphabet[triple >> 18 & 63];
    encoded += kAlphabet[triple >> 12 & 63];
    encoded += rest == 2 ? kAlphabet[triple >> 6 & 63] : '=';
    encoded += '=';
  }
  return encoded;
}

}  // namespace gavel::report
