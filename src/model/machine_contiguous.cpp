// The machine's contiguous routines: MmAllocateContiguousMemorySpecifyCache semantics (the other
// two routines and AllocateCommonBuffer map onto it), the NT 5.x "nonpaged pool first" path for
// MmCached requests, and the explanation of failures. Rule references are to
// docs/model.md §5.3; WRK code is mm/iosup.c MiAllocateContiguousMemory and
// mm/allocpag.c MiFindContiguousMemory.
#include <bit>

#include "base/kernel_abi.hpp"
#include "model/machine.hpp"

namespace fragreplay::model {

namespace {

constexpr CachingType kMmCached = CachingType::kMmCached;
constexpr Tag kMmCmTag = Tag::from_chars("MmCm");

}  // namespace

AllocOutcome Machine::allocate_contiguous(Bytes bytes, const ContiguousWindow& window,
                                          CachingType cache, Tag tag) {
  // §5.3 argument normalisation (WRK MmAllocateContiguousMemorySpecifyCache).
  const PageSize ps = profile_.page_size;
  has_diagnosis_ = false;
  if (bytes.value == 0) return failure(FailCause::kInvalid);
  const std::uint64_t boundary = window.boundary.value;
  if (boundary % ps.bytes() != 0 || (boundary != 0 && !std::has_single_bit(boundary))) {
    return failure(FailCause::kInvalid);
  }
  const Pfn lo = ps.frame_at_or_above(window.lowest);
  Pfn hi = ps.frame_of(window.highest);
  // WRK MmAllocateContiguousMemorySpecifyCache returns NULL when LowestPfn > HighestPfn, before
  // any search: with Lowest above Highest that is the caller's argument error. (A window that
  // only empties once Highest is clamped to the top of RAM is this machine's constraint, below.)
  if (lo > hi) return failure(FailCause::kInvalid);
  const Pfn top{memory_.end_frame().value - 1};
  if (hi > top) hi = top;
  const OwnerId owner = memory_.intern_owner({OwnerClass::kContiguous, tag});
  return contiguous(bytes, lo, hi, PageCount{boundary >> ps.shift}, cache, owner,
                    PageKind::kContiguous);
}

std::optional<AllocOutcome> Machine::contiguous_from_pool(Bytes bytes, Bytes pool_bytes,
                                                          const ContiguousRequest& r,
                                                          OwnerId owner) {
  const PageSize ps = profile_.page_size;
  // Step 1: ExAllocatePoolWithTag(NonPagedPoolCacheAligned, bytes, 'MmCm'), kept if
  // MiCheckForContiguousMemory finds its pages physically contiguous inside the window.
  AllocOutcome block =
      pool_->allocate(PoolRequest{PoolType::kNonPagedPoolCacheAligned, pool_bytes, kMmCmTag});
  if (block.ok) {
    block.waste.sub_page += pool_bytes - bytes;  // whole pages asked for a common buffer
    const std::uint64_t vpn = pool_pages_.vpn_of(block.handle);
    if (pool_pages_.contiguous_part(vpn, r.pages, r.pages, r.lowest, r.highest, r.boundary)) {
      const Pfn frame = *pool_pages_.frame_of(vpn);
      const std::uint64_t offset = block.handle & (ps.bytes() - 1);
      page_allocations_.insert(
          block.handle, PageAllocation{block.handle, r.pages.value, 0, 0, PageKind::kContiguous,
                                       Backing::kPoolBlock});
      block.has_phys = true;
      block.phys_first = PhysAddr{ps.address_of(frame).value + offset};
      block.phys_last = PhysAddr{block.phys_first.value + pool_bytes.value - 1};
      return block;
    }
    pool_->free(block.handle);
  }
  // Step 3: MiFindContiguousMemoryInPool, a conforming piece of a free pool page run.
  const auto vpn = pool_pages_.take_contiguous(r.pages, r.lowest, r.highest, r.boundary, owner);
  if (!vpn) return std::nullopt;
  const std::uint64_t handle = pool_pages_.address_of(*vpn);
  page_allocations_.insert(
      handle, PageAllocation{*vpn, r.pages.value, 0, 0, PageKind::kContiguous, Backing::kPoolRun});
  AllocOutcome o;
  o.ok = true;
  o.handle = handle;
  o.footprint = ps.bytes_of(r.pages);
  o.waste.sub_page = o.footprint - bytes;
  o.has_phys = true;
  o.phys_first = ps.address_of(*pool_pages_.frame_of(*vpn));
  o.phys_last = PhysAddr{o.phys_first.value + o.footprint.value - 1};
  page_granular_ += o.footprint;
  return o;
}

AllocOutcome Machine::contiguous(Bytes bytes, Pfn lo, Pfn hi, PageCount boundary, CachingType cache,
                                 OwnerId owner, PageKind kind) {
  const PageSize ps = profile_.page_size;
  has_diagnosis_ = false;
  if (bytes.value > kMaxRequest) return failure(FailCause::kConstraint);
  PageCount pages = ps.pages_for(bytes);
  if (pages.value == 0) pages = PageCount{1};
  const ContiguousRequest req{pages, lo, hi, boundary, cache, profile_.contiguous_scan};
  if (profile_.contiguous_pool_first && cache == kMmCached && lo <= hi) {
    // A common buffer is at least one page whatever its length (§5.5): the HAL asks for pages.
    const Bytes pool_bytes = kind == PageKind::kCommonBuffer ? ps.bytes_of(pages) : bytes;
    if (std::optional<AllocOutcome> o = contiguous_from_pool(bytes, pool_bytes, req, owner)) {
      if (kind != PageKind::kContiguous) page_allocations_.find(o->handle)->kind = kind;
      idle();
      return *o;
    }
  }
  const ContiguousResult r = memory_.take_contiguous(req, owner);
  if (!r.first) {
    AllocOutcome o;
    switch (r.failure) {
      case ContiguousFailure::kNone:
      case ContiguousFailure::kExhaustion:
        o.cause = FailCause::kExhaustion;
        break;
      case ContiguousFailure::kFragmentation:
        o.cause = FailCause::kFragmentation;
        break;
      case ContiguousFailure::kConstraint:
        o.cause = FailCause::kConstraint;
        break;
    }
    o.free_in_window = ps.bytes_of(r.free_in_window);
    o.largest_free_run_in_window = ps.bytes_of(r.largest_free_run_in_window);
    if (diagnose_failures_) {
      memory_.diagnose(req);
      has_diagnosis_ = true;
    }
    idle();
    return o;
  }
  AllocOutcome o = hand_out_run(*r.first, pages, bytes, kind);
  idle();
  return o;
}

AllocOutcome Machine::hand_out_run(Pfn first, PageCount pages, Bytes bytes, PageKind kind) {
  const PageSize ps = profile_.page_size;
  const std::uint64_t handle = next_system_va(pages.value);
  page_allocations_.insert(
      handle, PageAllocation{first.value, pages.value, 0, 0, kind, Backing::kPageLists});
  AllocOutcome o;
  o.ok = true;
  o.handle = handle;
  o.footprint = ps.bytes_of(pages);
  o.waste.sub_page = o.footprint - bytes;
  o.has_phys = true;
  o.phys_first = ps.address_of(first);
  o.phys_last = PhysAddr{ps.address_of(first + pages).value - 1};
  page_granular_ += o.footprint;
  return o;
}

}  // namespace fragreplay::model
