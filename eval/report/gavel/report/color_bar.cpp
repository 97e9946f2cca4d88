#include "gavel/report/color_bar.hpp"

#include <cmath>
#include <cstdio>

#include "gavel/report/axis_ticks.hpp"
#include "gavel/report/html_escape.hpp"

namespace gavel::report {

std::string color_bar_svg(ColorMap map, double lo, double hi, const std::string& label, int height) {
  constexpr int kBands = 48, kTop = 18, kBarWidth = 14, kWidth = 78;
  const double span = hi > lo ? hi - lo : 1.0;
  std::string svg = "<svg class=\"colorbar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) +
                    "\" height=\"" + std::to_string(height + kTop + 8) + "\" role=\"img\" aria-label=\"" +
                    escape_html("colour scale " + label) + "\">";
  svg += "<text x=\"0\" y=\"11\" font-size=\"10\">" + escape_html(label) + "</text>";
  const double band = static_cast<double>(height) / kBands;
  for (int i = 0; i < kBands; ++i) {
    // The top band holds the highest values.
    const double t = (kBands - 1 - i + 0.5) / kBands;
    char rect[160];
    std::snprintf(rect, sizeof rect, "<rect x=\"0\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\"/>",
                  kTop + i * band, kBarWidth, band + 0.5, to_hex(color_at(map, t)).c_str());
    svg += rect;
  }
  svg += "<rect x=\"0\" y=\"" + std::to_string(kTop) + "\" width=\"" + std::to_string(kBarWidth) + "\" height=\"" +
         std::to_string(height) + "\" fill=\"none\" stroke=\"#333\" stroke-width=\"0.5\"/>";
  const auto scale = nice_axis_scale(lo, hi, 4);
  for (double tick : scale.ticks) {
    if (tick < lo - 1e-12 * span || tick > hi + 1e-12 * span) continue;
    const double y = kTop + (hi - tick) / span * height;
    char mark[200];
    std::snprintf(mark, sizeof mark,
                  "<line x1=\"%d\" x2=\"%d\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#333\"/>"
                  "<text x=\"%d\" y=\"%.2f\" font-size=\"10\">",
                  kBarWidth, kBarWidth + 4, y, y, kBarWidth + 6, y + 3.5);
    svg += mark + escape_html(format_tick(tick, scale.step)) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace gavel::report
