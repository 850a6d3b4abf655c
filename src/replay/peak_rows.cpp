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

}  // namespace fragreplay::replay
