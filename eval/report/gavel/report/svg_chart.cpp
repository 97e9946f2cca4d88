#include "gavel/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "gavel/report/axis_ticks.hpp"
#include "gavel/report/html_escape.hpp"

namespace gavel::report {
namespace {

constexpr double kLeft = 70, kRight = 20, kTop = 16, kLegendRow = 16;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string text_element(double x, double y, const std::string& anchor, const std::string& text,
                         const std::string& extra = "") {
  return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"11\"" +
         extra + ">" + escape_html(text) + "</text>";
}

/// Maps data values onto one pixel axis, through log10 when asked; non-plottable values give NaN.
class AxisMap {
 public:
  AxisMap(const ChartAxis& axis, std::vector<double> values, double pixel_from, double pixel_to, bool from_zero)
      : axis_(axis), from_(pixel_from), to_(pixel_to) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values) {
      const double t = transform(v);
      if (!std::isfinite(t)) continue;
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    for (const auto& [value, label] : axis.ticks) {
      const double t = transform(value);
      if (std::isfinite(t)) lo = std::min(lo, t), hi = std::max(hi, t);
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (from_zero && !axis.log10) lo = std::min(lo, 0.0);
    if (axis.log10) {
      lo = std::floor(lo);
      hi = std::max(std::ceil(hi), lo + 1);
      for (double e = lo; e <= hi; e += 1)
        ticks_.push_back({e, decade_label(e)});
    } else if (!axis.ticks.empty()) {
      const double pad = hi > lo ? 0.06 * (hi - lo) : 0.5;
      lo -= pad, hi += pad;
    } else {
      const auto scale = nice_axis_scale(lo, hi, 5);
      lo = scale.lo, hi = scale.hi;
      for (double tick : scale.ticks)
        ticks_.push_back({tick, format_tick(tick, scale.step)});
    }
    for (const auto& [value, label] : axis.ticks)
      ticks_.push_back({transform(value), label});
    lo_ = lo, hi_ = hi;
  }

  double transform(double value) const {
    if (!std::isfinite(value)) return kNaN;
    if (!axis_.log10) return value;
    return value > 0 ? std::log10(value) : kNaN;
  }
  /// Pixel of a data value (NaN when it cannot be drawn).
  double pixel(double value) const { return pixel_of_transformed(transform(value)); }
  double pixel_of_transformed(double t) const {
    if (!std::isfinite(t)) return kNaN;
    return from_ + (t - lo_) / (hi_ - lo_) * (to_ - from_);
  }
  const std::vector<std::pair<double, std::string>>& ticks() const { return ticks_; }

 private:
  static std::string decade_label(double exponent) {
    const auto e = static_cast<int>(exponent);
    if (e >= -2 && e <= 3) return format_tick(std::pow(10.0, e), std::pow(10.0, std::min(e, 0)));
    return "1e" + std::to_string(e);
  }

  const ChartAxis& axis_;
  double from_, to_, lo_ = 0, hi_ = 1;
  std::vector<std::pair<double, std::string>> ticks_;
};

std::string svg_open(int width, int height, const std::string& description) {
  return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "\" role=\"img\" aria-label=\"" + escape_html(description) + "\">";
}

/// The y axis with grid lines, its label, and the plot frame.
std::string y_axis(const AxisMap& map, const std::string& label, double left, double right, double top, double bottom) {
  std::string svg;
  for (const auto& [t, text] : map.ticks()) {
    const double y = map.pixel_of_transformed(t);
    if (!std::isfinite(y) || y < top - 0.5 || y > bottom + 0.5) continue;
    svg += "<line x1=\"" + number(left) + "\" x2=\"" + number(right) + "\" y1=\"" + number(y) + "\" y2=\"" + number(y) +
           "\" stroke=\"#ddd\"/>";
    svg += text_element(left - 6, y + 4, "end", text);
  }
  svg += "<rect x=\"" + number(left) + "\" y=\"" + number(top) + "\" width=\"" + number(right - left) + "\" height=\"" +
         number(bottom - top) + "\" fill=\"none\" stroke=\"#333\"/>";
  const double middle = (top + bottom) / 2;
  svg += text_element(16, middle, "middle", label, " transform=\"rotate(-90 16 " + number(middle) + ")\"");
  return svg;
}

std::string references_svg(const std::vector<ReferenceLine>& references, const AxisMap& map, double left,
                           double right) {
  std::string svg;
  for (const auto& reference : references) {
    const double y = map.pixel(reference.value);
    if (!std::isfinite(y)) continue;
    svg += "<line class=\"reference\" x1=\"" + number(left) + "\" x2=\"" + number(right) + "\" y1=\"" + number(y) +
           "\" y2=\"" + number(y) + "\" stroke=\"" + escape_html(reference.color) +
           "\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/>";
  }
  return svg;
}

struct LegendEntry {
  std::string label, color;
  bool dashed;
};

std::string legend_svg(const std::vector<LegendEntry>& entries, double left, double top) {
  std::string svg = "<g class=\"legend\">";
  double y = top;
  for (const auto& entry : entries) {
    svg += "<line x1=\"" + number(left) + "\" x2=\"" + number(left + 22) + "\" y1=\"" + number(y) + "\" y2=\"" +
           number(y) + "\" stroke=\"" + escape_html(entry.color) + "\" stroke-width=\"" +
           (entry.dashed ? "1.5\" stroke-dasharray=\"6 4\"" : "4\"") + "/>";
    svg += text_element(left + 28, y + 4, "start", entry.label);
    y += kLegendRow;
  }
  return svg + "</g>";
}

std::vector<LegendEntry> reference_legend(const std::vector<ReferenceLine>& references) {
  std::vector<LegendEntry> entries;
  for (const auto& reference : references)
    entries.push_back({reference.label, reference.color, true});
  return entries;
}

}  // namespace

std::string line_chart_svg(const LineChart& chart) {
  std::vector<LegendEntry> legend;
  for (const auto& series : chart.series)
    legend.push_back({series.label, series.color, false});
  for (const auto& entry : reference_legend(chart.references))
    legend.push_back(entry);
  const double legend_height = kLegendRow * static_cast<double>(legend.size()) + 8;
  const double plot_bottom = chart.height - 44 - legend_height;
  const double left = kLeft, right = chart.width - kRight;

  std::vector<double> xs, ys;
  for (const auto& series : chart.series) {
    xs.insert(xs.end(), series.x.begin(), series.x.end());
    ys.insert(ys.end(), series.y.begin(), series.y.end());
  }
  for (const auto& reference : chart.references)
    ys.push_back(reference.value);
  const AxisMap x_map(chart.x, xs, left, right, false);
  const AxisMap y_map(chart.y, ys, plot_bottom, kTop, false);

  std::string svg = svg_open(chart.width, chart.height, chart.description);
  svg += y_axis(y_map, chart.y.label, left, right, kTop, plot_bottom);
  for (const auto& [t, text] : x_map.ticks()) {
    const double x = x_map.pixel_of_transformed(t);
    if (!std::isfinite(x) || x < left - 0.5 || x > right + 0.5) continue;
    svg += "<line x1=\"" + number(x) + "\" x2=\"" + number(x) + "\" y1=\"" + number(plot_bottom) + "\" y2=\"" +
           number(plot_bottom + 5) + "\" stroke=\"#333\"/>";
    svg += text_element(x, plot_bottom + 17, "middle", text);
  }
  svg += text_element((left + right) / 2, plot_bottom + 34, "middle", chart.x.label);
  svg += references_svg(chart.references, y_map, left, right);
  for (const auto& series : chart.series) {
    std::string path;
    std::string markers;
    bool pen_down = false;
    for (std::size_t i = 0; i < std::min(series.x.size(), series.y.size()); ++i) {
      const double x = x_map.pixel(series.x[i]);
      const double y = y_map.pixel(series.y[i]);
      if (!std::isfinite(x) || !std::isfinite(y)) {
        pen_down = false;
        continue;
      }
      path += (pen_down ? "L" : "M") + number(x) + " " + number(y);
      pen_down = true;
      markers += "<circle cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"3\" fill=\"" +
                 escape_html(series.color) + "\"/>";
      if (i < series.point_labels.size() && !series.point_labels[i].empty())
        markers += text_element(x + 5, y - 5, "start", series.point_labels[i]);
    }
    svg += "<g class=\"series\">";
    if (series.lines && !path.empty())
      svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + escape_html(series.color) + "\" stroke-width=\"2\"/>";
    svg += markers + "</g>";
  }
  svg += legend_svg(legend, left, plot_bottom + 52);
  return svg + "</svg>";
}

std::string bar_chart_svg(const BarChart& chart) {
  const double series_count = static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  const double bar_width = chart.series.size() > 2 ? 12 : 18;
  const double group_width = bar_width * series_count + 14;
  const double categories = static_cast<double>(chart.categories.size());
  std::size_t longest = 0;
  for (const auto& category : chart.categories)
    longest = std::max(longest, category.size());
  const bool slanted = categories > 8 || static_cast<double>(longest) * 6.5 > group_width;
  const double label_height = slanted ? std::min<double>(120, 10 + 6.0 * static_cast<double>(longest)) : 20;
  std::vector<LegendEntry> legend;
  for (const auto& series : chart.series)
    legend.push_back({series.label, series.color, false});
  for (const auto& entry : reference_legend(chart.references))
    legend.push_back(entry);
  const double legend_height = kLegendRow * static_cast<double>(legend.size()) + 8;
  const double width = std::max(360.0, kLeft + kRight + 20 + group_width * categories);
  const double height = chart.height + label_height + legend_height;
  const double plot_bottom = chart.height - 20;
  const double left = kLeft, right = width - kRight;

  std::vector<double> values;
  for (const auto& series : chart.series)
    values.insert(values.end(), series.values.begin(), series.values.end());
  for (const auto& reference : chart.references)
    values.push_back(reference.value);
  const AxisMap y_map(chart.y, values, plot_bottom, kTop, true);

  std::string svg = svg_open(static_cast<int>(width), static_cast<int>(height), chart.description);
  svg += y_axis(y_map, chart.y.label, left, right, kTop, plot_bottom);
  const double zero = y_map.pixel(0.0);
  const double baseline = std::isfinite(zero) ? std::min(zero, plot_bottom) : plot_bottom;
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double group_left = left + 10 + group_width * static_cast<double>(c) + 7;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const auto& series = chart.series[s];
      const double value = c < series.values.size() ? series.values[c] : kNaN;
      const double top = y_map.pixel(value);
      if (!std::isfinite(top)) continue;
      const double x = group_left + bar_width * static_cast<double>(s);
      svg += "<rect class=\"bar\" x=\"" + number(x) + "\" y=\"" + number(std::min(top, baseline)) + "\" width=\"" +
             number(bar_width - 1) + "\" height=\"" + number(std::abs(baseline - top)) + "\" fill=\"" +
             escape_html(series.color) + "\"><title>" +
             escape_html(chart.categories[c] + ", " + series.label + ": " + short_number(value)) + "</title></rect>";
    }
    const double centre = group_left + bar_width * series_count / 2;
    const double label_y = plot_bottom + 14;
    if (slanted)
      svg += text_element(centre, label_y, "end", chart.categories[c],
                          " transform=\"rotate(-40 " + number(centre) + " " + number(label_y) + ")\"");
    else
      svg += text_element(centre, label_y, "middle", chart.categories[c]);
  }
  svg += references_svg(chart.references, y_map, left, right);
  svg += legend_svg(legend, left, plot_bottom + label_height + 12);
  return svg + "</svg>";
}

}  // namespace gavel::report
