// Fields an input carried that its event does not take (a process on a phase row, a cache type on
// ExAllocatePoolWithTag): harmless information a converter copied from the event it read. They are
// never fatal; each is counted by column and by the routine of its row, with the first line it
// appeared on, so every report can say what was set aside (README, "Be liberal in what you
// accept"). A malformed value in a column the routine does take stays an error.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trace/event.hpp"

namespace fragreplay::trace {

// One column set aside on the rows of one routine.
struct IgnoredField {
  std::string column;
  std::string routine;
  std::uint64_t count = 0;
  std::uint64_t first_line = 0;
  friend bool operator==(const IgnoredField&, const IgnoredField&) = default;
};

// A counter per (column, routine) pair of a reader with a fixed column set: add() is one array
// update, so a trace whose every free carries a pool type costs nothing per event to note it.
template <unsigned Columns>
class IgnoredFieldTally {
 public:
  void add(unsigned column, Routine routine, std::uint64_t line) {
    Slot& s = slots_[column][static_cast<unsigned>(routine)];
    if (s.count++ == 0) s.first_line = line;
  }
  // Every pair seen, ordered by column, then by routine, with the column's name from `names`.
  template <typename Names>
  std::vector<IgnoredField> list(const Names& names) const {
    std::vector<IgnoredField> out;
    for (unsigned c = 0; c < Columns; ++c) {
      for (unsigned r = 0; r < kRoutineCount; ++r) {
        const Slot& s = slots_[c][r];
        if (s.count == 0) continue;
        out.push_back({std::string(names[c]), std::string(routine_name(static_cast<Routine>(r))),
                       s.count, s.first_line});
      }
    }
    return out;
  }

 private:
  struct Slot {
    std::uint64_t count = 0;
    std::uint64_t first_line = 0;
  };
  std::array<std::array<Slot, kRoutineCount>, Columns> slots_{};
};

}  // namespace fragreplay::trace
