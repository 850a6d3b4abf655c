// Views over trace time: memory (requested, footprint, pool pages) with the contiguous failures
// marked below it by cause, and the live waste by part (see html_views.hpp).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>

#include "base/format.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::Results;
using replay::TimelineSample;

TimeAxis time_axis(const Results& r) {
  const auto first = r.window.active ? r.window.first_time_ns : r.first_time_ns;
  const auto last = r.window.active ? r.window.last_time_ns : r.last_time_ns;
  TimeAxis a{0, 1, first, last};
  for (const TimelineSample& s : r.timeline) {
    a.first_ns = std::min(a.first_ns, s.time_ns);
    a.last_ns = std::max(a.last_ns, s.time_ns);
  }
  // An empty span is drawn 1 ns wide.
  if (a.last_ns <= a.first_ns) a.last_ns = a.first_ns == UINT64_MAX ? a.first_ns : a.first_ns + 1;
  a.t0 = static_cast<double>(a.first_ns);
  a.t1 = static_cast<double>(a.last_ns);
  // A span a double cannot tell from empty (two times 1 us apart near 2^64).
  if (!(a.t1 > a.t0)) a.t1 = std::nextafter(a.t0, HUGE_VAL);
  return a;
}

std::vector<svg::Tick> time_ticks(const TimeAxis& axis) {
  struct Unit {
    double ns;
    const char* name;
  };
  static constexpr std::array<Unit, 6> kUnits{
      {{1, "ns"}, {1e3, "us"}, {1e6, "ms"}, {1e9, "s"}, {60e9, "min"}, {3600e9, "h"}}};
  // The step nice_ticks will choose, to pick the unit and the decimals.
  const auto probe = svg::nice_ticks(axis.t0, axis.t1, 8, [](double) { return std::string(); });
  const double step = probe.size() > 1 ? probe[1].value - probe[0].value : axis.t1 - axis.t0;
  std::size_t u = 0;
  while (u + 1 < kUnits.size() && step >= kUnits[u + 1].ns) ++u;
  const double unit = kUnits[u].ns;
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step / unit) - 1e-9)));
  return svg::nice_ticks(axis.t0, axis.t1, 8, [&](double v) {
    if (v == 0) return std::string("0");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f %s", decimals, v / unit, kUnits[u].name);
    return std::string(buf);
  });
}

const char* cause_colour(model::FailCause cause) {
  static constexpr std::array<const char*, model::kFailCauseCount> kColours{
      "#000000", "#dc2626", "#d97706", "#64748b", "#7c3aed", "#0f172a"};
  return kColours[static_cast<unsigned>(cause)];
}

