// Event summary for `fragreplay info` (see info_summary.hpp).
#include "cli/info_summary.hpp"

namespace fragreplay::cli {

void EventSummary::add(std::span<const trace::Event> batch) {
  constexpr std::uint64_t kReserved = FlatMap<std::uint8_t>::kEmpty;
  for (const trace::Event& e : batch) {
    ++events;
    if (!any) {
      any = true;
      first_ns = last_ns = e.time_ns;
    } else if (e.time_ns < last_ns) {
      ++time_went_backwards;
    } else {
      last_ns = e.time_ns;
    }
    if (e.kind == trace::EventKind::kPhase) {
      ++phases;
      continue;
    }
    if (tag_set_.find(e.tag.value) == nullptr) {
      tag_set_.insert(e.tag.value, 1);
      ++tags;
    }
    const bool reserved = e.address == kReserved;
    if (e.kind == trace::EventKind::kAlloc) {
      if (e.rundown) {
        ++rundown;
        rundown_bytes += e.bytes;
      } else {
        ++allocs;
        requested_bytes += e.bytes;
      }
      if (e.address == 0) continue;
      const bool live = reserved ? reserved_live_ : live_.find(e.address) != nullptr;
      if (live) {
        ++live_address_reused;
      } else if (reserved) {
        reserved_live_ = true;
      } else {
        live_.insert(e.address, 1);
      }
    } else {
      ++frees;
      // kfree and kmem_cache_free of NULL or ZERO_SIZE_PTR do nothing (include/linux/slab.h).
      if (trace::routine_family(e.routine) == trace::RoutineFamily::kSlab && e.address <= 16) {
        ++null_frees;
        continue;
      }
      const bool live = reserved ? reserved_live_ : live_.erase(e.address);
      if (reserved) reserved_live_ = false;
      if (!live) ++unknown_frees;
    }
  }
  live_at_end = live_.size() + (reserved_live_ ? 1 : 0);
}

}  // namespace fragreplay::cli
