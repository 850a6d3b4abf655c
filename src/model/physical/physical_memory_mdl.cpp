// MiAllocatePagesForMdl over a window of physical addresses (see physical_memory.hpp): the path
// of MmAllocatePagesForMdl[Ex] calls whose LowAddress/HighAddress do not cover all of RAM. WRK
// mm/iosup.c MiAllocatePagesForMdl takes pages from the colour lists only when the whole of
// physical memory is acceptable; otherwise it walks the PFN database over [Low, High], then over
// the same range moved up by SkipBytes, until it has the pages or leaves RAM. The model takes
// free and zeroed frames in ascending frame order (standby pages are not modelled).
#include <stdexcept>

#include "model/physical/physical_memory.hpp"

namespace fragreplay::model {

std::optional<Pfn> PhysicalMemory::take_pages_in(PageCount n, Pfn lowest, Pfn highest,
                                                 PageCount skip, OwnerId owner, CachingType cache) {
  if (lowest > highest) throw std::logic_error("take_pages_in: lowest above highest");
  if (n.value == 0) return std::nullopt;
  // The availability floor of take_pages: MmAvailablePages - MM_HIGH_LIMIT.
  const std::uint64_t available = index_.free_count();
  const std::uint64_t floor = policy_.reserve_pages;
  const std::uint64_t size = std::min(n.value, available > floor ? available - floor : 0);
  const bool cached = cached_request(cache);
  const std::uint64_t end_of_ram = state_.size();
  std::uint64_t found = 0;
  std::uint32_t first = kNoFrame;
  std::uint32_t last = kNoFrame;
  std::uint64_t lo = lowest.value;
  std::uint64_t hi = highest.value;
  while (found < size && lo < end_of_ram) {
    const std::uint64_t end = std::min(hi + 1, end_of_ram);
    for (std::uint64_t f = index_.next_free(lo, end); f < end && found < size;
         f = index_.next_free(f + 1, end)) {
      if (!cached && (state_[f] & kMustBeCachedBit) != 0) continue;
      take_listed(f, owner, cache);
      index_.set_used(f);
      if (last == kNoFrame) {
        first = static_cast<std::uint32_t>(f);
      } else {
        set_chain(last, static_cast<std::uint32_t>(f));
      }
      last = static_cast<std::uint32_t>(f);
      ++found;
    }
    if (skip.value == 0) break;
    lo += skip.value;
    hi += skip.value;
  }
  if (found == 0) return std::nullopt;
  if (found < n.value) {
    release_chain(Pfn{first});  // all or nothing: see Machine::allocate_pages_for_mdl
    return std::nullopt;
  }
  return Pfn{first};
}

}  // namespace fragreplay::model
