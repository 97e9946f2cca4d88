#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gavel::report {

/// Small inline-SVG charts for report.html: axes with round ticks, a legend, and every text
/// HTML-escaped. Non-finite values leave gaps (lines) or empty slots (bars).

struct ChartAxis {
  std::string label;
  bool log10 = false;  ///< a logarithmic axis (values ≤ 0 are left out)
  /// Ticks at these data values with these labels instead of round ones (e.g. group orders).
  std::vector<std::pair<double, std::string>> ticks;
};

/// A horizontal dashed line across the plot, labelled in the legend.
struct ReferenceLine {
  std::string label, color;
  double value = 0;
};

struct LineSeries {
  std::string label, color;
  std::vector<double> x, y;
  bool lines = true;                      ///< join the points (false: markers only)
  std::vector<std::string> point_labels;  ///< optional text next to each point
};

struct LineChart {
  ChartAxis x, y;
  std::vector<LineSeries> series;
  std::vector<ReferenceLine> references;
  std::string description;  ///< the SVG's aria-label
  int width = 640, height = 320;
};

/// <svg class="chart"> with one <path> per series.
std::string line_chart_svg(const LineChart& chart);

struct BarSeries {
  std::string label, color;
  std::vector<double> values;  ///< one per category
};

struct BarChart {
  ChartAxis y;  ///< linear; bars start at zero
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  std::vector<ReferenceLine> references;
  std::string description;
  int height = 320;
};

/// <svg class="chart"> with grouped bars, one group per category (the width grows with them).
std::string bar_chart_svg(const BarChart& chart);

}  // namespace gavel::report
