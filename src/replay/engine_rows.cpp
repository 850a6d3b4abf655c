// The rows of Results an event changes (see Engine::touched in engine.hpp; the cells by pool kind
// in row_cells.hpp).
#include "replay/engine.hpp"

namespace fragreplay::replay {

Engine::Touched Engine::touched(Rows rows, trace::Routine routine, unsigned kind,
                                bool live_change) {
  using G = PeakRows::Group;
  const auto routine_row = static_cast<unsigned>(routine);
  Touched t{&cells_.cell(G::kTag, rows.tag, kind), &cells_.cell(G::kRoutine, routine_row, kind),
            &cells_.cell(G::kProcess, rows.process, kind),
            &cells_.cell(G::kCallSite, rows.call_site, kind), &results_.totals};
  if (live_change) {  // the cells keep their state at the live peak first
    peak_rows_.before_change(G::kTag, RowCells::index(rows.tag, kind), *t[0]);
    peak_rows_.before_change(G::kRoutine, RowCells::index(routine_row, kind), *t[1]);
    peak_rows_.before_change(G::kProcess, RowCells::index(rows.process, kind), *t[2]);
    peak_rows_.before_change(G::kCallSite, RowCells::index(rows.call_site, kind), *t[3]);
  }
  return t;
}

}  // namespace fragreplay::replay
