// TRACE_LOGFILE_HEADER: the payload of the first event of an ETL file (group 0, type 0). It gives
// the pointer size, the OS build, the CPU count, and the clock the event timestamps use, from
// which they are converted to nanoseconds (docs/formats.md §4.3).
#pragma once

#include <cstdint>
#include <optional>

#include "trace/etl/etl_layout.hpp"
#include "trace/input_facts.hpp"

namespace fragreplay::trace::etl {

// The clock of the event timestamps, from ReservedFlags.
struct TraceClock {
  std::uint64_t ticks_per_second = 0;

  // Nanoseconds from `from` to `to` (to >= from), exact for any frequency up to 2^34 Hz.
  std::uint64_t ns_between(std::uint64_t from, std::uint64_t to) const {
    const std::uint64_t d = to - from;
    const std::uint64_t f = ticks_per_second;
    return (d / f) * 1'000'000'000u + (d % f) * 1'000'000'000u / f;
  }
};

struct LogfileHeader {
  EtlHeaderFacts facts;
  TraceClock clock;
};

// Decodes the payload of the header event; `pointer_size` is that of its event header (the
// layout holds two pointers). Returns what is wrong, or null.
const char* decode_logfile_header(ByteSpan payload, std::size_t pointer_size, LogfileHeader& out);

}  // namespace fragreplay::trace::etl
