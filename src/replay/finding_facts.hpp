// Per-allocation facts behind the report's findings (report/findings.hpp): for each tag and
// routine, how many requests fell into each documented pitfall, what they cost, and the trace line
// of the first one; for each DMA adapter, how many map registers its common buffers held at most.
// The totals in Results cannot answer these (a sub-page request is invisible once summed), so the
// engine feeds this collector once per event. Constant work per event, and no allocation once a
// row exists for the (tag, routine) pair — rows grow like Results::by_tag.
//
// Counting follows the report's time window: requests are counted only while `counting` is true,
// but what is live is tracked over the whole replay, so a free inside the window of an allocation
// made before it is handled.
//
// Invariants (check_invariants()): once the window is open, every counter's live <= peak_live;
// failures <= count; the row index maps each (tag, routine) key to its row and nothing else.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/flat_map.hpp"
#include "base/tag.hpp"
#include "base/units.hpp"
#include "model/machine.hpp"
#include "model/outcome.hpp"
#include "model/profile.hpp"
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

class FindingFacts {
 public:
  FindingFacts() = default;
  explicit FindingFacts(const model::Profile& profile);

  // A phase marker (DriverEntry, Steady, DriverUnload).
  void on_phase(trace::Routine phase);
  // An allocation request and what the model did. `adapter` is the adapter's state after a
  // common buffer request, null for other routines.
  void on_alloc(const trace::Event& e, const model::AllocOutcome& o,
                const model::AdapterUsage* adapter, std::size_t adapter_id, bool counting);
  // A free (at trace `line`) of a live allocation of `requested` bytes occupying `footprint`.
  void on_free(std::uint64_t line, Tag tag, trace::Routine routine, std::uint64_t requested,
               Bytes footprint, const model::Waste& waste, bool counting);
  // The window opens: peaks restart from what is live now, failures so far are remembered.
  void begin_window(const std::vector<model::AdapterUsage>& adapters);

  const std::vector<PitfallRow>& rows() const { return rows_; }
  const std::vector<AdapterFacts>& adapters() const { return adapters_; }
  // Whether a DriverEntry phase marker was seen (the after-init pitfall needs one).
  bool driver_entry_seen() const { return driver_entry_seen_; }
  // What splitting a big pool request of n bytes into whole pages plus a small block would save
  // on a profile that wastes the big-pool tail (§3.7); 0 when it would not help.
  std::uint64_t split_saving(std::uint64_t n) const;

  void check_invariants() const;

 private:
  PitfallRow& row(Tag tag, trace::Routine routine);
  AdapterFacts& adapter(std::size_t id);
  void add(PitfallCounter& c, std::uint64_t line, Bytes bytes, bool failed);

  std::uint64_t page_size_ = 4096;
  std::uint64_t small_max_ = 0;
  std::uint64_t pool_header_ = 0;
  std::uint64_t granularity_ = 8;
  bool tail_wasted_ = false;
  bool in_driver_entry_ = false;
  bool in_driver_unload_ = false;
  bool driver_entry_seen_ = false;
  bool window_open_ = false;
  std::vector<PitfallRow> rows_;
  FlatMap<std::uint32_t> index_;  // (tag << 8 | routine) -> row
  std::vector<AdapterFacts> adapters_;
};

}  // namespace fragreplay::replay
