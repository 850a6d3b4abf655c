// --timeline-csv: the fragmentation timeline as CSV, one row per sample (columns documented in
// README.md): times and live bytes, free frames and largest free runs, contiguous requests by
// outcome, then per order k the free-run pieces, unusable index and fragmentation index, then the
// physical-memory map as one letter per bucket (timeline_json.hpp).
#pragma once

#include <string>

#include "replay/results.hpp"

namespace fragreplay::report {

std::string timeline_csv(const replay::Results& results);

}  // namespace fragreplay::report
