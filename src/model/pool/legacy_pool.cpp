// The legacy NT pool (see legacy_pool.hpp). Rule references are to docs/model.md.
#include "model/pool/legacy_pool.hpp"

#include <algorithm>
#include <stdexcept>

#include "base/error.hpp"
#include "base/kernel_abi.hpp"

namespace fragreplay::model {
namespace {

constexpr std::uint64_t kSecondNs = 1'000'000'000;

}  // namespace

const char* LegacyPool::state_name(BlockState s) {
  switch (s) {
    case BlockState::kFree:
      return "free";
    case BlockState::kAllocated:
      return "allocated";
    case BlockState::kLookaside:
      return "lookaside";
    case BlockState::kPending:
      return "pending";
    case BlockState::kFrag:
      return "frag";
    case BlockState::kBigTail:
      return "big-tail";
  }
  return "?";
}

LegacyPool::LegacyPool(const Profile& profile, PoolPages& pages, PhysicalMemory& memory,
                       bool delayed_frees)
    : profile_(profile),
      pages_(pages),
      memory_(memory),
      delayed_frees_(delayed_frees && profile.pending_frees > 0),
      page_bytes_(profile.page_size.bytes()),
      unit_(profile.granularity),
      page_units_(static_cast<unsigned>(page_bytes_ / profile.granularity)),
      header_units_(profile.pool_header / profile.granularity) {
  for (auto& pool : pools_) {
    pool.lists.resize(page_units_);
    pool.lookasides.resize(profile.lookaside_max_units);
    for (auto& la : pool.lookasides) {
      la.per_cpu.depth = profile.lookaside_initial_depth;
      la.global.depth = profile.lookaside_initial_depth;
    }
  }
}

LegacyPool::Descriptor LegacyPool::descriptor_for(std::uint64_t pool_type) const {
  const bool paged = (pool_type & PoolTypeBit::kBasePoolTypeMask) != 0;
  if (paged) return (pool_type & PoolTypeBit::kSessionPoolMask) != 0 ? kSessionPaged : kPaged;
  // Nonpaged session pool comes from the global nonpaged descriptor (WRK ex/pool.c).
  if ((pool_type & PoolTypeBit::kPoolNxAllocation) != 0 && profile_.separate_nx_descriptor)
    return kNonPagedNx;
  return kNonPaged;
}

OwnerId LegacyPool::owner_for(Tag tag) {
  return memory_.intern_owner(Owner{OwnerClass::kPool, tag});
}

LegacyPool::Block& LegacyPool::block(std::uint64_t address) {
  Block* b = blocks_.find(address);
  if (b == nullptr) throw std::logic_error("LegacyPool: no block at an address the layout implies");
  return *b;
}
const LegacyPool::Block& LegacyPool::block(std::uint64_t address) const {
  return const_cast<LegacyPool*>(this)->block(address);
}

void LegacyPool::list_insert_head(std::uint64_t address, Block& b) {
  ListHead& l = pools_[b.desc].lists[b.units - 1u];
  b.list_prev = 0;
  b.list_next = l.head;
  if (l.head != 0) block(l.head).list_prev = address;
  l.head = address;
  if (l.tail == 0) l.tail = address;
}

void LegacyPool::list_insert_tail(std::uint64_t address, Block& b) {
  ListHead& l = pools_[b.desc].lists[b.units - 1u];
  b.list_next = 0;
  b.list_prev = l.tail;
  if (l.tail != 0) block(l.tail).list_next = address;
  l.tail = address;
  if (l.head == 0) l.head = address;
}

void LegacyPool::list_remove(std::uint64_t address, Block& b) {
  ListHead& l = pools_[b.desc].lists[b.units - 1u];
  (b.list_prev != 0 ? block(b.list_prev).list_next : l.head) = b.list_next;
  (b.list_next != 0 ? block(b.list_next).list_prev : l.tail) = b.list_prev;
  b.list_next = b.list_prev = 0;
  (void)address;
}

void LegacyPool::insert_free_remainder(std::uint64_t address, Block& b) {
  b.state = BlockState::kFree;
  // §3.2: a remainder of a single unit is only a header when header size == block size; it stays
  // in the page, free, on no list.
  if (listed(b)) list_insert_tail(address, b);
  free_ += Bytes{std::uint64_t{b.units} * unit_};
}

// ---------------------------------------------------------------------------------------------
// Allocation

AllocOutcome LegacyPool::allocate(const PoolRequest& request) {
  const Descriptor d = descriptor_for(request.pool_type);
  const std::uint64_t n = request.bytes.value;
  // §3.6: x86 quota allocations carry the EPROCESS pointer at the end of the block.
  unsigned extra = 0;
  if (request.quota && profile_.quota_extra_bytes != 0 && n <= profile_.quota_extra_max_request) {
    extra = profile_.quota_extra_bytes;
  }
  std::uint64_t effective = n + extra;
  // §3.5 (Windows 8+): a CacheAligned request grows to a multiple of the cache line plus one line,
  // unless that no longer fits the small-block path, in which case the flag is dropped.
  bool aligned = false;
  if ((request.pool_type & PoolTypeBit::kCacheAlignedPoolTypeMask) != 0 &&
      profile_.cache_align == CacheAlignRule::kRoundUpPlusLine && effective <= profile_.small_max) {
    const std::uint64_t line = profile_.cache_line_bytes;
    const std::uint64_t grown = round_up_pow2(effective == 0 ? 1 : effective, line) + line;
    if (grown <= profile_.small_max) {
      effective = grown;
      aligned = true;
    }
  }
  AllocOutcome o = effective > profile_.small_max ? allocate_big(d, effective, request.tag)
                                                  : allocate_small(d, effective, request.tag);
  if (!o.ok) return o;
  // The parts above are measured from the effective size; the quota pointer is bookkeeping, the
  // cache-line padding is rounding (and holds the second POOL_HEADER when one is needed).
  o.waste.pool_header += Bytes{extra};
  if (aligned) align_to_cache_line(o, effective - n - extra);
  return o;
}

void LegacyPool::align_to_cache_line(AllocOutcome& o, std::uint64_t padding) {
  // The block's data starts after its POOL_HEADER; the caller gets the first cache-line boundary
  // at or after it, with a second POOL_HEADER just below when that moved the pointer (§3.5).
  const std::uint64_t block_address = o.handle - profile_.pool_header;
  const std::uint64_t aligned = round_up_pow2(o.handle, profile_.cache_line_bytes);
  o.waste.granularity += Bytes{padding};
  if (aligned == o.handle) return;
  o.waste.pool_header += Bytes{profile_.pool_header};
  o.waste.granularity -= Bytes{profile_.pool_header};
  aligned_handles_.insert(aligned, block_address);
  o.handle = aligned;
}

AllocOutcome LegacyPool::allocate_small(Descriptor d, std::uint64_t bytes, Tag tag) {
  Pool& pool = pools_[d];
  // §1.2: n == 0 is treated as 1 byte on a free build.
  const std::uint64_t request = bytes == 0 ? 1 : bytes;
  const auto units = static_cast<unsigned>((request + profile_.pool_header + unit_ - 1) / unit_);
  const Bytes footprint{std::uint64_t{units} * unit_};
  std::uint64_t address = 0;
  bool found = false;

  // §3.1 step 3: lookaside lists for blocks of up to lookaside_max_units units.
  if (units <= profile_.lookaside_max_units) {
    LookasidePair& la = pool.lookasides[units - 1];
    for (Lookaside* l : {d == kSessionPaged ? nullptr : &la.per_cpu, &la.global}) {
      if (l == nullptr) continue;
      ++l->total_allocates;
      if (!l->entries.empty()) {
        address = l->entries.back();
        l->entries.pop_back();
        ++l->allocate_hits;
        block(address).state = BlockState::kAllocated;
        cached_ -= footprint;
        found = true;
        break;
      }
    }
  }
  // §3.2 free lists, then a new page; §3.2 "Failure": flush delayed frees and retry once.
  for (int attempt = 0; !found; ++attempt) {
    if (take_from_lists(d, units, address) || add_page(d, units, tag, address)) break;
    if (attempt == 0 && delayed_frees_ && !pool.pending.empty()) {
      flush_pending(d);
      continue;
    }
    return failure(FailCause::kExhaustion);
  }
  live_ += footprint;

  AllocOutcome o;
  o.ok = true;
  o.handle = address + profile_.pool_header;
  o.footprint = footprint;
  o.waste.pool_header = Bytes{profile_.pool_header};
  o.waste.granularity = footprint - Bytes{bytes} - Bytes{profile_.pool_header};
  return o;
}

bool LegacyPool::take_from_lists(Descriptor d, unsigned units, std::uint64_t& address) {
  Pool& pool = pools_[d];
  // §3.2: NT 5.x starts at ListHeads[N], later eras at ListHeads[N-1]; first non-empty list wins,
  // its head entry is taken.
  const unsigned start = profile_.search_start == ListSearchStart::kNextLarger ? units : units - 1;
  for (unsigned idx = start; idx < page_units_; ++idx) {
    const std::uint64_t a = pool.lists[idx].head;
    if (a == 0) continue;
    Block& b = block(a);
    list_remove(a, b);
    const unsigned have = b.units;
    free_ -= Bytes{std::uint64_t{have} * unit_};
    if (have == units) {
      b.state = BlockState::kAllocated;
      address = a;
      return true;
    }
    const unsigned rest = have - units;
    if (b.prev_units == 0) {
      // At the start of a page: allocate the front, the remainder follows.
      b.units = static_cast<std::uint16_t>(units);
      b.state = BlockState::kAllocated;
      const std::uint64_t r = a + std::uint64_t{units} * unit_;
      Block rem;
      rem.units = static_cast<std::uint16_t>(rest);
      rem.prev_units = static_cast<std::uint16_t>(units);
      rem.desc = static_cast<std::uint8_t>(d);
      const std::uint64_t after = r + std::uint64_t{rest} * unit_;
      if (!at_page_end(after)) block(after).prev_units = static_cast<std::uint16_t>(rest);
      insert_free_remainder(r, blocks_.insert(r, rem));
      address = a;
    } else {
      // Elsewhere: allocate the end, the remainder stays in front.
      b.units = static_cast<std::uint16_t>(rest);
      const std::uint64_t x = a + std::uint64_t{rest} * unit_;
      const std::uint64_t after = x + std::uint64_t{units} * unit_;
      if (!at_page_end(after)) block(after).prev_units = static_cast<std::uint16_t>(units);
      Block alloc;
      alloc.units = static_cast<std::uint16_t>(units);
      alloc.prev_units = static_cast<std::uint16_t>(rest);
      alloc.desc = static_cast<std::uint8_t>(d);
      alloc.state = BlockState::kAllocated;
      blocks_.insert(x, alloc);
      insert_free_remainder(a, block(a));
      address = x;
    }
    return true;
  }
  return false;
}

bool LegacyPool::add_page(Descriptor d, unsigned units, Tag tag, std::uint64_t& address) {
  const auto vpn = pages_.allocate(is_nonpaged(d), PageCount{1}, owner_for(tag));
  if (!vpn) return false;
  const std::uint64_t page = pages_.address_of(*vpn);
  small_pages_.insert(page, static_cast<std::uint8_t>(d));
  Block alloc;
  alloc.units = static_cast<std::uint16_t>(units);
  alloc.desc = static_cast<std::uint8_t>(d);
  alloc.state = BlockState::kAllocated;
  blocks_.insert(page, alloc);
  Block rem;
  rem.units = static_cast<std::uint16_t>(page_units_ - units);
  rem.prev_units = static_cast<std::uint16_t>(units);
  rem.desc = static_cast<std::uint8_t>(d);
  const std::uint64_t r = page + std::uint64_t{units} * unit_;
  insert_free_remainder(r, blocks_.insert(r, rem));
  address = page;
  return true;
}

AllocOutcome LegacyPool::allocate_big(Descriptor d, std::uint64_t bytes, Tag tag) {
  if (bytes > kMaxRequest) return failure(FailCause::kExhaustion);
  // §3.7: NT 5.x takes whole pages; Vista+ keeps the tail when n mod page is in [1, 0xFC0] and
  // the 16-byte-rounded size is under 64 KiB.
  const std::uint64_t r = bytes % page_bytes_;
  bool reuse =
      profile_.big_tail == BigTailPolicy::kReuse && r != 0 && r <= profile_.tail_max_remainder;
  std::uint64_t size = reuse ? round_up_pow2(bytes, unit_) : round_up_pow2(bytes, page_bytes_);
  if (reuse && size >= profile_.tail_max_size) {
    reuse = false;
    size = round_up_pow2(bytes, page_bytes_);
  }
  const std::uint64_t pages = (size + page_bytes_ - 1) / page_bytes_;
  const auto vpn = pages_.allocate(is_nonpaged(d), PageCount{pages}, owner_for(tag));
  if (!vpn) return failure(FailCause::kExhaustion);
  const std::uint64_t va = pages_.address_of(*vpn);
  big_.insert(va, BigAllocation{pages, size, reuse, static_cast<std::uint8_t>(d)});

  AllocOutcome o;
  o.ok = true;
  o.handle = va;
  if (!reuse) {
    o.footprint = Bytes{pages * page_bytes_};
    o.waste.sub_page = o.footprint - Bytes{bytes};
  } else {
    // The tail of the last page: 'Frag' block, then a free block for the small-block lists.
    const std::uint64_t last = va + (pages - 1) * page_bytes_;
    small_pages_.insert(last, static_cast<std::uint8_t>(d));
    const auto tail_units = static_cast<unsigned>((size % page_bytes_) / unit_);
    const unsigned frag_units = profile_.frag_block_bytes / unit_;
    Block tail;
    tail.units = static_cast<std::uint16_t>(tail_units);
    tail.state = BlockState::kBigTail;
    tail.desc = static_cast<std::uint8_t>(d);
    blocks_.insert(last, tail);
    Block frag;
    frag.units = static_cast<std::uint16_t>(frag_units);
    frag.prev_units = 0;  // DEC-8: 'Frag' is written with PreviousSize 0
    frag.state = BlockState::kFrag;
    frag.desc = static_cast<std::uint8_t>(d);
    blocks_.insert(last + std::uint64_t{tail_units} * unit_, frag);
    Block rest;
    rest.units = static_cast<std::uint16_t>(page_units_ - tail_units - frag_units);
    rest.prev_units = static_cast<std::uint16_t>(frag_units);
    rest.desc = static_cast<std::uint8_t>(d);
    const std::uint64_t rest_address = last + std::uint64_t{tail_units + frag_units} * unit_;
    insert_free_remainder(rest_address, blocks_.insert(rest_address, rest));
    o.footprint = Bytes{size + profile_.frag_block_bytes};
    o.waste.pool_header = Bytes{profile_.frag_block_bytes};
    o.waste.granularity = Bytes{size - bytes};
  }
  live_ += o.footprint;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Free

bool LegacyPool::free(std::uint64_t handle) {
  // One lookup in the table of the freed allocation: the block found here is the one freed.
  if ((handle & (page_bytes_ - 1)) == 0) {
    BigAllocation big;
    if (!big_.take(handle, big)) return false;
    free_big(handle, big);
    return true;
  }
  // Cache-aligned handles are rare (Windows 8+ CacheAligned requests); most frees skip their map.
  const std::uint64_t* block_address =
      aligned_handles_.empty() ? nullptr : aligned_handles_.find(handle);
  const std::uint64_t address =
      block_address != nullptr ? *block_address : handle - profile_.pool_header;
  Block* b = blocks_.find(address);
  if (b == nullptr || b->state != BlockState::kAllocated) return false;
  if (block_address != nullptr) aligned_handles_.erase(handle);
  free_small(address, *b);
  return true;
}

void LegacyPool::free_small(std::uint64_t address, Block& b) {
  const auto d = static_cast<Descriptor>(b.desc);
  const Bytes bytes{std::uint64_t{b.units} * unit_};
  live_ -= bytes;
  Pool& pool = pools_[d];
  // §3.3 step 2: small blocks go to the per-processor lookaside, then the global one.
  if (b.units <= profile_.lookaside_max_units) {
    LookasidePair& la = pool.lookasides[b.units - 1u];
    for (Lookaside* l : {d == kSessionPaged ? nullptr : &la.per_cpu, &la.global}) {
      if (l == nullptr || l->entries.size() >= l->depth) continue;
      l->entries.push_back(address);
      b.state = BlockState::kLookaside;
      cached_ += bytes;
      return;
    }
  }
  // §3.3 step 3: delayed frees are processed as a batch when the list is full.
  if (delayed_frees_) {
    Block* pending = &b;
    if (pool.pending.size() >= profile_.pending_frees) {
      flush_pending(d);
      pending = &block(address);  // the batch erased blocks: b may have moved
    }
    pending->state = BlockState::kPending;
    pool.pending.push_back(address);
    cached_ += bytes;
    return;
  }
  free_ += bytes;
  coalesce_and_insert(address, &b);
}

void LegacyPool::flush_pending(Descriptor d) {
  // ExDeferredFreePool: most recent first; whole pages are collected and released afterwards,
  // most recently found first.
  std::vector<std::uint64_t> batch;
  batch.swap(pools_[d].pending);
  if (blocks_.outgrows_core_cache()) prefetch_batch(batch);
  std::vector<std::uint64_t> whole_pages;
  in_batch_ = true;
  for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
    const Bytes bytes{std::uint64_t{block(*it).units} * unit_};
    cached_ -= bytes;
    free_ += bytes;
    const std::uint64_t page = page_base(*it);
    coalesce_and_insert(*it, nullptr);
    if (blocks_.find(page) == nullptr) whole_pages.push_back(page);
  }
  in_batch_ = false;
  for (auto it = whole_pages.rbegin(); it != whole_pages.rend(); ++it) release_small_page(*it);
}

void LegacyPool::coalesce_and_insert(std::uint64_t address, Block* b) {
  // §3.3 step 4. The block's bytes are already counted as free by the caller. Looking blocks up
  // does not move them; erasing one may, so `b` is looked up again after each erase.
  bool combined = false;
  if (b == nullptr) b = &block(address);
  b->state = BlockState::kFree;
  const std::uint64_t next = address + std::uint64_t{b->units} * unit_;
  if (!at_page_end(next)) {
    Block& nb = block(next);
    if (nb.state == BlockState::kFree) {
      if (listed(nb)) list_remove(next, nb);
      b->units = static_cast<std::uint16_t>(b->units + nb.units);
      combined = true;
      blocks_.erase(next);
      b = &block(address);
    }
  }
  if (b->prev_units != 0) {
    const std::uint64_t prev = address - std::uint64_t{b->prev_units} * unit_;
    Block& pb = block(prev);
    if (pb.state == BlockState::kFree) {
      if (listed(pb)) list_remove(prev, pb);
      pb.units = static_cast<std::uint16_t>(pb.units + b->units);
      combined = true;
      blocks_.erase(address);
      address = prev;
      b = &block(address);
    }
  }
  Block& m = *b;
  if (offset_units(address) == 0 && m.units == page_units_) {
    // The whole page is free: return it (immediately, unless a batch is being processed, in
    // which case flush_pending releases it).
    blocks_.erase(address);
    if (!in_batch_) release_small_page(address);
    return;
  }
  if (combined) {
    const std::uint64_t after = address + std::uint64_t{m.units} * unit_;
    if (!at_page_end(after)) block(after).prev_units = m.units;
  }
  list_insert_head(address, m);  // "insert at the head in hopes of reusing cache lines"
}

void LegacyPool::release_small_page(std::uint64_t page) {
  small_pages_.erase(page);
  free_ -= Bytes{page_bytes_};
  pages_.free(pages_.vpn_of(page), PageCount{1});
}

void LegacyPool::free_big(std::uint64_t va, const BigAllocation& big) {
  const std::uint64_t vpn = pages_.vpn_of(va);
  if (!big.tail_reused) {
    live_ -= Bytes{big.pages * page_bytes_};
    pages_.free(vpn, PageCount{big.pages});
    return;
  }
  live_ -= Bytes{big.size + profile_.frag_block_bytes};
  // DEC-8 ExFreeLargePool: free 'Frag', merge it (and the big allocation's part of the page) with
  // a free block after it; a whole free page goes with the rest, otherwise the page stays in the
  // pool with a free block at its front.
  const std::uint64_t last = va + (big.pages - 1) * page_bytes_;
  const auto tail_units = static_cast<unsigned>((big.size % page_bytes_) / unit_);
  const unsigned frag_units = profile_.frag_block_bytes / unit_;
  blocks_.erase(last + std::uint64_t{tail_units} * unit_);
  {
    Block& front = block(last);
    front.units = static_cast<std::uint16_t>(tail_units + frag_units);
    front.state = BlockState::kFree;
    front.prev_units = 0;
    free_ += Bytes{std::uint64_t{front.units} * unit_};
    const std::uint64_t next = last + std::uint64_t{front.units} * unit_;
    if (!at_page_end(next)) {
      Block& nb = block(next);
      if (nb.state == BlockState::kFree) {
        if (listed(nb)) list_remove(next, nb);
        front.units = static_cast<std::uint16_t>(front.units + nb.units);
        blocks_.erase(next);
      }
    }
  }
  Block& front = block(last);
  if (front.units == page_units_) {
    blocks_.erase(last);
    small_pages_.erase(last);
    free_ -= Bytes{page_bytes_};
    pages_.free(vpn, PageCount{big.pages});
    return;
  }
  const std::uint64_t next = last + std::uint64_t{front.units} * unit_;
  if (!at_page_end(next)) block(next).prev_units = front.units;
  list_insert_head(last, front);
  pages_.free(vpn, PageCount{big.pages - 1});
}

// ---------------------------------------------------------------------------------------------
// Lookaside depth tuning (§3.4; WRK ex/lookasid.c with one modelled processor)

void LegacyPool::advance_time(std::uint64_t now_ns) {
  if (!profile_.lookaside_tuning || profile_.lookaside_max_units == 0) return;
  if (!clock_started_) {
    clock_started_ = true;
    next_tick_ns_ = now_ns + kSecondNs;
    return;
  }
  if (now_ns < next_tick_ns_) return;
  const std::uint64_t ticks = (now_ns - next_tick_ns_) / kSecondNs + 1;
  // After 256 idle ticks every depth sits at its minimum; later ticks only move the scan phase,
  // which repeats every 6 ticks with one processor.
  const std::uint64_t real = std::min<std::uint64_t>(ticks, 256);
  for (std::uint64_t i = 0; i < real; ++i) adjust_lookaside_depths();
  for (std::uint64_t i = 0; i < (ticks - real) % 6; ++i) {
    if (scan_count_ == 2) pool_scan_count_ = (pool_scan_count_ + 1) % 2;
    scan_count_ = (scan_count_ + 1) % 3;
  }
  next_tick_ns_ += ticks * kSecondNs;
}

void LegacyPool::adjust_lookaside_depths() {
  // ExAdjustLookasideDepth: general nonpaged lists, general paged lists, then pool lists; the
  // pool step alternates between the processor's P lists and the global L lists.
  if (scan_count_ == 2) {
    constexpr unsigned kScanPeriod = 3;  // (1 + 1 + 1) * processors
    const bool global = pool_scan_count_ == 1;
    for (unsigned d = 0; d < kDescriptorCount; ++d) {
      if (d == kSessionPaged) continue;  // session lookasides are not in the system scan
      for (auto& la : pools_[d].lookasides) {
        Lookaside& l = global ? la.global : la.per_cpu;
        const std::uint64_t hits = l.allocate_hits - l.last_allocate_hits;
        l.last_allocate_hits = l.allocate_hits;
        const std::uint64_t misses = l.total_allocates - l.last_total_allocates - hits;
        compute_depth(l, misses, kScanPeriod);
      }
    }
    pool_scan_count_ = (pool_scan_count_ + 1) % 2;
  }
  scan_count_ = (scan_count_ + 1) % 3;
}

void LegacyPool::compute_depth(Lookaside& l, std::uint64_t misses, unsigned scan_period) const {
  const std::uint64_t allocates = l.total_allocates - l.last_total_allocates;
  l.last_total_allocates = l.total_allocates;
  const auto min_depth = static_cast<std::int64_t>(profile_.lookaside_min_depth);
  const auto max_depth = static_cast<std::int64_t>(profile_.lookaside_max_depth);
  auto target = static_cast<std::int64_t>(l.depth);
  if (allocates < std::uint64_t{scan_period} * 25) {
    target = std::max(target - 10, min_depth);
  } else {
    const std::uint64_t ratio = misses * 1000 / allocates;
    if (ratio < 5) {
      target = std::max(target - 1, min_depth);
    } else {
      const std::int64_t delta = std::min<std::int64_t>(
          static_cast<std::int64_t>(ratio) * (max_depth - target) / 2000 + 5, 30);
      target = std::min(target + delta, max_depth);
    }
  }
  l.depth = static_cast<unsigned>(target);
}

unsigned LegacyPool::lookaside_depth(unsigned descriptor, unsigned units, bool global) const {
  const auto& la = pools_.at(descriptor).lookasides.at(units - 1);
  return global ? la.global.depth : la.per_cpu.depth;
}

}  // namespace fragreplay::model
