// Maps over time: heat maps, frame maps by owner-class share, per-order index maps and failure
// marks (see heat_maps.hpp).
#include "report/html/heat_maps.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "model/owner.hpp"
#include "report/html/page.hpp"
#include "report/row_order.hpp"

namespace fragreplay::report::html {

using replay::Results;
using replay::TimelineSample;

std::vector<std::size_t> heat_columns(const Results& r) {
  const std::size_t n = r.timeline.size();
  std::vector<std::size_t> cols;
  const std::size_t m = std::min(n, kMaxColumns);
  for (std::size_t j = 0; j < m; ++j) cols.push_back(j * n / m);
  return cols;
}

void failure_marks(svg::Canvas& c, const svg::LinearScale& x, const Results& r,
                   const std::function<bool(const replay::ContiguousFailureRecord&)>& keep,
                   bool link_targets) {
  std::map<long, std::pair<std::size_t, std::uint64_t>> columns;  // first failure, failures
  const auto& log = r.contiguous.failure_log;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (!keep(log[i])) continue;
    auto [it, added] = columns.try_emplace(std::lround(x(static_cast<double>(log[i].time_ns))),
                                           std::pair<std::size_t, std::uint64_t>{i, 0});
    ++it->second.second;
  }
  for (const auto& [px, first] : columns) {
    const auto& f = log[first.first];
    const std::string title =
        (first.second == 1 ? std::string("a contiguous failure")
                           : thousands(first.second) + " contiguous failures") +
        " at " + trace_time(f.time_ns) + "; first: line " + std::to_string(f.line) + ", " +
        tag_label(f.tag) + " " + human_bytes(f.bytes);
    if (link_targets) {
      c.time_mark("map-at-" + std::to_string(px), static_cast<double>(px), "#dc2626", title);
    } else {
      c.line(static_cast<double>(px), c.plot_top(), static_cast<double>(px), c.plot_bottom(),
             "#dc2626", 1, true);
    }
  }
}

