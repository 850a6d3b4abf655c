// Parsing of trace times given on the command line (--from, --to): "5ms", "2s", "1.5s", "250us",
// "1000" (plain nanoseconds).
#pragma once

#include <cstdint>
#include <string>

namespace fragreplay::cli {

// A number (decimal fraction allowed) with an optional unit: ns (the default), us, ms, s, min, h.
// The result must be a whole number of nanoseconds. Throws Error naming `option` otherwise, or on
// overflow.
std::uint64_t parse_trace_time(const std::string& text, const std::string& option);

}  // namespace fragreplay::cli
