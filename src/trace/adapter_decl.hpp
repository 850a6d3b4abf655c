// A DMA adapter a trace declares: its name and the limits AllocateCommonBuffer honours. Its own
// header so the replay's TraceContext can name the declarations without the reader interface.
#pragma once

#include <cstdint>

#include "trace/event.hpp"

namespace fragreplay::trace {

// A DMA adapter declared by a trace (see traces/README.md, "DMA adapters").
struct AdapterDecl {
  StringId name = 0;
  std::uint64_t highest = 0xFFFFFFFF;    // highest physical address the device reaches
  std::uint64_t boundary = 0x100000000;  // buffers must not cross a multiple of this (0 = none)
  std::uint64_t map_registers = 0;       // map-register budget
  std::uint64_t declared_at = 0;         // line of the declaration
};

}  // namespace fragreplay::trace
