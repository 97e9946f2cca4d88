#include "gavel/datasets/hdf5_attributes.hpp"

#include <memory>

#include "gavel/core/error.hpp"

namespace gavel::datasets::hdf5 {
namespace {

H5::Attribute open(const H5::H5Object& object, const std::string& name, const std::string& where) {
  if (!object.attrExists(name)) throw Error(where + ": attribute '" + name + "' is missing");
  return object.openAttribute(name);
}

std::size_t element_count(const H5::Attribute& attribute) {
  const H5::DataSpace space = attribute.getSpace();
  const auto n = space.getSimpleExtentNpoints();
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

}  // namespace

bool has_attribute(const H5::H5Object& object, const std::string& name) {
  return object.attrExists(name);
}

std::vector<std::string> read_string_list(const H5::H5Object& object, const std::string& name,
                                          const std::string& where) {
  const H5::Attribute attribute = open(object, name, where);
  const H5::DataType type = attribute.getDataType();
  const std::size_t n = element_count(attribute);
  if (n == 0) return {};  // h5py stores an empty list as an empty float array
  if (type.getClass() != H5T_STRING) throw Error(where + ": attribute '" + name + "' is not a string");
  std::vector<std::string> values;
  const H5::StrType string_type(type.getId());
  if (string_type.isVariableStr()) {
    std::vector<char*> raw(n, nullptr);
    attribute.read(string_type, raw.data());
    for (char* s : raw)
      values.emplace_back(s ? s : "");
    H5::DataSpace space = attribute.getSpace();
    H5Dvlen_reclaim(string_type.getId(), space.getId(), H5P_DEFAULT, raw.data());
  } else {
    const std::size_t width = type.getSize();
    std::vector<char> raw(n * width, '\0');
    attribute.read(string_type, raw.data());
    for (std::size_t i = 0; i < n; ++i) {
      std::string s(raw.data() + i * width, width);
      values.push_back(s.substr(0, s.find('\0')));
    }
  }
  return values;
}

std::string read_string(const H5::H5Object& object, const std::string& name, const std::string& where) {
  const auto values = read_string_list(object, name, where);
  if (values.size() != 1)
    throw Error(where + ": attribute '" + name + "' holds " + std::to_string(values.size()) + " strings, expected one");
  return values[0];
}

double read_number(const H5::H5Object& object, const std::string& name, const std::string& where) {
  const H5::Attribute attribute = open(object, name, where);
  const auto cls = attribute.getDataType().getClass();
  if ((cls != H5T_FLOAT && cls != H5T_INTEGER) || element_count(attribute) != 1)
    throw Error(where + ": attribute '" + name + "' is not a single number");
  double value = 0;
  attribute.read(H5::PredType::NATIVE_DOUBLE, &value);
  return value;
}

std::int64_t read_integer(const H5::H5Object& object, const std::string& name, const std::string& where) {
  const H5::Attribute attribute = open(object, name, where);
  if (attribute.getDataType().getClass() != H5T_INTEGER || element_count(attribute) != 1)
    throw Error(where + ": attribute '" + name + "' is not a single integer");
  std::int64_t value = 0;
  attribute.read(H5::PredType::NATIVE_INT64, &value);
  return value;
}

std::vector<bool> read_flag_list(const H5::H5Object& object, const std::string& name, const std::string& where) {
  const H5::Attribute attribute = open(object, name, where);
  const H5::DataType type = attribute.getDataType();
  const auto cls = type.getClass();
  const std::size_t width = type.getSize();
  if ((cls != H5T_ENUM && cls != H5T_INTEGER) || width > 8)
    throw Error(where + ": attribute '" + name + "' is not a boolean");
  const std::size_t n = element_count(attribute);
  // Read the raw bytes in the attribute's own type: h5py's bool enum has no conversion to int.
  std::vector<std::uint8_t> raw(n * width, 0);
  if (n > 0) attribute.read(type, raw.data());
  std::vector<bool> flags(n, false);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < width; ++b)
      if (raw[i * width + b] != 0) flags[i] = true;
  return flags;
}

bool read_flag(const H5::H5Object& object, const std::string& name, bool fallback, const std::string& where) {
  if (!object.attrExists(name)) return fallback;
  const auto flags = read_flag_list(object, name, where);
  if (flags.size() != 1) throw Error(where + ": attribute '" + name + "' is not a boolean");
  return flags[0];
}

std::vector<std::int64_t> shape(const H5::DataSet& dataset) {
  const H5::DataSpace space = dataset.getSpace();
  const int rank = space.getSimpleExtentNdims();
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank > 0 ? rank : 0));
  if (rank > 0) space.getSimpleExtentDims(dims.data());
  return std::vector<std::int64_t>(dims.begin(), dims.end());
}

std::vector<std::uint8_t> read_mask(const H5::DataSet& dataset, const std::string& where) {
  const H5::DataType type = dataset.getDataType();
  const auto cls = type.getClass();
  if ((cls != H5T_ENUM && cls != H5T_INTEGER) || type.getSize() != 1)
    throw Error(where + ": mask is not a boolean dataset");
  std::size_t n = 1;
  for (auto e : shape(dataset))
    n *= static_cast<std::size_t>(e);
  std::vector<std::uint8_t> values(n, 0);
  if (n > 0) dataset.read(values.data(), type);
  return values;
}

std::vector<double> read_numbers(const H5::DataSet& dataset, const std::string& where) {
  const auto cls = dataset.getDataType().getClass();
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) throw Error(where + ": not a numeric dataset");
  std::size_t n = 1;
  for (auto e : shape(dataset))
    n *= static_cast<std::size_t>(e);
  std::vector<double> values(n, 0.0);
  if (n > 0) dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
  return values;
}

std::vector<std::string> member_names(const H5::Group& group) {
  std::vector<std::string> names;
  const hsize_t n = group.getNumObjs();
  for (hsize_t i = 0; i < n; ++i)
    names.push_back(group.getObjnameByIdx(i));
  return names;
}

}  // namespace gavel::datasets::hdf5
