// Prefetch hints of the legacy pool (docs/performance.md §3): a free's block, then a delayed-free
// batch's blocks, their neighbours and their neighbours' free-list links, each stage reading what
// the stage before brought into cache. Nothing a replay computes depends on them.
#include <cstdint>
#include <vector>

#include "model/pool/legacy_pool.hpp"

namespace fragreplay::model {

void LegacyPool::prefetch_batch(const std::vector<std::uint64_t>& batch) const {
  // Each block of a batch, its two neighbours and, for a free neighbour, the blocks beside it on
  // its free list sit in random slots of blocks_. Ask for them a stage at a time, each stage
  // reading what the one before brought in, so the loop that coalesces them waits on few misses
  // (hints only: nothing computed depends on them).
  const auto neighbours = [&](std::uint64_t a, const Block& b, auto&& f) {
    const std::uint64_t next = a + std::uint64_t{b.units} * unit_;
    if (!at_page_end(next)) f(next);
    if (b.prev_units != 0) f(a - std::uint64_t{b.prev_units} * unit_);
  };
  for (const std::uint64_t a : batch) blocks_.prefetch(a);
  for (const std::uint64_t a : batch) {
    if (const Block* b = blocks_.find(a))
      neighbours(a, *b, [&](std::uint64_t n) { blocks_.prefetch(n); });
  }
  for (const std::uint64_t a : batch) {
    const Block* b = blocks_.find(a);
    if (b == nullptr) continue;
    neighbours(a, *b, [&](std::uint64_t n) {
      const Block* nb = blocks_.find(n);
      if (nb == nullptr || nb->state != BlockState::kFree) return;
      if (nb->list_next != 0) blocks_.prefetch(nb->list_next);
      if (nb->list_prev != 0) blocks_.prefetch(nb->list_prev);
    });
  }
}

}  // namespace fragreplay::model
