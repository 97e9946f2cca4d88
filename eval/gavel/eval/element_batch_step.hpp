#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include <Kokkos_Core.hpp>

#include "gavel/core/error.hpp"
#include "gavel/core/group_action.hpp"
#include "gavel/eval/evaluation_setup.hpp"
#include "gavel/eval/field_arithmetic.hpp"

namespace gavel::eval {

/// The step the one-step and the rollout evaluation share for every group element's output of a
/// batch (one-step: each chunk of the averaged call; rollout: each of the |G| independent
/// rollouts at a step): map it back, g⁻¹·f(g·x), and add it to the average of every subgroup
/// that holds the element — on the execution space, in buffers sized once for the batch. The
/// callers then score mapped_back() and measure its defect against the baseline as their mode
/// needs, and score each subgroup_average() once all |G| elements of the batch were mapped back.
template <class ExecSpace>
class ElementBatchStep {
 public:
  using View = Kokkos::View<float*, typename ExecSpace::memory_space>;

  /// Buffers for up to `batch` samples of `channels` × `points` values each.
  ElementBatchStep(const EvaluationSetup& setup, std::int64_t batch, std::int64_t channels, std::int64_t points)
      : inverse_output_(setup.grid, setup.output, inverses_of(setup.elements)),
        sample_size_(channels * points),
        back_("mapped back", static_cast<std::size_t>(batch * channels * points)),
        memberships_(setup.elements.size()) {
    for (std::size_t h = 0; h < setup.subgroups.size(); ++h) {
      const auto& members = setup.subgroups[h].elements;
      if (members.empty()) throw Error("subgroup '" + setup.subgroups[h].name + "' has no elements");
      const std::size_t first = *std::min_element(members.begin(), members.end());
      const auto weight = static_cast<float>(1.0 / static_cast<double>(members.size()));
      for (const std::size_t e : members) {
        if (e >= memberships_.size())
          throw Error("subgroup '" + setup.subgroups[h].name + "' names element " + std::to_string(e) +
                      " of a group of order " + std::to_string(memberships_.size()));
        memberships_[e].push_back({h, weight, e == first});
      }
      sums_.emplace_back("subgroup average", back_.extent(0));
    }
  }

  /// g⁻¹ of element `element` applied to `output` (n samples) into mapped_back(n), then added
  /// with weight 1/|H| to the average of every subgroup H that holds it (its smallest element
  /// starts the sum: elements must arrive in increasing order within a batch).
  void map_back(std::size_t element, const View& output, std::int64_t n, const ExecSpace& exec) {
    const View back = mapped_back(n);
    inverse_output_.template apply<float>(element, output, n, back, exec);
    for (const auto& m : memberships_.at(element))
      accumulate_scaled(back, m.weight, m.starts_sum, subgroup_average(m.subgroup, n), exec);
  }

  /// g⁻¹ of element `element` applied to `output` into mapped_back(n) without touching the
  /// subgroup averages (the averaged model's own defect check maps f_G(g·x) back this way).
  View map_back_alone(std::size_t element, const View& output, std::int64_t n, const ExecSpace& exec) const {
    const View back = mapped_back(n);
    inverse_output_.template apply<float>(element, output, n, back, exec);
    return back;
  }

  /// The last element's g⁻¹·f(g·x) for the batch's first n samples.
  View mapped_back(std::int64_t n) const { return first(back_, n); }

  /// Subgroup h's average 1/|H| Σ_{h∈H} h⁻¹·f(h·x) of the batch's first n samples.
  View subgroup_average(std::size_t h, std::int64_t n) const { return first(sums_.at(h), n); }

 private:
  struct Membership {
    std::size_t subgroup;
    float weight;
    bool starts_sum;
  };

  static std::vector<GroupElement> inverses_of(const std::vector<GroupElement>& elements) {
    std::vector<GroupElement> out;
    out.reserve(elements.size());
    for (const auto& g : elements)
      out.push_back(inverse(g));
    return out;
  }

  View first(const View& view, std::int64_t n) const {
    return Kokkos::subview(view, std::make_pair(std::size_t{0}, static_cast<std::size_t>(n * sample_size_)));
  }

  GroupAction<ExecSpace> inverse_output_;
  std::int64_t sample_size_;
  View back_;
  std::vector<View> sums_;
  std::vector<std::vector<Membership>> memberships_;  ///< per element: the subgroups that hold it
};

}  // namespace gavel::eval
