#include "gavel/core/element_notation.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <utility>

#include "gavel/core/error.hpp"

namespace gavel {
namespace {

constexpr char kAxisLetters[] = {'x', 'y', 'z'};

/// Common names by dimension, as bracket notation. Rotations are right-handed.
const std::vector<std::pair<std::string, std::string>>& name_table(int ndim) {
  static const std::vector<std::pair<std::string, std::string>> one_d = {{"id", "[x]"}, {"flip_x", "[-x]"}};
  static const std::vector<std::pair<std::string, std::string>> two_d = {
      {"id", "[x,y]"},      {"rot90", "[-y,x]"},  {"rot180", "[-x,-y]"},  {"rot270", "[y,-x]"},
      {"flip_x", "[-x,y]"}, {"flip_y", "[x,-y]"}, {"transpose", "[y,x]"}, {"antitranspose", "[-y,-x]"}};
  static const std::vector<std::pair<std::string, std::string>> three_d = {
      {"id", "[x,y,z]"},          {"inversion", "[-x,-y,-z]"}, {"flip_x", "[-x,y,z]"},      {"flip_y", "[x,-y,z]"},
      {"flip_z", "[x,y,-z]"},     {"rot90_x", "[x,-z,y]"},     {"rot180_x", "[x,-y,-z]"},   {"rot270_x", "[x,z,-y]"},
      {"rot90_y", "[z,y,-x]"},    {"rot180_y", "[-x,y,-z]"},   {"rot270_y", "[-z,y,x]"},    {"rot90_z", "[-y,x,z]"},
      {"rot180_z", "[-x,-y,z]"},  {"rot270_z", "[y,-x,z]"},    {"transpose_xy", "[y,x,z]"}, {"transpose_xz", "[z,y,x]"},
      {"transpose_yz", "[x,z,y]"}};
  switch (ndim) {
    case 1:
      return one_d;
    case 2:
      return two_d;
    default:
      return three_d;
  }
}

std::string strip_spaces(const std::string& text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  return out;
}

std::string names_hint(int ndim) {
  std::string hint;
  for (const auto& entry : name_table(ndim))
    hint += (hint.empty() ? "" : ", ") + entry.first;
  return hint;
}

[[noreturn]] void fail(const std::string& text, int ndim, const std::string& problem) {
  throw Error("group element '" + text + "': " + problem + " (a " + std::to_string(ndim) +
              "-D element is a name such as " + names_hint(ndim) + ", a bracket image such as " +
              (ndim == 1   ? "[-x]"
               : ndim == 2 ? "[-y,x]"
                           : "[-y,x,z]") +
              ", shift(" +
              (ndim == 1   ? "dx"
               : ndim == 2 ? "dx,dy"
                           : "dx,dy,dz") +
              ") or ELEMENT+shift(...))");
}

std::vector<std::string> split_commas(const std::string& body) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : body) {
    if (c == ',') {
      parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  return parts;
}

GroupElement parse_bracket(const std::string& original, const std::string& text, int ndim) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') fail(original, ndim, "malformed bracket notation");
  const auto parts = split_commas(text.substr(1, text.size() - 2));
  if (static_cast<int>(parts.size()) != ndim)
    fail(original, ndim, std::to_string(parts.size()) + " components for a " + std::to_string(ndim) + "-D grid");
  std::array<int, kMaxSpatialDims> source{0, 1, 2};
  std::array<int, kMaxSpatialDims> sign{1, 1, 1};
  for (int k = 0; k < ndim; ++k) {
    std::string part = parts[static_cast<std::size_t>(k)];
    int s = 1;
    if (!part.empty() && (part[0] == '-' || part[0] == '+')) {
      s = part[0] == '-' ? -1 : 1;
      part = part.substr(1);
    }
    const auto letter = std::find(kAxisLetters, kAxisLetters + ndim, part.size() == 1 ? part[0] : '\0');
    if (letter == kAxisLetters + ndim)
      fail(original, ndim, "component '" + parts[static_cast<std::size_t>(k)] + "' is not a signed axis");
    source[static_cast<std::size_t>(k)] = static_cast<int>(letter - kAxisLetters);
    sign[static_cast<std::size_t>(k)] = s;
  }
  try {
    return GroupElement(ndim, source, sign);
  } catch (const Error&) {
    fail(original, ndim, "an axis appears twice");
  }
}

std::array<std::int64_t, kMaxSpatialDims> parse_shift(const std::string& original, const std::string& text, int ndim) {
  const std::string head = "shift(";
  if (text.compare(0, head.size(), head) != 0 || text.back() != ')') fail(original, ndim, "malformed shift");
  const auto parts = split_commas(text.substr(head.size(), text.size() - head.size() - 1));
  if (static_cast<int>(parts.size()) != ndim)
    fail(original, ndim,
         "shift has " + std::to_string(parts.size()) + " components for a " + std::to_string(ndim) + "-D grid");
  std::array<std::int64_t, kMaxSpatialDims> shift{0, 0, 0};
  for (int k = 0; k < ndim; ++k) {
    const auto& part = parts[static_cast<std::size_t>(k)];
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size()) fail(original, ndim, "shift component '" + part + "' is not an integer");
    shift[static_cast<std::size_t>(k)] = value;
  }
  return shift;
}

