// The replay's rows kept per pool kind (see row_cells.hpp).
#include "replay/row_cells.hpp"

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

}  // namespace

RowCells::RowCells() {
  cells_[static_cast<unsigned>(Group::kRoutine)].resize(trace::kRoutineCount * kKinds);
}

void RowCells::fold(Results& r) const {
  fold_group(cells_[static_cast<unsigned>(Group::kTag)], r.by_tag, r.tag_kinds);
  fold_group(cells_[static_cast<unsigned>(Group::kProcess)], r.by_process, r.process_kinds);
  fold_group(cells_[static_cast<unsigned>(Group::kCallSite)], r.by_call_site, r.call_site_kinds);
  const std::vector<GroupStats>& routines = cells_[static_cast<unsigned>(Group::kRoutine)];
  for (std::size_t i = 0; i < r.by_routine.size(); ++i)
    fold_row(routines, i, r.by_routine[i], r.routine_kinds[i]);
  r.by_pool_kind = {};
  for (std::size_t i = 0; i < routines.size(); ++i) r.by_pool_kind[i % kKinds] += routines[i];
}

}  // namespace fragreplay::replay
