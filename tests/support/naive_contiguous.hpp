// The reference contiguous search: a frame-by-frame scan that follows WRK MiFindContiguousPages
// line by line (docs/model.md §5.3). It is the executable specification the free-run
// index is checked against (property tests) and measured against (tests/bench); the model itself
// never uses it. O(frames in the window) per call.
#pragma once

#include <optional>

#include "base/units.hpp"
#include "model/physical/physical_memory.hpp"

namespace fragreplay::model {

// The start frame take_contiguous would choose for `request`, ignoring the reserve floor: walk
// the RAM ranges in the request's direction; inside each, count a run of frames that are free and
// (for other cache types than MmCached) not must-be-cached, restarting on any other frame; check
// the boundary where a run begins; the first run of `pages` frames wins.
std::optional<Pfn> naive_find_contiguous(const PhysicalMemory& memory,
                                         const ContiguousRequest& request);

// Free frames, longest free run and number of maximal free runs' power-of-two pieces in
// [lo, hi], counted frame by frame (for checking the index).
struct NaiveWindow {
  std::uint64_t free = 0;
  std::uint64_t longest = 0;
  std::uint64_t pieces = 0;
};
NaiveWindow naive_window(const PhysicalMemory& memory, Pfn lo, Pfn hi);

}  // namespace fragreplay::model
