// Johnstone & Wilson's four fragmentation measures (docs/measures.md §6.2), accumulated over
// the events of a replay: memory used by the allocators against memory the program requested.
#pragma once

#include <cstdint>

#include "base/units.hpp"
#include "replay/results.hpp"

namespace fragreplay::replay {

class JohnstoneWilson {
 public:
  // After each event: U, the memory the allocators hold, and L, the live requested bytes.
  // Inline: it runs once per event.
  void observe(Bytes used, Bytes live) {
    if (live.value != 0) {
      sum_ += ratio(used, live);
      ++counted_;
    }
    if (live > max_live_) {
      max_live_ = live;
      used_at_max_live_ = used;
    }
    if (used > max_used_) {
      max_used_ = used;
      live_at_max_used_ = live;
    }
  }
  FragmentationMeasures result() const;

 private:
  // a / b, 0 when b is 0.
  static double ratio(Bytes a, Bytes b) {
    return b.value == 0 ? 0.0 : static_cast<double>(a.value) / static_cast<double>(b.value);
  }
  double sum_ = 0;             // Σ U/L over the events with L > 0
  std::uint64_t counted_ = 0;  // those events
  Bytes max_live_, used_at_max_live_;
  Bytes max_used_, live_at_max_used_;
};

}  // namespace fragreplay::replay
