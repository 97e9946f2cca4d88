#include "gavel/datasets/hdf5_writing.hpp"

namespace gavel::datasets::hdf5 {
namespace {

H5::StrType utf8_string_type() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

std::vector<hsize_t> extents(const std::vector<std::int64_t>& shape) {
  return std::vector<hsize_t>(shape.begin(), shape.end());
}

H5::DataSpace space_of(const std::vector<std::int64_t>& shape) {
  if (shape.empty()) return H5::DataSpace(H5S_SCALAR);
  const auto dims = extents(shape);
  return H5::DataSpace(static_cast<int>(dims.size()), dims.data());
}

H5::DataSpace list_space(std::size_t n) {
  const hsize_t dims[1] = {n};
  return H5::DataSpace(1, dims);
}

}  // namespace

H5::EnumType bool_type() {
  H5::EnumType type(H5::PredType::NATIVE_INT8);
  std::int8_t value = 0;
  type.insert("FALSE", &value);
  value = 1;
  type.insert("TRUE", &value);
  return type;
}

void write_string(H5::H5Object& object, const std::string& name, const std::string& value) {
  const H5::StrType type = utf8_string_type();
  H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  const char* text = value.c_str();
  attribute.write(type, &text);
}

void write_string_list(H5::H5Object& object, const std::string& name, const std::vector<std::string>& values) {
  const H5::StrType type = utf8_string_type();
  H5::Attribute attribute = object.createAttribute(name, type, list_space(values.size()));
  std::vector<const char*> texts;
  for (const auto& v : values)
    texts.push_back(v.c_str());
  if (!texts.empty()) attribute.write(type, texts.data());
}

void write_integer(H5::H5Object& object, const std::string& name, std::int64_t value) {
  H5::Attribute attribute = object.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR));
  attribute.write(H5::PredType::NATIVE_INT64, &value);
}

void write_number(H5::H5Object& object, const std::string& name, double value) {
  H5::Attribute attribute = object.createAttribute(name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR));
  attribute.write(H5::PredType::NATIVE_DOUBLE, &value);
}

void write_flag(H5::H5Object& object, const std::string& name, bool value) {
  const H5::EnumType type = bool_type();
  H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  const std::int8_t byte = value ? 1 : 0;
  attribute.write(type, &byte);
}

void write_flag_list(H5::H5Object& object, const std::string& name, const std::vector<bool>& values) {
  const H5::EnumType type = bool_type();
  H5::Attribute attribute = object.createAttribute(name, type, list_space(values.size()));
  std::vector<std::int8_t> bytes(values.begin(), values.end());
  if (!bytes.empty()) attribute.write(type, bytes.data());
}

H5::DataSet write_floats(H5::Group& group, const std::string& name, const std::vector<std::int64_t>& shape,
                         const std::vector<float>& values) {
  H5::DataSet set = group.createDataSet(name, H5::PredType::IEEE_F32LE, space_of(shape));
  if (!values.empty()) set.write(values.data(), H5::PredType::NATIVE_FLOAT);
  return set;
}

H5::DataSet write_mask(H5::Group& group, const std::string& name, const std::vector<std::int64_t>& shape,
                       const std::vector<std::uint8_t>& values) {
  const H5::EnumType type = bool_type();
  H5::DataSet set = group.createDataSet(name, type, space_of(shape));
  if (!values.empty()) set.write(values.data(), type);
  return set;
}

}  // namespace gavel::datasets::hdf5
