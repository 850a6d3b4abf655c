// The rows of Results an event changes (see Engine::touched in engine.hpp; the cells by pool kind
// in row_cells.hpp).
#include "replay/engine.hpp"

namespace fragreplay::replay {

Engine::Touched Engine::touched(Rows rows, trace::Routine routine, unsigned kind,
                                bool live_change) {
  using G = PeakRows::Group;
  const auto routine_row = static_cast<unsigned>(routine);
  const RowCells::CellRef tag = cells_.cell(G::kTag, rows.tag, kind);
  const RowCells::CellRef by_routine = cells_.cell(G::kRoutine, routine_row, kind);
  const RowCells::CellRef process = cells_.cell(G::kProcess, rows.process, kind);
  const RowCells::CellRef site = cells_.cell(G::kCallSite, rows.call_site, kind);
  if (live_change) {  // the cells keep their state at the live peak first
    peak_rows_.before_change(G::kTag, tag.slot, *tag.stats);
    peak_rows_.before_change(G::kRoutine, by_routine.slot, *by_routine.stats);
    peak_rows_.before_change(G::kProcess, process.slot, *process.stats);
    peak_rows_.before_change(G::kCallSite, site.slot, *site.stats);
  }
  return {tag.stats, by_routine.stats, process.stats, site.stats, &results_.totals};
}

}  // namespace fragreplay::replay
