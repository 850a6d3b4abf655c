// The report's time window (see window.hpp).
#include "replay/window.hpp"

#include <algorithm>
#include <cstddef>

namespace fragreplay::replay {
namespace {

// Counters that accumulate over the replay; live_* are states, not counters.
void subtract_counts(GroupStats& g, const GroupStats& before) {
  g.allocations -= before.allocations;
  g.failures -= before.failures;
  g.frees -= before.frees;
  g.init_allocations -= before.init_allocations;
  g.requested -= before.requested;
  g.footprint -= before.footprint;
  g.waste -= before.waste;
}

// The same for a row's parts by pool kind: `before` is the row's state when the window opened.
void subtract_counts(KindParts& kinds, const KindParts* before_kinds, const GroupStats& before) {
  if (!kinds.mixed() || before_kinds == nullptr || before_kinds->kind == KindParts::kUnseen) return;
  for (std::size_t k = 0; k < kinds.parts.size(); ++k)
    subtract_counts(kinds.parts[k], before_kinds->part(before, k));
}

// Subtracts row by row (rows only ever get appended, so `before` is a prefix) and drops idle rows.
// Returns each old row's new index (kDropped for the rows dropped).
constexpr std::size_t kDropped = ~std::size_t{0};
template <typename Key>
std::vector<std::size_t> window_rows(std::vector<Key>& keys, std::vector<GroupStats>& rows,
                                     std::vector<KindParts>& kinds,
                                     const std::vector<GroupStats>& before,
                                     const std::vector<KindParts>& before_kinds) {
  for (std::size_t i = 0; i < before.size() && i < rows.size(); ++i) {
    if (i < kinds.size()) subtract_counts(kinds[i], kinds_of(before_kinds, i), before[i]);
    subtract_counts(rows[i], before[i]);
  }
  std::size_t out = 0;
  std::vector<std::size_t> moved(rows.size(), kDropped);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].idle()) continue;
    moved[i] = out;
    if (out != i) {  // never self-move: a moved-from string is left empty
      keys[out] = std::move(keys[i]);
      rows[out] = rows[i];
      if (i < kinds.size()) kinds[out] = std::move(kinds[i]);
    }
    ++out;
  }
  keys.resize(out);
  rows.resize(out);
  if (kinds.size() > out) kinds.resize(out);
  return moved;
}

}  // namespace

void keep_window(Results& r, const Results& before, const TimeWindow& window) {
  r.window.active = window.active();
  r.window.from_ns = window.from_ns;
  r.window.to_ns = window.to_ns;
  r.window.events_before = before.events;
  r.events -= before.events;
  r.alloc_events -= before.alloc_events;
  r.free_events -= before.free_events;
  r.phase_events -= before.phase_events;

  subtract_counts(r.totals, before.totals);
  for (std::size_t i = 0; i < r.by_routine.size(); ++i) {
    subtract_counts(r.routine_kinds[i], &before.routine_kinds[i], before.by_routine[i]);
    subtract_counts(r.by_routine[i], before.by_routine[i]);
  }
  for (std::size_t i = 0; i < r.by_pool_kind.size(); ++i)
    subtract_counts(r.by_pool_kind[i], before.by_pool_kind[i]);
  if (window.active()) {
    const std::vector<std::size_t> tag_moved =
        window_rows(r.tags, r.by_tag, r.tag_kinds, before.by_tag, before.tag_kinds);
    window_rows(r.processes, r.by_process, r.process_kinds, before.by_process,
                before.process_kinds);
    window_rows(r.call_sites, r.by_call_site, r.call_site_kinds, before.by_call_site,
                before.call_site_kinds);
    // The pinned frames follow their tag rows; a row dropped takes its own along.
    std::vector<std::uint64_t> pinned(r.tags.size(), 0);
    for (std::size_t i = 0; i < r.pinned_frames.size() && i < tag_moved.size(); ++i) {
      if (tag_moved[i] != kDropped) pinned[tag_moved[i]] = r.pinned_frames[i];
    }
    r.pinned_frames = std::move(pinned);
    // A stack's row kept means its tag's row was kept (its counts are a part of the tag's).
    for (CallSite& c : r.call_sites) {
      if (c.stack != 0) c.tag_row = static_cast<std::uint32_t>(tag_moved[c.tag_row]);
    }
  }

  ContiguousStats& c = r.contiguous;
  c.requests -= before.contiguous.requests;
  c.failures -= before.contiguous.failures;
  for (std::size_t k = 0; k < c.failures_by_cause.size(); ++k)
    c.failures_by_cause[k] -= before.contiguous.failures_by_cause[k];

  std::erase_if(r.timeline, [&](const TimelineSample& s) { return s.time_ns < window.from_ns; });
}

}  // namespace fragreplay::replay
