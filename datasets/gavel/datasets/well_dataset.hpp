#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gavel/datasets/well_stats.hpp"

namespace gavel::datasets {

/// One split of a dataset folder: its HDF5 files, sorted as the_well sorts them.
struct WellSplit {
  std::string name;
  std::vector<std::string> files;
};

/// A dataset folder in The Well's layout: `<name>/data/{train,valid,test}/*.hdf5|*.h5` with
/// `<name>/stats.yaml` beside `data/`.
struct WellDatasetFolder {
  std::string root;  ///< the `<name>` folder
  std::string name;
  std::vector<WellSplit> splits;  ///< those present, in train, valid, test order
  std::optional<WellStats> stats;
  /// The first file of the first non-empty split (all files of a dataset share one structure).
  std::string first_file() const;
};

/// Opens `<name>` or its `data/` folder. Throws gavel::Error when neither holds a split with files.
WellDatasetFolder open_well_dataset(const std::string& path);

}  // namespace gavel::datasets
