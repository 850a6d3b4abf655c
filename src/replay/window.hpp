// The report's time window (--from / --to, in trace time). The model replays every event before
// the window, so the state inside it is the real one; the report counts only what happens inside
// it: allocations, frees, failures, events and the peak. Reading stops with the batch (4,096
// events) that passes the window's end; later events are neither replayed nor counted.
// Live figures (live_* and the end state) describe the state at the window's end, whatever the
// age of the allocations. Data quality covers every event replayed, since an odd event before
// the window shapes the state inside it.
#pragma once

#include <cstdint>

#include "replay/results.hpp"

namespace fragreplay::replay {

struct TimeWindow {
  static constexpr std::uint64_t kOpenEnd = WindowInfo::kOpenEnd;
  std::uint64_t from_ns = 0;       // first counted time (inclusive)
  std::uint64_t to_ns = kOpenEnd;  // last counted time (inclusive)
  bool active() const { return from_ns != 0 || to_ns != kOpenEnd; }
};

// Turns `r`, which counted everything replayed, into what the window counted, given `before`, a
// copy of the results taken when the window opened: cumulative counters become differences,
// tag and process rows with nothing in the window and nothing live are dropped, and timeline
// samples before the window are dropped. REQUIRES: `before` is an earlier state of the same replay.
void keep_window(Results& r, const Results& before, const TimeWindow& window);

}  // namespace fragreplay::replay
