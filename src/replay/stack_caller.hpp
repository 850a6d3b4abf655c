// Which frame of an allocation's stack is its caller, and how the reports name a frame
// (docs/attribution.md §2). A StackWalk lists return addresses innermost first: the pool
// allocator's own frames (and ETW's), inside the kernel's images, come before the driver that
// called it. The caller is the first kernel-space frame whose image is not one of the kernel's
// own: ntoskrnl and its variants, the HAL, the KMDF runtime that allocates for its drivers
// (Wdf01000.sys, WdfLdr.sys), and any image named with --pool-wrapper. A frame no image holds
// is not the kernel's, so it can be the caller (named by its address). A stack with no frame
// outside those images is "kernel only": its caller is its deepest (last) kernel-space frame.
// User-space frames (a system call's) end the search: pool is allocated in the kernel.
// With a linker map of a frame's image (--symbols), the frame is named by its function
// (docs/attribution.md §3).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trace/code_map.hpp"
#include "trace/module_symbols.hpp"

namespace fragreplay::replay {

struct CallerRules {
  // Images treated as the kernel's own besides the built-in ones (file names, any case).
  std::vector<std::string> pool_wrappers;
  // Function names of the modules whose linker maps --symbols gave (null = none).
  std::shared_ptr<const trace::ModuleSymbols> symbols;
};

// True for the kernel's own images under `rules` (case-insensitive file names).
bool is_kernel_image(std::string_view name, const CallerRules& rules);

// The module a frame is in ("" = none): the image holding it, else the text before '!' of a
// name the trace printed for it.
std::string frame_module(std::uint64_t address, const trace::CodeMap& code);

// "tcpip.sys+0x1a2b" (an image holds it), the name the trace printed ("tcpip.sys!TcpFoo"), or the
// address ("0xfffff8012345abcd", as wide as the code's pointers).
std::string frame_label(std::uint64_t address, const trace::CodeMap& code);
// The same, except that a frame in an image whose module has a map in `rules.symbols` is named by
// its function: "mydriver.sys!DriverEntry+0x10" (docs/attribution.md §3); a frame before the
// map's first function keeps the label above.
std::string frame_label(std::uint64_t address, const trace::CodeMap& code,
                        const CallerRules& rules);

struct Caller {
  std::size_t frame = 0;  // index into the stack
  bool kernel_only = false;
};

// REQUIRES: !frames.empty().
Caller find_caller(std::span<const std::uint64_t> frames, const trace::CodeMap& code,
                   const CallerRules& rules);

}  // namespace fragreplay::replay
