// The device windows the timeline follows (see device_windows.hpp).
#include "replay/device_windows.hpp"

#include <algorithm>

namespace fragreplay::replay {

std::size_t DeviceWindows::on_request(model::PhysicalMemory& memory, std::uint64_t lowest,
                                      std::uint64_t highest, std::uint64_t time_ns, bool failed,
                                      bool counted, std::vector<DeviceWindow>& windows) {
  if (!has_last_ || lowest != last_lowest_ || highest != last_highest_) {
    last_ = find_or_watch(memory, lowest, highest, time_ns, windows);
    has_last_ = true;
    last_lowest_ = lowest;
    last_highest_ = highest;
  }
  if (last_ == kNone || !counted) return last_;
  ++windows[last_].requests;
  if (failed) ++windows[last_].failures;
  return last_;
}

std::size_t DeviceWindows::find_or_watch(model::PhysicalMemory& memory, std::uint64_t lowest,
                                         std::uint64_t highest, std::uint64_t time_ns,
                                         std::vector<DeviceWindow>& windows) {
  // The frames the machine searches (model::Machine::allocate_contiguous): from the first whole
  // frame at or above lowest to the frame holding highest, clipped to RAM.
  const PageSize ps = memory.page_size();
  const auto& ram = memory.ram();
  if (ram.empty()) return kNone;
  const std::uint64_t ram_first = ram.front().first.value;
  const std::uint64_t ram_end = ram.back().first.value + ram.back().count.value;
  const std::uint64_t first = std::max(ps.frame_at_or_above(PhysAddr{lowest}).value, ram_first);
  const std::uint64_t end = std::min(ps.frame_of(PhysAddr{highest}).value, ram_end - 1) + 1;
  if (first >= end || model::clip_ram(ram, first, end).empty()) return kNone;
  if (first == ram_first && end == ram_end) return kNone;  // all of RAM: the all-RAM figures
  for (std::size_t i = 0; i < windows.size(); ++i) {
    if (windows[i].first_frame == first && windows[i].end_frame == end) return i;
  }
  if (windows.size() >= model::WindowMaps::kMaxWindows) return kNone;
  memory.watch_window(Pfn{first}, Pfn{end});
  DeviceWindow w;
  w.lowest = lowest;
  w.highest = highest;
  w.first_frame = first;
  w.end_frame = end;
  w.watched_from_ns = time_ns;
  windows.push_back(w);
  return windows.size() - 1;
}

}  // namespace fragreplay::replay
