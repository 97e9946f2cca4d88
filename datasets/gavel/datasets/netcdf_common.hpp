#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <netcdf.h>

namespace gavel::datasets::netcdf {

/// Helpers shared by the NetCDF reader and writer over the netCDF C API, for what the C++4 API
/// does not cover well (NC_STRING attributes, error texts). `where` names the object in error
/// messages ("file.nc: variable 'u'"); every failure throws gavel::Error.

/// The netCDF library is not thread-safe: every use of it holds this lock.
std::mutex& library_mutex();

/// "x", "y", "z" by axis position.
inline constexpr const char* kAxisLetters = "xyz";

/// Throws gavel::Error "<where>: <what>: <netCDF's message>" unless `status` is NC_NOERR.
void check(int status, const std::string& where, const std::string& what);

/// "float", "double", "char", "string", "compound type 'name'", …
std::string type_name(int ncid, nc_type type);
/// The numeric atomic types, which convert to float and double.
bool is_numeric(nc_type type);

bool has_attribute(int ncid, int varid, const std::string& name);
/// A text attribute: NC_CHAR, or one NC_STRING. Other types throw.
std::string read_text(int ncid, int varid, const std::string& name, const std::string& where);
/// A list of names: an NC_STRING array (empty strings left out), or one text split at commas and
/// white space. Every name returned is non-empty.
std::vector<std::string> read_text_list(int ncid, int varid, const std::string& name, const std::string& where);
/// A numeric attribute, any numeric type, as doubles.
std::vector<double> read_numbers(int ncid, int varid, const std::string& name, const std::string& where);

/// Lower-case copy.
std::string lower(std::string text);

}  // namespace gavel::datasets::netcdf
