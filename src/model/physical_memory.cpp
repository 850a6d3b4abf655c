// Frames, page lists and the routines that take ordinary pages (see physical_memory.hpp). Rule
// references are to research/pool-model.md §5.2; the WRK routines named are in mm/pfnlist.c,
// mm/zeropage.c and mm/iosup.c.
#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>

#include "model/physical_memory.hpp"

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
  const std::uint64_t end = end_of(ram_);
  state_.assign(end, kHole);
  word_.assign(end, 0);
  std::uint64_t last_end = 0;
  for (const auto& r : ram_) {
    if (r.count.value == 0 || r.first.value < last_end) {
      throw std::invalid_argument("RAM ranges must be sorted, non-empty and non-overlapping");
    }
    last_end = r.first.value + r.count.value;
    for (std::uint64_t f = r.first.value; f < last_end; ++f) {
      // The occupancy map starts with every RAM frame free; push_tail leaves it alone.
      state_[f] = kFree;
      push_tail(kFree, f);
    }
    index_.set_range_free(r.first.value, r.count.value);
    total_ += r.count;
  }
  owners_.push_back(Owner{});  // id 0: never handed out, keeps "0 = none" meaningful
}

OwnerId PhysicalMemory::intern_owner(const Owner& owner) {
  const std::uint64_t key =
      (std::uint64_t{static_cast<std::uint8_t>(owner.cls)} << 32) | owner.tag.value;
  if (const OwnerId* id = owner_index_.find(key)) return *id;
  owners_.push_back(owner);
  const auto id = static_cast<OwnerId>(owners_.size() - 1);
  owner_index_.insert(key, id);
  return id;
}

// ---------------------------------------------------------------------------------------------
// List primitives

void PhysicalMemory::push_tail(Kind list, std::uint64_t f) {
  ListHead& h = head(list, color_of(f));
  set_links(f, kNoFrame, h.tail);
  if (h.tail == kNoFrame) {
    h.head = static_cast<std::uint32_t>(f);
  } else {
    set_links(h.tail, static_cast<std::uint32_t>(f), prev_of(h.tail));
  }
  h.tail = static_cast<std::uint32_t>(f);
  ++h.count;
  ++totals_[list_slot(list)];
  set_kind(f, list);
}

void PhysicalMemory::push_front(Kind list, std::uint64_t f) {
  ListHead& h = head(list, color_of(f));
  set_links(f, h.head, kNoFrame);
  if (h.head == kNoFrame) {
    h.tail = static_cast<std::uint32_t>(f);
  } else {
    set_links(h.head, next_of(h.head), static_cast<std::uint32_t>(f));
  }
  h.head = static_cast<std::uint32_t>(f);
  ++h.count;
  ++totals_[list_slot(list)];
  set_kind(f, list);
}

void PhysicalMemory::unlink(std::uint64_t f) {
  const Kind list = kind(f);
  ListHead& h = head(list, color_of(f));
  const std::uint32_t p = prev_of(f);
  const std::uint32_t n = next_of(f);
  if (p == kNoFrame) {
    h.head = n;
  } else {
    set_links(p, n, prev_of(p));
  }
  if (n == kNoFrame) {
    h.tail = p;
  } else {
    set_links(n, next_of(n), p);
  }
  --h.count;
  --totals_[list_slot(list)];
}

void PhysicalMemory::take_listed(std::uint64_t f, OwnerId owner, std::uint8_t cache) {
  unlink(f);
  state_[f] = static_cast<std::uint8_t>((state_[f] & kMustBeCachedBit) | kUsed |
                                        ((cache & 0x7u) << kCacheShift));
  word_[f] = (std::uint64_t{kNoFrame} << 32) | owner;
  occupancy_.move(f, OccupancyMap::kFreeSlot, static_cast<unsigned>(owners_[owner].cls));
}

std::uint64_t PhysicalMemory::take_head(Kind list, unsigned color, OwnerId owner,
                                        std::uint8_t cache) {
  const std::uint64_t f = head(list, color).head;
  take_listed(f, owner, cache);
  index_.set_used(f);
  return f;
}

void PhysicalMemory::insert_free(std::uint64_t f) {
  occupancy_.move(f, static_cast<unsigned>(owners_[owner_of(Pfn{f})].cls), OccupancyMap::kFreeSlot);
  state_[f] &= kMustBeCachedBit;
  push_tail(kFree, f);
  // MiInsertPageInFreeList: enough free pages wake the zero-page thread.
  if (policy_.zero_threshold != 0 && totals_[1] >= policy_.zero_threshold) zero_event_ = true;
}

std::optional<PageList> PhysicalMemory::list_of(Pfn f) const {
  switch (kind(f.value)) {
    case kZeroed:
      return PageList::kZeroed;
    case kFree:
      return PageList::kFree;
    default:
      return std::nullopt;
  }
}

