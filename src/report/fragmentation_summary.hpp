// The terminal summary's lines about physical fragmentation: free memory at the end, the
// Johnstone-Wilson measures, the tags that pin free runs, and under each listed failure the
// placement that came closest and who blocked it. 80 columns.
#pragma once

#include <sstream>
#include <string>

#include "replay/results.hpp"

namespace fragreplay::report {

// "Free RAM ..." and "Fragment." lines for the summary's top block.
void fragmentation_lines(std::ostringstream& os, const replay::Results& results);
// "Tags pinning free runs ..." (nothing if no failure pinned anything).
void pinned_lines(std::ostringstream& os, const replay::Results& results);
// The indented line under one failure: fragmentation index, closest placement and blockers.
std::string failure_detail(const replay::ContiguousFailureRecord& f);

}  // namespace fragreplay::report
