#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gavel::eval {

/// The rollout windows of `--windows`: "6:12,13:30" → {{6, 12}, {13, 30}}, over 0-based steps,
/// each START:END with 0 <= START < END. Strict: digits only, no empty list, no empty item, no
/// trailing comma, no window given twice; anything else is a gavel::Error that quotes the text.
std::vector<std::pair<int, int>> parse_rollout_windows(const std::string& text);

}  // namespace gavel::eval
