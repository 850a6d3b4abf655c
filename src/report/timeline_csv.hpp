// The fragmentation timeline as CSV, one row per sample: what --timeline-csv writes and
// timeline.csv under --csv DIR (columns documented in docs/schema.md §2). Times and live bytes,
// waste of the live allocations by part, pool pages, free frames and largest free runs (bytes),
// contiguous requests and failures so far (by cause), per order k the free-run pieces, unusable
// index and fragmentation index, and the physical-memory map as one letter per bucket
// (timeline_json.hpp).
#pragma once

#include <string>

#include "replay/results.hpp"

namespace fragreplay::report {

std::string timeline_csv(const replay::Results& results);

}  // namespace fragreplay::report
