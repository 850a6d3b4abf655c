// Each row's live state at the moment of the live peak (GroupStats::at_peak), kept without
// copying every row at every new peak. The peak only rises while allocations are made, often at
// every one of them; so a new peak only starts an epoch, and a row saves its state the first time
// it is about to change in an epoch. A row that has not changed since the last peak still holds
// its state at the peak; one that has, saved it. A row made after the peak saves zero, its state
// then. Cost: a compare per row per event, and a copy per row per epoch it changes in.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "replay/results.hpp"

namespace fragreplay::replay {

class PeakRows {
 public:
  // The replay's row groups, whose rows are cells of one pool kind each (row_cells.hpp).
  enum class Group : unsigned char { kTag, kRoutine, kProcess, kCallSite, kCount };

  // The live footprint has just reached a new peak (or the time window opened, and the peak
  // starts again): every row's state now is its state at the peak.
  void new_peak() { ++epoch_; }
  // Row `row` of `group`, whose state is `now`, is about to change.
  void before_change(Group group, std::size_t row, const GroupStats& now) {
    std::vector<Slot>& slots = slots_[static_cast<unsigned>(group)];
    if (row >= slots.size()) slots.resize(row + 1);
    Slot& s = slots[row];
    if (s.epoch == epoch_) return;
    s.epoch = epoch_;
    s.state = now.live();
  }
  // Sets at_peak of every row of `group` (`rows`, as the replay made them).
  void finish(Group group, std::span<GroupStats> rows) const;

 private:
  struct Slot {
    std::uint64_t epoch = 0;  // below every epoch_: never saved
    LiveState state;
  };

  std::uint64_t epoch_ = 1;
  std::array<std::vector<Slot>, static_cast<std::size_t>(Group::kCount)> slots_;
};

}  // namespace fragreplay::replay
