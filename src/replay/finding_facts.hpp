// The collector of the per-allocation facts behind the report's findings (report/findings.hpp): for
// each tag and routine, how many requests fell into each documented pitfall, what they cost, and
// the trace line of the first one; for each DMA adapter, how many map registers its common buffers
// held at most. The totals in Results cannot answer these (a sub-page request is invisible once
// summed), so the engine feeds this collector once per event. Constant work per event, and no
// allocation once a row exists for the (tag, routine) pair — rows grow like Results::by_tag.
//
// Counting follows the report's time window: requests are counted only while `counting` is true,
// but what is live is tracked over the whole replay, so a free inside the window of an allocation
// made before it is handled.
//
// Invariants (check_invariants()): once the window is open, every counter's live <= peak_live;
// failures <= count; the row index maps each (tag, routine) key to its row and nothing else.
#pragma once

#include <cstdint>
#include <vector>

#include "base/flat_map.hpp"
#include "base/units.hpp"
#include "model/machine.hpp"
#include "model/outcome.hpp"
#include "model/profile.hpp"
#include "replay/pitfalls.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

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

  // What was collected so far (Results::facts takes a copy when the replay finishes).
  const PitfallFacts& facts() const { return facts_; }
  const std::vector<PitfallRow>& rows() const { return facts_.rows; }
  const std::vector<AdapterFacts>& adapters() const { return facts_.adapters; }
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
  bool window_open_ = false;
  PitfallFacts facts_;
  FlatMap<std::uint32_t> index_;  // (tag << 8 | routine) -> row of facts_.rows
};

}  // namespace fragreplay::replay
