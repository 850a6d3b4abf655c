// --html FILE: one self-contained HTML page (inline CSS, inline SVG charts, one small inline
// script for sortable tables; nothing from the network) that shows a replay: the headline, memory
// and waste over time with the contiguous failures by cause, physical fragmentation and the frame
// map, tags and processes by waste, the findings, data quality and the profile. Readable on a
// laptop screen and printable. Everything that came from the trace is escaped.
#pragma once

#include <string>

#include "replay/results.hpp"

namespace fragreplay::report {

// The page. Deterministic: the same Results give the same bytes.
std::string html_report(const replay::Results& results);

}  // namespace fragreplay::report
