// Folding the replay's rows by (stack, tag row) into the reports' rows by call site, once every
// image of the trace is known (docs/attribution.md §2): each stack's caller frame
// (stack_caller.hpp) names its call-site row, stacks with the same caller share it, and the
// stacks themselves stay in Results::stacks for the bottom-up table and the flame graph. Then the
// rows by module are built (module_rows.hpp). Rows without a stack (a Linux call site, or none)
// are kept as they are.
#pragma once

#include "replay/results.hpp"
#include "replay/stack_caller.hpp"
#include "trace/code_map.hpp"

namespace fragreplay::replay {

// Does nothing when no row has a stack. `code` may be null only then.
void fold_stacks(Results& r, const trace::CodeMap* code, const CallerRules& rules);

}  // namespace fragreplay::replay
