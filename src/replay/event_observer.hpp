// What the engine tells an observer about each event it replays (--events-out is one): the event,
// the trace's strings, and what the model decided. Plain values, so an observer needs nothing of
// the engine or the model's allocators.
#pragma once

#include <cstdint>

#include "base/units.hpp"
#include "model/outcome.hpp"
#include "trace/event.hpp"
#include "trace/string_table.hpp"

namespace fragreplay::replay {

// What happened to one event (the row of --events-out).
struct EventOutcome {
  bool ok = false;
  // Empty on success; a model::FailCause name, or an anomaly name for frees that freed nothing.
  const char* cause = "";
  std::uint64_t requested = 0;
  std::uint64_t footprint = 0;
  model::Waste waste;
  bool has_phys = false;
  PhysAddr phys_first;
  PhysAddr phys_last;
  std::uint64_t map_registers = 0;
};

class EventObserver {
 public:
  virtual ~EventObserver() = default;
  virtual void on_event(const trace::Event& event, const trace::StringTable& strings,
                        const EventOutcome& outcome) = 0;
};

}  // namespace fragreplay::replay
