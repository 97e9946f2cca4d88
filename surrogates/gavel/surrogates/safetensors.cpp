#include "gavel/surrogates/safetensors.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "gavel/core/checked_size.hpp"
#include "gavel/core/error.hpp"
#include "gavel/core/json_input.hpp"
#include "gavel/core/shape_text.hpp"

namespace gavel::surrogates {
namespace {

/// No checkpoint gavel reads has tensors of more than 6 axes; a longer shape is refused.
constexpr std::size_t kMaxTensorRank = 32;

std::size_t dtype_size(const std::string& dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL") return 1;
  return 0;
}

template <class T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Pickle-based PyTorch checkpoints start with a zip header (torch.save since 1.6) or the
/// pickle protocol opcode 0x80; loading either would run code.
bool looks_like_pickle(const unsigned char* head, std::size_t n) {
  if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return true;
  return n >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5;
}

}  // namespace

std::int64_t TensorEntry::elements() const {
  return checked_product(shape, "tensor '" + name + "' shape");
}

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = (bits & 0x8000u) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t out;
  if (exponent == 0x1f) {
    out = sign | 0x7f800000u | (mantissa << 13);  // Inf / NaN
  } else if (exponent != 0) {
    out = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    out = sign;
  } else {  // subnormal half: normalize
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    out = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &out, sizeof f);
  return f;
}

float bfloat16_to_float(std::uint16_t bits) {
  const std::uint32_t out = static_cast<std::uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &out, sizeof f);
  return f;
}

struct SafetensorsFile::Mapping {
  void* address = nullptr;
  std::size_t size = 0;
  std::size_t data_start = 0;
  ~Mapping() {
    if (address) munmap(address, size);
  }
  const unsigned char* bytes() const { return static_cast<const unsigned char*>(address); }
};

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path), mapping_(new Mapping) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(path + ": not a regular file");
  }
  mapping_->size = static_cast<std::size_t>(st.st_size);
  if (mapping_->size > 0) {
    void* address = mmap(nullptr, mapping_->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) {
      ::close(fd);
      throw Error(path + ": cannot map: " + std::strerror(errno));
    }
    mapping_->address = address;
  }
  ::close(fd);
  SafetensorsHeader header = parse_safetensors_header(mapping_->bytes(), mapping_->size, path);
  mapping_->data_start = header.data_start;
  tensors_ = std::move(header.tensors);
  metadata_ = std::move(header.metadata);
}

SafetensorsHeader parse_safetensors_header(const unsigned char* bytes, std::size_t size, const std::string& path) {
  if (looks_like_pickle(bytes, size))
    throw Error(path +
                ": a pickle-based PyTorch checkpoint; gavel loads only safetensors, which run no code on load "
                "(save with the model's save_pretrained, or safetensors.torch.save_file(model.state_dict(), ...))");
  if (size < 8) throw Error(path + ": too short for a safetensors header (" + std::to_string(size) + " bytes)");
  const auto header_length = load<std::uint64_t>(bytes);
  if (header_length > size - 8)
    throw Error(path + ": header length " + std::to_string(header_length) + " exceeds the file (" +
                std::to_string(size) + " bytes): truncated or not safetensors");
  SafetensorsHeader result;
  result.data_start = 8 + static_cast<std::size_t>(header_length);
  const std::size_t data_size = size - result.data_start;
  const auto* header_begin = reinterpret_cast<const char*>(bytes + 8);
  const nlohmann::json header = parse_json_input(header_begin, header_begin + header_length, path + ": header");
  if (!header.is_object()) throw Error(path + ": header is not a JSON object");
  for (const auto& [name, value] : header.items()) {
    const std::string where = path + ": tensor '" + name + "'";
    if (name == "__metadata__") {
      if (!value.is_object()) throw Error(path + ": __metadata__ is not an object");
      for (const auto& [k, v] : value.items())
        result.metadata[k] = v.is_string() ? v.get<std::string>() : json_excerpt(v, 1024);
      continue;
    }
    if (!value.is_object() || !value.contains("dtype") || !value.contains("shape") || !value.contains("data_offsets"))
      throw Error(where + ": entry needs dtype, shape and data_offsets");
    TensorEntry entry;
    entry.name = name;
    // Types are checked before converting: nlohmann's get<> on a value of the wrong kind or
    // range throws or is undefined (a float 1.18e21 as size_t).
    const auto& dtype = value["dtype"];
    if (!dtype.is_string()) throw Error(where + ": dtype is not a string: " + json_excerpt(dtype));
    entry.dtype = dtype.get<std::string>();
    const auto& shape = value["shape"];
    if (!shape.is_array()) throw Error(where + ": shape is not a list: " + json_excerpt(shape));
    if (shape.size() > kMaxTensorRank)
      throw Error(where + ": shape has " + std::to_string(shape.size()) + " axes, at most " +
                  std::to_string(kMaxTensorRank) + " supported");
    for (const auto& extent : shape)
      entry.shape.push_back(json_size(extent, where + ": shape"));
    const auto& offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2)
      throw Error(where + ": data_offsets needs two numbers, found " + json_excerpt(offsets));
    entry.begin = static_cast<std::uint64_t>(json_size(offsets[0], where + ": data_offsets"));
    entry.end = static_cast<std::uint64_t>(json_size(offsets[1], where + ": data_offsets"));
    const std::size_t item = dtype_size(entry.dtype);
    if (item == 0) throw Error(where + ": unsupported dtype '" + entry.dtype + "'");
    // Shapes multiply without wrapping: a wrapped count could match a tiny byte range.
    const std::int64_t byte_count =
        checked_multiply(checked_product(entry.shape, where + ": shape " + shape_text(entry.shape)),
                         static_cast<std::int64_t>(item), where + ": shape " + shape_text(entry.shape));
    if (entry.end < entry.begin || entry.end > data_size)
      throw Error(where + ": byte range [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                  ") lies outside the data (" + std::to_string(data_size) + " bytes): truncated file?");
    if (entry.end - entry.begin != static_cast<std::uint64_t>(byte_count))
      throw Error(where + ": " + std::to_string(entry.end - entry.begin) + " bytes for " +
                  std::to_string(entry.elements()) + " " + entry.dtype + " values");
    result.tensors.push_back(std::move(entry));
  }
  std::sort(result.tensors.begin(), result.tensors.end(),
            [](const TensorEntry& a, const TensorEntry& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < result.tensors.size(); ++i)
    if (result.tensors[i].begin < result.tensors[i - 1].end)
      throw Error(path + ": tensors '" + result.tensors[i - 1].name + "' and '" + result.tensors[i].name + "' overlap");
  std::sort(result.tensors.begin(), result.tensors.end(),
            [](const TensorEntry& a, const TensorEntry& b) { return a.name < b.name; });
  return result;
}

