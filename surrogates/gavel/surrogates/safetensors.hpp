#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gavel::surrogates {

/// One tensor of a safetensors file, as its JSON header describes it.
struct TensorEntry {
  std::string name;
  std::string dtype;  ///< F32, F16, BF16, F64, or an integer/bool type (I64, I32, I16, I8, U8, BOOL)
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;  ///< byte offsets into the data block
  std::uint64_t end = 0;
  std::int64_t elements() const;
};

/// What a safetensors header says: its tensors (sorted by name), its `__metadata__`, and where
/// the data block starts.
struct SafetensorsHeader {
  std::vector<TensorEntry> tensors;
  std::map<std::string, std::string> metadata;
  std::size_t data_start = 0;
};

/// Parses and validates the header of the safetensors file whose `size` bytes are at `bytes`
/// (the checks SafetensorsFile describes); `path` names it in errors. The bytes are untrusted:
/// every problem is a gavel::Error.
SafetensorsHeader parse_safetensors_header(const unsigned char* bytes, std::size_t size, const std::string& path);

/// A safetensors file (the format of The Well's published `model.safetensors`), memory-mapped
/// read-only. The header is validated on open: its length, JSON, dtypes, shapes, and that the
/// byte ranges lie inside the file, match the element counts and do not overlap. Nothing in the
/// file is executed. Pickle-based PyTorch files (`.pt`, `.pth`, `.bin`, zip or raw pickle) are
/// refused with a pointer to safetensors.
class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  /// Entries sorted by name.
  const std::vector<TensorEntry>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const TensorEntry* find(const std::string& name) const;
  /// The tensor converted to float32 (F16 and BF16 exactly, F64 and integers rounded). Its file
  /// pages leave the resident set afterwards (reading it again maps them in again).
  std::vector<float> read(const std::string& name) const;

 private:
  void release_pages(const unsigned char* begin, std::size_t bytes) const;

  std::string path_;
  std::vector<TensorEntry> tensors_;
  std::map<std::string, std::string> metadata_;
  struct Mapping;
  std::unique_ptr<Mapping> mapping_;
};

/// float32 from IEEE half and bfloat16 bit patterns.
float half_to_float(std::uint16_t bits);
float bfloat16_to_float(std::uint16_t bits);

}  // namespace gavel::surrogates
