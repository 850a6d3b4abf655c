// Which native-format columns each allocation routine takes: the arguments of its C signature
// (wdm.h), so a trace line names exactly what the driver passed. The reader checks lines against
// this table and the writer writes by it, so a converted trace reads back unchanged.
#pragma once

#include "trace/event.hpp"

namespace fragreplay::trace {

enum class Takes : std::uint8_t { kNo, kOptional, kRequired };

struct RoutineColumns {
  PoolArg pool = PoolArg::kNone;  // a POOL_TYPE (ExAllocatePool*) or POOL_FLAGS (Pool2/3)
  bool tag = true;                // false: the routine has no Tag parameter (see untagged_tag)
  Takes lowest = Takes::kNo;      // LowestAcceptableAddress / LowAddress
  Takes highest = Takes::kNo;     // HighestAcceptableAddress / HighAddress / MaximumAddress
  Takes boundary = Takes::kNo;    // BoundaryAddressMultiple, or SkipBytes for the MDL routines
  Takes cache = Takes::kNo;       // MEMORY_CACHING_TYPE (or Protect / CacheEnabled, translated)
  bool adapter = false;           // the DMA adapter of a common buffer
};

// The columns an allocation by `r` takes. Frees take an address, optionally the recorded size and
// tag (ExFreePoolWithTag, ExFreePool2), nothing else.
RoutineColumns allocation_columns(Routine r);

// ExAllocatePool and ExAllocatePoolWithQuota have no Tag parameter: WRK ex/pool.c passes 'enoN'
// to ExAllocatePoolWithTag / ExAllocatePoolWithQuotaTag, the tag that reads "None" in memory.
inline constexpr Tag kUntaggedTag = Tag::from_chars("None");

}  // namespace fragreplay::trace
