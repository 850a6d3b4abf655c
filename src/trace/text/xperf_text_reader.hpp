// Reader for `xperf -i trace.etl -o trace.txt` (the dumper action's text). The BeginHeader ...
// EndHeader block gives each event's columns; rows are then read by those names: TimeStamp,
// "Process Name ( PID)", ThreadID, and the pool fields (Type, Tag, NumberOfBytes, Entry, or the
// usual aliases: Size, Address, ...). Pool events are recognised by their name (PoolAlloc,
// PoolAllocSession, PoolFree, PoolFreeSession, PoolSnap ... DCStart); every other row is counted
// by name and skipped. Stack rows are attached to the event before them (same TimeStamp and
// ThreadID) and counted; they carry nothing the model uses.
//
// TimeStamp is read in microseconds unless ReadOptions::time_unit_ns says otherwise
// (docs/formats.md §2.1: the unit is not stated in the file).
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if the first line that is not blank is "BeginHeader".
bool looks_xperf_text(std::string_view head);

std::unique_ptr<TraceReader> make_xperf_text_reader(std::unique_ptr<ByteSource> source,
                                                    const ReadOptions& options);

}  // namespace fragreplay::trace
