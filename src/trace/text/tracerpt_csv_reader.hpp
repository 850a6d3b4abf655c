// Reader for `tracerpt trace.etl -of CSV` output (docs/formats.md §2.2): a header row
// naming the columns (Event Name, Type, Event ID, Version, ..., Opcode, ..., PID, TID, ...,
// Clock-Time, Kernel(ms), User(ms), User Data), then one row per event whose payload fields
// follow from the User Data column on. Pool events are the rows whose Event Name names the
// PoolTrace provider (or its GUID {0268a8b6-...}); their Opcode (32-47), or else their Type name,
// says which; their payload is Type, Tag, NumberOfBytes, Entry[, SessionId]. The EventTrace
// Header row gives the pointer size. Every other row is counted by name and skipped.
//
// Clock-Time is read in 100 ns units (FILETIME) unless ReadOptions::time_unit_ns says
// otherwise; times count from the first row. PID and TID are hexadecimal.
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if the first line that is not blank is a header starting "Event Name," with a User Data
// column.
bool looks_tracerpt_csv(std::string_view head);

std::unique_ptr<TraceReader> make_tracerpt_csv_reader(std::unique_ptr<ByteSource> source,
                                                      const ReadOptions& options);

}  // namespace fragreplay::trace
