#pragma once

#include <memory>
#include <string>

#include "gavel/datasets/field_source.hpp"

namespace gavel::datasets {

/// Frames of a Well HDF5 file read on demand with hyperslab selections: only the requested
/// frames of one field of one trajectory are read, so memory stays bounded by the request.
class WellFileSource : public FieldSource {
 public:
  /// Validates the structure (read_well_file) and keeps the file open for reading.
  explicit WellFileSource(const std::string& path);
  ~WellFileSource() override;
  WellFileSource(WellFileSource&&) noexcept;
  WellFileSource& operator=(WellFileSource&&) noexcept;

  const WellFileInfo& info() const override { return info_; }
  /// Command-line parity overrides (see datasets::override_parity).
  void override_parity(const std::vector<std::string>& pseudo, const std::vector<std::string>& polar) {
    datasets::override_parity(info_, pseudo, polar);
  }
  void read_frames(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                   std::int64_t stride, float* out) const override;
  void read_constant(std::size_t field, std::int64_t trajectory, float* out) const override;

 private:
  void read_selection(std::size_t field, std::int64_t trajectory, std::int64_t first, std::int64_t count,
                      std::int64_t stride, float* out) const;
  /// Tiles frames stored with extent 1 along axes where the field does not vary.
  void broadcast_frames(const float* compact, std::int64_t frames, const WellField& field, float* out) const;

  WellFileInfo info_;
  struct Handles;
  std::unique_ptr<Handles> handles_;
};

}  // namespace gavel::datasets
