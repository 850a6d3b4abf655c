// The views of the HTML report, one function per view (each returns an HTML fragment), and the
// time axis they share. html_report.cpp puts them on the page in order. Each view escapes what
// came from the trace through report/escape.hpp and degrades to a sentence saying why when it has
// nothing to draw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "replay/results.hpp"
#include "report/findings.hpp"
#include "report/html/svg_chart.hpp"

namespace fragreplay::report::html {

// The trace time the charts span: the counted events (the window, if any).
// t0 and t1 place things on the charts; first_ns and last_ns are the same times exactly, for
// arithmetic (near 2^64 a double holds trace times only to 4 us, and 2^64 itself is no uint64).
struct TimeAxis {
  double t0 = 0;
  double t1 = 1;
  std::uint64_t first_ns = 0;
  std::uint64_t last_ns = 0;
};
TimeAxis time_axis(const replay::Results& r);
// Ticks for trace times in [t0, t1], labelled in the unit that fits the step ("5 ms", "1.5 s").
std::vector<svg::Tick> time_ticks(const TimeAxis& axis);
// The chart geometry every time chart uses, so their x axes line up.
inline constexpr double kChartWidth = 1000;
inline constexpr double kChartLeft = 96;
inline constexpr double kChartRight = 14;
// The colour of a contiguous failure cause in charts and tables.
const char* cause_colour(model::FailCause cause);
// Why a timeline view is empty.
inline constexpr const char* kNoTimeline =
    "no timeline: this replay recorded no timeline samples, so there is nothing to draw over time";

// html_headline.cpp
std::string headline_view(const replay::Results& r, const std::vector<Finding>& findings);
std::string profile_view(const replay::Results& r);

// html_time_charts.cpp: requested vs footprint vs pool pages, contiguous failures by cause,
// waste by part.
std::string memory_view(const replay::Results& r);
std::string waste_view(const replay::Results& r);

// html_physical_charts.cpp: largest free runs, unusable index by order, the frame map.
std::string fragmentation_view(const replay::Results& r);
std::string frame_map_view(const replay::Results& r);
// window_views.cpp: the device windows in which requests failed, each with its own map and
// indices over time (docs/measures.md §3.3); empty when no followed window saw a failure.
std::string device_windows_view(const replay::Results& r);
// "below 16 MiB (0x0 to 0xffffff)", or the window's address range.
std::string device_window_name(const replay::DeviceWindow& w);

// tables.cpp: sortable tables of tags, processes, modules, call sites and pool kinds.
std::string tags_view(const replay::Results& r);
std::string processes_view(const replay::Results& r);
// Empty without a pool-tag list (--pooltag).
std::string modules_view(const replay::Results& r);
// Empty when the trace records no call site.
std::string call_sites_view(const replay::Results& r);
// The rows by pool kind, when more than one kind was used (report/pool_kinds.hpp).
std::string pool_kinds_view(const replay::Results& r);
// failure_views.cpp: the contiguous failures explained, and who pinned the frames they needed
// (empty when nothing did).
std::string failures_view(const replay::Results& r);
std::string pinning_view(const replay::Results& r);

// html_findings.cpp: the findings and data quality.
std::string findings_view(const replay::Results& r, const std::vector<Finding>& findings);
std::string data_quality_view(const replay::Results& r);

}  // namespace fragreplay::report::html
