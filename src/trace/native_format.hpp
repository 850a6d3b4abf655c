// The native trace format, version 1 (specified in traces/README.md): a magic first line, a fixed
// CSV header, then one event per line. Shared by the reader and the writer so both agree on
// every spelling.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fragreplay::trace::native {

inline constexpr std::string_view kMagicPrefix = "# fragreplay trace v";
inline constexpr std::string_view kMagic = "# fragreplay trace v1";
inline constexpr int kVersion = 1;
inline constexpr std::string_view kHeader =
    "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,node,adapter,"
    "process,thread";
inline constexpr std::string_view kAdapterDirective = "#!adapter";
// The `event` value of an allocation that existed before the trace started (a rundown snapshot's),
// read as an alloc with Event::rundown set.
inline constexpr std::string_view kRundownEvent = "rundown";
// Sizes above the 48-bit address space of x64 are refused as corrupt.
inline constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 48;

enum Column : unsigned {
  kTimeNs,
  kEvent,
  kRoutine,
  kPool,
  kTag,
  kBytes,
  kAddress,
  kLowest,
  kHighest,
  kBoundary,
  kCache,
  kNode,
  kAdapter,
  kProcess,
  kThread,
  kColumnCount
};

inline constexpr std::array<std::string_view, kColumnCount> kColumnNames{
    "time_ns", "event",    "routine", "pool", "tag",     "bytes",   "address", "lowest",
    "highest", "boundary", "cache",   "node", "adapter", "process", "thread"};

}  // namespace fragreplay::trace::native
