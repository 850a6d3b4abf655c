// MmAllocatePagesForMdl / MmAllocatePagesForMdlEx / MmFreePagesFromMdl: physical pages for an MDL,
// not physically contiguous and not mapped (MS docs nf-wdm-mmallocatepagesformdl, -ex). They take
// frames like MmAllocateNonCachedMemory, whose pages come from the same MiAllocatePagesForMdl
// (WRK mm/iosup.c), so they fragment physical memory the same way; nothing of them is pool.
#include "model/machine.hpp"

namespace fragreplay::model {

AllocOutcome Machine::allocate_pages_for_mdl(Bytes bytes, PhysAddr lowest, PhysAddr highest,
                                             Bytes skip_bytes, CachingType cache, Tag tag) {
  const std::uint64_t skip = skip_bytes.value;
  const PageSize ps = profile_.page_size;
  has_diagnosis_ = false;
  if (bytes.value == 0) return failure(FailCause::kInvalid);
  // MS docs: "SkipBytes must be an integer multiple of the virtual memory page size".
  if (skip % ps.bytes() != 0) return failure(FailCause::kInvalid);
  if (bytes.value > kMaxRequest) return failure(FailCause::kExhaustion);
  const Pfn lo = ps.frame_at_or_above(lowest);
  Pfn hi = ps.frame_of(highest);
  const Pfn top{memory_.end_frame().value - 1};
  if (hi > top) hi = top;
  if (lo > hi) return failure(FailCause::kInvalid);  // no acceptable frame at all
  const PageCount pages = ps.pages_for(bytes);
  const OwnerId owner = memory_.intern_owner({OwnerClass::kMdlPages, tag});
  // The whole of RAM acceptable: the colour lists, as MmAllocateNonCachedMemory takes them;
  // otherwise the PFN scan over the window(s).
  const bool everything = lo.value == 0 && hi == top && skip == 0;
  const auto first =
      everything ? memory_.take_pages(pages, owner, cache)
                 : memory_.take_pages_in(pages, lo, hi, PageCount{skip >> ps.shift}, owner, cache);
  idle();
  // The docs allow an MDL describing fewer bytes than asked; a trace records only the request,
  // so the model grants all or nothing (MM_ALLOCATE_FULLY_REQUIRED's behaviour) and counts a
  // request it cannot fill as refused for exhaustion.
  if (!first) return failure(FailCause::kExhaustion);
  const std::uint64_t handle = next_system_va(1);  // the MDL's address: unique, never mapped
  page_allocations_.insert(handle, PageAllocation{first->value, pages.value, 0, 0, PageKind::kMdl});
  AllocOutcome o;
  o.ok = true;
  o.handle = handle;
  o.footprint = ps.bytes_of(pages);
  o.waste.sub_page = o.footprint - bytes;
  page_granular_ += o.footprint;
  return o;
}

bool Machine::free_pages_from_mdl(std::uint64_t handle) {
  return free_pages(handle, PageKind::kMdl);
}

}  // namespace fragreplay::model
