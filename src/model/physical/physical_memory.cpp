// Frames, page lists and the routines that take ordinary pages (see physical_memory.hpp). Rule
// references are to docs/model.md §5.2; the WRK routines named are in mm/pfnlist.c,
// mm/zeropage.c and mm/iosup.c.
#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>

#include "model/physical/physical_memory.hpp"

namespace fragreplay::model {

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

void PhysicalMemory::push_run(Kind list, bool front, std::uint64_t lo, std::uint64_t end) {
  const std::uint64_t step = mask_ + 1;
  const std::uint64_t colors = std::min<std::uint64_t>(step, end - lo);
  // Raw pointers: byte stores into state_ could alias the vectors' own members otherwise.
  std::uint64_t* const words = word_.data();
  std::uint8_t* const states = state_.data();
  // The end of each colour's list the run's frames join: the old head (front) or tail (back).
  for (std::uint64_t f = lo; f < lo + colors; ++f) {
    const ListHead& h = head(list, color_of(f));
    run_ends_[color_of(f)] = front ? h.head : h.tail;
  }
  // Pushed in ascending order: at the front the higher frame comes first, at the back the lower.
  // A frame's list neighbours are the frames `step` below and above it in the run; the lowest of
  // a colour joins the old end of the list, the highest ends it. Locals, because byte stores into
  // states may alias any member.
  const std::uint64_t low_end = lo + colors;
  const std::uint64_t high_start = end - colors;
  const std::uint64_t mask = mask_;
  const std::uint32_t* const ends = run_ends_.data();
  const std::uint8_t kind_bits = list;
  const auto link = [=](std::uint64_t f, std::uint64_t below, std::uint64_t above) {
    words[f] = front ? (above << 32) | below : (below << 32) | above;
    states[f] = static_cast<std::uint8_t>((states[f] & kMustBeCachedBit) | kind_bits);
  };
  for (std::uint64_t f = lo; f < low_end; ++f) {
    link(f, ends[f & mask], f < high_start ? f + step : kNoFrame);
  }
  for (std::uint64_t f = low_end; f < high_start; ++f) link(f, f - step, f + step);
  for (std::uint64_t f = std::max(low_end, high_start); f < end; ++f) {
    link(f, f - step, kNoFrame);
  }
  for (std::uint64_t f = lo; f < low_end; ++f) {
    const unsigned c = color_of(f);
    ListHead& h = head(list, c);
    const auto lowest = static_cast<std::uint32_t>(f);
    const auto highest = static_cast<std::uint32_t>(f + (end - 1 - f) / step * step);
    const std::uint32_t old = run_ends_[c];
    if (front) {
      if (old == kNoFrame) {
        h.tail = lowest;
      } else {
        set_links(old, next_of(old), lowest);
      }
      h.head = highest;
    } else {
      if (old == kNoFrame) {
        h.head = lowest;
      } else {
        set_links(old, lowest, prev_of(old));
      }
      h.tail = highest;
    }
    const std::uint64_t k = (end - 1 - f) / step + 1;
    h.count += static_cast<std::uint32_t>(k);
    totals_[list_slot(list)] += k;
  }
}

void PhysicalMemory::unlink_run(std::uint64_t lo, std::uint64_t end) {
  // Frame numbers are below 2^31 and kNoFrame is 2^32 - 1, so one unsigned compare tells a
  // frame of the run from any other frame or from no frame.
  const std::uint64_t span = end - lo;
  const auto inside = [&](std::uint64_t f) { return f - lo < span; };
  std::uint64_t* const words = word_.data();
  for (std::uint64_t f = lo; f < end; ++f) {
    const std::uint64_t w = words[f];
    const std::uint64_t p = w >> 32;
    if (inside(p)) continue;
    // f starts a chain of the run's frames that are neighbours on their list: find its end and
    // join what comes before the chain to what comes after it.
    std::uint32_t count = 1;
    std::uint64_t n = w & 0xFFFFFFFFull;
    while (inside(n)) {
      n = words[n] & 0xFFFFFFFFull;
      ++count;
    }
    const Kind list = kind(f);
    ListHead& h = head(list, color_of(f));
    if (p == kNoFrame) {
      h.head = static_cast<std::uint32_t>(n);
    } else {
      words[p] = (words[p] & ~0xFFFFFFFFull) | n;
    }
    if (n == kNoFrame) {
      h.tail = static_cast<std::uint32_t>(p);
    } else {
      words[n] = (p << 32) | (words[n] & 0xFFFFFFFFull);
    }
    h.count -= count;
    totals_[list_slot(list)] -= count;
  }
}

void PhysicalMemory::take_run(std::uint64_t lo, std::uint64_t end, OwnerId owner,
                              CachingType cache) {
  unlink_run(lo, end);
  const auto used =
      static_cast<std::uint8_t>(kUsed | ((static_cast<std::uint8_t>(cache) & 0x7u) << kCacheShift));
  std::uint64_t* const words = word_.data();
  std::uint8_t* const states = state_.data();
  const std::uint64_t word = (std::uint64_t{kNoFrame} << 32) | owner;
  for (std::uint64_t f = lo; f < end; ++f) {
    states[f] = static_cast<std::uint8_t>((states[f] & kMustBeCachedBit) | used);
    words[f] = word;
  }
  occupy_run(lo, end - lo, OccupancyMap::kFreeSlot, static_cast<unsigned>(owners_[owner].cls));
}

void PhysicalMemory::take_listed(std::uint64_t f, OwnerId owner, CachingType cache) {
  unlink(f);
  state_[f] = static_cast<std::uint8_t>((state_[f] & kMustBeCachedBit) | kUsed |
                                        ((static_cast<std::uint8_t>(cache) & 0x7u) << kCacheShift));
  word_[f] = (std::uint64_t{kNoFrame} << 32) | owner;
  occupy(f, OccupancyMap::kFreeSlot, static_cast<unsigned>(owners_[owner].cls));
}

std::uint64_t PhysicalMemory::take_head(Kind list, unsigned color, OwnerId owner,
                                        CachingType cache) {
  const std::uint64_t f = head(list, color).head;
  take_listed(f, owner, cache);
  index_.set_used(f);
  return f;
}

void PhysicalMemory::insert_free(std::uint64_t f) {
  occupy(f, static_cast<unsigned>(owners_[owner_of(Pfn{f})].cls), OccupancyMap::kFreeSlot);
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
                                                   CachingType cache) {
  if (index_.free_count() == 0) return std::nullopt;
  for (unsigned k = 0; k <= mask_; ++k) {
    const unsigned c = (color + k) & mask_;
    if (head(kFree, c).count != 0) return Pfn{take_head(kFree, c, owner, cache)};
    if (head(kZeroed, c).count != 0) return Pfn{take_head(kZeroed, c, owner, cache)};
  }
  return std::nullopt;
}

std::optional<Pfn> PhysicalMemory::take_page(OwnerId owner, CachingType cache) {
  return remove_any_page(next_page_color(), owner, cache);
}

std::optional<Pfn> PhysicalMemory::take_pages(PageCount n, OwnerId owner, CachingType cache) {
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
  const std::uint64_t lo = first.value;
  const std::uint64_t end = lo + n.value;
  if (n.value == 0) return;
  if (end > state_.size() || kind(lo) != kUsed) {
    throw std::logic_error("release of a frame that is not in use");
  }
  const OwnerId owner = owner_of(first);
  // When these frames wake the zero-page thread, it zeroes the whole free list right after this
  // call: put the frames straight where it would (per colour: the old free pages first, then
  // these in order, each to the front of the zeroed list).
  const bool zeroed = policy_.zero_threshold != 0 &&
                      (zero_event_ || totals_[1] + n.value >= policy_.zero_threshold);
  if (zeroed) run_all_free_to_zeroed();
  if (kind(end - 1) != kUsed || owner_of(Pfn{end - 1}) != owner) {
    throw std::logic_error("release_run of frames not in use by one owner");
  }
  if (zeroed) {
    push_run(kZeroed, /*front=*/true, lo, end);
  } else {
    push_run(kFree, /*front=*/false, lo, end);
  }
  occupy_run(lo, n.value, static_cast<unsigned>(owners_[owner].cls), OccupancyMap::kFreeSlot);
  if (!zeroed && policy_.zero_threshold != 0 && totals_[1] >= policy_.zero_threshold) {
    zero_event_ = true;
  }
  index_.set_range_free(lo, n.value);
}

void PhysicalMemory::set_owner(Pfn f, OwnerId owner) {
  if (kind(f.value) != kUsed) throw std::logic_error("set_owner of a frame that is not in use");
  const OwnerId old = owner_of(f);
  occupy(f.value, static_cast<unsigned>(owners_[old].cls),
         static_cast<unsigned>(owners_[owner].cls));
  word_[f.value] = (word_[f.value] & ~std::uint64_t{0xFFFFFFFF}) | owner;
}

std::size_t PhysicalMemory::watch_window(Pfn first, Pfn end) {
  fill_map(windows_.add(first.value, end.value, ram_), first.value, end.value);
  return windows_.windows().size() - 1;
}

void PhysicalMemory::fill_map(OccupancyMap& map, std::uint64_t first, std::uint64_t end) const {
  for (const RamRange& r : clip_ram(ram_, first, end)) {
    for (std::uint64_t f = r.first.value; f < r.first.value + r.count.value; ++f) {
      if (kind(f) == kUsed) {
        map.move(f, OccupancyMap::kFreeSlot, static_cast<unsigned>(owners_[owner_of(Pfn{f})].cls));
      }
    }
  }
}

void PhysicalMemory::run_zero_page_thread() {
  if (!zero_event_) return;
  run_all_free_to_zeroed();
}

void PhysicalMemory::run_all_free_to_zeroed() {
  zero_event_ = false;
  // WRK zeroes in clusters of one page per colour and puts each cluster at the front of the
  // zeroed list; per colour that is the free list, oldest first, each page to the front: the free
  // list reversed, in front of the zeroed list.
  for (unsigned c = 0; c <= mask_ && totals_[1] != 0; ++c) {
    ListHead& from = head(kFree, c);
    if (from.head == kNoFrame) continue;
    ListHead& to = head(kZeroed, c);
    for (std::uint32_t f = from.head; f != kNoFrame;) {
      const std::uint32_t next = next_of(f);
      set_links(f, prev_of(f), next);  // reversed: the old next is the new previous
      set_kind(f, kZeroed);
      f = next;
    }
    // The old head is now the last of the moved pages and leads into the zeroed list.
    set_links(from.head, to.head, prev_of(from.head));
    if (to.head == kNoFrame) {
      to.tail = from.head;
    } else {
      set_links(to.head, next_of(to.head), from.head);
    }
    to.head = from.tail;
    to.count += from.count;
    totals_[0] += from.count;
    totals_[1] -= from.count;
    from = ListHead{};
  }
}

void PhysicalMemory::zero_all_free_pages() {
  zero_event_ = true;
  run_zero_page_thread();
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
  for (const WindowMaps::Window& w : windows_.windows()) {
    OccupancyMap fresh(clip_ram(ram_, w.first, w.end));
    fill_map(fresh, w.first, w.end);
    for (unsigned b = 0; b < fresh.buckets(); ++b) {
      for (unsigned s = 0; s <= OccupancyMap::kFreeSlot; ++s) {
        if (fresh.count(b, s) != w.map.count(b, s)) {
          throw std::logic_error("a device window's occupancy map is out of step with the frames");
        }
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
