#pragma once

#include <optional>
#include <string>

namespace gavel::report {

/// How the human-readable reports (summary.md, report.html) print numbers; an absent or
/// non-finite value prints as "n/a".

/// Four significant digits: 0.08123, 1235, 3e-08.
std::string format_value(std::optional<double> value);
/// A relative change in percent with sign and two decimals: "-12.34%", "+0.50%".
std::string format_change_percent(std::optional<double> percent);
/// A fraction in [0, 1] as a percentage with one decimal: 0.925 → "92.5%".
std::string format_fraction_percent(std::optional<double> fraction);
/// An interval of two values: "[-0.01234, -0.008]".
std::string format_interval(std::optional<double> low, std::optional<double> high);
/// A count, printed as an integer: "120".
std::string format_count(std::optional<double> count);
/// Seconds with four significant digits and a unit: "1.234 s".
std::string format_seconds(std::optional<double> seconds);
/// Whether a table cell holds one of the texts above ("n/a" included), as opposed to a name or
/// other text: the renderers right-align such cells.
bool looks_numeric(const std::string& cell);
/// The shortest text that reads back as the same double (for metrics.csv); "" when absent.
std::string format_exact(std::optional<double> value);

}  // namespace gavel::report
