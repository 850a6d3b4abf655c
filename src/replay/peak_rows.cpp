// Each row's live state at the live peak (see peak_rows.hpp).
#include "replay/peak_rows.hpp"

namespace fragreplay::replay {

void PeakRows::finish(Group group, std::span<GroupStats> rows) const {
  const std::vector<Slot>& slots = slots_[static_cast<unsigned>(group)];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool saved = i < slots.size() && slots[i].epoch == epoch_;
    rows[i].at_peak = saved ? slots[i].state : rows[i].live();
  }
}

void PeakRows::finish(Results& r) const {
  finish(Group::kTag, r.by_tag);
  finish(Group::kRoutine, r.by_routine);
  finish(Group::kProcess, r.by_process);
  finish(Group::kCallSite, r.by_call_site);
  finish(Group::kPoolKind, r.by_pool_kind);
  const Peak& p = r.peak;
  r.totals.at_peak =
      LiveState{p.live_allocations, p.live_requested, p.live_footprint, p.live_waste};
}

}  // namespace fragreplay::replay