std::vector<Pfn> PhysicalMemory::list_frames(PageList l, unsigned color) const {
  std::vector<Pfn> out;
  const Kind k = l == PageList::kZeroed ? kZeroed : kFree;
  for (std::uint32_t f = head(k, color).head; f != kNoFrame; f = next_of(f)) out.push_back(Pfn{f});
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ordinary pages

unsigned PhysicalMemory::next_page_color() { return ++page_color_ & mask_; }

std::optional<Pfn> PhysicalMemory::remove_any_page(unsigned color, OwnerId owner,
                                                   std::uint8_t cache) {
  if (index_.free_count() == 0) return std::nullopt;
  for (unsigned k = 0; k <= mask_; ++k) {
    const unsigned c = (color + k) & mask_;
    if (head(kFree, c).count != 0) return Pfn{take_head(kFree, c, owner, cache)};
    if (head(kZeroed, c).count != 0) return Pfn{take_head(kZeroed, c, owner, cache)};
  }
  return std::nullopt;
}

std::optional<Pfn> PhysicalMemory::take_page(OwnerId owner, std::uint8_t cache) {
  return remove_any_page(next_page_color(), owner, cache);
}

std::optional<Pfn> PhysicalMemory::take_pages(PageCount n, OwnerId owner, std::uint8_t cache) {
  if (n.value == 0) return std::nullopt;
  // MiAllocatePagesForMdl caps the request at MmAvailablePages - MM_HIGH_LIMIT.
  const std::uint64_t available = index_.free_count();
  const std::uint64_t floor = policy_.reserve_pages;
  const std::uint64_t size = std::min(n.value, available > floor ? available - floor : 0);
  const bool cached = cached_request(cache);
  const unsigned colors = mask_ + 1;
  std::uint64_t found = 0;
  std::uint32_t first = kNoFrame;
  std::uint32_t last = kNoFrame;
  unsigned color = page_color_++ & mask_;  // StartColor = PageColor++ (post-increment)
  for (const Kind list : {kZeroed, kFree}) {
    if (found == size) break;
    unsigned drained = 0;
    for (unsigned c = 0; c < colors; ++c) {
      left_to_scan_[c] = head(list, c).count;
      if (left_to_scan_[c] == 0) ++drained;
    }
    while (drained != colors && found < size) {
      const unsigned c = color;
      color = (color + 1) & mask_;
      if (left_to_scan_[c] == 0) continue;
      ListHead& h = head(list, c);
      while (h.head != kNoFrame) {
        if (--left_to_scan_[c] == 0) ++drained;
        const std::uint32_t f = h.head;
        if (!cached && (state_[f] & kMustBeCachedBit) != 0) {
          // Frames under a cached large page never go to a caller that may map them uncached:
          // move to the end of the colour list and look at the next.
          if (left_to_scan_[c] == 0) break;
          if (next_of(f) == kNoFrame) {
            left_to_scan_[c] = 0;
            ++drained;
            break;
          }
          unlink(f);
          push_tail(list, f);
          continue;
        }
        take_listed(f, owner, cache);
        index_.set_used(f);
        if (last == kNoFrame) {
          first = f;
        } else {
          set_chain(last, f);
        }
        last = f;
        ++found;
        break;  // the next colour, so an allocation round-robins the colours
      }
    }
    color = (color + 1) & mask_;  // StartColor = Color + 1 for the next list
  }
  if (found == 0) return std::nullopt;
  if (found < n.value) {
    release_chain(Pfn{first});  // MmAllocateNonCachedMemory: fewer pages than asked -> give back
    return std::nullopt;
  }
  return Pfn{first};
}

std::optional<Pfn> PhysicalMemory::next_in_chain(Pfn f) const {
  const std::uint32_t n = chain_of(f.value);
  if (n == kNoFrame) return std::nullopt;
  return Pfn{n};
}

void PhysicalMemory::release_page(Pfn f) {
  if (f.value >= state_.size() || kind(f.value) != kUsed) {
    throw std::logic_error("release of a frame that is not in use");
  }
  insert_free(f.value);
  index_.set_free(f.value);
}

void PhysicalMemory::release_chain(Pfn first) {
  std::uint32_t f = static_cast<std::uint32_t>(first.value);
  while (f != kNoFrame) {
    const std::uint32_t next = chain_of(f);
    release_page(Pfn{f});
    f = next;
  }
}

void PhysicalMemory::release_run(Pfn first, PageCount n) {
  for (std::uint64_t f = first.value; f < first.value + n.value; ++f) {
    if (kind(f) != kUsed) throw std::logic_error("release of a frame that is not in use");
    insert_free(f);
  }
  index_.set_range_free(first.value, n.value);
}

void PhysicalMemory::set_owner(Pfn f, OwnerId owner) {
  if (kind(f.value) != kUsed) throw std::logic_error("set_owner of a frame that is not in use");
  const OwnerId old = owner_of(f);
  occupancy_.move(f.value, static_cast<unsigned>(owners_[old].cls),
                  static_cast<unsigned>(owners_[owner].cls));
  word_[f.value] = (word_[f.value] & ~std::uint64_t{0xFFFFFFFF}) | owner;
}

void PhysicalMemory::run_zero_page_thread() {
  if (!zero_event_) return;
  zero_event_ = false;
  const unsigned colors = mask_ + 1;
  while (totals_[1] != 0) {
    // One cluster: the head of each colour's free list in turn, from where the last cluster
    // stopped, at most one page per colour.
    cluster_.clear();
    const unsigned start = zero_color_;
    do {
      const unsigned c = zero_color_;
      ListHead& h = head(kFree, c);
      if (h.head != kNoFrame) {
        const std::uint32_t f = h.head;
        unlink(f);
        cluster_.push_back(f);
      }
      zero_color_ = (zero_color_ + 1) & mask_;
    } while (cluster_.size() < colors && zero_color_ != start);
    // The cluster is chained newest first and each page goes to the front of the zeroed list,
    // so the first page taken ends up first.
    for (auto it = cluster_.rbegin(); it != cluster_.rend(); ++it) push_front(kZeroed, *it);
  }
}

void PhysicalMemory::zero_all_free_pages() {
  zero_event_ = true;
  run_zero_page_thread();
}

// ---------------------------------------------------------------------------------------------
// Boot-time placement

void PhysicalMemory::claim_run(Pfn first, PageCount n, OwnerId owner) {
  for (std::uint64_t f = first.value; f < first.value + n.value; ++f) {
    if (f >= state_.size() || (kind(f) != kFree && kind(f) != kZeroed)) {
      throw std::logic_error("claim_run of a frame that is not free");
    }
    take_listed(f, owner, 1);
  }
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

// ---------------------------------------------------------------------------------------------
// Invariants

void PhysicalMemory::check_invariants() const {
  index_.check_invariants();
  std::uint64_t free = 0;
  std::uint64_t used = 0;
  std::vector<std::array<std::uint64_t, OccupancyMap::kFreeSlot + 1>> buckets(occupancy_.buckets());
  std::size_t cached = 0;  // the first cached range that may hold f
  std::uint64_t hole_start = 0;
  std::uint64_t rank = 0;  // RAM frames below f
  const std::uint64_t bucket_frames = occupancy_.bucket_frames();
  for (const RamRange& range : ram_) {
    if (index_.summarize(hole_start, range.first.value).count != 0) {
      throw std::logic_error("a hole is free in the index");
    }
    hole_start = range.first.value + range.count.value;
    for (std::uint64_t f = range.first.value; f < hole_start; ++f, ++rank) {
      const Kind k = kind(f);
      const auto bucket = static_cast<std::size_t>(rank / bucket_frames);
      if (k == kUsed) {
        ++used;
        const OwnerId o = owner_of(Pfn{f});
        if (o == 0 || o >= owners_.size()) {
          throw std::logic_error("used frame without a registered owner");
        }
        if (index_.is_free(f)) throw std::logic_error("a used frame is free in the index");
        ++buckets[bucket][static_cast<unsigned>(owners_[o].cls)];
      } else {
        if (k == kHole) throw std::logic_error("a RAM frame is marked as a hole");
        ++free;
        if (!index_.is_free(f)) throw std::logic_error("a listed frame is not free in the index");
        ++buckets[bucket][OccupancyMap::kFreeSlot];
      }
      while (cached < cached_ranges_.size() && cached_ranges_[cached].second <= f) ++cached;
      const bool in_cached_range =
          cached < cached_ranges_.size() && cached_ranges_[cached].first <= f;
      if (in_cached_range != ((state_[f] & kMustBeCachedBit) != 0)) {
        throw std::logic_error("must-be-cached bit disagrees with the cached ranges");
      }
    }
  }
  if (free != index_.free_count()) throw std::logic_error("free frame count does not match");
  if (free + used != total_.value) throw std::logic_error("frames != free + used");
  for (unsigned b = 0; b < occupancy_.buckets(); ++b) {
    for (unsigned s = 0; s <= OccupancyMap::kFreeSlot; ++s) {
      if (buckets[b][s] != occupancy_.count(b, s)) {
        throw std::logic_error("occupancy map out of step with the frames");
      }
    }
  }
  std::uint64_t listed = 0;
  for (const Kind list : {kZeroed, kFree}) {
    std::uint64_t in_list = 0;
    for (unsigned c = 0; c <= mask_; ++c) {
      const ListHead& h = head(list, c);
      std::uint32_t prev = kNoFrame;
      std::uint64_t n = 0;
      for (std::uint32_t f = h.head; f != kNoFrame; f = next_of(f)) {
        if (kind(f) != list) throw std::logic_error("a page list holds a frame of another state");
        if (color_of(f) != c) throw std::logic_error("a frame is on another colour's list");
        if (prev_of(f) != prev) throw std::logic_error("page list back link broken");
        if (++n > free) throw std::logic_error("page list longer than the free frames (cycle?)");
        prev = f;
      }
      if (prev != h.tail || n != h.count) throw std::logic_error("page list tail or count wrong");
      in_list += n;
    }
    if (in_list != totals_[list_slot(list)]) throw std::logic_error("page list total wrong");
    listed += in_list;
  }
  if (listed != free) throw std::logic_error("the page lists do not hold every free frame");
}

}  // namespace fragreplay::model
