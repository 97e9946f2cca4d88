#include "gavel/datasets/well_file_source.hpp"

#include <algorithm>

#include <H5Cpp.h>

#include "gavel/core/error.hpp"

namespace gavel::datasets {

struct WellFileSource::Handles {
  H5::H5File file;
  std::vector<H5::DataSet> fields;  ///< in info().fields order
};

WellFileSource::WellFileSource(const std::string& path) : info_(read_well_file(path)) {
  H5::Exception::dontPrint();
  try {
    handles_ = std::make_unique<Handles>();
    handles_->file = H5::H5File(path, H5F_ACC_RDONLY);
    for (const auto& field : info_.fields)
      handles_->fields.push_back(
          handles_->file.openDataSet("t" + std::to_string(field.order) + "_fields/" + field.name));
  } catch (const H5::Exception& e) {
    throw Error(path + ": HDF5 error in " + e.getFuncName() + ": " + e.getDetailMsg());
  }
}

WellFileSource::~WellFileSource() = default;
WellFileSource::WellFileSource(WellFileSource&&) noexcept = default;
WellFileSource& WellFileSource::operator=(WellFileSource&&) noexcept = default;

void WellFileSource::broadcast_frames(const float* compact, std::int64_t frames, const WellField& field,
                                      float* out) const {
  const int ndim = info_.ndim();
  std::int64_t components = 1;
  for (int k = 0; k < field.order; ++k)
    components *= ndim;
  std::int64_t points = 1, stored_points = 1;
  for (int k = 0; k < ndim; ++k) {
    points *= info_.spatial_shape[static_cast<std::size_t>(k)];
    stored_points *= field.varies_along(k) ? info_.spatial_shape[static_cast<std::size_t>(k)] : 1;
  }
  for (std::int64_t f = 0; f < frames; ++f)
    for (std::int64_t p = 0; p < points; ++p) {
      // The stored index drops the coordinates along axes the field does not vary on.
      std::int64_t rest = p, source = 0, stride = 1;
      for (int k = ndim - 1; k >= 0; --k) {
        const std::int64_t n = info_.spatial_shape[static_cast<std::size_t>(k)];
        const std::int64_t coordinate = rest % n;
        rest /= n;
        if (!field.varies_along(k)) continue;
        source += coordinate * stride;
        stride *= n;
      }
      const float* from = compact + (f * stored_points + source) * components;
      std::copy(from, from + components, out + (f * points + p) * components);
    }
}

void WellFileSource::read_selection(std::size_t index, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                                    std::int64_t stride, float* out) const {
  const WellField& field = info_.fields.at(index);
  const std::string where = info_.path + ": /t" + std::to_string(field.order) + "_fields/" + field.name;
  if (trajectory < 0 || trajectory >= info_.n_trajectories)
    throw Error(where + ": trajectory " + std::to_string(trajectory) + " out of range (the file has " +
                std::to_string(info_.n_trajectories) + ")");
  if (field.time_varying) {
    const std::int64_t last = first + (count - 1) * stride;
    if (count < 1 || stride < 1 || first < 0 || last >= info_.n_steps)
      throw Error(where + ": steps " + std::to_string(first) + ".." + std::to_string(last) + " (stride " +
                  std::to_string(stride) + ") out of range (the file has " + std::to_string(info_.n_steps) + ")");
  }
  std::vector<hsize_t> start(field.shape.size(), 0), step(field.shape.size(), 1), blocks(field.shape.size(), 1);
  std::vector<hsize_t> counts(field.shape.begin(), field.shape.end());
  std::size_t axis = 0;
  if (field.sample_varying) {
    start[axis] = static_cast<hsize_t>(trajectory);
    counts[axis++] = 1;
  }
  if (field.time_varying) {
    start[axis] = static_cast<hsize_t>(first);
    step[axis] = static_cast<hsize_t>(stride);
    counts[axis] = static_cast<hsize_t>(count);
  }
  try {
    const H5::DataSet& set = handles_->fields[index];
    H5::DataSpace selection = set.getSpace();
    selection.selectHyperslab(H5S_SELECT_SET, counts.data(), start.data(), step.data(), blocks.data());
    const auto stored = static_cast<std::int64_t>(selection.getSelectNpoints());
    const hsize_t flat[1] = {static_cast<hsize_t>(stored)};
    const H5::DataSpace memory(1, flat);
    const std::int64_t frames = field.time_varying ? count : 1;
    if (stored == frames * frame_size(info_, field)) {
      set.read(out, H5::PredType::NATIVE_FLOAT, memory, selection);
    } else {
      std::vector<float> compact(static_cast<std::size_t>(stored));
      set.read(compact.data(), H5::PredType::NATIVE_FLOAT, memory, selection);
      broadcast_frames(compact.data(), frames, field, out);
    }
  } catch (const H5::Exception& e) {
    throw Error(where + ": HDF5 error in " + e.getFuncName() + ": " + e.getDetailMsg() +
                " (truncated or corrupt file?)");
  }
}

void WellFileSource::read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                                 std::int64_t stride, float* out) const {
  if (!info_.fields.at(field).time_varying)
    throw Error(info_.path + ": field '" + info_.fields[field].name + "' is constant in time");
  read_selection(field, trajectory, first, count, stride, out);
}

void WellFileSource::read_constant(std::size_t field, std::int64_t trajectory, float* out) const {
  if (info_.fields.at(field).time_varying)
    throw Error(info_.path + ": field '" + info_.fields[field].name + "' varies in time");
  read_selection(field, trajectory, 0, 1, 1, out);
}

}  // namespace gavel::datasets
