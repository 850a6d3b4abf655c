// Views of physical memory over time: the largest free runs (log scale), the unusable-free-space
// index per order as a heat map (order x time), and the frame map (RAM x time, coloured by owner
// class). Heat maps merge neighbouring cells of equal colour and keep at most kMaxColumns columns
// and kMaxRows rows, so the page stays small on long traces (see html_views.hpp).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "base/format.hpp"
#include "model/owner.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::Results;
using replay::TimelineSample;

namespace {

constexpr std::size_t kMaxColumns = 480;
constexpr std::size_t kMaxRows = 160;

// Timeline samples to draw as heat-map columns: all of them, or evenly spaced ones.
std::vector<std::size_t> columns(const Results& r) {
  const std::size_t n = r.timeline.size();
  std::vector<std::size_t> cols;
  const std::size_t m = std::min(n, kMaxColumns);
  for (std::size_t j = 0; j < m; ++j) cols.push_back(j * n / m);
  return cols;
}

struct Cell {
  std::string colour;
  std::string label;  // what the cell shows; equal labels in a row merge
};

// Draws a heat map: `cell(row, sample)` gives each cell (nullopt = nothing). Row 0 is at the
// bottom. A column spans from its sample's time to the next drawn sample's time.
template <typename CellFn>
void heat_map(svg::Canvas& c, const svg::LinearScale& x, const Results& r,
              const std::vector<std::size_t>& cols, std::size_t rows, CellFn cell) {
  if (cols.empty() || rows == 0) return;
  const double row_h = (c.plot_bottom() - c.plot_top()) / static_cast<double>(rows);
  std::vector<double> edges;
  for (const std::size_t i : cols) edges.push_back(x(static_cast<double>(r.timeline[i].time_ns)));
  edges.push_back(std::max(c.plot_right(), edges.back() + 2));
  auto time_of = [&](std::size_t j) {
    return j < cols.size() ? trace_time(r.timeline[cols[j]].time_ns) : std::string("the end");
  };
  for (std::size_t row = 0; row < rows; ++row) {
    const double y = c.plot_bottom() - row_h * static_cast<double>(row + 1);
    std::size_t j = 0;
    while (j < cols.size()) {
      const std::optional<Cell> here = cell(row, cols[j]);
      std::size_t k = j + 1;
      while (k < cols.size()) {
        const std::optional<Cell> next = cell(row, cols[k]);
        if (!here || !next || next->label != here->label || next->colour != here->colour) break;
        ++k;
      }
      if (here) {
        c.rect(edges[j], y, edges[k] - edges[j], row_h, here->colour,
               here->label + " from " + time_of(j) + " to " + time_of(k));
      }
      j = k;
    }
  }
}

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

std::string unusable_heat_map(const Results& r, const TimeAxis& axis) {
  const char* caption =
      "Unusable free space index by order and run size (0: all free memory usable; 1: none)";
  std::size_t orders = 0;
  for (const TimelineSample& s : r.timeline) orders = std::max(orders, s.unusable_index.size());
  if (r.timeline.empty()) return empty_figure("unusable-heatmap", caption, kNoTimeline);
  if (orders == 0) {
    return empty_figure("unusable-heatmap", caption,
                        "no per-order figures in the timeline samples");
  }
  const double row_h = std::clamp(220.0 / static_cast<double>(orders), 10.0, 22.0);
  svg::Canvas c(kChartWidth, 12 + row_h * static_cast<double>(orders) + 30, kChartLeft, kChartRight,
                12, 30);
  const svg::LinearScale x = c.x_scale(axis.t0, axis.t1);
  c.x_axis(x, time_ticks(axis));
  const std::uint64_t page = r.profile.page_size;
  const std::size_t label_every = orders > 14 ? 2 : 1;
  for (std::size_t k = 0; k < orders; k += label_every) {
    c.y_label(c.plot_bottom() - row_h * (static_cast<double>(k) + 0.5),
              std::to_string(k) + ": " + svg::exact_size(page << k));
  }
  c.rect(c.plot_left(), c.plot_top(), c.plot_right() - c.plot_left(),
         c.plot_bottom() - c.plot_top(), svg::heat_colour(0), "");
  heat_map(c, x, r, columns(r), orders, [&](std::size_t k, std::size_t i) -> std::optional<Cell> {
    const auto& v = r.timeline[i].unusable_index;
    if (k >= v.size()) return std::nullopt;
    const double q = std::round(std::clamp(v[k], 0.0, 1.0) * 20) / 20;  // steps of 0.05
    if (q == 0) return std::nullopt;                                    // the background
    char label[96];
    std::snprintf(label, sizeof label, "order %zu (%s runs): unusable index %.2f", k,
                  svg::exact_size(page << k).c_str(), q);
    return Cell{svg::heat_colour(q), label};
  });
  std::vector<LegendItem> items;
  for (const double v : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    char label[16];
    std::snprintf(label, sizeof label, "%.2f", v);
    items.push_back({svg::heat_colour(v), label});
  }
  return figure("unusable-heatmap", caption,
                c.finish("unusable free space index per order over trace time"), legend(items));
}

// How many frame-map buckets to draw from the bottom: all of them, or, when everything above some
// point stayed free in every sample, the next power-of-two number of buckets above the highest
// bucket ever used, so the part of RAM where something happens fills the chart.
std::size_t shown_buckets(const Results& r, std::size_t buckets) {
  // Used: any frame held (frame_shares), not only a bucket mostly held.
  constexpr std::size_t kClassCount = model::kOwnerClassCount;
  std::size_t used = 0;
  for (const TimelineSample& s : r.timeline) {
    for (std::size_t b = s.frame_shares.size() / kClassCount; b > used; --b) {
      const auto first =
          s.frame_shares.begin() + static_cast<std::ptrdiff_t>((b - 1) * kClassCount);
      if (std::any_of(first, first + kClassCount, [](std::uint8_t v) { return v != 0; })) {
        used = b;
        break;
      }
    }
  }
  std::size_t shown = 1;
  while (shown < used + (used + 7) / 8) shown *= 2;  // at least 1/8 headroom
  return shown * 2 > buckets || used == 0 ? buckets : shown;
}

// A row of the frame map from its buckets' shares (TimelineSample::frame_shares): the class
// holding the most of it, and how much of it any class holds, in eighths rounded up (1 for a
// single page), which sets how strongly the cell is coloured. Null when every frame is free.
struct ShareCell {
  std::size_t dominant = 0;
  unsigned level = 0;  // 1..8
  std::array<unsigned, model::kOwnerClassCount> percent{};
  std::string label(const std::array<const char*, model::kOwnerClassCount>& names) const {
    std::string out;
    unsigned held = 0;
    for (std::size_t k = 0; k < percent.size(); ++k) {
      if (percent[k] == 0) continue;
      out += (out.empty() ? "" : ", ") + std::string(names[k]) + " " + std::to_string(percent[k]) +
             " %";
      held += percent[k];
    }
    return out + "; free " + std::to_string(held >= 100 ? 0 : 100 - held) + " %";
  }
};

std::optional<ShareCell> share_cell(const std::vector<std::uint8_t>& shares, std::size_t first,
                                    std::size_t count) {
  constexpr std::size_t kClassCount = model::kOwnerClassCount;
  std::array<unsigned, kClassCount> sum{};
  std::size_t buckets = 0;
  for (std::size_t b = first; b < first + count && (b + 1) * kClassCount <= shares.size(); ++b) {
    for (std::size_t k = 0; k < kClassCount; ++k) sum[k] += shares[b * kClassCount + k];
    ++buckets;
  }
  unsigned held = 0;
  for (const unsigned v : sum) held += v;
  if (buckets == 0 || held == 0) return std::nullopt;
  ShareCell cell;
  cell.dominant = static_cast<std::size_t>(std::max_element(sum.begin(), sum.end()) - sum.begin());
  const unsigned whole = 255 * static_cast<unsigned>(buckets);
  cell.level = std::min(8u, (held * 8 + whole - 1) / whole);
  for (std::size_t k = 0; k < kClassCount; ++k) {
    // Whole percent, rounded up like the shares: a class with a page shows as 1 %.
    cell.percent[k] = sum[k] == 0 ? 0 : std::min(100u, (sum[k] * 100 + whole - 1) / whole);
  }
  return cell;
}

// `colour` over `background` at level/8 of the way from a third of it to all of it, as #rrggbb.
std::string blend(const char* colour, const char* background, unsigned level) {
  auto channel = [](const char* hex, int i) {
    return std::stoi(std::string(hex + 1 + 2 * i, 2), nullptr, 16);
  };
  const double a = 0.3 + 0.7 * static_cast<double>(level) / 8.0;
  char out[8];
  int v[3];
  for (int i = 0; i < 3; ++i) {
    v[i] = static_cast<int>(std::lround(a * channel(colour, i) + (1 - a) * channel(background, i)));
  }
  std::snprintf(out, sizeof out, "#%02x%02x%02x", v[0], v[1], v[2]);
  return out;
}

// A marker at every pixel column where a logged contiguous request failed, each the target of
// the failures chart's marks in that column (time_charts.cpp: "#map-at-<column>"; both charts
// share the x axis), so a failure leads to the map at that moment.
void failure_marks(svg::Canvas& c, const svg::LinearScale& x, const Results& r) {
  std::map<long, std::pair<std::size_t, std::uint64_t>> columns;  // first failure, failures
  const auto& log = r.contiguous.failure_log;
  for (std::size_t i = 0; i < log.size(); ++i) {
    auto [it, added] = columns.try_emplace(std::lround(x(static_cast<double>(log[i].time_ns))),
                                           std::pair<std::size_t, std::uint64_t>{i, 0});
    ++it->second.second;
  }
  for (const auto& [px, first] : columns) {
    const auto& f = log[first.first];
    c.time_mark("map-at-" + std::to_string(px), static_cast<double>(px), "#dc2626",
                (first.second == 1 ? std::string("a contiguous failure")
                                   : thousands(first.second) + " contiguous failures") +
                    " at " + trace_time(f.time_ns) + "; first: line " + std::to_string(f.line) +
                    ", " + tag_label(f.tag) + " " + human_bytes(f.bytes));
  }
}

}  // namespace

