// The options that describe the machine a trace is replayed on, besides --profile and --ram:
// --memory-map (the physical RAM ranges) and --background (frames other consumers hold).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/units.hpp"
#include "model/profile.hpp"

namespace fragreplay::cli {

// Largest RAM a replay may model: the frame index is 31 bits.
inline constexpr std::uint64_t kMaxModelledBytes = 4ull << 40;

// "START-END" (END inclusive, as /proc/iomem prints ranges) or "START+LENGTH", comma-separated.
// Numbers are 0x hex, or decimal with an optional binary unit (4GiB, 640K). Ranges must be whole
// pages; they are sorted and may not overlap. Throws Error naming the option and the range.
std::vector<model::RamRange> parse_memory_map(const std::string& text, PageSize page_size);

struct BackgroundOption {
  unsigned percent = 0;
  std::uint64_t seed = 1;
};
// "PERCENT" or "PERCENT:SEED", PERCENT 0 to 100.
BackgroundOption parse_background(const std::string& text);

}  // namespace fragreplay::cli
