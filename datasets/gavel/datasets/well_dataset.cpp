#include "gavel/datasets/well_dataset.hpp"

#include <algorithm>
#include <filesystem>

#include "gavel/core/error.hpp"

namespace gavel::datasets {

namespace fs = std::filesystem;

std::string WellDatasetFolder::first_file() const {
  for (const auto& split : splits)
    if (!split.files.empty()) return split.files.front();
  throw Error(root + ": no HDF5 files in any split");
}

WellDatasetFolder open_well_dataset(const std::string& path) {
  fs::path root = fs::path(path);
  if (!fs::is_directory(root)) throw Error(path + ": not a folder");
  if (root.filename() == "data" || (root.filename().empty() && root.parent_path().filename() == "data"))
    root = fs::absolute(root).lexically_normal().parent_path();
  if (!fs::is_directory(root / "data"))
    throw Error(path + ": not a Well dataset folder (expected data/{train,valid,test} inside it)");
  WellDatasetFolder dataset;
  dataset.root = root.string();
  dataset.name = fs::absolute(root).lexically_normal().filename().string();
  if (dataset.name.empty()) dataset.name = fs::absolute(root).lexically_normal().parent_path().filename().string();
  for (const char* split_name : {"train", "valid", "test"}) {
    const fs::path folder = root / "data" / split_name;
    if (!fs::is_directory(folder)) continue;
    WellSplit split;
    split.name = split_name;
    for (const auto& entry : fs::directory_iterator(folder)) {
      const auto extension = entry.path().extension().string();
      if (entry.is_regular_file() && (extension == ".hdf5" || extension == ".h5"))
        split.files.push_back(entry.path().string());
    }
    std::sort(split.files.begin(), split.files.end());
    dataset.splits.push_back(std::move(split));
  }
  if (dataset.splits.empty()) throw Error(path + ": data/ holds none of the splits train, valid, test");
  const fs::path stats = root / "stats.yaml";
  if (fs::is_regular_file(stats)) dataset.stats = WellStats::read(stats.string());
  (void)dataset.first_file();  // an error when every split is empty
  return dataset;
}

}  // namespace gavel::datasets