GroupElement parse_point_part(const std::string& original, const std::string& text, int ndim) {
  if (!text.empty() && text.front() == '[') return parse_bracket(original, text, ndim);
  std::string lowered = text;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered == "identity" || lowered == "e") lowered = "id";
  for (const auto& entry : name_table(ndim))
    if (entry.first == lowered) return parse_bracket(original, entry.second, ndim);
  fail(original, ndim, "unknown name '" + text + "'");
}

std::string shift_text(const GroupElement& g) {
  std::ostringstream out;
  out << "shift(";
  for (int k = 0; k < g.ndim(); ++k)
    out << (k ? "," : "") << g.shift(k);
  out << ")";
  return out.str();
}

}  // namespace

std::string notation(const GroupElement& g) {
  std::string text = "[";
  for (int k = 0; k < g.ndim(); ++k) {
    if (k) text += ",";
    if (g.sign(k) < 0) text += "-";
    text += kAxisLetters[g.source_axis(k)];
  }
  text += "]";
  if (g.has_shift()) text += "+" + shift_text(g);
  return text;
}

std::string element_name(const GroupElement& g) {
  const GroupElement point = g.point_part();
  const std::string bracket = notation(point);
  std::string name = bracket;
  for (const auto& entry : name_table(g.ndim()))
    if (entry.second == bracket) name = entry.first;
  if (!g.has_shift()) return name;
  if (point.is_identity()) return shift_text(g);
  return name + "+" + shift_text(g);
}

GroupElement parse_element(const std::string& text, int ndim) {
  if (ndim < 1 || ndim > kMaxSpatialDims) throw Error("group element '" + text + "': grids have 1 to 3 dimensions");
  const std::string compact = strip_spaces(text);
  if (compact.empty()) fail(text, ndim, "empty text");
  const auto plus = compact.find("+shift(");
  if (compact.rfind("shift(", 0) == 0) {
    return GroupElement(ndim, {0, 1, 2}, {1, 1, 1}, parse_shift(text, compact, ndim));
  }
  if (plus == std::string::npos) return parse_point_part(text, compact, ndim);
  const GroupElement point = parse_point_part(text, compact.substr(0, plus), ndim);
  const auto shift = parse_shift(text, compact.substr(plus + 1), ndim);
  std::array<int, kMaxSpatialDims> source{0, 1, 2};
  std::array<int, kMaxSpatialDims> sign{1, 1, 1};
  for (int k = 0; k < ndim; ++k) {
    source[static_cast<std::size_t>(k)] = point.source_axis(k);
    sign[static_cast<std::size_t>(k)] = point.sign(k);
  }
  return GroupElement(ndim, source, sign, shift);
}

std::size_t common_name_rank(const GroupElement& g) {
  const auto& table = name_table(g.ndim());
  const std::string bracket = notation(g.point_part());
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i].second == bracket) return i;
  return table.size();
}

std::vector<std::string> common_element_names(int ndim) {
  std::vector<std::string> names;
  for (const auto& entry : name_table(ndim))
    names.push_back(entry.first);
  return names;
}

}  // namespace gavel
