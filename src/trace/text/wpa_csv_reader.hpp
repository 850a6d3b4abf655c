// Reader for a CSV export of WPA's Pool table (WPA "Export table", or wpaexporter with a profile
// holding the Pool Summary table; docs/formats.md §2.3). Such a table has one row per
// allocation with both its times, so each row becomes an alloc at its Alloc Time and, if it was
// freed, a free at its Free Time; rows are not in time order, so the whole table is read first
// (about 60 bytes a row) and its events handed out sorted by time.
//
// Columns are found by name, whatever their order, spacing or case: Pool Tag (or Tag), Size,
// Alloc Time (or Allocation Time, AllocateTimestamp), and optionally Free Time, Address, Paged or
// Pool Type, Type (WPA's AIFI/AIFO/AOFI/AOFO lifetime class), Process, Thread, Count. An
// allocation made outside (before) the trace (AO.. or no Alloc Time) is a rundown alloc. Without an
// Address column each row gets an address of its own so its free still finds it. A table whose
// Count column exceeds 1 is aggregated and refused.
//
// Times are read in seconds (WPA's display, "12.345678901") unless ReadOptions::time_unit_ns
// says otherwise.
#pragma once

#include <memory>
#include <string_view>

#include "trace/trace_reader.hpp"

namespace fragreplay::trace {

// True if the first line that is not blank names a pool tag, a size and an alloc time column.
bool looks_wpa_pool_csv(std::string_view head);

std::unique_ptr<TraceReader> make_wpa_pool_csv_reader(std::unique_ptr<ByteSource> source,
                                                      const ReadOptions& options);

}  // namespace fragreplay::trace
