#pragma once

#include <string>

#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

struct WellWriteOptions {
  bool overwrite = false;
  /// Upper bound on the values buffered per write; frames stream through a buffer this big.
  std::int64_t buffer_values = std::int64_t{1} << 22;
};

/// Writes `source` as a Well HDF5 file: root attributes, `/dimensions` (coordinates, time),
/// `/boundary_conditions` (one group per axis and condition, masks on the faces, so that
/// the_well's reduction gives back `info().boundary`), `/scalars` and `/t{0,1,2}_fields` with
/// their flags (and `gavel_parity = "pseudo"` for pseudo fields). Field data stream frame by
/// frame. The file appears under `path` only when complete; an existing `path` is an error
/// unless `options.overwrite`.
void write_well_file(const std::string& path, const FieldSource& source, const WellWriteOptions& options = {});

}  // namespace gavel::datasets
