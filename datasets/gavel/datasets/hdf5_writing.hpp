#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <H5Cpp.h>

namespace gavel::datasets::hdf5 {

/// Writers for the encodings h5py uses, so that files gavel writes read back in h5py and
/// the_well exactly like their own: variable-length UTF-8 strings, numpy bools as the one-byte
/// enum {FALSE = 0, TRUE = 1}, Python ints as int64 and floats as float64.

void write_string(H5::H5Object& object, const std::string& name, const std::string& value);
void write_string_list(H5::H5Object& object, const std::string& name, const std::vector<std::string>& values);
void write_integer(H5::H5Object& object, const std::string& name, std::int64_t value);
void write_number(H5::H5Object& object, const std::string& name, double value);
void write_flag(H5::H5Object& object, const std::string& name, bool value);
void write_flag_list(H5::H5Object& object, const std::string& name, const std::vector<bool>& values);

/// The numpy-bool enum type.
H5::EnumType bool_type();
/// A float32 dataset of `shape` holding `values` (row-major); an empty shape makes a scalar.
H5::DataSet write_floats(H5::Group& group, const std::string& name, const std::vector<std::int64_t>& shape,
                         const std::vector<float>& values);
/// A boolean dataset (numpy-bool encoding) of `shape`.
H5::DataSet write_mask(H5::Group& group, const std::string& name, const std::vector<std::int64_t>& shape,
                       const std::vector<std::uint8_t>& values);

}  // namespace gavel::datasets::hdf5