SafetensorsFile::~SafetensorsFile() = default;

const TensorEntry* SafetensorsFile::find(const std::string& name) const {
  const auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                                   [](const TensorEntry& e, const std::string& n) { return e.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

std::vector<float> SafetensorsFile::read(const std::string& name) const {
  const TensorEntry* entry = find(name);
  if (!entry) throw Error(path_ + ": no tensor '" + name + "'");
  const unsigned char* p = mapping_->bytes() + mapping_->data_start + entry->begin;
  const auto n = static_cast<std::size_t>(entry->elements());
  std::vector<float> out(n);
  const std::string& t = entry->dtype;
  for (std::size_t i = 0; i < n; ++i) {
    if (t == "F32")
      out[i] = load<float>(p + 4 * i);
    else if (t == "F16")
      out[i] = half_to_float(load<std::uint16_t>(p + 2 * i));
    else if (t == "BF16")
      out[i] = bfloat16_to_float(load<std::uint16_t>(p + 2 * i));
    else if (t == "F64")
      out[i] = static_cast<float>(load<double>(p + 8 * i));
    else if (t == "I64")
      out[i] = static_cast<float>(load<std::int64_t>(p + 8 * i));
    else if (t == "U64")
      out[i] = static_cast<float>(load<std::uint64_t>(p + 8 * i));
    else if (t == "I32")
      out[i] = static_cast<float>(load<std::int32_t>(p + 4 * i));
    else if (t == "U32")
      out[i] = static_cast<float>(load<std::uint32_t>(p + 4 * i));
    else if (t == "I16")
      out[i] = static_cast<float>(load<std::int16_t>(p + 2 * i));
    else if (t == "U16")
      out[i] = static_cast<float>(load<std::uint16_t>(p + 2 * i));
    else if (t == "I8")
      out[i] = static_cast<float>(static_cast<std::int8_t>(p[i]));
    else
      out[i] = static_cast<float>(p[i]);  // U8, BOOL
  }
  release_pages(p, static_cast<std::size_t>(entry->end - entry->begin));
  return out;
}

void SafetensorsFile::release_pages(const unsigned char* begin, std::size_t bytes) const {
  // The tensor has been converted; its file pages would otherwise stay resident until the whole
  // file is unmapped, so loading a checkpoint held it twice (file pages and converted values).
  // Only whole pages inside the tensor are dropped; the mapping stays valid (a later read of
  // them faults them in again from the file).
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto first = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
  const auto last = (reinterpret_cast<std::uintptr_t>(begin) + bytes) / page * page;
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace gavel::surrogates
