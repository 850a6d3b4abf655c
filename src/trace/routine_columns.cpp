// The per-routine column table (see routine_columns.hpp). Signatures from the Microsoft docs
// pages of each routine (learn.microsoft.com/windows-hardware/drivers/ddi/wdm/...).
#include "trace/routine_columns.hpp"

namespace fragreplay::trace {

RoutineColumns allocation_columns(Routine r) {
  RoutineColumns c;
  switch (r) {
    case Routine::kExAllocatePool:           // (PoolType, NumberOfBytes)
    case Routine::kExAllocatePoolWithQuota:  // (PoolType, NumberOfBytes)
      c.pool = PoolArg::kPoolType;
      c.tag = false;
      break;
    case Routine::kExAllocatePoolWithTag:  // (PoolType, NumberOfBytes, Tag)
    case Routine::kExAllocatePoolWithQuotaTag:
    case Routine::kExAllocatePoolWithTagPriority:  // (..., Tag, Priority): priority not recorded
    case Routine::kExAllocatePoolZero:  // the wdm.h wrappers: (PoolType, NumberOfBytes, Tag)
    case Routine::kExAllocatePoolQuotaZero:
    case Routine::kExAllocatePoolUninitialized:
    case Routine::kExAllocatePoolQuotaUninitialized:
    case Routine::kExAllocatePoolPriorityZero:  // (..., Tag, Priority)
    case Routine::kExAllocatePoolPriorityUninitialized:
      c.pool = PoolArg::kPoolType;
      break;
    case Routine::kExAllocatePool2:  // (Flags, NumberOfBytes, Tag)
    case Routine::kExAllocatePool3:  // (Flags, NumberOfBytes, Tag, ExtendedParameters, Count)
      c.pool = PoolArg::kPoolFlags;
      break;
    case Routine::kMmAllocateContiguousMemory:  // (NumberOfBytes, HighestAcceptableAddress)
      c.highest = Takes::kRequired;
      break;
    case Routine::kMmAllocateContiguousMemorySpecifyCache:      // (n, Lowest, Highest, Boundary,
    case Routine::kMmAllocateContiguousMemorySpecifyCacheNode:  // CacheType[, PreferredNode])
      c.lowest = Takes::kOptional;
      c.highest = Takes::kRequired;
      c.boundary = Takes::kOptional;
      c.cache = Takes::kRequired;
      break;
    case Routine::kMmAllocateContiguousNodeMemory:  // (n, Lowest, Highest, Boundary, Protect,
      c.lowest = Takes::kOptional;                  //  PreferredNode): Protect as a cache type
      c.highest = Takes::kRequired;
      c.boundary = Takes::kOptional;
      c.cache = Takes::kOptional;
      break;
    case Routine::kAllocateCommonBuffer:  // (DmaAdapter, Length, LogicalAddress, CacheEnabled)
      c.cache = Takes::kOptional;
      c.adapter = true;
      break;
    case Routine::kAllocateCommonBufferEx:  // (DmaAdapter, MaximumAddress (optional), Length,
      c.highest = Takes::kOptional;         //  LogicalAddress, CacheEnabled, PreferredNode)
      c.cache = Takes::kOptional;
      c.adapter = true;
      break;
    case Routine::kMmAllocatePagesForMdl:  // (LowAddress, HighAddress, SkipBytes, TotalBytes)
      c.lowest = Takes::kOptional;
      c.highest = Takes::kRequired;
      c.boundary = Takes::kOptional;
      break;
    case Routine::kMmAllocatePagesForMdlEx:  // (..., TotalBytes, CacheType, Flags)
      c.lowest = Takes::kOptional;
      c.highest = Takes::kRequired;
      c.boundary = Takes::kOptional;
      c.cache = Takes::kRequired;
      break;
    default:  // MmAllocateNonCachedMemory (NumberOfBytes), the Linux routines, frees, phases
      break;
  }
  return c;
}

}  // namespace fragreplay::trace
