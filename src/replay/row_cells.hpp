// The replay's rows, kept per pool kind (docs/attribution.md §4). An event counts in one cell of
// each row group: (tag row, kind), (routine, kind), (process row, kind), (call-site row, kind).
// At the end (and when a time window opens) fold() adds each row's cells up into the rows of
// Results, and keeps the cells of a row of several kinds as its KindParts; by_pool_kind is the
// sum of the routine cells of each kind. So the split costs nothing per event: an event updates
// four cells and the totals, where it once updated five rows (by_pool_kind among them) and the
// totals. The cells of a row lie side by side, and most rows use one kind, so one cell is warm.
// The call-site group can have very many rows (one per distinct stack and tag of an ETW capture),
// so its cells are sparse: only the (row, kind) pairs met, found through a FlatMap behind a
// one-entry cache; the other groups keep all kKinds cells of every row (docs/performance.md §7).
// Invariants (tested): Σ_k cell(g, row, k) = row; Σ_rows cell(g, row, k) = by_pool_kind[k].
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "base/flat_map.hpp"
#include "replay/peak_rows.hpp"
#include "replay/results.hpp"

namespace fragreplay::replay {

class RowCells {
 public:
  using Group = PeakRows::Group;
  static constexpr std::size_t kKinds = kPoolKindCount;

  RowCells();

  // A cell and its number in its group (PeakRows' slot number).
  struct CellRef {
    GroupStats* stats = nullptr;
    std::size_t slot = 0;
  };
  // The cell of row `row` and kind `kind`, made the first time (in a dense group, with the rest
  // of its row's).
  CellRef cell(Group group, std::size_t row, unsigned kind) {
    if (group == Group::kCallSite) return sparse_cell(row, kind);
    std::vector<GroupStats>& cells = cells_[static_cast<unsigned>(group)];
    const std::size_t i = row * kKinds + kind;
    if (i >= cells.size()) [[unlikely]]
      cells.resize((row + 1) * kKinds);
    return {&cells[i], i};
  }
  // Every cell of `group` by slot number: for PeakRows::finish.
  std::span<GroupStats> cells(Group group) { return cells_[static_cast<unsigned>(group)]; }

  // Sets r's rows of by_tag, by_routine, by_process, by_call_site (the sizes the replay made
  // them), their KindParts and by_pool_kind from the cells.
  void fold(Results& r) const;

 private:
  CellRef sparse_cell(std::size_t row, unsigned kind) {
    const std::uint64_t key = std::uint64_t{row} << 3 | kind;
    if (key == last_key_) [[likely]]
      return {&cells_[kSparse][last_slot_], last_slot_};
    return find_sparse(key);
  }
  CellRef find_sparse(std::uint64_t key);

  static constexpr unsigned kSparse = static_cast<unsigned>(Group::kCallSite);
  std::array<std::vector<GroupStats>, static_cast<std::size_t>(Group::kCount)> cells_;
  // The call-site group's cells: slot by (row << 3 | kind), and each slot's key.
  FlatMap<std::uint32_t> sparse_slots_;
  std::vector<std::uint64_t> sparse_keys_;
  std::uint64_t last_key_ = kFlatMapEmptyKey;
  std::size_t last_slot_ = 0;
};

}  // namespace fragreplay::replay
