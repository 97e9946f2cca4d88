#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace gavel {

/// The deepest nesting of arrays and objects gavel accepts in a JSON file it reads (checkpoint
/// headers and configs are a few levels deep); deeper documents are refused before parsing, since
/// printing or walking them recursively would overflow the stack.
inline constexpr int kJsonMaxDepth = 64;

/// Parses untrusted JSON text: a gavel::Error naming `source` when the text nests deeper than
/// `max_depth` or is not valid JSON. Never throws a nlohmann exception.
nlohmann::json parse_json_input(const char* begin, const char* end, const std::string& source,
                                int max_depth = kJsonMaxDepth);
nlohmann::json parse_json_input(const std::string& text, const std::string& source, int max_depth = kJsonMaxDepth);

/// A JSON value that must be a non-negative integer that fits in int64 (not a float, not a
/// string, not negative): its value, or a gavel::Error naming `what`.
std::int64_t json_size(const nlohmann::json& value, const std::string& what);

/// The value as short text for messages: dumped when shallow, cut to `limit` characters.
std::string json_excerpt(const nlohmann::json& value, std::size_t limit = 80);

}  // namespace gavel
