#pragma once

#include <string>
#include <vector>

#include "gavel/core/group_element.hpp"

namespace gavel {

/// How a field transforms: scalar (ρ = 1), vector (ρ = R) or rank-2 tensor (ρ = R ⊗ R).
enum class FieldKind : int { scalar = 0, vector = 1, tensor = 2 };

std::string to_string(FieldKind kind);
/// Accepts scalar/vector/tensor and The Well's t0/t1/t2.
FieldKind parse_field_kind(const std::string& word);

/// One physical field: its name, tensor rank and parity. A pseudo field also picks up det R
/// (2-D vorticity is a pseudoscalar, a magnetic field an axial vector).
struct FieldSpec {
  std::string name;
  FieldKind kind = FieldKind::scalar;
  bool pseudo = false;
  /// Channels the field occupies on a grid of `ndim` dimensions: 1, D or D² (row-major).
  int num_components(int ndim) const;
};

/// A signed permutation of channels: output channel c is sign[c] · input channel source[c].
struct ChannelMap {
  std::vector<int> source;
  std::vector<int> sign;
};

/// The channel layout of a (B, C, *space) batch, as The Well flattens it: the time-varying
/// fields repeated for each of `time_steps` steps (time-major, `b (t c)`), each field's
/// components row-major, then the constant fields once.
class ChannelLayout {
 public:
  ChannelLayout(int ndim, std::vector<FieldSpec> fields, int time_steps = 1,
                std::vector<FieldSpec> constant_fields = {});

  int ndim() const { return ndim_; }
  int num_channels() const { return num_channels_; }
  int time_steps() const { return time_steps_; }
  const std::vector<FieldSpec>& fields() const { return fields_; }
  const std::vector<FieldSpec>& constant_fields() const { return constant_fields_; }
  /// "velocity_x", "D_xy", with a "_t2" suffix for time step 2 when time_steps > 1.
  std::vector<std::string> channel_names() const;
  /// How the channels transform under `g`: scalars stay, vector components and tensor entries
  /// are permuted and signed by R (R·v, R·T·Rᵀ), pseudo fields multiplied by det R.
  ChannelMap channel_map(const GroupElement& g) const;

 private:
  int ndim_;
  std::vector<FieldSpec> fields_;
  int time_steps_;
  std::vector<FieldSpec> constant_fields_;
  int num_channels_;
};

}  // namespace gavel
