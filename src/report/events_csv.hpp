// --events-out: one CSV row per replayed event with what the model decided for it, so a user can
// check any single decision. Columns (fixed order, documented in docs/schema.md §3):
//   line,time_ns,event,routine,tag,requested,footprint,pool_header,granularity,
//   sub_page_rounding,success,cause,phys_first,phys_last,address,map_registers
#pragma once

#include <cstdio>
#include <string>

#include "replay/event_observer.hpp"

namespace fragreplay::report {

inline constexpr const char* kEventsCsvHeader =
    "line,time_ns,event,routine,tag,requested,footprint,pool_header,granularity,"
    "sub_page_rounding,success,cause,phys_first,phys_last,address,map_registers";

class EventsCsvWriter final : public replay::EventObserver {
 public:
  // Writes the header; `out` must stay open for the writer's lifetime.
  explicit EventsCsvWriter(std::FILE* out);
  ~EventsCsvWriter() override;
  EventsCsvWriter(const EventsCsvWriter&) = delete;
  EventsCsvWriter& operator=(const EventsCsvWriter&) = delete;

  void on_event(const trace::Event& event, const trace::StringTable& strings,
                const replay::EventOutcome& outcome) override;
  // Writes what is buffered; throws Error if the write fails.
  void flush();

 private:
  std::FILE* out_;
  std::string buf_;
};

}  // namespace fragreplay::report
