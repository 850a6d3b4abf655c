// The machine at power-on: the PFN database laid over the RAM ranges with every frame on a page
// list, and the boot-time placements that take frames off them (see physical_memory.hpp). Rule
// references are to docs/model.md §5.1 and §5.2.
#include <algorithm>
#include <bit>
#include <stdexcept>

#include "model/physical/physical_memory.hpp"

namespace fragreplay::model {

namespace {

std::uint64_t end_of(const std::vector<RamRange>& ram) {
  return ram.empty() ? 0 : (ram.back().first + ram.back().count).value;
}

}  // namespace

PhysicalMemory::PhysicalMemory(std::vector<RamRange> ram, PageSize page_size,
                               std::uint64_t reserve_pages)
    : PhysicalMemory(std::move(ram), page_size, PagePolicy{1, 0, reserve_pages}) {}

PhysicalMemory::PhysicalMemory(std::vector<RamRange> ram, PageSize page_size,
                               const PagePolicy& policy)
    : ram_(std::move(ram)),
      page_size_(page_size),
      policy_(policy),
      index_(std::min<std::uint64_t>(end_of(ram_), std::uint64_t{1} << 31)),
      occupancy_(ram_) {
  if (end_of(ram_) > (std::uint64_t{1} << 31)) {
    throw std::invalid_argument("physical memory too large: at most 2^31 frames can be modelled");
  }
  if (policy_.colors == 0 || !std::has_single_bit(policy_.colors) || policy_.colors > 1024) {
    throw std::invalid_argument("page colours must be a power of two from 1 to 1024");
  }
  mask_ = policy_.colors - 1;
  heads_.assign(2 * std::size_t{policy_.colors}, ListHead{});
  left_to_scan_.assign(policy_.colors, 0);
  run_ends_.assign(policy_.colors, kNoFrame);
  const std::uint64_t end = end_of(ram_);
  state_ = ZeroedArray<std::uint8_t>(end);  // every frame a hole (kHole = 0) until RAM is laid
  word_ = ZeroedArray<std::uint64_t>(end);
  std::uint64_t last_end = 0;
  for (const auto& r : ram_) {
    if (r.count.value == 0 || r.first.value < last_end) {
      throw std::invalid_argument("RAM ranges must be sorted, non-empty and non-overlapping");
    }
    last_end = r.first.value + r.count.value;
    // The occupancy map starts with every RAM frame free; the lists leave it alone. Ranges are laid
    // in ascending order: to the tails of the free lists, or, when the boot lists are zeroed, each
    // frame to the front of its zeroed list (the free lists reversed, as the zero-page thread
    // leaves them).
    if (policy_.boot_zeroed) {
      push_run(kZeroed, /*front=*/true, r.first.value, last_end);
    } else {
      push_run(kFree, /*front=*/false, r.first.value, last_end);
    }
    index_.set_range_free(r.first.value, r.count.value);
    total_ += r.count;
  }
  owners_.push_back(Owner{});  // id 0: never handed out, keeps "0 = none" meaningful
}

void PhysicalMemory::claim_run(Pfn first, PageCount n, OwnerId owner) {
  for (std::uint64_t f = first.value; f < first.value + n.value; ++f) {
    if (f >= state_.size() || (kind(f) != kFree && kind(f) != kZeroed)) {
      throw std::logic_error("claim_run of a frame that is not free");
    }
  }
  take_run(first.value, first.value + n.value, owner, CachingType::kMmCached);
  index_.set_range_used(first.value, n.value);
}

void PhysicalMemory::add_cached_range(Pfn first, Pfn last) {
  for (std::uint64_t f = first.value; f <= last.value && f < state_.size(); ++f) {
    state_[f] |= kMustBeCachedBit;
  }
  cached_ranges_.emplace_back(first.value, last.value + 1);
  std::sort(cached_ranges_.begin(), cached_ranges_.end());
  // Merge overlapping or touching ranges.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  for (const auto& r : cached_ranges_) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  cached_ranges_ = std::move(merged);
}

}  // namespace fragreplay::model
