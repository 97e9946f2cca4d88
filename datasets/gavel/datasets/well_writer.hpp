#pragma once

#include <string>
#include <vector>

#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

struct WellWriteOptions {
  /// Replace an existing Well file gavel wrote (never anything else; see AtomicOutput).
  bool overwrite = false;
  /// Paths the command reads: the output may be none of them, nor hold one.
  std::vector<std::string> inputs;
  /// Upper bound on the values buffered per write; frames stream through a buffer this big.
  std::int64_t buffer_values = std::int64_t{1} << 22;
};

/// Writes `source` as a Well HDF5 file: root attributes, `/dimensions` (coordinates, time),
/// `/boundary_conditions` (one group per axis and condition, masks on the faces, so that
/// the_well's reduction gives back `info().boundary`), `/scalars` and `/t{0,1,2}_fields` with
/// their flags (and `gavel_parity = "pseudo"` for pseudo fields), and `gavel_version`,
/// `gavel_kind = "well"` at the root, by which gavel recognises its own files. Field data stream
/// frame by frame. The file appears under `path` only when complete; an existing `path` is an
/// error unless `options.overwrite` and it is a Well file gavel wrote.
void write_well_file(const std::string& path, const FieldSource& source, const WellWriteOptions& options = {});

}  // namespace gavel::datasets
