#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gavel/core/field_layout.hpp"
#include "gavel/core/grid.hpp"
#include "gavel/core/group_element.hpp"
#include "gavel/datasets/windows.hpp"

namespace gavel::eval {

/// A subgroup of the evaluation group, by indices into EvaluationSetup::elements.
struct NamedSubgroup {
  std::string name;
  std::vector<std::size_t> elements;
};

/// What the evaluation engine needs to know about the data and the group: the grid the group
/// acts on, how the model's input and output channels transform, the elements (identity
/// first), and the subgroups whose averages are scored too.
struct EvaluationSetup {
  Grid grid;
  ChannelLayout input, output;
  std::vector<GroupElement> elements;
  std::vector<NamedSubgroup> subgroups;
  /// Elements on which the averaged model's own equivariance defect is measured: a generating
  /// set of the group by default (eval/README.md says why that suffices), or all of them.
  std::vector<std::size_t> defect_elements;

  /// Physical fields of the output with their first channel and component count (the defect is
  /// measured per physical field: a vector's components together).
  struct FieldChannels {
    std::string name;
    std::int64_t first = 0, count = 1;
  };
  std::vector<FieldChannels> output_fields() const;
  /// Throws gavel::Error unless elements() starts with the identity.
  void check() const;
};

/// Progress of a long loop: called with (done, total) after every batch.
using ProgressCallback = std::function<void(std::int64_t, std::int64_t)>;

/// Throws gavel::Error when a model with these channel counts cannot run on the windows.
void check_model_fits(const datasets::WindowedDataset& windows, int model_dims, int in_channels, int out_channels);

/// Relative L2 distance ‖a − b‖ / ‖b‖ over `count` channels of `points` values each, starting at
/// channel `first` of one (C, P) sample; 0 when both vanish, +∞ when only b does.
double relative_l2(const float* a, const float* b, std::int64_t first, std::int64_t count, std::int64_t points);

}  // namespace gavel::eval
