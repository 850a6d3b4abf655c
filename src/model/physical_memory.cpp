// Frame bookkeeping, the FIFO free list and the contiguous search (see physical_memory.hpp).
#include "model/physical_memory.hpp"

#include <algorithm>
#include <stdexcept>

namespace fragreplay::model {

const char* owner_class_name(OwnerClass c) {
  switch (c) {
    case OwnerClass::kPool:
      return "pool";
    case OwnerClass::kNonCached:
      return "noncached";
    case OwnerClass::kContiguous:
      return "contiguous";
    case OwnerClass::kCommonBuffer:
      return "common_buffer";
    case OwnerClass::kBackground:
      return "background";
    case OwnerClass::kPages:
      return "pages";
    case OwnerClass::kCount:
      break;
  }
  return "?";
}

PhysicalMemory::PhysicalMemory(std::vector<RamRange> ram, PageSize page_size,
                               std::uint64_t reserve_pages)
    : ram_(std::move(ram)), page_size_(page_size), reserve_pages_(reserve_pages) {
  const std::uint64_t end = ram_.empty() ? 0 : (ram_.back().first + ram_.back().count).value;
  if (end >= kNoFrame)
    throw std::invalid_argument("physical memory too large for 32-bit frame numbers");
  state_.assign(end, kHole);
  cache_.assign(end, 0);
  owner_.assign(end, 0);
  next_.assign(end, kNoFrame);
  prev_.assign(end, kNoFrame);
  std::uint64_t last_end = 0;
  for (const auto& r : ram_) {
    if (r.count.value == 0 || r.first.value < last_end) {
      throw std::invalid_argument("RAM ranges must be sorted, non-empty and non-overlapping");
    }
    last_end = r.first.value + r.count.value;
    for (std::uint64_t f = r.first.value; f < last_end; ++f) {
      state_[f] = kFree;
      push_free_tail(static_cast<std::uint32_t>(f));
    }
    total_ += r.count;
  }
  free_ = total_;
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

void PhysicalMemory::unlink_free(std::uint32_t f) {
  const std::uint32_t p = prev_[f];
  const std::uint32_t n = next_[f];
  (p == kNoFrame ? head_ : next_[p]) = n;
  (n == kNoFrame ? tail_ : prev_[n]) = p;
  next_[f] = prev_[f] = kNoFrame;
}

void PhysicalMemory::push_free_tail(std::uint32_t f) {
  prev_[f] = tail_;
  next_[f] = kNoFrame;
  (tail_ == kNoFrame ? head_ : next_[tail_]) = f;
  tail_ = f;
}

void PhysicalMemory::mark_used(std::uint32_t f, OwnerId owner, std::uint8_t cache) {
  state_[f] = kUsed;
  owner_[f] = owner;
  cache_[f] = cache;
  free_ -= PageCount{1};
}

std::optional<Pfn> PhysicalMemory::take_page(OwnerId owner, std::uint8_t cache) {
  if (head_ == kNoFrame) return std::nullopt;
  const std::uint32_t f = head_;
  unlink_free(f);
  mark_used(f, owner, cache);
  return Pfn{f};
}

std::optional<Pfn> PhysicalMemory::take_pages(PageCount n, OwnerId owner, std::uint8_t cache) {
  if (n.value == 0 || n > free_) return std::nullopt;
  std::uint32_t first = kNoFrame;
  std::uint32_t last = kNoFrame;
  for (std::uint64_t i = 0; i < n.value; ++i) {
    const std::uint32_t f = head_;
    unlink_free(f);
    mark_used(f, owner, cache);
    if (last == kNoFrame) {
      first = f;
    } else {
      next_[last] = f;
    }
    last = f;
  }
  next_[last] = kNoFrame;
  return Pfn{first};
}

std::optional<Pfn> PhysicalMemory::next_in_chain(Pfn f) const {
  const std::uint32_t n = next_[f.value];
  if (n == kNoFrame) return std::nullopt;
  return Pfn{n};
}

void PhysicalMemory::release_page(Pfn f) {
  if (state_[f.value] != kUsed) throw std::logic_error("release of a frame that is not in use");
  state_[f.value] = kFree;
  free_ += PageCount{1};
  push_free_tail(static_cast<std::uint32_t>(f.value));
}

void PhysicalMemory::release_chain(Pfn first) {
  std::uint32_t f = static_cast<std::uint32_t>(first.value);
  while (f != kNoFrame) {
    const std::uint32_t next = next_[f];
    release_page(Pfn{f});
    f = next;
  }
}

void PhysicalMemory::release_run(Pfn first, PageCount n) {
  for (std::uint64_t i = 0; i < n.value; ++i) {
    next_[first.value + i] = kNoFrame;
    release_page(first + PageCount{i});
  }
}

bool PhysicalMemory::window_can_fit(const ContiguousRequest& r) const {
  const std::uint64_t n = r.pages.value;
  const std::uint64_t b = r.boundary.value;
  if (b != 0 && n > b) return false;
  for (const auto& range : ram_) {
    const std::uint64_t lo = std::max(r.lowest.value, range.first.value);
    const std::uint64_t hi = std::min(r.highest.value, range.first.value + range.count.value - 1);
    if (lo > hi || hi - lo + 1 < n) continue;
    if (b == 0) return true;
    // The first start that is boundary-conformant: lo itself, or the next multiple of b.
    if (((lo ^ (lo + n - 1)) & ~(b - 1)) == 0) return true;
    const std::uint64_t next = (lo | (b - 1)) + 1;
    if (next + n - 1 <= hi) return true;
  }
  return false;
}

ContiguousResult PhysicalMemory::take_contiguous(const ContiguousRequest& r, OwnerId owner) {
  ContiguousResult result;
  const std::uint64_t n = r.pages.value;
  const std::uint64_t b = r.boundary.value;
  const std::uint64_t mask = b == 0 ? 0 : ~(b - 1);
  auto fail = [&](ContiguousFailure why) {
    result.failure = why;
    if (r.lowest <= r.highest && r.lowest.value < state_.size()) {
      const Pfn hi{std::min(r.highest.value, state_.size() - 1)};
      result.free_in_window = free_in(r.lowest, hi);
      result.largest_free_run_in_window = largest_free_run_in(r.lowest, hi);
    }
    return result;
  };
  if (n == 0 || r.lowest > r.highest || !window_can_fit(r))
    return fail(ContiguousFailure::kConstraint);
  // Availability floor (§5.2): never take the last reserve_pages_ frames.
  if (free_.value < reserve_pages_ || n > free_.value - reserve_pages_) {
    return fail(ContiguousFailure::kExhaustion);
  }

  std::optional<std::uint64_t> start;
  const bool up = r.direction == ScanDirection::kAscending;
  for (std::size_t k = 0; k < ram_.size() && !start; ++k) {
    const RamRange& range = ram_[up ? k : ram_.size() - 1 - k];
    const std::uint64_t lo = std::max(r.lowest.value, range.first.value);
    const std::uint64_t hi = std::min(r.highest.value, range.first.value + range.count.value - 1);
    if (lo > hi || hi - lo + 1 < n) continue;
    // WRK MiFindContiguousPages: count free frames; a run may only begin at a frame whose window
    // [start, start + n) stays inside one boundary window (checked when the run begins).
    std::uint64_t found = 0;
    for (std::uint64_t i = 0; i <= hi - lo; ++i) {
      const std::uint64_t p = up ? lo + i : hi - i;
      if (state_[p] != kFree) {
        found = 0;
        continue;
      }
      if (found == 0 && b != 0) {
        if (!up && p < lo + n - 1) break;  // not enough room below
        const std::uint64_t first = up ? p : p - (n - 1);
        if (((first ^ (first + n - 1)) & mask) != 0) continue;
      }
      if (++found == n) {
        start = up ? p - (n - 1) : p;
        break;
      }
    }
  }
  if (!start) {
    const Pfn hi{std::min(r.highest.value, state_.size() - 1)};
    return fail(free_in(r.lowest, hi) < r.pages ? ContiguousFailure::kExhaustion
                                                : ContiguousFailure::kFragmentation);
  }
  for (std::uint64_t f = *start; f < *start + n; ++f) {
    unlink_free(static_cast<std::uint32_t>(f));
    mark_used(static_cast<std::uint32_t>(f), owner, r.cache);
  }
  result.first = Pfn{*start};
  return result;
}

PageCount PhysicalMemory::free_in(Pfn lo, Pfn hi) const {
  std::uint64_t count = 0;
  const std::uint64_t end = std::min(hi.value + 1, state_.size());
  for (std::uint64_t f = lo.value; f < end; ++f) count += state_[f] == kFree ? 1 : 0;
  return PageCount{count};
}

PageCount PhysicalMemory::largest_free_run_in(Pfn lo, Pfn hi) const {
  std::uint64_t best = 0;
  std::uint64_t run = 0;
  const std::uint64_t end = std::min(hi.value + 1, state_.size());
  for (std::uint64_t f = lo.value; f < end; ++f) {
    run = state_[f] == kFree ? run + 1 : 0;
    best = std::max(best, run);
  }
  return PageCount{best};
}

void PhysicalMemory::check_invariants() const {
  std::uint64_t free = 0;
  std::uint64_t used = 0;
  for (std::size_t f = 0; f < state_.size(); ++f) {
    if (state_[f] == kFree) ++free;
    if (state_[f] == kUsed) {
      ++used;
      if (owner_[f] == 0 || owner_[f] >= owners_.size()) {
        throw std::logic_error("used frame without a registered owner");
      }
    }
  }
  if (free != free_.value) throw std::logic_error("free frame count does not match frame states");
  if (free + used != total_.value) throw std::logic_error("frames != free + used");
  std::uint64_t listed = 0;
  std::uint32_t prev = kNoFrame;
  for (std::uint32_t f = head_; f != kNoFrame; f = next_[f]) {
    if (state_[f] != kFree) throw std::logic_error("free list holds a frame that is not free");
    if (prev_[f] != prev) throw std::logic_error("free list back link broken");
    if (++listed > free) throw std::logic_error("free list longer than the free frames (cycle?)");
    prev = f;
  }
  if (prev != tail_) throw std::logic_error("free list tail wrong");
  if (listed != free) throw std::logic_error("free list does not hold every free frame");
}

}  // namespace fragreplay::model
