#include "gavel/core/group_element.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <tuple>

#include "gavel/core/error.hpp"

namespace gavel {

GroupElement GroupElement::identity(int ndim) {
  return GroupElement(ndim, {0, 1, 2}, {1, 1, 1});
}

GroupElement::GroupElement(int ndim, const std::array<int, kMaxSpatialDims>& source,
                           const std::array<int, kMaxSpatialDims>& sign,
                           const std::array<std::int64_t, kMaxSpatialDims>& shift)
    : ndim_(ndim), source_{0, 1, 2}, sign_{1, 1, 1}, shift_{0, 0, 0} {
  if (ndim < 1 || ndim > kMaxSpatialDims)
    throw Error("group element: " + std::to_string(ndim) + " dimensions, 1 to 3 supported");
  std::array<bool, kMaxSpatialDims> used{false, false, false};
  for (int k = 0; k < ndim; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    if (source[uk] < 0 || source[uk] >= ndim || used[static_cast<std::size_t>(source[uk])])
      throw Error("group element: axis sources are not a permutation of " + std::to_string(ndim) + " axes");
    if (sign[uk] != 1 && sign[uk] != -1) throw Error("group element: axis signs must be +1 or -1");
    used[static_cast<std::size_t>(source[uk])] = true;
    source_[uk] = source[uk];
    sign_[uk] = sign[uk];
    shift_[uk] = shift[uk];
  }
}

bool GroupElement::has_shift() const {
  return std::any_of(shift_.begin(), shift_.begin() + ndim_, [](std::int64_t t) { return t != 0; });
}

bool GroupElement::is_identity() const {
  return *this == identity(ndim_);
}

int GroupElement::determinant() const {
  int det = 1;
  for (int k = 0; k < ndim_; ++k)
    det *= sign(k);
  // Parity of the permutation by counting inversions.
  for (int a = 0; a < ndim_; ++a)
    for (int b = a + 1; b < ndim_; ++b)
      if (source_axis(a) > source_axis(b)) det = -det;
  return det;
}

GroupElement GroupElement::point_part() const {
  return GroupElement(ndim_, source_, sign_);
}

GroupElement GroupElement::reduced(const std::array<std::int64_t, kMaxSpatialDims>& periods) const {
  std::array<std::int64_t, kMaxSpatialDims> shift = shift_;
  for (int k = 0; k < ndim_; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    if (periods[uk] > 0) {
      shift[uk] = ((shift[uk] % periods[uk]) + periods[uk]) % periods[uk];
    } else if (shift[uk] != 0) {
      throw Error("group element: shift along non-periodic axis " + std::to_string(k));
    }
  }
  return GroupElement(ndim_, source_, sign_, shift);
}

bool operator<(const GroupElement& a, const GroupElement& b) {
  const auto key = [](const GroupElement& e) {
    std::array<int, kMaxSpatialDims> negated{};
    for (int k = 0; k < kMaxSpatialDims; ++k)
      negated[static_cast<std::size_t>(k)] = k < e.ndim() ? -e.sign(k) : 0;
    return std::make_tuple(e.ndim(), e.has_shift(), -e.determinant(), e.is_identity() ? 0 : 1, e.point_part().source_,
                           negated, e.shift_);
  };
  return key(a) < key(b);
}

GroupElement compose(const GroupElement& g, const GroupElement& h) {
  if (g.ndim() != h.ndim()) throw Error("compose: elements of different dimension");
  std::array<int, kMaxSpatialDims> source{0, 1, 2};
  std::array<int, kMaxSpatialDims> sign{1, 1, 1};
  std::array<std::int64_t, kMaxSpatialDims> shift{0, 0, 0};
  for (int k = 0; k < g.ndim(); ++k) {
    const int m = g.source_axis(k);
    const auto uk = static_cast<std::size_t>(k);
    source[uk] = h.source_axis(m);
    sign[uk] = g.sign(k) * h.sign(m);
    shift[uk] = g.sign(k) * h.shift(m) + g.shift(k);
  }
  return GroupElement(g.ndim(), source, sign, shift);
}

GroupElement inverse(const GroupElement& g) {
  std::array<int, kMaxSpatialDims> source{0, 1, 2};
  std::array<int, kMaxSpatialDims> sign{1, 1, 1};
  std::array<std::int64_t, kMaxSpatialDims> shift{0, 0, 0};
  for (int k = 0; k < g.ndim(); ++k) {
    const auto m = static_cast<std::size_t>(g.source_axis(k));
    source[m] = k;
    sign[m] = g.sign(k);
    shift[m] = -g.sign(k) * g.shift(k);
  }
  return GroupElement(g.ndim(), source, sign, shift);
}

int order(const GroupElement& g, const std::array<std::int64_t, kMaxSpatialDims>& periods) {
  const GroupElement base = g.reduced(periods);
  GroupElement power = base;
  int n = 1;
  while (!power.is_identity()) {
    power = compose(power, base).reduced(periods);
    ++n;
  }
  return n;
}

std::vector<GroupElement> hyperoctahedral_group(int ndim) {
  if (ndim < 1 || ndim > kMaxSpatialDims)
    throw Error("hyperoctahedral group: " + std::to_string(ndim) + " dimensions, 1 to 3 supported");
  std::vector<GroupElement> elements;
  std::array<int, kMaxSpatialDims> perm{0, 1, 2};
  do {
    for (int mask = 0; mask < (1 << ndim); ++mask) {
      std::array<int, kMaxSpatialDims> sign{1, 1, 1};
      for (int k = 0; k < ndim; ++k)
        if (mask & (1 << k)) sign[static_cast<std::size_t>(k)] = -1;
      elements.emplace_back(ndim, perm, sign);
    }
  } while (std::next_permutation(perm.begin(), perm.begin() + ndim));
  std::sort(elements.begin(), elements.end());
  return elements;
}

Grid transform_grid(const GroupElement& g, const Grid& grid) {
  if (g.ndim() != grid.ndim())
    throw Error("element of dimension " + std::to_string(g.ndim()) + " applied to a " + std::to_string(grid.ndim()) +
                "-D grid");
  std::vector<std::int64_t> shape;
  std::vector<std::array<BoundaryCondition, 2>> faces;
  std::vector<Sampling> sampling;
  for (int k = 0; k < g.ndim(); ++k) {
    const int m = g.source_axis(k);
    shape.push_back(grid.extent(m));
    sampling.push_back(grid.sampling(m));
    const auto low = grid.bc(m, Face::low);
    const auto high = grid.bc(m, Face::high);
    faces.push_back(g.sign(k) > 0 ? std::array<BoundaryCondition, 2>{low, high}
                                  : std::array<BoundaryCondition, 2>{high, low});
  }
  return Grid(shape, faces, sampling);
}

}  // namespace gavel
