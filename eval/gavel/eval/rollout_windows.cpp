#include "gavel/eval/rollout_windows.hpp"

#include <algorithm>
#include <charconv>

#include "gavel/core/error.hpp"

namespace gavel::eval {

namespace {

/// A whole string of decimal digits as an int, or false (signs, spaces, overflow, nothing).
bool parse_step(const std::string& text, int& value) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::vector<std::pair<int, int>> parse_rollout_windows(const std::string& text) {
  const std::string example = " (expected START:END[,START:END...] with 0 <= START < END, e.g. 6:12,13:30)";
  if (text.empty()) throw Error("--windows '': no window given" + example);
  std::vector<std::pair<int, int>> windows;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = text.find(',', begin);
    const std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
    const std::size_t colon = item.find(':');
    int start = 0;
    int end = 0;
    if (item.empty()) throw Error("--windows '" + text + "': an empty window" + example);
    if (colon == std::string::npos || !parse_step(item.substr(0, colon), start) ||
        !parse_step(item.substr(colon + 1), end) || end <= start)
      throw Error("--windows '" + text + "': '" + item + "' is not a window" + example);
    if (std::find(windows.begin(), windows.end(), std::make_pair(start, end)) != windows.end())
      throw Error("--windows '" + text + "': window " + item + " is given twice");
    windows.emplace_back(start, end);
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return windows;
}

}  // namespace gavel::eval
