#include "gavel/datasets/netcdf_common.hpp"

#include <algorithm>
#include <cctype>

#include "gavel/core/error.hpp"

namespace gavel::datasets::netcdf {

std::mutex& library_mutex() {
  static std::mutex mutex;
  return mutex;
}

void check(int status, const std::string& where, const std::string& what) {
  if (status != NC_NOERR) throw Error(where + ": " + what + ": " + nc_strerror(status));
}

std::string type_name(int ncid, nc_type type) {
  switch (type) {
    case NC_BYTE:
      return "byte";
    case NC_UBYTE:
      return "ubyte";
    case NC_CHAR:
      return "char";
    case NC_SHORT:
      return "short";
    case NC_USHORT:
      return "ushort";
    case NC_INT:
      return "int";
    case NC_UINT:
      return "uint";
    case NC_INT64:
      return "int64";
    case NC_UINT64:
      return "uint64";
    case NC_FLOAT:
      return "float";
    case NC_DOUBLE:
      return "double";
    case NC_STRING:
      return "string";
    default:
      break;
  }
  char name[NC_MAX_NAME + 1] = {0};
  int type_class = 0;
  if (nc_inq_user_type(ncid, type, name, nullptr, nullptr, nullptr, &type_class) != NC_NOERR)
    return "type " + std::to_string(type);
  std::string kind = "user-defined";
  if (type_class == NC_COMPOUND) kind = "compound";
  if (type_class == NC_VLEN) kind = "variable-length";
  if (type_class == NC_OPAQUE) kind = "opaque";
  if (type_class == NC_ENUM) kind = "enum";
  return kind + " type '" + name + "'";
}

bool is_numeric(nc_type type) {
  switch (type) {
    case NC_BYTE:
    case NC_UBYTE:
    case NC_SHORT:
    case NC_USHORT:
    case NC_INT:
    case NC_UINT:
    case NC_INT64:
    case NC_UINT64:
    case NC_FLOAT:
    case NC_DOUBLE:
      return true;
    default:
      return false;
  }
}

bool has_attribute(int ncid, int varid, const std::string& name) {
  int id = 0;
  return nc_inq_attid(ncid, varid, name.c_str(), &id) == NC_NOERR;
}

namespace {

std::string attribute_where(int varid, const std::string& name, const std::string& where) {
  return where + ": attribute '" + name + "'" + (varid == NC_GLOBAL ? " (global)" : "");
}

std::vector<std::string> read_strings(int ncid, int varid, const std::string& name, std::size_t length,
                                      const std::string& here) {
  std::vector<char*> values(length, nullptr);
  check(nc_get_att_string(ncid, varid, name.c_str(), values.data()), here, "cannot read");
  std::vector<std::string> out;
  for (char* v : values)
    out.emplace_back(v ? v : "");
  nc_free_string(length, values.data());
  return out;
}

}  // namespace

std::string read_text(int ncid, int varid, const std::string& name, const std::string& where) {
  const std::string here = attribute_where(varid, name, where);
  nc_type type = NC_NAT;
  std::size_t length = 0;
  check(nc_inq_att(ncid, varid, name.c_str(), &type, &length), here, "cannot inquire");
  if (type == NC_CHAR) {
    std::string text(length, '\0');
    if (length > 0) check(nc_get_att_text(ncid, varid, name.c_str(), &text[0]), here, "cannot read");
    // Some writers count a terminating NUL in the length.
    while (!text.empty() && text.back() == '\0')
      text.pop_back();
    return text;
  }
  if (type == NC_STRING && length == 1) return read_strings(ncid, varid, name, length, here).front();
  if (type == NC_STRING) throw Error(here + ": expected one text, found " + std::to_string(length) + " strings");
  throw Error(here + ": expected text, found " + type_name(ncid, type));
}

std::vector<std::string> read_text_list(int ncid, int varid, const std::string& name, const std::string& where) {
  const std::string here = attribute_where(varid, name, where);
  nc_type type = NC_NAT;
  std::size_t length = 0;
  check(nc_inq_att(ncid, varid, name.c_str(), &type, &length), here, "cannot inquire");
  if (type == NC_STRING) {
    // Empty strings name nothing; dropping them keeps every name non-empty, as the split below does.
    std::vector<std::string> names = read_strings(ncid, varid, name, length, here);
    names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
    return names;
  }
  const std::string text = read_text(ncid, varid, name, where);
  std::vector<std::string> out;
  std::string word;
  for (char c : text + ",") {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

std::vector<double> read_numbers(int ncid, int varid, const std::string& name, const std::string& where) {
  const std::string here = attribute_where(varid, name, where);
  nc_type type = NC_NAT;
  std::size_t length = 0;
  check(nc_inq_att(ncid, varid, name.c_str(), &type, &length), here, "cannot inquire");
  if (!is_numeric(type)) throw Error(here + ": expected a number, found " + type_name(ncid, type));
  std::vector<double> values(length);
  if (length > 0) check(nc_get_att_double(ncid, varid, name.c_str(), values.data()), here, "cannot read");
  return values;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace gavel::datasets::netcdf
