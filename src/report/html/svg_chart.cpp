// SVG chart primitives (see svg_chart.hpp).
#include "report/html/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "base/escape.hpp"
#include "base/format.hpp"

namespace fragreplay::report::svg {
namespace {

// Coordinates with one decimal: enough for a 1000-unit viewBox, and deterministic.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double nice_step(double span, int count) {
  if (!(span > 0) || count < 1) return 1;
  const double raw = span / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double f = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return f * mag;
}

// "2", "0.5", "0.25": the shortest form that shows a multiple of `step`.
std::string step_number(double v, double step) {
  char buf[32];
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string title_element(const std::string& title) {
  return title.empty() ? std::string() : "<title>" + html_escape(title) + "</title>";
}

}  // namespace

double LinearScale::operator()(double v) const {
  if (d1 == d0) return (r0 + r1) / 2;
  return r0 + (v - d0) * (r1 - r0) / (d1 - d0);
}

std::vector<Tick> nice_ticks(double lo, double hi, int count,
                             const std::function<std::string(double)>& label) {
  std::vector<Tick> ticks;
  if (!(hi > lo)) {
    ticks.push_back({lo, label(lo)});
    return ticks;
  }
  const double step = nice_step(hi - lo, count);
  const double first = std::floor(lo / step) * step;
  const double steps = std::floor((hi - first) / step + 1e-9);
  // Far from 0 a step may be below what a double resolves there (a span of a few microseconds
  // near 2^64 ns): the ticks would repeat one value. Then the ends are the ticks.
  if (!(steps >= 0 && steps <= 4.0 * count + 4) || first + step == first) {
    ticks.push_back({lo, label(lo)});
    ticks.push_back({hi, label(hi)});
    return ticks;
  }
  const auto n = static_cast<int>(steps);
  for (int i = 0; i <= n; ++i) {
    const double v = first + i * step;
    if (v >= lo - step * 1e-9) ticks.push_back({v, label(v)});
  }
  return ticks;
}

std::vector<Tick> byte_ticks(double max, int count) {
  static constexpr std::array<const char*, 5> kUnits{"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  double scale = 1;
  while (unit + 1 < kUnits.size() && max >= scale * 1024) {
    scale *= 1024;
    ++unit;
  }
  const double m = max / scale;
  const double step = unit == 0 ? std::max(1.0, nice_step(m, count)) : nice_step(m, count);
  std::vector<Tick> ticks;
  const int n = m > 0 ? static_cast<int>(std::ceil(m / step - 1e-9)) : 1;
  for (int i = 0; i <= n; ++i) {
    const double v = i * step;
    ticks.push_back({v * scale, i == 0 ? "0" : step_number(v, step) + " " + kUnits[unit]});
  }
  return ticks;
}

std::string exact_size(std::uint64_t bytes) {
  static constexpr std::array<const char*, 5> kUnits{"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  std::uint64_t v = bytes;
  while (unit + 1 < kUnits.size() && v >= 1024 && v % 1024 == 0) {
    v /= 1024;
    ++unit;
  }
  if (v < 1024 || unit + 1 == kUnits.size()) return std::to_string(v) + " " + kUnits[unit];
  return human_bytes(bytes);
}

std::string heat_colour(double v) {
  struct Stop {
    double at;
    int r, g, b;
  };
  static constexpr std::array<Stop, 5> kStops{{{0.0, 0xf8, 0xfa, 0xfc},
                                               {0.1, 0xfe, 0xf0, 0x8a},
                                               {0.4, 0xfb, 0x92, 0x3c},
                                               {0.7, 0xdc, 0x26, 0x26},
                                               {1.0, 0x4c, 0x05, 0x19}}};
  v = std::clamp(v, 0.0, 1.0);
  std::size_t i = 1;
  while (i + 1 < kStops.size() && v > kStops[i].at) ++i;
  const Stop& a = kStops[i - 1];
  const Stop& b = kStops[i];
  const double t = (v - a.at) / (b.at - a.at);
  auto mix = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
  return buf;
}

Canvas::Canvas(double width, double height, double left, double right, double top, double bottom)
    : width_(width), height_(height), left_(left), right_(right), top_(top), bottom_(bottom) {}

LinearScale Canvas::x_scale(double d0, double d1) const {
  return {d0, d1, plot_left(), plot_right()};
}
LinearScale Canvas::y_scale(double d0, double d1) const {
  return {d0, d1, plot_bottom(), plot_top()};
}

void Canvas::x_axis(const LinearScale& x, const std::vector<Tick>& ticks) {
  for (const Tick& t : ticks) {
    const double px = x(t.value);
    if (px < plot_left() - 0.5 || px > plot_right() + 0.5) continue;
    line(px, plot_top(), px, plot_bottom(), Palette::kGrid, 1, false);
    text(px, plot_bottom() + 16, t.label, "middle", "tick");
  }
  line(plot_left(), plot_bottom(), plot_right(), plot_bottom(), Palette::kAxis, 1, false);
}

void Canvas::y_axis(const LinearScale& y, const std::vector<Tick>& ticks) {
  for (const Tick& t : ticks) {
    const double py = y(t.value);
    line(plot_left(), py, plot_right(), py, Palette::kGrid, 1, false);
    text(plot_left() - 6, py + 4, t.label, "end", "tick");
  }
}

void Canvas::y_label(double y, const std::string& s) {
  text(plot_left() - 6, y + 4, s, "end", "tick");
}

void Canvas::axis_title_x(const std::string& s) {
  text((plot_left() + plot_right()) / 2, height_ - 4, s, "middle", "axis-title");
}

void Canvas::polyline(const std::vector<double>& xs, const std::vector<double>& ys,
                      const char* colour, double width, const std::string& title) {
  std::string points;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (i != 0) points += ' ';
    points += num(xs[i]) + "," + num(ys[i]);
  }
  body_ += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" +
           num(width) + "\" stroke-linejoin=\"round\" points=\"" + points + "\">" +
           title_element(title) + "</polyline>\n";
}

void Canvas::band(const std::vector<double>& xs, const std::vector<double>& low,
                  const std::vector<double>& high, const char* colour, const std::string& title) {
  std::string d;
  const std::size_t n = std::min({xs.size(), low.size(), high.size()});
  auto point = [&d](char command, double x, double y) {
    d += command;
    d += num(x);
    d += ',';
    d += num(y);
  };
  for (std::size_t i = 0; i < n; ++i) point(i == 0 ? 'M' : 'L', xs[i], high[i]);
  for (std::size_t i = n; i-- > 0;) point('L', xs[i], low[i]);
  if (n != 0) d += 'Z';
  body_ += "<path fill=\"" + std::string(colour) + "\" fill-opacity=\"0.85\" d=\"" + d + "\">" +
           title_element(title) + "</path>\n";
}

void Canvas::rect(double x, double y, double w, double h, const std::string& fill,
                  const std::string& title) {
  body_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"" + fill + "\">" + title_element(title) + "</rect>\n";
}

void Canvas::linked_rect(const std::string& href, double x, double y, double w, double h,
                         const std::string& fill, const std::string& title) {
  body_ += "<a href=\"" + href + "\">";
  rect(x, y, w, h, fill, title);
  body_ += "</a>\n";
}

void Canvas::time_mark(const std::string& id, double x, const char* colour,
                       const std::string& title) {
  body_ += "<line id=\"" + id + "\" class=\"time-mark\" x1=\"" + num(x) + "\" y1=\"" +
           num(plot_top()) + "\" x2=\"" + num(x) + "\" y2=\"" + num(plot_bottom()) +
           "\" stroke=\"" + colour + "\" stroke-width=\"1\">" + title_element(title) + "</line>\n";
}

void Canvas::line(double x1, double y1, double x2, double y2, const char* colour, double width,
                  bool dashed) {
  body_ += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
           num(y2) + "\" stroke=\"" + colour + "\" stroke-width=\"" + num(width) + "\"" +
           (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>\n";
}

void Canvas::circle(double cx, double cy, double r, const char* fill, const std::string& title) {
  body_ += "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"" + num(r) + "\" fill=\"" +
           fill + "\" stroke=\"#fff\" stroke-width=\"1.5\">" + title_element(title) + "</circle>\n";
}

void Canvas::text(double x, double y, const std::string& s, const char* anchor,
                  const char* css_class) {
  body_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor +
           "\" class=\"" + css_class + "\">" + html_escape(s) + "</text>\n";
}

void Canvas::mark_time(const LinearScale& x) {
  // Trace times exactly enough to tell 1 ns apart below 2^53 (%.17g round-trips a double).
  char buf[160];
  std::snprintf(buf, sizeof buf,
                " class=\"time-chart\" data-t0=\"%.17g\" data-t1=\"%.17g\" data-x0=\"%s\" "
                "data-x1=\"%s\"",
                x.d0, x.d1, num(x.r0).c_str(), num(x.r1).c_str());
  time_attributes_ = buf;
}

std::string Canvas::finish(const std::string& label) const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width_) + " " +
         num(height_) + "\"" + time_attributes_ + " role=\"img\" aria-label=\"" +
         html_escape(label) + "\">\n" + body_ + "</svg>\n";
}

}  // namespace fragreplay::report::svg
