#include "gavel/core/json_input.hpp"

#include <limits>

#include "gavel/core/error.hpp"

namespace gavel {

namespace {
/// The deepest nesting outside strings, stopping as soon as it passes `limit`.
int nesting_depth(const char* begin, const char* end, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (const char* c = begin; c != end; ++c) {
    if (in_string) {
      if (*c == '\\') {
        if (c + 1 != end) ++c;
      } else if (*c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (*c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) deepest = depth;
        if (deepest > limit) return deepest;
        break;
      case ']':
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}
}  // namespace

nlohmann::json parse_json_input(const char* begin, const char* end, const std::string& source, int max_depth) {
  if (nesting_depth(begin, end, max_depth) > max_depth)
    throw Error(source + ": JSON nested deeper than " + std::to_string(max_depth) + " levels (refused)");
  try {
    return nlohmann::json::parse(begin, end);
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": not valid JSON: " + e.what());
  }
}

nlohmann::json parse_json_input(const std::string& text, const std::string& source, int max_depth) {
  return parse_json_input(text.data(), text.data() + text.size(), source, max_depth);
}

std::int64_t json_size(const nlohmann::json& value, const std::string& what) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw Error(what + ": " + value.dump() + " is too large");
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v < 0) throw Error(what + ": " + value.dump() + " is negative");
    return v;
  }
  throw Error(what + ": expected a non-negative integer, found " + json_excerpt(value));
}

std::string json_excerpt(const nlohmann::json& value, std::size_t limit) {
  // Values come from parse_json_input, so they are shallow enough to dump; invalid UTF-8 is
  // replaced rather than thrown about (dump() throws on it by default).
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > limit) text = text.substr(0, limit) + "…";
  return text;
}

}  // namespace gavel
