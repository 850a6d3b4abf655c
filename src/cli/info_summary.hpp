// What `fragreplay info` learns from the events a reader hands out (the reader's InputFacts say
// what the input held): how many of each kind, their time span, distinct tags, requested bytes,
// and a pairing check — frees of addresses never allocated, allocations at addresses still live,
// allocations still live at the end — without replaying anything through the model.
#pragma once

#include <cstdint>
#include <span>

#include "base/flat_map.hpp"
#include "trace/event.hpp"

namespace fragreplay::cli {

struct EventSummary {
  std::uint64_t events = 0;
  std::uint64_t allocs = 0;   // the trace's own allocations
  std::uint64_t rundown = 0;  // allocations that predate the trace (rundown snapshots)
  std::uint64_t frees = 0;
  std::uint64_t phases = 0;
  std::uint64_t requested_bytes = 0;  // of the trace's own allocations
  std::uint64_t rundown_bytes = 0;
  bool any = false;
  std::uint64_t first_ns = 0;
  std::uint64_t last_ns = 0;
  std::uint64_t time_went_backwards = 0;
  std::uint64_t tags = 0;  // distinct
  std::uint64_t unknown_frees = 0;
  std::uint64_t null_frees = 0;  // kfree(NULL) and the like: legal no-ops
  std::uint64_t live_address_reused = 0;
  std::uint64_t live_at_end = 0;

  void add(std::span<const trace::Event> events);

 private:
  FlatMap<std::uint8_t> tag_set_;
  FlatMap<std::uint8_t> live_;
  bool reserved_live_ = false;  // the one address FlatMap cannot hold
};

}  // namespace fragreplay::cli
