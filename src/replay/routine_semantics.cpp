// The WDK allocation routines as each Windows version runs them (see routine_semantics.hpp).
//
// Pool routines. WRK ex/pool.c: ExAllocatePool(T, n) is ExAllocatePoolWithTag(T, n, 'enoN') and
// ExAllocatePoolWithQuota(T, n) is ExAllocatePoolWithQuotaTag(T, n, 'enoN') (the reader gives
// both the tag 'None'); ExAllocatePoolWithTagPriority calls ExAllocatePoolWithTag unless special
// pool is on, and its priority only matters when resources are low, which the model does not
// simulate, so it is replayed as ExAllocatePoolWithTag. The wdm.h wrappers ExAllocatePoolZero /
// ...Uninitialized / ...QuotaZero / ...QuotaUninitialized / ...PriorityZero /
// ...PriorityUninitialized are inline code in the driver (MS docs nf-wdm-exallocatepoolzero and
// "Updating deprecated ExAllocatePool calls"): the Zero ones pass PoolType | POOL_ZERO_ALLOCATION
// to ExAllocatePoolWithTag / WithQuotaTag / WithTagPriority and, on a kernel that does not zero
// natively (before Windows 10 2004, ExPoolZeroingNativelySupported FALSE), zero the block
// themselves; the Uninitialized ones call those routines unchanged. On every version the pool
// sees the same request, so each wrapper is replayed as the routine it calls (zeroing costs no
// memory); what differs per version is only whether the WDK targets it (Windows 7 and later).
// ExAllocatePool2/3 take POOL_FLAGS (Machine::allocate_pool2); ExAllocatePool3's extended
// parameters (priority, NUMA node) are not recorded and change no size rule.
//
// Page-granular routines. MmAllocateContiguousMemory(n, H) is SpecifyCache(n, 0, H, 0, MmCached);
// the Node variants add a preferred node, which a single-node model ignores (any node
// satisfies); MmAllocateContiguousNodeMemory's Protect arrives as a cache type (PAGE_NOCACHE ->
// MmNonCached, PAGE_WRITECOMBINE -> MmWriteCombined, else MmCached; MS docs
// nf-wdm-mmallocatecontiguousnodememory). AllocateCommonBufferEx adds MaximumAddress (below the
// adapter's own limit) and honours CacheEnabled (MS docs nc-wdm-pallocate_common_buffer: on
// x86/x64 AllocateCommonBuffer always allocates cached memory; use the Ex routine to disable
// caching). MmAllocatePagesForMdl is MmAllocatePagesForMdlEx(..., MmCached, 0) (WRK mm/iosup.c).
#include "replay/routine_semantics.hpp"

#include <bit>

#include "base/kernel_abi.hpp"

