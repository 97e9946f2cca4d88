#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <H5Cpp.h>

namespace gavel::datasets::hdf5 {

/// Small, strict readers over the HDF5 C++ API for the encodings h5py writes (variable-length
/// UTF-8 strings, numpy bool as a one-byte enum). `where` names the object in error messages
/// ("file.hdf5: /dimensions"); every failure throws gavel::Error.

bool has_attribute(const H5::H5Object& object, const std::string& name);
std::string read_string(const H5::H5Object& object, const std::string& name, const std::string& where);
/// A list of strings; a scalar string attribute reads as a one-element list.
std::vector<std::string> read_string_list(const H5::H5Object& object, const std::string& name,
                                          const std::string& where);
double read_number(const H5::H5Object& object, const std::string& name, const std::string& where);
std::int64_t read_integer(const H5::H5Object& object, const std::string& name, const std::string& where);
/// numpy bools (one-byte enum) or integers, any number of them.
std::vector<bool> read_flag_list(const H5::H5Object& object, const std::string& name, const std::string& where);
/// One numpy bool (one-byte enum) or integer; missing → `fallback`.
bool read_flag(const H5::H5Object& object, const std::string& name, bool fallback, const std::string& where);

/// Extents of a dataset.
std::vector<std::int64_t> shape(const H5::DataSet& dataset);
/// A boolean dataset (one-byte enum or integer) as 0/1 bytes, row-major.
std::vector<std::uint8_t> read_mask(const H5::DataSet& dataset, const std::string& where);
/// Any numeric dataset as doubles, row-major.
std::vector<double> read_numbers(const H5::DataSet& dataset, const std::string& where);
/// Names of a group's members in name order (h5py's keys() order).
std::vector<std::string> member_names(const H5::Group& group);

}  // namespace gavel::datasets::hdf5
