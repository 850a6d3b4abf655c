// Chart primitives for the HTML report: linear scales, "nice" axis ticks (1-2-5 steps, and binary
// steps for byte sizes), and an SVG canvas with a plot area, axes, lines, areas and rectangles.
// Charts scale to the page width through their viewBox; hover text uses SVG <title>, so they need
// no script. Every piece of text passed in is escaped here (report/escape.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fragreplay::report::svg {

// Maps [d0, d1] onto [r0, r1]. A degenerate domain maps everything to the middle of the range.
struct LinearScale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const;
};

struct Tick {
  double value = 0;
  std::string label;
};

// About `count` ticks covering [lo, hi] at a 1, 2 or 5 times power-of-ten step, labelled by
// `label`. The first tick is the largest step multiple <= lo.
std::vector<Tick> nice_ticks(double lo, double hi, int count,
                             const std::function<std::string(double)>& label);
// Ticks for byte sizes from 0 to at least `max`: steps of 1, 2, 5 times a power of ten of the
// binary unit that fits (512 KiB, 1 MiB, 2 MiB, ...), labelled "2 MiB". Always includes 0.
std::vector<Tick> byte_ticks(double max, int count);

// A colour of the report's palette, by role (the CSS uses the same values).
struct Palette {
  static constexpr const char* kRequested = "#2563eb";
  static constexpr const char* kFootprint = "#ea580c";
  static constexpr const char* kPoolPages = "#64748b";
  static constexpr const char* kPoolHeader = "#7c3aed";
  static constexpr const char* kGranularity = "#d97706";
  static constexpr const char* kSubPage = "#dc2626";
  static constexpr const char* kGrid = "#e2e8f0";
  static constexpr const char* kAxis = "#475569";
};

// A size that is a whole number of a binary unit as that number: "4 KiB", "512 KiB", "16 MiB";
// other sizes as human_bytes() would write them.
std::string exact_size(std::uint64_t bytes);

// Linear interpolation from a light to a dark colour for a value in [0, 1] (heat maps).
std::string heat_colour(double v);

class Canvas {
 public:
  // A width x height chart whose plot area is inset by the margins.
  Canvas(double width, double height, double left, double right, double top, double bottom);

  double plot_left() const { return left_; }
  double plot_right() const { return width_ - right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return height_ - bottom_; }
  LinearScale x_scale(double d0, double d1) const;
  LinearScale y_scale(double d0, double d1) const;  // d0 at the bottom

  // Vertical grid lines and labels under the plot area.
  void x_axis(const LinearScale& x, const std::vector<Tick>& ticks);
  // Horizontal grid lines and labels left of the plot area.
  void y_axis(const LinearScale& y, const std::vector<Tick>& ticks);
  // A line label left of the plot area at height y (heat-map rows).
  void y_label(double y, const std::string& text);
  void axis_title_x(const std::string& text);

  void polyline(const std::vector<double>& xs, const std::vector<double>& ys, const char* colour,
                double width, const std::string& title);
  // The band between `low` and `high` (same xs), filled.
  void band(const std::vector<double>& xs, const std::vector<double>& low,
            const std::vector<double>& high, const char* colour, const std::string& title);
  void rect(double x, double y, double w, double h, const std::string& fill,
            const std::string& title);
  // The same rect as a link to `href` (a fragment of the page, "#map-at-120").
  void linked_rect(const std::string& href, double x, double y, double w, double h,
                   const std::string& fill, const std::string& title);
  // A vertical marker at x over the plot, with an id a link can target and the class
  // "time-mark", which the page's style shows strongly when it is the link's target.
  void time_mark(const std::string& id, double x, const char* colour, const std::string& title);
  void line(double x1, double y1, double x2, double y2, const char* colour, double width,
            bool dashed);
  void circle(double cx, double cy, double r, const char* fill, const std::string& title);
  void text(double x, double y, const std::string& s, const char* anchor, const char* css_class);

  // Marks the chart as one over trace time whose x scale is `x` (trace ns onto plot x): the
  // <svg> gets the class "time-chart" and data-t0, data-t1, data-x0, data-x1, so a script can
  // tell where trace times fall on it. Every chart over trace time calls it.
  void mark_time(const LinearScale& x);

  // The <svg> element. `label` is its accessible name.
  std::string finish(const std::string& label) const;

 private:
  double width_, height_, left_, right_, top_, bottom_;
  std::string time_attributes_;  // set by mark_time
  std::string body_;
};

}  // namespace fragreplay::report::svg
