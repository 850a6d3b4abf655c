// The facts behind the report's findings (report/findings.hpp), as plain values: for each tag
// and routine, how many requests fell into each documented pitfall, what they cost and the trace
// line of the first one; for each DMA adapter, the most map registers its common buffers held.
// The engine collects them with FindingFacts (finding_facts.hpp); Results carries a copy.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/tag.hpp"
#include "base/units.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

// The documented pitfalls a request can fall into (docs/model.md §3.7, §4.3, §5.3-§5.5).
enum class Pitfall : std::uint8_t {
  kSubPageGranular,      // < 1 page to MmAllocateNonCachedMemory, contiguous or common buffer
  kContiguousAfterInit,  // contiguous or common buffer outside DriverEntry (once it has run)
  kContiguousChurn,      // contiguous or common buffer freed outside DriverUnload
  kBigPoolTail,          // big pool block whose last page's tail is lost, and splitting would save
  kDeprecatedRoutine,    // ExAllocatePoolWithTag / ExAllocatePoolWithQuotaTag
  kExecutableNonPaged,   // executable nonpaged pool (NonPagedPool, POOL_FLAG_NON_PAGED_EXECUTE)
  kCount
};
inline constexpr unsigned kPitfallCount = static_cast<unsigned>(Pitfall::kCount);

// What one (tag, routine) pair did of one pitfall. What `count` and `bytes` measure depends on
// the pitfall (README.md, "Findings"):
//   kSubPageGranular:     successful requests; bytes = their sub-page rounding waste
//   kContiguousAfterInit: requests, granted or not; bytes = their sizes rounded up to pages
//   kContiguousChurn:     frees; bytes = the footprint they released
//   kBigPoolTail:         successful requests; bytes = what splitting each would have saved
//   kDeprecatedRoutine, kExecutableNonPaged: requests; bytes = the bytes they asked for
struct PitfallCounter {
  std::uint64_t count = 0;
  std::uint64_t failures = 0;  // requests the model refused
  Bytes bytes;
  Bytes live;       // kSubPageGranular, kBigPoolTail: of the allocations live now
  Bytes peak_live;  // the most `live` was inside the window
  std::uint64_t first_line = 0;
};

struct PitfallRow {
  Tag tag;
  trace::Routine routine = trace::Routine::kExAllocatePoolWithTag;
  std::array<PitfallCounter, kPitfallCount> pitfalls{};
  const PitfallCounter& operator[](Pitfall p) const { return pitfalls[static_cast<unsigned>(p)]; }
  PitfallCounter& operator[](Pitfall p) { return pitfalls[static_cast<unsigned>(p)]; }
};

// Map registers of one DMA adapter (indexed like model::Machine::adapters()).
struct AdapterFacts {
  std::uint64_t budget = 0;
  std::uint64_t peak = 0;  // most in use inside the window
  Tag peak_tag;            // the common buffer whose allocation reached the peak
  std::uint64_t peak_line = 0;
  std::uint64_t failures_before = 0;  // refusals for lack of map registers before the window
};

struct PitfallFacts {
  std::vector<PitfallRow> rows;
  std::vector<AdapterFacts> adapters;  // indexed like the machine's DMA adapters
  // Whether a DriverEntry phase marker was seen (the after-init pitfall needs one).
  bool driver_entry_seen = false;
};

}  // namespace fragreplay::replay
