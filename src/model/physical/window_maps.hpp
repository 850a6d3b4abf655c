// The occupancy maps of device windows: for a few windows of physical memory that contiguous
// requests name (below 16 MiB, below 4 GiB, an adapter's limit), an OccupancyMap of the window's
// own frames, so the frame map of a window can be drawn at the resolution of the window rather
// than as a few buckets of the all-RAM map (docs/measures.md §3.3). Kept up to date beside the
// all-RAM map on every frame change: with no window watched a change costs one test.
//
// Invariant: each window's map counts exactly the frames of RAM inside [first, end), by owner
// class and free, as the frames are now (PhysicalMemory::check_invariants).
#pragma once

#include <cstdint>
#include <vector>

#include "model/physical/occupancy_map.hpp"

namespace fragreplay::model {

class WindowMaps {
 public:
  static constexpr std::size_t kMaxWindows = 4;

  struct Window {
    std::uint64_t first = 0;  // frames [first, end)
    std::uint64_t end = 0;
    OccupancyMap map;
  };

  bool empty() const { return windows_.empty(); }
  const std::vector<Window>& windows() const { return windows_; }
  // Adds the window [first, end) of `ram` with every frame free; returns its map so the caller
  // can record the frames already held. REQUIRES: fewer than kMaxWindows windows; the window
  // holds RAM.
  OccupancyMap& add(std::uint64_t first, std::uint64_t end, const std::vector<RamRange>& ram);

  void move(std::uint64_t f, unsigned from, unsigned to) {
    for (Window& w : windows_) {
      if (f >= w.first && f < w.end) w.map.move(f, from, to);
    }
  }
  // Frames [first, first + n), inside one RAM range.
  void move_run(std::uint64_t first, std::uint64_t n, unsigned from, unsigned to) {
    if (!windows_.empty()) move_run_clipped(first, n, from, to);
  }

 private:
  void move_run_clipped(std::uint64_t first, std::uint64_t n, unsigned from, unsigned to);
  std::vector<Window> windows_;
};

// The RAM ranges inside frames [first, end), in order.
std::vector<RamRange> clip_ram(const std::vector<RamRange>& ram, std::uint64_t first,
                               std::uint64_t end);

}  // namespace fragreplay::model
