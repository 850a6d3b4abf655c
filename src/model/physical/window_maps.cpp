// Occupancy maps of device windows (see window_maps.hpp).
#include "model/physical/window_maps.hpp"

#include <algorithm>
#include <stdexcept>

namespace fragreplay::model {

std::vector<RamRange> clip_ram(const std::vector<RamRange>& ram, std::uint64_t first,
                               std::uint64_t end) {
  std::vector<RamRange> out;
  for (const RamRange& r : ram) {
    const std::uint64_t lo = std::max(first, r.first.value);
    const std::uint64_t hi = std::min(end, r.first.value + r.count.value);
    if (lo < hi) out.push_back(RamRange{Pfn{lo}, PageCount{hi - lo}});
  }
  return out;
}

OccupancyMap& WindowMaps::add(std::uint64_t first, std::uint64_t end,
                              const std::vector<RamRange>& ram) {
  if (windows_.size() >= kMaxWindows) throw std::logic_error("too many device windows watched");
  const std::vector<RamRange> inside = clip_ram(ram, first, end);
  if (inside.empty()) throw std::logic_error("a device window without RAM");
  windows_.push_back(Window{first, end, OccupancyMap(inside)});
  return windows_.back().map;
}

void WindowMaps::move_run_clipped(std::uint64_t first, std::uint64_t n, unsigned from,
                                  unsigned to) {
  for (Window& w : windows_) {
    const std::uint64_t lo = std::max(first, w.first);
    const std::uint64_t hi = std::min(first + n, w.end);
    if (lo < hi) w.map.move_run(lo, hi - lo, from, to);
  }
}

}  // namespace fragreplay::model
