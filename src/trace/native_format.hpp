// The native trace format, version 1 (specified in traces/README.md): a magic first line, a fixed
// CSV header, then one event per line. Shared by the reader and the writer so both agree on
// every spelling.
#pragma once

#include <array>
#include <string_view>

namespace fragreplay::trace::native {

inline constexpr std::string_view kMagicPrefix = "# fragreplay trace v";
inline constexpr std::string_view kMagic = "# fragreplay trace v1";
inline constexpr int kVersion = 1;
inline constexpr std::string_view kHeader =
    "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,node,adapter,"
    "process,thread";
inline constexpr std::string_view kAdapterDirective = "#!adapter";

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
