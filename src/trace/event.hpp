// The Event: one recorded allocation, free or driver-lifecycle marker, as every trace reader
// produces it and the replay engine consumes it. A plain aggregate of fixed size: readers fill
// events in place, nothing on it allocates. Strings (process and thread names, DMA adapter names)
// live once in the reader's StringTable and events carry their index.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/contiguous_window.hpp"
#include "base/kernel_abi.hpp"
#include "base/tag.hpp"
#include "base/units.hpp"

namespace fragreplay::trace {

enum class EventKind : std::uint8_t { kAlloc, kFree, kPhase };

// Every kernel routine the model knows, plus the lifecycle phases carried by kPhase events.
// Keep the order: names are looked up by index (routine.cpp).
enum class Routine : std::uint8_t {
  kExAllocatePool,
  kExAllocatePoolWithTag,
  kExAllocatePoolWithQuota,
  kExAllocatePoolWithQuotaTag,
  kExAllocatePoolWithTagPriority,
  kExAllocatePoolZero,
  kExAllocatePoolQuotaZero,
  kExAllocatePoolUninitialized,
  kExAllocatePoolQuotaUninitialized,
  kExAllocatePoolPriorityZero,
  kExAllocatePoolPriorityUninitialized,
  kExAllocatePool2,
  kExAllocatePool3,
  kExFreePool,
  kExFreePoolWithTag,
  kExFreePool2,
  kMmAllocateNonCachedMemory,
  kMmFreeNonCachedMemory,
  kMmAllocateContiguousMemory,
  kMmAllocateContiguousMemorySpecifyCache,
  kMmAllocateContiguousMemorySpecifyCacheNode,
  kMmAllocateContiguousNodeMemory,
  kMmFreeContiguousMemory,
  kMmFreeContiguousMemorySpecifyCache,
  kAllocateCommonBuffer,
  kAllocateCommonBufferEx,
  kFreeCommonBuffer,
  kMmAllocatePagesForMdl,
  kMmAllocatePagesForMdlEx,
  kMmFreePagesFromMdl,
  // Linux (kmem tracepoints), for the linux-slub profile.
  kKmalloc,
  kKfree,
  kPageAlloc,
  kPageFree,
  kKmallocNode,
  kKmemCacheAlloc,
  kKmemCacheAllocNode,
  kKmemCacheFree,
  kPageFreeBatched,
  // Phase markers (EventKind::kPhase).
  kDriverEntry,
  kSteady,
  kDriverUnload,
  kCount
};

inline constexpr unsigned kRoutineCount = static_cast<unsigned>(Routine::kCount);

// How the `pool` argument of an allocation is expressed.
enum class PoolArg : std::uint8_t {
  kNone,      // routine takes no pool argument
  kPoolType,  // a POOL_TYPE value (ExAllocatePoolWithTag and friends)
  kPoolFlags  // a POOL_FLAGS bit set (ExAllocatePool2/3)
};

// An Event's cache when the trace gave none: MmNotMapped's value, which no driver passes.
inline constexpr CachingType kCacheNotGiven = CachingType::kMmNotMapped;

// The index of a string in a StringTable; 0 is always the empty string ("not recorded").
using StringId = std::uint32_t;

struct Event {
  std::uint64_t time_ns = 0;
  EventKind kind = EventKind::kAlloc;
  Routine routine = Routine::kExAllocatePoolWithTag;
  PoolArg pool_arg = PoolArg::kNone;
  // MEMORY_CACHING_TYPE (base/kernel_abi.hpp); kCacheNotGiven = the trace gave none.
  CachingType cache = kCacheNotGiven;
  Tag tag{};
  // POOL_TYPE or POOL_FLAGS, per pool_arg.
  std::uint64_t pool = 0;
  // Requested size in bytes (alloc); the size the trace recorded, if any (free).
  std::uint64_t bytes = 0;
  // The handle the trace recorded: the returned address of an alloc, the address a free names.
  std::uint64_t address = 0;
  // Physical-address constraints of the contiguous routines (each 0 = not given); the MDL
  // routines' LowAddress, HighAddress and SkipBytes, in the same places.
  ContiguousWindow window;
  // Size the real allocator charged, when the trace records it (Linux bytes_alloc); 0 = unknown.
  std::uint64_t charged_bytes = 0;
  // NUMA node; -1 = not given.
  std::int32_t node = -1;
  // DMA adapter name (0 = the profile's default adapter), process and thread (0 = not recorded).
  StringId adapter = 0;
  StringId process = 0;
  StringId thread = 0;
  // The kernel address that called a Linux allocator (the kmem tracepoints' call_site; 0 = not
  // recorded), or, when the trace printed it symbolised ("alloc_pipe_info+0x6c"), that text.
  std::uint64_t call_site = 0;
  StringId call_site_symbol = 0;
  // The call stack the trace recorded with this allocation (ETW StackWalk, xperf Stack rows), in
  // the reader's StackTable (trace/code_map.hpp); 0 = none.
  std::uint32_t stack = 0;
  // Where the event came from: the line of a text trace or the byte offset of a binary one.
  std::uint64_t source_pos = 0;
  // An alloc that a rundown snapshot reported (ETW PoolSnap DCStart): the allocation existed
  // before the trace started. The engine puts it in the model and the live table, so its later
  // free is not unknown, but counts it apart from the trace's own allocations.
  bool rundown = false;
  // The trace did not say which routine was called (ETW pool events: every pool allocation
  // routine logs the same PoolAlloc); `routine` is the one that takes the recorded arguments.
  bool routine_inferred = false;

  friend bool operator==(const Event&, const Event&) = default;
};

// Canonical names ("ExAllocatePoolWithTag", "DriverEntry", ...).
std::string_view routine_name(Routine r);
// Parses a routine name (exact, case-sensitive). Returns false if unknown.
bool parse_routine(std::string_view name, Routine& out);

// What an alloc/free routine does.
enum class RoutineFamily : std::uint8_t {
  kPool,          // ExAllocatePool*, ExFreePool*
  kNonCached,     // MmAllocateNonCachedMemory, MmFreeNonCachedMemory
  kContiguous,    // MmAllocateContiguousMemory*, MmFreeContiguousMemory*
  kCommonBuffer,  // AllocateCommonBuffer[Ex], FreeCommonBuffer
  kMdlPages,      // MmAllocatePagesForMdl[Ex], MmFreePagesFromMdl: frames without a mapping
  kSlab,          // kmalloc*, kmem_cache_alloc*, kfree, kmem_cache_free
  kPages,         // mm_page_alloc, mm_page_free, mm_page_free_batched
  kPhase
};
// Inline, from the table in routine_table.hpp (included below).
inline RoutineFamily routine_family(Routine r);
inline bool routine_allocates(Routine r);
inline bool routine_frees(Routine r);

std::string_view event_kind_name(EventKind k);

}  // namespace fragreplay::trace

#include "trace/routine_table.hpp"  // IWYU pragma: export