std::string fragmentation_view(const Results& r) {
  const TimeAxis axis = time_axis(r);
  return section_start(
             "fragmentation", "Physical memory fragmentation",
             "A contiguous request needs one free run at least its size inside its window. The "
             "unusable free space index of order k is the share of free memory that sits in runs "
             "smaller than 2^k pages (the Linux extfrag index, computed on the model).") +
         largest_run_chart(r, axis) + unusable_heat_map(r, axis) + section_end();
}

std::string frame_map_view(const Results& r) {
  const char* caption = "Physical memory map: RAM (bottom: lowest frames) over time";
  std::string caption_text = caption;
  struct ClassStyle {
    const char* colour;
    const char* name;
  };
  // Indexed by model::OwnerClass; free last.
  static constexpr std::array<ClassStyle, model::kOwnerClassCount + 1> kClasses{
      {{"#3b82f6", "nonpaged pool"},
       {"#f59e0b", "non-cached"},
       {"#10b981", "contiguous"},
       {"#8b5cf6", "common buffer"},
       {"#64748b", "other (background)"},
       {"#93c5fd", "free pool pages"},
       {"#ef4444", "Linux page blocks"},
       {"#d946ef", "MDL pages"},
       {"#e5e7eb", "free"}}};
  static_assert(static_cast<unsigned>(model::OwnerClass::kPoolFree) == 5,
                "kClasses follows model::OwnerClass");
  std::array<const char*, model::kOwnerClassCount> kClassNames{};
  for (std::size_t k = 0; k < kClassNames.size(); ++k) kClassNames[k] = kClasses[k].name;
  std::size_t buckets = 0;
  for (const TimelineSample& s : r.timeline) buckets = std::max(buckets, s.frame_map.size());
  std::string body;
  if (r.timeline.empty()) {
    body = empty_figure("frame-map", caption, kNoTimeline);
  } else if (buckets == 0) {
    body = empty_figure("frame-map", caption, "no frame map in the timeline samples");
  } else {
    const TimeAxis axis = time_axis(r);
    const double ram = static_cast<double>(r.ram.value);
    const std::size_t shown = shown_buckets(r, buckets);
    const double shown_ram = ram * static_cast<double>(shown) / static_cast<double>(buckets);
    if (shown < buckets) {
      caption_text += " (RAM above " + human_bytes(static_cast<std::uint64_t>(shown_ram)) +
                      " was free throughout and is left out)";
    }
    const std::size_t rows = std::min(shown, kMaxRows);
    const std::size_t per_row = (shown + rows - 1) / rows;  // buckets merged into one row
    const std::size_t drawn_rows = (shown + per_row - 1) / per_row;
    svg::Canvas c(kChartWidth, 12 + 240 + 30, kChartLeft, kChartRight, 12, 30);
    const svg::LinearScale x = c.x_scale(axis.t0, axis.t1);
    c.x_axis(x, time_ticks(axis));
    const svg::LinearScale y = c.y_scale(0, shown_ram);
    for (const svg::Tick& t : svg::byte_ticks(shown_ram, 4)) {
      if (t.value <= shown_ram * 1.0001) c.y_axis(y, {t});
    }
    c.rect(c.plot_left(), c.plot_top(), c.plot_right() - c.plot_left(),
           c.plot_bottom() - c.plot_top(), kClasses.back().colour, "free");
    heat_map(
        c, x, r, columns(r), drawn_rows,
        [&](std::size_t row, std::size_t i) -> std::optional<Cell> {
          const double from =
              ram * static_cast<double>(row * per_row) / static_cast<double>(buckets);
          const double to = std::min(
              ram, ram * static_cast<double>((row + 1) * per_row) / static_cast<double>(buckets));
          const std::string where = " in RAM " + human_bytes(static_cast<std::uint64_t>(from)) +
                                    " to " + human_bytes(static_cast<std::uint64_t>(to));
          const std::optional<ShareCell> cell =
              share_cell(r.timeline[i].frame_shares, row * per_row, per_row);
          if (!cell) return std::nullopt;  // all free
          return Cell{blend(kClasses[cell->dominant].colour, kClasses.back().colour, cell->level),
                      cell->label(kClassNames) + where};
        });
    failure_marks(c, x, r);
    std::vector<LegendItem> items;
    for (const ClassStyle& s : kClasses) items.push_back({s.colour, s.name});
    body = figure("frame-map", caption_text, c.finish("physical memory map over trace time"),
                  legend(items));
  }
  return section_start("physical-map", "Physical memory map",
                       "Who holds each part of RAM over time, by owner class: each row is a slice "
                       "of RAM (holes skipped), coloured by the class holding the most of its "
                       "frames, and the more strongly the more of it is held: a few scattered "
                       "pages in free memory show as a pale cell. Hover a cell for the share of "
                       "each class.") +
         body + section_end();
}

}  // namespace fragreplay::report::html
