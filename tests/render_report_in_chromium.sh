#!/bin/sh
# Renders a report with `gavel report` from a report.json (the committed fixture, or one gavel
# eval just wrote) and opens report.html in headless
# Chromium: the DOM must hold every figure with its heat-map images, colour bars and charts, and a
# screenshot of the page must not be blank. Exit 77 (skipped) when no Chromium is installed
# (scripts/setup.sh installs chromium-headless-shell).
#
#   tests/render_report_in_chromium.sh GAVEL FIXTURE_JSON WORK_FOLDER
set -eu

if [ $# -ne 3 ]; then
  echo "usage: $0 GAVEL FIXTURE_JSON WORK_FOLDER" >&2
  exit 2
fi
gavel=$1
fixture=$2
work=$3

browser=""
for candidate in chromium-headless-shell chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$(command -v "$candidate")
    break
  fi
done
if [ -z "$browser" ]; then
  echo "no chromium-headless-shell or chromium on PATH: skipped"
  exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to read the screenshot" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/report" "$work/home"
cp "$fixture" "$work/report/report.json"
"$gavel" report "$work/report"
html="$work/report/report.html"

# Chromium wants a writable home and profile; --no-sandbox because CI runs as root.
run_browser() {
  HOME="$work/home" timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" "$@" "file://$html"
}
run_browser --dump-dom >"$work/dom.html" 2>"$work/chromium-dom.log" ||
  { cat "$work/chromium-dom.log" >&2; echo "chromium --dump-dom failed" >&2; exit 1; }
run_browser --window-size=1280,4000 --screenshot="$work/page.png" >"$work/chromium-screenshot.log" 2>&1 ||
  { cat "$work/chromium-screenshot.log" >&2; echo "chromium --screenshot failed" >&2; exit 1; }

python3 - "$fixture" "$work/dom.html" "$work/page.png" <<'PYTHON'
import json
import struct
import sys
import zlib

fixture, dom_path, png_path = sys.argv[1:4]
report = json.load(open(fixture))
dom = open(dom_path, encoding="utf-8").read()
failures = []

def expect(condition, message):
    if not condition:
        failures.append(message)

samples = len(report["figures"]["samples"])
figures = ["fig-field-vrmse", "fig-heatmaps", "fig-elements", "fig-rollout", "fig-rollout-defect", "fig-subgroups"]
for figure in figures:
    expect(dom.count('<figure id="%s">' % figure) == 1, "the DOM lacks <figure id=%s>" % figure)
expect(dom.count("<figcaption>") == len(figures), "expected %d figure captions" % len(figures))
heat_maps = dom.count('<img class="heatmap"')
expect(heat_maps == 5 * samples, "expected %d heat-map images, found %d" % (5 * samples, heat_maps))
color_bars = dom.count('<svg class="colorbar"')
expect(color_bars == 2 * samples, "expected %d colour bars, found %d" % (2 * samples, color_bars))
charts = dom.count('<svg class="chart"')
expect(charts == 5, "expected 5 charts, found %d" % charts)
if "a<&>b" in json.dumps(report["one_step"]["baseline"]["per_field"]):  # the committed fixture's
    expect("a&lt;&amp;&gt;b" in dom, "the field name a<&>b is not shown as text")
    expect("<td>a&lt;&amp;&gt;b</td>" in dom, "the field name a<&>b is not a table cell of its own")

# The screenshot: decode the PNG (8-bit RGB or RGBA, not interlaced) and look at its pixels.
data = open(png_path, "rb").read()
expect(data[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG")
position, idat, header = 8, b"", None
while position < len(data):
    length, kind = struct.unpack(">I4s", data[position:position + 8])
    body = data[position + 8:position + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    position += 12 + length
width, height, depth, color_type, _, _, interlace = header
channels = {2: 3, 6: 4}.get(color_type)
if depth != 8 or channels is None or interlace != 0:
    failures.append("unexpected PNG format: depth %d, colour type %d, interlace %d" % (depth, color_type, interlace))
else:
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colors = set()
    non_white = 0
    colourful = 0
    for row in range(height):
        start = row * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 255
        if row % 4 == 0:
            for i in range(0, stride, channels * 4):
                pixel = bytes(line[i:i + 3])
                colors.add(pixel)
                if pixel != b"\xff\xff\xff":
                    non_white += 1
                if max(pixel) - min(pixel) > 60:  # heat maps and charts, not grey text
                    colourful += 1
        previous = line
    sampled = (height + 3) // 4 * ((width + 3) // 4)
    print("screenshot %dx%d: %d colours; of the sampled pixels %.1f%% not white, %.1f%% coloured"
          % (width, height, len(colors), 100.0 * non_white / sampled, 100.0 * colourful / sampled))
    expect(len(colors) >= 64, "the screenshot has only %d colours" % len(colors))
    expect(non_white >= 0.03 * sampled, "the screenshot is nearly blank")
    expect(colourful >= 0.01 * sampled, "the screenshot shows no heat maps or charts (hardly any coloured pixels)")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("report.html renders in Chromium: %d figures, %d heat maps, %d colour bars, %d charts"
      % (len(figures), heat_maps, color_bars, charts))
PYTHON
