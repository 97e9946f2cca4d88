#pragma once

#include <string>

namespace gavel {

/// An output path written through a temporary sibling and renamed into place on `commit()`, so
/// readers never see a half-written file or folder. Refuses an existing destination unless
/// `overwrite`; the temporary is removed when the object dies uncommitted (an exception, say).
class AtomicOutput {
 public:
  AtomicOutput(std::string destination, bool overwrite);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  /// Where to write now: a hidden sibling of the destination, in the same folder (same file
  /// system, so the rename is atomic).
  const std::string& temporary() const { return temporary_; }
  const std::string& destination() const { return destination_; }
  /// Moves the temporary into place, replacing the destination when overwriting was allowed.
  void commit();

 private:
  std::string destination_;
  std::string temporary_;
  bool overwrite_;
  bool committed_ = false;
};

}  // namespace gavel
