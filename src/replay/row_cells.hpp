// The replay's rows, kept per pool kind (docs/attribution.md §4). An event counts in one cell of
// each row group: (tag row, kind), (routine, kind), (process row, kind), (call-site row, kind).
// At the end (and when a time window opens) fold() adds each row's cells up into the rows of
// Results, and keeps the cells of a row of several kinds as its KindParts; by_pool_kind is the
// sum of the routine cells of each kind. So the split costs nothing per event: an event updates
// four cells and the totals, where it once updated five rows (by_pool_kind among them) and the
// totals. The cells of a row lie side by side, and most rows use one kind, so one cell is warm.
// Invariants (tested): Σ_k cell(g, row, k) = row; Σ_rows cell(g, row, k) = by_pool_kind[k].
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "replay/peak_rows.hpp"
#include "replay/results.hpp"

namespace fragreplay::replay {

class RowCells {
 public:
  using Group = PeakRows::Group;
  static constexpr std::size_t kKinds = kPoolKindCount;

  RowCells();

  // The index of row `row`'s cell of kind `kind` in its group (PeakRows' slot numbers).
  static std::size_t index(std::size_t row, unsigned kind) { return row * kKinds + kind; }
  // The cell, made (with the rest of its row's) the first time.
  GroupStats& cell(Group group, std::size_t row, unsigned kind) {
    std::vector<GroupStats>& cells = cells_[static_cast<unsigned>(group)];
    const std::size_t i = index(row, kind);
    if (i >= cells.size()) [[unlikely]]
      cells.resize((row + 1) * kKinds);
    return cells[i];
  }
  // Every cell of `group`, row by row: for PeakRows::finish.
  std::span<GroupStats> cells(Group group) { return cells_[static_cast<unsigned>(group)]; }

  // Sets r's rows of by_tag, by_routine, by_process, by_call_site (the sizes the replay made
  // them), their KindParts and by_pool_kind from the cells.
  void fold(Results& r) const;

 private:
  std::array<std::vector<GroupStats>, static_cast<std::size_t>(Group::kCount)> cells_;
};

}  // namespace fragreplay::replay
