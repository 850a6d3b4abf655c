// What the engine consults of the trace besides its events: the string table the events' string
// ids index, and the DMA adapter declarations AllocateCommonBuffer events name. A small value of
// references, so the engine needs no reader: a replay beside the reading thread is given a
// snapshot of both (what_if.cpp), a replay on it references the reader's own containers, which
// grow as it reads and so stay current.
#pragma once

#include <vector>

#include "trace/adapter_decl.hpp"
#include "trace/code_map.hpp"
#include "trace/string_table.hpp"

namespace fragreplay::trace {
class TraceReader;
}

namespace fragreplay::replay {

struct TraceContext {
  const trace::StringTable& strings;                // strings of the events replayed so far
  const std::vector<trace::AdapterDecl>& adapters;  // every adapter they name is declared here
  // The stacks and images of the trace (null: it has none); read only by Engine::finish, once the
  // reader is at its end.
  const trace::CodeMap* code = nullptr;
};

// The context of `reader`: references to its live string table and adapter declarations. Only
// the thread that reads may use it while reading goes on.
TraceContext trace_context(const trace::TraceReader& reader);

}  // namespace fragreplay::replay
