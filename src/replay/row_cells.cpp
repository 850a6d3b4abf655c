// The replay's rows kept per pool kind (see row_cells.hpp).
#include "replay/row_cells.hpp"

#include <algorithm>

namespace fragreplay::replay {
namespace {

// Row `i` and its parts from its cells (`cells` holds kKinds per row; a row with none yet is
// empty).
void fold_row(std::span<const GroupStats> cells, std::size_t i, GroupStats& row, KindParts& kinds) {
  row = GroupStats{};
  kinds = KindParts{};
  const std::size_t first = i * RowCells::kKinds;
  if (first >= cells.size()) return;
  const std::span<const GroupStats> mine = cells.subspan(first, RowCells::kKinds);
  std::size_t used = 0;
  for (std::size_t k = 0; k < mine.size(); ++k) {
    if (mine[k] == GroupStats{}) continue;
    row += mine[k];
    kinds.kind = static_cast<std::uint8_t>(k);
    ++used;
  }
  if (used > 1) {
    kinds.kind = KindParts::kMixed;
    kinds.parts.assign(mine.begin(), mine.end());
  }
}

void fold_group(std::span<const GroupStats> cells, std::span<GroupStats> rows,
                std::vector<KindParts>& kinds) {
  kinds.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) fold_row(cells, i, rows[i], kinds[i]);
}

// The call-site rows from their sparse cells: each row the sum of its (row, kind) cells, a row
// of several kinds keeping them as its parts.
void fold_sparse(std::span<const GroupStats> cells, std::span<const std::uint64_t> keys,
                 std::span<GroupStats> rows, std::vector<KindParts>& kinds) {
  std::fill(rows.begin(), rows.end(), GroupStats{});
  kinds.assign(rows.size(), KindParts{});
  for (std::size_t p = 0; p < cells.size(); ++p) {
    const auto row = static_cast<std::size_t>(keys[p] >> 3);
    const auto kind = static_cast<std::uint8_t>(keys[p] & 7);
    if (row >= rows.size() || cells[p] == GroupStats{}) continue;
    KindParts& k = kinds[row];
    if (k.kind != KindParts::kUnseen && k.kind != kind) k.split(rows[row]);
    if (k.mixed()) {
      k.parts[kind] += cells[p];
    } else {
      k.kind = kind;
    }
    rows[row] += cells[p];
  }
}

}  // namespace

RowCells::CellRef RowCells::find_sparse(std::uint64_t key) {
  std::vector<GroupStats>& cells = cells_[kSparse];
  std::size_t slot = 0;
  if (const std::uint32_t* found = sparse_slots_.find(key)) {
    slot = *found;
  } else {
    slot = cells.size();
    cells.emplace_back();
    sparse_keys_.push_back(key);
    sparse_slots_.insert(key, static_cast<std::uint32_t>(slot));
  }
  last_key_ = key;
  last_slot_ = slot;
  return {&cells[slot], slot};
}

RowCells::RowCells() {
  cells_[static_cast<unsigned>(Group::kRoutine)].resize(trace::kRoutineCount * kKinds);
}

void RowCells::fold(Results& r) const {
  fold_group(cells_[static_cast<unsigned>(Group::kTag)], r.by_tag, r.tag_kinds);
  fold_group(cells_[static_cast<unsigned>(Group::kProcess)], r.by_process, r.process_kinds);
  fold_sparse(cells_[kSparse], sparse_keys_, r.by_call_site, r.call_site_kinds);
  const std::vector<GroupStats>& routines = cells_[static_cast<unsigned>(Group::kRoutine)];
  for (std::size_t i = 0; i < r.by_routine.size(); ++i)
    fold_row(routines, i, r.by_routine[i], r.routine_kinds[i]);
  r.by_pool_kind = {};
  for (std::size_t i = 0; i < routines.size(); ++i) r.by_pool_kind[i % kKinds] += routines[i];
}

}  // namespace fragreplay::replay
