// The legacy pool's inspection and invariant checks (see legacy_pool.hpp, "Invariants"): the
// usage and page layout tests read, and check_invariants(), which walks every small-block page,
// free list, lookaside and delayed-free list and compares what it finds with the pool's totals.
#include <stdexcept>
#include <string>

#include "model/pool/legacy_pool.hpp"

namespace fragreplay::model {
namespace {

[[noreturn]] void fail(const std::string& why) { throw std::logic_error("LegacyPool: " + why); }

}  // namespace

PoolUsage LegacyPool::usage() const {
  return PoolUsage{pages_.pages_held(), live_, free_, cached_};
}

std::vector<LegacyPool::BlockView> LegacyPool::page_layout(std::uint64_t address) const {
  std::vector<BlockView> out;
  const std::uint64_t page = page_base(address);
  if (small_pages_.find(page) == nullptr) return out;
  for (unsigned off = 0; off < page_units_;) {
    const Block& b = block(page + std::uint64_t{off} * unit_);
    out.push_back({off, b.units, b.state});
    off += b.units;
  }
  return out;
}

void LegacyPool::check_small_page(std::uint64_t page, std::uint8_t desc, BlockTally& t) const {
  unsigned off = 0;
  unsigned prev_units = 0;
  BlockState prev_state = BlockState::kAllocated;
  while (off < page_units_) {
    const Block* b = blocks_.find(page + std::uint64_t{off} * unit_);
    if (b == nullptr) fail("a small-block page has a gap in its blocks");
    ++t.blocks;
    if (b->units == 0) fail("block of zero units");
    if (b->desc != desc) fail("block of a different descriptor than its page");
    const std::uint16_t expected_prev =
        b->state == BlockState::kFrag ? 0 : static_cast<std::uint16_t>(prev_units);
    if (b->prev_units != expected_prev) fail("PreviousSize does not match the block before");
    if (b->state == BlockState::kFree && prev_state == BlockState::kFree && off != 0) {
      fail("two adjacent free blocks (coalescing missed)");
    }
    const std::uint64_t bytes = std::uint64_t{b->units} * unit_;
    switch (b->state) {
      case BlockState::kFree:
        t.free += bytes;
        t.listed_free += listed(*b) ? 1 : 0;
        break;
      case BlockState::kAllocated:
      case BlockState::kFrag:
      case BlockState::kBigTail:
        t.live += bytes;
        break;
      case BlockState::kLookaside:
      case BlockState::kPending:
        t.cached += bytes;
        break;
    }
    prev_units = b->units;
    prev_state = b->state;
    off += b->units;
  }
  if (off != page_units_) fail("blocks overrun their page");
  if (off == page_units_ && prev_state == BlockState::kFree && prev_units == page_units_) {
    fail("a wholly free page was not released");
  }
}

void LegacyPool::check_aligned_handles() const {
  aligned_handles_.check_invariants();
  aligned_handles_.for_each([&](std::uint64_t handle, std::uint64_t address) {
    const Block* b = blocks_.find(address);
    if (b == nullptr || b->state != BlockState::kAllocated ||
        handle <= address + profile_.pool_header ||
        handle >= address + std::uint64_t{b->units} * unit_) {
      fail("a cache-aligned handle does not point inside its live block");
    }
  });
}

void LegacyPool::check_free_lists(unsigned d, BlockTally& t) const {
  const Pool& pool = pools_[d];
  for (unsigned idx = 0; idx < page_units_; ++idx) {
    std::uint64_t prev = 0;
    for (std::uint64_t a = pool.lists[idx].head; a != 0;) {
      const Block* b = blocks_.find(a);
      if (b == nullptr || b->state != BlockState::kFree)
        fail("free list holds a block that is not free");
      if (b->units != idx + 1) fail("block on the free list of another size");
      if (b->desc != d) fail("block on another descriptor's list");
      if (b->list_prev != prev) fail("free list back link broken");
      if (t.listed_free == 0) fail("free lists hold more blocks than are free (cycle?)");
      --t.listed_free;
      prev = a;
      a = b->list_next;
    }
    if (pool.lists[idx].tail != prev) fail("free list tail wrong");
  }
}

void LegacyPool::check_parked(unsigned d) const {
  const Pool& pool = pools_[d];
  for (unsigned s = 0; s < pool.lookasides.size(); ++s) {
    for (const Lookaside* l : {&pool.lookasides[s].per_cpu, &pool.lookasides[s].global}) {
      for (const std::uint64_t a : l->entries) {
        const Block* b = blocks_.find(a);
        if (b == nullptr || b->state != BlockState::kLookaside || b->units != s + 1) {
          fail("lookaside list holds a block not parked there");
        }
      }
    }
  }
  for (const std::uint64_t a : pool.pending) {
    const Block* b = blocks_.find(a);
    if (b == nullptr || b->state != BlockState::kPending)
      fail("pending list holds a block not pending");
  }
}

void LegacyPool::check_invariants() const {
  blocks_.check_invariants();
  big_.check_invariants();
  small_pages_.check_invariants();
  pages_.check_invariants();

  BlockTally t;
  small_pages_.for_each(
      [&](std::uint64_t page, std::uint8_t desc) { check_small_page(page, desc, t); });
  if (t.blocks != blocks_.size()) fail("blocks outside any small-block page");
  check_aligned_handles();
  big_.for_each([&](std::uint64_t, const BigAllocation& big) {
    // The last page of a tail-reusing allocation is a small-block page, counted above.
    t.live += big.tail_reused ? (big.pages - 1) * page_bytes_ : big.pages * page_bytes_;
  });
  for (unsigned d = 0; d < kDescriptorCount; ++d) {
    check_free_lists(d, t);
    check_parked(d);
  }
  if (t.listed_free != 0) fail("a free block is missing from its free list");
  if (t.live != live_.value) fail("live bytes do not match the blocks");
  if (t.free != free_.value) fail("free bytes do not match the blocks");
  if (t.cached != cached_.value) fail("cached bytes do not match the blocks");
  if ((t.live + t.free + t.cached) != pages_.pages_held().value * page_bytes_) {
    fail("pages held * page size != live + free + cached");
  }
}

}  // namespace fragreplay::model
