#include "gavel/core/group.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "gavel/core/element_notation.hpp"

#include "gavel/core/error.hpp"

namespace gavel {

Group Group::generated_by(int ndim, const std::vector<GroupElement>& generators, const ShiftPeriods& periods) {
  std::set<GroupElement> found{GroupElement::identity(ndim)};
  std::vector<GroupElement> reduced_generators;
  for (const auto& g : generators) {
    if (g.ndim() != ndim)
      throw Error("group: generator of dimension " + std::to_string(g.ndim()) + " in a " + std::to_string(ndim) +
                  "-D group");
    reduced_generators.push_back(g.reduced(periods));
  }
  std::vector<GroupElement> frontier(found.begin(), found.end());
  while (!frontier.empty()) {
    std::vector<GroupElement> next;
    for (const auto& x : frontier)
      for (const auto& s : reduced_generators) {
        GroupElement y = compose(x, s).reduced(periods);
        if (found.insert(y).second) {
          if (found.size() > kMaxOrder)
            throw Error("group: more than " + std::to_string(kMaxOrder) +
                        " elements; choose a larger shift step or fewer generators");
          next.push_back(y);
        }
      }
    frontier.swap(next);
  }
  // Presentation order: point part first by common name (id, rotations, reflections), then
  // unnamed elements, proper before improper; shifts after their point part.
  std::vector<GroupElement> ordered(found.begin(), found.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const GroupElement& a, const GroupElement& b) {
    const auto key = [](const GroupElement& e) {
      return std::make_tuple(-e.point_part().determinant(), common_name_rank(e), e.point_part());
    };
    const auto ka = key(a), kb = key(b);
    if (ka != kb) return ka < kb;
    return a < b;
  });
  return Group(ndim, std::move(ordered), periods);
}

Group::Group(int ndim, std::vector<GroupElement> elements, const ShiftPeriods& periods)
    : ndim_(ndim), periods_(periods), elements_(std::move(elements)) {
  const std::size_t n = elements_.size();
  for (std::size_t i = 0; i < n; ++i)
    index_.emplace(elements_[i], i);
  table_.resize(n * n);
  inverses_.resize(n);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      const auto it = index_.find(compose(elements_[a], elements_[b]).reduced(periods_));
      if (it == index_.end()) throw Error("group: element set is not closed under composition");
      table_[a * n + b] = it->second;
      if (it->second == 0) inverses_[a] = b;
    }
  }
}

std::optional<std::size_t> Group::find(const GroupElement& g) const {
  if (g.ndim() != ndim_) return std::nullopt;
  GroupElement reduced = g;
  try {
    reduced = g.reduced(periods_);
  } catch (const Error&) {
    return std::nullopt;
  }
  const auto it = index_.find(reduced);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool Group::has_shifts() const {
  return std::any_of(elements_.begin(), elements_.end(), [](const GroupElement& g) { return g.has_shift(); });
}

std::vector<std::size_t> Group::closure(const std::vector<std::size_t>& generators) const {
  std::vector<char> member(order(), 0);
  std::vector<std::size_t> elements{identity_index()};
  member[identity_index()] = 1;
  for (std::size_t i = 0; i < elements.size(); ++i)
    for (std::size_t s : generators) {
      const std::size_t y = product(elements[i], s);
      if (!member[y]) {
        member[y] = 1;
        elements.push_back(y);
      }
    }
  std::sort(elements.begin(), elements.end());
  return elements;
}

}  // namespace gavel
