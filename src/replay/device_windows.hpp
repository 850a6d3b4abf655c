// The device windows the timeline follows: the distinct windows of physical memory that
// contiguous requests and common buffers name (MmAllocateContiguousMemory's HighestAcceptable,
// an adapter's limit), clipped to RAM, that are not all of RAM: at most
// model::WindowMaps::kMaxWindows of them, in the order first met. Each is watched from its first
// request on (model::PhysicalMemory::watch_window), so the sampler can take the fragmentation
// measures of the window itself (docs/measures.md §3.3); its requests and failures are counted.
#pragma once

#include <cstdint>
#include <vector>

#include "model/physical/physical_memory.hpp"
#include "replay/results.hpp"

namespace fragreplay::replay {

class DeviceWindows {
 public:
  static constexpr std::size_t kNone = ~std::size_t{0};
  // A contiguous request for [lowest, highest] (inclusive physical addresses, as the routine
  // normalised them) at time_ns; `counted` is false before the --from window opens. Returns the
  // index of its device window in `windows`, or kNone (all of RAM, empty, or no room left).
  std::size_t on_request(model::PhysicalMemory& memory, std::uint64_t lowest, std::uint64_t highest,
                         std::uint64_t time_ns, bool failed, bool counted,
                         std::vector<DeviceWindow>& windows);

 private:
  std::size_t find_or_watch(model::PhysicalMemory& memory, std::uint64_t lowest,
                            std::uint64_t highest, std::uint64_t time_ns,
                            std::vector<DeviceWindow>& windows);
  // The last window asked about, and its index (kNone: all RAM, empty, or no room).
  bool has_last_ = false;
  std::uint64_t last_lowest_ = 0;
  std::uint64_t last_highest_ = 0;
  std::size_t last_ = kNone;
};

}  // namespace fragreplay::replay
