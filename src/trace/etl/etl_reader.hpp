// Reader for raw ETW trace files (.etl), with no Windows dependency. It indexes the file's
// buffers, walks each CPU's buffers in order (decompressing LZXPRESS buffers), merges the CPUs'
// events into one time order, and turns the PoolTrace group into events: allocs and frees
// (session ones included), and the rundown snapshot's allocations as `rundown` allocs that seed
// the live table. Every other record is counted (InputFacts) and skipped. Timestamps become
// nanoseconds since the earliest event, with the trace header's clock.
//
// Memory: the buffer index (24 bytes a buffer) and one buffer's pool events per CPU; a file of
// many GB is never loaded whole. Input that cannot seek (a pipe, a .gz) is first copied to a
// temporary file, because the per-CPU merge reads the file out of order.
//
// Damage: a truncated or corrupt file gives every event that could be read, then (with
// BadLinePolicy::kFail) an Error naming the byte offset of the damage, or (kSkip) a bad record.
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if `head` starts like an ETL file: a buffer header whose first event is the trace header
// (a SYSTEM event of group 0, type 0).
bool looks_etl(std::string_view head);

// Opens an ETL reader over `source`; throws Error if the file has no readable buffer or no trace
// header.
std::unique_ptr<TraceReader> make_etl_reader(std::unique_ptr<ByteSource> source,
                                             const ReadOptions& options);

}  // namespace fragreplay::trace
