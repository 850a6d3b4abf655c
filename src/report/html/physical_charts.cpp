// Views of physical memory over time: the largest free runs (log scale), the unusable-free-space
// index per order as a heat map (order x time), and the frame map (RAM x time, coloured by owner
// class), both drawn by heat_maps.hpp (see html_views.hpp).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "base/format.hpp"
#include "model/owner.hpp"
#include "report/html/heat_maps.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::Results;
using replay::TimelineSample;

namespace {

std::string largest_run_chart(const Results& r, const TimeAxis& axis) {
  const char* caption = "Largest free run of physical memory (log scale)";
  if (r.timeline.empty()) return empty_figure("largest-run-chart", caption, kNoTimeline);
  const double page = static_cast<double>(r.profile.page_size);
  double top = static_cast<double>(r.ram.value);
  for (const TimelineSample& s : r.timeline) {
    top = std::max(top, static_cast<double>(s.free_frames.value) * page);
  }
  // log2 scale from half a page ("none") to the RAM size.
  const double lo = std::log2(page) - 1;
  const double hi = std::ceil(std::log2(std::max(top, page * 2)));
  svg::Canvas c(kChartWidth, 250, kChartLeft, kChartRight, 12, 30);
  const svg::LinearScale x = c.x_scale(axis.t0, axis.t1);
  const svg::LinearScale y = c.y_scale(lo, hi);
  std::vector<svg::Tick> ticks{{lo, "none"}};
  for (double e = std::log2(page); e <= hi + 1e-9; e += 4) {
    ticks.push_back({e, svg::exact_size(static_cast<std::uint64_t>(std::exp2(e)))});
  }
  // The top of the scale is labelled too: on 32 MiB the ticks stop at 16 MiB, and the free
  // memory line near 32 MiB would seem drawn above the chart's last value.
  if (ticks.back().value < hi - 1e-9)
    ticks.push_back({hi, svg::exact_size(static_cast<std::uint64_t>(std::exp2(hi)))});
  c.y_axis(y, ticks);
  c.x_axis(x, time_ticks(axis));
  std::vector<double> xs;
  for (const TimelineSample& s : r.timeline) xs.push_back(x(static_cast<double>(s.time_ns)));
  auto series = [&](auto pages) {
    std::vector<double> ys;
    for (const TimelineSample& s : r.timeline) {
      const double b = static_cast<double>(pages(s)) * page;
      ys.push_back(y(b >= page ? std::log2(b) : lo));
    }
    return ys;
  };
  struct Line {
    const char* colour;
    const char* name;
    double width;
  };
  constexpr std::array<Line, 4> kLines{{{"#94a3b8", "free memory (all runs together)", 1.5},
                                        {"#2563eb", "largest run, all RAM", 2},
                                        {"#059669", "largest run below 4 GiB", 2},
                                        {"#dc2626", "largest run below 16 MiB", 2}}};
  c.polyline(xs, series([](const TimelineSample& s) { return s.free_frames.value; }),
             kLines[0].colour, kLines[0].width, kLines[0].name);
  c.polyline(xs, series([](const TimelineSample& s) { return s.largest_free_run.value; }),
             kLines[1].colour, kLines[1].width, kLines[1].name);
  c.polyline(xs, series([](const TimelineSample& s) { return s.largest_free_run_below_4g.value; }),
             kLines[2].colour, kLines[2].width, kLines[2].name);
  c.polyline(xs, series([](const TimelineSample& s) { return s.largest_free_run_below_16m.value; }),
             kLines[3].colour, kLines[3].width, kLines[3].name);
  std::vector<LegendItem> items;
  for (const Line& l : kLines) items.push_back({l.colour, l.name});
  return figure("largest-run-chart", caption, c.finish("largest free physical run over trace time"),
                legend(items));
}

std::string unusable_heat_map(const Results& r) {
  return order_heat_map(
      r, "unusable-heatmap",
      "Unusable free space index by order and run size (0: all free memory usable; 1: none)",
      OrderIndex::kUnusable,
      [&](std::size_t i) -> const std::vector<double>* { return &r.timeline[i].unusable_index; },
      [](svg::Canvas&, const svg::LinearScale&) {});
}

}  // namespace

std::string fragmentation_view(const Results& r) {
  const TimeAxis axis = time_axis(r);
  return section_start(
             "fragmentation", "Physical memory fragmentation",
             "A contiguous request needs one free run at least its size inside its window. The "
             "unusable free space index of order k is the share of free memory that sits in runs "
             "smaller than 2^k pages (the Linux extfrag index, computed on the model).") +
         largest_run_chart(r, axis) + unusable_heat_map(r) + section_end();
}

std::string frame_map_view(const Results& r) {
  const double ram = static_cast<double>(r.ram.value);
  const std::string body = frame_map_figure(
      r, "frame-map", "Physical memory map: RAM (bottom: lowest frames) over time",
      FrameMapSpan{ram, 0, "in RAM"},
      [&](std::size_t i) -> const std::vector<std::uint8_t>* {
        return &r.timeline[i].frame_shares;
      },
      [&](svg::Canvas& c, const svg::LinearScale& x) {
        failure_marks(
            c, x, r, [](const replay::ContiguousFailureRecord&) { return true; }, true);
      });
  return section_start("physical-map", "Physical memory map",
                       "Who holds each part of RAM over time, by owner class: each row is a slice "
                       "of RAM (holes skipped), coloured by the class holding the most of its "
                       "frames, and the more strongly the more of it is held: a few scattered "
                       "pages in free memory show as a pale cell. Hover a cell for the share of "
                       "each class.") +
         body + section_end();
}

}  // namespace fragreplay::report::html
