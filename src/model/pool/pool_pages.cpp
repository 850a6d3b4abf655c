// MiAllocatePoolPages / MiFreePoolPages and the NT 5.x contiguous helpers on pool pages (see
// pool_pages.hpp). Rule references are to docs/model.md; WRK code is mm/allocpag.c and
// mm/iosup.c (MiCheckForContiguousMemory).
#include "model/pool/pool_pages.hpp"

#include <stdexcept>

namespace fragreplay::model {

namespace {
// Model-internal virtual layout: the initial pool, a gap (the guard pages that keep runs from
// merging across), the expansion area, and paged pool far away. The values carry no meaning.
constexpr std::uint64_t kNonPagedBase = 0xFFFF'A000'0000'0000ull;
constexpr std::uint64_t kExpansionOffset = 0x0000'0100'0000'0000ull;
constexpr std::uint64_t kPagedBase = 0xFFFF'A800'0000'0000ull;
constexpr std::uint64_t kReservedBase = 0xFFFF'AC00'0000'0000ull;
}  // namespace

PoolPages::PoolPages(PhysicalMemory& memory, PageSize page_size, const PoolPagesConfig& config)
    : memory_(memory),
      page_size_(page_size),
      config_(config),
      free_owner_(memory.intern_owner({OwnerClass::kPoolFree, Tag{}})),
      initial_vpn_(kNonPagedBase >> page_size.shift),
      initial_pages_(config.initial_pages.value),
      next_expansion_vpn_((kNonPagedBase + kExpansionOffset) >> page_size.shift),
      next_paged_vpn_(kPagedBase >> page_size.shift),
      lists_(config.run_lists == 0 ? 1 : config.run_lists),
      expansion_frames_((kNonPagedBase + kExpansionOffset) >> page_size.shift),
      next_reserved_vpn_(kReservedBase >> page_size.shift),
      first_reserved_vpn_(kReservedBase >> page_size.shift) {
  if (config_.run_lists == 0) config_.run_lists = 1;
  // MiInitializeNonPagedPool: the whole initial pool is one free run at the head of its list.
  if (initial_pages_ != 0) {
    insert_run(initial_vpn_, initial_pages_, /*at_head=*/true);
    free_run_pages_ = initial_pages_;
  }
}

std::optional<Pfn> PoolPages::frame_of(std::uint64_t vpn) const {
  if (in_initial(vpn)) return config_.initial_first + PageCount{vpn - initial_vpn_};
  if (in_reserved(vpn)) {
    const std::uint32_t* f = reserved_.find(vpn);
    if (f == nullptr || *f == kPaged) return std::nullopt;
    return Pfn{*f};
  }
  const std::uint32_t f = expansion_frames_.find(vpn);
  if (f == FrameTable::kUnmapped) return std::nullopt;
  return Pfn{f};
}

void PoolPages::insert_run(std::uint64_t vpn, std::uint64_t pages, bool at_head) {
  const unsigned l = list_for(pages);
  Run run;
  run.pages = pages;
  run.list = l;
  ListHead& h = lists_[l];
  if (at_head) {
    run.next = h.head;
    if (h.head != 0) runs_.find(h.head)->prev = vpn;
    h.head = vpn;
    if (h.tail == 0) h.tail = vpn;
  } else {
    run.prev = h.tail;
    if (h.tail != 0) runs_.find(h.tail)->next = vpn;
    h.tail = vpn;
    if (h.head == 0) h.head = vpn;
  }
  runs_.insert(vpn, run);
  run_by_last_.insert(vpn + pages - 1, vpn);
}

void PoolPages::remove_run(std::uint64_t vpn) {
  const Run run = *runs_.find(vpn);
  ListHead& h = lists_[run.list];
  (run.prev == 0 ? h.head : runs_.find(run.prev)->next) = run.next;
  (run.next == 0 ? h.tail : runs_.find(run.next)->prev) = run.prev;
  runs_.erase(vpn);
  run_by_last_.erase(vpn + run.pages - 1);
}

template <typename F>
bool PoolPages::for_each_frame(std::uint64_t vpn, std::uint64_t n, F&& f) const {
  if (in_initial(vpn)) {
    const std::uint64_t first = config_.initial_first.value + (vpn - initial_vpn_);
    for (std::uint64_t i = 0; i < n; ++i) {
      if (!f(static_cast<std::uint32_t>(first + i))) return false;
    }
    return true;
  }
  return expansion_frames_.for_each(vpn, n, [&f](std::uint32_t frame) {
    if (frame == FrameTable::kUnmapped) throw std::logic_error("PoolPages: a page has no frame");
    return f(frame);
  });
}

void PoolPages::hand_over(std::uint64_t vpn, std::uint64_t n, OwnerId owner) {
  for_each_frame(vpn, n, [&](std::uint32_t frame) {
    memory_.set_owner(Pfn{frame}, owner);
    return true;
  });
}

std::optional<std::uint64_t> PoolPages::allocate(bool nonpaged, PageCount n, OwnerId owner) {
  if (n.value == 0) return std::nullopt;
  if (!nonpaged) {
    const std::uint64_t vpn = next_paged_vpn_;
    next_paged_vpn_ += n.value;
    paged_held_ += n.value;
    return vpn;
  }
  // 1. A single page from the SList.
  if (n.value == 1 && !slist_.empty()) {
    const std::uint64_t vpn = slist_.back();
    slist_.pop_back();
    hand_over(vpn, 1, owner);
    ++nonpaged_in_use_;
    return vpn;
  }
  // 2. The first run with enough pages, from the request's list up; pages from its end.
  for (unsigned l = list_for(n.value); l < config_.run_lists; ++l) {
    for (std::uint64_t at = lists_[l].head; at != 0; at = runs_.find(at)->next) {
      const std::uint64_t size = runs_.find(at)->pages;
      if (size < n.value) continue;
      remove_run(at);
      const std::uint64_t rest = size - n.value;
      if (rest != 0) insert_run(at, rest, /*at_head=*/false);
      free_run_pages_ -= n.value;
      const std::uint64_t vpn = at + rest;
      hand_over(vpn, n.value, owner);
      nonpaged_in_use_ += n.value;
      return vpn;
    }
  }
  // 3. Expansion: "make sure we have 1 more than the number of pages requested available".
  if (memory_.free_frames().value <= n.value) return std::nullopt;
  const std::uint64_t vpn = next_expansion_vpn_;
  next_expansion_vpn_ += n.value;
  expansion_frames_.insert_run(vpn, n.value, [&] {
    const auto f =
        memory_.remove_any_page(memory_.next_page_color(), owner, CachingType::kMmCached);
    return static_cast<std::uint32_t>(f->value);
  });
  nonpaged_in_use_ += n.value;
  return vpn;
}

std::uint64_t PoolPages::reserve(PageCount n) {
  const std::uint64_t vpn = next_reserved_vpn_;
  next_reserved_vpn_ += n.value;
  return vpn;
}

bool PoolPages::commit(std::uint64_t vpn, PageCount n, bool nonpaged, OwnerId owner) {
  if (!in_reserved(vpn)) throw std::logic_error("PoolPages: commit outside a reservation");
  if (!can_commit(n, nonpaged)) return false;
  for (std::uint64_t i = 0; i < n.value; ++i) {
    if (reserved_.find(vpn + i) != nullptr) {
      throw std::logic_error("PoolPages: commit of a page already committed");
    }
    if (nonpaged) {
      const auto f =
          memory_.remove_any_page(memory_.next_page_color(), owner, CachingType::kMmCached);
      reserved_.insert(vpn + i, static_cast<std::uint32_t>(f->value));
    } else {
      reserved_.insert(vpn + i, kPaged);
      ++reserved_paged_;
    }
  }
  return true;
}

std::optional<std::uint64_t> PoolPages::allocate_aligned_run(PageCount n, OwnerId owner) {
  ContiguousRequest request;
  request.pages = n;
  request.lowest = Pfn{0};
  request.highest = Pfn{memory_.end_frame().value - 1};
  request.boundary = n;  // a run of n frames that crosses no multiple of n starts on one
  const ContiguousResult r = memory_.take_contiguous(request, owner);
  if (!r.first) return std::nullopt;
  const std::uint64_t vpn = reserve(n);
  for (std::uint64_t i = 0; i < n.value; ++i) {
    reserved_.insert(vpn + i, static_cast<std::uint32_t>(r.first->value + i));
  }
  return vpn;
}

void PoolPages::free(std::uint64_t vpn, PageCount n) {
  if (in_reserved(vpn)) {
    for (std::uint64_t i = 0; i < n.value; ++i) {
      const std::uint32_t* f = reserved_.find(vpn + i);
      if (f == nullptr) throw std::logic_error("PoolPages: decommit of a page not committed");
      if (*f == kPaged) {
        --reserved_paged_;
      } else {
        memory_.release_page(Pfn{*f});
      }
      reserved_.erase(vpn + i);
    }
    return;
  }
  if (vpn >= (kPagedBase >> page_size_.shift)) {
    if (paged_held_ < n.value) throw std::logic_error("PoolPages: free of a page not held");
    paged_held_ -= n.value;
    return;
  }
  if (nonpaged_in_use_ < n.value) throw std::logic_error("PoolPages: free of a page not held");
  nonpaged_in_use_ -= n.value;
  release(vpn, n.value);
}

void PoolPages::release(std::uint64_t vpn, std::uint64_t n) {
  // Single pages hang off the SList while it has room.
  if (n == 1 && slist_.size() < config_.slist_depth) {
    hand_over(vpn, 1, free_owner_);
    slist_.push_back(vpn);
    return;
  }
  if (!in_initial(vpn) &&
      (n > config_.expansion_keep_pages || free_run_pages_ > config_.freed_expansion_max)) {
    // MiFreeNonPagedPool: the frames go back to the PFN free lists, the addresses are released.
    // They go straight from their owner to the lists: handing them to the pool's free owner
    // first would only move each frame's count through one more occupancy slot.
    expansion_frames_.erase_run(vpn, n,
                                [&](std::uint32_t frame) { memory_.release_page(Pfn{frame}); });
    return;
  }
  hand_over(vpn, n, free_owner_);
  free_run_pages_ += n;
  std::uint64_t size = n;
  // Merge with the run that follows (never across the end of the initial pool: the gap).
  if (const Run* next = runs_.find(vpn + n)) {
    size += next->pages;
    remove_run(vpn + n);
  }
  // Merge into the run before it. A run of fewer than MI_MAX_FREE_LIST_HEADS - 1 pages moves to
  // the tail of the list for its new size; a larger one grows where it is.
  if (const std::uint64_t* before = run_by_last_.find(vpn - 1)) {
    const std::uint64_t first = *before;
    Run& prev = *runs_.find(first);
    if (prev.pages < config_.run_lists - 1) {
      const std::uint64_t total = prev.pages + size;
      remove_run(first);
      insert_run(first, total, /*at_head=*/false);
    } else {
      run_by_last_.erase(first + prev.pages - 1);
      prev.pages += size;
      run_by_last_.insert(first + prev.pages - 1, first);
    }
    return;
  }
  insert_run(vpn, size, /*at_head=*/false);
}

std::optional<std::uint64_t> PoolPages::contiguous_part(std::uint64_t vpn, PageCount pages,
                                                        PageCount n, Pfn lowest, Pfn highest,
                                                        PageCount boundary) const {
  const std::uint64_t size = n.value;
  const std::uint64_t b = boundary.value;
  const std::uint64_t mask = b == 0 ? 0 : ~(b - 1);
  if (lowest > highest || pages.value < size || size == 0) return std::nullopt;
  if (lowest.value + size - 1 > highest.value) return std::nullopt;
  if (config_.initial_large_pages && in_initial(vpn)) {
    // Physically mapped: clamp the range to the window, then take the end chunk if the window did
    // not cut it, else the lowest conforming start.
    const std::uint64_t orig = frame_of(vpn)->value;
    const std::uint64_t orig_last = orig + pages.value;
    std::uint64_t page = std::max(orig, lowest.value);
    const std::uint64_t last = std::min(orig_last, highest.value + 1);
    if (last < size || page > last - size) return std::nullopt;
    const std::uint64_t highest_start = last - size;
    if (b != 0) {
      while (((page ^ (page + size - 1)) & mask) != 0) {
        page = (page | (b - 1)) + 1;
        if (page > highest_start) return std::nullopt;
      }
      return vpn + (page - orig);
    }
    if (last == orig_last) return vpn + (pages.value - size);
    return vpn + (page - orig);
  }
  // Through the page tables: the first run of physically consecutive frames whose first frame
  // is in the window and boundary-conformant.
  const std::uint64_t highest_start = highest.value + 1 - size;
  std::uint64_t count = 0;
  std::uint64_t previous = 0;
  std::uint64_t i = 0;
  std::optional<std::uint64_t> found;
  for_each_frame(vpn, pages.value, [&](std::uint64_t page) {
    if (count != 0 && page != previous + 1) count = 0;  // start over at this page
    if (count == 0) {
      if (page >= lowest.value && page <= highest_start &&
          (b == 0 || ((page ^ (page + size - 1)) & mask) == 0)) {
        count = 1;
      }
      if (count == size) found = vpn + i;
    } else if (++count == size) {
      found = vpn + i + 1 - size;
    }
    previous = page;
    ++i;
    return !found;
  });
  return found;
}

std::optional<std::uint64_t> PoolPages::take_contiguous(PageCount n, Pfn lowest, Pfn highest,
                                                        PageCount boundary, OwnerId owner) {
  if (n.value == 0) return std::nullopt;
  for (unsigned l = list_for(n.value); l < config_.run_lists; ++l) {
    for (std::uint64_t at = lists_[l].head; at != 0; at = runs_.find(at)->next) {
      const std::uint64_t size = runs_.find(at)->pages;
      if (size < n.value) continue;
      const auto va = contiguous_part(at, PageCount{size}, n, lowest, highest, boundary);
      if (!va) continue;
      // Take the whole run, then free the pieces before and after the allocation (front first),
      // as WRK does with ExFreePool.
      remove_run(at);
      free_run_pages_ -= size;
      hand_over(*va, n.value, owner);
      contiguous_pages_ += n.value;
      if (*va != at) release(at, *va - at);
      const std::uint64_t end = *va + n.value;
      if (end != at + size) release(end, at + size - end);
      return va;
    }
  }
  return std::nullopt;
}

void PoolPages::free_contiguous(std::uint64_t vpn, PageCount n) {
  if (contiguous_pages_ < n.value) throw std::logic_error("PoolPages: free of pages not held");
  contiguous_pages_ -= n.value;
  release(vpn, n.value);
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> PoolPages::free_runs(unsigned list) const {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (std::uint64_t at = lists_.at(list).head; at != 0; at = runs_.find(at)->next) {
    out.emplace_back(at, runs_.find(at)->pages);
  }
  return out;
}

void PoolPages::check_invariants() const {
  reserved_.check_invariants();
  std::uint64_t paged = 0;
  reserved_.for_each([&](std::uint64_t, std::uint32_t f) { paged += f == kPaged ? 1 : 0; });
  if (paged != reserved_paged_)
    throw std::logic_error("PoolPages: reserved paged pages out of step");
  runs_.check_invariants();
  run_by_last_.check_invariants();
  expansion_frames_.check_invariants();
  std::uint64_t listed = 0;
  std::uint64_t pages = 0;
  for (unsigned l = 0; l < lists_.size(); ++l) {
    std::uint64_t prev = 0;
    for (std::uint64_t at = lists_[l].head; at != 0; at = runs_.find(at)->next) {
      const Run* run = runs_.find(at);
      if (run == nullptr || run->list != l || run->prev != prev) {
        throw std::logic_error("PoolPages: free-run list broken");
      }
      // A run sits on the list of its size, except one that grew in place from the last
      // small list (WRK leaves it there).
      if (l != list_for(run->pages) && !(run->pages > l + 1 && l + 2 == lists_.size())) {
        throw std::logic_error("PoolPages: a free run is on the wrong list");
      }
      if (runs_.find(at + run->pages) != nullptr || run_by_last_.find(at - 1) != nullptr) {
        throw std::logic_error("PoolPages: two free runs touch");
      }
      const std::uint64_t* last = run_by_last_.find(at + run->pages - 1);
      if (last == nullptr || *last != at) throw std::logic_error("PoolPages: run end map wrong");
      ++listed;
      pages += run->pages;
      prev = at;
    }
    if (prev != lists_[l].tail) throw std::logic_error("PoolPages: free-run list tail wrong");
  }
  if (listed != runs_.size() || listed != run_by_last_.size()) {
    throw std::logic_error("PoolPages: a free run is on no list");
  }
  if (pages != free_run_pages_) throw std::logic_error("PoolPages: free-run pages out of step");
  if (slist_.size() > config_.slist_depth) throw std::logic_error("PoolPages: SList too deep");
  // Every nonpaged page held has one frame: in use, cached, free in a run, contiguous, or
  // committed inside a reservation.
  const std::uint64_t accounted = nonpaged_in_use_ + slist_.size() + free_run_pages_ +
                                  contiguous_pages_ + (reserved_.size() - reserved_paged_);
  if (accounted != frames_held().value) {
    throw std::logic_error("PoolPages: nonpaged pages held != frames held");
  }
}

}  // namespace fragreplay::model
