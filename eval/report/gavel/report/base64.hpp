#pragma once

#include <string>
#include <string_view>

namespace gavel::report {

/// Standard base64 (RFC 4648, with padding) of a byte string, as data: URIs need it.
std::string base64_encode(std::string_view bytes);

}  // namespace gavel::report
