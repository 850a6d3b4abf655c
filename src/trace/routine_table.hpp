// The table of routines an Event can carry: canonical name, family, whether it allocates or
// frees, indexed by Routine. Included at the end of event.hpp so the replay's per-event questions
// (routine_family and friends) inline to one load.
#pragma once

#include <array>
#include <string_view>

#include "trace/event.hpp"

namespace fragreplay::trace {
namespace detail {

struct RoutineInfo {
  std::string_view name;
  RoutineFamily family;
  bool allocates;
  bool frees;
};

inline constexpr std::array<RoutineInfo, kRoutineCount> kRoutines{{
    {"ExAllocatePool", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolWithTag", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolWithQuota", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolWithQuotaTag", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolWithTagPriority", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolZero", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolQuotaZero", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolUninitialized", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolQuotaUninitialized", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolPriorityZero", RoutineFamily::kPool, true, false},
    {"ExAllocatePoolPriorityUninitialized", RoutineFamily::kPool, true, false},
    {"ExAllocatePool2", RoutineFamily::kPool, true, false},
    {"ExAllocatePool3", RoutineFamily::kPool, true, false},
    {"ExFreePool", RoutineFamily::kPool, false, true},
    {"ExFreePoolWithTag", RoutineFamily::kPool, false, true},
    {"ExFreePool2", RoutineFamily::kPool, false, true},
    {"MmAllocateNonCachedMemory", RoutineFamily::kNonCached, true, false},
    {"MmFreeNonCachedMemory", RoutineFamily::kNonCached, false, true},
    {"MmAllocateContiguousMemory", RoutineFamily::kContiguous, true, false},
    {"MmAllocateContiguousMemorySpecifyCache", RoutineFamily::kContiguous, true, false},
    {"MmAllocateContiguousMemorySpecifyCacheNode", RoutineFamily::kContiguous, true, false},
    {"MmAllocateContiguousNodeMemory", RoutineFamily::kContiguous, true, false},
    {"MmFreeContiguousMemory", RoutineFamily::kContiguous, false, true},
    {"MmFreeContiguousMemorySpecifyCache", RoutineFamily::kContiguous, false, true},
    {"AllocateCommonBuffer", RoutineFamily::kCommonBuffer, true, false},
    {"AllocateCommonBufferEx", RoutineFamily::kCommonBuffer, true, false},
    {"FreeCommonBuffer", RoutineFamily::kCommonBuffer, false, true},
    {"MmAllocatePagesForMdl", RoutineFamily::kMdlPages, true, false},
    {"MmAllocatePagesForMdlEx", RoutineFamily::kMdlPages, true, false},
    {"MmFreePagesFromMdl", RoutineFamily::kMdlPages, false, true},
    {"kmalloc", RoutineFamily::kSlab, true, false},
    {"kfree", RoutineFamily::kSlab, false, true},
    {"mm_page_alloc", RoutineFamily::kPages, true, false},
    {"mm_page_free", RoutineFamily::kPages, false, true},
    {"kmalloc_node", RoutineFamily::kSlab, true, false},
    {"kmem_cache_alloc", RoutineFamily::kSlab, true, false},
    {"kmem_cache_alloc_node", RoutineFamily::kSlab, true, false},
    {"kmem_cache_free", RoutineFamily::kSlab, false, true},
    {"mm_page_free_batched", RoutineFamily::kPages, false, true},
    {"DriverEntry", RoutineFamily::kPhase, false, false},
    {"Steady", RoutineFamily::kPhase, false, false},
    {"DriverUnload", RoutineFamily::kPhase, false, false},
}};

inline const RoutineInfo& routine_info(Routine r) { return kRoutines[static_cast<unsigned>(r)]; }

}  // namespace detail

inline RoutineFamily routine_family(Routine r) { return detail::routine_info(r).family; }
inline bool routine_allocates(Routine r) { return detail::routine_info(r).allocates; }
inline bool routine_frees(Routine r) { return detail::routine_info(r).frees; }

}  // namespace fragreplay::trace