namespace {

// A chart of byte sizes over trace time, `height` tall, its y axis up to at least `top` bytes:
// the canvas with both axes drawn, and its scales.
struct ByteTimeChart {
  svg::Canvas canvas;
  svg::LinearScale x;
  svg::LinearScale y;
};
ByteTimeChart byte_time_chart(const TimeAxis& axis, double top, double height) {
  const auto ticks = svg::byte_ticks(top, 5);
  ByteTimeChart chart{svg::Canvas(kChartWidth, height, kChartLeft, kChartRight, 12, 30), {}, {}};
  chart.x = chart.canvas.x_scale(axis.t0, axis.t1);
  chart.y = chart.canvas.y_scale(0, ticks.back().value);
  chart.canvas.y_axis(chart.y, ticks);
  chart.canvas.x_axis(chart.x, time_ticks(axis));
  return chart;
}

// A chart time back in nanoseconds: clamped, since a double near 2^64 may round up to 2^64, which
// no uint64 holds (converting it is undefined behaviour).
std::string at_time(double t) {
  if (!(t > 0)) return trace_time(0);
  if (t >= 18446744073709551616.0) return trace_time(UINT64_MAX);
  return trace_time(static_cast<std::uint64_t>(t));
}

std::vector<double> sample_xs(const Results& r, const svg::LinearScale& x) {
  std::vector<double> xs;
  for (const TimelineSample& s : r.timeline) xs.push_back(x(static_cast<double>(s.time_ns)));
  return xs;
}

// The contiguous failures over time, one row per cause that happened, marks merged per pixel.
std::string failures_strip(const Results& r, const TimeAxis& axis) {
  const auto& log = r.contiguous.failure_log;
  std::vector<unsigned> causes;
  for (unsigned k = 1; k < model::kFailCauseCount; ++k) {
    if (r.contiguous.failures_by_cause[k] != 0) causes.push_back(k);
  }
  const char* caption = "Contiguous failures by cause";
  if (r.contiguous.requests == 0) {
    return empty_figure("failures-chart", caption, "no contiguous requests in this trace");
  }
  if (causes.empty() || log.empty()) {
    return empty_figure("failures-chart", caption,
                        "no contiguous failures: all " + thousands(r.contiguous.requests) +
                            " contiguous requests succeeded");
  }
  const double row_h = 22;
  svg::Canvas c(kChartWidth, 8 + row_h * static_cast<double>(causes.size()) + 30, kChartLeft,
                kChartRight, 8, 30);
  const svg::LinearScale x = c.x_scale(axis.t0, axis.t1);
  c.x_axis(x, time_ticks(axis));
  for (std::size_t row = 0; row < causes.size(); ++row) {
    const unsigned cause = causes[row];
    const double y = c.plot_top() + row_h * static_cast<double>(row);
    c.rect(c.plot_left(), y + 2, c.plot_right() - c.plot_left(), row_h - 4, "#f8fafc", "");
    c.y_label(y + row_h / 2, model::fail_cause_name(static_cast<model::FailCause>(cause)));
    // Merge failures that land on the same pixel column.
    struct Mark {
      std::size_t first = 0;  // index in the log
      std::uint64_t count = 0;
      double t_last = 0;
    };
    std::map<long, Mark> marks;
    for (std::size_t i = 0; i < log.size(); ++i) {
      if (static_cast<unsigned>(log[i].cause) != cause) continue;
      const double t = static_cast<double>(log[i].time_ns);
      Mark& m = marks[std::lround(x(t))];
      if (m.count++ == 0) m.first = i;
      m.t_last = t;
    }
    for (const auto& [px, m] : marks) {
      const auto& f = log[m.first];
      std::string title =
          (m.count == 1 ? std::string("1 failure") : thousands(m.count) + " failures") + " (" +
          model::fail_cause_name(f.cause) + ") at " + trace_time(f.time_ns);
      if (m.count > 1) title += " to " + at_time(m.t_last);
      title += "; first: line " + std::to_string(f.line) + ", " + tag_label(f.tag) + " " +
               human_bytes(f.bytes) + " in " + hex(f.lowest) + "-" + hex(f.highest) + ", " +
               human_bytes(f.free_in_window.value) + " free in the window, largest run " +
               human_bytes(f.largest_free_run_in_window.value);
      const double left = static_cast<double>(px) - 1.5;
      const char* colour = cause_colour(static_cast<model::FailCause>(cause));
      if (r.timeline.empty()) {  // no physical map to lead to
        c.rect(left, y + 3, 3, row_h - 6, colour, title);
      } else {  // the mark leads to the physical map at that moment (frame_map_view's marker)
        c.linked_rect("#map-at-" + std::to_string(px), left, y + 3, 3, row_h - 6, colour,
                      title + " (click: the physical map then)");
      }
    }
  }
  std::string caption_text = caption;
  if (log.size() < r.contiguous.failures) {
    caption_text +=
        " (the first " + thousands(log.size()) + " of " + thousands(r.contiguous.failures) + ")";
  }
  std::vector<LegendItem> items;
  for (const unsigned k : causes) {
    items.push_back({cause_colour(static_cast<model::FailCause>(k)),
                     std::string(model::fail_cause_name(static_cast<model::FailCause>(k))) + " " +
                         thousands(r.contiguous.failures_by_cause[k])});
  }
  return figure("failures-chart", caption_text,
                c.finish("contiguous allocation failures over trace time, by cause"),
                legend(items));
}

std::string memory_chart(const Results& r, const TimeAxis& axis) {
  const char* caption = "Live memory: requested, footprint and pool pages";
  if (r.timeline.empty()) return empty_figure("memory-chart", caption, kNoTimeline);
  double top = static_cast<double>(r.peak.live_footprint.value);
  for (const TimelineSample& s : r.timeline) {
    top = std::max({top, static_cast<double>(s.live_footprint.value),
                    static_cast<double>(s.pool_page_bytes.value),
                    static_cast<double>(s.live_requested.value)});
  }
  ByteTimeChart chart = byte_time_chart(axis, top, 290);
  svg::Canvas& c = chart.canvas;
  const svg::LinearScale& y = chart.y;
  const std::vector<double> xs = sample_xs(r, chart.x);
  auto series = [&](auto get) {
    std::vector<double> ys;
    for (const TimelineSample& s : r.timeline) ys.push_back(y(static_cast<double>(get(s))));
    return ys;
  };
  c.polyline(xs, series([](const TimelineSample& s) { return s.pool_page_bytes.value; }),
             svg::Palette::kPoolPages, 1.5, "pool-page bytes");
  c.polyline(xs, series([](const TimelineSample& s) { return s.live_footprint.value; }),
             svg::Palette::kFootprint, 2.5, "footprint bytes (live)");
  c.polyline(xs, series([](const TimelineSample& s) { return s.live_requested.value; }),
             svg::Palette::kRequested, 1.2, "requested bytes (live)");
  const double peak_t = static_cast<double>(r.peak.time_ns);
  if (r.peak.live_footprint.value != 0 && peak_t >= axis.t0 && peak_t <= axis.t1) {
    c.circle(chart.x(peak_t), y(static_cast<double>(r.peak.live_footprint.value)), 4,
             svg::Palette::kFootprint,
             "peak footprint " + human_bytes(r.peak.live_footprint.value) + " at " +
                 trace_time(r.peak.time_ns) + ", line " + std::to_string(r.peak.line));
  }
  return figure("memory-chart", caption, c.finish("live memory over trace time"),
                legend({{svg::Palette::kRequested, "requested"},
                        {svg::Palette::kFootprint, "footprint (the dot marks the peak)"},
                        {svg::Palette::kPoolPages, "pool pages (held by the pool, used or not)"}}));
}

}  // namespace

