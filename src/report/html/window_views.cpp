// The device windows in which contiguous requests failed (docs/measures.md §3.3): for each, its
// own physical map over time and its unusable-free-space and fragmentation indices per order
// over time, beside the all-RAM ones (see views.hpp).
#include <bit>
#include <string>

#include "base/escape.hpp"
#include "base/format.hpp"
#include "report/html/heat_maps.hpp"
#include "report/html/page.hpp"
#include "report/html/views.hpp"

namespace fragreplay::report::html {

using replay::DeviceWindow;
using replay::Results;

std::string device_window_name(const DeviceWindow& w) {
  const std::string range = hex(w.lowest) + " to " + hex(w.highest);
  if (w.lowest == 0 && w.highest != ~0ull && std::has_single_bit(w.highest + 1)) {
    return "below " + human_bytes(w.highest + 1) + " (" + range + ")";
  }
  return range;
}

namespace {

std::string window_block(const Results& r, std::size_t i) {
  const DeviceWindow& w = r.device_windows[i];
  const std::string n = std::to_string(i);
  const std::string name = device_window_name(w);
  const double page = static_cast<double>(r.profile.page_size);
  const auto frames = static_cast<double>(w.end_frame - w.first_frame);
  const auto marks = [&](svg::Canvas& c, const svg::LinearScale& x) {
    failure_marks(
        c, x, r, [&](const replay::ContiguousFailureRecord& f) { return f.device_window == i; },
        false);
  };
  const auto sample_window = [&](std::size_t s) -> const replay::WindowSample* {
    const auto& windows = r.timeline[s].windows;
    return i < windows.size() ? &windows[i] : nullptr;
  };
  std::string out = "<div class=\"device-window\" id=\"window-" + n + "\">\n<h3>" +
                    html_escape("Window " + name) + "</h3>\n<p>" +
                    html_escape(thousands(w.requests) +
                                (w.requests == 1 ? " contiguous request" : " contiguous requests") +
                                " inside it, " + thousands(w.failures) + " failed; followed from " +
                                trace_time(w.watched_from_ns) + " (its first request). " +
                                human_bytes(static_cast<std::uint64_t>(frames * page)) +
                                " of RAM. Dashed red lines: its failures.") +
                    "</p>\n";
  out += frame_map_figure(
      r, "window-map-" + n, "Physical memory map of the window " + name + " over time",
      FrameMapSpan{frames * page, static_cast<double>(w.first_frame) * page, "at"},
      [&](std::size_t s) -> const std::vector<std::uint8_t>* {
        const replay::WindowSample* ws = sample_window(s);
        return ws == nullptr ? nullptr : &ws->frame_shares;
      },
      marks);
  out += order_heat_map(
      r, "window-unusable-" + n,
      "Unusable free space index of the window " + name + " by order (0: all usable; 1: none)",
      OrderIndex::kUnusable,
      [&](std::size_t s) -> const std::vector<double>* {
        const replay::WindowSample* ws = sample_window(s);
        return ws == nullptr ? nullptr : &ws->unusable_index;
      },
      marks);
  out += order_heat_map(
      r, "window-fragmentation-" + n,
      "Fragmentation index of the window " + name +
          " by order (near 0: lack of memory; near 1: fragmentation)",
      OrderIndex::kFragmentation,
      [&](std::size_t s) -> const std::vector<double>* {
        const replay::WindowSample* ws = sample_window(s);
        return ws == nullptr ? nullptr : &ws->fragmentation_index;
      },
      marks);
  return out + "</div>\n";
}

}  // namespace

std::string device_windows_view(const Results& r) {
  std::string blocks;
  std::string quiet;  // windows followed in which nothing failed
  for (std::size_t i = 0; i < r.device_windows.size(); ++i) {
    const DeviceWindow& w = r.device_windows[i];
    if (w.failures != 0) {
      blocks += window_block(r, i);
    } else {
      quiet += (quiet.empty() ? "" : "; ") + device_window_name(w) + " (" + thousands(w.requests) +
               " requests)";
    }
  }
  if (blocks.empty()) return "";
  std::string out = section_start(
      "device-windows", "Device windows where requests failed",
      "A contiguous request is served only from its own window of physical memory, so the "
      "all-RAM map and indices can look healthy while every request below 16 MiB fails. Each "
      "window below is followed from its first request: its own map and its indices per order, "
      "computed over its frames alone as Linux computes them per zone.");
  out += blocks;
  if (!quiet.empty()) out += "<p>" + html_escape("No failures in: " + quiet + ".") + "</p>\n";
  return out + section_end();
}

}  // namespace fragreplay::report::html