namespace fragreplay::replay {

using trace::Event;
using trace::Routine;

namespace {

constexpr CachingType kMmCached = CachingType::kMmCached;

// Builds from the docs' "Requirements" (learn.microsoft.com/windows-hardware/drivers/ddi/wdm/):
constexpr unsigned kWindows7 = 7600;         // the ExAllocatePool*Zero/Uninitialized wrappers
constexpr unsigned kServer2003Sp1 = 3790;    // MmAllocatePagesForMdlEx ("Server 2003 SP1")
constexpr unsigned kVista = 6000;            // MmAllocateContiguousMemorySpecifyCacheNode
constexpr unsigned kWindows8 = 9200;         // MmAllocateContiguousNodeMemory, ...CommonBufferEx
constexpr unsigned kWindows10_2004 = 19041;  // ExAllocatePool2, ExAllocatePool3, ExFreePool2

CachingType cache_or_cached(const Event& e) {
  return e.cache == trace::kCacheNotGiven ? kMmCached : e.cache;
}

// The pool routines with a POOL_TYPE: the request ExAllocatePoolWithTag or WithQuotaTag sees.
model::AllocOutcome pool_type_call(model::Machine& m, const Event& e) {
  const Bytes n{e.bytes};
  bool quota = false;
  std::uint64_t type = e.pool;
  switch (e.routine) {
    case Routine::kExAllocatePoolWithQuota:
    case Routine::kExAllocatePoolWithQuotaTag:
    case Routine::kExAllocatePoolQuotaUninitialized:
      quota = true;
      break;
    case Routine::kExAllocatePoolQuotaZero:
      quota = true;
      type |= PoolTypeBit::kPoolZeroAllocation;
      break;
    case Routine::kExAllocatePoolZero:
    case Routine::kExAllocatePoolPriorityZero:
      type |= PoolTypeBit::kPoolZeroAllocation;
      break;
    default:  // ExAllocatePool, WithTag, WithTagPriority, Uninitialized, PriorityUninitialized
      break;
  }
  return m.allocate_pool(type, n, e.tag, quota);
}

}  // namespace

unsigned first_windows_build(Routine r) {
  switch (r) {
    case Routine::kExAllocatePoolZero:
    case Routine::kExAllocatePoolQuotaZero:
    case Routine::kExAllocatePoolUninitialized:
    case Routine::kExAllocatePoolQuotaUninitialized:
    case Routine::kExAllocatePoolPriorityZero:
    case Routine::kExAllocatePoolPriorityUninitialized:
      return kWindows7;
    case Routine::kExAllocatePool2:
    case Routine::kExAllocatePool3:
    case Routine::kExFreePool2:
      return kWindows10_2004;
    case Routine::kMmAllocateContiguousMemorySpecifyCacheNode:
      return kVista;
    case Routine::kMmAllocateContiguousNodeMemory:
    case Routine::kAllocateCommonBufferEx:
      return kWindows8;
    case Routine::kMmAllocatePagesForMdlEx:
      return kServer2003Sp1;
    default:
      return 0;
  }
}

Anomaly invalid_pool2_call(const Event& e) {
  // Every call with POOL_FLAGS goes through ExAllocatePool2's checks (Machine::allocate_pool2).
  if (e.kind != trace::EventKind::kAlloc || e.pool_arg != trace::PoolArg::kPoolFlags) {
    return Anomaly::kCount;
  }
  // MS docs pool_flags: a required flag the kernel does not know fails the call; exactly one of
  // NON_PAGED, NON_PAGED_EXECUTE and PAGED must be given; nf-wdm-exallocatepool2: "Tag ... must
  // be non-zero".
  const std::uint64_t required = e.pool & PoolFlag::kRequiredMask;
  if ((required & ~PoolFlag::kKnownRequired) != 0) return Anomaly::kUnknownPoolFlags;
  const std::uint64_t kind =
      required & (PoolFlag::kNonPaged | PoolFlag::kNonPagedExecute | PoolFlag::kPaged);
  if (kind == 0) return Anomaly::kPool2NoPoolFlag;
  if (!std::has_single_bit(kind)) return Anomaly::kPool2SeveralPoolFlags;
  if (e.tag.value == 0) return Anomaly::kPool2TagZero;
  return Anomaly::kCount;
}

void note_call(const Event& e, unsigned windows_build, DataQuality& q) {
  if (windows_build != 0 && windows_build < first_windows_build(e.routine)) {
    q[Anomaly::kRoutineNotInVersion].add(e.source_pos);
    ++q.not_in_version[static_cast<unsigned>(e.routine)];
  }
  const Anomaly invalid = invalid_pool2_call(e);
  if (invalid != Anomaly::kCount) q[invalid].add(e.source_pos);
}

model::AllocOutcome replay_allocation(model::Machine& m, const Event& e, model::AdapterId adapter) {
  const Bytes n{e.bytes};
  switch (e.routine) {
    case Routine::kExAllocatePool2:
    case Routine::kExAllocatePool3:
      if (e.pool_arg == trace::PoolArg::kPoolType) return m.allocate_pool(e.pool, n, e.tag, false);
      return m.allocate_pool2(e.pool, n, e.tag);
    case Routine::kExAllocatePool:
    case Routine::kExAllocatePoolWithTag:
    case Routine::kExAllocatePoolWithQuota:
    case Routine::kExAllocatePoolWithQuotaTag:
    case Routine::kExAllocatePoolWithTagPriority:
    case Routine::kExAllocatePoolZero:
    case Routine::kExAllocatePoolQuotaZero:
    case Routine::kExAllocatePoolUninitialized:
    case Routine::kExAllocatePoolQuotaUninitialized:
    case Routine::kExAllocatePoolPriorityZero:
    case Routine::kExAllocatePoolPriorityUninitialized:
      // A reader that only knows POOL_FLAGS (none today) would hand them over as such.
      if (e.pool_arg == trace::PoolArg::kPoolFlags) return m.allocate_pool2(e.pool, n, e.tag);
      return pool_type_call(m, e);
    case Routine::kMmAllocateNonCachedMemory:
      return m.allocate_noncached(n, e.tag);
    case Routine::kMmAllocateContiguousMemory:
      return m.allocate_contiguous(n, {PhysAddr{0}, e.window.highest, Bytes{0}}, kMmCached, e.tag);
    case Routine::kMmAllocateContiguousMemorySpecifyCache:
    case Routine::kMmAllocateContiguousMemorySpecifyCacheNode:
    case Routine::kMmAllocateContiguousNodeMemory:
      return m.allocate_contiguous(n, e.window, cache_or_cached(e), e.tag);
    case Routine::kAllocateCommonBuffer:
      return m.allocate_common_buffer(adapter, n, e.tag);
    case Routine::kAllocateCommonBufferEx:
      return m.allocate_common_buffer(
          adapter, n, e.tag,
          e.window.highest.value == 0 ? ~std::uint64_t{0} : e.window.highest.value,
          cache_or_cached(e));
    case Routine::kMmAllocatePagesForMdl:
      // SkipBytes travels in the boundary column (traces/README.md, the native columns).
      return m.allocate_pages_for_mdl(n, e.window.lowest, e.window.highest, e.window.boundary,
                                      kMmCached, e.tag);
    case Routine::kMmAllocatePagesForMdlEx:
      return m.allocate_pages_for_mdl(n, e.window.lowest, e.window.highest, e.window.boundary,
                                      cache_or_cached(e), e.tag);
    case Routine::kKmalloc:
    case Routine::kKmallocNode:
      return m.kmalloc(n, e.tag);
    case Routine::kKmemCacheAlloc:
    case Routine::kKmemCacheAllocNode:
      // The cache is the one of the object size the trace recorded (bytes_alloc).
      return m.kmem_cache_alloc(Bytes{e.charged_bytes != 0 ? e.charged_bytes : e.bytes}, n, e.tag);
    case Routine::kPageAlloc:
      return m.alloc_pages(n, e.tag);
    default:
      break;
  }
  return model::failure(model::FailCause::kInvalid);
}

}  // namespace fragreplay::replay
