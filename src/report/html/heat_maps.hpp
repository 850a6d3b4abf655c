// The drawing shared by the report's maps over time: heat maps (rows x timeline samples) whose
// neighbouring cells of equal colour merge, at most kMaxColumns columns and kMaxRows rows so the
// page stays small on long traces; the frame map of a stretch of physical memory (all RAM or a
// device window, docs/measures.md §3.3) coloured by owner-class shares; a per-order index heat
// map (unusable free space, fragmentation); and the failure marks the failures chart links to.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/format.hpp"
#include "replay/results.hpp"
#include "report/html/svg_chart.hpp"
#include "report/html/views.hpp"

namespace fragreplay::report::html {

inline constexpr std::size_t kMaxColumns = 480;
inline constexpr std::size_t kMaxRows = 160;

// Timeline samples to draw as heat-map columns: all of them, or evenly spaced ones.
std::vector<std::size_t> heat_columns(const replay::Results& r);

struct HeatCell {
  std::string colour;
  std::string label;  // what the cell shows; equal labels in a row merge
};

// Draws a heat map: `cell(row, sample)` gives each cell (nullopt = nothing). Row 0 is at the
// bottom. A column spans from its sample's time to the next drawn sample's time.
template <typename CellFn>
void heat_map(svg::Canvas& c, const svg::LinearScale& x, const replay::Results& r,
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
      const std::optional<HeatCell> here = cell(row, cols[j]);
      std::size_t k = j + 1;
      while (k < cols.size()) {
        const std::optional<HeatCell> next = cell(row, cols[k]);
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

// A marker at every pixel column where a logged contiguous request accepted by `keep` failed.
// With `link_targets` each is the target of the failures chart's marks in that column
// ("#map-at-<column>"; time_charts.cpp), so a failure leads to the map at that moment; only one
// chart on a page may carry the targets.
void failure_marks(svg::Canvas& c, const svg::LinearScale& x, const replay::Results& r,
                   const std::function<bool(const replay::ContiguousFailureRecord&)>& keep,
                   bool link_targets);

// The frame map of a stretch of physical memory over time, as a <figure> with id `id`:
// `shares(i)` gives sample i's bucket shares (TimelineSample::frame_shares' layout; null or
// empty when the sample has none), the buckets covering `bytes` of memory that starts at
// `base` (for the cells' titles). Buckets free in every sample above the highest one used are
// left out (said in the caption). `marks` draws the failure marks on the finished axes.
struct FrameMapSpan {
  double bytes = 0;
  double base = 0;
  const char* where = "in RAM";  // the titles' "in RAM 4 MiB to 8 MiB"
};
std::string frame_map_figure(
    const replay::Results& r, const std::string& id, const std::string& caption,
    const FrameMapSpan& span,
    const std::function<const std::vector<std::uint8_t>*(std::size_t)>& shares,
    const std::function<void(svg::Canvas&, const svg::LinearScale&)>& marks);

// A per-order index over time as a heat map (order x time): `index(i)` gives sample i's values
// by order (null or shorter: no value). Unusable free space: 0 is the background. Fragmentation:
// -1 (a block of the order is free: requests of it succeed) is the background, values from 0
// to 1 are coloured. `marks` as for frame_map_figure.
enum class OrderIndex { kUnusable, kFragmentation };
std::string order_heat_map(const replay::Results& r, const std::string& id,
                           const std::string& caption, OrderIndex kind,
                           const std::function<const std::vector<double>*(std::size_t)>& index,
                           const std::function<void(svg::Canvas&, const svg::LinearScale&)>& marks);

}  // namespace fragreplay::report::html
