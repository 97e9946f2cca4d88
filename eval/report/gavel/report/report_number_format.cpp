#include "gavel/report/report_number_format.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace gavel::report {
namespace {
constexpr const char* kNotAvailable = "n/a";

bool present(std::optional<double> value) {
  return value && std::isfinite(*value);
}

std::string printf_double(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}
}  // namespace

std::string format_value(std::optional<double> value) {
  if (!present(value)) return kNotAvailable;
  return printf_double("%.4g", *value);
}

std::string format_change_percent(std::optional<double> percent) {
  if (!present(percent)) return kNotAvailable;
  return printf_double("%+.2f", *percent) + "%";
}

std::string format_fraction_percent(std::optional<double> fraction) {
  if (!present(fraction)) return kNotAvailable;
  return printf_double("%.1f", 100.0 * *fraction) + "%";
}

std::string format_interval(std::optional<double> low, std::optional<double> high) {
  if (!present(low) && !present(high)) return kNotAvailable;
  return "[" + format_value(low) + ", " + format_value(high) + "]";
}

std::string format_count(std::optional<double> count) {
  if (!present(count)) return kNotAvailable;
  return printf_double("%.0f", *count);
}

std::string format_seconds(std::optional<double> seconds) {
  if (!present(seconds)) return kNotAvailable;
  return format_value(seconds) + " s";
}

bool looks_numeric(const std::string& cell) {
  if (cell == kNotAvailable) return true;
  const auto digit = [&](std::size_t i) {
    return i < cell.size() && std::isdigit(static_cast<unsigned char>(cell[i]));
  };
  if (digit(0)) return true;
  const bool sign = !cell.empty() && (cell[0] == '-' || cell[0] == '+' || cell[0] == '[');
  return sign && (digit(1) || (cell.size() > 1 && (cell[1] == '.' || cell[1] == '-')));
}

std::string format_exact(std::optional<double> value) {
  if (!present(value)) return "";
  return nlohmann::json(*value).dump();
}

}  // namespace gavel::report