namespace {

struct ClassStyle {
  const char* colour;
  const char* name;
};
// Indexed by model::OwnerClass; free last.
constexpr std::array<ClassStyle, model::kOwnerClassCount + 1> kClasses{
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
constexpr std::size_t kClassCount = model::kOwnerClassCount;

using SharesOf = std::function<const std::vector<std::uint8_t>*(std::size_t)>;

// How many buckets to draw from the bottom: all of them, or, when everything above some point
// stayed free in every sample, the next power-of-two number of buckets above the highest bucket
// ever used (any frame held), so the part of memory where something happens fills the chart.
std::size_t shown_buckets(const Results& r, const SharesOf& shares, std::size_t buckets) {
  std::size_t used = 0;
  for (std::size_t i = 0; i < r.timeline.size(); ++i) {
    const std::vector<std::uint8_t>* s = shares(i);
    if (s == nullptr) continue;
    for (std::size_t b = s->size() / kClassCount; b > used; --b) {
      const auto first = s->begin() + static_cast<std::ptrdiff_t>((b - 1) * kClassCount);
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

// A row of a frame map from its buckets' shares: the class holding the most of it, and how much
// of it any class holds, in eighths rounded up (1 for a single page), which sets how strongly the
// cell is coloured. Null when every frame is free.
struct ShareCell {
  std::size_t dominant = 0;
  unsigned level = 0;  // 1..8
  std::array<unsigned, kClassCount> percent{};
  std::string label() const {
    std::string out;
    unsigned held = 0;
    for (std::size_t k = 0; k < percent.size(); ++k) {
      if (percent[k] == 0) continue;
      out += (out.empty() ? "" : ", ") + std::string(kClasses[k].name) + " " +
             std::to_string(percent[k]) + " %";
      held += percent[k];
    }
    return out + "; free " + std::to_string(held >= 100 ? 0 : 100 - held) + " %";
  }
};

std::optional<ShareCell> share_cell(const std::vector<std::uint8_t>& shares, std::size_t first,
                                    std::size_t count) {
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

}  // namespace

std::string frame_map_figure(
    const Results& r, const std::string& id, const std::string& caption, const FrameMapSpan& span,
    const SharesOf& shares,
    const std::function<void(svg::Canvas&, const svg::LinearScale&)>& marks) {
  std::size_t buckets = 0;
  for (std::size_t i = 0; i < r.timeline.size(); ++i) {
    if (const auto* s = shares(i)) buckets = std::max(buckets, s->size() / kClassCount);
  }
  if (r.timeline.empty()) return empty_figure(id.c_str(), caption, kNoTimeline);
  if (buckets == 0)
    return empty_figure(id.c_str(), caption, "no frame map in the timeline samples");
  const TimeAxis axis = time_axis(r);
  const std::size_t shown = shown_buckets(r, shares, buckets);
  const double shown_bytes = span.bytes * static_cast<double>(shown) / static_cast<double>(buckets);
  std::string caption_text = caption;
  if (shown < buckets) {
    caption_text += " (above " + human_bytes(static_cast<std::uint64_t>(shown_bytes)) +
                    " it was free throughout and is left out)";
  }
  const std::size_t rows = std::min(shown, kMaxRows);
  const std::size_t per_row = (shown + rows - 1) / rows;  // buckets merged into one row
  const std::size_t drawn_rows = (shown + per_row - 1) / per_row;
  svg::Canvas c(kChartWidth, 12 + 240 + 30, kChartLeft, kChartRight, 12, 30);
  const svg::LinearScale x = c.x_scale(axis.t0, axis.t1);
  c.mark_time(x);
  c.x_axis(x, time_ticks(axis));
  const svg::LinearScale y = c.y_scale(0, shown_bytes);
  for (const svg::Tick& t : svg::byte_ticks(shown_bytes, 4)) {
    if (t.value <= shown_bytes * 1.0001) c.y_axis(y, {t});
  }
  c.rect(c.plot_left(), c.plot_top(), c.plot_right() - c.plot_left(),
         c.plot_bottom() - c.plot_top(), kClasses.back().colour, "free");
  const auto b = static_cast<double>(buckets);
  heat_map(c, x, r, heat_columns(r), drawn_rows,
           [&](std::size_t row, std::size_t i) -> std::optional<HeatCell> {
             const std::vector<std::uint8_t>* s = shares(i);
             if (s == nullptr) return std::nullopt;
             const double from = span.bytes * static_cast<double>(row * per_row) / b;
             const double to =
                 std::min(span.bytes, span.bytes * static_cast<double>((row + 1) * per_row) / b);
             const std::optional<ShareCell> cell = share_cell(*s, row * per_row, per_row);
             if (!cell) return std::nullopt;  // all free
             return HeatCell{
                 blend(kClasses[cell->dominant].colour, kClasses.back().colour, cell->level),
                 cell->label() + " " + span.where + " " +
                     human_bytes(static_cast<std::uint64_t>(span.base + from)) + " to " +
                     human_bytes(static_cast<std::uint64_t>(span.base + to))};
           });
  marks(c, x);
  std::vector<LegendItem> items;
  for (const ClassStyle& s : kClasses) items.push_back({s.colour, s.name});
  return figure(id.c_str(), caption_text, c.finish(caption), legend(items));
}

std::string order_heat_map(
    const Results& r, const std::string& id, const std::string& caption, OrderIndex kind,
    const std::function<const std::vector<double>*(std::size_t)>& index,
    const std::function<void(svg::Canvas&, const svg::LinearScale&)>& marks) {
  std::size_t orders = 0;
  for (std::size_t i = 0; i < r.timeline.size(); ++i) {
    if (const auto* v = index(i)) orders = std::max(orders, v->size());
  }
  if (r.timeline.empty()) return empty_figure(id.c_str(), caption, kNoTimeline);
  if (orders == 0) {
    return empty_figure(id.c_str(), caption, "no per-order figures in the timeline samples");
  }
  const TimeAxis axis = time_axis(r);
  const double row_h = std::clamp(220.0 / static_cast<double>(orders), 10.0, 22.0);
  svg::Canvas c(kChartWidth, 12 + row_h * static_cast<double>(orders) + 30, kChartLeft, kChartRight,
                12, 30);
  const svg::LinearScale x = c.x_scale(axis.t0, axis.t1);
  c.mark_time(x);
  c.x_axis(x, time_ticks(axis));
  const std::uint64_t page = r.profile.page_size;
  const std::size_t label_every = orders > 14 ? 2 : 1;
  for (std::size_t k = 0; k < orders; k += label_every) {
    c.y_label(c.plot_bottom() - row_h * (static_cast<double>(k) + 0.5),
              std::to_string(k) + ": " + svg::exact_size(page << k));
  }
  const bool unusable = kind == OrderIndex::kUnusable;
  // Fragmentation: white where a block of the order is free, so 0.00 (lack of memory) shows.
  const std::string background = unusable ? svg::heat_colour(0) : std::string("#ffffff");
  c.rect(c.plot_left(), c.plot_top(), c.plot_right() - c.plot_left(),
         c.plot_bottom() - c.plot_top(), background, "");
  const char* name = unusable ? "unusable index" : "fragmentation index";
  heat_map(c, x, r, heat_columns(r), orders,
           [&](std::size_t k, std::size_t i) -> std::optional<HeatCell> {
             const std::vector<double>* v = index(i);
             if (v == nullptr || k >= v->size()) return std::nullopt;
             if (!unusable && (*v)[k] < 0) return std::nullopt;  // a block is free: it fits
             const double q = std::round(std::clamp((*v)[k], 0.0, 1.0) * 20) / 20;  // 0.05 steps
             if (unusable && q == 0) return std::nullopt;                           // background
             char label[112];
             std::snprintf(label, sizeof label, "order %zu (%s runs): %s %.2f", k,
                           svg::exact_size(page << k).c_str(), name, q);
             return HeatCell{svg::heat_colour(q), label};
           });
  marks(c, x);
  std::vector<LegendItem> items;
  if (!unusable) items.push_back({background, "a block of the order is free"});
  for (const double v : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    char label[16];
    std::snprintf(label, sizeof label, "%.2f", v);
    items.push_back({svg::heat_colour(v), label});
  }
  return figure(id.c_str(), caption, c.finish(caption), legend(items));
}

}  // namespace fragreplay::report::html