std::string memory_view(const Results& r) {
  const TimeAxis axis = time_axis(r);
  return section_start(
             "memory", "Memory over time",
             "What the driver asked for (requested), what it occupied once headers and "
             "rounding are counted (footprint), and the pages the pool held; below, every "
             "contiguous request that failed, by cause (hover for details).") +
         memory_chart(r, axis) + failures_strip(r, axis) + section_end();
}

std::string waste_view(const Results& r) {
  const char* caption = "Waste of the live allocations, by part (stacked)";
  std::string body;
  if (r.timeline.empty()) {
    body = empty_figure("waste-chart", caption, kNoTimeline);
  } else {
    const TimeAxis axis = time_axis(r);
    double top = 0;
    for (const TimelineSample& s : r.timeline) {
      top = std::max(top, static_cast<double>(s.live_waste.total().value));
    }
    ByteTimeChart chart = byte_time_chart(axis, top, 250);
    svg::Canvas& c = chart.canvas;
    const svg::LinearScale& y = chart.y;
    const std::vector<double> xs = sample_xs(r, chart.x);
    std::vector<double> low(xs.size(), y(0)), mid1, mid2, high;
    for (const TimelineSample& s : r.timeline) {
      const double h = static_cast<double>(s.live_waste.pool_header.value);
      const double g = static_cast<double>(s.live_waste.granularity.value);
      const double p = static_cast<double>(s.live_waste.sub_page.value);
      mid1.push_back(y(h));
      mid2.push_back(y(h + g));
      high.push_back(y(h + g + p));
    }
    c.band(xs, low, mid1, svg::Palette::kPoolHeader, "pool header");
    c.band(xs, mid1, mid2, svg::Palette::kGranularity, "granularity rounding");
    c.band(xs, mid2, high, svg::Palette::kSubPage, "sub-page rounding");
    body =
        figure("waste-chart", caption, c.finish("waste of live allocations over trace time"),
               legend({{svg::Palette::kSubPage, "sub-page rounding (unused tail of the last page)"},
                       {svg::Palette::kGranularity, "granularity (rounding to the block unit)"},
                       {svg::Palette::kPoolHeader, "pool header"}}));
  }
  const model::Waste& w = r.totals.waste;
  return section_start("waste", "Waste over time",
                       "Bytes the live allocations occupy beyond what they asked for. Over the "
                       "whole run: pool header " +
                           human_bytes(w.pool_header.value) + ", granularity " +
                           human_bytes(w.granularity.value) + ", sub-page rounding " +
                           human_bytes(w.sub_page.value) + ".") +
         body + section_end();
}

}  // namespace fragreplay::report::html
